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
from typing import TYPE_CHECKING, Any, Callable, Optional

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


def counted_services(engagement: Any) -> list[tuple[int, Any]]:
    """(index, service) of the services whose hours count against the cap, by date."""
    return sorted(enumerate(engagement.services), key=lambda pair: (pair[1].date, pair[0]))


def hours_counted(engagement: Any) -> float:
    """The hours counted against the cap."""
    return total_hours(service for _, service in counted_services(engagement))


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


# When each stage's duties fall due (a stage's `due` in the standards).
_STAGE_DUE: dict[str, Callable[[date, date, date], bool]] = {
    "service-date": lambda service_date, report_due_date, today: service_date <= today,
    "after-service": lambda service_date, report_due_date, today: service_date < today,
    "report-due": lambda service_date, report_due_date, today: today > report_due_date,
}


def duty_is_due(stage: "Stage", service_date: date, report_due_date: date, today: date) -> bool:
    """Whether the duties of `stage` are due for a service, as of `today`."""
    return _STAGE_DUE[stage.due](service_date, report_due_date, today)


# --- numbers ---------------------------------------------------------------------------


def number(value: Any) -> str:
    """A number as a reader writes it: 3.0 -> "3", 2.5 -> "2.5", 1234567.5 -> "1234567.5"."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


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
