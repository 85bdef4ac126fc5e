"""tacli serve, in this process (Starlette's test client): each form writes exactly
what its command writes (the file's bytes compared), refusals say what to do and
write nothing, a form opened before the file changed is refused with what was
typed kept, --read-only, the token, the CSRF value, the Host check, bounded and
malformed requests, and hostile text shown as text."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from conftest import EXAMPLES, TODAY, run_in_process, within

pytest.importorskip("starlette.testclient", reason="pip install '.[test]' (httpx2 for Starlette's test client)")

TOKEN = "k" * 32
PORT = 8000
DAY = TODAY.isoformat()
ELM = "engagements/elm-street-data-teams.yaml"
CALL = "2026-11-17-principal-call"
DUTIES = f"/engagements/elm-street-data-teams/services/{CALL}/duties/"
REPORT = f"/engagements/elm-street-data-teams/services/{CALL}/report/"


class Served:
    """The app over a folder of engagements, with the browser's cookie."""

    def __init__(self, folder: Path, read_only: bool = False, commit: bool = False, cookie: bool = True):
        from starlette.testclient import TestClient

        from tacli.commands import CommonOptions
        from tacli.web.app import Settings, create_app
        from tacli.web.security import Access

        self.folder = folder
        settings = Settings(["engagements"], CommonOptions(today=DAY), Access(TOKEN, PORT), read_only, commit, watch=False)
        self.app = create_app(settings)
        self.web = self.app.web
        self.client = TestClient(self.app, base_url=f"http://127.0.0.1:{PORT}")
        if cookie:
            self.client.cookies.set(f"tacli-serve-{PORT}", TOKEN)

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def form(self, url: str) -> dict:
        """The hidden fields of the form on the page at `url` (the CSRF value, the file's digest)."""
        page = self.get(url)
        assert page.status_code == 200, page.text
        return dict(re.findall(r'<input type="hidden" name="(csrf|expected)" value="([^"]*)">', page.text))

    def post(self, url: str, fields: dict, **kwargs):
        return self.client.post(url, data={**self.form(url), **fields}, follow_redirects=False, **kwargs)


def copy_of_examples(folder: Path) -> Path:
    shutil.copytree(EXAMPLES, folder / "engagements")
    return folder


@pytest.fixture
def served(tmp_path, monkeypatch):
    monkeypatch.chdir(copy_of_examples(tmp_path / "web"))
    return Served(tmp_path / "web")


def cli_copy(tmp_path: Path) -> Path:
    return copy_of_examples(tmp_path / "cli")


def same_bytes(served: Served, cli: Path, name: str = ELM) -> None:
    assert (served.folder / name).read_bytes() == (cli / name).read_bytes()
    assert (served.folder / name).read_bytes() != (EXAMPLES / Path(name).name).read_bytes()


def refusal(response) -> str:
    found = re.search(r'<div class="refused" role="alert">\s*<p>(.*?)</p>', response.text, re.S)
    assert found, response.text[-3000:]
    return unescape(found.group(1))


def notice(served: Served, response) -> str:
    assert response.status_code == 303, response.text[-3000:]
    page = served.get(response.headers["location"])
    return unescape(re.search(r'<p class="notice" role="status">(.*?)</p>', page.text, re.S).group(1))


# --- each form writes what its command writes ---------------------------------


def test_ticked_duties_done_write_what_mark_writes(served, tmp_path):
    cli = cli_copy(tmp_path)
    duties = ["follow-up.facilitator.debrief-with-director", "follow-up.facilitator.analyze-feedback"]
    done = run_in_process("mark", ELM, *duties, "--service", CALL, "--done", "--date", "2026-11-20", "--evidence", "Call notes", "--today", DAY, cwd=cli)
    assert done.returncode == 0, done.stderr
    answer = served.post(DUTIES, {"stage": "follow-up", "duty": duties, "action": "done", "date": "2026-11-20", "evidence": "Call notes", "scope": "ticked"})
    assert notice(served, answer) == "Recorded 2 Follow Up duties as done."
    same_bytes(served, cli)


