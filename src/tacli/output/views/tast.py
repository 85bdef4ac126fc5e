"""The view of a service's TAST report: its duty checklist by stage and role,
its sections, and where the report stands."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tacli.core.markdown import Text
from tacli.domain.duties import duty_due, duty_record, duty_status
from tacli.domain.frameworks import duty_frameworks
from tacli.domain.reports import report_state, service_report
from tacli.output.views.common import Lookups, engagement_view, service_view, text, texts
from tacli.reading.pipeline import FileResult
from tacli.standards.fields import field_value

if TYPE_CHECKING:  # pragma: no cover - pydantic's: not imported by a run whose every result is kept
    from tacli.standards.spec import Spec


DUTY_STATUS_TITLES = {"done": "Done", "not-applicable": "Not applicable", "open": "Open"}
# A symbol beside each status word, so a checklist reads at a glance; each shows
# in GitHub, GitLab and a plain-text editor alike.
DUTY_STATUS_SYMBOLS = {"done": "\u2713", "not-applicable": "\u2013", "open": "\u2610"}


def checklist(spec: Spec, engagement, service) -> list[dict]:
    """The duty matrix for one service, stage by stage and role by role, in spec order;
    an open duty with the last day to do it (domain.duty_due), when there is one."""
    stages = []
    report = service_report(spec, engagement)
    for framework in duty_frameworks(spec, engagement):
        for stage in framework.stages:
            counts = {"done": 0, "not_applicable": 0, "open": 0, "total": 0}
            roles = []
            for role in framework.roles:
                duties = []
                for duty in framework.duties:
                    if duty.stage != stage.id or duty.role != role.id:
                        continue
                    record = duty_record(service, duty.id)
                    status = duty_status(record)
                    counts[status.replace("-", "_")] += 1
                    counts["total"] += 1
                    due = duty_due(duty, stage, service, engagement, report).deadline if status == "open" else None
                    duties.append({
                        "id": Text(duty.id),
                        "number": Text(duty.number),
                        "text": Text(duty.text),
                        "condition": text(duty.condition),
                        "ref": text(duty.ref),
                        "status": Text(status),
                        "status_title": Text(DUTY_STATUS_TITLES[status]),
                        "symbol": Text(DUTY_STATUS_SYMBOLS[status]),
                        "due": text(due),
                        "recorded": record is not None,
                        "date": text(record.date) if record else None,
                        "evidence": text(record.evidence) if record else None,
                        "reason": text(record.reason) if record else None,
                        "by": text(record.by) if record else None,
                    })
                if duties:
                    roles.append({"id": Text(role.id), "title": Text(role.title), "duties": duties})
            if roles:
                stages.append({"id": Text(stage.id), "title": Text(stage.title), "framework": Text(framework.id), "counts": counts, "roles": roles})
    return stages


def tast_context(spec: Spec, item: FileResult, service, today: date, lookups: Lookups) -> dict:
    engagement = item.engagement
    frameworks = duty_frameworks(spec, engagement)
    framework = frameworks[0]  # the framework of the report the service owes (domain.reports.service_report)
    report = service_report(spec, engagement)
    state = report_state(report, service, today)
    stages = checklist(spec, engagement, service)
    sections, seen = [], set()
    for owner in frameworks:
        for section in owner.report.sections:
            if section.id in seen:
                continue
            seen.add(section.id)
            sections.append({"id": Text(section.id), "title": Text(section.title), "entries": texts(field_value(service.tast_report, section.id))})
    return {
        "engagement": engagement_view(spec, engagement, lookups),
        "service": service_view(spec, engagement, service, lookups, today),
        "framework": {"id": Text(framework.id), "title": Text(framework.title)},
        "report": {
            "id": Text(report.id),
            "title": Text(report.title),
            "quote": text(report.quote),
            "ref": text(report.ref),
            "due_days": report.due_days,
            "due": text(state.due),
            "completed": text(state.completed),
            "days_late": state.days_late,
            "state": Text(state.state),
        },
        "checklist": stages,
        "open_items": [
            {"stage": stage["title"], "role": role["title"], **duty}
            for stage in stages for role in stage["roles"] for duty in role["duties"] if duty["status"] == "open"
        ],
        "status_symbols": {"done": Text(DUTY_STATUS_SYMBOLS["done"]), "not_applicable": Text(DUTY_STATUS_SYMBOLS["not-applicable"]), "open": Text(DUTY_STATUS_SYMBOLS["open"])},
        "sections": sections,
        "root": Text("../"),
    }
