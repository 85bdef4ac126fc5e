"""The domain rules of evaluations, outcome evidence, reviews of reports and
the coverage of a roster, on the shipped standards and examples."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from conftest import EXAMPLES, TODAY, checker_for

from tacli.domain.coverage import NO_ENGAGEMENT, NO_RECENT_SERVICE, SERVED, coverage, matches, served_among, served_by
from tacli.domain.evaluations import Evaluations, evaluations, rated_forms, service_evaluations
from tacli.domain.outcomes import above_lowest, evidence_due, fidelity_results, highest, ladder, reaches
from tacli.domain.reports import service_report
from tacli.domain.reviews import ReviewCounts, count_reviews, find_reviewer, review_due, review_state


def example(name: str):
    checker = checker_for(None)
    from tacli.io.yamlsource import load_path

    return checker.read_document(load_path(EXAMPLES / f"{name}.yaml")).engagement


@pytest.fixture(scope="module")
def spec():
    return checker_for(None).spec


@pytest.fixture(scope="module")
def elm():
    return example("elm-street-data-teams")


@pytest.fixture(scope="module")
def riverside():
    return example("riverside-district-intensive")


# --- evaluations ---------------------------------------------------------------------


def test_one_service_s_forms(spec, elm):
    launch = elm.services[0]
    counted = service_evaluations(spec, launch)
    assert (counted.services, counted.requested, counted.returned, counted.comments) == (1, 18, 17, 2)
    assert counted.mean("quality") == pytest.approx(4.6) and counted.count("quality") == 17


def test_means_are_weighted_by_the_forms_that_gave_them(spec, elm):
    total = evaluations(spec, elm.services)
    assert (total.services, total.requested, total.returned) == (2, 23, 22)
    assert total.mean("quality") == pytest.approx((4.6 * 17 + 4.8 * 5) / 22)
    assert total.count("relevance") == 22
    assert total.return_rate == pytest.approx(22 / 23)


def test_rated_forms_and_requested_without_returned(spec):
    forms = SimpleNamespace(requested=10, returned=8, rated=6, ratings=None, comments=[])
    assert rated_forms(forms) == 6
    assert rated_forms(SimpleNamespace(rated=None, returned=None)) == 0
    service = SimpleNamespace(evaluation_forms=SimpleNamespace(requested=10, returned=None, rated=None, ratings=None, comments=[]))
    assert service_evaluations(spec, service) == Evaluations()  # no count returned: nothing to add up


def test_evaluations_add_up():
    one = Evaluations(1, 10, 8, {"quality": (32.0, 8)}, 1)
    two = Evaluations(1, 5, 5, {"quality": (25.0, 5), "usefulness": (20.0, 5)})
    total = one + two
    assert (total.services, total.requested, total.returned, total.comments) == (2, 15, 13, 1)
    assert total.mean("quality") == pytest.approx(57 / 13) and total.mean("usefulness") == 4.0 and total.mean("relevance") is None


# --- outcomes ------------------------------------------------------------------------------


def test_the_ladder_is_every_level_lowest_first(spec, elm):
    rungs = ladder(spec, elm)
    assert [rung.level.id for rung in rungs] == ["reactions", "learning", "organization", "use", "students"]
    assert [len(rung.entries) for rung in rungs] == [1, 1, 1, 1, 0]
    assert rungs[3].latest == date(2026, 11, 20)
    assert [len(rung.entries) for rung in ladder(spec, elm, until=date(2026, 10, 31))] == [1, 1, 0, 0, 0]


def test_highest_and_reaches(spec, elm, riverside):
    assert highest(spec, elm) == "use" and highest(spec, riverside) == "students"
    assert highest(spec, elm, until=date(2026, 9, 30)) == "reactions"
    assert highest(spec, elm, since=date(2026, 11, 1), until=date(2026, 11, 15)) == "organization"
    assert reaches(spec, elm, "use") and not reaches(spec, elm, "students")
    assert above_lowest(spec, elm) and not above_lowest(spec, elm, until=date(2026, 10, 1))


def test_when_intensive_ta_shows_evidence(spec, riverside, elm):
    assert evidence_due(spec, riverside) == date(2025, 12, 28)  # 180 days from 2025-07-01 (Fixsen's reading)
    assert evidence_due(spec, elm) is None  # targeted TA: no such day
    assert [r.score for r in fidelity_results(riverside, until=date(2025, 9, 1))] == [38, 22]


# --- reviews ----------------------------------------------------------------------------------


def test_a_report_approved_by_both_reviewers(spec, elm):
    report = service_report(spec, elm)
    state = review_state(spec, elm, elm.services[0], report)
    assert state.reviewers == ("Maria Lopez", "Terry Walsh")
    assert state.approved and state.approved_on == date(2026, 10, 5) and state.waiting == ()


def test_changes_asked_for_keep_a_report_waiting(spec, elm):
    report = service_report(spec, elm)
    state = review_state(spec, elm, elm.services[1], report)
    assert not state.approved and state.waiting == ("Maria Lopez",) and state.changes_requested == ("Maria Lopez",)
    assert state.due == date(2026, 11, 17)  # Review TAST report: by the next service
    assert state.overdue(TODAY) and not state.overdue(date(2026, 11, 17))


def test_a_report_not_completed_waits_for_no_review(spec, elm):
    report = service_report(spec, elm)
    state = review_state(spec, elm, elm.services[2], report)
    assert state.completed is None and state.waiting == () and state.due is None and not state.approved


def test_the_review_of_the_last_service_is_due_by_the_engagement_s_end(spec, elm):
    report = service_report(spec, elm)
    done = SimpleNamespace(date=elm.services[2].date, tast_report=SimpleNamespace(completed=date(2026, 11, 20), reviews=[]))
    assert review_due(spec, elm, done, report) == date(2027, 6, 15)


def test_reviews_counted(spec, elm):
    report = service_report(spec, elm)
    # the coaching's report: Maria Lopez asked for changes; it waits for its facilitator, not for a reviewer
    assert count_reviews(spec, elm, elm.services, report, TODAY) == ReviewCounts(reviewed=2, approved=1, waiting=0, overdue=1, decisions=4, revising=1)


def test_a_report_resubmitted_waits_for_the_reviewer_again(spec, elm):
    from datetime import timedelta

    report = service_report(spec, elm)
    coaching = next(s for s in elm.services if s.id == "2026-10-27-grade-3-coaching")
    review = coaching.tast_report.reviews[0]
    assert review.decision == "changes-requested"
    state = review_state(spec, elm, coaching, report)
    assert state.revising == ("Maria Lopez",) and state.to_review == ()
    again = review.model_copy(update={"decision": "resubmitted", "date": review.date + timedelta(days=2), "note": None})
    resubmitted = coaching.model_copy(update={"tast_report": coaching.tast_report.model_copy(update={"reviews": [*coaching.tast_report.reviews, again]})})
    state = review_state(spec, elm, resubmitted, report)
    assert state.revising == () and state.to_review == ("Maria Lopez",) and not state.approved
    counted = count_reviews(spec, elm, [resubmitted], report, TODAY)
    assert (counted.waiting, counted.revising, counted.decisions) == (1, 0, 2)  # a resubmission is not a reviewer's decision


def test_a_reviewer_by_part_of_the_name(elm):
    assert find_reviewer(elm, "maria") == "Maria Lopez"
    assert find_reviewer(elm, "Terry  WALSH") == "Terry Walsh"
    assert find_reviewer(elm, "Mar") is None and find_reviewer(elm, "Dana Ruiz") is None


# --- coverage --------------------------------------------------------------------------------------


def entry(kind, name, district=None, priority=None):
    return SimpleNamespace(kind=kind, name=name, district=district, priority=priority, title_i=None, in_need_of_improvement=None)


def test_a_roster_entry_matches_kind_name_and_district_when_both_say():
    school = entry("school", "Elm Street School", "Hartford Public Schools")
    assert matches(school, "school", "elm  street school", "")
    assert matches(school, "school", "Elm Street School", "hartford public schools")
    assert not matches(school, "school", "Elm Street School", "New Britain")
    assert not matches(school, "district", "Elm Street School", "")


def test_coverage_of_the_examples_roster(elm, riverside):
    from tacli.reading.roster import load_roster

    roster = load_roster(EXAMPLES / "roster.yaml")
    acorns = example("little-acorns-oec-coaching")
    served = [served_by("elm.yaml", elm), served_by("riverside.yaml", riverside), served_by("acorns.yaml", acorns)]
    covered = coverage(roster, served, TODAY)
    assert [item.standing for item in covered] == [NO_ENGAGEMENT, SERVED, NO_ENGAGEMENT, NO_ENGAGEMENT, SERVED, NO_RECENT_SERVICE, NO_ENGAGEMENT]
    assert covered[1].last_service == date(2026, 11, 17) and covered[5].last_service == date(2021, 12, 13)
    assert served_among(covered) == (2, 7) and served_among(covered, "priority") == (2, 3)
    assert coverage(roster, served, date(2022, 1, 1))[5].standing == SERVED
