"""The domain rules that several parts of tacli share, each defined once.

Checks, report views, the scaffold and the commands all ask here: when a
service's report is due and what state it is in, when a duty falls due, the
hour cap and the hours counted against it, an engagement's canonical tier,
which frameworks' duties, elements, features and offers apply to it, the
names of the limits, how numbers are shown, and where each report is filed.
A rule written twice drifts; these are not written twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tacli.spec import Framework, Limit, Report, Spec, Stage

# --- tiers and frameworks ----------------------------------------------------

INTENSIVE_TIER = "intensive"


def canonical_tier(spec: "Spec", engagement: Any) -> str:
    """The tier's id, whichever of its names (aliases) the engagement uses."""
    return spec.tier_aliases.get(engagement.tier, engagement.tier)


def is_intensive(spec: "Spec", engagement: Any) -> bool:
    return canonical_tier(spec, engagement) == INTENSIVE_TIER


def duty_frameworks(spec: "Spec", engagement: Any) -> list["Framework"]:
    """The listed frameworks with a duty matrix and a per-service report (CALI)."""
    return [f for f in spec.with_section("duties", engagement.frameworks) if f.report is not None]


def feature_frameworks(spec: "Spec", engagement: Any) -> list["Framework"]:
    """The listed frameworks whose intensive-TA features apply: only to intensive TA.

    An intensive engagement that lists none is told so (tier-framework); its
    features are not asked for until it does."""
    if not is_intensive(spec, engagement):
        return []
    return spec.with_section("features", engagement.frameworks)


def element_frameworks(spec: "Spec", engagement: Any) -> list["Framework"]:
    """The listed frameworks with planning elements (Dunst)."""
    return spec.with_section("elements", engagement.frameworks)


def offer_frameworks(spec: "Spec", engagement: Any) -> list["Framework"]:
    """The listed coaching offers: frameworks with readiness criteria (OEC)."""
    return spec.with_section("readiness", engagement.frameworks)


def frameworks_with_features(spec: "Spec") -> list["Framework"]:
    """Every framework of the standards that defines intensive-TA features."""
    return [f for f in spec.frameworks.values() if f.features]


def default_frameworks(spec: "Spec", tier: str) -> list[str]:
    """The frameworks a new engagement of `tier` follows unless told otherwise:
    all but coaching offers, and intensive-TA features only for intensive TA."""
    chosen = []
    for framework in spec.frameworks.values():
        if framework.readiness:
            continue
        if framework.features and tier != INTENSIVE_TIER:
            continue
        if framework.duties or framework.elements or framework.features or framework.support_types:
            chosen.append(framework.id)
    return chosen


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

# Each limit a standards file may set, with the section its framework needs
# for the limit to mean anything.
LIMITS: dict[str, str] = {
    DURATION_MIN_YEARS: "features",
    DURATION_MAX_YEARS: "features",
    REACH_MIN_PERCENT: "features",
    CONTACT_MAX_DAYS: "features",
    FIDELITY_REVIEW_MAX_DAYS: "features",
    HOURS_CAP: "readiness",
}


def feature_limit(spec: "Spec", engagement: Any, name: str) -> Optional["Limit"]:
    """A limit of the intensive-TA frameworks that apply to the engagement."""
    return spec.limit(name, [f.id for f in feature_frameworks(spec, engagement)])


# --- the vocabularies of modes the standards use ------------------------------------

# How a service is delivered (a service's `mode`).
DELIVERY_MODES = ("on-site", "virtual", "telephone")

# When an open duty falls due: its stage's rule, or the duty's own (`due`).
SERVICE_DATE, AFTER_SERVICE, REPORT_DUE, NEXT_SERVICE, ENGAGEMENT_END = "service-date", "after-service", "report-due", "next-service", "engagement-end"
STAGE_DUE_RULES = (SERVICE_DATE, AFTER_SERVICE, REPORT_DUE)
DUTY_DUE_RULES = STAGE_DUE_RULES + (NEXT_SERVICE, ENGAGEMENT_END)
# When a done duty of a stage may be dated (a stage's `dated`).
BY_SERVICE, FROM_SERVICE = "by-service", "from-service"
DATED_RULES = (BY_SERVICE, FROM_SERVICE)
# The conditions an offer may set on its services (a condition's `kind`).
MODES_CONDITION, ONE_COACH, TERM_DATES = "modes", "one-coach", "term-dates"
CONDITION_KINDS = (MODES_CONDITION, ONE_COACH, TERM_DATES)
# The facts about a recipient that a framework's eligibility may ask for, as a reader says them.
RECIPIENT_FACTS = {"title_i": "a Title I school or district", "in_need_of_improvement": "identified as in need of improvement"}
# The sections an assumption may require a listed framework to have (`requires`).
SECTIONS_REQUIRED = ("elements", "duties", "features", "readiness")