def test_a_whole_stage_and_not_applicable_write_what_mark_writes(served, tmp_path):
    cli = cli_copy(tmp_path)
    for args in (["--stage", "delivery", "--done"], ["follow-up.leadership.revise-pd-plan", "--na", "No plan to revise"]):
        done = run_in_process("mark", ELM, "--service", CALL, *args, "--today", DAY, cwd=cli)
        assert done.returncode == 0, done.stderr
    assert served.post(DUTIES, {"stage": "delivery", "action": "done", "date": "", "evidence": "", "scope": "stage"}).status_code == 303
    answer = served.post(DUTIES, {"stage": "follow-up", "duty": "follow-up.leadership.revise-pd-plan", "action": "na", "reason": "No plan to revise", "scope": "ticked"})
    assert notice(served, answer) == "Marked 1 Follow Up duty not applicable."
    same_bytes(served, cli)


def test_the_report_form_writes_what_tast_writes(served, tmp_path):
    cli = cli_copy(tmp_path)
    done = run_in_process("tast", ELM, "--service", CALL, "--commendation", "The principal came prepared", "--commendation", "Data on time",
                          "--next-step", "Visit in December", "--today", DAY, cwd=cli)
    assert done.returncode == 0, done.stderr
    done = run_in_process("tast", ELM, "--service", CALL, "--complete", "--date", "2026-11-21", "--today", DAY, cwd=cli)
    assert done.returncode == 0, done.stderr
    draft = served.post(REPORT, {"section-commendations": "The principal came prepared\r\n\r\nData on time\r\n", "section-recommendations": "", "section-next_steps": "Visit in December", "action": "draft"})
    assert notice(served, draft) == "Saved 3 entries in the TAST Report."
    complete = served.post(REPORT, {"section-commendations": "", "section-recommendations": "", "section-next_steps": "", "action": "complete", "date": "2026-11-21"})
    assert notice(served, complete) == "Completed the TAST Report and marked its duty done."
    same_bytes(served, cli)


def test_the_service_form_writes_what_new_service_writes(served, tmp_path):
    cli = cli_copy(tmp_path)
    done = run_in_process("new", "service", ELM, "--date", "2026-11-20", "--type", "professional-development", "--mode", "virtual", "--hours", "1h30",
                          "--title", "Data review", "--topics", "data-teams,data-driven-decisions", "--today", DAY, cwd=cli)
    assert done.returncode == 0, done.stderr
    answer = served.post("/engagements/elm-street-data-teams/services/new/", {"date": "2026-11-20", "type": "professional-development", "mode": "virtual", "hours": "1h30",
                                                                               "title": "Data review", "topics": ["data-teams", "data-driven-decisions"], "id": ""})
    assert answer.headers["location"].startswith("/engagements/elm-street-data-teams/services/2026-11-20-data-review/duties/")
    same_bytes(served, cli)


def test_the_engagement_form_writes_what_new_engagement_writes(served, tmp_path, monkeypatch):
    cli = cli_copy(tmp_path)
    args = ["--tier", "targeted", "--recipient", "Oak Hill School", "--organization", "CREC", "--partner", "resc", "--facilitator", "Dana Ruiz", "--start", "2026-09-01", "--end", "2027-06-15",
            "--district", "Oak Hill", "--title-i"]
    done = run_in_process("new", "engagement", "Oak Hill data teams", "--dir", "engagements", *args, "--today", DAY, cwd=cli)
    assert done.returncode == 0, done.stderr
    answer = served.post("/new/", {"title": "Oak Hill data teams", "tier": "targeted", "recipient_kind": "school", "recipient": "Oak Hill School", "organization": "CREC",
                                   "partner": "resc", "facilitator": "Dana Ruiz", "start": "2026-09-01", "end": "2027-06-15",
                                   "district": "Oak Hill", "title_i": "yes", "in_need_of_improvement": ""})
    assert answer.headers["location"].startswith("/engagements/oak-hill-data-teams/")
    name = "engagements/oak-hill-data-teams.yaml"
    assert (served.folder / name).read_bytes() == (cli / name).read_bytes()
    assert "  district: Oak Hill\n  title_i: true\n  # in_need_of_improvement" in (cli / name).read_text(encoding="utf-8")
    assert served.get(answer.headers["location"]).status_code == 200


