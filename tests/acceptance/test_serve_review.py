"""tacli serve where two people, or two tabs, meet the same file, and where a
file or a request is not what a page expects: a save after a refusal never
writes over the other person's change, a file in another encoding keeps its
characters, addresses follow a file whose id changes, and what the server says
and answers at its edges (redirects, origins, keys, git, disconnections)."""

from __future__ import annotations

import re
from html import unescape

import pytest


pytest.importorskip("starlette.testclient", reason="pip install '.[test]' (httpx2 for Starlette's test client)")

from conftest import run_in_process  # noqa: E402
from test_serve import DUTIES, ELM, Served, copy_of_examples, notice, refusal  # noqa: E402

PLAN = "/engagements/elm-street-data-teams/plan/"
EDIT = "/engagements/elm-street-data-teams/file/edit/"


@pytest.fixture
def served(tmp_path, monkeypatch):
    monkeypatch.chdir(copy_of_examples(tmp_path / "web"))
    return Served(tmp_path / "web")


def fields_of(text: str) -> dict:
    """Every field of the (first) form of a page, as a browser sends it."""
    fields: dict = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', text):
        fields[name] = unescape(value)
    for name, value in re.findall(r'<textarea[^>]* name="([^"]+)"[^>]*>\n?(.*?)</textarea>', text, re.S):
        fields[name] = unescape(value)
    for name, value in re.findall(r'<input type="text"[^>]* name="([^"]+)" value="([^"]*)"', text):
        fields[name] = unescape(value)
    for name, options in re.findall(r'<select[^>]* name="([^"]+)">(.*?)</select>', text):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def post(served: Served, url: str, fields: dict):
    return served.client.post(url, data=fields, follow_redirects=False)


# --- 1. a save after a refusal writes only what the user changed ---------------------------


def test_the_plan_saved_again_after_a_refusal_keeps_the_other_person_s_change(served):
    fields = fields_of(served.get(PLAN).text)
    elm = served.folder / ELM
    theirs = elm.read_text(encoding="utf-8").replace("- Data Teams facilitator guide", "- Data Teams facilitator guide, second edition")
    elm.write_text(theirs, encoding="utf-8")  # someone else, in an editor
    fields["el-logic_model-outcomes"] += "\nTeachers plan from data"
    stale = post(served, PLAN, fields)
    assert stale.status_code == 409
    again = fields_of(stale.text)
    assert "Teachers plan from data" in again["el-logic_model-outcomes"]  # what was typed is kept
    assert "second edition" in again["el-ta_resources"]  # the other change is shown, not the page's old text
    assert post(served, PLAN, again).status_code == 303
    after = elm.read_text(encoding="utf-8")
    assert "Data Teams facilitator guide, second edition" in after and "Teachers plan from data" in after


def test_the_plan_form_writes_only_the_elements_the_user_changed(served):
    fields = fields_of(served.get(PLAN).text)
    elm = served.folder / ELM
    before = elm.read_text(encoding="utf-8")
    fields["el-fit_assessments"] += " And more."
    answer = post(served, PLAN, fields)
    assert notice(served, answer) == "Saved Fit Assessments in the plan."
    changed = [line for line in elm.read_text(encoding="utf-8").splitlines() if line not in before.splitlines()]
    assert len(changed) == 1 and "And more." in changed[0]