def counts(values: Any, value: str) -> bool:
    """Whether a limit or condition listing `values` (empty: every one) counts `value`."""
    return not values or value in values


# --- hours -------------------------------------------------------------------------


def offered_hour_cap(spec: "Spec", engagement: Any) -> Optional["Limit"]:
    """The cap of the coaching offers the engagement lists, as the standards set it."""
    offers = [f.id for f in offer_frameworks(spec, engagement)]
    return spec.limit(HOURS_CAP, offers) if offers else None


def hour_cap(spec: "Spec", engagement: Any) -> Optional[float]:
    """The hours the engagement may use: its own `coaching.hour_cap`, else its offer's."""
    coaching = engagement.coaching
    if coaching is not None and coaching.hour_cap is not None:
        return float(coaching.hour_cap)
    offered = offered_hour_cap(spec, engagement)
    return float(offered.value) if offered is not None else None


def counted_services(spec: "Spec", engagement: Any) -> list[tuple[int, Any]]:
    """(index, service) of the services whose hours count against the cap (those
    of the support types the cap names; all when it names none), by date."""
    offered = offered_hour_cap(spec, engagement)
    kinds = offered.support_types if offered is not None else []
    services = [(index, service) for index, service in enumerate(engagement.services) if counts(kinds, service.type)]
    return sorted(services, key=lambda pair: (pair[1].date, pair[0]))


def hours_counted(spec: "Spec", engagement: Any) -> float:
    """The hours counted against the cap."""
    return total_hours(service for _, service in counted_services(spec, engagement))


def total_hours(services: Any) -> float:
    """The hours of these services; a service without hours adds none."""
    return float(sum(service.hours or 0 for service in services))


# --- the per-service report and duties ------------------------------------------------

COMPLETED, OVERDUE, DUE_SOON, PENDING = "completed", "overdue", "due-soon", "pending"


@dataclass(frozen=True)
class ReportState:
    """Where a service's report stands as of a day."""

    due: date
    completed: Optional[date]
    state: str  # COMPLETED, OVERDUE, DUE_SOON or PENDING
    days_left: int  # days from today to the due date (negative when past)

    @property
    def days_late(self) -> int:
        """Days after its due date that a completed report was completed (0: on time)."""
        if self.completed is None:
            return 0
        return max(0, (self.completed - self.due).days)


def report_due(report: "Report", service_date: date) -> date:
    """The day a service's report is due; a service at the very end of the
    calendar has its report due on the last day there is."""
    try:
        return service_date + timedelta(days=report.due_days)
    except OverflowError:
        return date.max


def report_state(report: "Report", service: Any, today: date) -> ReportState:
    """The report's state: completed; overdue once past its due date; due soon
    within `due_soon_days` of it, once the service has taken place; else pending."""
    due = report_due(report, service.date)
    days_left = (due - today).days
    completed = service.tast_report.completed if service.tast_report is not None else None
    if completed is not None:
        state = COMPLETED
    elif days_left < 0:
        state = OVERDUE
    elif days_left <= report.due_soon_days and service.date <= today:
        state = DUE_SOON
    else:
        state = PENDING
    return ReportState(due, completed, state, days_left)


@dataclass(frozen=True)
class DutyDue:
    """When an open duty of a service is due: its rule, the last day to do it
    (None while there is none: no next service and no planned end), and
    whether it is due on that day already (a planning duty is, before the
    service starts) or only from the day after."""

    rule: str
    deadline: Optional[date]
    on_the_day: bool

    def is_due(self, today: date) -> bool:
        if self.deadline is None:
            return False
        return today >= self.deadline if self.on_the_day else today > self.deadline