def test_the_plan_form_writes_the_elements_in_place(served):
    from ruamel.yaml import YAML

    page = served.get("/engagements/elm-street-data-teams/plan/")
    assert "A description or graphic representation of the relationship" in page.text  # each element's definition beside its field
    fields = dict(re.findall(r'<textarea[^>]* name="(el-[^"]+)"[^>]*>(.*?)</textarea>', page.text, re.S))
    fields = {name: unescape(value) for name, value in fields.items()}
    fields.update({name: unescape(value) for name, value in re.findall(r'<input type="text"[^>]* name="(el-[^"]+)" value="([^"]*)"', page.text)})
    for name, options in re.findall(r'<select[^>]* name="(el-[^"]+)">(.*?)</select>', page.text):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    before = (served.folder / ELM).read_text(encoding="utf-8")
    fields["el-logic_model-outcomes"] += "\nTeachers plan from data"
    answer = served.post("/engagements/elm-street-data-teams/plan/", fields)
    assert notice(served, answer) == "Saved Logic Model or Theory of Change in the plan."
    after = (served.folder / ELM).read_text(encoding="utf-8")
    data = YAML(typ="safe").load(after)
    assert data["plan"]["logic_model"]["outcomes"][-1] == "Teachers plan from data"
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ["    outcomes: [Instruction adjusted from CFA results, Higher reading proficiency in grades 3-5, Teachers plan from data]"]


def test_the_file_s_text_is_saved_refused_when_invalid_with_every_finding_and_kept(served):
    url = "/engagements/elm-street-data-teams/file/edit/"
    text = (served.folder / ELM).read_text(encoding="utf-8")
    broken = text.replace("tier: targeted", "tier: tarketed").replace("mode: on-site", "mode: onsite", 1)
    refused = served.post(url, {"text": broken.replace("\n", "\r\n")})
    assert refused.status_code == 422
    assert "tier" in refusal(refused) and refused.text.count('<li class="level-error">') >= 2
    assert "tier: tarketed" in unescape(refused.text)  # what was typed is kept
    assert (served.folder / ELM).read_text(encoding="utf-8") == text
    fixed = text.replace("title: Data Teams at Elm Street School", "title: Data Teams at Elm Street")
    assert served.post(url, {"text": fixed.replace("\n", "\r\n")}).status_code == 303
    assert (served.folder / ELM).read_text(encoding="utf-8") == fixed  # the file's own line endings


def test_a_file_saved_with_the_id_of_another_served_file_is_refused(served):
    """Two files with one id are what `tacli check` refuses (duplicate-id), and
    the reports of one would be filed over the other's: the save was written."""
    url = "/engagements/elm-street-data-teams/file/edit/"
    text = (served.folder / ELM).read_text(encoding="utf-8")
    other = next(path for path in sorted((served.folder / "engagements").glob("*.yaml")) if path.name != Path(ELM).name)
    other_id = re.search(r"(?m)^id: (\S+)$", other.read_text(encoding="utf-8")).group(1)
    taken = text.replace("id: elm-street-data-teams", f"id: {other_id}", 1)
    refused = served.post(url, {"text": taken})
    assert refused.status_code == 422
    said = refusal(refused)
    assert said.startswith(f"The id '{other_id}' is already the id of ") and other.name in said and said.endswith("Nothing was saved."), said
    assert (served.folder / ELM).read_text(encoding="utf-8") == text
    assert served.post(url, {"text": text.replace("id: elm-street-data-teams", "id: elm-street-data-teams-2", 1)}).status_code == 303  # an id of its own


# --- refusals -------------------------------------------------------------------


def test_refusals_say_what_to_do_keep_the_input_and_write_nothing(served):
    before = (served.folder / ELM).read_bytes()
    outside = served.post("/engagements/elm-street-data-teams/services/new/", {"date": "2027-08-01", "type": "professional-development", "mode": "on-site", "title": "Summer <b>institute</b>"})
    assert outside.status_code == 422
    assert refusal(outside).startswith("The date 2027-08-01 falls outside the engagement (2026-09-01 to 2027-06-15): give a date within it")
    assert 'value="Summer &lt;b&gt;institute&lt;/b&gt;"' in outside.text  # the input is kept, as text
    not_listed = served.post("/engagements/little-acorns-oec-coaching/services/new/", {"date": "2026-11-20", "type": "professional-development", "mode": "on-site"})
    assert not_listed.status_code in (400, 422)
    empty = served.post(REPORT, {"section-commendations": "", "section-recommendations": "", "section-next_steps": "", "action": "complete", "date": "today"})
    assert empty.status_code == 422 and "has nothing in Commendations, Recommendations, Next Steps: write them first (in this form too)" in refusal(empty)
    unconditional = served.post(DUTIES, {"stage": "follow-up", "duty": "follow-up.facilitator.debrief-with-director", "action": "na", "reason": "Away", "scope": "ticked"})
    assert unconditional.status_code == 422
    assert "not conditional" in refusal(unconditional) or "Not applicable is for the duties the standards make conditional" in refusal(unconditional)
    future = served.post(DUTIES, {"stage": "follow-up", "duty": "follow-up.facilitator.analyze-feedback", "action": "done", "date": "tomorrow", "scope": "ticked"})
    assert future.status_code == 422 and refusal(future).startswith("The date 2026-11-23 is after today (2026-11-22)")
    assert (served.folder / ELM).read_bytes() == before


