"""The words of the standards format that code relies on: tier, hour kinds, limit
names, due rules, condition kinds. The spec validates standards files against
these; the domain rules read them; nothing else spells them."""

from __future__ import annotations

# --- tiers and frameworks ----------------------------------------------------

INTENSIVE_TIER = "intensive"

# --- hours of training and of technical assistance ------------------------------

# What a support type's hours count as (a support type's `counts_as` in the
# standards); a support type that says nothing counts as technical assistance,
# the standards' word for every service.
TRAINING, TECHNICAL_ASSISTANCE = "training", "technical-assistance"
HOURS_KINDS = (TRAINING, TECHNICAL_ASSISTANCE)


# --- limits --------------------------------------------------------------------

HOURS_CAP = "hours_cap"
DURATION_MIN_YEARS = "duration_min_years"
DURATION_MAX_YEARS = "duration_max_years"
REACH_MIN_PERCENT = "reach_min_percent"
CONTACT_MAX_DAYS = "contact_max_days"
FIDELITY_REVIEW_MAX_DAYS = "fidelity_review_max_days"
# Days from the start of intensive TA by which it shows outcome evidence at a
# level (the limit's `level`: use) and a fidelity result (outcome-use, outcome-fidelity).
OUTCOME_EVIDENCE_DAYS = "outcome_evidence_days"

# Each limit a standards file may set, with the section its framework needs
# for the limit to mean anything.
LIMITS: dict[str, str] = {
    DURATION_MIN_YEARS: "features",
    DURATION_MAX_YEARS: "features",
    REACH_MIN_PERCENT: "features",
    CONTACT_MAX_DAYS: "features",
    FIDELITY_REVIEW_MAX_DAYS: "features",
    OUTCOME_EVIDENCE_DAYS: "features",
    HOURS_CAP: "readiness",
}


# --- the vocabularies of modes the standards use ------------------------------------

# How a service is delivered (a service's `mode`).
DELIVERY_MODES = ("on-site", "virtual", "telephone")

# When an open duty falls due: its stage's rule, or the duty's own (`due`).
SERVICE_DATE, AFTER_SERVICE, REPORT_DUE, NEXT_SERVICE, ENGAGEMENT_END = "service-date", "after-service", "report-due", "next-service", "engagement-end"
STAGE_DUE_RULES = (SERVICE_DATE, AFTER_SERVICE, REPORT_DUE)
DUTY_DUE_RULES = STAGE_DUE_RULES + (NEXT_SERVICE, ENGAGEMENT_END)
# When a done duty of a stage may be dated (a stage's `dated`).
# by-service: on or before the service (later is late planning); at-service: at
# the service, so dated its day when no day is given, and never before it;
# from-service: on or after it (no day given: the day it is recorded).
BY_SERVICE, AT_SERVICE, FROM_SERVICE = "by-service", "at-service", "from-service"
DATED_RULES = (BY_SERVICE, AT_SERVICE, FROM_SERVICE)
NOT_BEFORE_SERVICE = (AT_SERVICE, FROM_SERVICE)  # a duty of these stages dated before its service cannot have happened
DATED_THE_SERVICE_DAY = (BY_SERVICE, AT_SERVICE)  # with no day given, one done for a past service is dated its day
# When a done duty may be dated, by a rule of its own (a duty's `dated`): on or
# after the day the service's report was completed (a review of the report).
FROM_REPORT = "from-report"
DUTY_DATED_RULES = (FROM_REPORT,)
# The conditions an offer may set on its services (a condition's `kind`).
MODES_CONDITION, ONE_COACH, TERM_DATES = "modes", "one-coach", "term-dates"
CONDITION_KINDS = (MODES_CONDITION, ONE_COACH, TERM_DATES)
# The facts about a recipient that a framework's eligibility may ask for, as a reader says them.
RECIPIENT_FACTS = {"title_i": "a Title I school or district", "in_need_of_improvement": "identified as in need of improvement"}
# The sections an assumption may require a listed framework to have (`requires`).
SECTIONS_REQUIRED = ("elements", "duties", "features", "readiness")


# A reviewer's decision on a service's report (tast_report.reviews): the report is
# approved when every reviewer's latest decision is an approval. `resubmitted`
# is the facilitator's answer to changes asked for: the report was revised and
# goes back to that reviewer (tacli tast --resubmit).
APPROVED, CHANGES_REQUESTED, RESUBMITTED = "approved", "changes-requested", "resubmitted"
REVIEW_DECISIONS = (APPROVED, CHANGES_REQUESTED, RESUBMITTED)
# Keys of a service's report besides its sections: a section may not take them.
REPORT_KEYS = ("completed", "reviews")

# Which of a framework's words are its source's (`source.words`): quoted word for
# word from a copy of the source (the default), or the commonly published names
# of its items, with no copy of the source held (no `text`, `quote` or
# `definition` then: its items have titles and tacli's own notes).
QUOTED, PUBLISHED_NAMES = "quoted", "published-names"
SOURCE_WORDS = (QUOTED, PUBLISHED_NAMES)

# Where a duty's `recorded_in` may point.
RECORD_ROOTS = ("service", "engagement")

