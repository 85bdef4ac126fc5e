"""Intensive TA (the mini standards' `clarity` feature and limits): fixsen-feature,
fixsen-indicator, fixsen-duration, fixsen-reach, fixsen-contact-gap,
fixsen-fidelity and fixsen-agreement. The limits: 2 to 5 years, a reach target
of at least 60%, contact and fidelity reviews at most 31 days apart."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from conftest import MINI_STANDARDS, findings_of, hits, messages, variants_of

BASE = """\
tacli: 1
id: elm-intensive
title: Intensive data use at Elm School
tier: intensive
frameworks: [mini]
recipient:
  kind: school
  name: Elm School
provider:
  organization: The center
  facilitator:
    name: Dana Ruiz
start: 2026-09-01
end: 2028-08-31
plan:
  goals: [Teachers use data]
coaching:
  coach:
    name: Dana Ruiz
  readiness:
    internet: {met: true, evidence: Checked on a call}
intensive:
  agreement: {date: 2026-08-25, summary: Need and methods agreed}
  reach: {intended: 40, target_percent: 75}
  features:
    clarity:
      roles: Roles written in the plan
  fidelity_reviews:
    - {date: 2026-09-30}
    - {date: 2026-10-30}
services:
  - id: september
    date: 2026-09-30
    type: visit
    mode: on-site
    agenda: [{time: "09:00", item: Data review}]
    duties:
      planning.facilitator.prepare-agenda: {status: done, date: 2026-09-29, evidence: agenda.pdf}
      follow-up.facilitator.write-report: {status: done, date: 2026-10-02, evidence: report.md}
    tast_report: {notes: [Good session], completed: 2026-10-02}
  - id: october
    date: 2026-10-30
    type: visit
    mode: virtual
    agenda: [{time: "09:00", item: Data review}]
    duties:
      planning.facilitator.prepare-agenda: {status: done, date: 2026-10-29, evidence: agenda.pdf}
      follow-up.facilitator.write-report: {status: done, date: 2026-11-02, evidence: report.md}
    tast_report: {notes: [Good session], completed: 2026-11-02}
