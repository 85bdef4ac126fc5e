"""No command holds every engagement whole, with tacli's cache or without it:
each engagement is read again (from the cache's reading, else from its file)
where its reports, pages or part of a figure are made, so memory stays flat
as a portfolio grows. Without the cache, `report` of 3,000 engagements held
1.1 GB when every engagement was kept, and `report --kind annual` 1.0 GB."""

from __future__ import annotations

import weakref
from pathlib import Path


def _engagements_folder(tmp_path: Path, count: int) -> Path:
    from conftest import EXAMPLE_FILES

    folder = tmp_path / "engagements"
    folder.mkdir()
    for number in range(count):
        text = EXAMPLE_FILES[number % len(EXAMPLE_FILES)].read_text(encoding="utf-8")
        (folder / f"e{number:02d}.yaml").write_text(text.replace("\nid: ", f"\nid: copy-{number:02d}-", 1), encoding="utf-8")
    return folder


def _loaded_without_the_cache(folder: Path, monkeypatch):
    import tacli.output.reports as reports
    from tacli.commands import CommonOptions, Session

    monkeypatch.setenv("TACLI_NO_CACHE", "1")
    session = Session(CommonOptions(today="2026-11-22"))
    loaded = reports.load_engagements([str(folder)], lambda: session.spec, session.today, checker=session.checker())
    assert loaded.checker.cache is None and len(loaded.engagements) >= 8
    return loaded


def _none_held_whole(loaded) -> bool:
    """Each usable engagement is still the check's result, never read whole in this process (reading.stored.LazyResult)."""
    from tacli.reading.stored import LazyResult

    return all(isinstance(item, LazyResult) and item._full is None for item in loaded.engagements)


def test_without_the_cache_reports_are_made_a_file_at_a_time(tmp_path, monkeypatch):
    """With the cache off, each engagement is read again where its reports are
    rendered, as with the cache on: the parent holds no engagement whole, and
    the texts alive at once stay few (a `report --no-cache` of 3,000
    engagements held 1.1 GB when every engagement was kept)."""
    import tacli.output.reports as reports
    from tacli.output.templates import Renderer

    loaded = _loaded_without_the_cache(_engagements_folder(tmp_path, 12), monkeypatch)
    alive, most = [0], [0]

    def gone() -> None:
        alive[0] -= 1

    made = []
    for output in reports.render_reports(loaded, Renderer(None), reports.parse_kinds(())):
        alive[0] += 1
        most[0] = max(most[0], alive[0])
        weakref.finalize(output, gone)
        made.append(output.path)
        del output
    assert len(made) > 20 and most[0] <= 3, f"{most[0]} reports alive at once of {len(made)}"
    assert "summary.md" in made and _none_held_whole(loaded)


def test_without_the_cache_the_site_reads_each_engagement_where_its_pages_are_made(tmp_path, monkeypatch):
    """`tacli site --no-cache` as above: every page made, no engagement held whole in the parent."""
    from tacli.output.site import site_in_parts

    loaded = _loaded_without_the_cache(_engagements_folder(tmp_path, 12), monkeypatch)
    pages, rest = site_in_parts(loaded.engagements, loaded.checker.spec, loaded.checker.today, left_out=loaded.left_out, loaded=loaded)
    paths = [output.path for output in pages] + [output.path for output in rest()]
    assert "index.html" in paths and sum(path.endswith("-agenda.html") for path in paths) > 12
    assert _none_held_whole(loaded)


def test_the_annual_figures_add_up_each_engagements_part(tmp_path, monkeypatch):
    """`report --kind annual` and `export --table annual` add up each engagement's
    part as the site's annual pages do: the same figures as adding up the
    engagements read whole (domain.annual.annual_figures), none held whole here."""
    from tacli.commands import CommonOptions, Session
    from tacli.commands.annual import figures
    from tacli.domain.annual import annual_figures

    loaded = _loaded_without_the_cache(_engagements_folder(tmp_path, 12), monkeypatch)
    session = Session(CommonOptions(today="2026-11-22"))
    found = figures(session, loaded, "2026-27", None)
    assert _none_held_whole(loaded) and found.value("services") > 12
    whole = annual_figures(session.spec, [(item.name, item.engagement) for item in loaded.engagements], "2026-27", session.today)
    assert found == whole


def test_report_service_reads_whole_only_the_engagements_that_hold_it(tmp_path, monkeypatch):
    """`report --service ID` finds which engagements hold the service from each
    one's service ids: the others are never read whole."""
    import pytest

    from tacli.core.outcome import UsageError
    from tacli.output.reports import holding_service

    loaded = _loaded_without_the_cache(_engagements_folder(tmp_path, 12), monkeypatch)
    chosen = next(item for item in loaded.engagements if item.identity.id.startswith("copy-03-") and item.engagement.services)
    service = chosen.engagement.services[-1].id
    holding = holding_service(loaded, service, ("tast", "agenda"))
    assert any(item is chosen for item in holding)
    assert all(service in [entry.id for entry in item.engagement.services] for item in holding)
    others = [item for item in loaded.engagements if not any(item is each for each in holding)]
    assert len(others) >= 8 and all(item._full is None for item in others)
    with pytest.raises(UsageError, match=f"no service '{service}x' in the engagements given: did you mean '{service}'"):
        holding_service(loaded, service + "x", ("agenda",))
    with pytest.raises(UsageError, match="--kind plan is not per service"):
        holding_service(loaded, service, ("plan",))


