"""The coaching offer of the mini standards (one readiness criterion, a cap of
10 hours): coaching-hours and coaching-readiness."""

from __future__ import annotations

from conftest import MINI_ENGAGEMENT, hits, messages, variants_of

BASE = MINI_ENGAGEMENT  # tests/data/mini-engagement.yaml; line numbers below refer to it
READINESS = "  readiness:\n    internet: {met: true, evidence: Checked on a call}\n"  # lines 22-23
COACHING = "coaching:\n  coach:\n    name: Dana Ruiz\n  hour_cap: 10\n" + READINESS  # lines 18-23
SERVICE = BASE[BASE.index("  - id: first-visit\n") :]  # lines 25-36


case = variants_of(BASE)


def another(service_id: str, day: str, hours: int) -> str:
    """The first service again, with another id, date and hours (12 lines)."""
    text = case("id: first-visit", f"id: {service_id}", SERVICE)
    text = case("date: 2026-10-01", f"date: {day}", text)
    return case("hours: 3", f"hours: {hours}", text)



def test_base_is_clean():
    assert hits(BASE) == []


# coaching-hours


def test_one_service_over_the_cap():
    text = case("hours: 3", "hours: 11")
    assert hits(text) == [("coaching-hours", 29, 12)]
    assert messages(text) == ["service 'first-visit' brings coaching hours to 11, over the cap of 10: shorten it or move it out of this offer"]


def test_hours_up_to_the_cap_are_fine():
    assert hits(case("hours: 3", "hours: 10")) == []


def test_the_service_that_crosses_the_cap_is_reported_once():
    text = BASE + another("second-visit", "2026-10-02", 6) + another("third-visit", "2026-10-03", 4)
    # 3 + 6 = 9, then 13 with the third (line 49 + 4); later services are not reported again
    assert hits(text + another("fourth-visit", "2026-10-04", 1)) == [("coaching-hours", 53, 12)]
    assert "brings coaching hours to 13, over the cap of 10" in messages(text)[0]


def test_hours_add_up_in_date_order():
    # listed first, but held last: the later service is the one that crosses the cap
    text = case(SERVICE, another("late-visit", "2026-10-20", 8) + SERVICE)
    assert hits(text) == [("coaching-hours", 29, 12)]
    assert "service 'late-visit' brings coaching hours to 11" in messages(text)[0]


def test_cap_set_above_the_offer():
    text = case("hour_cap: 10", "hour_cap: 12")
    assert hits(text) == [("coaching-hours", 21, 13)]
    assert messages(text) == ["hour_cap 12 exceeds the offer's 10 hours: lower it to at most 10"]


def test_lower_cap_set_by_the_engagement_is_the_limit():
    text = case("hour_cap: 10", "hour_cap: 2")
    assert hits(text) == [("coaching-hours", 29, 12)]
    assert "over the cap of 2" in messages(text)[0]


def test_without_a_cap_the_offer_is_the_limit():
    assert hits(case("hours: 3", "hours: 11", case("  hour_cap: 10\n", ""))) == [("coaching-hours", 28, 12)]


# coaching-readiness


def test_readiness_not_met():
    text = case("{met: true, evidence: Checked on a call}", "{met: false}")
    assert hits(text) == [("coaching-readiness", 23, 5)]
    assert messages(text) == ["readiness criterion 'internet' is not met (\"Has internet\"): a program must meet it to take part"]


def test_readiness_criterion_missing():
    text = case(READINESS, "  readiness: {}\n")
    assert hits(text) == [("coaching-readiness", 22, 3)]
    assert messages(text) == ["readiness criterion 'internet' is not recorded (\"Has internet\"): add it with `met: true` and the evidence"]


def test_readiness_section_missing():
    assert hits(case(READINESS, "")) == [("coaching-readiness", 18, 1)]


def test_no_coaching_section():
    text = case(COACHING, "")
    assert hits(text) == [("coaching-readiness", 1, 1)]
    assert messages(text) == [
        "the engagement follows the coaching offer 'mini' but has no coaching section: add coaching with coach, term, hour_cap and readiness"
    ]


def test_framework_without_a_coaching_offer_needs_no_coaching_section():
    text = case(COACHING, "", case("frameworks: [mini]", "frameworks: [plain]"))
    assert hits(case("  goals: [Teachers use data]\n", "  team:\n    - {name: Dana Ruiz}\n", text)) == []