def test_the_file_s_editor_refuses_to_replace_a_file_changed_since_it_was_opened_until_confirmed(served):
    fields = fields_of(served.get(EDIT).text)
    elm = served.folder / ELM
    theirs = elm.read_text(encoding="utf-8").replace("title: Data Teams at Elm Street School", "title: Data Teams at Elm Street Academy")
    elm.write_text(theirs, encoding="utf-8")
    fields["text"] = fields["text"].replace("Grade 3 reading proficiency", "Grade 3 and 4 reading proficiency")
    stale = post(served, EDIT, fields)
    assert stale.status_code == 409 and refusal(stale).startswith("The file changed on disk since you opened it")
    text = unescape(stale.text)
    assert "+title: Data Teams at Elm Street Academy" in text  # what changed on disk
    assert "-title: Data Teams at Elm Street Academy" in text and "+title: Data Teams at Elm Street School" in text  # what saving would undo
    assert elm.read_text(encoding="utf-8") == theirs
    again = fields_of(stale.text)
    assert post(served, EDIT, again).status_code == 409  # saving again as it is: still refused
    assert elm.read_text(encoding="utf-8") == theirs
    replace = re.search(r'<button type="submit" name="replace" value="([0-9a-f]+)"', stale.text).group(1)
    assert post(served, EDIT, {**again, "replace": replace}).status_code == 303  # the explicit "replace anyway"
    assert "Grade 3 and 4 reading proficiency" in elm.read_text(encoding="utf-8")


def test_a_post_without_the_file_s_version_is_refused(served):
    before = (served.folder / ELM).read_bytes()
    fields = served.form(DUTIES)
    del fields["expected"]
    answer = post(served, DUTIES, {**fields, "stage": "delivery", "action": "done", "scope": "stage"})
    assert answer.status_code == 400 and "which version of the file" in unescape(answer.text)
    text = served.form(EDIT)
    del text["expected"]
    assert post(served, EDIT, {**text, "text": "id: x\n"}).status_code == 400
    assert (served.folder / ELM).read_bytes() == before


# --- 2. a file in another encoding keeps its characters --------------------------------------


def test_a_windows_1252_file_is_shown_and_saved_with_its_characters(served):
    elm = served.folder / ELM
    text = elm.read_text(encoding="utf-8").replace("title: Data Teams at Elm Street School", "title: Data Teams at Elm Street School – café")
    elm.write_bytes(text.encode("cp1252"))
    listed = served.get("/engagements/")
    key = re.search(r'href="/engagements/([^/"]+)/file/"', listed.text).group(1)
    page = served.get(f"/engagements/{key}/file/edit/")
    fields = fields_of(page.text)
    assert "Elm Street School – café" in fields["text"] and "\ufffd" not in fields["text"]
    assert "Windows-1252" in page.text
    answer = post(served, f"/engagements/{key}/file/edit/", fields)
    assert answer.status_code == 303, refusal(answer)
    assert elm.read_bytes() == text.encode("utf-8")  # the same characters, in UTF-8, which tacli reads
    assert "Windows-1252" in notice(served, answer)


def test_text_holding_u_fffd_the_file_does_not_hold_is_refused(served):
    elm = served.folder / ELM
    before = elm.read_bytes()
    fields = fields_of(served.get(EDIT).text)
    fields["text"] = fields["text"].replace("Elm Street School", "Elm Street Sch\ufffdol")
    answer = post(served, EDIT, fields)
    assert answer.status_code == 422 and "U+FFFD" in refusal(answer)
    assert elm.read_bytes() == before


# --- 3. addresses follow the file: a fix, a new id, a copy --------------------------------------


def test_a_broken_file_fixed_in_the_editor_leads_to_its_page(served):
    elm = served.folder / ELM
    good = elm.read_text(encoding="utf-8")
    elm.write_text(good.replace("tier: targeted", "tier: [targeted"), encoding="utf-8")  # not even YAML: no id to key it by
    key = re.search(r'href="/engagements/(file-[^/"]+)/file/"', served.get("/engagements/").text).group(1)
    answer = served.post(f"/engagements/{key}/file/edit/", {"text": good})
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/engagements/elm-street-data-teams/file/")
    assert served.get(answer.headers["location"]).status_code == 200
    old = served.get(f"/engagements/{key}/", follow_redirects=False)  # a bookmark of the broken file's page
    assert old.status_code == 303 and old.headers["location"] == "/engagements/elm-street-data-teams/"


