"""`tacli site` through the real command: every page valid HTML5, every local
link and asset resolving, the figures of the examples on the dashboard, the
same bytes every run, --check, and the safety of the files it writes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import EXAMPLES, MINI_STANDARDS

from tacli.output.site import ASSETS, HTML_MARKER

TODAY = "2026-11-22"


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site of the shipped examples, rendered once for this module."""
    from conftest import run_in_process

    folder = tmp_path_factory.mktemp("site") / "site"
    result = run_in_process("site", str(EXAMPLES), "--out-dir", str(folder), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return folder


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_site_of_the_examples_has_every_page(site):
    names = set(files_under(site))
    assert {"index.html", *ASSETS} <= names
    for engagement in ("elm-street-data-teams", "little-acorns-oec-coaching", "riverside-district-intensive"):
        assert f"engagements/{engagement}/index.html" in names
    assert "engagements/elm-street-data-teams/2026-10-27-grade-3-coaching-tast.html" in names
    assert "engagements/elm-street-data-teams/2026-10-27-grade-3-coaching-agenda.html" in names
    assert not any(name.startswith("engagements/little-acorns") and name.endswith("-tast.html") for name in names)  # no CALI, no TAST report


def test_every_page_is_valid_html5(site):
    import html5lib

    for page in pages(site):
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        document = parser.parse(page.read_bytes())  # raises ParseError on the first error
        assert parser.errors == [], page
        assert document.get("lang") == "en"
        assert document.find("body/a[@class='skip']") is not None, page
        assert page.read_text(encoding="utf-8").rstrip("\n").endswith(HTML_MARKER)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id":
                self.ids.add(value)


def test_every_local_link_and_asset_resolves(site):
    checked = 0
    for page in pages(site):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme in ("mailto",):
                continue
            assert not parts.scheme and not parts.netloc, f"{page}: {link} is not a relative link"
            if parts.path:
                target = (page.parent / unquote(parts.path)).resolve()
                assert target.is_file() and site.resolve() in target.parents, f"{page}: {link} does not resolve"
            if parts.fragment:
                assert parts.path or parts.fragment in parser.ids, f"{page}: #{parts.fragment} is not on the page"
            checked += 1
    assert checked > 100


def test_the_same_input_gives_the_same_bytes(site, run_tacli, tmp_path):
    again = tmp_path / "again"
    result = run_tacli("site", str(EXAMPLES), "--out-dir", str(again), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert files_under(again) == files_under(site)


def test_an_engagement_page_shows_what_tacli_status_shows(site, run_tacli):
    import html as html_module
    import json

    status = json.loads(run_tacli("status", str(EXAMPLES / "riverside-district-intensive.yaml"), "--format", "json", "--today", TODAY).stdout)
    text = html_module.unescape((site / "engagements/riverside-district-intensive/index.html").read_text(encoding="utf-8"))
    reach = status["intensive"]["reach"]
    words = re.sub(r"<[^>]+>", "", text)
    assert (f"Reach: {reach['reached']} of {reach['intended']} ({reach['percent']}%); the engagement's own target: {reach['target_percent']}%; "
            "the standards' minimum (Fixsen et al., 2009): 60%. It is below its own target and below the standards' minimum.") in words
    assert f"Intensive TA: {status['intensive']['complete']} of {status['intensive']['features']} features" in text
    for item in status["next"]:  # the same next steps, in plain words, each command folded under them
        assert f"<code>{item['command']}</code></p></details>" in text
    elm = json.loads(run_tacli("status", str(EXAMPLES / "elm-street-data-teams.yaml"), "--format", "json", "--today", TODAY).stdout)
    elm_text = html_module.unescape((site / "engagements/elm-street-data-teams/index.html").read_text(encoding="utf-8"))
    for service in elm["services"]:
        assert service["report"]["text"] in elm_text


def test_the_logic_model_is_drawn_from_the_plan(site):
    text = (site / "engagements/elm-street-data-teams/index.html").read_text(encoding="utf-8")
    model = text.split('<figure class="model" aria-labelledby="caption-logic_model">', 1)[1].split("</figure>", 1)[0]
    assert [title for title in re.findall(r"<h4>(.*?)</h4>", model)] == ["Inputs", "Activities", "Outputs", "Outcomes"]
    assert model.count('class="model-box"') >= 4
    assert "Inputs lead to Activities lead to Outputs lead to Outcomes" in model


def test_a_tast_page_puts_the_report_first_and_prints_without_navigation(site):
    text = (site / "engagements/elm-street-data-teams/2026-10-27-grade-3-coaching-tast.html").read_text(encoding="utf-8")
    assert text.index("<h2>Commendations</h2>") < text.index("<h2>Recommendations</h2>") < text.index("<h2>Next Steps</h2>") < text.index("<h2>Duty checklist</h2>")
    assert "this report was completed 3 days after it was due" in text
    css = (site / "assets/site.css").read_text(encoding="utf-8")
    assert "@media print" in css and ".site-header" in css.split("@media print", 1)[1] and "@page" in css


# --- writing, --check, safety ---------------------------------------------------


def test_the_pages_and_the_assets_of_the_installed_package(site):
    assert (site / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Chart.js v4.6.1" in (site / "assets/chart.umd.min.js").read_text(encoding="utf-8")[:200]
    assert "MIT License" in (site / "assets/chart.js-LICENSE.txt").read_text(encoding="utf-8")
    assert (site / "engagements/elm-street-data-teams/2026-10-27-grade-3-coaching-tast.html").is_file()


def test_a_second_run_writes_nothing_and_check_passes(site, run_tacli):
    count = len(files_under(site))
    again = run_tacli("site", str(EXAMPLES), "--out-dir", str(site), "--today", TODAY)
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"{count} files in {site.as_posix()}: 0 written, {count} unchanged, 0 removed.\n"
    checked = run_tacli("site", str(EXAMPLES), "--out-dir", str(site), "--today", TODAY, "--check")
    assert (checked.returncode, checked.stdout) == (0, f"{count} files in {site.as_posix()}: the site is current.\n")


@pytest.fixture
def small_site(run_tacli, engagement, tmp_path):
    """The mini engagement's site in tmp_path/site."""
    def run(*args):
        return run_tacli("site", engagement, "--out-dir", "site", *args, cwd=tmp_path, env={"TACLI_STANDARDS": str(MINI_STANDARDS), "TACLI_TODAY": TODAY})

    assert run().returncode == 0
    return run


def test_check_lists_what_is_stale_missing_or_orphaned(small_site, engagement, tmp_path):
    site = tmp_path / "site"
    (site / "engagements/elm-school/first-visit-agenda.html").unlink()
    orphan = site / "engagements/gone/index.html"
    orphan.parent.mkdir()
    orphan.write_text("<p>old</p>\n" + HTML_MARKER + "\n")
    engagement.write_text(engagement.read_text().replace("title: Data use at Elm School", "title: Data use at Elm Street School"))
    checked = small_site("--check")
    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    assert "stale: site/index.html" in lines and "stale: site/engagements/elm-school/index.html" in lines
    assert "missing: site/engagements/elm-school/first-visit-agenda.html" in lines
    assert "orphaned: site/engagements/gone/index.html" in lines
    assert lines[-1].endswith("not current: run `tacli site ... --out-dir site` and commit the result.")
    written = small_site("--verbose")
    assert written.returncode == 0, written.stderr
    assert "removed site/engagements/gone/index.html" in written.stdout and not orphan.parent.exists()
    assert written.stdout.splitlines()[-1].endswith(" removed.") and ", 1 removed." in written.stdout
    assert small_site("--check").returncode == 0


def test_a_file_tacli_did_not_write_is_left_alone(small_site, tmp_path):
    site = tmp_path / "site"
    mine = site / "index.html"
    mine.write_text("<p>my own dashboard</p>\n")
    notes = site / "engagements/elm-school/notes.html"
    notes.write_text("<p>my notes</p>\n")
    refused = small_site()
    assert refused.returncode == 2
    assert "not tacli's: site/index.html" in refused.stderr and "no page written" in refused.stderr
    assert mine.read_text() == "<p>my own dashboard</p>\n"
    forced = small_site("--force")
    assert forced.returncode == 0 and HTML_MARKER in mine.read_text()
    assert notes.read_text() == "<p>my notes</p>\n"  # not the site's: never pruned


def test_nothing_is_written_through_a_link(small_site, tmp_path):
    site = tmp_path / "site"
    outside = tmp_path / "outside.css"
    outside.write_text("precious\n")
    (site / "assets/site.css").unlink()
    try:
        (site / "assets/site.css").symlink_to(outside)
    except OSError:
        pytest.skip("no symbolic links here")
    refused = small_site()
    assert refused.returncode == 2 and "behind a link: site/assets/site.css" in refused.stderr
    assert outside.read_text() == "precious\n"


def test_a_failed_run_leaves_the_previous_site(small_site, engagement, tmp_path, monkeypatch):
    """All or nothing: a write that fails part-way (a full disk) changes no file of the site."""
    site = tmp_path / "site"
    before = files_under(site)
    import tacli.io.writer as writer

    real_stage, calls = writer.stage, []

    def stage(path, text, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_stage(path, text, *args, **kwargs)

    monkeypatch.setattr(writer, "stage", stage)
    engagement.write_text(engagement.read_text().replace("title: Data use at Elm School", "title: Data use at Elm Street School"))
    failed = small_site()
    assert failed.returncode == 2 and "No space left on device" in failed.stderr
    assert files_under(site) == before


def test_out_dir_is_needed_and_must_be_a_folder(run_tacli, engagement, tmp_path):
    env = {"TACLI_STANDARDS": str(MINI_STANDARDS)}
    missing = run_tacli("site", engagement, cwd=tmp_path, env=env)
    assert missing.returncode == 2 and "--out-dir" in missing.stderr
    (tmp_path / "file").write_text("x")
    result = run_tacli("site", engagement, "--out-dir", "file", cwd=tmp_path, env=env)
    assert result.returncode == 2 and "is a file, not a folder" in result.stderr


def test_an_unusable_engagement_is_named_on_the_dashboard(run_tacli, tmp_path):
    import html5lib

    broken = tmp_path / "broken.yaml"
    broken.write_text("tacli: 1\nid: x\n")
    result = run_tacli("site", broken, "--out-dir", "site", cwd=tmp_path, env={"TACLI_STANDARDS": str(MINI_STANDARDS)})
    assert result.returncode == 1 and "left out of the site until fixed" in result.stderr
    document = html5lib.parse((tmp_path / "site" / "index.html").read_bytes(), namespaceHTMLElements=False)
    table = next(t for t in document.iter("table") if t.get("data-table") == "left-out")
    assert "broken.yaml" in "".join(table.itertext()) and "missing required key" in "".join(table.itertext())
    assert not (tmp_path / "site" / "engagements" / "x").exists()


NASTY = "Data <script>alert(1)</script> {{ 7*7 }} & \"quoted\" \u202e"


def test_user_text_is_escaped(run_tacli, engagement, tmp_path):
    import html5lib

    quoted = '"' + NASTY.replace("\\", "\\\\").replace('"', '\\"').replace("\u202e", "\\u202E") + '"'
    engagement.write_text(engagement.read_text().replace("title: Data use at Elm School", f"title: {quoted}"))
    result = run_tacli("site", engagement, "--out-dir", "site", cwd=tmp_path, env={"TACLI_STANDARDS": str(MINI_STANDARDS), "TACLI_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    for page in sorted((tmp_path / "site").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "\u202e" not in text
        if page.name != "annual.html":  # the annual report's index names no engagement
            assert "Data &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp; &#34;quoted&#34; \\u202e" in text, page
        html5lib.HTMLParser(strict=True).parse(text)


def test_the_installed_package_ships_the_assets_and_templates():
    from tacli.output.site import ASSETS, _assets_folder, site_templates

    for name in ASSETS.values():
        assert (_assets_folder() / name).is_file()
    assert "Chart.js v4.6.1" in (_assets_folder() / "chart.umd.min.js").read_text(encoding="utf-8")[:200]
    assert "MIT License" in (_assets_folder() / "chart.js-LICENSE.md").read_text(encoding="utf-8")
    for name in ("_base.html.j2", "dashboard.html.j2", "engagement.html.j2", "tast.html.j2", "agenda.html.j2"):
        assert (site_templates() / name).is_file()


@pytest.mark.slow
def test_the_wheel_ships_the_assets_and_templates(tmp_path):
    """`pip install .` installs what the site needs: the wheel holds the assets and templates."""
    import subprocess
    import sys
    import zipfile

    from conftest import ROOT

    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("tacli-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ASSETS.values():
        assert f"tacli/output/site_assets/{name}" in names
    assert "tacli/shipped/templates/site/dashboard.html.j2" in names and "tacli/shipped/templates/site/tast.html.j2" in names
    for name in ("htmx.min.js", "htmx-LICENSE.txt", "serve.js", "serve.css"):  # tacli serve's
        assert f"tacli/web/static/{name}" in names
    assert "tacli/shipped/templates/web/_base.html.j2" in names and "tacli/shipped/templates/web/duties.html.j2" in names



def test_the_dashboard_holds_the_figures_of_tacli_figures(site):
    import html5lib

    from conftest import TODAY as today
    from tacli.domain.figures import portfolio
    from tacli.output.reports import load_engagements
    from tacli.core.numbers import hours_text, percent_text
    from tacli.standards.spec import load_spec, shipped_standards

    spec = load_spec(shipped_standards())
    items = load_engagements([str(EXAMPLES)], spec, today).engagements
    expected = portfolio(spec, [item.engagement for item in items], today)
    document = html5lib.parse((site / "index.html").read_bytes(), namespaceHTMLElements=False)
    shown = {node.get("data-figure"): "".join(node.itertext()) for node in document.iter() if node.get("data-figure")}
    assert shown == {
        "engagements": str(expected.engagements),
        "recipients": str(expected.recipients),
        "title_i_recipients": str(expected.title_i_recipients),
        "services": str(expected.services),
        "hours": hours_text(expected.hours),
        "training_hours": hours_text(expected.training_hours),
        "ta_hours": hours_text(expected.ta_hours),
        "title_i_share": (percent_text(expected.title_i_share) or "–"),
        "on_time_rate": (percent_text(expected.reports.on_time_rate) or "–"),
        "reports_on_time": str(expected.reports.on_time),
        "reports_due": str(expected.reports.due),
        "overdue_reports": str(expected.reports.overdue),
        "due_soon_reports": str(expected.reports.due_soon),
        "overdue_revisions": str(sum(o.size for o in expected.items if o.kind == "revision" and o.overdue(today))),
        "overdue_duties": str(sum(o.size for o in expected.items if o.kind == "duties" and o.overdue(today))),
        "upcoming_duties": str(sum(o.size for o in expected.items if o.kind == "duties" and not o.overdue(today))),
    }
    assert (shown["overdue_reports"], shown["overdue_revisions"], shown["overdue_duties"], shown["upcoming_duties"]) == ("0", "1", "3", "6")
    assert shown["hours"] == "125" and shown["title_i_share"] == "85.2%"  # 106.5 of 125 hours
    tables = {table.get("data-table"): table for table in document.iter("table") if table.get("data-table")}
    months = {row.find("th").text: row.find("td").text for row in tables["months"].iter("tr") if row.find("th") is not None and row.find("td") is not None}
    assert {month: hours for month, hours in months.items() if month in expected.hours_by_month} == {month: hours_text(value) for month, value in expected.hours_by_month.items()}
    assert months["2022-01 to 2025-06"] == "none (42 months)"  # the break between the examples' years
    items_text = "".join(tables["items"].itertext())
    for obligation in expected.items:
        assert obligation.plain() in items_text


def test_the_dashboard_data_shows_unsafe_characters_as_the_page_does(run_tacli, engagement, tmp_path):
    import json

    engagement.write_text(engagement.read_text().replace("title: Data use at Elm School", 'title: "Elm \\u202E School"'))
    result = run_tacli("site", engagement, "--out-dir", "site", cwd=tmp_path, env={"TACLI_STANDARDS": str(MINI_STANDARDS), "TACLI_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    data = json.loads(text.split('<script type="application/json" id="site-data">', 1)[1].split("</script>", 1)[0])
    assert data["engagements"][0]["title"] == "Elm \\u202e School"
    assert ">Elm \\u202e School</a>" in text


# --- speaking to directors --------------------------------------------------------------


def _without_folded_commands(html_text: str) -> str:
    """The page as a reader sees it before opening a "How to record this": its
    words, without the folded commands and without markup."""
    import html as html_module

    shown = re.sub(r'<details class="how">.*?</details>', "", html_text, flags=re.S)
    shown = re.sub(r"<script\b.*?</script>|<!--.*?-->|<head>.*?</head>", "", shown, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", shown))


def test_director_pages_show_no_command_and_no_yaml_unless_asked(site):
    import html as html_module

    for name in ("index.html", "engagements/riverside-district-intensive/index.html", "engagements/elm-street-data-teams/index.html"):
        text = (site / name).read_text(encoding="utf-8")
        words = _without_folded_commands(text)
        for command in ("tacli new", "tacli mark", "tacli tast", "tacli status", ".yaml", "intensive.fidelity_reviews", "--service"):
            assert command not in words, (name, command)
        folded = re.findall(r'<details class="how"><summary>How to record this</summary><p>[^<]*<code>(.*?)</code>', text)
        assert folded and all(html_module.unescape(command).startswith(("tacli ", "add it to ")) for command in folded), name
    riverside = _without_folded_commands((site / "engagements/riverside-district-intensive/index.html").read_text(encoding="utf-8"))
    assert "The next on-site contact is due by 2026-12-22: hold it and record it as a service." in riverside
    assert "The next fidelity review is due by 2026-12-23: hold it and record it." in riverside


def test_the_dashboard_names_reports_and_duties_apart_and_its_counts_match_its_rows(site):
    import html5lib

    document = html5lib.parse((site / "index.html").read_bytes(), namespaceHTMLElements=False)
    figures = {node.get("data-figure"): "".join(node.itertext()) for node in document.iter() if node.get("data-figure")}
    rows = [[" ".join("".join(cell.itertext()).split()) for cell in row.findall("td")]
            for table in document.iter("table") if table.get("data-table") == "items" for row in table.find("tbody").findall("tr")]
    kinds = [(row[1].startswith("overdue"), row[2]) for row in rows]  # (overdue, "1 duty" | "6 duties" | "1 report")

    def count(overdue: bool, noun: str) -> int:
        return sum(int(kind.split()[0]) for late, kind in kinds if late == overdue and kind.split(" ", 1)[1] in (noun, noun + "s", noun[:-1] + "ies"))

    assert figures["overdue_reports"] == str(count(True, "report")) == "0"
    assert figures["overdue_revisions"] == str(count(True, "report to revise")) == "1"  # sent back with changes asked for: counted apart, and shown
    assert figures["overdue_duties"] == str(count(True, "duty")) == "3"
    assert figures["upcoming_duties"] == str(count(False, "duty")) == "6"
    line = "".join(next(node for node in document.iter("p") if node.get("id") == "item-counts").itertext())
    assert line == "Overdue: 1 report to revise, 3 duties. Due within 7 days: 1 report, 6 duties."  # changes asked for: the facilitator's
    labels = "".join(next(node for node in document.iter("section") if node.get("aria-labelledby") == "key-figures").itertext())
    assert "reports overdue" in labels and "duties overdue" in labels and "due soon (within 2 days)" in labels
    assert "1 report to revise overdue" in " ".join(labels.split())


def test_the_dashboard_has_a_table_per_facilitator(site):
    import html5lib

    from conftest import TODAY as today
    from tacli.domain.figures import portfolio
    from tacli.core.numbers import hours_text, percent_text
    from tacli.standards.spec import load_spec, shipped_standards

    spec = load_spec(shipped_standards())
    items = load_engagements_of_examples(spec, today)
    expected = portfolio(spec, [item.engagement for item in items], today).by_facilitator
    document = html5lib.parse((site / "index.html").read_bytes(), namespaceHTMLElements=False)
    table = next(t for t in document.iter("table") if t.get("data-table") == "facilitators")
    rows = [["".join(cell.itertext()) for cell in row] for row in table.find("tbody").findall("tr")]
    assert rows == [
        [name, str(p.engagements), str(p.services), hours_text(p.hours), str(p.overdue), str(p.reports.on_time), str(p.reports.late),
         str(p.reports.overdue), percent_text(p.reports.on_time_rate) or "–"]
        for name, p in expected.items()
    ]
    assert rows[0] == ["Dana Ruiz", "1", "3", "9", "4", "1", "1", "0", "50%"]  # with the report Maria Lopez asked changes of


def load_engagements_of_examples(spec, today):
    from tacli.output.reports import load_engagements

    return load_engagements([str(EXAMPLES)], spec, today).engagements


def test_reach_shows_both_lines_labelled_wherever_it_shows(site):
    dashboard = _without_folded_commands((site / "index.html").read_text(encoding="utf-8"))
    page = _without_folded_commands((site / "engagements/riverside-district-intensive/index.html").read_text(encoding="utf-8"))
    for text in (dashboard, page):
        assert "own target" in text and "standards' minimum" in text
    assert "The engagement's own target" in dashboard and "60% (Fixsen et al., 2009)" in dashboard
    assert "below its own target" in dashboard and "below the standards' minimum" in dashboard
    assert " ".join(page.split()).count("the engagement's own target: 75%; the standards' minimum (Fixsen et al., 2009): 60%") == 2  # where it stands, and the intensive features


def test_chart_tables_are_folded_and_the_lists_that_matter_are_not(site):
    import html5lib

    document = html5lib.parse((site / "index.html").read_bytes(), namespaceHTMLElements=False)
    folded = [d for d in document.iter("details") if d.get("class") == "data"]
    assert len(folded) == 8 and all(d.get("open") is None for d in folded)
    for details in folded:
        summary = "".join(details.find("summary").itertext())
        assert summary.startswith("Table: ") and len(summary) > len("Table: the hours"), summary
        assert details.find(".//table") is not None
    parents = {child: parent for parent in document.iter() for child in parent}

    def inside_details(node) -> bool:
        while node in parents:
            node = parents[node]
            if node.tag == "details":
                return True
        return False

    for name in ("items", "facilitators", "engagements"):
        table = next(t for t in document.iter("table") if t.get("data-table") == name)
        assert not inside_details(table), name


def test_a_misspelled_duty_id_leaves_one_file_out_and_the_rest_in(run_tacli, tmp_path):
    import html5lib
    import shutil

    folder = tmp_path / "engagements"
    folder.mkdir()
    for name in ("little-acorns-oec-coaching.yaml", "riverside-district-intensive.yaml"):
        shutil.copy(EXAMPLES / name, folder / name)
    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    (folder / "elm.yaml").write_text(text.replace("planning.facilitator.communicate-logistics:", "planning.facilitator.comunicate-logistics:", 1), encoding="utf-8")
    result = run_tacli("site", "engagements", "--out-dir", "site", "--today", TODAY, cwd=tmp_path)
    assert result.returncode == 1 and "left out of the site until fixed" in result.stderr
    site = tmp_path / "site"
    assert (site / "engagements/little-acorns-oec-coaching/index.html").is_file() and (site / "engagements/riverside-district-intensive/index.html").is_file()
    assert not (site / "engagements/elm-street-data-teams").exists()
    page = (site / "index.html").read_bytes()
    html5lib.HTMLParser(strict=True).parse(page)
    document = html5lib.parse(page, namespaceHTMLElements=False)
    section = next(s for s in document.iter("section") if s.get("class") == "left-out")
    words = " ".join("".join(section.itertext()).split())
    assert words.startswith("1 engagement file could not be used It is left out of every figure below until it is fixed.")
    row = [" ".join("".join(cell.itertext()).split()) for cell in section.find(".//tbody/tr")]
    broken = (folder / "elm.yaml").read_text(encoding="utf-8")
    assert row[:2] == ["engagements/elm.yaml", f"line {1 + broken[: broken.index('planning.facilitator.comunicate-logistics:')].count(chr(10))}"]
    assert row[2].startswith("unknown duty id 'planning.facilitator.comunicate-logistics'")
    assert "did you mean 'planning.facilitator.communicate-logistics'?" in row[2]
    assert row[2].endswith("For the facilitator, in a terminal: tacli check engagements/elm.yaml")  # folded, for whoever fixes it
    figures = {node.get("data-figure"): "".join(node.itertext()) for node in document.iter() if node.get("data-figure")}
    assert figures["engagements"] == "2"


def test_a_hostile_facilitator_and_service_title_are_escaped_in_the_new_tables_and_sentences(run_tacli, engagement, tmp_path):
    """The table by facilitator, the list's plain words and the next steps hold a
    facilitator's name and a service's title: escaped in the page, and only as
    data in the embedded JSON."""
    import html5lib
    import json

    quoted = '"' + NASTY.replace("\\", "\\\\").replace('"', '\\"').replace("\u202e", "\\u202E") + '"'
    text = engagement.read_text()
    text = text.replace("    name: Dana Ruiz\nstart:", f"    name: {quoted}\nstart:", 1)
    text = text.replace("      follow-up.facilitator.share-notes: {status: done, date: 2026-10-05, evidence: e-mail}\n", "")
    text = text.replace("    tast_report:\n      notes: [Good session]\n      completed: 2026-10-05\n", "")
    text = text.replace("    type: visit\n", f"    type: visit\n    title: {quoted}\n", 1)
    engagement.write_text(text)
    result = run_tacli("site", engagement, "--out-dir", "site", cwd=tmp_path, env={"TACLI_STANDARDS": str(MINI_STANDARDS), "TACLI_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    escaped = "Data &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp; &#34;quoted&#34; \\u202e"
    dashboard = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    page = (tmp_path / "site/engagements/elm-school/index.html").read_text(encoding="utf-8")
    for html_text in (dashboard, page):
        assert "<script>alert" not in html_text and "\u202e" not in html_text
        html5lib.HTMLParser(strict=True).parse(html_text)
    facilitators = dashboard.split('data-table="facilitators"', 1)[1].split("</table>", 1)[0]
    assert f'<th scope="row">{escaped}</th>' in facilitators
    assert f"of “{escaped}” (2026-10-01) is overdue" in page  # the next step names the service
    data = json.loads(dashboard.split('<script type="application/json" id="site-data">', 1)[1].split("</script>", 1)[0])
    assert data["facilitators"] == ["Data <script>alert(1)</script> {{ 7*7 }} & \"quoted\" \\u202e"]
    assert any(item["service"] == data["facilitators"][0] for item in data["items"])


def test_an_end_far_ahead_keeps_the_site_small(run_tacli, tmp_path):
    """9999-12-31, a common "no end yet": the school years shown stop at the one after today's."""
    import re

    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    (tmp_path / "elm.yaml").write_text(re.sub(r"^end: .*$", "end: 9999-12-31", text, count=1, flags=re.M), encoding="utf-8")
    done = run_tacli("site", "elm.yaml", "--out-dir", "site", "--today", TODAY, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert len(page) < 200_000 and "2027-28" in page and "2028-29" not in page


def test_the_dashboards_figures_say_one_in_the_singular_and_its_years_are_the_annual_pages(site, tmp_path):
    """"1 report overdue", never "1 reports overdue"; the school-year filter offers
    the years the annual pages have (a service held in them), not a year an
    engagement only reaches into (2027-28)."""
    import html5lib
    import re

    from conftest import run_in_process

    document = html5lib.parse((site / "index.html").read_bytes(), namespaceHTMLElements=False)
    select = next(node for node in document.iter("select") if node.get("id") == "filter-year")
    years = [option.get("value") for option in select.iter("option") if option.get("value")]
    annual = sorted(path.stem for path in (site / "annual").glob("*.html") if re.fullmatch(r"\d{4}-\d{2}", path.stem))
    assert years == annual == ["2021-22", "2025-26", "2026-27"]  # not 2027-28: Riverside only reaches into it
    one = tmp_path / "engagements"
    one.mkdir()
    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    (one / "elm.yaml").write_text(text, encoding="utf-8")
    later = tmp_path / "site"
    assert run_in_process("site", str(one), "--out-dir", str(later), "--today", "2026-11-26").returncode == 0  # the call's report is overdue
    page = html5lib.parse((later / "index.html").read_bytes(), namespaceHTMLElements=False)
    figures = next(node for node in page.iter("section") if node.get("aria-labelledby") == "key-figures")
    said = " ".join("".join(figures.itertext()).split())
    assert "1 report overdue" in said and "1 reports" not in said and "1 engagement " in said + " "
    script = (later / "site.js").read_text(encoding="utf-8") if (later / "site.js").exists() else next(later.rglob("site.js")).read_text(encoding="utf-8")
    assert 'data-plural-of="' in script  # the words follow the figures when a filter redraws them