def duty_due(duty: Any, stage: "Stage", service: Any, engagement: Any, report: Optional["Report"]) -> DutyDue:
    """When `duty` is due for `service`: by the duty's own rule, else its stage's.
    By the next service means by the next service after this one, or by the
    engagement's end when there is none."""
    rule = duty.due or stage.due
    if rule == SERVICE_DATE:
        return DutyDue(rule, service.date, True)
    if rule == AFTER_SERVICE:
        return DutyDue(rule, service.date, False)
    if rule == REPORT_DUE:
        return DutyDue(rule, report_due(report, service.date) if report is not None else service.date, False)
    if rule == NEXT_SERVICE:
        later = [other.date for other in engagement.services if other.date > service.date]
        if later:
            return DutyDue(rule, min(later), True)
    return DutyDue(ENGAGEMENT_END, engagement.end, False)


# --- school years ------------------------------------------------------------------------

# A school year runs from July 1 to June 30 and is labelled by its two calendar
# years, "2026-27": the year US schools, districts and state programs report on.
SCHOOL_YEAR_START_MONTH = 7


def school_year(day: date) -> str:
    """The school year `day` falls in: 2026-09-01 and 2027-06-30 are in "2026-27"."""
    first = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def school_year_dates(label: str) -> tuple[date, date]:
    """The first and last day of a school year: "2026-27" is 2026-07-01 to 2027-06-30."""
    first = date(int(label[:4]), SCHOOL_YEAR_START_MONTH, 1)
    return first, date(first.year + 1, SCHOOL_YEAR_START_MONTH, 1) - timedelta(days=1)


def school_years(start: date, end: date) -> list[str]:
    """The school years from `start` through `end`, in order (none when end < start)."""
    if end < start:
        return []
    first = start.year if start.month >= SCHOOL_YEAR_START_MONTH else start.year - 1
    last = end.year if end.month >= SCHOOL_YEAR_START_MONTH else end.year - 1
    return [f"{year}-{(year + 1) % 100:02d}" for year in range(first, last + 1)]


# --- numbers ---------------------------------------------------------------------------


def number(value: Any) -> str:
    """A number as a reader writes it: 3.0 -> "3", 2.5 -> "2.5", 1234567.5 -> "1234567.5"."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        shortest = repr(value)
        if "e" in shortest and not value.is_integer() and 1e-30 < abs(value):  # 1e-07 -> 0.0000001: a number to every reader, YAML 1.1 too
            from decimal import Decimal

            return format(Decimal(shortest), "f")
        return shortest
    return str(value)


def numeric(value: Any) -> Any:
    """A number for data (JSON, spreadsheets): 9, not 9.0; None stays None."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return int(value)
    return value


# --- where reports are filed -------------------------------------------------------------

# Each kind of report and its path under the reports folder (docs/reports.md),
# in the order reports are listed. One table builds a path and recognises one.
REPORT_PATHS: dict[str, str] = {
    "tast": "{engagement}/{service}-tast.md",
    "agenda": "{engagement}/{service}-agenda.md",
    "plan": "{engagement}/plan.md",
    "summary": "summary.md",
}
REPORT_KINDS: tuple[str, ...] = tuple(REPORT_PATHS)
SERVICE_REPORT_KINDS: tuple[str, ...] = tuple(kind for kind, path in REPORT_PATHS.items() if "{service}" in path)
_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_PATH_PATTERNS = {
    kind: re.compile("^" + re.escape(path).replace(r"\{engagement\}", _ID).replace(r"\{service\}", _ID) + "$")
    for kind, path in REPORT_PATHS.items()
}


def report_path(kind: str, engagement_id: str = "", service_id: str = "") -> str:
    """The path of a report of `kind`, relative to the reports folder."""
    return REPORT_PATHS[kind].format(engagement=engagement_id, service=service_id)


def report_kind(path: str) -> Optional[str]:
    """The kind of report a relative path (with `/`) is named like, or None."""
    for kind, pattern in _PATH_PATTERNS.items():
        if pattern.match(path):
            return kind
    return None


# --- what counts as written ---------------------------------------------------------


def report_written(report: "Report", service: Any) -> bool:
    """Whether any section of the service's report holds something: a report
    with nothing in it cannot be completed (tast-empty, tast, mark)."""
    from tacli.models import field_value

    return service.tast_report is not None and any(present(field_value(service.tast_report, section.id)) for section in report.sections)


