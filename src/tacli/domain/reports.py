"""A service's report: when it is due, the state it is in, whether it holds
anything, and where each kind of report is filed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tacli.standards.spec import Report

from tacli.domain.records import present

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
    from tacli.standards.models import field_value

    return service.tast_report is not None and any(present(field_value(service.tast_report, section.id)) for section in report.sections)


