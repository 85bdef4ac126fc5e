"""The coaching offer of the mini standards (one readiness criterion, a cap of
10 hours of coaching sessions, virtual coaching by one coach, in terms):
coaching-hours, coaching-hours-missing, coaching-readiness, coaching-mode,
coaching-coach and coaching-term."""

from __future__ import annotations

from datetime import date

from conftest import MINI_ENGAGEMENT, edited, hits, messages, variants_of, with_service_on

# The mini engagement's service as a coaching session (virtual), which counts against the cap.
BASE = edited(edited(MINI_ENGAGEMENT, "    type: visit\n", "    type: coaching\n"), "    mode: on-site\n", "    mode: virtual\n")
READINESS = "  readiness:\n    internet: {met: true, evidence: Checked on a call}\n"  # lines 22-23
COACHING = "coaching:\n  coach:\n    name: Dana Ruiz\n  hour_cap: 10\n" + READINESS  # lines 18-23
SERVICE = BASE[BASE.index("  - id: first-visit\n") :]  # lines 25-37


case = variants_of(BASE)


def another(service_id: str, day: str, hours: int, kind: str = "coaching") -> str:
    """The first service again (13 lines), on another day, with its duties and report dated to fit."""
    text = with_service_on(case("id: first-visit", f"id: {service_id}", SERVICE), day)
    text = case("type: coaching", f"type: {kind}", text)
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
    # 3 + 6 = 9, then 13 with the third (line 53 + 4); later services are not reported again
    assert hits(text + another("fourth-visit", "2026-10-04", 1)) == [("coaching-hours", 57, 12)]
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
    found = {rule for rule, _, _ in hits(case("  goals: [Teachers use data]\n", "  team:\n    - {name: Dana Ruiz, role: facilitator}\n", text))}
    assert "coaching-readiness" not in found
    assert found == {"unlisted-framework"}  # the service's type, topic, duties and report are mini's


def test_only_the_support_types_the_cap_names_count():
    """The cap is on coaching: a site visit of 20 hours does not count against it."""
    assert hits(BASE + another("a-visit", "2026-10-02", 20, kind="visit")) == []


# coaching-hours-missing


def test_a_coaching_session_without_hours():
    text = case("    hours: 3\n", "")
    assert hits(text) == [("coaching-hours-missing", 25, 5)]
    assert messages(text) == ["service 'first-visit' (coaching) counts against the cap of 10 hours but has no hours: add `hours:`"]


def test_a_visit_without_hours_is_not_counted():
    assert hits(BASE + another("a-visit", "2026-10-02", 1, kind="visit").replace("    hours: 1\n", "")) == []


# coaching-mode, coaching-coach and coaching-term: the offer's conditions


def test_a_coaching_session_on_site():
    text = case("mode: virtual", "mode: on-site")
    assert hits(text) == [("coaching-mode", 28, 11)]
    assert messages(text) == ["service 'first-visit' is delivered on-site, but the offer says \"Coaching is online.\": make it virtual, or record why in its notes"]


def test_a_coaching_session_led_by_another():
    text = case("    hours: 3\n", "    hours: 3\n    facilitator: {name: Sam Park}\n")
    assert hits(text) == [("coaching-coach", 30, 5)]
    assert messages(text) == ["service 'first-visit' is led by Sam Park, not the assigned coach Dana Ruiz (\"One coach for the whole work.\"): record the assigned coach, or why another led it"]
    assert hits(case("    hours: 3\n", "    hours: 3\n    facilitator: {name: '  dana  RUIZ '}\n")) == []


def test_a_service_outside_the_term():
    text = case("  hour_cap: 10\n", "  hour_cap: 10\n  term: autumn-2026\n")
    assert hits(text) == []
    late = text + another("january", "2027-01-12", 1)
    assert hits(late, today=date(2027, 2, 1)) == [("coaching-term", 41, 11)]
    assert messages(late, today=date(2027, 2, 1)) == ["service 'january' on 2027-01-12 falls outside the term autumn 2026 (2026-09-01 to 2026-12-31) the engagement follows: correct the date or the term"]
