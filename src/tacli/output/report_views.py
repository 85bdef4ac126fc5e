"""The data each report template receives: plain dicts, lists and texts.

Views are built from a validated engagement and the standards spec. Every
title and text (stages, roles, duties, report sections, plan elements,
features, support types...) comes from the spec; nothing here names a duty or
an element. Strings are `Text`, so templates escape them for Markdown.

Views hold no date of rendering: the same engagement, spec and `today` give
the same view. `today` decides only whether a report is overdue or due soon.
docs/reports.md lists every variable.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from pydantic import BaseModel

from tacli.core.markdown import Text, mermaid_gantt
from tacli.core.numbers import hours_text, number, percent_number, percent_text, share
from tacli.domain.duties import duty_due, duty_record, duty_status
from tacli.domain.figures import DutyCounts, EngagementFigures, Portfolio, combine, engagement_figures
from tacli.domain.frameworks import canonical_tier, duty_frameworks, element_frameworks, feature_frameworks, is_intensive
from tacli.domain.intensive import latest_reach
from tacli.domain.reports import COMPLETED, DUE_SOON, OVERDUE, ReportCounts, count_reports, report_path, report_state, service_report
from tacli.domain.school_years import school_year, school_year_dates, school_years
from tacli.domain.services import in_order, leader
from tacli.reading.pipeline import FileResult
from tacli.standards.models import field_value
from tacli.standards.spec import Spec


def _text(value) -> Optional[Text]:
    if value is None:
        return None
    if isinstance(value, date):
        return Text(value.isoformat())
    if isinstance(value, float):
        return Text(number(value))
    return Text(str(value))


def _texts(values) -> list[Text]:
    return [Text(str(v)) for v in values or [] if str(v).strip()]


def _person(person) -> Optional[dict]:
    if person is None:
        return None
    return {"name": _text(person.name), "role": _text(person.role), "email": _text(person.email), "phone": _text(person.phone)}


def _labelled(item_id, lookup: dict) -> Optional[dict]:
    """{id, title} for a spec id; the title is the spec item's own words."""
    if item_id is None:
        return None
    item = lookup.get(item_id)
    title = (getattr(item, "label", None) or getattr(item, "title", None)) if item is not None else None
    return {"id": Text(item_id), "title": Text(title or item_id)}


