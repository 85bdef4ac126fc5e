"""The tables of `tacli export`: engagements, services, duties and findings as
flat rows, one row an item, and the annual figures of a school year, one row a
figure, with stable snake_case column names.

A row is a dict of plain values (text, int, float, bool, date, a list of
text, or None for nothing), keyed by its table's column names; each format
(tacli.output.export_formats) writes them in its own way. Every value comes from the
rules `tacli check`, `status` and `due` use (tacli.domain), never worked out
again here, so a report the export calls overdue is the one `check` reports.
The columns are documented in docs/exports.md, which a test holds to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from typing import Any, Iterator, Optional

from tacli.core.numbers import numeric
from tacli.domain.duties import duty_due, duty_record, duty_status
from tacli.domain.frameworks import canonical_tier, duty_frameworks
from tacli.domain.hours import coaching_hours, counted_services, total_hours
from tacli.domain.intensive import latest_reach
from tacli.domain.reports import count_reports, report_state, service_report
from tacli.domain.school_years import school_year
from tacli.domain.services import in_order, leader
from tacli.standards.models import DUTY_STATUSES

TEXT, INTEGER, NUMBER, BOOLEAN, DATE, LIST = "text", "integer", "number", "boolean", "date", "list"
TABLES = ("engagements", "services", "duties", "findings", "annual")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # TEXT, INTEGER, NUMBER, BOOLEAN, DATE or LIST


@dataclass(frozen=True)
class Table:
    """A table to export: its name, its columns in order, and its rows, sorted
    (a list, or FileRows: anything with a length that can be iterated again)."""

    name: str
    columns: tuple[Column, ...]
    rows: Any


def _columns(*pairs: str) -> tuple[Column, ...]:
    return tuple(Column(*pair.split(":")) for pair in pairs)


ENGAGEMENT_COLUMNS = _columns(
    "engagement_id:text", "title:text", "file:text", "tier:text", "frameworks:list",
    "recipient_name:text", "recipient_kind:text", "recipient_district:text", "title_i:boolean", "in_need_of_improvement:boolean",
    "organization:text", "partner:text", "facilitator:text", "start:date", "end:date", "school_year:text",
    "services:integer", "services_held:integer", "hours:number", "coaching_hour_cap:number", "coaching_hours_counted:number",
    "reports:integer", "reports_due:integer", "reports_on_time:integer", "reports_late:integer", "reports_overdue:integer",
    "reports_due_soon:integer", "duties_open:integer", "duties_due:integer",
    "reach_intended:integer", "reach_reached:integer", "reach_target_percent:number",
)
SERVICE_COLUMNS = _columns(
    "engagement_id:text", "file:text", "service_id:text", "date:date", "school_year:text", "title:text", "type:text", "mode:text",
    "hours:number", "counts_toward_cap:boolean", "topics:list", "facilitator:text", "participants:integer",
    "tier:text", "recipient_name:text", "title_i:boolean", "partner:text",
    "report_state:text", "report_due:date", "report_completed:date", "report_days_late:integer",
    "duties_done:integer", "duties_not_applicable:integer", "duties_open:integer", "duties_due:integer",
)
DUTY_COLUMNS = _columns(
    "engagement_id:text", "file:text", "service_id:text", "service_date:date", "framework:text", "stage:text", "role:text",
    "number:text", "duty_id:text", "text:text", "status:text", "date:date", "evidence:text", "by:text", "reason:text",
    "due_rule:text", "due_date:date", "due:boolean",
)
FINDING_COLUMNS = _columns("file:text", "line:integer", "column:integer", "level:text", "rule:text", "message:text")
# The annual figures of a school year (tacli.domain.annual), one row a figure and
# breakdown: a long table, for a pivot table or a filter.
# The columns after `definition` are for people: the figure and its breakdown in
# words (as the annual report and its page name them), the value as they print
# it (42.9%, 4.54, 35.5 hours), and what `count` counts (services, forms requested).
ANNUAL_COLUMNS = _columns("school_year:text", "figure:text", "breakdown:text", "value:number", "count:integer", "files:list", "definition:text",
                          "label:text", "breakdown_label:text", "shown:text", "count_of:text")
# The last column of engagements, services and duties: empty in an item's row;
# in the one row of a file that cannot be used, what to fix first (its other
# cells empty but `file`), so that the export itself says what it leaves out.
LEFT_OUT = Column("left_out", TEXT)


def stage_columns(spec) -> tuple[Column, ...]:
    """Per stage of the standards' duty matrices: its duties done, not applicable
    and open for the service (`planning_done`, `follow_up_open`...)."""
    seen: list[str] = []
    for framework in spec.frameworks.values():
        if framework.duties and framework.report:
            seen.extend(stage.id for stage in framework.stages if stage.id not in seen)
    return tuple(Column(f"{_snake(stage)}_{_snake(status)}", INTEGER) for stage in seen for status in DUTY_STATUSES)


# Each table's columns that do not depend on the standards, first in its header.
LEADING_COLUMNS = {"engagements": ENGAGEMENT_COLUMNS, "services": SERVICE_COLUMNS, "duties": DUTY_COLUMNS, "findings": FINDING_COLUMNS, "annual": ANNUAL_COLUMNS}


def columns(table: str, spec) -> tuple[Column, ...]:
    """The columns of `table`, in order; those of services end with the standards'
    stages; every table of items ends with `left_out`."""
    if table == "findings":
        return FINDING_COLUMNS
    if table == "annual":
        return ANNUAL_COLUMNS + (LEFT_OUT,)
    return LEADING_COLUMNS[table] + (stage_columns(spec) if table == "services" else ()) + (LEFT_OUT,)


@lru_cache(maxsize=None)
def _snake(word: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", word.lower()).strip("_")


# --- one engagement's rows ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Duty:
    framework: Any
    duty: Any
    record: Any  # the service's DutyRecord, or None when the file has none (open)
    status: str
    due: Any  # domain.DutyDue
    due_now: bool  # open, and due as of today, as `tacli status` counts it


def _duties(spec, engagement, service, today: date) -> Iterator[_Duty]:
    """Each duty of the service's duty matrices, in the standards' order, with when it is due."""
    report = service_report(spec, engagement)
    for framework in duty_frameworks(spec, engagement):
        stages = {stage.id: stage for stage in framework.stages}
        for duty in framework.duties:
            record = duty_record(service, duty.id)
            status = duty_status(record)
            due = duty_due(duty, stages[duty.stage], service, engagement, report)
            yield _Duty(framework, duty, record, status, due, status == "open" and due.is_due(today))


def engagement_rows(spec, engagement, path: str, today: date) -> list[dict]:
    """The engagement as one row."""
    report = service_report(spec, engagement)
    states = [report_state(report, service, today) for service in engagement.services] if report else []
    counts = count_reports(states)
    duties = [item for service in engagement.services for item in _duties(spec, engagement, service, today)]
    capped = coaching_hours(spec, engagement)
    reach = engagement.intensive.reach if engagement.intensive else None
    reached, _ = latest_reach(reach)
    recipient, provider = engagement.recipient, engagement.provider
    return [{
        "engagement_id": engagement.id,
        "title": engagement.title,
        "file": path,
        "tier": canonical_tier(spec, engagement),
        "frameworks": list(engagement.frameworks),
        "recipient_name": recipient.name,
        "recipient_kind": recipient.kind,
        "recipient_district": recipient.district,
        "title_i": recipient.title_i,
        "in_need_of_improvement": recipient.in_need_of_improvement,
        "organization": provider.organization,
        "partner": provider.partner,
        "facilitator": provider.facilitator.name,
        "start": engagement.start,
        "end": engagement.end,
        "school_year": school_year(engagement.start),
        "services": len(engagement.services),
        "services_held": sum(1 for service in engagement.services if service.date <= today),
        "hours": numeric(total_hours(engagement.services)),
        "coaching_hour_cap": numeric(capped.cap) if capped else None,
        "coaching_hours_counted": numeric(capped.counted) if capped else None,
        "reports": len(states),
        "reports_due": counts.due,
        "reports_on_time": counts.on_time,
        "reports_late": counts.late,
        "reports_overdue": counts.overdue,
        "reports_due_soon": counts.due_soon,
        "duties_open": sum(1 for item in duties if item.status == "open"),
        "duties_due": sum(1 for item in duties if item.due_now),
        "reach_intended": reach.intended if reach else None,
        "reach_reached": reached,
        "reach_target_percent": numeric(reach.target_percent) if reach else None,
        LEFT_OUT.name: None,
    }]


def service_rows(spec, engagement, path: str, today: date) -> list[dict]:
    """One row a service, by date, with its report and its duties counted by stage."""
    report = service_report(spec, engagement)
    capped = coaching_hours(spec, engagement) is not None
    counted = {id(service) for _, service in counted_services(spec, engagement)}
    no_stages = {column.name: None for column in stage_columns(spec)}
    rows = []
    for service in in_order(engagement.services):
        state = report_state(report, service, today) if report else None
        duties = list(_duties(spec, engagement, service, today))
        row = {
            "engagement_id": engagement.id,
            "file": path,
            "service_id": service.id,
            "date": service.date,
            "school_year": school_year(service.date),
            "title": service.title,
            "type": service.type,
            "mode": service.mode,
            "hours": numeric(service.hours),
            "counts_toward_cap": id(service) in counted if capped else None,
            "topics": list(service.topics),
            "facilitator": leader(service, engagement).name,
            "participants": service.participants.count if service.participants else None,
            "tier": canonical_tier(spec, engagement),
            "recipient_name": engagement.recipient.name,
            "title_i": engagement.recipient.title_i,
            "partner": engagement.provider.partner,
            "report_state": state.state if state else None,
            "report_due": state.due if state else None,
            "report_completed": state.completed if state else None,
            "report_days_late": state.days_late if state else None,
            "duties_done": sum(1 for item in duties if item.status == "done"),
            "duties_not_applicable": sum(1 for item in duties if item.status == "not-applicable"),
            "duties_open": sum(1 for item in duties if item.status == "open"),
            "duties_due": sum(1 for item in duties if item.due_now),
            **no_stages,
        }
        for stage in {_snake(item.duty.stage) for item in duties}:  # the stages the engagement's frameworks have
            row.update({f"{stage}_{_snake(status)}": 0 for status in DUTY_STATUSES})
        for item in duties:
            row[f"{_snake(item.duty.stage)}_{_snake(item.status)}"] += 1
        row[LEFT_OUT.name] = None
        rows.append(row)
    return rows


def duty_rows(spec, engagement, path: str, today: date) -> list[dict]:
    """One row a duty of each service, services by date, duties in the standards' order."""
    rows = []
    for service in in_order(engagement.services):
        for item in _duties(spec, engagement, service, today):
            record, duty = item.record, item.duty
            rows.append({
                "engagement_id": engagement.id,
                "file": path,
                "service_id": service.id,
                "service_date": service.date,
                "framework": item.framework.id,
                "stage": duty.stage,
                "role": duty.role,
                "number": duty.number,
                "duty_id": duty.id,
                "text": duty.text,
                "status": item.status,
                "date": record.date if record else None,
                "evidence": record.evidence if record else None,
                "by": record.by if record else None,
                "reason": record.reason if record else None,
                "due_rule": item.due.rule,
                "due_date": item.due.deadline,
                "due": item.due_now,
                LEFT_OUT.name: None,
            })
    return rows