def test_an_engagement_given_another_id_is_found_under_it(served):
    fields = fields_of(served.get(EDIT).text)
    fields["text"] = fields["text"].replace("id: elm-street-data-teams", "id: elm-street-data-teams-2026", 1)
    answer = post(served, EDIT, fields)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/engagements/elm-street-data-teams-2026/file/")
    old = served.get(DUTIES, follow_redirects=False)
    assert old.status_code == 303 and old.headers["location"] == DUTIES.replace("elm-street-data-teams", "elm-street-data-teams-2026")


def test_a_copy_of_a_file_keeps_the_original_s_address_and_is_warned_of(served):
    assert served.get("/engagements/elm-street-data-teams/").status_code == 200
    (served.folder / "engagements" / "a-copy-of-elm.yaml").write_bytes((served.folder / ELM).read_bytes())  # sorts first
    page = served.get("/engagements/elm-street-data-teams/")
    assert page.status_code == 200 and "<h1>Data Teams at Elm Street School" in unescape(page.text).replace("\n", "")
    text = unescape(page.text)
    assert "2 files have the engagement id elm-street-data-teams" in re.sub(r"<[^>]+>", "", text)
    assert 'href="/engagements/elm-street-data-teams~2/file/"' in page.text
    assert served.get(DUTIES).status_code == 200  # the form open in another tab still saves to the original


# --- 4. a day that reads two ways: the choice stays ----------------------------------------------


def test_the_choice_of_a_day_that_reads_two_ways_stays_when_the_live_check_runs_again(served):
    url = "/engagements/elm-street-data-teams/services/new/"
    fields = {"date": "11/12/2026", "type": "professional-development", "mode": "virtual", "hours": "1", "title": "Data review", "id": ""}
    asked = served.post(url + "?check=1", fields)
    assert 'name="pick-date" value="2026-11-12"' in asked.text and "Ready" not in asked.text
    chosen = served.post(url + "?check=1", {**fields, "pick-date": "2026-11-12"})
    assert "Ready to save" in chosen.text
    assert 'name="pick-date" value="2026-11-12" checked' in chosen.text and 'name="pick-date" value="2026-12-11">' in chosen.text
    retyped = served.post(url + "?check=1", {**fields, "date": "2026-11-10", "pick-date": "2026-11-12"})  # a choice of a day typed before
    assert "Ready to save" in retyped.text and "pick-date" not in retyped.text
    saved = served.post(url, {**fields, "date": "2026-11-10", "pick-date": "2026-11-12"})
    assert saved.status_code == 303 and "2026-11-10-data-review" in saved.headers["location"]


# --- 6. the edges: redirects, origins, keys, stalled bodies ---------------------------------------


