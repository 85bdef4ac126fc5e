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
    assert f"Reach: {reach['reached']} of {reach['intended']} ({reach['percent']}%), target {reach['target_percent']}%" in text
    assert f"Intensive TA: {status['intensive']['complete']} of {status['intensive']['features']} features" in text
    for item in status["next"]:
        assert item["what"] in text and item["command"] in text
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
    assert refused.returncode == 1
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
    assert refused.returncode == 1 and "behind a link: site/assets/site.css" in refused.stderr
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
        assert "Data &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp; &#34;quoted&#34; \\u202e" in text, page
        html5lib.HTMLParser(strict=True).parse(text)


def test_the_installed_package_ships_the_assets_and_templates():
    from tacli.output.site import ASSETS, _assets_folder, _site_templates

    for name in ASSETS.values():
        assert (_assets_folder() / name).is_file()
    assert "Chart.js v4.6.1" in (_assets_folder() / "chart.umd.min.js").read_text(encoding="utf-8")[:200]
    assert "MIT License" in (_assets_folder() / "chart.js-LICENSE.md").read_text(encoding="utf-8")
    for name in ("_base.html.j2", "dashboard.html.j2", "engagement.html.j2", "tast.html.j2", "agenda.html.j2"):
        assert (_site_templates() / name).is_file()


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
        "overdue_reports": str(expected.reports.overdue),
        "due_soon_reports": str(expected.reports.due_soon),
    }
    assert shown["hours"] == "121.5" and shown["title_i_share"] == "84.8%"  # 103 of 121.5 hours
    tables = {table.get("data-table"): table for table in document.iter("table") if table.get("data-table")}
    months = {row.find("th").text: row.find("td").text for row in tables["months"].iter("tr") if row.find("th") is not None and row.find("td") is not None}
    assert months == {month: hours_text(value) for month, value in expected.hours_by_month.items()}
    items_text = "".join(tables["items"].itertext())
    for obligation in expected.items:
        assert obligation.what in items_text


def test_the_dashboard_data_shows_unsafe_characters_as_the_page_does(run_tacli, engagement, tmp_path):
    import json

    engagement.write_text(engagement.read_text().replace("title: Data use at Elm School", 'title: "Elm \\u202E School"'))
    result = run_tacli("site", engagement, "--out-dir", "site", cwd=tmp_path, env={"TACLI_STANDARDS": str(MINI_STANDARDS), "TACLI_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    data = json.loads(text.split('<script type="application/json" id="site-data">', 1)[1].split("</script>", 1)[0])
    assert data["engagements"][0]["title"] == "Elm \\u202e School"
    assert ">Elm \\u202e School</a>" in text
