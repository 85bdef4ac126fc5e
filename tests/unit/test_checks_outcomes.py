"""Evaluations, outcome evidence and reviews of reports: evaluation-count,
outcome-date, outcome-evidence, outcome-use, outcome-fidelity, outcome-ended,
tast-review and tast-review-overdue, on the golden cases' standards (the mini
standards, with made-up evidence levels, a rating and a day 90 days from the
start by which intensive TA shows use and a fidelity result)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import DATA, TESTS, edited, findings_of, rules_of

OUTCOMES = TESTS / "golden" / "standards" / "outcomes"
GOLDEN = TESTS / "golden"


def golden(name: str) -> str:
    return (GOLDEN / f"{name}.yaml").read_text(encoding="utf-8")


def rules(text: str, today: date = date(2026, 11, 22)) -> set[str]:
    return rules_of(text, standards=OUTCOMES, today=today)


def messages(text: str, rule: str, today: date = date(2026, 11, 22)) -> list[str]:
    return [f.message for f in findings_of(text, standards=OUTCOMES, today=today) if f.rule == rule]


MINI = (DATA / "mini-engagement.yaml").read_text(encoding="utf-8").replace("frameworks: [mini]", "frameworks: [mini, levels]")


def with_outcomes(*entries: str, text: str = MINI) -> str:
    return text + "outcomes:\n" + "".join(f"  - {entry}\n" for entry in entries)


# --- evaluation-count -----------------------------------------------------------------


def evaluated(forms: str) -> str:
    return edited(MINI, "    topics: [data]\n", f"    topics: [data]\n    evaluation_forms: {forms}\n")


def test_evaluation_forms_that_add_up_are_clean():
    assert rules(evaluated("{requested: 12, returned: 10, rated: 9, ratings: {quality: 4.5}, comments: [Useful]}")) == set()
    assert rules(evaluated("{requested: 12, returned: 0}")) == set()


@pytest.mark.parametrize("forms, said", [
    ("{requested: 12, returned: 14}", "14 returned of 12 requested"),
    ("{returned: 10, rated: 11, ratings: {quality: 4}}", "11 rated of 10 returned"),
    ("{requested: 12, ratings: {quality: 4}}", "with no count of forms returned"),
    ("{requested: 12, returned: 0, ratings: {quality: 4}}", "with no form returned"),
])
def test_evaluation_forms_that_do_not_add_up(forms, said):
    found = messages(evaluated(forms), "evaluation-count")
    assert len(found) == 1 and said in found[0]


def test_ratings_stay_on_the_standards_scale():
    found = findings_of(evaluated("{returned: 10, ratings: {quality: 6}}"), standards=OUTCOMES)
    assert [f.rule for f in found] == ["schema-type"] and "less than or equal to 5" in found[0].message
    assert [f.rule for f in findings_of(evaluated("{returned: 10, ratings: {relevance: 4}}"), standards=OUTCOMES)] == ["unknown-value"]


def test_ratings_of_a_framework_not_listed_are_told():
    text = evaluated("{returned: 10, ratings: {quality: 4}}").replace("frameworks: [mini, levels]", "frameworks: [mini]")
    assert rules(text) == {"unlisted-framework"}


# --- outcome-date, outcome-evidence ---------------------------------------------------------


def test_outcome_entries_dated_and_placed_are_clean():
    text = with_outcomes("{date: 2026-09-01, level: reactions, observed: Liked it, evidence: forms.pdf}",
                         "{date: 2026-11-22, level: use, observed: Uses it, evidence: notes.pdf}")
    assert rules(text) == set()


@pytest.mark.parametrize("day, said", [("2026-11-23", "after today (2026-11-22)"), ("2026-08-31", "before the engagement's start (2026-09-01)")])
def test_outcome_dates(day, said):
    found = messages(with_outcomes(f"{{date: {day}, level: learning, observed: Learned it, evidence: test.pdf}}"), "outcome-date")
    assert len(found) == 1 and said in found[0]


def test_an_outcome_says_where_its_evidence_is():
    found = findings_of(with_outcomes("{date: 2026-10-02, level: learning, observed: Learned it}", "{date: 2026-10-03, level: learning, observed: Again, evidence: '  '}"), standards=OUTCOMES)
    assert [f.rule for f in found] == ["outcome-evidence", "outcome-evidence"]
    assert "(2026-10-02, Learning)" in found[0].message


def test_an_evidence_level_the_standards_do_not_know():
    found = findings_of(with_outcomes("{date: 2026-10-02, level: learnng, observed: Learned it, evidence: x}"), standards=OUTCOMES)
    assert [f.rule for f in found] == ["unknown-value"] and "did you mean 'learning'" in found[0].message


def test_evidence_of_a_framework_not_listed_is_told():
    text = with_outcomes("{date: 2026-10-02, level: learning, observed: Learned it, evidence: x}").replace("frameworks: [mini, levels]", "frameworks: [mini]")
    assert rules(text) == {"unlisted-framework"}


# --- outcome-use, outcome-fidelity ----------------------------------------------------------


def test_outcome_use_from_the_day_after_the_limit():
    text = golden("outcome-use")
    assert rules(text) == {"outcome-use"}
    assert not {r for r in rules(text, today=date(2026, 10, 30)) if r.startswith("outcome-")}  # start + 90 days: not yet
    assert "no evidence at the level 'use' (Use) or above" in messages(text, "outcome-use")[0]


def test_evidence_at_use_or_above_it_answers_outcome_use():
    text = edited(golden("outcome-use"), "level: learning,", "level: use,")
    assert rules(text) == set()


def test_evidence_dated_after_today_does_not_count():
    text = edited(golden("outcome-use"), "  - {date: 2026-10-20, level: learning,", "  - {date: 2026-10-20, level: use,")
    assert not {r for r in rules(text, today=date(2026, 11, 1)) if r.startswith("outcome-")} - {"outcome-date"}
    assert "outcome-use" in rules(text.replace("date: 2026-10-20, level: use", "date: 2026-11-05, level: use"), today=date(2026, 11, 1))


def test_an_intensive_engagement_not_listing_the_levels_is_told_which_to_add():
    text = golden("outcome-use").replace("frameworks: [mini, levels]", "frameworks: [mini]")
    text = text[:text.index("outcomes:")]
    assert "add 'levels' to frameworks" in messages(text, "outcome-use")[0]


def test_outcome_fidelity():
    text = golden("outcome-fidelity")
    assert rules(text) == {"outcome-fidelity"}
    assert "its fidelity reviews give no score" in messages(text, "outcome-fidelity")[0]
    assert rules(edited(text, "{date: 2026-10-20, measure: Data use inventory}", "{date: 2026-10-20, measure: Data use inventory, score: 48}")) == set()
    assert not rules(text, today=date(2026, 10, 29)) & {"outcome-use", "outcome-fidelity"}


def test_outcome_rules_are_for_intensive_ta_only():
    text = golden("outcome-fidelity").replace("tier: intensive", "tier: basic")
    assert not rules(text) & {"outcome-use", "outcome-fidelity"}


def test_a_fidelity_score_is_a_percent():
    text = edited(golden("outcome-fidelity"), "{date: 2026-10-20, measure: Data use inventory}", "{date: 2026-10-20, measure: Data use inventory, score: 140}")
    assert "schema-type" in rules(text)


# --- outcome-ended --------------------------------------------------------------------------


def test_outcome_ended():
    text = golden("outcome-ended")
    assert rules(text) == {"outcome-ended"}
    assert "no outcome evidence above Reactions" in messages(text, "outcome-ended")[0]
    assert rules(text, today=date(2026, 10, 31)) == set()  # its last day: not ended yet
    assert rules(edited(text, "level: reactions", "level: learning")) == set()
    assert rules(text.replace("frameworks: [mini, levels]", "frameworks: [mini]").split("outcomes:")[0]) == set()  # no levels listed: nothing asked


def test_outcome_ended_with_no_evidence_at_all():
    text = golden("outcome-ended").split("outcomes:")[0]
    assert rules(text) == {"outcome-ended"}


# --- tast-review, tast-review-overdue ---------------------------------------------------------


REVIEWED = edited(MINI, "start: 2026-09-01\n", "reviewers:\n  - {name: Pat Lee, role: Principal}\n  - {name: Sam Ortiz}\nstart: 2026-09-01\n")


def reviewed(*reviews: str, text: str = REVIEWED) -> str:
    return edited(text, "      completed: 2026-10-05\n", "      completed: 2026-10-05\n      reviews:\n" + "".join(f"        - {review}\n" for review in reviews))


def test_a_report_approved_by_every_reviewer_is_clean():
    assert rules(reviewed("{reviewer: Pat Lee, decision: approved, date: 2026-10-06}", "{reviewer: sam  ortiz, decision: approved, date: 2026-10-05}")) == set()


@pytest.mark.parametrize("review, said", [
    ("{reviewer: Pat Lee, decision: approved, date: 2026-10-04}", "before the report was completed on 2026-10-05"),
    ("{reviewer: Pat Lee, decision: approved, date: 2026-11-23}", "after today (2026-11-22)"),
    ("{reviewer: Pat Le, decision: approved, date: 2026-10-06}", "'Pat Le' is not one of the engagement's reviewers (the reviewers are Pat Lee, Sam Ortiz)"),
])
def test_a_review_out_of_place(review, said):
    text = reviewed(review, "{reviewer: Pat Lee, decision: approved, date: 2026-10-06}", "{reviewer: Sam Ortiz, decision: approved, date: 2026-10-06}")
    found = messages(text, "tast-review")
    assert len(found) == 1 and said in found[0], found


def test_a_review_of_a_report_not_completed():
    text = reviewed("{reviewer: Pat Lee, decision: approved, date: 2026-10-06}")
    text = text.replace("      completed: 2026-10-05\n", "").replace("follow-up.facilitator.write-report: {status: done, date: 2026-10-05, evidence: report.md}", "follow-up.facilitator.write-report: {status: not-applicable, reason: No report}")
    assert "the report is not completed" in messages(text, "tast-review")[0]


def test_reviews_waiting_past_their_day():
    found = messages(REVIEWED, "tast-review-overdue")
    assert [m.split("waits for the review of ")[1].split(",")[0] for m in found] == ["Pat Lee", "Sam Ortiz"]
    assert "due 2026-10-12" in found[0]  # no review duty in these standards: the report's 7 days after it was completed
    assert rules(REVIEWED, today=date(2026, 10, 12)) == set()


def test_changes_asked_for_wait_for_another_review():
    text = reviewed("{reviewer: Pat Lee, decision: approved, date: 2026-10-06}", "{reviewer: Sam Ortiz, decision: changes-requested, date: 2026-10-06, note: Add the data}")
    [message] = messages(text, "tast-review-overdue")  # the changes asked for: the facilitator's to make, not a review to wait for
    assert "waits for the changes Sam Ortiz asked for" in message and "resubmit it (tacli tast --resubmit)" in message
    resubmitted = reviewed("{reviewer: Pat Lee, decision: approved, date: 2026-10-06}", "{reviewer: Sam Ortiz, decision: changes-requested, date: 2026-10-06, note: Add the data}",
                           "{reviewer: Sam Ortiz, decision: resubmitted, date: 2026-10-07}")
    assert [m.split("waits for the review of ")[1].split(",")[0] for m in messages(resubmitted, "tast-review-overdue")] == ["Sam Ortiz"]
    again = reviewed("{reviewer: Pat Lee, decision: approved, date: 2026-10-06}", "{reviewer: Sam Ortiz, decision: approved, date: 2026-10-08}",
                     "{reviewer: Sam Ortiz, decision: changes-requested, date: 2026-10-06, note: Add the data}")
    assert rules(again) == set()  # the latest decision, by date, counts


def test_no_reviewers_no_reviews_waiting():
    assert rules(MINI) == set()


def test_a_decision_the_format_does_not_know():
    found = findings_of(reviewed("{reviewer: Pat Lee, decision: aproved, date: 2026-10-06}"), standards=OUTCOMES)
    assert "unknown-value" in {f.rule for f in found}
    assert any("did you mean 'approved'" in f.message for f in found)
