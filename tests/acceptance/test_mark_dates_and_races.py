"""Marking duties safely: Planning duties of a service already held are dated
by the service (the command `due` and `status` suggest, and `mark` without
--date), a checklist's answers never overwrite what someone else marked
meanwhile, and the checklist offers the open duties not due yet as well."""

from __future__ import annotations

import shlex
import sys

import pytest

from conftest import Conversation, run_in_process

ELM = "elm.yaml"
HELD = "2026-11-19-professional-development"  # held three days before TODAY, its Planning duties open
TODAY = ("--today", "2026-11-22")
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
ONE_PAGE = {"LINES": "200"}  # the whole checklist on one page


@pytest.fixture
def elm_folder(elm_folder):
    """The folder of elm.yaml, with a service added on 2026-11-19."""
    added = run_in_process("new", "service", ELM, "--date", "2026-11-19", "--type", "professional-development", *TODAY, cwd=elm_folder)
    assert added.returncode == 0, added.stderr
    return elm_folder


def late_planning(folder) -> int:
    checked = run_in_process("check", ELM, *TODAY, cwd=folder)
    return checked.stdout.count("duty-late-planning")


def suggested(output: str, service: str) -> str:
    line = next(line.strip() for line in output.splitlines() if f"--service {service} --stage planning" in line)
    return line


def checklist(folder, ticks: str, answer: str) -> Conversation:
    """The checklist of HELD's duties, on one page, with `ticks` ticked and
    `answer` given to "Mark them"."""
    talk = Conversation("mark", ELM, "--service", HELD, *TODAY, cwd=folder, env=ONE_PAGE)
    talk.expect("Tick which")
    talk.say(ticks)
    talk.expect("Mark them")
    talk.say(answer)
    return talk


def test_due_and_status_suggest_dating_planning_duties_by_the_service_held(elm_folder):
    due = run_in_process("due", ELM, *TODAY, "--facilitator", "", cwd=elm_folder)
    command = suggested(due.stdout, HELD)
    assert command == f"tacli mark {ELM} --service {HELD} --stage planning --done --date 2026-11-19 --evidence 'what shows it'"
    as_given = run_in_process(*shlex.split(command)[1:], *TODAY, cwd=elm_folder)
    assert as_given.returncode == 2 and "say what shows it" in as_given.stderr  # the placeholder is not written as evidence
    ran = run_in_process(*shlex.split(command.replace("'what shows it'", "'Agenda sent'"))[1:], *TODAY, cwd=elm_folder)
    assert ran.returncode == 0, ran.stderr
    checked = run_in_process("check", ELM, *TODAY, cwd=elm_folder).stdout.splitlines()
    assert not [line for line in checked if "duty-evidence duty planning." in line and f"--service {HELD} " in line]  # the evidence given, check does not warn
    assert late_planning(elm_folder) == 0  # run as suggested, nothing is late planning
    as_json = run_in_process("due", ELM, *TODAY, "--facilitator", "", "-f", "json", cwd=elm_folder).stdout
    assert "--stage planning --done --date 2026-11-19" not in as_json  # the planning duties are done now
    assert "--stage delivery --done --date 2026-11-19" in as_json  # the delivery duties are open: done at the service


def test_status_suggests_the_same_command(elm_folder):
    for duty, service in (("follow-up.facilitator.debrief-with-director", "2026-10-27-grade-3-coaching"), ("follow-up.leadership.review-tast-report", "2026-10-27-grade-3-coaching"),
                          ("delivery.facilitator.request-evaluation-forms", "2026-11-17-principal-call")):  # what is older comes first
        assert run_in_process("mark", ELM, duty, "--service", service, "--done", *TODAY, cwd=elm_folder).returncode == 0
    status = run_in_process("status", ELM, *TODAY, cwd=elm_folder).stdout
    assert f"tacli mark {ELM} --service {HELD} --stage planning --done --date 2026-11-19 --evidence 'what shows it'" in status


def test_a_service_not_yet_held_is_suggested_without_a_date(elm_folder):
    due = run_in_process("due", ELM, "--today", "2026-11-19", "--facilitator", "", cwd=elm_folder)
    assert suggested(due.stdout, HELD).endswith("--stage planning --done --evidence 'what shows it'")