class Lookups:
    """Spec items by id, for the vocabularies a view names."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.support_types = {i.id: i for i in spec.every("support_types")}
        self.topics = {i.id: i for i in spec.every("topics")}
        self.partners = {i.id: i for i in spec.every("partners")}
        self.tiers = {i.id: i for i in spec.every("tiers")}
        self.terms = {i.id: i for i in spec.every("terms")}
        self.roles = {r.id: r for r in spec.every("roles")}


def engagement_view(spec: Spec, engagement, lookups: Lookups) -> dict:
    recipient, provider, coaching = engagement.recipient, engagement.provider, engagement.coaching
    tier = canonical_tier(spec, engagement)
    tier_item = lookups.tiers.get(tier)
    return {
        "id": Text(engagement.id),
        "title": Text(engagement.title),
        "tier": {"id": Text(tier), "title": Text(tier_item.label if tier_item else tier), "given": Text(engagement.tier)},
        "intensive": is_intensive(spec, engagement),
        "frameworks": [{"id": Text(f), "title": Text(spec.frameworks[f].title)} for f in engagement.frameworks if f in spec.frameworks],
        "recipient": {
            "kind": Text(recipient.kind),
            "kind_title": Text(recipient.kind.replace("-", " ")),
            "name": Text(recipient.name),
            "district": _text(recipient.district),
            "title_i": recipient.title_i,
            "in_need_of_improvement": recipient.in_need_of_improvement,
            "point_person": _person(recipient.point_person),
        },
        "provider": {
            "organization": Text(provider.organization),
            "partner": _labelled(provider.partner, lookups.partners),
            "facilitator": _person(provider.facilitator),
        },
        "start": _text(engagement.start),
        "end": _text(engagement.end),
        "notes": _text(engagement.notes),
        "coaching": None if coaching is None else {
            "coach": _person(coaching.coach),
            "term": _labelled(coaching.term, lookups.terms),
            "hour_cap": _text(coaching.hour_cap),
        },
        "paths": {"plan": Text(report_path("plan", engagement.id))},
    }


def report_status(spec: Spec, engagement, service, today: date) -> Optional[dict]:
    """The service's report as a reader follows it: its state, due date,
    completion, and how late it was completed, with a short status line."""
    report = service_report(spec, engagement)
    if report is None:
        return None
    state = report_state(report, service, today)
    late = state.days_late
    if state.state == COMPLETED:
        status = f"completed {state.completed}" + (f", completed {late} day{'s' if late != 1 else ''} late" if late else "")
    elif state.state == OVERDUE:
        status = f"overdue: due {state.due}"
    else:
        status = f"due {state.due}"
    return {
        "title": Text(report.title),
        "state": Text(state.state),
        "due": _text(state.due),
        "completed": _text(state.completed),
        "days_late": late,
        "on_time": state.completed is not None and not late,
        "status": Text(status),
    }


def service_view(spec: Spec, engagement, service, lookups: Lookups, today: date) -> dict:
    kind = _labelled(service.type, lookups.support_types)
    participants = service.participants
    forms = service.evaluation_forms
    report = report_status(spec, engagement, service, today)
    return {
        "id": Text(service.id),
        "date": _text(service.date),
        "title": _text(service.title),
        "label": Text(service.title or kind["title"]),
        "type": kind,
        "mode": Text(service.mode),
        "hours": _text(service.hours),
        "facilitator": _person(leader(service, engagement)),
        "topics": [_labelled(t, lookups.topics) for t in service.topics],
        "participants": None if participants is None else {"count": _text(participants.count), "description": _text(participants.description)},
        "purpose": _text(service.purpose),
        "intended_outcomes": _texts(service.intended_outcomes),
        "implementation_expectations": _texts(service.implementation_expectations),
        "agenda": [{"time": Text(a.time), "item": Text(a.item), "outcome": _text(a.outcome)} for a in service.agenda],
        "norms": _texts(service.norms),
        "evaluation_forms": None if forms is None else {"requested": _text(forms.requested), "returned": _text(forms.returned), "summary": _text(forms.summary)},
        "notes": _text(service.notes),
        "report": report,
        "paths": {
            "tast": Text(report_path("tast", engagement.id, service.id)) if report else None,
            "agenda": Text(report_path("agenda", engagement.id, service.id)),
        },
    }


# --- TAST report -----------------------------------------------------------


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
                        "condition": _text(duty.condition),
                        "ref": _text(duty.ref),
                        "status": Text(status),
                        "status_title": Text(DUTY_STATUS_TITLES[status]),
                        "symbol": Text(DUTY_STATUS_SYMBOLS[status]),
                        "due": _text(due),
                        "recorded": record is not None,
                        "date": _text(record.date) if record else None,
                        "evidence": _text(record.evidence) if record else None,
                        "reason": _text(record.reason) if record else None,
                        "by": _text(record.by) if record else None,
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
            sections.append({"id": Text(section.id), "title": Text(section.title), "entries": _texts(field_value(service.tast_report, section.id))})
    return {
        "engagement": engagement_view(spec, engagement, lookups),
        "service": service_view(spec, engagement, service, lookups, today),
        "framework": {"id": Text(framework.id), "title": Text(framework.title)},
        "report": {
            "id": Text(report.id),
            "title": Text(report.title),
            "quote": _text(report.quote),
            "ref": _text(report.ref),
            "due_days": report.due_days,
            "due": _text(state.due),
            "completed": _text(state.completed),
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


# --- agenda ----------------------------------------------------------------


def agenda_context(spec: Spec, item: FileResult, service, today: date, lookups: Lookups) -> dict:
    engagement = item.engagement
    return {
        "engagement": engagement_view(spec, engagement, lookups),
        "service": service_view(spec, engagement, service, lookups, today),
        "root": Text("../"),
    }


# --- plan ------------------------------------------------------------------


def field_title(field_id: str) -> str:
    """A record field's heading, from its id in the spec: `inputs` -> "Inputs"."""
    words = field_id.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _element_view(element, value, lookups: Lookups) -> dict:
    view: dict[str, Any] = {
        "id": Text(element.id),
        "title": Text(element.title),
        "definition": Text(element.definition),
        "ref": _text(element.ref),
        "value": Text(element.value),
        "text": None,
        "entries": [],
        "fields": [],
        "people": [],
    }
    if element.value == "text":
        view["text"] = _text(value) if value and str(value).strip() else None
        recorded = view["text"] is not None
    elif element.value == "text-list":
        view["entries"] = _texts(value)
        recorded = bool(view["entries"])
    elif element.value == "record":
        view["fields"] = [
            {"id": Text(f), "title": Text(field_title(f)), "entries": _texts(field_value(value, f) if isinstance(value, BaseModel) else None)}
            for f in element.fields
        ]
        recorded = any(f["entries"] for f in view["fields"])
    else:  # people
        view["people"] = [
            {
                "name": Text(p.name),
                "title": _text(p.title),
                "role": _labelled(p.role, lookups.roles),
                "responsibilities": _texts(p.responsibilities),
                "contribution": _text(p.contribution),
            }
            for p in value or []
        ]
        recorded = bool(view["people"])
    view["recorded"] = recorded
    return view