def test_the_key_s_redirect_stays_on_this_server(tmp_path, monkeypatch):
    from test_serve import TOKEN

    monkeypatch.chdir(copy_of_examples(tmp_path))
    served = Served(tmp_path, cookie=False)
    for path, expected in (("//evil.example/", "/evil.example/"), ("/\\evil.example/", "/evil.example/"), ("///evil.example/x", "/evil.example/x")):
        opened = served.client.get(f"http://127.0.0.1:8000{path}?token={TOKEN}", follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == expected, path


def test_a_post_from_another_scheme_is_refused(served):
    before = (served.folder / ELM).read_bytes()
    fields = {**served.form(DUTIES), "stage": "delivery", "action": "done", "scope": "stage"}
    for origin in ("https://127.0.0.1:8000", "ftp://127.0.0.1:8000", "null"):
        answer = served.client.post(DUTIES, data=fields, headers={"origin": origin}, follow_redirects=False)
        assert answer.status_code == 403, origin
    assert (served.folder / ELM).read_bytes() == before
    assert served.client.post(DUTIES, data=fields, headers={"origin": "http://127.0.0.1:8000"}, follow_redirects=False).status_code == 303


def test_a_weak_key_in_tacli_serve_token_is_refused_with_what_to_do(run_tacli, tmp_path, monkeypatch):
    copy_of_examples(tmp_path)
    for weak, says in (("short-key", "TACLI_SERVE_TOKEN must be at least 16"), ("a" * 40, "TACLI_SERVE_TOKEN is too easy to guess")):
        done = run_tacli("serve", "engagements", "--port", "0", cwd=tmp_path, env={"TACLI_SERVE_TOKEN": weak})
        assert done.returncode == 2 and says in done.stderr and "secrets.token_urlsafe" in done.stderr, done.stderr


def asgi_post(served: Served, path: str, receive):
    """Send one POST straight to the app with `receive`; the statuses it answered."""
    import asyncio

    answers = []

    async def send(message):
        answers.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
             "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"127.0.0.1:8000"), (b"cookie", f"tacli-serve-8000={served.web.settings.access.token}".encode()), (b"content-type", b"application/x-www-form-urlencoded")]}

    async def run():
        await asyncio.wait_for(served.app(scope, receive, send), 5)

    asyncio.run(run())
    return [message["status"] for message in answers if message["type"] == "http.response.start"]


def test_a_body_that_stalls_is_let_go(served, monkeypatch):
    import asyncio

    from tacli.web import security

    monkeypatch.setattr(security, "BODY_SECONDS", 0.05)
    fields = served.form(DUTIES)
    sent = []

    async def stalled():  # an ASGI receive that sends half a body, then nothing
        if not sent:
            sent.append(1)
            return {"type": "http.request", "body": f"csrf={fields['csrf']}&".encode(), "more_body": True}
        await asyncio.sleep(3600)

    assert asgi_post(served, DUTIES, stalled) == [408]  # returns: the request is let go, not held for an hour


# --- 8. a browser that goes, a server that stops -------------------------------------------------


def test_a_browser_that_goes_mid_request_is_no_internal_error(served, capsys):
    async def gone():
        return {"type": "http.disconnect"}

    assert asgi_post(served, DUTIES, gone) == [400]
    assert "internal error" not in capsys.readouterr().err


def test_a_request_in_flight_when_the_server_stops_ends_quietly(served, capsys):
    import asyncio

    async def waiting():
        await asyncio.sleep(3600)

    served.web.stopping.set()
    assert asgi_post(served, DUTIES, waiting) == [408]  # let go at once, not at the end of the grace period

    async def cancelled(scope, receive, send):
        raise asyncio.CancelledError()

    served.app.app, inner = cancelled, served.app.app
    try:
        assert asgi_post(served, DUTIES, waiting) == []  # cancelled by uvicorn after the grace period: no traceback
    finally:
        served.app.app = inner
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.slow
def test_stopping_with_a_request_in_flight_prints_no_traceback_and_exits_0(tmp_path):
    import os
    import signal
    import socket
    import subprocess
    import time

    from conftest import _test_environment, tacli_command

    copy_of_examples(tmp_path)
    key = "Stop-test-key-0123456789abcdef"
    process = subprocess.Popen(tacli_command() + ["serve", "engagements", "--port", "0", "--today", "2026-11-22", "--no-browser"], cwd=tmp_path,
                               env={**_test_environment(None), "TACLI_SERVE_TOKEN": key}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        address = None
        while address is None:
            line = process.stdout.readline()
            assert line, process.stderr.read()
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            address = int(found.group(1)) if found else None
        held = socket.create_connection(("127.0.0.1", address))
        held.sendall(f"POST /engagements/elm-street-data-teams/plan/ HTTP/1.1\r\nHost: 127.0.0.1:{address}\r\nCookie: tacli-serve-{address}={key}\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncsrf=x&".encode())
        time.sleep(0.5)
        os.kill(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=30)
        held.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "ERROR" not in err, err


# --- 7. --commit: no hook runs, a late commit counts, a failed one leaves nothing staged -----------


def git_repository(folder, monkeypatch):
    import subprocess

    for name, value in {"GIT_AUTHOR_NAME": "Dana Ruiz", "GIT_AUTHOR_EMAIL": "dana@example.org", "GIT_COMMITTER_NAME": "Dana Ruiz", "GIT_COMMITTER_EMAIL": "dana@example.org"}.items():
        monkeypatch.setenv(name, value)
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "The examples"]):
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def git(folder, *args) -> str:
    import subprocess

    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True).stdout