def test_mark_without_a_date_dates_planning_duties_by_the_service_and_says_so(elm_folder):
    marked = run_in_process("mark", ELM, "--service", HELD, "--stage", "planning", "--done", *TODAY, cwd=elm_folder)
    assert marked.returncode == 0, marked.stderr
    assert "dated 2026-11-19, the day of the service, not today: Planning duties are done by the service" in marked.stderr
    assert "give --date for the day they were done" in marked.stderr
    assert late_planning(elm_folder) == 0
    assert (elm_folder / ELM).read_text().count("{status: done, date: 2026-11-19}") == 13


def test_mark_with_a_later_date_records_late_planning_with_a_warning(elm_folder):
    marked = run_in_process("mark", ELM, "planning.facilitator.review-plans-and-data", "--service", HELD, "--done", "--date", "2026-11-21", *TODAY, cwd=elm_folder)
    assert marked.returncode == 0, marked.stderr
    assert "tacli: warning: it is dated 2026-11-21, after the service on 2026-11-19" in marked.stderr
    assert "duty-late-planning" in marked.stderr and "give --date 2026-11-19 or earlier" in marked.stderr
    assert late_planning(elm_folder) == 1


def test_a_delivery_duty_is_dated_the_day_of_the_service_it_happened_at(elm_folder):
    """The standards' Delivery stage is `dated: at-service`: marked without a date
    for a past service, the command `tacli due` gives dates it as the checklist does."""
    marked = run_in_process("mark", ELM, "delivery.facilitator.establish-group-norms", "--service", HELD, "--done", *TODAY, cwd=elm_folder)
    assert marked.returncode == 0, marked.stderr
    assert "dated 2026-11-19, the day of the service, not today: Delivery duties are done at the service; give --date for the day it was done" in marked.stderr
    assert "late planning" not in marked.stderr
    assert "delivery.facilitator.establish-group-norms: {status: done, date: 2026-11-19}" in (elm_folder / ELM).read_text()


def test_a_delivery_duty_given_a_later_date_is_not_late_planning(elm_folder):
    marked = run_in_process("mark", ELM, "delivery.facilitator.establish-group-norms", "--service", HELD, "--done", "--date", "2026-11-21", "--evidence", "Norms chart", *TODAY, cwd=elm_folder)
    assert marked.returncode == 0 and marked.stderr == "", marked.stderr
    assert "delivery.facilitator.establish-group-norms: {status: done, date: 2026-11-21, evidence: Norms chart}" in (elm_folder / ELM).read_text()
    early = run_in_process("mark", ELM, "delivery.facilitator.articulate-purpose", "--service", HELD, "--done", "--date", "2026-11-18", *TODAY, cwd=elm_folder)
    assert early.returncode == 2 and "before its service on 2026-11-19" in early.stderr


def test_a_follow_up_duty_is_dated_the_day_it_is_marked(elm_folder):
    marked = run_in_process("mark", ELM, "follow-up.facilitator.debrief-with-director", "--service", HELD, "--done", *TODAY, cwd=elm_folder)
    assert marked.returncode == 0 and "the day of the service" not in marked.stderr, marked.stderr
    assert "follow-up.facilitator.debrief-with-director: {status: done, date: 2026-11-22}" in (elm_folder / ELM).read_text()


def test_mark_refuses_a_duty_changed_since_the_checklist_showed_it(elm_folder):
    from tacli.commands import CommonOptions
    from tacli.commands.edits import DutiesChanged, MarkOptions, mark

    file = str(elm_folder / ELM)
    duty, other = "planning.facilitator.review-plans-and-data", "planning.facilitator.communicate-logistics"
    shown = MarkOptions(CommonOptions(today="2026-11-22"), file, (duty, other), HELD, na="Not held", seen=((duty, "open"), (other, "open")))
    someone = run_in_process("mark", ELM, duty, "--service", HELD, "--done", "--evidence", "Agenda sent", *TODAY, cwd=elm_folder)
    assert someone.returncode == 0, someone.stderr
    before = (elm_folder / ELM).read_text()
    with pytest.raises(DutiesChanged) as refused:
        mark(shown)
    assert refused.value.changed == (duty,)
    assert refused.value.messages[0] == (
        f'{duty} ("Be familiar with the District/School Improvement Plan, Cambridge Report, CMT/CAPT data, and TAST reports")'
        " changed since the checklist showed it open: it is now done on 2026-11-19 (evidence: Agenda sent)"
    )
    assert (elm_folder / ELM).read_text() == before  # nothing written, not even the duty unchanged
    done = mark(MarkOptions(CommonOptions(today="2026-11-22"), file, (other,), HELD, na="Not held", seen=((other, "open"),)))
    assert done.code == 0
    text = (elm_folder / ELM).read_text()
    assert f"{duty}: {{status: done, date: 2026-11-19, evidence: Agenda sent}}" in text
    assert f"{other}: {{status: not-applicable, reason: Not held}}" in text


