"""A service's report: which report a service owes, when it is due, the state
it is in, how reports are counted, whether one holds anything, and where each
kind of report is filed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tacli.standards.spec import Report, Spec

from tacli.core.dates import add_days, days_between
from tacli.domain.records import present

from tacli.domain.frameworks import duty_frameworks

COMPLETED, OVERDUE, DUE_SOON, PENDING = "completed", "overdue", "due-soon", "pending"


def service_report(spec: "Spec", engagement: Any) -> Optional["Report"]:
    """The report each service of the engagement owes (CALI's TAST report), or
    None. A service holds one report (`tast_report`), so one report rules it:
    that of the first framework with a duty matrix the engagement lists, in the
    standards' order. Every command, report and page asks here."""
    frameworks = duty_frameworks(spec, engagement)
    return frameworks[0].report if frameworks else None


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
    return add_days(service_date, report.due_days)


def report_state(report: "Report", service: Any, today: date) -> ReportState:
    """The report's state: completed (by today: a day after it is not come yet);
    overdue once past its due date; due soon within `due_soon_days` of it, once
    the service has taken place; else pending."""
    due = report_due(report, service.date)
    days_left = days_between(today, due)
    completed = service.tast_report.completed if service.tast_report is not None else None
    if completed is not None and completed <= today:
        state = COMPLETED
    elif days_left < 0:
        state = OVERDUE
    elif days_left <= report.due_soon_days and service.date <= today:
        state = DUE_SOON
    else:
        state = PENDING
    return ReportState(due, completed, state, days_left)


@dataclass(frozen=True)
class ReportCounts:
    """Reports counted: those that were due (completed, or overdue), how many of
    them were completed on time or late, how many are overdue, how many due soon.
    A report not yet due and not completed counts only as not due."""

    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    due_soon: int = 0

    @property
    def on_time_rate(self) -> Optional[float]:
        """On time among the reports that were due, 0 to 1 (None when none was due)."""
        return self.on_time / self.due if self.due else None

    def __add__(self, other: "ReportCounts") -> "ReportCounts":
        return ReportCounts(self.due + other.due, self.on_time + other.on_time, self.late + other.late, self.overdue + other.overdue, self.due_soon + other.due_soon)


def count_reports(states: Iterable[ReportState]) -> ReportCounts:
    """The counts of these reports' states: the one way tacli counts reports."""
    due = on_time = late = overdue = due_soon = 0
    for state in states:
        if state.state == COMPLETED:
            due += 1
            if state.days_late:
                late += 1
            else:
                on_time += 1
        elif state.state == OVERDUE:
            due += 1
            overdue += 1
        elif state.state == DUE_SOON:
            due_soon += 1
    return ReportCounts(due, on_time, late, overdue, due_soon)


def report_month(service: Any) -> str:
    """The month ("YYYY-MM") a service's report counts in for the on-time rate
    per month: the month the service was held, so that a month's reports are
    those of its services, as its hours are, and a school year's months are its
    own. The one definition: the dashboard, the summary and the annual figures
    count reports per month with `reports_by_month`."""
    return f"{service.date.year:04d}-{service.date.month:02d}"


def reports_by_month(report: "Report", services: Iterable[Any], today: date) -> dict[str, ReportCounts]:
    """The reports these services owe, counted (count_reports) per month of
    their service (report_month), months in order. A month whose reports are
    none of them due yet is kept, with `due` 0: its on-time rate is None. Per
    facilitator, count the services each led (figures.FacilitatorFigures)."""
    months: dict[str, list] = {}
    for service in services:
        months.setdefault(report_month(service), []).append(report_state(report, service, today))
    return {month: count_reports(months[month]) for month in sorted(months)}



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


def report_command(path: str, report: "Report", service: Any) -> str:
    """The command that completes a service's report: `tacli tast` asks for its
    sections first when it has nothing in it (an empty report is never completed)."""
    import shlex

    finish = " --complete" if report_written(report, service) else ""
    return f"tacli tast {shlex.quote(path)} --service {service.id}{finish}"


def report_written(report: "Report", service: Any) -> bool:
    """Whether any section of the service's report holds something: a report
    with nothing in it cannot be completed (tast-empty, tast, mark)."""
    from tacli.standards.fields import field_value

    return service.tast_report is not None and any(present(field_value(service.tast_report, section.id)) for section in report.sections)


