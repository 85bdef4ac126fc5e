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