def test_a_day_that_reads_two_ways_is_asked_back(served):
    asked = served.post(DUTIES, {"stage": "follow-up", "duty": "follow-up.facilitator.analyze-feedback", "action": "done", "date": "11/12/2026", "scope": "ticked"})
    assert asked.status_code == 422
    assert "could be 12 November 2026 or 11 December 2026" in refusal(asked)
    assert 'name="pick-date" value="2026-11-12"' in asked.text
    chosen = served.post(DUTIES, {"stage": "follow-up", "duty": "follow-up.facilitator.analyze-feedback", "action": "done", "date": "11/12/2026", "pick-date": "2026-11-17", "scope": "ticked"})
    assert chosen.status_code == 303
    assert "follow-up.facilitator.analyze-feedback: {status: done, date: 2026-11-17}" in (served.folder / ELM).read_text(encoding="utf-8")


def test_the_forms_are_checked_as_the_user_types_and_nothing_is_written(served):
    before = (served.folder / ELM).read_bytes()
    ok = served.post(DUTIES + "?check=1", {"stage": "follow-up", "duty": "follow-up.facilitator.analyze-feedback", "action": "done", "date": "yesterday", "scope": "ticked"})
    assert ok.status_code == 200 and "Ready to save" in ok.text
    early = served.post(DUTIES + "?check=1", {"stage": "follow-up", "duty": "follow-up.facilitator.analyze-feedback", "action": "done", "date": "2026-11-01", "scope": "ticked"})
    assert "before its service on 2026-11-17" in unescape(early.text)
    assert (served.folder / ELM).read_bytes() == before


def test_a_form_opened_before_the_file_changed_is_refused_and_keeps_what_was_typed(served, tmp_path):
    fields = served.form(DUTIES)
    done = run_in_process("mark", str(served.folder / ELM), "follow-up.facilitator.analyze-feedback", "--service", CALL, "--done", "--today", DAY)
    assert done.returncode == 0, done.stderr
    after_terminal = (served.folder / ELM).read_bytes()
    stale = served.client.post(DUTIES, data={**fields, "stage": "follow-up", "duty": "follow-up.facilitator.debrief-with-director", "action": "done",
                                            "evidence": "Notes typed in the browser", "scope": "ticked"}, follow_redirects=False)
    assert stale.status_code == 409
    assert refusal(stale).startswith("The file changed on disk since this page was opened")
    assert 'value="Notes typed in the browser"' in stale.text and 'value="follow-up.facilitator.debrief-with-director" id="duty-follow-up.facilitator.debrief-with-director" checked' in stale.text
    assert "+      follow-up.facilitator.analyze-feedback: {status: done, date: 2026-11-22}" in unescape(stale.text)  # what changed
    assert (served.folder / ELM).read_bytes() == after_terminal
    again = served.client.post(DUTIES, data={**dict(re.findall(r'<input type="hidden" name="(csrf|expected)" value="([^"]*)">', stale.text)), "stage": "follow-up",
                                            "duty": "follow-up.facilitator.debrief-with-director", "action": "done", "scope": "ticked"}, follow_redirects=False)
    assert again.status_code == 303