def features_view(spec: Spec, engagement) -> list[dict]:
    """Each applicable framework's intensive-TA features with the evidence recorded."""
    features = engagement.intensive.features if engagement.intensive else None
    out = []
    for framework in feature_frameworks(spec, engagement):
        items = []
        for feature in framework.features:
            value = field_value(features, feature.id)
            indicators = [{"id": Text(i.id), "text": Text(i.text), "evidence": _text(field_value(value, i.id)) if field_value(value, i.id) else None} for i in feature.indicators]
            evidenced = sum(1 for i in indicators if i["evidence"])
            items.append({
                "id": Text(feature.id),
                "title": Text(feature.title),
                "ref": _text(feature.ref),
                "indicators": indicators,
                "recorded": value is not None,
                "evidenced": evidenced,
                "complete": evidenced == len(indicators),
            })
        out.append({"id": Text(framework.id), "title": Text(framework.title), "features": items})
    return out


def _percent(part, whole) -> Optional[Text]:
    """`part` of `whole` as a percentage, without its sign: "66.7"."""
    ratio = share(part, whole)
    return None if ratio is None else Text(number(percent_number(ratio)))


def _rate(counts: ReportCounts) -> Optional[Text]:
    """The on-time rate of reports: "66.7%" (None when none was due)."""
    rate = percent_text(counts.on_time_rate)
    return None if rate is None else Text(rate)


def reach_view(reach) -> Optional[dict]:
    """The reach target and the counts of beneficiaries reached, over time."""
    if reach is None:
        return None
    reached, _ = latest_reach(reach)
    history = [{"date": _text(c.date), "reached": _text(c.reached), "percent": _percent(c.reached, reach.intended)} for c in sorted(reach.history, key=lambda c: c.date)]
    return {
        "beneficiaries": _text(reach.beneficiaries),
        "intended": _text(reach.intended),
        "target_percent": _text(reach.target_percent),
        "reached": _text(reached),
        "reached_percent": _percent(reached, reach.intended),
        "history": history,
        "below_target": reached is not None and bool(reach.intended) and reach.target_percent is not None and reached * 100 < reach.target_percent * reach.intended,
    }


def _intensive_view(spec: Spec, engagement) -> Optional[dict]:
    frameworks = features_view(spec, engagement)
    intensive = engagement.intensive
    if not frameworks and intensive is None:
        return None
    agreement = intensive.agreement if intensive else None
    reach = intensive.reach if intensive else None
    reviews = sorted(intensive.fidelity_reviews, key=lambda r: r.date) if intensive else []
    return {
        "frameworks": frameworks,
        "agreement": None if agreement is None else {"date": _text(agreement.date), "summary": _text(agreement.summary)},
        "reach": reach_view(reach),
        "fidelity_reviews": [{"date": _text(r.date), "measure": _text(r.measure), "summary": _text(r.summary)} for r in reviews],
    }


def plan_context(spec: Spec, item: FileResult, today: date, lookups: Lookups) -> dict:
    engagement = item.engagement
    planning = []
    for framework in element_frameworks(spec, engagement):
        elements = [_element_view(e, field_value(engagement.plan, e.id), lookups) for e in framework.elements]
        planning.append({"id": Text(framework.id), "title": Text(framework.title), "elements": elements})
    return {
        "engagement": engagement_view(spec, engagement, lookups),
        "services": [service_view(spec, engagement, s, lookups, today) for s in in_order(engagement.services)],
        "reports": bool(duty_frameworks(spec, engagement)),
        "planning": planning,
        "intensive": _intensive_view(spec, engagement),
        "root": Text("../"),
    }