needs_git = pytest.mark.skipif(__import__("shutil").which("git") is None, reason="git is not installed")


@needs_git
def test_with_commit_no_hook_of_the_repository_runs(tmp_path, monkeypatch):
    folder = copy_of_examples(tmp_path)
    monkeypatch.chdir(folder)
    git_repository(folder, monkeypatch)
    hooks = folder / ".git" / "hooks"
    for hook in ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"):
        (hooks / hook).write_text(f"#!/bin/sh\necho ran >> '{folder / 'hooks-ran'}'\n", encoding="utf-8")
        (hooks / hook).chmod(0o755)
    served = Served(folder, commit=True)
    answer = served.post(DUTIES, {"stage": "delivery", "action": "done", "date": "", "evidence": "", "scope": "stage"})
    said = notice(served, answer)
    assert "Committed as" in said and said.count("Saved") + said.count("Recorded") == 1
    assert not (folder / "hooks-ran").exists()


@needs_git
def test_a_commit_that_does_not_finish_in_time_counts_when_it_was_made_and_else_leaves_nothing_staged(tmp_path, monkeypatch):
    import subprocess

    from tacli.write import git as gitmodule
    from tacli.write.git import GitError, commit_file

    folder = copy_of_examples(tmp_path)
    monkeypatch.chdir(folder)
    git_repository(folder, monkeypatch)
    real = subprocess.run
    made = []

    def late(command, *args, **kwargs):  # the commit runs, then git is "too slow" to say so
        done = real(command, *args, **kwargs)
        if "commit" in command:
            made.append(done)
            raise subprocess.TimeoutExpired(command, 30)
        return done

    elm = folder / ELM
    elm.write_text(elm.read_text(encoding="utf-8") + "# one\n", encoding="utf-8")
    monkeypatch.setattr(gitmodule.subprocess, "run", late)
    commit = commit_file(elm, "Add a note")
    assert made and git(folder, "log", "-1", "--format=%h %s").strip() == f"{commit} Add a note"

    def refused(command, *args, **kwargs):  # the commit does not happen
        if "commit" in command:
            raise subprocess.TimeoutExpired(command, 30)
        return real(command, *args, **kwargs)

    elm.write_text(elm.read_text(encoding="utf-8") + "# two\n", encoding="utf-8")
    monkeypatch.setattr(gitmodule.subprocess, "run", refused)
    with pytest.raises(GitError, match="did not finish"):
        commit_file(elm, "Add another note")
    assert git(folder, "diff", "--cached", "--name-only") == ""  # nothing left staged
    assert git(folder, "log", "-1", "--format=%s").strip() == "Add a note"
    assert git(folder, "status", "--porcelain").strip() == f"M {ELM}"


@needs_git
def test_a_commit_that_fails_leaves_the_user_s_own_staged_version_staged(tmp_path, monkeypatch):
    import subprocess

    from tacli.write import git as gitmodule
    from tacli.write.git import GitError, commit_file

    folder = copy_of_examples(tmp_path)
    monkeypatch.chdir(folder)
    git_repository(folder, monkeypatch)
    elm = folder / ELM
    elm.write_text(elm.read_text(encoding="utf-8") + "# staged by hand\n", encoding="utf-8")
    git(folder, "add", "--", ELM)
    staged = git(folder, "ls-files", "-s", "--", ELM)
    elm.write_text(elm.read_text(encoding="utf-8") + "# saved by tacli\n", encoding="utf-8")
    real = subprocess.run

    def refused(command, *args, **kwargs):  # the commit does not happen
        if "commit" in command:
            raise subprocess.TimeoutExpired(command, 30)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(gitmodule.subprocess, "run", refused)
    with pytest.raises(GitError):
        commit_file(elm, "Add a note")
    assert git(folder, "ls-files", "-s", "--", ELM) == staged  # the version the user staged, not tacli's
    assert elm.read_text(encoding="utf-8").endswith("# saved by tacli\n")