"""
INTENSIVE = BASE[BASE.index("intensive:\n") : BASE.index("services:\n")]  # lines 22-30
FEATURES = "  features:\n    clarity:\n      roles: Roles written in the plan\n"  # lines 25-27
REVIEWS = "  fidelity_reviews:\n    - {date: 2026-09-30}\n    - {date: 2026-10-30}\n"  # lines 28-30
SERVICES = BASE[BASE.index("services:\n") :]  # lines 31-49


case = variants_of(BASE)



def test_base_is_clean():
    assert hits(BASE) == []


# Only intensive engagements


def test_other_tiers_are_not_checked():
    assert hits(case(INTENSIVE, "", case("tier: intensive", "tier: basic"))) == []


@pytest.fixture(scope="module")
def with_tier_alias(tmp_path_factory):
    """The mini standards, with `tier-3` as another name of the intensive tier."""
    folder = tmp_path_factory.mktemp("standards")
    shutil.copytree(MINI_STANDARDS, folder, dirs_exist_ok=True)
    matrix = folder / "matrix.yaml"
    text = matrix.read_text(encoding="utf-8")
    old = "  - id: intensive\n    title: Intensive\n"
    assert text.count(old) == 1
    matrix.write_text(text.replace(old, old + "    aliases: [tier-3]\n"), encoding="utf-8")
    return folder


def test_alias_of_the_intensive_tier_is_checked(with_tier_alias):
    text = case("tier: intensive", "tier: tier-3")
    assert hits(text, standards=with_tier_alias) == []
    assert hits(case(FEATURES, "", text), standards=with_tier_alias) == [("fixsen-feature", 22, 1)]


def test_no_intensive_section():
    assert hits(case(INTENSIVE, "")) == [
        ("fixsen-agreement", 1, 1),
        ("fixsen-feature", 1, 1),
        ("fixsen-fidelity", 1, 1),
        ("fixsen-reach", 1, 1),
    ]


# fixsen-feature and fixsen-indicator


def test_feature_missing():
    text = case(FEATURES, "")
    assert hits(text) == [("fixsen-feature", 22, 1)]
    assert messages(text) == ["intensive TA lacks the feature 'clarity' (Clarity): add intensive.features.clarity with evidence for its indicator"]


def test_feature_missing_from_empty_features():
    assert hits(case(FEATURES, "  features: {}\n")) == [("fixsen-feature", 25, 3)]


def test_indicator_missing():
    text = case("    clarity:\n      roles: Roles written in the plan\n", "    clarity: {}\n")
    assert hits(text) == [("fixsen-indicator", 26, 5)]
    assert messages(text) == ["feature 'clarity' lacks evidence for indicator 'roles' (\"Clear roles\"): add what shows it"]


def test_indicator_without_evidence():
    assert hits(case("roles: Roles written in the plan", "roles: ''")) == [("fixsen-indicator", 26, 5)]


# fixsen-duration


def test_no_planned_end():
    text = case("end: 2028-08-31\n", "")
    assert hits(text) == [("fixsen-duration", 13, 8)]
    assert messages(text) == ["intensive TA has no planned end: add `end:` (2 to 5 years is typical)"]
    assert [f.level.value for f in findings_of(text)] == ["warning"]


def test_too_short():
    text = case("end: 2028-08-31", "end: 2027-06-30")
    assert hits(text) == [("fixsen-duration", 14, 6)]
    assert messages(text) == [
        "intensive TA is planned for 10 months (2026-09-01 to 2027-06-30); 2 to 5 years is typical: plan a sustained effort or choose a lower tier"
    ]


def test_too_long():
    text = case("end: 2028-08-31", "end: 2032-08-31")
    assert hits(text) == [("fixsen-duration", 14, 6)]
    assert "planned for 6 years (2026-09-01 to 2032-08-31)" in messages(text)[0]


@pytest.mark.parametrize("end, span", [("2031-09-01", "5 years and 1 day"), ("2028-08-30", "1 year, 11 months and 30 days")])
def test_the_duration_shows_the_real_span(end, span):
    """5 years and 1 day is not "5.0 years", nor one day short of 2 years "2.0 years"."""
    assert f"planned for {span} (2026-09-01 to {end})" in messages(case("end: 2028-08-31", f"end: {end}"))[0]


@pytest.mark.parametrize("end, flagged", [("2028-08-30", True), ("2028-08-31", False), ("2031-08-31", False), ("2031-09-01", True)])
def test_duration_limits_count_calendar_years_through_the_end_day(end, flagged):
    assert hits(case("end: 2028-08-31", f"end: {end}")) == ([("fixsen-duration", 14, 6)] if flagged else [])


def test_two_years_without_a_leap_day():
    # 2027-03-01 to 2029-02-28 is two years of 365 days: 730 days, no less than two years
    text = case(SERVICES, "", case(REVIEWS, "", case("start: 2026-09-01\nend: 2028-08-31", "start: 2027-03-01\nend: 2029-02-28")))
    assert hits(text, today=date(2027, 3, 1)) == []
    assert hits(case("end: 2029-02-28", "end: 2029-02-27", text), today=date(2027, 3, 1)) == [("fixsen-duration", 14, 6)]


# fixsen-reach


def test_reach_under_60_percent():
    text = case("target_percent: 75", "target_percent: 59")
    assert hits(text) == [("fixsen-reach", 24, 41)]
    assert messages(text) == ["the reach target 59% is under 60% of intended beneficiaries: raise it, or plan the capacity to reach more"]


def test_reach_of_60_percent_is_enough():
    assert hits(case("target_percent: 75", "target_percent: 60")) == []


def test_reach_missing():
    text = case("  reach: {intended: 40, target_percent: 75}\n", "")
    assert hits(text) == [("fixsen-reach", 22, 1)]
    assert messages(text) == ["intensive TA has no reach target: add intensive.reach.target_percent (at least 60% of intended beneficiaries)"]


def test_reach_without_target():
    assert hits(case("reach: {intended: 40, target_percent: 75}", "reach: {intended: 40}")) == [("fixsen-reach", 24, 3)]


# fixsen-contact-gap


def _day_after(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _september_on(day: str) -> str:
    """The first service moved to `day`, with its follow-up and report dated the day after."""
    after = _day_after(day)
    text = case("date: 2026-09-30\n    type", f"date: {day}\n    type")
    return case("write-report: {status: done, date: 2026-10-02", f"write-report: {{status: done, date: {after}", case("completed: 2026-10-02", f"completed: {after}", text))


def _october_on(day: str) -> str:
    after = _day_after(day)
    text = case("date: 2026-10-30\n    type", f"date: {day}\n    type")
    return case("write-report: {status: done, date: 2026-11-02", f"write-report: {{status: done, date: {after}", case("completed: 2026-11-02", f"completed: {after}", text))


def test_gap_from_the_start():
    text = _september_on("2026-10-05")
    assert hits(text) == [("fixsen-contact-gap", 33, 11)]
    assert messages(text) == ["34 days pass between the start (2026-09-01) and this contact: intensive TA needs contact at least every 31 days"]


def test_gap_between_services():
    text = _october_on("2026-11-05")
    assert hits(text) == [("fixsen-contact-gap", 42, 11)]
    assert messages(text) == [
        "36 days pass between the previous contact (2026-09-30) and this contact: intensive TA needs contact at least every 31 days"
    ]


def test_gap_of_31_days_is_fine():
    assert hits(_october_on("2026-10-31")) == []


def test_only_the_modes_that_count_as_contact_count(tmp_path):
    """Telephone-only months are gaps when the standards count on-site contact only."""
    standards = tmp_path / "standards"
    shutil.copytree(MINI_STANDARDS, standards)
    matrix = standards / "matrix.yaml"
    matrix.write_text(matrix.read_text().replace("  contact_max_days:\n    value: 31\n    unit: days", "  contact_max_days:\n    value: 31\n    unit: days\n    modes: [on-site]"))
    assert hits(BASE, standards=standards) == [("fixsen-contact-gap", 32, 5)]
    assert messages(BASE, standards=standards) == [
        "no contact for 53 days since 2026-09-30: plan the next contact (intensive TA needs on-site contact at least every 31 days)"
    ]


def test_gap_since_the_last_contact_while_ongoing():
    # a review on 2026-11-30 keeps fidelity in order; the last contact is 2026-10-30
    text = case(REVIEWS, REVIEWS + "    - {date: 2026-11-30}\n")
    assert hits(text, today=date(2026, 11, 30)) == []  # 31 days
    assert hits(text, today=date(2026, 12, 5)) == [("fixsen-contact-gap", 42, 5)]
    assert messages(text, today=date(2026, 12, 5)) == [
        "no contact for 36 days since 2026-10-30: plan the next contact (intensive TA needs contact at least every 31 days)"
    ]


def test_no_contact_at_all_since_the_start():
    text = case(SERVICES, "")
    assert hits(text) == [("fixsen-contact-gap", 13, 8)]
    assert messages(text) == ["no contact for 82 days since 2026-09-01: plan the next contact (intensive TA needs contact at least every 31 days)"]


def test_days_after_the_end_are_not_a_gap():
    text = case("end: 2028-08-31", "end: 2026-11-15")
    assert [rule for rule, _, _ in hits(text, today=date(2026, 12, 5)) if rule.startswith("fixsen-")] == ["fixsen-duration", "fixsen-reach"]


def test_a_gap_inside_the_engagement_stays_a_finding_once_it_has_ended():
    """A closed engagement audited later must not look clean: the gap before its end is still there."""
    text = case("end: 2028-08-31", "end: 2026-12-31", case(REVIEWS, REVIEWS + "    - {date: 2026-11-30}\n    - {date: 2026-12-30}\n"))
    for today in (date(2027, 1, 15), date(2030, 6, 1)):
        gaps = [(f.rule, f.message) for f in findings_of(text, today=today) if f.rule == "fixsen-contact-gap"]
        assert gaps == [("fixsen-contact-gap", "no contact for 62 days from 2026-10-30 to the end of the engagement (2026-12-31): intensive TA needs contact at least every 31 days")]


# fixsen-fidelity


def test_gap_between_fidelity_reviews():
    text = case("    - {date: 2026-10-30}\n", "    - {date: 2026-11-05}\n")
    assert hits(text) == [("fixsen-fidelity", 30, 7)]
    assert messages(text) == [
        "36 days pass before this fidelity review (after 2026-09-30): review fidelity measures at least every 31 days"
    ]


def test_no_fidelity_review_lately():
    text = case("    - {date: 2026-10-30}\n", "")
    assert hits(text) == [("fixsen-fidelity", 28, 3)]
    assert messages(text) == [
        "no fidelity review for 53 days since 2026-09-30: review fidelity measures at least every 31 days and record them in intensive.fidelity_reviews"
    ]


def test_no_fidelity_review_at_all():
    assert hits(case(REVIEWS, "")) == [("fixsen-fidelity", 22, 1)]


def test_future_fidelity_review_does_not_count():
    text = case("    - {date: 2026-10-30}\n", "    - {date: 2026-12-30}\n")
    assert hits(text) == [("fixsen-fidelity", 28, 3)]


def test_fidelity_not_checked_before_the_start():
    assert hits(case(SERVICES, "", case(REVIEWS, "")), today=date(2026, 8, 31)) == []


# fixsen-agreement


def test_agreement_missing():
    text = case("  agreement: {date: 2026-08-25, summary: Need and methods agreed}\n", "")
    assert hits(text) == [("fixsen-agreement", 22, 1)]
    assert messages(text) == ["no agreement about need, vision and methods is recorded: add intensive.agreement with its date and summary"]


def test_agreement_without_date():
    assert hits(case("agreement: {date: 2026-08-25, summary:", "agreement: {summary:")) == [("fixsen-agreement", 23, 3)]


def test_agreement_after_the_first_service():
    text = case("agreement: {date: 2026-08-25", "agreement: {date: 2026-10-01")
    assert hits(text) == [("fixsen-agreement", 23, 21)]
    assert messages(text) == [
        "the agreement (2026-10-01) comes after the first service (2026-09-30): intensive TA starts from a well-informed agreement"
    ]


def test_agreement_on_the_day_of_the_first_service_is_fine():
    assert hits(case("agreement: {date: 2026-08-25", "agreement: {date: 2026-09-30")) == []


def test_no_agreement_needed_before_any_service():
    text = case("  agreement: {date: 2026-08-25, summary: Need and methods agreed}\n", "", case(SERVICES, ""))
    assert hits(text, today=date(2026, 9, 15)) == []


def test_end_at_the_end_of_the_calendar_does_not_crash():
    text = case("end: 2028-08-31", "end: 9999-12-31")
    assert hits(text) == [("fixsen-duration", 14, 6)]
    assert "planned for 7973 years and 4 months (2026-09-01 to 9999-12-31)" in messages(text)[0]
