"""What the site tells funders, in headless Chromium (tests/browser.py): the
dashboard with a roster loads with no console error and draws the chart of
reports on time by month, whose table follows the filters as
tacli.domain.figures counts; the annual report's pages load with no console
error, open a figure's files on demand, and print on Letter and A4 without
the navigation.

Skipped when Chromium is missing: `apt-get install chromium` runs them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, TESTS, TODAY

sys.path.insert(0, str(TESTS))
from browser import Browser, chromium  # noqa: E402

EXECUTABLE = chromium()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(EXECUTABLE is None, reason="Chromium is not installed: `apt-get install chromium` (Debian, Ubuntu) runs the browser tests")]

MONTHS = "Array.from(document.querySelector('table[data-table=report_months]').tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.textContent))"
DRAWN = """(function (canvas) {
  var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (var i = 3; i < pixels.length; i += 4) { if (pixels[i]) { return true; } }
  return false;
})(document.getElementById('chart-report_months'))"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from conftest import run_in_process

    folder = tmp_path_factory.mktemp("funders-browser") / "site"
    result = run_in_process("site", str(EXAMPLES), "--out-dir", str(folder), "--today", TODAY.isoformat(), "--roster", str(EXAMPLES / "roster.yaml"))
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def browser():
    with Browser(EXECUTABLE, 1280, 1000) as opened:
        yield opened


def _rows(by_month) -> list[list[str]]:
    from tacli.core.numbers import percent_text

    return [[month, str(c.due), str(c.on_time), str(c.late), str(c.overdue), percent_text(c.on_time_rate) or "–"] for month, c in by_month.items() if c.due]


def test_the_dashboard_with_a_roster_draws_reports_by_month_and_follows_the_filters(site, browser):
    from tacli.domain.figures import combine, engagement_figures
    from tacli.output.reports import load_engagements
    from tacli.standards.spec import load_spec, shipped_standards

    spec = load_spec(shipped_standards())
    items = load_engagements([str(EXAMPLES)], spec, TODAY).engagements
    every = [engagement_figures(spec, item.engagement, TODAY, path=item.name) for item in items]
    browser.open((site / "index.html").as_uri())
    assert browser.errors() == []
    assert browser.evaluate(DRAWN) is True
    assert browser.evaluate("document.getElementById('coverage') !== null") is True
    assert browser.evaluate(MONTHS) == _rows(combine(spec, every).reports_by_month)  # the script's sums are the page's
    for name, value, chosen in (
        ("facilitator", "Dana Ruiz", [f for f in every if "Dana Ruiz" in f.facilitators]),
        ("tier", "intensive", [f for f in every if f.tier == "intensive"]),
        ("year", "2026-27", [engagement_figures(spec, item.engagement, TODAY, school_year="2026-27", path=item.name) for item in items
                             if "2026-27" in engagement_figures(spec, item.engagement, TODAY).school_years]),
    ):
        browser.evaluate(f"var s = document.getElementById('filter-{name}'); s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change', {{bubbles: true}})); true")
        expected = _rows(combine(spec, chosen).reports_by_month)
        shown = browser.evaluate(MONTHS)
        assert shown == (expected or [["No report was due."]]), name
        browser.evaluate("document.getElementById('filters').reset(); true")
        browser.evaluate("new Promise(done => setTimeout(done, 50))")
    assert browser.errors() == []


def test_the_annual_pages_load_open_their_files_and_print_on_letter_and_a4(site, browser):
    for page in [site / "annual.html", *sorted((site / "annual").glob("*.html"))]:
        browser.open(page.as_uri())
        assert browser.errors() == [], page.name
        assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth") is True, page.name
    browser.open((site / "annual" / "2026-27.html").as_uri())
    assert browser.evaluate("document.querySelectorAll('details.sources[open]').length") == 0
    browser.evaluate("var d = document.querySelector('tr[data-figure=engagements] details.sources'); d.querySelector('summary').click(); true")
    listed = browser.evaluate("Array.from(document.querySelectorAll('tr[data-figure=engagements] details.sources a')).map(a => a.checkVisibility())")
    assert listed and all(listed)
    browser.media("print")
    try:
        assert browser.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "none"
        letter, a4 = browser.pdf_pages((8.5, 11)), browser.pdf_pages((8.27, 11.69))
        assert 1 <= letter <= 6 and 1 <= a4 <= 6, (letter, a4)
    finally:
        browser.media("screen")


def test_the_annual_report_on_a_phone_is_no_wider_than_the_screen(site):
    with Browser(EXECUTABLE, 375, 800) as phone:
        for page in (site / "annual.html", site / "annual" / "2026-27.html", site / "index.html"):
            phone.open(page.as_uri())
            assert phone.errors() == [], page.name
            assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth") is True, page.name
