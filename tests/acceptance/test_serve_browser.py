"""tacli serve in a real browser: the installed `tacli serve` on a free port,
headless Chromium driven over the DevTools protocol (tests/browser.py). A
facilitator adds a service, records its Delivery duties and completes its TAST
report through the pages, and the file then passes `tacli check` for them; no
page has a console error (the Content-Security-Policy included); the dashboard
shows a change made to a file on disk without anyone reloading it.

Skipped when Chromium is missing: `apt-get install chromium` runs them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from conftest import EXAMPLES, TESTS, run_in_process, tacli_command, _test_environment

sys.path.insert(0, str(TESTS))
from browser import Browser, chromium  # noqa: E402

TODAY = "2026-11-22"
EXECUTABLE = chromium()
# Chromium is a program of its own to start: these run with the slow tests (.ci/run runs them all).
pytestmark = [pytest.mark.slow, pytest.mark.skipif(EXECUTABLE is None, reason="Chromium is not installed: `apt-get install chromium` (Debian, Ubuntu) runs the browser tests")]
ELM = "engagements/elm-street-data-teams.yaml"


def _replace_on_disk(path, text: str, encoding: str = "utf-8") -> None:
    """Change a file on disk as an editor that saves safely does: the server
    never reads it half-written (a truncated file would be a broken one, and
    its pages would move to the file's own page while it is)."""
    spare = path.with_name(path.name + ".saving")
    spare.write_text(text, encoding=encoding)
    os.replace(spare, path)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`tacli serve` over a copy of the examples: (its address with the key, the folder)."""
    folder = tmp_path_factory.mktemp("serve")
    shutil.copytree(EXAMPLES, folder / "engagements")
    process = subprocess.Popen(tacli_command() + ["serve", "engagements", "--port", "0", "--today", TODAY, "--no-browser"], cwd=folder,
                               env=_test_environment(None), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        address = None
        deadline = time.monotonic() + 60
        while address is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            found = re.search(r"http://\S+", line)
            address = found.group(0) if found else None
        assert address, process.stderr.read() if process.poll() is not None else "no address printed"
        yield address, folder
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()


@pytest.fixture(scope="module")
def browser(server):
    with Browser(EXECUTABLE, 1280, 1000) as opened:
        opened.open(server[0])  # the key, kept in a cookie for every page after
        assert opened.errors() == []
        yield opened


def root(server) -> str:
    return server[0].split("?")[0].rstrip("/")


def no_errors(browser, where: str) -> None:
    assert browser.errors() == [], where


def test_a_facilitator_records_a_service_s_delivery_duties_and_completes_its_report(server, browser):
    base, folder = root(server), server[1]
    browser.open(f"{base}/engagements/elm-street-data-teams/")
    no_errors(browser, "the engagement's page")
    browser.follow("document.querySelector('nav.actions a[href=\"services/new/\"]').click()")
    no_errors(browser, "the new service's form")
    browser.evaluate("""(function () {
      var form = document.querySelector('form.service-form');
      form.elements.date.value = '20 November 2026';
      form.elements.type.value = 'professional-development';
      form.elements.hours.value = '2h';
      form.elements.title.value = 'Data review';
      form.elements.date.dispatchEvent(new Event('change', {bubbles: true}));
    })()""")
    assert "Ready to save" in browser.wait_for("document.getElementById('check').innerText")  # checked as typed
    browser.follow("document.querySelector('form.service-form button[type=submit]').click()")
    no_errors(browser, "the duties of the new service")
    assert browser.evaluate("location.pathname") == "/engagements/elm-street-data-teams/services/2026-11-20-data-review/duties/"
    delivery = "document.querySelector('#stage-delivery form')"
    browser.evaluate(f"""(function () {{
      var form = {delivery};
      var all = form.querySelector('label.tick-all input');
      all.checked = true;
      all.dispatchEvent(new Event('change', {{bubbles: true}}));
      form.elements.date.value = '2026-11-20';
      form.elements.evidence.value = 'Sign-in sheet and agenda';
    }})()""")
    ticked = browser.evaluate(f"{delivery}.querySelectorAll('input[name=duty]:checked').length")
    assert ticked == browser.evaluate(f"{delivery}.querySelectorAll('input[name=duty]').length") > 10
    browser.follow(f"{delivery}.querySelector('button[value=ticked]').click()")
    no_errors(browser, "the duties after recording")
    assert browser.evaluate("document.querySelector('.notice').innerText") == f"Recorded {ticked} Delivery duties as done."
    browser.follow("document.querySelector('a[href$=\"/report/\"]').click()")
    no_errors(browser, "the report's form")
    browser.evaluate("""(function () {
      var form = document.querySelector('form.report-form');
      form.elements['section-commendations'].value = 'Every team brought its data';
      form.elements['section-recommendations'].value = 'Set one goal per team\\nShare minutes with the principal';
      form.elements['section-next_steps'].value = 'Coach the grade 4 team in December';
      form.elements.date.value = 'yesterday';
    })()""")
    browser.follow("document.querySelector('form.report-form button[value=complete]').click()")
    no_errors(browser, "the report after completing")
    assert browser.evaluate("document.querySelector('.notice').innerText") == "Saved 4 entries in the TAST Report; Completed the TAST Report and marked its duty done."
    checked = run_in_process("check", ELM, "--format", "json", "--today", TODAY, cwd=folder)
    about = [item for item in json.loads(checked.stdout)["findings"] if "2026-11-20-data-review" in item["message"]]
    assert about, checked.stdout  # its planning duties are still open (due before the service)
    errors = [item["message"] for item in about if item["level"] == "error"]
    assert errors and all(message.startswith("duty planning.") for message in errors), errors  # none about its Delivery duties or its report
    assert not [item for item in about if item["rule"].startswith("tast-")], about
    text = (folder / ELM).read_text(encoding="utf-8")
    assert "delivery.facilitator.request-evaluation-forms: {status: done, date: 2026-11-20, evidence: Sign-in sheet and agenda}" in text.split("2026-11-20-data-review")[1]


def test_the_dashboard_shows_a_change_on_disk_without_a_reload_by_hand(server, browser):
    base, folder = root(server), server[1]
    browser.open(f"{base}/dashboard/")
    no_errors(browser, "the dashboard")
    assert browser.evaluate("Array.from(document.querySelectorAll('canvas')).length") >= 7
    browser.evaluate("window.tacliMark = 1")
    elm = folder / ELM
    text = elm.read_text(encoding="utf-8")
    started = time.monotonic()
    _replace_on_disk(elm, text.replace("title: Data Teams at Elm Street School", "title: Data Teams at Elm Street Academy"), encoding="utf-8")
    browser.wait_for("window.tacliMark === undefined && document.body.innerText.indexOf('Data Teams at Elm Street Academy') >= 0", timeout=10)
    assert time.monotonic() - started < 5
    no_errors(browser, "the dashboard after the change")
    _replace_on_disk(elm, text, encoding="utf-8")


def test_every_page_loads_without_a_console_error(server, browser):
    base = root(server)
    pages = ["/", "/?who=", "/engagements/", "/engagements/riverside-district-intensive/", "/engagements/little-acorns-oec-coaching/",
             "/engagements/elm-street-data-teams/plan/", "/engagements/elm-street-data-teams/file/", "/engagements/elm-street-data-teams/file/edit/",
             "/engagements/elm-street-data-teams/history/", "/new/", "/exports/", "/engagements/elm-street-data-teams/2026-10-27-grade-3-coaching-tast.html",
             "/engagements/elm-street-data-teams/2026-10-27-grade-3-coaching-agenda.html"]
    for page in pages:
        browser.open(base + page)
        browser.evaluate("new Promise(done => setTimeout(done, 150))")  # htmx's first requests
        no_errors(browser, page)
        assert browser.evaluate("document.querySelectorAll('h1').length") == 1, page


def test_a_hidden_tab_holds_no_connection_and_asks_again_when_shown(server, browser):
    """A browser opens at most 6 connections to a server: a long poll held by
    each open tab would stall the seventh. A hidden tab's poll is ended, and a
    file changed while it was hidden reloads it as soon as it is shown."""
    base, folder = root(server), server[1]
    counting = """(function () {
      window.tacliPolls = 0;
      var fetch = window.fetch;
      window.fetch = function (url) {
        if (String(url).indexOf("/changes") !== 0) { return fetch.apply(this, arguments); }
        window.tacliPolls += 1;
        return fetch.apply(this, arguments).finally(function () { window.tacliPolls -= 1; });
      };
    })();"""
    added = browser.send("Page.addScriptToEvaluateOnNewDocument", {"source": counting}, session=True)
    try:
        browser.open(f"{base}/engagements/")
        browser.wait_for("window.tacliPolls === 1")
        shown = "function (hidden) { Object.defineProperty(document, 'hidden', {configurable: true, get: function () { return hidden; }}); document.dispatchEvent(new Event('visibilitychange')); }"
        browser.evaluate(f"({shown})(true)")
        browser.wait_for("window.tacliPolls === 0")
        browser.evaluate("window.tacliMark = 1")
        elm = folder / ELM
        text = elm.read_text(encoding="utf-8")
        _replace_on_disk(elm, text.replace("title: Data Teams at Elm Street School", "title: Data Teams at Elm Street Academy"), encoding="utf-8")
        browser.evaluate("new Promise(done => setTimeout(done, 1500))")  # the change seen by the server; the hidden tab asks nothing
        assert browser.evaluate("window.tacliMark") == 1 and browser.evaluate("window.tacliPolls") == 0
        browser.evaluate(f"({shown})(false)")
        browser.wait_for("window.tacliMark === undefined && document.body.innerText.indexOf('Data Teams at Elm Street Academy') >= 0", timeout=10)
        no_errors(browser, "the engagements after the tab was shown again")
        _replace_on_disk(elm, text, encoding="utf-8")
    finally:
        browser.send("Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]}, session=True)


def test_the_pages_fit_a_phone_and_long_words_wrap(server):
    """At 375 pixels wide (a phone), no page is wider than the screen: the duties'
    checklist stacks, and a word longer than the screen (a web address, an id)
    wraps rather than pushing the page sideways."""
    base, folder = root(server), server[1]
    elm = folder / ELM
    text = elm.read_text(encoding="utf-8")
    long_word = "https://example.org/" + "a-very-long-path-segment-" * 8
    _replace_on_disk(elm, text.replace("evidence: Evaluation summary written", f"evidence: {long_word}", 1), encoding="utf-8")
    try:
        with Browser(EXECUTABLE, 375, 800) as phone:
            phone.open(server[0])
            for page in ("/engagements/elm-street-data-teams/services/2026-09-29-data-teams-launch/duties/", "/engagements/elm-street-data-teams/services/2026-11-17-principal-call/duties/",
                         "/engagements/elm-street-data-teams/", "/engagements/elm-street-data-teams/file/", "/"):
                phone.open(base + page)
                width = phone.evaluate("document.documentElement.scrollWidth")
                assert width <= 375, (page, width)
    finally:
        _replace_on_disk(elm, text, encoding="utf-8")


def test_a_refusal_is_scrolled_into_view_and_a_finding_leads_to_its_line_in_the_editor(server, browser):
    base = root(server)
    follow_up = "document.querySelector('#stage-follow-up form')"
    for attempt in range(3):  # the page before may still be reloading (a file restored on disk): open this one again
        browser.open(f"{base}/engagements/elm-street-data-teams/services/2026-11-17-principal-call/duties/")
        try:
            browser.wait_for(f"location.pathname.indexOf('/duties/') > 0 && {follow_up} !== null", timeout=10)
            break
        except RuntimeError:
            if attempt == 2:
                raise
    browser.evaluate(f"""(function () {{
      var form = {follow_up};
      form.querySelector('input[name=duty][value="follow-up.facilitator.analyze-feedback"]').checked = true;
      form.querySelector('input[name=date]').value = '2026-11-01';
    }})()""")
    browser.follow(f"{follow_up}.querySelector('button[value=ticked]').click()")
    seen = browser.wait_for("""(function () {
      var refused = document.querySelector('main .refused[role=alert]');
      if (!refused) { return null; }
      var box = refused.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight ? 'seen' : null;
    })()""")
    assert seen == "seen"
    browser.open(f"{base}/engagements/elm-street-data-teams/file/edit/")
    browser.evaluate("document.querySelector('#text').value = document.querySelector('#text').value.replace('tier: targeted', 'tier: tarketed')")
    browser.follow("document.querySelector('.file-form button[type=submit]').click()")
    line = browser.evaluate("document.querySelector('a.to-line') && document.querySelector('a.to-line').getAttribute('data-line')")
    assert line
    browser.evaluate("document.querySelector('a.to-line').click()")
    at = browser.evaluate("(function () { var t = document.querySelector('#text'); return t.value.slice(0, t.selectionStart).split('\\n').length; })()")
    assert str(at) == line and browser.evaluate("document.activeElement.id") == "text"
