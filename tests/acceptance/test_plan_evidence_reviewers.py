"""What a facilitator owes and records without editing YAML: the plan as an
item of `tacli due`, the evidence of duties already done, and the reviewers of
the reports (`tacli new engagement --reviewer`, `tacli new reviewer`)."""

from __future__ import annotations

import json
import shlex
import shutil

import pytest

from conftest import EXAMPLES

TODAY = ("--today", "2026-12-06")
NEW = ("new", "engagement", "Elm Street", "--tier", "targeted", "--recipient", "Elm School", "--organization", "Org",
       "--facilitator", "Dana Ruiz", "--start", "2026-11-15", *TODAY)
FILE = "engagements/elm-street.yaml"


@pytest.fixture
def fresh(run_tacli, tmp_path):
    """A new engagement started 21 days ago, its plan not written."""
    made = run_tacli(*NEW, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return tmp_path


def test_due_lists_the_plan_to_write_from_the_engagement_start_as_check_reports_it(run_tacli, fresh):
    checked = run_tacli("check", FILE, *TODAY, cwd=fresh)
    assert checked.stdout.count("error plan-element") == 6
    due = run_tacli("due", *TODAY, "--facilitator", "", cwd=fresh)
    assert due.returncode == 0, due.stderr
    lines = due.stdout.splitlines()
    assert "Overdue (1)" in lines
    assert "      write the plan: 6 planning elements missing, overdue by 21 days" in lines
    assert f"      tacli serve {FILE}" in lines
    item = json.loads(run_tacli("due", *TODAY, "--facilitator", "Dana", "-f", "json", cwd=fresh).stdout)["items"][0]
    assert (item["kind"], item["due"], item["overdue"], item["command"]) == ("plan", "2026-11-15", True, f"tacli serve {FILE}")
    status = run_tacli("status", FILE, *TODAY, cwd=fresh).stdout.splitlines()
    assert status[status.index("Next") + 1] == "  1. write the plan: 6 planning elements missing, overdue since 2026-11-15"


def test_the_plan_is_listed_while_one_element_is_missing_and_not_once_written(run_tacli, tmp_path):
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", tmp_path / "elm.yaml")
    due = run_tacli("due", "elm.yaml", "--today", "2026-11-22", "--facilitator", "", "-f", "json", cwd=tmp_path)
    assert "plan" not in [item["kind"] for item in json.loads(due.stdout)["items"]]  # all six written
    text = (tmp_path / "elm.yaml").read_text(encoding="utf-8")
    start = text.index("  fit_assessments:")
    end = text.index("\n  ", text.index("\n", start) + 1)
    while text[end + 3] in " -":  # the element's own lines
        end = text.index("\n  ", end + 1)
    (tmp_path / "elm.yaml").write_text(text[:start] + text[end + 1:], encoding="utf-8")
    assert "plan-element plan element 'fit_assessments'" in run_tacli("check", "elm.yaml", "--today", "2026-11-22", cwd=tmp_path).stdout
    due = run_tacli("due", "elm.yaml", "--today", "2026-11-22", "--facilitator", "", cwd=tmp_path).stdout
    assert "write the plan: Fit Assessments missing, overdue by" in due


def test_the_duty_evidence_warning_gives_the_command_that_records_it_keeping_the_day(run_tacli, fresh):
    added = run_tacli("new", "service", FILE, "--date", "2026-12-01", "--type", "site-visit", "--mode", "on-site", "--hours", "2", *TODAY, cwd=fresh)
    assert added.returncode == 0, added.stderr
    marked = run_tacli("mark", FILE, "--service", "2026-12-01-site-visit", "--stage", "delivery", "--done", *TODAY, cwd=fresh)
    assert marked.returncode == 0, marked.stderr
    warnings = [line for line in run_tacli("check", FILE, *TODAY, cwd=fresh).stdout.splitlines() if " duty-evidence " in line]
    assert len(warnings) == 21
    duty = "delivery.facilitator.establish-group-norms"
    command = f"tacli mark {FILE} {duty} --service 2026-12-01-site-visit --done --evidence 'what shows it'"
    warning = next(line for line in warnings if f"duty {duty} " in line)
    assert warning.endswith(f"is done without evidence: say what shows it (a sign-in sheet, an agenda, an e-mail): {command}")
    before = (fresh / FILE).read_bytes()
    as_given = run_tacli(*shlex.split(command)[1:], "--today", "2026-12-08", cwd=fresh)
    assert as_given.returncode == 2 and "say what shows it" in as_given.stderr
    assert (fresh / FILE).read_bytes() == before  # the placeholder is never written
    ran = run_tacli(*shlex.split(command.replace("'what shows it'", "'Sign-in sheet'"))[1:], "--today", "2026-12-08", cwd=fresh)
    assert ran.returncode == 0, ran.stderr
    old = f"      {duty}: {{status: done, date: 2026-12-01}}\n".encode()  # the day of the service: Delivery duties are done at it
    assert (fresh / FILE).read_bytes() == before.replace(old, f"      {duty}: {{status: done, date: 2026-12-01, evidence: Sign-in sheet}}\n".encode())
    after = run_tacli("check", FILE, *TODAY, cwd=fresh).stdout
    assert after.count(" duty-evidence ") == 20 and f"duty-evidence duty {duty} " not in after


def test_new_engagement_writes_its_reviewers(run_tacli, tmp_path):
    made = run_tacli(*NEW, "--reviewer", "Pat  Kim", "--reviewer", "Lee Ortiz", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    text = (tmp_path / FILE).read_text(encoding="utf-8")
    assert "# end: the planned end date, YYYY-MM-DD\nreviewers:\n  - {name: Pat Kim}\n  - {name: Lee Ortiz}\nplan:\n" in text
    assert run_tacli("check", FILE, *TODAY, cwd=tmp_path).returncode == 1  # the plan's errors, the file valid
    twice = run_tacli(*NEW, "--reviewer", "Pat Kim", "--reviewer", "pat kim", "-o", "other.yaml", cwd=tmp_path)
    assert twice.returncode == 2 and "--reviewer: Pat Kim is already a reviewer (given twice)" in twice.stderr
    assert not (tmp_path / "engagements" / "other.yaml").exists()


def test_new_reviewer_adds_to_an_engagement_and_tast_review_then_works(run_tacli, fresh):
    file = fresh / FILE
    added = run_tacli("new", "service", FILE, "--date", "2026-12-01", "--type", "site-visit", "--mode", "on-site", "--hours", "2", *TODAY, cwd=fresh)
    assert added.returncode == 0, added.stderr
    completed = run_tacli("tast", FILE, "--service", "2026-12-01-site-visit", "--commendation", "Norms set", "--complete", "--date", "2026-12-02", *TODAY, cwd=fresh)
    assert completed.returncode == 0, completed.stderr
    before = file.read_bytes()
    refused = run_tacli("tast", FILE, "--review", "Pat Kim", "--approve", *TODAY, cwd=fresh)
    assert refused.returncode == 2 and f"add each one with `tacli new reviewer {FILE} 'Pat Kim'`" in refused.stderr
    assert file.read_bytes() == before
    first = run_tacli("new", "reviewer", FILE, "Pat Kim", "--role", "Assistant Principal", *TODAY, cwd=fresh)
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"added Pat Kim to the reviewers of {FILE}: each completed report is approved once every reviewer approved it\n"
    end = b"# end: the planned end date, YYYY-MM-DD\n"
    expected = before.replace(end, end + b"reviewers:\n  - {name: Pat Kim, role: Assistant Principal}\n")
    assert file.read_bytes() == expected
    second = run_tacli("new", "reviewer", FILE, "Lee Ortiz", *TODAY, cwd=fresh)
    assert second.returncode == 0, second.stderr
    expected = expected.replace(b"role: Assistant Principal}\n", b"role: Assistant Principal}\n  - {name: Lee Ortiz}\n")
    assert file.read_bytes() == expected
    for args, says in ((("pat  KIM",), "Pat Kim is already a reviewer: nothing was written"), ((" ",), "NAME is blank"), (("Sam", "--role", " "), "--role is blank")):
        again = run_tacli("new", "reviewer", FILE, *args, *TODAY, cwd=fresh)
        assert again.returncode == 2 and says in again.stderr, again.stderr
        assert file.read_bytes() == expected
    due = run_tacli("due", *TODAY, "--facilitator", "Pat Kim", cwd=fresh).stdout
    assert f"tacli tast {FILE} --service 2026-12-01-site-visit --review 'Pat Kim' --approve" in due
    review = run_tacli("tast", FILE, "--review", "Pat Kim", "--approve", *TODAY, cwd=fresh)
    assert review.returncode == 0, review.stderr


def test_new_reviewer_follows_the_list_as_written(run_tacli, tmp_path):
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", tmp_path / "elm.yaml")
    before = (tmp_path / "elm.yaml").read_text(encoding="utf-8")
    done = run_tacli("new", "reviewer", "elm.yaml", "Sam Okafor", "--role", "Coach", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = (tmp_path / "elm.yaml").read_text(encoding="utf-8")
    last = before.index("\n", before.index("{name: Terry Walsh")) + 1
    assert after == before[:last] + "  - {name: Sam Okafor, role: Coach}\n" + before[last:]