BUILDERS = {"engagements": engagement_rows, "services": service_rows, "duties": duty_rows}


def rows_of_file(table: str, checker, target) -> tuple[str, str, list[dict], Any]:
    """One file's rows of `table`, as ("rows", name, rows, its identity: id and
    where it is written), ("skipped", name, [], None), or ("unusable", name,
    [its left-out row], None). Runs in worker processes for large folders
    (Checker.map_files)."""
    from tacli.checking.checker import internal_error
    from tacli.core.findings import Finding

    try:
        result = checker.read(target)
        if result.skipped:
            return ("skipped", result.name, [], None)
        if not result.usable:
            first = min(result.findings, key=Finding.sort_key)
            return ("unusable", result.name, [left_out_row(table, checker.spec, result.name, first)], None)
        return ("rows", result.name, BUILDERS[table](checker.spec, result.engagement, result.name, checker.today), result.identity)
    except Exception as exc:  # noqa: BLE001 - a bug on one file: the export leaves the file out and says so
        return ("unusable", target.name, [left_out_row(table, checker.spec, target.name, internal_error(target.name, exc))], None)


def left_out_row(table: str, spec, name: str, finding) -> dict:
    """The row of a file that cannot be used: its name, and what to fix first."""
    row = {column.name: None for column in columns(table, spec)}
    row.update({"file": name, LEFT_OUT.name: f"left out: line {finding.line}, column {finding.column}: {finding.message}"})
    return row


