"""What the site tells a funder and a board, through the real `tacli site`:
the coverage of the roster on the dashboard (--roster, or `roster` in
tacli.toml; nothing without one), the on-time rate of reports by month, and
the annual report's pages, each figure the one of tacli.domain.annual with the
files it came from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE_FILES, EXAMPLES, TODAY

from tacli.output.site import HTML_MARKER

ROSTER = EXAMPLES / "roster.yaml"
DAY = TODAY.isoformat()


def _parse(path: Path):
    import html5lib

    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(path.read_bytes())  # raises ParseError on the first error
    assert parser.errors == [], path
    return document


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split())


def _table(document, name: str):
    return next(t for t in document.iter("table") if t.get("data-table") == name)


def _rows(table) -> list[list[str]]:
    return [[_text(cell) for cell in row if cell.tag in ("th", "td")] for row in table.find("tbody").findall("tr")]


@pytest.fixture(scope="module")
def loaded(spec):
    from tacli.output.reports import load_engagements

    return load_engagements([str(EXAMPLES)], spec, TODAY).engagements


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The examples' site with their roster."""
    from conftest import run_in_process

    folder = tmp_path_factory.mktemp("funders") / "site"
    result = run_in_process("site", str(EXAMPLES), "--out-dir", str(folder), "--today", DAY, "--roster", str(ROSTER))
    assert result.returncode == 0, result.stderr
    return folder


# --- coverage on the dashboard ---------------------------------------------------------


def test_the_dashboard_shows_the_coverage_of_the_roster(site, loaded):
    from tacli.domain.coverage import SERVED, coverage, served_among, served_by
    from tacli.reading.roster import load_roster

    document = _parse(site / "index.html")
    section = next(s for s in document.iter("section") if s.get("aria-labelledby") == "coverage")
    covered = coverage(load_roster(ROSTER), [served_by(item.name, item.engagement) for item in loaded], TODAY)
    figures = [_text(li) for li in section.find("ul").findall("li")]
    for flag, shown in zip((None, "priority", "title_i", "in_need_of_improvement"), figures):
        count, among = served_among(covered, flag)
        assert f"served: {count} of {among}" in shown, shown
    assert figures[0] == "42.9% of the roster's recipients served: 3 of 7"
    rows = _rows(_table(document, "unserved"))
    assert len(rows) == sum(1 for item in covered if item.standing != SERVED) == 4
    assert rows[0][0] == "Oak Hill School, Hartford Public Schools" and rows[0][2].startswith("priority")  # priority ones first
    assert rows[0][3] == "no engagement"
    assert any(row[3] == "no service since 2021-12-13" and "Little Acorns" in row[4] for row in rows)