def present(value: Any) -> bool:
    """Whether a value holds something: blank text, and lists or records of
    nothing but blanks, are missing text, wherever the standards ask for text."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return any(present(item) for item in value)
    if isinstance(value, dict):
        return any(present(item) for item in value.values())
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:  # a record: something in any of its fields
        return any(present(getattr(value, name)) for name in fields)
    return True


RECORD_ROOTS = ("service", "engagement")


def recorded(path: str, engagement: Any, service: Any) -> Any:
    """The value a duty's `recorded_in` names: `service.agenda` on the service,
    `engagement.recipient.point_person` on the engagement (None when absent)."""
    root, *names = path.split(".")
    value = service if root == "service" else engagement
    for name in names:
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


# --- spans and reach ---------------------------------------------------------------------


def calendar_span(start: date, end: date) -> tuple[int, int, int]:
    """(years, months, days) from `start` through `end`, its last day included:
    2021-09-01 to 2026-09-01 is 5 years and 1 day."""
    following = end + timedelta(days=1) if end < date.max else end
    months = (following.year - start.year) * 12 + following.month - start.month
    if following.day < start.day:
        months -= 1
    anchor_month = start.month - 1 + months
    year, month = start.year + anchor_month // 12, anchor_month % 12 + 1
    anchor = date(year, month, min(start.day, _month_length(year, month)))
    return months // 12, months % 12, (following - anchor).days


def _month_length(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1) if (year, month) != (9999, 12) else date.max
    return (following - date(year, month, 1)).days + (1 if following == date.max else 0)


def span_text(start: date, end: date) -> str:
    """A span as a reader says it: "5 years and 1 day", "1 year, 11 months and 30 days"."""
    parts = [f"{count} {unit}{'s' if count != 1 else ''}" for count, unit in zip(calendar_span(start, end), ("year", "month", "day")) if count]
    if not parts:
        return "0 days"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def latest_reach(reach: Any) -> tuple[Optional[int], Optional[date]]:
    """The latest count of beneficiaries reached, and its date: `reached`, else the
    last count of `history`."""
    if reach is None:
        return None, None
    counted = sorted(reach.history, key=lambda entry: entry.date)
    if reach.reached is not None:
        return reach.reached, None
    if counted:
        return counted[-1].reached, counted[-1].date
    return None, None


# --- intensive TA: contact and fidelity reviews ---------------------------------------------


def active_until(engagement: Any, today: date) -> date:
    """The last day the engagement's gaps are counted to: today, or its end once it has ended."""
    end = engagement.end
    return min(today, end) if end is not None and end >= engagement.start else today


def contacts(spec: "Spec", engagement: Any, until: date) -> list[tuple[date, int]]:
    """(date, index) of the services that count as contact (the contact limit's
    modes), held by `until`, by date."""
    limit = feature_limit(spec, engagement, CONTACT_MAX_DAYS)
    modes = limit.modes if limit is not None else []
    return sorted((service.date, index) for index, service in enumerate(engagement.services) if service.date <= until and counts(modes, service.mode))


def fidelity_reviews(engagement: Any, until: date) -> list[tuple[date, int]]:
    """(date, index) of the fidelity reviews held by `until`, by date."""
    reviews = engagement.intensive.fidelity_reviews if engagement.intensive else []
    return sorted((review.date, index) for index, review in enumerate(reviews) if review.date <= until)


def next_contact(spec: "Spec", engagement: Any, today: date) -> Optional[date]:
    """The last day for the next contact of an ongoing intensive engagement (None
    when no limit applies, or the engagement has not started or has ended)."""
    return _next(engagement, today, feature_limit(spec, engagement, CONTACT_MAX_DAYS), contacts(spec, engagement, today))


def next_fidelity_review(spec: "Spec", engagement: Any, today: date) -> Optional[date]:
    """The last day for the next fidelity review of an ongoing intensive engagement."""
    return _next(engagement, today, feature_limit(spec, engagement, FIDELITY_REVIEW_MAX_DAYS), fidelity_reviews(engagement, today))


def _next(engagement: Any, today: date, limit: Optional["Limit"], held: list) -> Optional[date]:
    if limit is None or engagement.start > today or (engagement.end is not None and engagement.end < today):
        return None
    previous = held[-1][0] if held else engagement.start
    try:
        return previous + timedelta(days=int(limit.value))
    except OverflowError:
        return date.max