def annual_rows(found, left_out=(), spec=None) -> list[dict]:
    """The annual figures (domain.annual.AnnualFigures) as rows, in their order,
    then a row a file left out (reading.pipeline.LeftOut): its name in `files`,
    what to fix first in `left_out`. With the standards (`spec`), a breakdown's
    words are theirs (`breakdown_label`); without, its id."""
    from tacli.domain.annual import FIGURES
    from tacli.output.site_annual import COUNTED_OVER, LABELS, breakdown_names, figure_text
    from tacli.output.views.common import Lookups

    names = breakdown_names(spec, Lookups(spec)) if spec is not None else {}

    def shown(item) -> "str | None":
        if item.value is None:
            return None
        return figure_text(item) + (" hours" if "hours" in item.figure else "")

    rows = [{
        "school_year": found.year,
        "figure": item.figure,
        "breakdown": item.breakdown or None,
        "value": numeric(item.value),
        "count": item.count,
        "files": list(item.files),
        "definition": FIGURES[item.figure],
        "label": LABELS.get(item.figure, item.figure),
        "breakdown_label": names.get(item.figure, {}).get(item.breakdown, item.breakdown) if item.breakdown else None,
        "shown": shown(item),
        "count_of": COUNTED_OVER[item.figure][1] if item.count is not None and item.figure in COUNTED_OVER else None,
        LEFT_OUT.name: None,
    } for item in found.figures]
    for item in left_out:
        finding = item.finding
        rows.append({**{column.name: None for column in ANNUAL_COLUMNS}, "school_year": found.year, "files": [item.name],
                     LEFT_OUT.name: f"left out: line {finding.line}, column {finding.column}: {finding.message}"})
    return rows