@POSIX_ONLY
def test_two_checklists_at_once_never_make_a_mixed_record(elm_folder):
    """A marks a duty done; B, whose checklist still shows it open, marks it not
    applicable: B is told, and the record stays A's, whole."""
    duty = "planning.facilitator.review-plans-and-data"
    talk = checklist(elm_folder, "1 2", "n/a")
    talk.expect("Why do they not apply")
    other = run_in_process("mark", ELM, duty, "--service", HELD, "--done", "--evidence", "Agenda sent", *TODAY, cwd=elm_folder)
    assert other.returncode == 0, other.stderr
    talk.say("Not held")
    said = talk.expect("[Y/n]:")
    assert " ".join(said.split()).count(f"{duty} (\"Be familiar with") == 1
    assert "changed since the checklist showed it open: it is now done on 2026-11-19 (evidence: Agenda sent)" in " ".join(said.split())
    assert "Mark the other duty as answered (the one above stays as it is now)?" in " ".join(said.split())
    talk.say("y")
    code, output = talk.close()
    assert code == 0, output
    assert "marked planning.facilitator.communicate-logistics not-applicable" in output
    text = (elm_folder / ELM).read_text()
    assert f"{duty}: {{status: done, date: 2026-11-19, evidence: Agenda sent}}" in text
    assert "planning.facilitator.communicate-logistics: {status: not-applicable, reason: Not held}" in text


@POSIX_ONLY
def test_when_every_duty_ticked_changed_nothing_is_written(elm_folder):
    duty = "planning.facilitator.review-plans-and-data"
    talk = checklist(elm_folder, "1", "n/a")
    talk.expect("Why do they not apply")
    run_in_process("mark", ELM, duty, "--service", HELD, "--na", "Not held", *TODAY, cwd=elm_folder)
    before = (elm_folder / ELM).read_text()
    talk.say("Held elsewhere")
    code, output = talk.close()
    assert code == 2
    assert "it is now not applicable (Not held)" in " ".join(output.split())
    assert "nothing was written to elm.yaml: the duty ticked changed since the checklist showed it" in " ".join(output.split())
    assert (elm_folder / ELM).read_text() == before


@POSIX_ONLY
def test_the_checklist_dates_planning_of_a_service_held_by_the_service(elm_folder):
    talk = checklist(elm_folder, "1-2", "done")
    said = talk.expect("Done on [2026-11-19]: ")
    assert "Planning duties are done by the service: Enter dates them 2026-11-19" in " ".join(said.split())
    talk.say("today")
    talk.expect("record Planning done late")
    talk.say("n")
    talk.expect("give the day they were done, 2026-11-19 or earlier")
    talk.expect("Done on")
    talk.say("")
    talk.expect("Evidence")
    talk.say("")
    code, output = talk.close()
    assert code == 0, output
    assert late_planning(elm_folder) == 0


@POSIX_ONLY
def test_open_duties_not_due_yet_can_be_ticked(elm_folder):
    """Follow Up done early: on the day of the service, nothing is due yet, and
    the checklist lists its open duties, each stage marked as not due yet."""
    talk = Conversation("mark", ELM, "--service", "2026-11-17-principal-call", "--today", "2026-11-17", cwd=elm_folder, env=ONE_PAGE)
    listing = talk.expect("Tick which")
    assert listing.startswith("16 open duties of 2026-11-17-principal-call (2026-11-17), none due yet:\n")
    assert "\nDelivery, not due yet\n  Facilitator\n" in listing  # due once the service day is over
    assert "\nFollow Up, not due yet\n  Facilitator\n" in listing
    talk.say("16")
    talk.expect("Mark them")
    talk.say("done")
    talk.expect("Done on [today]")
    talk.say("")
    talk.expect("Evidence")
    talk.say("Lesson plans")
    code, output = talk.close()
    assert code == 0, output
    assert "follow-up.participants.integrate-new-learning: {status: done, date: 2026-11-17, evidence: Lesson plans}" in (elm_folder / ELM).read_text()