# --- summary ---------------------------------------------------------------

# A Gantt diagram of the timeline holds at most this many engagements, and at
# most this much text: Mermaid refuses a diagram over 50,000 characters
# (maxTextSize), and a taller chart is no longer read. Larger school years name
# the rest below the diagram; `tacli site` draws them all.
TIMELINE_ENGAGEMENTS = 25
TIMELINE_TEXT = 30_000
# Engagement and service names are cut to this many characters in a diagram,
# so that labels stay within the chart (the tables give them in full).
DIAGRAM_LABEL = 40
# The bar chart of hours by month shows at most this many months, the latest.
CHART_MONTHS = 36


def _hours_text(value: float) -> Text:
    return Text(hours_text(value))


def _hours_by(values: dict[str, float], lookup: dict) -> list[dict]:
    """[{id, title, hours}] in the figures' order; "" is no item (no partner)."""
    return [{**(_labelled(key, lookup) if key else {"id": Text(""), "title": None}), "hours": _hours_text(hours)} for key, hours in values.items()]


def _month_chart(by_month: dict[str, float]) -> list[dict]:
    """Every month from the first with hours to the last (empty months at 0),
    within the latest CHART_MONTHS, from the first of those with hours."""
    if not by_month:
        return []
    year, month = (int(part) for part in max(by_month).split("-"))
    months = []
    for _ in range(CHART_MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    shown = [key for key in reversed(months) if key >= min(by_month)]
    while shown and shown[0] not in by_month:
        shown.pop(0)
    return [{"month": Text(key), "hours": _hours_text(by_month.get(key, 0.0))} for key in shown]


def figures_view(spec: Spec, total: Portfolio, lookups: Lookups) -> dict:
    """The portfolio's key figures (tacli.domain.figures) as the summary shows them."""
    reports = total.reports
    training = spec.training_support_types
    by_type = _hours_by(total.hours_by_support_type, lookups.support_types)
    for entry in by_type:
        entry["training"] = str(entry["id"]) in training
        entry["short"] = _clipped(entry["title"])
    months = _month_chart(total.hours_by_month)
    return {
        "engagements": total.engagements,
        "recipients": total.recipients,
        "title_i_recipients": total.title_i_recipients,
        "services": total.services,
        "hours": _hours_text(total.hours),
        "training_hours": _hours_text(total.training_hours),
        "ta_hours": _hours_text(total.ta_hours),
        "title_i_hours": _hours_text(total.title_i_hours),
        "title_i_percent": _percent(total.title_i_hours, total.hours),
        "reports": {"due": reports.due, "on_time": reports.on_time, "late": reports.late, "overdue": reports.overdue, "due_soon": reports.due_soon,
                    "rate": _rate(reports)},
        "hours_by_support_type": by_type,
        "hours_by_topic": _hours_by(total.hours_by_topic, lookups.topics),
        "hours_by_partner": _hours_by(total.hours_by_partner, lookups.partners),
        "hours_by_month": months,
        "months_left_out": len(total.hours_by_month) - len([m for m in months if str(m["month"]) in total.hours_by_month]),
    }


def _clipped(text: str) -> Text:
    """A name cut for a diagram label: at most DIAGRAM_LABEL characters, with an ellipsis."""
    flat = " ".join(str(text).split())
    return Text(flat if len(flat) <= DIAGRAM_LABEL else flat[: DIAGRAM_LABEL - 1].rstrip() + "\u2026")


def _timelines(entries: list[dict]) -> list[dict]:
    """The timeline split by school year (July to June), each year's engagements by
    start date: the first drawn, within TIMELINE_ENGAGEMENTS and TIMELINE_TEXT,
    the others listed as `more`."""
    years: dict[str, list[tuple]] = {}
    for entry in entries:
        start, end = entry["_start"], entry["_end"]
        for year in school_years(start, end):
            first, last = school_year_dates(year)
            years.setdefault(year, []).append((max(start, first), str(entry["engagement"]["id"]), min(end, last), year, entry))
    out = []
    for year in sorted(years):
        rows = sorted(years[year], key=lambda row: row[:2])
        drawn, size = [], 0
        for start, _, end, _, entry in rows:
            if len(drawn) >= TIMELINE_ENGAGEMENTS:
                break
            row = _gantt_row(entry, year, start, end)
            cost = _gantt_size(row)
            if drawn and size + cost > TIMELINE_TEXT:
                break
            if cost > TIMELINE_TEXT:  # one engagement with more services than a diagram holds
                row = _trimmed(row)
                cost = _gantt_size(row)
            drawn.append(row)
            size += cost
        more = [
            {"engagement": entry["engagement"], "start": _text(start), "end": _text(end), "services": sum(1 for s in entry["services"] if school_year(s["_date"]) == year)}
            for start, _, end, _, entry in rows[len(drawn):]
        ]
        out.append({"school_year": Text(year), "engagements": drawn, "more": more})
    return out


def _gantt_row(entry: dict, year: str, start: date, end: date) -> dict:
    """An engagement in one school year's Gantt chart: its span in the year and the services held in it."""
    return {
        "engagement": entry["engagement"],
        "label": _clipped(entry["engagement"]["title"]),
        "start": _text(start),
        "end": _text(end),
        "services": [{**s, "label": _clipped(s["label"])} for s in entry["services"] if school_year(s["_date"]) == year],
        "services_left_out": 0,
    }


def _gantt_size(row: dict) -> int:
    """At most the characters a row adds to a Gantt diagram (names as encoded for Mermaid)."""
    return _ROW_SIZE + len(mermaid_gantt(row["label"])) + sum(_SERVICE_SIZE + len(mermaid_gantt(s["label"])) for s in row["services"])


# The characters of a Gantt row and of a milestone besides their names (dates, tags, keywords).
_ROW_SIZE, _SERVICE_SIZE = 60, 60


def _trimmed(row: dict) -> dict:
    """A row with the services that fit in one diagram, and how many were left out."""
    size = _ROW_SIZE + len(mermaid_gantt(row["label"]))
    kept = []
    for service in row["services"]:
        size += _SERVICE_SIZE + len(mermaid_gantt(service["label"]))
        if size > TIMELINE_TEXT:
            break
        kept.append(service)
    return {**row, "services": kept, "services_left_out": len(row["services"]) - len(kept)}


def summary_context(spec: Spec, items: list[FileResult], today: date, lookups: Lookups) -> dict:
    ordered = sorted(items, key=lambda e: (e.engagement.id, e.name))
    stage_columns: list[dict] = []
    seen_stages: set[str] = set()
    for framework in spec.frameworks.values():
        if framework.duties and framework.report and any(framework.id in e.engagement.frameworks for e in ordered):
            for stage in framework.stages:
                if stage.id not in seen_stages:
                    seen_stages.add(stage.id)
                    stage_columns.append({"id": Text(stage.id), "title": Text(stage.title)})
    rows, overdue, due_soon, late, gaps, timeline, reach = [], [], [], [], [], [], []
    all_figures = []
    by_facilitator: dict[str, list] = {}
    for item in ordered:
        engagement = item.engagement
        view = engagement_view(spec, engagement, lookups)
        figures = engagement_figures(spec, engagement, today, items=False)
        all_figures.append(figures)
        report = service_report(spec, engagement)
        events = []
        for service in in_order(engagement.services):
            service_ref = {"id": Text(service.id), "label": _service_label(service, lookups), "date": _text(service.date)}
            state = "planned" if service.date > today else "held"
            if report is not None:
                report_status = report_state(report, service, today)
                entry = {
                    "engagement": {"id": view["id"], "title": view["title"]},
                    "service": service_ref,
                    "report": {"title": Text(report.title), "due": _text(report_status.due), "completed": _text(report_status.completed), "days_late": report_status.days_late},
                    "path": Text(report_path("tast", engagement.id, service.id)),
                }
                if report_status.state == OVERDUE:
                    overdue.append(entry)
                elif report_status.state == DUE_SOON:
                    due_soon.append(entry)
                elif report_status.days_late:
                    late.append(entry)
                if report_status.state in (COMPLETED, OVERDUE):
                    facilitator = leader(service, engagement).name
                    by_facilitator.setdefault(" ".join(facilitator.split()), []).append(report_status)
                state = {COMPLETED: "done", OVERDUE: "overdue", DUE_SOON: "due-soon"}.get(report_status.state, state)
            events.append({**service_ref, "state": Text(state), "_date": service.date})
        stages = {counts.stage: counts for counts in figures.duties}
        rows.append({
            "engagement": view,
            "services": figures.services,
            "hours": _hours(figures),
            "stages": [_stage_cell(stages.get(str(column["id"]))) for column in stage_columns],
            "reports": _report_cell(figures.reports) if report is not None else None,
        })
        if engagement.intensive is not None and engagement.intensive.reach is not None:
            reach.append({"engagement": {"id": view["id"], "title": view["title"], "paths": view["paths"]}, "reach": reach_view(engagement.intensive.reach)})
        if events:
            last = max([s.date for s in engagement.services] + ([engagement.end] if engagement.end else []))
            end = max(last, engagement.start)
            timeline.append({
                "engagement": {"id": view["id"], "title": view["title"]},
                "start": view["start"],
                "end": _text(end),
                "services": events,
                "_start": engagement.start,
                "_end": end,
            })
        if view["intensive"]:
            missing, incomplete = [], []
            for framework in features_view(spec, engagement):
                for feature in framework["features"]:
                    if not feature["recorded"] or feature["evidenced"] == 0:
                        missing.append({"id": feature["id"], "title": feature["title"]})
                    elif not feature["complete"]:
                        incomplete.append({"id": feature["id"], "title": feature["title"], "evidenced": feature["evidenced"], "indicators": len(feature["indicators"])})
            if missing or incomplete:
                gaps.append({"engagement": {"id": view["id"], "title": view["title"], "paths": view["paths"]}, "missing": missing, "incomplete": incomplete})
    total = combine(spec, all_figures)
    title_i = sum(1 for figures in all_figures if figures.title_i)
    key = lambda e: (e["report"]["due"], e["engagement"]["id"], e["service"]["id"])  # noqa: E731
    timelines = _timelines(timeline)
    for entry in timeline:
        del entry["_start"], entry["_end"]
        for event in entry["services"]:
            del event["_date"]
    return {
        "figures": figures_view(spec, total, lookups),
        "engagements": rows,
        "stages": stage_columns,
        "overdue": sorted(overdue, key=key),
        "due_soon": sorted(due_soon, key=key),
        "late": sorted(late, key=key),
        "facilitators": [{"name": Text(name), "reports": _report_cell(count_reports(states))} for name, states in sorted(by_facilitator.items())],
        "intensive_gaps": gaps,
        "reach": reach,
        "timeline": timeline,
        "timelines": timelines,
        "timeline_limits": {"engagements": TIMELINE_ENGAGEMENTS},
        "totals": {
            "engagements": total.engagements,
            "services": total.services,
            "hours": _hours_text(total.hours),
            "title_i": {"engagements": title_i, "engagements_percent": _percent(title_i, len(ordered)), "hours": _hours_text(total.title_i_hours), "hours_percent": _percent(total.title_i_hours, total.hours)},
        },
        "root": Text(""),
    }


def _stage_cell(counts: Optional[DutyCounts]) -> Optional[dict]:
    """A stage's duties done out of those that apply (not-applicable ones left out)."""
    if counts is None:
        return None
    applicable = counts.applicable
    rate = percent_text(share(counts.done, applicable))
    return {"done": counts.done, "applicable": applicable, "percent": Text(rate) if rate else None}


def _hours(figures: EngagementFigures) -> dict:
    """Every service's hours; and, under a cap, the hours counted against it."""
    coaching = figures.coaching
    return {
        "total": _hours_text(figures.hours),
        "used": _hours_text(coaching.counted if coaching else figures.hours),
        "cap": _text(coaching.cap) if coaching else None,
        "over": bool(coaching and coaching.over),
    }


def _report_cell(counts: ReportCounts) -> dict:
    return {"due": counts.due, "on_time": counts.on_time, "late": counts.late, "overdue": counts.overdue, "rate": _rate(counts)}


def _service_label(service, lookups: Lookups) -> Text:
    if service.title:
        return Text(service.title)
    kind = lookups.support_types.get(service.type)
    return Text(kind.label if kind else service.type)
