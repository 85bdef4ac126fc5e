"""When an open duty of a service falls due."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tacli.standards.spec import Report, Stage

from tacli.domain.reports import report_due
from tacli.standards.fields import field_value
from tacli.standards.vocabulary import AFTER_SERVICE, DATED_THE_SERVICE_DAY, ENGAGEMENT_END, NEXT_SERVICE, REPORT_DUE, SERVICE_DATE


OPEN = "open"
# The evidence of the `tacli mark` commands that tacli suggests (`tacli due`,
# `tacli status`, check's duty-evidence): a place to say what shows the duties
# were done, which `tacli mark` refuses to write as it is.
EVIDENCE_PLACEHOLDER = "what shows it"


def evidence_command(path: str, duty_id: str, service_id: str) -> str:
    """The command that records the evidence of a duty already done (its day stays)."""
    return f"tacli mark {shlex.quote(path)} {duty_id} --service {service_id} --done --evidence '{EVIDENCE_PLACEHOLDER}'"


def duty_record(service: Any, duty_id: str) -> Any:
    """The service's record of a duty, or None when the file has none."""
    return field_value(service.duties, duty_id)


def duty_status(record: Any) -> str:
    """A duty's status: its record's, or open when the file has no record of it."""
    return record.status if record is not None else OPEN


def duty_state(record: Any) -> str:
    """A duty's record in words, all of it: "open", "done on 2026-11-20
    (evidence: agenda.pdf)", "not applicable (no plan to revise)". Two records
    with the same words are the same record: what a checklist showed is
    compared with the file before its answer is written."""
    status = duty_status(record)
    if status == OPEN:
        return "open"
    by = f", by {record.by}" if record.by else ""
    if status == "done":
        when = f" on {record.date}" if record.date else ""
        evidence = f" (evidence: {record.evidence}{by})" if record.evidence else (f" ({by[2:]})" if by else "")
        return f"done{when}{evidence}"
    reason = f" ({record.reason}{by})" if record.reason else (f" ({by[2:]})" if by else "")
    return f"not applicable{reason}"


def dated_by_service(stage: "Stage", service: Any, today: date) -> Optional[date]:
    """The day a duty of `stage` done for `service` is dated when no day is given:
    the service's, for a stage done by it (`dated: by-service`: Planning; today
    would be late planning) or at it (`at-service`: Delivery), once the service
    is past; else None (today)."""
    return service.date if stage.dated in DATED_THE_SERVICE_DAY and service.date < today else None


def may_not_apply(duty: Any) -> bool:
    """Whether the standards let a duty be marked not applicable: only one they
    make conditional (its `condition`); any other applies to every service.
    `tacli check` warns (duty-not-conditional), `tacli mark` warns, and
    `tacli serve`'s checklist refuses."""
    return duty.condition is not None


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