def test_without_a_roster_nothing_about_coverage_shows(run_tacli, tmp_path):
    result = run_tacli("site", str(EXAMPLES), "--out-dir", "site", "--today", DAY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    dashboard = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert 'id="coverage"' not in dashboard and "roster" not in dashboard.lower()
    page = (tmp_path / "site/annual/2026-27.html").read_text(encoding="utf-8")
    assert 'data-figure="roster_share_served"' not in page and "needs the roster" in page


def test_the_roster_of_tacli_toml_is_the_sites_too(run_tacli, tmp_path):
    folder = tmp_path / "engagements"
    folder.mkdir()
    for path in EXAMPLE_FILES:
        shutil.copy(path, folder / path.name)
    shutil.copy(ROSTER, tmp_path / "roster.yaml")
    (tmp_path / "tacli.toml").write_text('engagements = "engagements"\nroster = "roster.yaml"\n', encoding="utf-8")
    result = run_tacli("site", "--out-dir", "site", "--today", DAY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert 'id="coverage"' in (tmp_path / "site/index.html").read_text(encoding="utf-8")


def test_a_roster_that_cannot_be_read_stops_the_site_with_its_finding(run_tacli, tmp_path):
    (tmp_path / "roster.yaml").write_text("roster: 1\nrecipients:\n  - {kind: county, name: X}\n", encoding="utf-8")
    result = run_tacli("site", str(EXAMPLES), "--out-dir", "site", "--roster", "roster.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "roster-invalid" in result.stderr and "roster.yaml:3:" in result.stderr
    assert not (tmp_path / "site").exists()


# --- reports on time by month ----------------------------------------------------------------


def test_the_on_time_rate_by_month_is_that_of_the_figures(site, spec, loaded):
    from tacli.core.numbers import percent_text
    from tacli.domain.figures import combine, engagement_figures

    total = combine(spec, [engagement_figures(spec, item.engagement, TODAY, path=item.name) for item in loaded])
    rows = _rows(_table(_parse(site / "index.html"), "report_months"))
    assert rows == [[month, str(c.due), str(c.on_time), str(c.late), str(c.overdue), percent_text(c.on_time_rate)]
                    for month, c in total.reports_by_month.items() if c.due]
    assert rows == [["2026-09", "1", "1", "0", "0", "100%"], ["2026-10", "1", "0", "1", "0", "0%"]]


# --- the annual report --------------------------------------------------------------------


def test_the_annual_report_has_a_page_a_school_year_linked_from_every_page(site):
    years = sorted(path.stem for path in (site / "annual").glob("*.html"))
    assert years == ["2021-22", "2025-26", "2026-27"]
    index = _parse(site / "annual.html")
    links = [a.get("href") for a in _table(index, "annual-years").iter("a")]
    assert links == ["annual/2026-27.html", "annual/2025-26.html", "annual/2021-22.html"]  # newest first
    for page in [site / "index.html", site / "annual.html", *sorted((site / "annual").glob("*.html")), *sorted((site / "engagements").rglob("*.html"))]:
        nav = next(n for n in _parse(page).iter("nav") if n.get("aria-label") == "Site")
        target = next(a.get("href") for a in nav.iter("a") if _text(a) == "Annual report")
        assert (page.parent / target).resolve() == (site / "annual.html").resolve(), page
        assert page.read_text(encoding="utf-8").rstrip("\n").endswith(HTML_MARKER)


def test_each_figure_of_the_year_is_that_of_the_annual_figures_with_its_files(site, spec, loaded):
    from tacli.domain.annual import annual_figures
    from tacli.output.site_annual import figure_text
    from tacli.reading.roster import load_roster

    roster = load_roster(ROSTER, str(ROSTER))
    for year in ("2026-27", "2025-26", "2021-22"):
        expected = annual_figures(spec, [(item.name, item.engagement) for item in loaded], year, TODAY, roster)
        page = site / "annual" / f"{year}.html"
        document = _parse(page)
        rows = [row for row in document.iter("tr") if row.get("data-figure")]
        assert [row.get("data-figure") for row in rows] == [figure.figure for figure in expected.figures]
        titles = {item.name: item.engagement.title for item in loaded}
        for row, figure in zip(rows, expected.figures):
            cells = [cell for cell in row if cell.tag == "td"]
            assert _text(cells[0]) == figure_text(figure), (year, figure)
            sources = cells[2].find("details")
            if not figure.files:
                assert sources is None and _text(cells[2]) == "–"
                continue
            listed = sources.find("ul").findall("li")
            assert len(listed) == len(figure.files), (year, figure)
            for item, path in zip(listed, figure.files):
                link = item.find("a")
                if path in titles:
                    assert _text(link) == titles[path] and (page.parent / link.get("href")).is_file()
                else:
                    assert path == str(ROSTER) and link is None
    assert expected.value("roster_share_served") and expected.value("evaluation_forms_returned")


def test_the_annual_pages_of_a_year_no_longer_present_are_removed(run_tacli, tmp_path):
    assert run_tacli("site", str(EXAMPLES), "--out-dir", "site", "--today", DAY, cwd=tmp_path).returncode == 0
    assert (tmp_path / "site/annual/2021-22.html").is_file()
    result = run_tacli("site", str(EXAMPLES / "elm-street-data-teams.yaml"), "--out-dir", "site", "--today", DAY, "--verbose", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "site/annual").glob("*.html")) == ["2026-27.html"]
    assert "removed site/annual/2021-22.html" in result.stdout
    assert run_tacli("site", str(EXAMPLES / "elm-street-data-teams.yaml"), "--out-dir", "site", "--today", DAY, "--check", cwd=tmp_path).returncode == 0


def test_a_folder_with_no_service_held_has_an_annual_index_saying_so(run_tacli, tmp_path):
    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    (tmp_path / "elm.yaml").write_text(text, encoding="utf-8")
    result = run_tacli("site", "elm.yaml", "--out-dir", "site", "--today", "2020-01-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No service has been held yet" in _text(_parse(tmp_path / "site/annual.html"))
    assert not (tmp_path / "site/annual").exists()


def test_the_forms_returned_are_of_the_forms_requested_as_the_markdown_says(site, run_tacli, tmp_path):
    """The page says "85 of 101 requested (84.2%)", as the annual report does, never "85 of 7 services"."""
    document = _parse(site / "annual" / "2026-27.html")
    [row] = [row for row in document.iter("tr") if row.get("data-figure") == "evaluation_forms_returned"]
    said = " ".join(_text(cell) for cell in row if cell.tag == "td")
    assert "85 of 101 requested (84.2%)" in said and "services" not in said
    done = run_tacli("report", str(EXAMPLES), "--kind", "annual", "--year", "2026-27", "--today", TODAY, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "- **Forms returned:** 85 of 101 requested (84.2%)" in done.stdout


def test_the_annual_page_tells_the_delivery_modes_from_the_support_types(site):
    """Hours are broken down by support type and by delivery mode one after the
    other under the same figure: a mode's row says it is one."""
    document = _parse(site / "annual" / "2026-27.html")
    labels = {" ".join("".join(row.find("th").itertext()).split()) for row in document.iter("tr") if row.get("class") == "sub"}
    by_mode = {label.split(": ", 1)[1] for label in labels if "by delivery mode: " in label}
    assert by_mode and all(label.startswith("Delivery: ") for label in by_mode), by_mode
    by_type = {label.split(": ", 1)[1] for label in labels if "by support type: " in label}
    assert by_type and not any(label.startswith("Delivery: ") for label in by_type), by_type
