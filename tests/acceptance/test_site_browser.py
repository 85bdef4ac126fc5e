"""The site in a real browser: headless Chromium from the system's packages,
driven over the DevTools protocol (tests/browser.py). The dashboard, an
engagement page and a TAST page load with no console error, the charts draw,
a filter changes the figures to what tacli.domain.figures computes, and a TAST
report prints on one or two pages.

Skipped when Chromium is missing: `apt-get install chromium` (Debian, Ubuntu)
runs them; `.ci/run` installs it when it can."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import EXAMPLES, TESTS

sys.path.insert(0, str(TESTS))
from browser import Browser, chromium  # noqa: E402

TODAY = "2026-11-22"
EXECUTABLE = chromium()
# Chromium is a program of its own to start: these run with the slow tests (.ci/run runs them all).
pytestmark = [pytest.mark.slow, pytest.mark.skipif(EXECUTABLE is None, reason="Chromium is not installed: `apt-get install chromium` (Debian, Ubuntu) runs the browser tests")]

CHARTS = ("report_months", "months", "support_types", "topics", "partners", "stages", "coaching", "reach")
DRAWN = """Array.from(document.querySelectorAll('canvas')).map(function (canvas) {
  var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (var i = 3; i < pixels.length; i += 4) { if (pixels[i]) { return canvas.id; } }
  return 'blank ' + canvas.id;
})"""
COUNTS = "document.getElementById('item-counts').textContent"
PEOPLE = "Array.from(document.querySelector('table[data-table=facilitators]').tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.textContent))"
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
    assert written[0]["hours"] == "125" and written[0]["engagements"] == "4"


def test_a_filter_changes_the_figures_to_those_of_tacli_figures(site, browser):
    from tacli.domain.figures import combine, engagement_figures
    from tacli.output.reports import load_engagements
    from tacli.core.dates import LOOK_AHEAD_DAYS
    from tacli.core.numbers import hours_text, percent_text
    from tacli.domain.figures import item_counts
    from tacli.output.site import item_counts_text
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
        assert shown["overdue_revisions"] == str(sum(o.size for o in expected.items if o.kind == "revision" and o.overdue(today))), name
        # with no report due, the on-time share says so in words, not "– ... 0 of 0"
        hidden = browser.evaluate("[document.querySelector('[data-when-some=\"reports_due\"]').hidden, document.querySelector('[data-when-none=\"reports_due\"]').hidden]")
        assert hidden == [expected.reports.due == 0, expected.reports.due != 0], name
        status = browser.evaluate("document.getElementById('filter-status').textContent")
        assert f"Showing {expected.engagements} engagement" in status
        # The counts above the list and the table per facilitator, as the Python side says them.
        assert browser.evaluate(COUNTS) == item_counts_text(item_counts(expected.items, today), LOOK_AHEAD_DAYS), name
        people = {n: p for n, p in expected.by_facilitator.items() if name != "facilitator" or n == value}
        assert browser.evaluate(PEOPLE) == [
            [n, str(p.engagements), str(p.services), hours_text(p.hours), str(p.overdue), str(p.reports.on_time), str(p.reports.late),
             str(p.reports.overdue), percent_text(p.reports.on_time_rate) or "–"] for n, p in people.items()], name
        assert browser.evaluate("location.search") == "?" + urlencode({name: value}), name  # the address keeps the filter
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


def _settle(browser) -> None:
    browser.evaluate("new Promise(done => setTimeout(done, 50))")


def test_the_address_keeps_the_filters_and_show_all_clears_them(site, browser):
    from conftest import TODAY as today
    from tacli.domain.figures import combine, engagement_figures
    from tacli.output.reports import load_engagements
    from tacli.core.numbers import hours_text
    from tacli.standards.spec import load_spec, shipped_standards

    spec = load_spec(shipped_standards())
    items = load_engagements([str(EXAMPLES)], spec, today).engagements
    chosen = [engagement_figures(spec, item.engagement, today, school_year="2025-26", path=item.name) for item in items
              if engagement_figures(spec, item.engagement, today).tier == "intensive" and "2025-26" in engagement_figures(spec, item.engagement, today).school_years]
    expected = combine(spec, chosen)
    page = (site / "index.html").as_uri()
    for address in (page + "?year=2025-26&tier=intensive", page + "#year=2025-26&tier=intensive"):  # from file://, as a query or a fragment
        browser.open(address)
        assert browser.errors() == []
        assert browser.evaluate("[document.getElementById('filter-year').value, document.getElementById('filter-tier').value]") == ["2025-26", "intensive"]
        shown = browser.evaluate(FIGURES)
        assert (shown["engagements"], shown["services"], shown["hours"]) == (str(expected.engagements), str(expected.services), hours_text(expected.hours))
        assert browser.evaluate("document.getElementById('filter-status').textContent") == "Showing 1 engagement: school year 2025-26, Intensive TA."
    browser.evaluate("var s = document.getElementById('filter-facilitator'); s.value = 'Keisha Brown'; s.dispatchEvent(new Event('change', {bubbles: true})); true")
    assert browser.evaluate("location.search + location.hash") == "?year=2025-26&facilitator=Keisha+Brown&tier=intensive"
    # A link sent to someone else opens on the same view.
    sent = browser.evaluate("location.href")
    browser.open(sent)
    assert browser.evaluate("document.getElementById('filter-facilitator').value") == "Keisha Brown"
    browser.evaluate("document.querySelector('#filters button[type=reset]').click(); true")
    _settle(browser)
    assert browser.evaluate("location.search + location.hash") == ""
    assert browser.evaluate(FIGURES)["engagements"] == "4"
    assert browser.evaluate("document.getElementById('filter-status').textContent") == "Showing every engagement, every school year."
    # A filter the dashboard does not have (a facilitator who left) is said, not silently dropped.
    browser.open(page + "?facilitator=Nobody%20Here")
    assert browser.evaluate(FIGURES)["engagements"] == "4"
    assert "no facilitator “Nobody Here”" in browser.evaluate("document.getElementById('filter-status').textContent")
    assert browser.errors() == []


def test_chart_tables_are_folded_and_open_on_demand(site, browser):
    browser.open((site / "index.html").as_uri())
    folded = browser.evaluate("Array.from(document.querySelectorAll('details.data')).map(d => [d.open, d.querySelector('table').checkVisibility()])")
    assert folded == [[False, False]] * 8
    assert browser.evaluate("['items', 'facilitators', 'engagements'].map(n => document.querySelector('table[data-table=' + n + ']').checkVisibility())") == [True] * 3
    browser.evaluate("document.querySelector('details.data summary').focus(); true")
    for kind in ("keyDown", "keyUp"):  # the keyboard opens it
        browser.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"}, session=True)
    _settle(browser)
    assert browser.evaluate("[document.querySelector('details.data').open, document.querySelector('details.data table').checkVisibility()]") == [True, True]
    # Long support types are drawn whole, over lines; the tooltip and the table give them on one line.
    labels = browser.evaluate("Chart.getChart('chart-support_types').data.labels")
    assert any(isinstance(label, list) and len(label) > 1 for label in labels)
    assert all(not str(label).endswith("…") for label in labels)
    assert browser.evaluate("Chart.getChart('chart-support_types').$tacliFull").count("on-site job-embedded professional development, follow-up and support") == 1
    # The month axis has its break, drawn as a band.
    months = browser.evaluate("Chart.getChart('chart-months').data.labels")
    assert "2022-01 to 2025-06" in months and months.index("2022-01 to 2025-06") == months.index("2021-12") + 1
    assert browser.evaluate("Chart.getChart('chart-months').$tacliGaps") == [[months.index("2022-01 to 2025-06"), 42]]


OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_a_broken_file_is_listed_and_the_good_engagements_still_show(tmp_path, browser):
    from conftest import run_in_process

    folder = tmp_path / "engagements"
    folder.mkdir()
    for name in ("little-acorns-oec-coaching.yaml", "riverside-district-intensive.yaml"):
        shutil.copy(EXAMPLES / name, folder / name)
    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    (folder / "elm.yaml").write_text(text.replace("planning.facilitator.communicate-logistics:", "planning.facilitator.comunicate-logistics:", 1), encoding="utf-8")
    site = tmp_path / "site"
    result = run_in_process("site", str(folder), "--out-dir", str(site), "--today", TODAY)
    assert result.returncode == 1, result.stderr
    for engagement in ("little-acorns-oec-coaching", "riverside-district-intensive"):
        browser.open((site / "engagements" / engagement / "index.html").as_uri())
        assert browser.errors() == []
        assert browser.evaluate("document.querySelector('h1').textContent")
    browser.open((site / "index.html").as_uri())
    assert browser.errors() == []
    left_out = browser.evaluate("""(function () {
      var section = document.querySelector('section.left-out'), box = section.getBoundingClientRect();
      return {heading: section.querySelector('h2').textContent, text: section.querySelector('p').textContent,
              rows: Array.from(section.querySelectorAll('tbody tr')).map(r => r.cells[0].textContent),
              top: box.top, height: box.height, before: section.compareDocumentPosition(document.getElementById('key-figures')) & 4};
    })()""")
    assert left_out["heading"] == "1 engagement file could not be used"
    assert left_out["text"].startswith("It is left out of every figure below until it is fixed.")
    assert left_out["rows"] == [str(folder / "elm.yaml")]
    assert 0 < left_out["top"] < 200 and left_out["height"] > 50 and left_out["before"]  # first on the page, above the figures
    assert browser.evaluate(FIGURES)["engagements"] == "2"
    assert browser.evaluate(DRAWN) == [f"chart-{name}" for name in CHARTS]
    # Nothing wider than the window, on a phone or a laptop.
    try:
        for width in (375, 1280):
            browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500}, session=True)
            for page in ("index.html", "engagements/riverside-district-intensive/index.html", "engagements/little-acorns-oec-coaching/index.html"):
                browser.open((site / page).as_uri())
                _settle(browser)
                assert browser.evaluate(OVERFLOW) == 0, (width, page)
    finally:
        browser.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session=True)


def test_the_script_shows_hostile_names_as_text_as_the_page_does(tmp_path, engagement, browser):
    """A facilitator and a service named with markup: the script draws the list,
    the table by facilitator and the filters from the embedded data exactly as
    the page is written (escaped), runs nothing from them, and a link naming
    that facilitator picks them."""
    from urllib.parse import quote

    from conftest import MINI_STANDARDS, run_in_process

    nasty = 'Ann <img src=x onerror="document.title=1"> & "Lee" \u202e'
    quoted = '"' + nasty.replace("\\", "\\\\").replace('"', '\\"').replace("\u202e", "\\u202E") + '"'
    text = engagement.read_text()
    text = text.replace("    name: Dana Ruiz\nstart:", f"    name: {quoted}\nstart:", 1).replace("    type: visit\n", f"    type: visit\n    title: {quoted}\n", 1)
    text = text.replace("    tast_report:\n      notes: [Good session]\n      completed: 2026-10-05\n", "")
    engagement.write_text(text)
    site = tmp_path / "site"
    result = run_in_process("site", str(engagement), "--out-dir", str(site), env={"TACLI_STANDARDS": str(MINI_STANDARDS), "TACLI_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    page = site / "index.html"
    browser.send("Emulation.setScriptExecutionDisabled", {"value": True}, session=True)
    try:
        browser.open(page.as_uri())
        written = (browser.evaluate(FIGURES), browser.evaluate(TABLES), browser.evaluate(COUNTS))
    finally:
        browser.send("Emulation.setScriptExecutionDisabled", {"value": False}, session=True)
    browser.open(page.as_uri())
    assert browser.errors() == []
    assert (browser.evaluate(FIGURES), browser.evaluate(TABLES), browser.evaluate(COUNTS)) == written
    shown = nasty.replace("\u202e", "\\u202e")
    assert browser.evaluate(PEOPLE)[0][0] == shown
    assert browser.evaluate("document.querySelectorAll('main img').length") == 0 and browser.evaluate("document.title") == "TA portfolio dashboard"
    browser.open(page.as_uri() + "?facilitator=" + quote(shown))
    assert browser.evaluate("document.getElementById('filter-facilitator').value") == shown
    assert browser.evaluate("document.querySelectorAll('main img').length") == 0 and browser.errors() == []
