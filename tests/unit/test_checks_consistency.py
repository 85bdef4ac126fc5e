"""Dates, ids and tiers that must agree within one engagement: date-range,
duplicate-id and tier-framework."""

from __future__ import annotations

from datetime import date

from conftest import MINI_ENGAGEMENT, findings_of, hits, messages, variants_of

BASE = MINI_ENGAGEMENT  # tests/data/mini-engagement.yaml; line numbers below refer to it
SERVICE = BASE[BASE.index("  - id: first-visit\n") :]  # lines 25-36


case = variants_of(BASE)



def test_base_is_clean():
    assert hits(BASE) == []


# date-range


def test_end_before_start():
    text = case("end: 2027-06-30", "end: 2026-08-01")
    assert hits(text) == [("date-range", 15, 6), ("date-range", 26, 11)]
    assert messages(text)[0] == "the planned end 2026-08-01 is before the start 2026-09-01: correct one of them"


def test_service_before_the_start():
    text = case("date: 2026-10-01", "date: 2026-08-31")
    assert hits(text) == [("date-range", 26, 11)]
    assert messages(text) == [
        "service 'first-visit' on 2026-08-31 falls outside the engagement (2026-09-01 to 2027-06-30): correct the date or the engagement's start/end"
    ]


def test_service_after_the_end():
    text = case("date: 2026-10-01", "date: 2027-07-01")
    assert hits(text, today=date(2027, 7, 2)) == [("date-range", 26, 11)]


def test_services_on_the_first_and_last_day_are_fine():
    text = case("date: 2026-10-01", "date: 2026-09-01", case("2026-09-30, evidence", "2026-08-31, evidence"))
    assert hits(text) == []
    assert hits(case("date: 2026-10-01", "date: 2027-06-30"), today=date(2027, 6, 30)) == []


def test_service_before_the_start_without_an_end():
    text = case("date: 2026-10-01", "date: 2026-08-31", case("end: 2027-06-30\n", ""))
    assert hits(text) == [("date-range", 25, 11)]
    assert "falls outside the engagement (from 2026-09-01)" in messages(text)[0]


# duplicate-id


def test_two_services_with_one_id():
    text = BASE + SERVICE
    assert hits(text) == [("duplicate-id", 37, 9)]
    assert messages(text) == ["service id 'first-visit' is already used by services[0]: give each service its own id"]


def test_third_use_of_an_id_names_the_first():
    text = BASE + SERVICE + SERVICE.replace("hours: 3", "hours: 1")
    assert hits(text) == [("duplicate-id", 37, 9), ("duplicate-id", 49, 9)]
    assert all("already used by services[0]" in message for message in messages(text))


# tier-framework


INTENSIVE_PLAIN = case("tier: basic", "tier: intensive", case("frameworks: [mini]", "frameworks: [plain]"))
TEAM = "  team:\n    - {name: Dana Ruiz, role: facilitator}\n"


def test_intensive_without_a_framework_with_features():
    # `plain` has no intensive-TA features, duties or coaching offer: only its team is asked for
    text = case("  goals: [Teachers use data]\n", TEAM, INTENSIVE_PLAIN)
    assert hits(text) == [("tier-framework", 5, 1)]
    assert messages(text) == ["an intensive engagement should list 'mini' in frameworks, so that its intensive-TA features are checked"]
    assert [f.level.value for f in findings_of(text)] == ["warning"]


def test_basic_tier_needs_no_framework_with_features():
    text = case("  goals: [Teachers use data]\n", TEAM, case("frameworks: [mini]", "frameworks: [plain]"))
    assert hits(text) == []


def test_intensive_listing_the_framework_with_features():
    text = case("tier: basic", "tier: intensive", case("frameworks: [mini]", "frameworks: [mini, plain]"))
    assert "tier-framework" not in {rule for rule, *_ in hits(text)}
