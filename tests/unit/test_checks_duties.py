"""Duties of the duty matrix and the per-service report: duty-open, duty-status,
duty-evidence, duty-not-conditional, tast-overdue and tast-due-soon.

In the mini standards the planning duty falls due on the service date, the
follow-up duty (conditional) once the report is due: 7 days after the service,
with a warning from 2 days before. The service below is on 2026-10-01, so its
report is due on 2026-10-08.
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import MINI_ENGAGEMENT, findings_of, hits, messages, variants_of

BASE = MINI_ENGAGEMENT  # tests/data/mini-engagement.yaml; line numbers below refer to it
PLANNING = "{status: done, date: 2026-09-30, evidence: agenda.pdf}"  # line 32, from column 44
FOLLOW_UP = "{status: not-applicable, reason: Report written by the center}"  # line 33
DUTIES = BASE[BASE.index("    duties:\n") : BASE.index("    tast_report:\n")]
TAST = BASE[BASE.index("    tast_report:\n") :]


case = variants_of(BASE)



# A service with no duty records, and a completed report: only duty-open can fire.
NO_DUTIES = case(DUTIES, "")
# A service with its duty records, and no report: only the report rules can fire.
NO_REPORT = case(TAST, "")


def test_base_is_clean():
    assert hits(BASE) == []
    assert hits(BASE, today=date(2026, 10, 1)) == []


# duty-open


def test_planning_duty_is_due_on_the_service_date():
    assert hits(NO_DUTIES, today=date(2026, 10, 1)) == [("duty-open", 25, 5)]
    assert messages(NO_DUTIES, today=date(2026, 10, 1)) == [
        "duty planning.facilitator.prepare-agenda for service 'first-visit' (2026-10-01) is not recorded but due "
        '(Planning, Facilitator 1: "Prepare the agenda"): mark it done with a date and evidence, or not-applicable with a reason'
    ]


def test_planning_duty_is_not_due_before_the_service_date():
    assert hits(NO_DUTIES, today=date(2026, 9, 30)) == []


def test_follow_up_duty_is_not_due_until_the_report_is():
    text = case("      follow-up.facilitator.write-report: " + FOLLOW_UP + "\n", "")
    assert hits(text, today=date(2026, 10, 8)) == []
    assert hits(text, today=date(2026, 10, 9)) == [("duty-open", 31, 5)]  # at `duties:`, which lacks it
    assert "duty follow-up.facilitator.write-report for service 'first-visit' (2026-10-01) is not recorded but due (Follow Up, Facilitator 1" in messages(
        text, today=date(2026, 10, 9)
    )[0]


def test_both_duties_due_without_records():
    assert hits(NO_DUTIES, today=date(2026, 10, 9)) == [("duty-open", 25, 5), ("duty-open", 25, 5)]


def test_open_duty_is_reported_at_its_record():
    text = case(PLANNING, "{status: open}")
    assert hits(text) == [("duty-open", 32, 7)]
    assert " is open but due " in messages(text)[0]


def test_open_duty_not_yet_due_is_fine():
    assert hits(case(PLANNING, "{status: open}"), today=date(2026, 9, 30)) == []


def test_duties_of_a_second_service():
    second = "  - id: second-visit\n    date: 2026-11-02\n    type: visit\n    mode: virtual\n"
    text = BASE + second
    assert hits(text, today=date(2026, 11, 2)) == [("duty-open", 37, 5)]


# duty-status


def test_done_without_a_date():
    text = case(PLANNING, "{status: done, evidence: agenda.pdf}")
    assert hits(text) == [("duty-status", 32, 7)]
    assert messages(text) == ["duty planning.facilitator.prepare-agenda is done but has no date: add `date: YYYY-MM-DD`"]


def test_done_in_the_future():
    text = case(PLANNING, "{status: done, date: 2026-12-01, evidence: agenda.pdf}")
    assert hits(text) == [("duty-status", 32, 65)]
    assert messages(text) == ["duty planning.facilitator.prepare-agenda is dated 2026-12-01, after today (2026-11-22): a duty is done when it has happened"]


def test_done_today_is_fine():
    assert hits(case(PLANNING, "{status: done, date: 2026-11-22, evidence: agenda.pdf}")) == []


def test_not_applicable_without_a_reason():
    text = case(FOLLOW_UP, "{status: not-applicable}")
    assert hits(text) == [("duty-status", 33, 7)]
    assert messages(text) == ["duty follow-up.facilitator.write-report is not-applicable without a reason: add `reason:` saying why it does not apply"]


# duty-evidence


def test_done_without_evidence():
    text = case(PLANNING, "{status: done, date: 2026-09-30}")
    assert hits(text) == [("duty-evidence", 32, 7)]
    assert [f.level.value for f in findings_of(text)] == ["warning"]


def test_done_with_empty_evidence():
    assert hits(case(PLANNING, "{status: done, date: 2026-09-30, evidence: ''}")) == [("duty-evidence", 32, 7)]


# duty-not-conditional


def test_unconditional_duty_marked_not_applicable():
    text = case(PLANNING, "{status: not-applicable, reason: No agenda this time}")
    assert hits(text) == [("duty-not-conditional", 32, 7)]
    assert messages(text) == [
        "duty planning.facilitator.prepare-agenda (Planning, Facilitator 1) is marked not-applicable, "
        "but the standard makes it unconditional: do it, or keep the reason for the record"
    ]


def test_unconditional_duty_not_applicable_without_reason():
    assert hits(case(PLANNING, "{status: not-applicable}")) == [("duty-not-conditional", 32, 7), ("duty-status", 32, 7)]


def test_conditional_duty_marked_not_applicable_is_fine():
    assert "duty-not-conditional" not in {rule for rule, *_ in hits(BASE)}


# tast-overdue and tast-due-soon


@pytest.mark.parametrize("day", [1, 2, 3, 4])
def test_report_not_flagged_early(day):
    assert hits(NO_REPORT, today=date(2026, 10, 1 + day)) == []


@pytest.mark.parametrize("day, when", [(5, "in 2 days"), (6, "in 1 day"), (7, "today")])
def test_report_due_soon_on_days_5_to_7(day, when):
    today = date(2026, 10, 1 + day)
    assert hits(NO_REPORT, today=today) == [("tast-due-soon", 25, 5)]
    assert messages(NO_REPORT, today=today) == [
        f"Service Report for service 'first-visit' (2026-10-01) is due {when} (2026-10-08): complete it and set tast_report.completed"
    ]
    assert [f.level.value for f in findings_of(NO_REPORT, today=today)] == ["warning"]


@pytest.mark.parametrize("day, ago", [(8, "1 day ago"), (9, "2 days ago")])
def test_report_overdue_from_day_8(day, ago):
    today = date(2026, 10, 1 + day)
    assert hits(NO_REPORT, today=today) == [("tast-overdue", 25, 5)]
    assert messages(NO_REPORT, today=today) == [
        f"Service Report for service 'first-visit' (2026-10-01) was due 2026-10-08, {ago}: complete it and set tast_report.completed"
    ]


def test_report_without_completed_date_is_reported_at_the_report():
    text = case("      completed: 2026-10-05\n", "")
    assert hits(text) == [("tast-overdue", 34, 5)]


@pytest.mark.parametrize("today", [date(2026, 10, 6), date(2026, 10, 8), date(2026, 10, 9), date(2026, 11, 30)])
def test_completed_report_is_never_flagged(today):
    assert hits(BASE, today=today) == []


def test_future_service_report_is_not_flagged():
    assert hits(NO_REPORT, today=date(2026, 9, 30)) == []


def test_service_at_the_end_of_the_calendar_does_not_crash():
    # its report would be due after 9999-12-31, which no date can hold
    text = case("date: 2026-10-01", "date: 9999-12-30")
    assert hits(text) == [("date-range", 26, 11)]
    assert ("date-range", 26, 11) in hits(case("date: 2026-10-01", "date: 9999-12-30", NO_REPORT), today=date(9999, 12, 31))
