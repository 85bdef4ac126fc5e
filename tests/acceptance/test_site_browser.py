"""The site in a real browser: headless Chromium from the system's packages,
driven over the DevTools protocol (tests/browser.py). The dashboard, an
engagement page and a TAST page load with no console error, the charts draw,
a filter changes the figures to what tacli.domain.figures computes, and a TAST
report prints on one or two pages.

Skipped when Chromium is missing: `apt-get install chromium` (Debian, Ubuntu)
runs them; `.ci/run` installs it when it can."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, TESTS

sys.path.insert(0, str(TESTS))
from browser import Browser, chromium  # noqa: E402

TODAY = "2026-11-22"
EXECUTABLE = chromium()
pytestmark = pytest.mark.skipif(EXECUTABLE is None, reason="Chromium is not installed: `apt-get install chromium` (Debian, Ubuntu) runs the browser tests")

CHARTS = ("months", "support_types", "topics", "partners", "stages", "coaching", "reach")
DRAWN = """Array.from(document.querySelectorAll('canvas')).map(function (canvas) {
  var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (var i = 3; i < pixels.length; i += 4) { if (pixels[i]) { return canvas.id; } }
  return 'blank ' + canvas.id;
})"""
FIGURES = "Object.fromEntries(Array.from(document.querySelectorAll('[data-figure]')).map(n => [n.dataset.figure, n.textContent]))"
TABLES = "Array.from(document.querySelectorAll('table[data-table]')).map(t => t.tBodies[0].innerText)"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from conftest import run_in_process

    folder = tmp_path_factory.mktemp("browser") / "site"
    result = run_in_process("site", str(EXAMPLES), "--out-dir", str(folder), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def browser():
    with Browser(EXECUTABLE, 1280, 1000) as opened:
        yield opened


def test_the_dashboard_loads_draws_its_charts_and_agrees_with_the_page(site, browser):
    page = site / "index.html"
    browser.send("Emulation.setScriptExecutionDisabled", {"value": True}, session=True)
    try:
        browser.open(page.as_uri())
        written = (browser.evaluate(FIGURES), browser.evaluate(TABLES))
        assert browser.evaluate("document.getElementById('filters').hidden") is True  # no filter that cannot work
    finally:
        browser.send("Emulation.setScriptExecutionDisabled", {"value": False}, session=True)
    browser.open(page.as_uri())
    assert browser.errors() == []
    assert browser.evaluate(DRAWN) == [f"chart-{name}" for name in CHARTS]
    assert browser.evaluate("document.getElementById('filters').hidden") is False
    # The script's sums of the embedded records give what the page says without it.
    assert (browser.evaluate(FIGURES), browser.evaluate(TABLES)) == written
    assert written[0]["hours"] == "121.5" and written[0]["engagements"] == "3"


def test_a_filter_changes_the_figures_to_those_of_tacli_figures(site, browser):
    from tacli.domain.figures import combine, engagement_figures
    from tacli.output.reports import load_engagements
    from tacli.core.numbers import hours_text, percent_text
    from tacli.standards.spec import load_spec, shipped_standards

    spec = load_spec(shipped_standards())
    from conftest import TODAY as today

    items = load_engagements([str(EXAMPLES)], spec, today).engagements
    every = [engagement_figures(spec, item.engagement, today, path=item.name) for item in items]
    browser.open((site / "index.html").as_uri())
    for name, value, chosen in (
        ("facilitator", "Dana Ruiz", [f for f in every if "Dana Ruiz" in f.facilitators]),
        ("tier", "intensive", [f for f in every if f.tier == "intensive"]),
        ("partner", "-", [f for f in every if not f.partner]),
        ("partner", "serc", [f for f in every if f.partner == "serc"]),
        ("year", "2025-26", [engagement_figures(spec, item.engagement, today, school_year="2025-26", path=item.name) for item in items if "2025-26" in engagement_figures(spec, item.engagement, today).school_years]),
    ):
        browser.evaluate(f"var s = document.getElementById('filter-{name}'); s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change', {{bubbles: true}})); true")
        expected = combine(spec, chosen)
        shown = browser.evaluate(FIGURES)
        assert shown["engagements"] == str(expected.engagements), name
        assert shown["services"] == str(expected.services), name
        assert shown["hours"] == hours_text(expected.hours), name
        assert shown["title_i_share"] == (percent_text(expected.title_i_share) or "–"), name
        assert shown["on_time_rate"] == (percent_text(expected.reports.on_time_rate) or "–"), name
        assert shown["overdue_reports"] == str(expected.reports.overdue), name
        status = browser.evaluate("document.getElementById('filter-status').textContent")
        assert f"Showing {expected.engagements} engagement" in status
        browser.evaluate("document.getElementById('filters').reset(); true")
        browser.evaluate("new Promise(done => setTimeout(done, 50))")
    assert browser.evaluate(DRAWN) == [f"chart-{name}" for name in CHARTS]
    assert browser.errors() == []


def test_the_filters_work_with_the_keyboard(site, browser):
    browser.open((site / "index.html").as_uri())
    labels = browser.evaluate("Array.from(document.querySelectorAll('#filters select')).map(s => s.labels[0].textContent.trim().split('\\n')[0])")
    assert labels == ["School year", "Facilitator", "Partner", "Tier"]
    browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}, session=True)
    assert browser.evaluate("document.activeElement.className") == "skip"


def test_an_engagement_page_shows_its_logic_model(site, browser):
    browser.open((site / "engagements/elm-street-data-teams/index.html").as_uri())
    assert browser.errors() == []
    columns = browser.evaluate("Array.from(document.querySelectorAll('#element-logic_model + blockquote + figure .model-column h4')).map(h => h.textContent)")
    assert columns == ["Inputs", "Activities", "Outputs", "Outcomes"]
    tops = browser.evaluate("Array.from(document.querySelectorAll('#element-logic_model + blockquote + figure .model-column')).map(c => Math.round(c.getBoundingClientRect().top))")
    assert len(set(tops)) == 1  # side by side, left to right


@pytest.mark.slow
def test_a_tast_page_prints_on_one_or_two_pages_without_navigation(site, browser):
    for page in sorted((site / "engagements").glob("*/*-tast.html")):
        browser.open(page.as_uri())
        assert browser.errors() == []
        browser.media("print")
        try:
            assert browser.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "none"
            assert browser.pdf_pages((8.5, 11)) <= 2, page.name
            assert browser.pdf_pages((8.27, 11.69)) <= 2, page.name
        finally:
            browser.media("screen")
