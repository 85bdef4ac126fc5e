"""Duties of the duty matrix and the per-service report: duty-open, duty-status,
duty-evidence, duty-not-conditional, duty-date, duty-late-planning,
duty-record, tast-overdue, tast-due-soon, tast-late, tast-date, tast-empty and
tast-duty.

In the mini standards the planning duty falls due on the service date and is
done by it; the follow-up duty (conditional) is the report's own duty, due
with the report: 7 days after the service, with a warning from 2 days
before. The service below is on 2026-10-01, so its report is due on 2026-10-08.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from conftest import MINI_ENGAGEMENT, findings_of, hits, messages, variants_of

BASE = MINI_ENGAGEMENT  # tests/data/mini-engagement.yaml; line numbers below refer to it
PLANNING = "{status: done, date: 2026-09-30, evidence: agenda.pdf}"  # line 33, from column 44
FOLLOW_UP = "{status: done, date: 2026-10-05, evidence: report.md}"  # line 34, from column 43
SHARE_NOTES = "      follow-up.facilitator.share-notes: {status: done, date: 2026-10-05, evidence: e-mail}\n"  # line 35, due by the engagement's end
AGENDA = '    agenda: [{time: "09:00", item: Data review}]\n'  # line 31
DUTIES = BASE[BASE.index("    duties:\n") : BASE.index("    tast_report:\n")]
TAST = BASE[BASE.index("    tast_report:\n") :]

case = variants_of(BASE)

# The service with no duty records and no report: only the due rules can fire.
BARE = case(TAST, "", case(DUTIES, ""))
# The service with its planning done, its report and its follow-up still open.
NO_REPORT = case(TAST, "", case(SHARE_NOTES, "", case("      follow-up.facilitator.write-report: " + FOLLOW_UP + "\n", "")))


def test_base_is_clean():
    assert hits(BASE) == []
    assert hits(BASE, today=date(2026, 10, 5)) == []


# duty-open


def test_planning_duty_is_due_on_the_service_date():
    assert hits(BARE, today=date(2026, 10, 1)) == [("duty-open", 25, 5)]
    assert messages(BARE, today=date(2026, 10, 1)) == [
        "duty planning.facilitator.prepare-agenda for service 'first-visit' (2026-10-01) is not recorded but due "
        '(Planning, Facilitator 1: "Prepare the agenda"): mark it done with a date and evidence, or not-applicable with a reason'
    ]


def test_planning_duty_is_not_due_before_the_service_date():
    assert hits(BARE, today=date(2026, 9, 30)) == []


def test_follow_up_duty_is_not_due_until_the_report_is():
    assert [rule for rule, _, _ in hits(NO_REPORT, today=date(2026, 10, 8))] == ["tast-due-soon"]
    assert hits(NO_REPORT, today=date(2026, 10, 9)) == [("tast-overdue", 25, 5), ("duty-open", 32, 5)]  # at `duties:`, which lacks it
    assert "duty follow-up.facilitator.write-report for service 'first-visit' (2026-10-01) is not recorded but due (Follow Up, Facilitator 1" in messages(
        NO_REPORT, today=date(2026, 10, 9)
    )[1]


def test_both_duties_due_without_records():
    assert [rule for rule, _, _ in hits(BARE, today=date(2026, 10, 9))] == ["duty-open", "duty-open", "tast-overdue"]


def test_open_duties_rank_in_the_standards_order():
    """Duties not recorded are found at one place; their rank gives the
    terminal's view the standards' order: stage by stage, then as listed."""
    found = [item for item in findings_of(BARE, today=date(2026, 10, 9)) if item.rule == "duty-open"]
    ranked = [item.message.split()[1] for item in sorted(found, key=lambda item: item.rank)]
    from conftest import MINI_STANDARDS, checker_for

    framework = next(f for f in checker_for(MINI_STANDARDS, date(2026, 10, 9)).spec.frameworks.values() if f.duties)
    stages = [stage.id for stage in framework.stages]
    listed = [duty.id for duty in sorted(framework.duties, key=lambda duty: stages.index(duty.stage)) if duty.id in ranked]
    assert ranked == listed and len(ranked) == 2


def test_open_duty_is_reported_at_its_record():
    text = case(PLANNING, "{status: open}")
    assert hits(text) == [("duty-open", 33, 7)]
    assert " is open but due " in messages(text)[0]


def test_open_duty_not_yet_due_is_fine():
    assert hits(case(PLANNING, "{status: open}", NO_REPORT), today=date(2026, 9, 30)) == []


def test_duties_of_a_second_service():
    second = "  - id: second-visit\n    date: 2026-11-02\n    type: visit\n    mode: virtual\n"
    assert hits(BASE + second, today=date(2026, 11, 2)) == [("duty-open", 39, 5)]


# duty-status


def test_done_without_a_date():
    text = case(PLANNING, "{status: done, evidence: agenda.pdf}")
    assert hits(text) == [("duty-status", 33, 7)]
    assert messages(text) == ["duty planning.facilitator.prepare-agenda is done but has no date: add `date: YYYY-MM-DD`"]


def test_done_in_the_future():
    text = case(PLANNING, "{status: done, date: 2026-12-01, evidence: agenda.pdf}")
    assert hits(text) == [("duty-status", 33, 65)]
    assert messages(text) == ["duty planning.facilitator.prepare-agenda is dated 2026-12-01, after today (2026-11-22): a duty is done when it has happened"]


def test_done_today_is_fine():
    assert hits(case("completed: 2026-10-05", "completed: 2026-11-22", case(FOLLOW_UP, "{status: done, date: 2026-11-22, evidence: report.md}")))[0][0] == "tast-late"


def test_not_applicable_without_a_reason():
    text = case(PLANNING, "{status: not-applicable}")
    assert ("duty-status", 33, 7) in hits(text)
    assert "duty planning.facilitator.prepare-agenda is not-applicable without a reason: add `reason:` saying why it does not apply" in messages(text)


# duty-evidence


def test_done_without_evidence():
    text = case(PLANNING, "{status: done, date: 2026-09-30}")
    assert hits(text) == [("duty-evidence", 33, 7)]
    assert [f.level.value for f in findings_of(text)] == ["warning"]


@pytest.mark.parametrize("evidence", ["''", "'   '"])
def test_done_with_blank_evidence(evidence):
    assert hits(case(PLANNING, f"{{status: done, date: 2026-09-30, evidence: {evidence}}}")) == [("duty-evidence", 33, 7)]


# duty-not-conditional


def test_unconditional_duty_marked_not_applicable():
    text = case(PLANNING, "{status: not-applicable, reason: No agenda this time}")
    assert hits(text) == [("duty-not-conditional", 33, 7)]
    assert messages(text) == [
        "duty planning.facilitator.prepare-agenda (Planning, Facilitator 1) is marked not-applicable, "
        "but the standard makes it unconditional: do it, or keep the reason for the record"
    ]


def test_unconditional_duty_not_applicable_without_reason():
    assert hits(case(PLANNING, "{status: not-applicable}")) == [("duty-not-conditional", 33, 7), ("duty-status", 33, 7)]


# duty-date and duty-late-planning: a duty's date must fit its stage


def test_a_follow_up_duty_dated_before_its_service():
    text = case("completed: 2026-10-05", "completed: 2026-10-01", case(FOLLOW_UP, "{status: done, date: 2026-09-28, evidence: report.md}"))
    assert ("duty-date", 34, 64) in hits(text)
    assert "duty follow-up.facilitator.write-report (Follow Up, Facilitator 1) is dated 2026-09-28, before its service 'first-visit' on 2026-10-01: Follow Up duties are done at or after the service, so correct the date" in messages(text)
    assert [f.level.value for f in findings_of(text) if f.rule == "duty-date"] == ["error"]


def test_a_planning_duty_dated_after_its_service_is_late_planning():
    text = case(PLANNING, "{status: done, date: 2026-10-02, evidence: agenda.pdf}")
    assert hits(text) == [("duty-late-planning", 33, 65)]
    assert messages(text) == [
        "duty planning.facilitator.prepare-agenda (Planning, Facilitator 1) is dated 2026-10-02, after its service 'first-visit' on 2026-10-01: "
        "Planning duties come before the service; check the date, or keep it as the record of late planning"
    ]
    assert [f.level.value for f in findings_of(text)] == ["warning"]


def test_a_planning_duty_on_the_service_date_is_in_time():
    assert hits(case(PLANNING, "{status: done, date: 2026-10-01, evidence: agenda.pdf}")) == []


# duty-record


def test_a_done_duty_whose_record_is_missing():
    text = case(AGENDA, "")
    assert hits(text) == [("duty-record", 32, 7)]
    assert messages(text) == ["duty planning.facilitator.prepare-agenda is done, but service 'first-visit' has no agenda, the record it produces: add agenda, or check the duty's status"]
    assert [f.level.value for f in findings_of(text)] == ["warning"]


def test_an_open_duty_needs_no_record():
    assert hits(case(AGENDA, "", case(PLANNING, "{status: open}", NO_REPORT)), today=date(2026, 9, 30)) == []


# tast-overdue and tast-due-soon


@pytest.mark.parametrize("day", [1, 2, 3, 4])
def test_report_not_flagged_early(day):
    assert hits(NO_REPORT, today=date(2026, 10, 1 + day)) == []


@pytest.mark.parametrize("day, when", [(5, "in 2 days"), (6, "in 1 day"), (7, "today")])
def test_report_due_soon_on_days_5_to_7(day, when):
    today = date(2026, 10, 1 + day)
    assert hits(NO_REPORT, today=today) == [("tast-due-soon", 25, 5)]
    assert messages(NO_REPORT, today=today) == [
        f"Service Report for service 'first-visit' (2026-10-01) is due {when} (2026-10-08): write and complete it (tacli tast case.yaml --service first-visit)"
    ]
    assert [f.level.value for f in findings_of(NO_REPORT, today=today)] == ["warning"]


@pytest.mark.parametrize("day, ago", [(8, "1 day ago"), (9, "2 days ago")])
def test_report_overdue_from_day_8(day, ago):
    today = date(2026, 10, 1 + day)
    assert hits(NO_REPORT, today=today)[0] == ("tast-overdue", 25, 5)
    assert messages(NO_REPORT, today=today)[0] == (
        f"Service Report for service 'first-visit' (2026-10-01) was due 2026-10-08, {ago}: write and complete it (tacli tast case.yaml --service first-visit)"
    )


@pytest.mark.parametrize("today", [date(2026, 10, 6), date(2026, 10, 8), date(2026, 10, 9), date(2026, 11, 30)])
def test_report_completed_in_time_is_never_flagged(today):
    assert hits(BASE, today=today) == []


def test_future_service_report_is_not_flagged():
    assert hits(NO_REPORT, today=date(2026, 9, 30)) == []


def test_service_at_the_end_of_the_calendar_does_not_crash():
    # its report would be due after 9999-12-31, which no date can hold
    text = case("date: 2026-10-01", "date: 9999-12-30", NO_REPORT)
    assert ("date-range", 26, 11) in hits(text, today=date(9999, 12, 31))


# tast-late, tast-date and tast-empty


def _completed_on(day: str, text: str = BASE) -> str:
    """The report completed on `day`, and its duty done that day (the notes shared on the service day)."""
    text = case(SHARE_NOTES, SHARE_NOTES.replace("2026-10-05", "2026-10-01"), text)
    return case("completed: 2026-10-05", f"completed: {day}", case(FOLLOW_UP, f"{{status: done, date: {day}, evidence: report.md}}", text))


@pytest.mark.parametrize("day, late", [("2026-10-09", "1 day"), ("2026-10-31", "23 days")])
def test_a_report_completed_late_stays_a_warning(day, late):
    text = _completed_on(day)
    assert hits(text) == [("tast-late", 38, 18)]
    assert messages(text) == [f"Service Report for service 'first-visit' (2026-10-01) was completed on {day}, {late} after its due date 2026-10-08: record the reason in the service's notes"]
    assert [f.level.value for f in findings_of(text)] == ["warning"]


def test_a_report_completed_on_its_due_date_is_in_time():
    assert hits(_completed_on("2026-10-08")) == []


def test_a_report_completed_before_its_service():
    text = _completed_on("2026-09-25")
    assert ("tast-date", 38, 18) in hits(text)
    assert "Service Report for service 'first-visit' (2026-10-01) is marked completed on 2026-09-25, before the service took place: correct tast_report.completed" in messages(text)


def test_a_report_completed_after_today():
    text = _completed_on("2026-10-05")
    assert ("tast-date", 38, 18) in hits(text, today=date(2026, 10, 3))
    assert "Service Report for service 'first-visit' (2026-10-01) is marked completed on 2026-10-05, after today (2026-10-03): a report is completed once it is written; correct tast_report.completed" in messages(text, today=date(2026, 10, 3))


@pytest.mark.parametrize("notes", ["[]", "['  ']", "['', ' ']"])
def test_a_completed_report_must_hold_something(notes):
    text = case("notes: [Good session]", f"notes: {notes}")
    assert hits(text) == [("tast-empty", 38, 18)]
    assert messages(text) == ["Service Report for service 'first-visit' (2026-10-01) is marked completed but its Notes is empty: write the report, or remove tast_report.completed"]


# tast-duty: the report and its duty are one fact


def test_a_completed_report_whose_duty_is_open():
    text = case(FOLLOW_UP, "{status: open}")
    assert hits(text) == [("duty-open", 34, 7), ("tast-duty", 34, 7)]
    assert messages(text)[1:] == ["Service Report for service 'first-visit' (2026-10-01) was completed on 2026-10-05 but its duty follow-up.facilitator.write-report is open: mark the duty done on 2026-10-05"]


def test_a_done_duty_whose_report_is_not_completed():
    text = case("      completed: 2026-10-05\n", "")
    assert hits(text) == [("tast-duty", 34, 7), ("tast-overdue", 36, 5)]
    assert messages(text)[:1] == ["duty follow-up.facilitator.write-report is done on 2026-10-05 but Service Report for service 'first-visit' (2026-10-01) is not completed: set tast_report.completed: 2026-10-05 once the report is written, or reopen the duty"]


def test_a_duty_and_its_report_on_different_days():
    text = case(FOLLOW_UP, "{status: done, date: 2026-10-04, evidence: report.md}")
    assert hits(text) == [("tast-duty", 34, 64)]
    assert messages(text) == ["duty follow-up.facilitator.write-report is dated 2026-10-04 but Service Report for service 'first-visit' (2026-10-01) was completed on 2026-10-05: date the duty 2026-10-05, the day the report was completed"]


# due rules of the duty's own (the shipped CALI standards)


def test_the_follow_up_duties_tied_to_later_practice_are_not_due_with_the_report():
    """An open TAST report on day 8 owes the duties due with it, not those the source does not tie to the week."""
    from tacli.domain.duties import duty_due
    from tacli.core.paths import shipped_standards
    from tacli.standards.spec import load_spec

    cali = load_spec(shipped_standards()).frameworks["cali"]
    stages = {stage.id: stage for stage in cali.stages}
    service = SimpleNamespace(date=date(2026, 10, 1))
    later = SimpleNamespace(date=date(2026, 11, 5))
    engagement = SimpleNamespace(services=[service, later], end=date(2027, 6, 15))
    due_on_day_8 = [duty.id for duty in cali.duties if duty.stage == "follow-up" and duty_due(duty, stages[duty.stage], service, engagement, cali.report).is_due(date(2026, 10, 9))]
    assert "follow-up.participants.integrate-new-learning" not in due_on_day_8
    assert "follow-up.participants.revise-instructional-practice" not in due_on_day_8
    assert "follow-up.facilitator.complete-tast-report" in due_on_day_8
    assert len(due_on_day_8) == 7
    by_next_service = duty_due(next(d for d in cali.duties if d.id == "follow-up.leadership.review-tast-report"), stages["follow-up"], service, engagement, cali.report)
    assert (by_next_service.rule, by_next_service.deadline) == ("next-service", date(2026, 11, 5))
    at_the_end = duty_due(next(d for d in cali.duties if d.id == "follow-up.participants.integrate-new-learning"), stages["follow-up"], service, engagement, cali.report)
    assert (at_the_end.rule, at_the_end.deadline, at_the_end.is_due(date(2027, 6, 15)), at_the_end.is_due(date(2027, 6, 16))) == ("engagement-end", date(2027, 6, 15), False, True)
    alone = SimpleNamespace(services=[service], end=None)
    assert duty_due(next(d for d in cali.duties if d.id == "follow-up.leadership.review-tast-report"), stages["follow-up"], service, alone, cali.report).deadline is None


# a second framework with its own duty matrix and its own report

SECOND = """\
id: second
title: Second standards
source:
  document: Test standards
  publisher: tacli tests