def finding_rows(findings) -> list[dict]:
    """The findings as `tacli check --format json` lists them, one row each."""
    return [
        {"file": item.path, "line": item.line, "column": item.column, "level": item.level.value, "rule": item.rule, "message": item.message}
        for item in findings
    ]


class FileRows:
    """The rows of every file of a table (engagements, services, duties), as
    each file's come (in no set order), given back in the table's order: by
    engagement id, then file, the rows of files left out last; a file's own
    rows keep their order (every row of a file has the same engagement id
    and file, so ordering the files orders the rows). Each file's rows are
    kept pickled in a core.spill.Spill: an export of a state's duties holds a
    few files' rows at a time, not hundreds of megabytes of them. Iterated
    as often as a format needs (an Excel workbook: twice)."""

    def __init__(self) -> None:
        from tacli.core.spill import Spill

        self._spill = Spill()
        self._files: list[tuple[tuple, int]] = []  # (the rows' order, their number in the spill)
        self._count = 0

    def add(self, rows: list[dict]) -> Optional[int]:
        """Keep a file's rows; the handle that `replace` takes (None: no row)."""
        import pickle

        if not rows:
            return None
        first = rows[0]
        order = (first[LEFT_OUT.name] is not None, first["engagement_id"] or "", first["file"])
        self._files.append((order, self._spill.append(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))))
        self._count += len(rows)
        return len(self._files) - 1

    def replace(self, handle: Optional[int], rows: list[dict]) -> None:
        """A file's rows (those kept under `handle`, if any) replaced by `rows`:
        its left-out row, once the files are seen together (an id shared)."""
        if handle is not None:
            _, number = self._files[handle]
            self._count -= len(self._rows_at(number))
            self._files[handle] = ((True, "", ""), -1)  # nothing: dropped from the order below
        self.add(rows)

    def _rows_at(self, number: int) -> list[dict]:
        import pickle

        return pickle.loads(self._spill[number])

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict]:
        import pickle

        for _, number in sorted(self._files, key=lambda item: item[0]):
            if number >= 0:
                yield from pickle.loads(self._spill[number])

    def close(self) -> None:
        self._spill.close()