@needs_git
def test_a_save_not_committed_says_saved_once(tmp_path, monkeypatch):
    folder = copy_of_examples(tmp_path)  # no repository
    monkeypatch.chdir(folder)
    served = Served(folder, commit=True)
    said = notice(served, served.post(DUTIES, {"stage": "delivery", "action": "done", "date": "", "evidence": "", "scope": "stage"}))
    assert said.startswith("Recorded 1 Delivery duty as done. It is dated 2026-11-17, the day of the service, not today: Delivery duties are done at the service;"), said
    assert "give the date for the day it was done. Not committed: " in said and "Saved" not in said, said


# --- 9. what the pages say, and how they look -------------------------------------------------------


def test_a_title_taken_says_what_to_do_in_the_form_s_words(served):
    fields = {"title": "Data Teams at Elm Street", "tier": "targeted", "recipient_kind": "school", "recipient": "Elm Street School", "organization": "CREC",
              "partner": "resc", "facilitator": "Dana Ruiz", "start": "2026-09-01", "end": "2027-06-15"}
    (served.folder / "engagements" / "data-teams-at-elm-street.yaml").write_text("# taken\n", encoding="utf-8")
    taken = served.post("/new/", fields)
    assert taken.status_code == 422
    said = refusal(taken)
    assert said == "engagements/data-teams-at-elm-street.yaml already exists: choose another title or id (the form never writes over a file that is there)", said
    assert "overwrite it with" not in said and "or the title" not in said


def test_a_title_in_another_script_asks_for_the_id_field_and_takes_it(served):
    fields = {"title": "北京数据团队", "tier": "targeted", "recipient_kind": "school", "recipient": "北京学校", "organization": "CREC",
              "partner": "resc", "facilitator": "Dana Ruiz", "start": "2026-09-01", "end": "2027-06-15"}
    refused = served.post("/new/", fields)
    assert refused.status_code == 422
    said = refusal(refused)
    assert said == ("The title '北京数据团队' has no Latin letters to make an id and a file name from: give the engagement an id of lower-case "
                    "Latin letters, digits and hyphens in the Id field, as beijing-data-teams"), said
    made = served.post("/new/", {**fields, "id": "beijing-data-teams"})
    assert made.status_code in (200, 303), made.text
    text = (served.folder / "engagements" / "beijing-data-teams.yaml").read_text(encoding="utf-8")
    assert "id: beijing-data-teams\n" in text and "北京数据团队" in text


def test_refusals_name_duties_and_stages_in_words_not_ids(served):
    early = served.post(DUTIES, {"stage": "follow-up", "duty": "follow-up.facilitator.analyze-feedback", "action": "done", "date": "2026-11-01", "scope": "ticked"})
    said = refusal(early)
    assert "“Analyze feedback for future use”" in said and "follow-up.facilitator.analyze-feedback" not in said, said
    done = served.post(DUTIES, {"stage": "delivery", "action": "done", "date": "", "evidence": "", "scope": "stage"})
    assert done.status_code == 303
    again = served.post(DUTIES, {"stage": "delivery", "action": "done", "date": "", "evidence": "", "scope": "stage"})
    said = refusal(again)
    assert "Delivery duties" in said and " delivery duties" not in said, said