def test_the_served_dashboard_reads_no_engagement_whole(tmp_path, monkeypatch):
    """`tacli serve`'s dashboard comes from each engagement's kept figures and
    school years (web.workspace.dashboard_parts): the same view as from every
    engagement read whole, and the workspace holds none of them whole (at
    3,000 engagements, reading and keeping each took 9.5 s and 330 MB)."""
    from tacli.commands import CommonOptions, Session
    from tacli.output.reports import load_engagements
    from tacli.output.site import dashboard_view, portfolio_order
    from tacli.output.views.common import Lookups
    from tacli.reading.pipeline import FileResult
    from tacli.web.workspace import Workspace

    folder = _engagements_folder(tmp_path, 12)
    (folder / "broken.yaml").write_text("tacli: 1\nid: [\n", encoding="utf-8")
    monkeypatch.setenv("TACLI_NO_CACHE", "1")
    session = Session(CommonOptions(today="2026-11-22"))
    workspace = Workspace([str(folder)], session.spec, lambda: session.today)
    workspace.load()
    served = workspace.dashboard_view(Lookups(session.spec))
    assert all(entry.result is None for entry in workspace.entries())
    assert sum(entry.dashboard is not None for entry in workspace.entries()) == 12
    read = load_engagements([str(folder)], session.spec, session.today).engagements
    whole = [FileResult(item.name, list(item.findings), item.document, item.engagement, item.identity) for item in read]
    assert served == dashboard_view(portfolio_order(whole), session.spec, session.today, Lookups(session.spec))
    assert len(served["data"]["engagements"]) == 12 and served["filters"]["years"]


def test_without_the_cache_a_file_changed_after_the_check_stops_the_run(tmp_path, monkeypatch):
    """Read again for its reports, a file must be the one the check read: one
    changed since (still valid: its id now another file's) stops the run
    with exit 2 and its name, rather than reports of what no check saw."""
    import pytest

    import tacli.output.reports as reports
    from tacli.output.templates import Renderer
    from tacli.reading.stored import SourceChanged

    folder = _engagements_folder(tmp_path, 12)
    loaded = _loaded_without_the_cache(folder, monkeypatch)
    changed = folder / "e05.yaml"
    other_id = next(item.identity.id for item in loaded.engagements if item.name.endswith("e00.yaml"))
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("\nid: ", f"\nid: {other_id}\nold_id: ", 1).replace("\nold_id: ", "\n# was: ", 1), encoding="utf-8")
    with pytest.raises(SourceChanged) as stopped:
        list(reports.render_reports(loaded, Renderer(None), reports.parse_kinds(())))
    assert stopped.value.messages == (f"{changed} changed while tacli was reading it: run the command again",)
    unchanged = _loaded_without_the_cache(folder, monkeypatch)  # a new run reads it as it is now: the duplicate id is found
    assert any(item.name.endswith("e05.yaml") for item in unchanged.left_out)


def test_which_reports_a_run_would_render_reads_no_engagement_whole(tmp_path, monkeypatch):
    """`tacli report FOLDER` with no --out-dir names the reports it would
    render (a usage error: standard output takes one) from each engagement's
    report paths, without reading the engagements whole."""
    from tacli.output.reports import plan_jobs, report_paths

    loaded = _loaded_without_the_cache(_engagements_folder(tmp_path, 12), monkeypatch)
    per_file, summary = report_paths(loaded, ("tast", "agenda", "plan", "summary"))
    assert summary == "summary.md" and _none_held_whole(loaded)
    checker = loaded.checker
    assert [sorted(each) for each in per_file] == [sorted(job.path for job in plan_jobs([checker.read(loaded.targets[item.name])], checker.spec, checker.today, ("tast", "agenda", "plan"))) for item in loaded.engagements]


def test_without_the_cache_the_forked_child_leaves_the_portfolio_pages_in_a_file(tmp_path, monkeypatch):
    """The dashboard and annual pages, made in a forked child while the parent
    writes the engagements' own pages, come back a page at a time from a
    file both share (core.spill), not as one message of every page (at 3,000
    engagements that took the parent from 92 MB to 207 MB): the same pages."""
    import os

    import pytest

    from tacli.io.writer import Pieced, encoded
    from tacli.output.site import site_in_parts

    if not hasattr(os, "fork"):
        pytest.skip("a forked child")
    loaded = _loaded_without_the_cache(_engagements_folder(tmp_path, 12), monkeypatch)
    made = {}
    for background in (False, True):
        pages, rest = site_in_parts(loaded.engagements, loaded.checker.spec, loaded.checker.today, left_out=loaded.left_out, loaded=loaded, background=background)
        list(pages)
        later = list(rest())
        assert later and all(isinstance(output.text, Pieced) for output in later) == background
        made[background] = [(output.path, b"".join(encoded(output.text))) for output in later]
    assert made[True] == made[False] and any(path == "index.html" for path, _ in made[True])
