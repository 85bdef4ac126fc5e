"""Dates, ids and tiers that must agree within one engagement: date-range,
duplicate-id and tier-framework."""

from __future__ import annotations

from datetime import date

from conftest import MINI_ENGAGEMENT, findings_of, hits, messages, variants_of, with_service_on

BASE = MINI_ENGAGEMENT  # tests/data/mini-engagement.yaml; line numbers below refer to it
SERVICE = BASE[BASE.index("  - id: first-visit\n") :]  # lines 25-38


case = variants_of(BASE)



def test_base_is_clean():
    assert hits(BASE) == []


# date-range


def test_end_before_start():
    text = case("end: 2027-06-30", "end: 2026-08-01")
    assert hits(text) == [("date-range", 15, 6), ("date-range", 26, 11)]
    assert messages(text)[0] == "the planned end 2026-08-01 is before the start 2026-09-01: correct one of them"


def test_service_before_the_start():
    text = with_service_on(BASE, "2026-08-31")
    assert hits(text) == [("date-range", 26, 11)]
    assert messages(text) == [
        "service 'first-visit' on 2026-08-31 falls outside the engagement (2026-09-01 to 2027-06-30): correct the date or the engagement's start/end"
    ]


def test_service_after_the_end():
    text = with_service_on(BASE, "2027-07-01")
    assert hits(text, today=date(2027, 7, 10)) == [("date-range", 26, 11)]


def test_services_on_the_first_and_last_day_are_fine():
    assert hits(with_service_on(BASE, "2026-09-01")) == []
    assert hits(with_service_on(BASE, "2027-06-30"), today=date(2027, 7, 10)) == []


def test_service_before_the_start_without_an_end():
    text = with_service_on(case("end: 2027-06-30\n", ""), "2026-08-31")
    assert hits(text) == [("date-range", 25, 11)]
    assert "falls outside the engagement (from 2026-09-01)" in messages(text)[0]


# duplicate-id


def test_two_services_with_one_id():
    text = BASE + SERVICE
    assert hits(text) == [("duplicate-id", 39, 9)]
    assert messages(text) == ["service id 'first-visit' is already used by the 1st service: give each service its own id"]


def test_third_use_of_an_id_names_the_first():
    text = BASE + SERVICE + SERVICE.replace("hours: 3", "hours: 1")
    assert hits(text) == [("duplicate-id", 39, 9), ("duplicate-id", 53, 9)]
    assert all("already used by the 1st service" in message for message in messages(text))


# tier-framework


TEAM = "  team:\n    - {name: Dana Ruiz, role: facilitator}\n"
COACHING = BASE[BASE.index("coaching:\n") : BASE.index("services:\n")]
# An engagement of the `plain` framework only: no duties, coaching offer or intensive-TA features, only its team.
PLAIN = case("  partner: center\n", "", case(SERVICE, "", case(COACHING, "", case("  goals: [Teachers use data]\n", TEAM, case("frameworks: [mini]", "frameworks: [plain]")))))
INTENSIVE_PLAIN = case("tier: basic", "tier: intensive", PLAIN)


def test_intensive_without_a_framework_with_features():
    assert hits(INTENSIVE_PLAIN) == [("tier-framework", 5, 1)]
    assert messages(INTENSIVE_PLAIN) == ["an intensive engagement should list 'mini' in frameworks, so that its intensive-TA features are checked"]
    assert [f.level.value for f in findings_of(INTENSIVE_PLAIN)] == ["warning"]


def test_basic_tier_needs_no_framework_with_features():
    assert hits(PLAIN) == []


def test_intensive_listing_the_framework_with_features():
    text = case("tier: basic", "tier: intensive", case("frameworks: [mini]", "frameworks: [mini, plain]"))
    assert "tier-framework" not in {rule for rule, *_ in hits(text)}


# unlisted-framework: values and records of frameworks the engagement does not list


def test_a_value_of_a_framework_not_listed():
    text = case("  partner: center\n", "", case("frameworks: [mini]", "frameworks: [plain]", case("  goals: [Teachers use data]\n", TEAM)))
    found = [(f.rule, f.line, f.column, f.message) for f in findings_of(text)]
    assert ("unlisted-framework", 27, 11, "support type 'visit' of service 'first-visit' comes from 'mini' (Mini standards), which this engagement does not list: add 'mini' to frameworks, or use a value of a listed framework") in found
    assert ("unlisted-framework", 30, 14, "topic 'data' of service 'first-visit' comes from 'mini' (Mini standards), which this engagement does not list: add 'mini' to frameworks, or use a value of a listed framework") in found
    assert all(f.level.value == "error" for f in findings_of(text))


def test_records_of_a_framework_not_listed_are_one_finding_per_kind():
    text = case("  partner: center\n", "", case("frameworks: [mini]", "frameworks: [plain]", case("  goals: [Teachers use data]\n", TEAM)))
    records = sorted(f.message for f in findings_of(text) if "are recorded" in f.message)
    assert records == [
        "duty records of 'mini' are recorded (3 of them), but this engagement does not list 'mini' in frameworks, so they are not checked: add 'mini' to frameworks, or remove them",
        "readiness criteria of 'mini' are recorded (one), but this engagement does not list 'mini' in frameworks, so they are not checked: add 'mini' to frameworks, or remove them",
        "report sections of 'mini' are recorded (one), but this engagement does not list 'mini' in frameworks, so they are not checked: add 'mini' to frameworks, or remove them",
    ]


def test_a_plan_element_of_a_framework_not_listed():
    text = case("  goals: [Teachers use data]\n", "  goals: [Teachers use data]\n" + TEAM)
    assert hits(text) == [("unlisted-framework", 18, 3)]
    assert "plan elements of 'plain' are recorded (one)" in messages(text)[0]


def test_a_partner_of_a_framework_not_listed():
    assert ("unlisted-framework", 11, 12) in hits(case("frameworks: [plain]", "frameworks: [plain]", PLAIN.replace("  organization: The center\n", "  organization: The center\n  partner: center\n")))


# recipient-eligibility


def test_a_recipient_the_framework_is_not_for():
    text = case("frameworks: [mini]", "frameworks: [mini, priority]")
    assert hits(text) == [("recipient-eligibility", 6, 1)]
    assert messages(text) == ["the recipient is not recorded as a Title I school or district, and 'priority' says: \"For Title I schools.\": set recipient.title_i: true if it is"]
    assert [f.level.value for f in findings_of(text)] == ["warning"]
    assert hits(case("  name: Elm School\n", "  name: Elm School\n  title_i: true\n", text)) == []
    assert hits(case("  name: Elm School\n", "  name: Elm School\n  title_i: false\n", text)) == [("recipient-eligibility", 9, 12)]


def test_a_recipient_recorded_as_not_what_the_framework_is_for_is_told_how_to_turn_the_warning_off():
    text = case("  name: Elm School\n", "  name: Elm School\n  title_i: false\n", case("frameworks: [mini]", "frameworks: [mini, priority]"))
    assert messages(text) == ["the recipient is recorded as not a Title I school or district, and 'priority' says: \"For Title I schools.\": set recipient.title_i: true if it is; a center that serves such recipients under 'priority' too can turn this warning off (ignore = [\"recipient-eligibility\"] in tacli.toml)"]