def test_a_page_that_is_not_there_or_not_served_has_the_frame_and_a_way_back(tmp_path, monkeypatch):
    monkeypatch.chdir(copy_of_examples(tmp_path))
    served = Served(tmp_path, read_only=True)
    for url, code in (("/nowhere/", 404), (DUTIES, 404), ("/engagements/elm-street-data-teams/plan/", 404)):
        page = served.get(url)
        assert page.status_code == code and '<nav aria-label="Site">' in page.text and 'href="/engagements/"' in page.text, url
    read_only = unescape(served.get(DUTIES).text)
    assert "--read-only" in read_only and 'href="/engagements/elm-street-data-teams/">Back to Data Teams at Elm Street School' in read_only
    posted = served.client.post("/", data={"csrf": served.web.settings.access.csrf})
    assert posted.status_code == 405 and '<nav aria-label="Site">' in posted.text
    other = served.client.request("PUT", "/")
    assert other.status_code == 405 and 'href="/"' in other.text


def stage_form(text: str, stage: str) -> dict:
    """The fields of one stage's form on a service's duties page, the ticked duties among them."""
    section = text.split(f'id="stage-{stage}"', 1)[1].split("</form>", 1)[0]
    fields = {name: unescape(value) for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', section)}
    fields["duty"] = re.findall(r'<input type="checkbox" name="duty" value="([^"]+)" id="[^"]+" checked>', section)
    return fields


def test_duties_saved_again_after_a_refusal_never_overwrite_one_someone_else_recorded(served):
    page = served.get(DUTIES).text
    fields = {**stage_form(page, "follow-up"), "action": "done", "date": "2026-11-20", "evidence": "Mine", "scope": "ticked",
              "duty": ["follow-up.facilitator.analyze-feedback", "follow-up.facilitator.debrief-with-director"]}
    done = run_in_process("mark", str(served.folder / ELM), "follow-up.facilitator.analyze-feedback", "--service", "2026-11-17-principal-call", "--done",
                          "--date", "2026-11-21", "--evidence", "Theirs", "--today", "2026-11-22")
    assert done.returncode == 0, done.stderr
    theirs = "follow-up.facilitator.analyze-feedback: {status: done, date: 2026-11-21, evidence: Theirs}"
    stale = post(served, DUTIES, fields)
    assert stale.status_code == 409
    again = {**stage_form(stale.text, "follow-up"), "action": "done", "date": "2026-11-20", "evidence": "Mine", "scope": "ticked"}
    assert set(again["duty"]) == set(fields["duty"])  # what was ticked is kept
    asked = post(served, DUTIES, again)
    assert asked.status_code == 409 and "“Analyze feedback for future use”" in refusal(asked) and "Theirs" in refusal(asked)
    assert theirs in (served.folder / ELM).read_text(encoding="utf-8")
    last = {**stage_form(asked.text, "follow-up"), "action": "done", "date": "2026-11-20", "evidence": "Mine", "scope": "ticked"}
    assert last["duty"] == ["follow-up.facilitator.debrief-with-director"]  # the one recorded meanwhile, unticked
    assert post(served, DUTIES, last).status_code == 303
    text = (served.folder / ELM).read_text(encoding="utf-8")
    assert theirs in text and "follow-up.facilitator.debrief-with-director: {status: done, date: 2026-11-20, evidence: Mine}" in text


def test_a_service_without_a_title_is_named_by_its_support_type_s_words(served):
    added = served.post("/engagements/elm-street-data-teams/services/new/", {"date": "2026-11-20", "type": "professional-development", "mode": "virtual", "hours": "1", "title": "", "id": ""})
    assert added.status_code == 303
    page = unescape(served.get(added.headers["location"]).text)
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert "professional-development" not in heading and "professional development" in heading.lower(), heading


def test_the_duties_form_says_what_an_empty_date_records(served):
    """Left empty, a past service's Planning and Delivery duties are dated its day, Follow Up today: the field says which."""
    page = served.get(DUTIES).text
    placeholders = dict(re.findall(r'<input type="text" id="date-([a-z-]+)" name="date" value="[^"]*" placeholder="([^"]*)"', page))
    day = re.search(r"services/([0-9-]{10})-", DUTIES).group(1)
    assert placeholders["delivery"] == placeholders["planning"] == f"{day} (the day of the service)"
    assert placeholders["follow-up"] == "today"