def test_a_checklist_with_nothing_open_names_a_real_duty_to_open(elm_folder):
    """(No terminal here: the checklist's own function, which says it before any question.)"""
    from tacli.cli.prompts import checklist
    from tacli.commands import CommonOptions
    from tacli.commands.edits import MarkOptions
    from tacli.core.outcome import UsageError

    done = run_in_process("mark", ELM, "--service", HELD, "--stage", "planning", "--done", *TODAY, cwd=elm_folder)
    assert done.returncode == 0, done.stderr
    for stage in ("delivery", "follow-up"):
        done = run_in_process("mark", ELM, "--service", HELD, "--stage", stage, "--na", "Not held", *TODAY, cwd=elm_folder)
        assert done.returncode == 0, done.stderr
    with pytest.raises(UsageError) as refused:
        checklist(MarkOptions(CommonOptions(today="2026-11-22"), str(elm_folder / ELM), service=HELD))
    message = str(refused.value)
    assert message.startswith(f"every duty of service '{HELD}' is done or not applicable: nothing to tick; to open one again, name it: tacli mark ")
    assert message.endswith(f" --service {HELD} planning.facilitator.review-plans-and-data --open")


@POSIX_ONLY
def test_the_checklist_dates_delivery_of_a_service_held_by_the_service(elm_folder):
    talk = checklist(elm_folder, "14", "done")  # Delivery: Establish group norms
    said = talk.expect("Done on [2026-11-19]: ")
    assert "Delivery duties are done at the service: Enter dates them 2026-11-19, the day of the service" in " ".join(said.split()), said
    talk.say("2026-11-18")
    talk.expect("before the service (2026-11-19)")
    talk.expect("Done on")
    talk.say("")
    talk.expect("Evidence")
    talk.say("Norms chart")
    code, output = talk.close()
    assert code == 0, output
    assert ": {status: done, date: 2026-11-19, evidence: Norms chart}" in (elm_folder / ELM).read_text()


@POSIX_ONLY
def test_the_checklist_dates_each_stage_as_mark_does_when_follow_up_is_ticked_too(elm_folder):
    talk = checklist(elm_folder, "14,35", "done")  # Delivery: Establish group norms; Follow Up: Provide feedback to participants
    said = talk.expect("Done on (Enter: as said above): ")
    assert "Enter dates them 2026-11-19, the day of the service, and the Follow Up duties today (2026-11-22)" in " ".join(said.split()), said
    talk.say("")
    talk.expect("Evidence")
    talk.say("")
    code, output = talk.close()
    assert code == 0, output
    assert "give --date" not in output  # said once, by the checklist
    from ruamel.yaml import YAML

    held = next(service for service in YAML(typ="safe").load((elm_folder / ELM).read_text())["services"] if service["id"] == HELD)
    dated = {duty: str(record.get("date")) for duty, record in held["duties"].items() if record.get("status") == "done"}
    assert dated == {"delivery.facilitator.establish-group-norms": "2026-11-19", "follow-up.facilitator.provide-feedback-to-participants": "2026-11-22"}


def test_a_record_a_command_writes_is_named_with_the_command(elm_folder):
    marked = run_in_process("mark", ELM, "delivery.facilitator.request-evaluation-forms", "--service", HELD, "--done", "--evidence", "Forms handed out", *TODAY, cwd=elm_folder)
    assert marked.returncode == 0, marked.stderr
    checked = run_in_process("check", ELM, *TODAY, cwd=elm_folder).stdout
    line = next(line for line in checked.splitlines() if "duty-record duty delivery.facilitator.request-evaluation-forms" in line and HELD in line)
    assert line.endswith(f"add evaluation_forms.returned (tacli tast {ELM} --service {HELD} --forms-returned N), or check the duty's status")