def test_a_form_page_is_told_when_its_file_changes(served):
    page = served.get(DUTIES)
    live = unescape(re.search(r'data-live="(/changes[^"]*)"', page.text).group(1))
    (served.folder / ELM).write_text((served.folder / ELM).read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    told = served.get(live)
    assert "This file changed on disk" in told.text


def test_a_view_page_reloads_when_a_file_changes_on_disk(served):
    page = served.get("/dashboard/")
    assert "Data Teams at Elm Street School" in page.text
    live = unescape(re.search(r'data-live="(/changes[^"]*)"', page.text).group(1))
    elm = served.folder / ELM
    elm.write_text(elm.read_text(encoding="utf-8").replace("title: Data Teams at Elm Street School", "title: Data Teams at Elm Street Academy"), encoding="utf-8")
    reload = served.get(live)
    assert reload.headers.get("hx-refresh") == "true"
    assert "Data Teams at Elm Street Academy" in served.get("/dashboard/").text


# --- read only, token, CSRF, Host, sizes ------------------------------------------------


def test_read_only_serves_the_pages_and_no_form(tmp_path, monkeypatch):
    monkeypatch.chdir(copy_of_examples(tmp_path))
    served = Served(tmp_path, read_only=True)
    before = (tmp_path / ELM).read_bytes()
    for url in ("/", "/dashboard/", "/engagements/", "/engagements/elm-street-data-teams/", "/engagements/elm-street-data-teams/file/"):
        page = served.get(url)
        assert page.status_code == 200 and "<form method=\"post\"" not in page.text and "Read only" in page.text, url
    assert "Record duties" not in served.get("/engagements/elm-street-data-teams/").text
    assert served.get(DUTIES).status_code in (404, 405)
    posted = served.client.post(DUTIES, data={"csrf": served.web.settings.access.csrf, "stage": "delivery", "scope": "stage", "action": "done"})
    assert posted.status_code in (404, 405)
    assert (tmp_path / ELM).read_bytes() == before


def test_the_token_opens_the_app_once_and_stays_in_a_cookie(tmp_path, monkeypatch):
    monkeypatch.chdir(copy_of_examples(tmp_path))
    served = Served(tmp_path, cookie=False)
    refused = served.get("/")
    assert refused.status_code == 403 and "tacli serve printed" in refused.text
    assert served.get("/?token=" + "x" * 32).status_code == 403
    opened = served.get(f"/engagements/?who=Dana&token={TOKEN}", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/engagements/?who=Dana"
    cookie = opened.headers["set-cookie"]
    assert cookie.startswith(f"tacli-serve-{PORT}={TOKEN}") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert served.get("/").status_code == 200  # the cookie the browser keeps
    assert served.get("/assets/htmx.min.js").status_code == 200


def test_a_post_without_this_server_s_csrf_value_is_refused(served):
    before = (served.folder / ELM).read_bytes()
    fields = {"stage": "delivery", "action": "done", "scope": "stage"}
    for csrf in (None, "0" * 64):
        data = {**fields, "expected": served.form(DUTIES)["expected"], **({"csrf": csrf} if csrf else {})}
        answer = served.client.post(DUTIES, data=data, follow_redirects=False)
        assert answer.status_code == 403 and "CSRF" in answer.text
    other_site = served.client.post(DUTIES, data={**served.form(DUTIES), **fields}, headers={"origin": "http://evil.example"}, follow_redirects=False)
    assert other_site.status_code == 403
    assert (served.folder / ELM).read_bytes() == before


def test_another_host_name_is_refused(served):
    for host in ("evil.example", "evil.example:8000", "127.0.0.1:8001", "localhost.evil.example:8000"):
        answer = served.get("/", headers={"host": host})
        assert answer.status_code == 400, host
    assert served.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_every_response_has_the_security_headers(served):
    for url in ("/", "/engagements/elm-street-data-teams/", "/assets/serve.js", "/nowhere"):
        headers = served.get(url).headers
        assert "script-src 'self'" in headers["content-security-policy"] and "default-src 'none'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"] and "unsafe-eval" not in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "same-origin"


def test_malformed_and_large_requests_are_refused_with_a_message(served):
    before = (served.folder / ELM).read_bytes()
    fields = served.form(DUTIES)
    body = f"csrf={fields['csrf']}&expected={fields['expected']}&stage=delivery&action=done&scope=stage"
    not_a_form = served.client.post(DUTIES, content=body.encode(), headers={"content-type": "application/json"})
    assert not_a_form.status_code == 400 and "URL-encoded" in unescape(not_a_form.text)
    not_utf8 = served.client.post(DUTIES, content=(body + "&evidence=%FF%FE").encode(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert not_utf8.status_code == 400 and "UTF-8" in not_utf8.text
    twice = served.client.post(DUTIES, content=(body + "&action=open").encode(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert twice.status_code == 400 and "sent 2 times" in unescape(twice.text)
    unknown = served.client.post(DUTIES, content=body.replace("stage=delivery", "stage=lunch").encode(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert unknown.status_code == 400
    from tacli.web.security import MAX_BODY

    huge = served.client.post(DUTIES, content=b"a" * (MAX_BODY + 1), headers={"content-type": "application/x-www-form-urlencoded"})
    assert huge.status_code == 413
    chunked = served.client.post(DUTIES, content=iter([b"a" * (MAX_BODY // 2)] * 3), headers={"content-type": "application/x-www-form-urlencoded"})
    assert chunked.status_code == 413
    assert served.client.request("DELETE", DUTIES).status_code == 405
    assert (served.folder / ELM).read_bytes() == before
    for text in (not_a_form.text, not_utf8.text, twice.text):
        assert "Traceback" not in text


def test_ids_in_addresses_are_looked_up_never_joined_into_paths(served):
    for url in ("/engagements/..%2F..%2Fetc%2Fpasswd/", "/engagements/elm-street-data-teams/..%2F..%2Fpyproject.toml", "/assets/..%2F..%2F__init__.py",
                "/engagements/elm-street-data-teams/services/..%2Fx/duties/", "/exports/..%2Fsecret.csv"):
        answer = served.get(url)
        assert answer.status_code == 404, url


# --- what the pages show ---------------------------------------------------------------


HOSTILE = '</script><script>alert(1)</script> & "quoted" \u202e'


def test_hostile_text_is_shown_never_run(served):
    import html5lib

    elm = served.folder / ELM
    quoted = '"' + HOSTILE.replace('"', '\\"').replace("\u202e", "\\u202E") + '"'
    text = elm.read_text(encoding="utf-8").replace("title: Data Teams at Elm Street School", f"title: {quoted}")
    text = text.replace("title: Check-in call with the principal", f"title: {quoted}")
    elm.write_text(text, encoding="utf-8")
    for url in ("/", "/?who=", "/engagements/", "/dashboard/", "/engagements/elm-street-data-teams/", DUTIES, REPORT, "/engagements/elm-street-data-teams/file/",
                f"/engagements/elm-street-data-teams/{CALL}-tast.html", "/engagements/elm-street-data-teams/plan/"):
        page = served.get(url)
        assert page.status_code == 200, url
        assert "<script>alert" not in page.text and "\u202e" not in page.text, url
        html5lib.HTMLParser(strict=True).parse(page.text)
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in served.get("/engagements/elm-street-data-teams/").text


def test_this_week_lists_what_is_due_with_the_page_that_records_it(served):
    page = served.get("/?who=")
    text = unescape(page.text)
    assert "Overdue" in text and "Record this duty" in text
    assert f'href="/engagements/elm-street-data-teams/services/{CALL}/duties/#stage-delivery"' in page.text
    assert f'href="/engagements/elm-street-data-teams/services/{CALL}/report/"' in page.text
    due = run_in_process("due", "engagements", "--facilitator", "", "--format", "json", "--today", DAY, cwd=served.folder)
    import json

    items = json.loads(due.stdout)["items"]
    assert text.count("<tr") - text.count("<tr>\n<th") >= len(items) > 0
    mine = unescape(served.get("/").text)  # `me` is not set: everyone's
    assert mine.count("<tr") == text.count("<tr")
    ruiz = unescape(served.get("/?who=Dana+Ruiz").text)
    assert "Dana Ruiz" in ruiz and "Riverside" not in ruiz.split("<main")[1]


def test_the_engagement_page_has_the_status_and_each_finding_beside_its_part(served):
    page = unescape(served.get("/engagements/elm-street-data-teams/").text)
    assert "Where it stands on 2026-11-22" in page
    rows = page.split('<td data-label="Service">Check-in call with the principal</td>')[1].split("</tbody>")[0]
    assert '<tr class="service-findings">' in rows and "request-evaluation-forms" in rows  # the service's findings under its row
    assert "services/new/" in page and "plan/" in page


def test_exports_download(served):
    answer = served.get("/exports/services.csv")
    assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
    assert answer.content.startswith(b"\xef\xbb\xbf") and b"2026-11-17-principal-call" in answer.content
    workbook = served.get("/exports/duties.xlsx")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"


def test_a_file_that_cannot_be_used_is_listed_to_fix_and_can_be_fixed(served):
    elm = served.folder / ELM
    good = elm.read_text(encoding="utf-8")
    elm.write_text(good.replace("planning.facilitator.communicate-logistics:", "planning.facilitator.comunicate-logistics:", 1), encoding="utf-8")
    week = unescape(served.get("/?who=").text)
    assert "To fix first" in week and "Fix the file" in week
    listed = served.get("/engagements/")
    key = re.search(r'href="/engagements/([^/"]+)/file/"', listed.text).group(1)
    assert served.get(f"/engagements/{key}/", follow_redirects=False).status_code == 303
    assert "comunicate-logistics" in unescape(served.get(f"/engagements/{key}/file/").text)
    assert served.post(f"/engagements/{key}/file/edit/", {"text": good}).status_code == 303
    assert served.get("/engagements/elm-street-data-teams/").status_code == 200


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_with_commit_each_save_is_a_commit_that_says_what_was_recorded(tmp_path, monkeypatch):
    folder = copy_of_examples(tmp_path)
    monkeypatch.chdir(folder)
    env = {"GIT_AUTHOR_NAME": "Dana Ruiz", "GIT_AUTHOR_EMAIL": "dana@example.org", "GIT_COMMITTER_NAME": "Dana Ruiz", "GIT_COMMITTER_EMAIL": "dana@example.org"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "The examples"]):
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)
    served = Served(folder, commit=True)
    answer = served.post(DUTIES, {"stage": "delivery", "action": "done", "date": "", "evidence": "", "scope": "stage"})
    assert "Committed as" in notice(served, answer)
    log = subprocess.run(["git", "log", "-1", "--format=%s", "--", ELM], cwd=folder, capture_output=True, text=True).stdout.strip()
    assert log == f"Record 1 Delivery duty for {CALL}"
    assert subprocess.run(["git", "status", "--porcelain"], cwd=folder, capture_output=True, text=True).stdout == ""
    history = unescape(served.get("/engagements/elm-street-data-teams/history/").text)
    assert f"Record 1 Delivery duty for {CALL}" in history and "Nothing: the file is as its last commit." in history
    (folder / ELM).write_text((folder / ELM).read_text(encoding="utf-8") + "# not committed\n", encoding="utf-8")
    assert "+# not committed" in unescape(served.get("/engagements/elm-street-data-teams/history/").text)


def test_version_and_help_load_no_web_module():
    code = (
        "import sys\n"
        "from tacli.cli import app as cli\n"
        "for args in (['--version'], ['--help'], ['serve', '--help']):\n"
        "    try:\n"
        "        cli.app(args, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn', 'watchfiles', 'anyio', 'h11'} | {m for m in sys.modules if m.startswith('tacli.web')}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "[]", result.stdout + result.stderr


def test_another_host_warns_and_answers_only_to_this_machine_s_names(tmp_path, monkeypatch, capsys):
    """--host elsewhere: a warning, the key needed as always, and the Host check
    allowing the names this machine gives itself (never any name)."""
    import uvicorn

    from tacli.commands import CommonOptions
    from tacli.web.serve import ServeOptions, names_of, run

    monkeypatch.chdir(copy_of_examples(tmp_path))
    ran = {}

    def pretend(self, sockets=None):
        ran["access"] = self.config.app.web.settings.access
        self.started = True

    monkeypatch.setattr(uvicorn.Server, "run", pretend)
    said = []
    outcome = run(ServeOptions(CommonOptions(today=DAY), ("engagements",), host="0.0.0.0", port=0), say=said.append)
    assert outcome.code == 0
    assert "warning: listening on 0.0.0.0" in capsys.readouterr().err
    assert "?token=" in said[0]
    access = ran["access"]
    assert not access.host_ok(f"evil.example:{access.port}") and access.host_ok(f"127.0.0.1:{access.port}")
    import socket

    assert set(names_of("0.0.0.0")) >= {socket.gethostname()}
    with pytest.raises(Exception, match="token must be at least 16"):
        run(ServeOptions(CommonOptions(today=DAY), ("engagements",), host="0.0.0.0", port=0, token="short"), say=said.append)


def test_a_path_that_is_not_there_is_a_usage_error_before_anything_listens(run_tacli, tmp_path):
    done = run_tacli("serve", "nowhere", "--port", "0", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "tacli: error: nowhere: no such file or folder\n"


def test_a_second_stop_signal_inside_the_first_ones_handler_does_not_wait_for_it():
    """Two SIGTERMs at once (`pkill -f tacli` matching a wrapper too): Python
    runs the second handler while the first is inside Event.set, holding its
    lock, which is not re-entrant. Here the first handler's event calls the
    second handler from within its lock, on another thread (a wait there is
    seen, not a hang of the test)."""
    import signal
    import threading
    from types import SimpleNamespace

    from tacli.web.serve import on_stop_signal

    server, event, second_returned = SimpleNamespace(should_exit=False, force_exit=False), threading.Event(), []

    class SameEvent:  # what the second handler sees: the same event, whose set takes the same lock
        def set(self):
            with event._cond:
                event._flag = True

    class InterruptedWhileSetting:
        def set(self):
            with event._cond:  # what Event.set holds
                second = threading.Thread(target=lambda: (on_stop_signal(server, SameEvent(), signal.SIGTERM), second_returned.append(True)), daemon=True)
                second.start()
                second.join(5)
                event._flag = True

    on_stop_signal(server, InterruptedWhileSetting(), signal.SIGTERM)
    assert second_returned == [True], "the second signal's handler waited for the first one's lock"
    assert server.should_exit and event.is_set() and not server.force_exit
    on_stop_signal(server, event, signal.SIGINT)  # a second Ctrl+C: stop at once
    assert server.force_exit


@pytest.mark.parametrize("rows", ["99999999999999999999", "²", "-1"])
def test_a_count_of_rows_sent_with_the_plan_form_is_not_trusted(served, rows):
    """The people of a plan element are the rows whose fields the form holds: a
    huge count sent with it kept the whole server busy for ever (Ctrl+C and
    SIGTERM did nothing), and `²` was a 500."""
    url = "/engagements/elm-street-data-teams/plan/"
    fields = {"el-staff_roles-rows": rows, "el-staff_roles-0-name": "Dana Ruiz", "el-staff_roles-0-role": ""}
    status = within(30, lambda: served.post(url + "?check=1", fields).status_code)  # in a child process: the old code never answered
    assert status in (200, 422)


def test_a_served_file_that_is_a_link_to_a_file_outside_the_folder_is_not_read_or_written(tmp_path, monkeypatch):
    """A repository can carry `x.yaml -> ../../elsewhere.yaml`: a facilitator's
    save through serve changed the file elsewhere."""
    folder = copy_of_examples(tmp_path / "web")
    outside = tmp_path / "outside.yaml"
    (folder / "engagements" / "hartford-data-webinars.yaml").rename(outside)
    (folder / "engagements" / "hartford-data-webinars.yaml").symlink_to(outside)
    before = outside.read_bytes()
    monkeypatch.chdir(folder)
    served = Served(folder)
    listed = served.get("/engagements/")
    assert listed.status_code == 200
    assert "not served: it is a link to" in unescape(listed.text) and "outside the folder served" in unescape(listed.text)
    csrf = served.form("/engagements/elm-street-data-teams/services/new/")["csrf"]  # the session's: a form of another file gives it
    added = served.client.post("/engagements/hartford-data-webinars/services/new/", data={"csrf": csrf, "date": "2026-11-20", "type": "telephone-ta", "mode": "virtual"},
                               follow_redirects=False)
    assert added.status_code in (404, 422), added.status_code
    key = next(entry.key for entry in served.web.workspace.entries() if entry.name.endswith("hartford-data-webinars.yaml"))
    for page in (f"/engagements/{key}/file/", f"/engagements/{key}/file/edit/"):  # its "Fix the file" page was the editor of the file elsewhere
        shown = served.get(page)
        assert shown.status_code == 404 and "Data-driven decision making webinars" not in shown.text, page
    sent = served.client.post(f"/engagements/{key}/file/edit/", data={"csrf": csrf, "text": "tacli: 1\n"}, follow_redirects=False)
    assert sent.status_code == 404
    assert outside.read_bytes() == before


def test_a_save_to_a_file_gone_meanwhile_gives_back_what_was_typed(served):
    """The file was moved away while its text was being edited: the 404 held
    no text box, and everything typed was lost."""
    url = "/engagements/elm-street-data-teams/file/edit/"
    fields = served.form(url)
    typed = (served.folder / ELM).read_text(encoding="utf-8").replace("title: Data Teams at Elm Street School", "title: Typed <b>by hand</b>")
    (served.folder / ELM).rename(served.folder / "elsewhere.yaml")
    gone = served.client.post(url, data={**fields, "text": typed}, follow_redirects=False)
    assert gone.status_code == 404
    assert "Nothing was saved; what you sent is below, to copy." in unescape(gone.text)
    kept = re.search(r'<textarea id="sent" readonly rows="12">(.*?)</textarea>', gone.text, re.S)
    assert kept is not None and unescape(kept.group(1)) == typed