stages:
  - id: before
    title: Before
    due: service-date
    dated: by-service
  - id: after
    title: After
    due: report-due
    dated: from-service
roles:
  - id: coach
    title: Coach
duties:
  - id: before.coach.plan
    stage: before
    role: coach
    number: "1"
    text: Plan the visit
  - id: after.coach.write-log
    stage: after
    role: coach
    number: "1"
    text: Write the visit log
report:
  id: log
  title: Visit Log
  due_days: 3
  due_soon_days: 1
  duty: after.coach.write-log
  sections:
    - id: observations
      title: Observations
"""


def test_a_second_duty_matrix_has_its_own_duty_findings_and_the_service_one_report(tmp_path):
    """A service holds one report (`tast_report`): that of the first framework with a
    duty matrix (domain.reports.service_report). A second matrix's duties are checked;
    its report is not owed a second time."""
    import shutil

    from conftest import MINI_STANDARDS

    standards = tmp_path / "standards"
    shutil.copytree(MINI_STANDARDS, standards)
    (standards / "second.yaml").write_text(SECOND, encoding="utf-8")
    text = case("frameworks: [mini]", "frameworks: [mini, second]")
    found = findings_of(text, standards=standards)
    by_rule = sorted((f.rule, f.message.split(":")[0]) for f in found)
    assert ("duty-open", "duty before.coach.plan for service 'first-visit' (2026-10-01) is not recorded but due (Before, Coach 1") in by_rule
    assert ("duty-open", "duty after.coach.write-log for service 'first-visit' (2026-10-01) is not recorded but due (After, Coach 1") in by_rule
    assert not [f for f in found if "Visit Log" in f.message]  # the second framework's report is not the service's
    assert not [f for f in found if "Service Report" in f.message]  # the first framework's report is in order


# duty-before-report: a review of the report comes after the report


def test_the_review_of_a_report_comes_after_it_is_completed():
    """CALI's "Review TAST report" (Follow Up, District/School Leadership 3) says
    `dated: from-report` in the shipped standards."""
    from conftest import EXAMPLES, checker_for
    from tacli.io.yamlsource import load_bytes

    checker = checker_for()
    duty = checker.spec.duty_by_id["follow-up.leadership.review-tast-report"]
    assert duty.dated == "from-report"
    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    first_report = "      completed: 2026-10-02\n"
    assert first_report in text

    def findings_for(record: str, completed: bool = True):
        written = "      follow-up.leadership.review-tast-report: {status: done, date: 2026-10-02, evidence: Principal signed the TAST report}\n"
        changed = text.replace(written, f"      follow-up.leadership.review-tast-report: {record}\n", 1)
        if not completed:
            changed = changed.replace(first_report, "", 1)
        result = checker.examine(checker.read_document(load_bytes(changed.encode("utf-8"), "elm.yaml")))
        return [f.message for f in result.findings if f.rule == "duty-before-report"]

    assert findings_for("{status: done, date: 2026-10-02, evidence: Read it}") == []
    early = findings_for("{status: done, date: 2026-10-01, evidence: Read it}")
    assert early == ["duty follow-up.leadership.review-tast-report (Follow Up, District/School Leadership 3: \"Review TAST report\") is dated 2026-10-01, "
                     "before the TAST Report of service '2026-09-29-data-teams-launch' was completed on 2026-10-02: date it on or after 2026-10-02, the day the report was completed"]
    assert "is not completed" in findings_for("{status: done, date: 2026-10-01, evidence: Read it}", completed=False)[0]
