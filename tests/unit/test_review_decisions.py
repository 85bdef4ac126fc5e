"""A decision about to be recorded (`tacli tast --review`), before it is written:
the state it makes (domain.reviews.ReviewState.with_decision, one definition of
"approved") and whether it repeats the reviewer's latest (Decision.same_as)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import EXAMPLES, checker_for

from tacli.domain.reports import service_report
from tacli.domain.reviews import Decision, review_state


@pytest.fixture(scope="module")
def elm():
    from tacli.io.yamlsource import load_path

    checker = checker_for(None)
    return checker.spec, checker.read_document(load_path(EXAMPLES / "elm-street-data-teams.yaml")).engagement


def test_an_approval_by_the_one_waiting_approves_the_report_on_its_day(elm):
    spec, engagement = elm
    state = review_state(spec, engagement, engagement.services[1], service_report(spec, engagement))
    assert not state.approved and state.latest_of("maria  LOPEZ").decision == "changes-requested"
    after = state.with_decision("Maria Lopez", Decision("Maria Lopez", "approved", date(2026, 11, 20)))
    assert after.approved and after.approved_on == date(2026, 11, 20) and after.waiting == ()
    assert state.waiting == ("Maria Lopez",)  # the state itself is unchanged


def test_changes_asked_for_by_one_take_the_approval_away(elm):
    spec, engagement = elm
    state = review_state(spec, engagement, engagement.services[0], service_report(spec, engagement))
    assert state.approved
    after = state.with_decision("Terry Walsh", Decision("Terry Walsh", "changes-requested", date(2026, 11, 20), "More"))
    assert not after.approved and after.waiting == ("Terry Walsh",) and after.changes_requested == ("Terry Walsh",)


def test_the_same_decision_with_the_same_note_repeats_it_whatever_its_day(elm):
    spec, engagement = elm
    state = review_state(spec, engagement, engagement.services[1], service_report(spec, engagement))
    latest = state.latest_of("Maria Lopez")
    assert Decision("Maria Lopez", "changes-requested", date(2026, 11, 22), latest.note).same_as(latest)
    assert Decision("Maria Lopez", "changes-requested", date(2026, 11, 9), f" {latest.note} ").same_as(latest)
    assert not Decision("Maria Lopez", "changes-requested", date(2026, 11, 9), "Another change").same_as(latest)
    assert not Decision("Maria Lopez", "approved", date(2026, 11, 9), latest.note).same_as(latest)
    assert not Decision("Maria Lopez", "approved", date(2026, 11, 9)).same_as(None)
