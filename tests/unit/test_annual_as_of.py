"""The annual figures as of a day (--today): nothing dated after it counts, and
--year refuses years it cannot name with an example it can."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import EXAMPLES, checker_for
from tacli.domain.annual import annual_figures, school_year_label


def examples():
    from tacli.io.yamlsource import load_bytes

    checker = checker_for(None)
    pairs = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        if path.name != "roster.yaml":
            result = checker.read_document(load_bytes(path.read_bytes(), path.name))
            pairs.append((path.name, result.engagement))
    return pairs


def test_a_reviewer_s_decision_dated_after_today_is_not_counted():
    # Elm Street's launch report (2026-09-29): Maria Lopez approved it on
    # 2026-10-02, Terry Walsh on 2026-10-05. As of 2026-10-03 it still waits for him.
    found = annual_figures(checker_for(None).spec, examples(), "2026-27", date(2026, 10, 3))
    assert found.value("reports_reviewed") == 1
    assert found.value("review_decisions") == 1
    assert found.value("reports_approved") == 0
    assert found.value("reports_waiting_review") == 1
    later = annual_figures(checker_for(None).spec, examples(), "2026-27", date(2026, 10, 5))
    assert (later.value("review_decisions"), later.value("reports_approved"), later.value("reports_waiting_review")) == (2, 1, 0)


def test_a_report_completed_after_today_is_not_reviewed_yet():
    # The launch report was completed on 2026-10-02.
    found = annual_figures(checker_for(None).spec, examples(), "2026-27", date(2026, 10, 1))
    assert (found.value("reports_reviewed"), found.value("review_decisions")) == (0, 0)


@pytest.mark.parametrize("given", ["0000-01", "9999-00"])
def test_the_first_and_last_school_years_a_date_can_be_in_are_taken(given):
    """They are the default --year at the ends of the calendar (--today 0001-01-01,
    9999-12-31): --year refused them, and the note named one as "the year before"."""
    assert school_year_label(given) == given


def test_a_report_completed_after_today_is_not_completed_yet():
    # Elm Street's coaching report of 2026-10-27 was due 2026-11-03 and completed
    # on 2026-11-06: as of 2026-11-05 it is overdue, not late.
    found = annual_figures(checker_for(None).spec, examples(), "2026-27", date(2026, 11, 5))
    assert [found.value(name) for name in ("reports_due", "reports_on_time", "reports_late", "reports_overdue")] == [2, 1, 0, 1]
    later = annual_figures(checker_for(None).spec, examples(), "2026-27", date(2026, 11, 6))
    assert [later.value(name) for name in ("reports_due", "reports_on_time", "reports_late", "reports_overdue")] == [2, 1, 1, 0]


def test_check_says_a_report_completed_after_today_is_overdue_as_of_today(run_tacli):
    done = run_tacli("check", EXAMPLES / "elm-street-data-teams.yaml", "--select", "tast-date,tast-overdue,tast-late", "--today", "2026-11-05")
    lines = [line for line in done.stdout.splitlines() if "2026-10-27-grade-3-coaching" in line]
    assert [line.split()[2] for line in lines] == ["tast-overdue", "tast-date"], lines
    assert "after today" in lines[1]


def test_hours_summed_carry_no_float_noise():
    # 0.1 + 0.2 hours are 0.3 in the export, not 0.30000000000000004.
    import re

    from tacli.io.yamlsource import load_bytes

    checker = checker_for(None)
    text = (EXAMPLES / "hartford-data-webinars.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\n    hours: 1\.5\n", "\n    hours: 0.1\n", text, count=1)
    text = re.sub(r"\n    hours: 1\.5\n", "\n    hours: 0.2\n", text, count=1)
    result = checker.read_document(load_bytes(text.encode("utf-8"), "webinars.yaml"))
    assert result.usable
    found = annual_figures(checker.spec, [("webinars.yaml", result.engagement)], "2026-27", date(2026, 11, 22))
    assert repr(found.value("training_hours_by_mode", "virtual")) == "0.3"
    assert all(repr(row.value) == repr(round(row.value, 9)) for row in found.figures if "hours" in row.figure and row.value is not None)
