"""The view of the portfolio's summary: the key figures (tacli.domain.figures),
a row per engagement, the reports overdue, due soon, late and to revise, the on-time
rate per facilitator, intensive TA's gaps and reach, and the timeline."""

from __future__ import annotations

import functools
from datetime import date
from typing import TYPE_CHECKING, Optional, Sequence

from tacli.core.markdown import Text, mermaid_gantt
from tacli.core.numbers import hours_text, percent_text, share
from tacli.domain.figures import DutyCounts, engagement_reach, EngagementFigures, Portfolio, Totals, engagement_figures
from tacli.domain.reports import COMPLETED, DUE_SOON, OVERDUE, ReportCounts, count_reports, report_path, report_state, service_report
from tacli.domain.reviews import review_state_on
from tacli.domain.school_years import school_year, school_year_dates, school_years, shown_until
from tacli.domain.services import in_order, leader
from tacli.output.views.common import Lookups, Packed, engagement_view, labelled, pack, percent, service_label, text
from tacli.output.views.plan import features_view, reach_view
from tacli.reading.pipeline import FileResult

if TYPE_CHECKING:  # pragma: no cover - pydantic's: not imported by a run whose every result is kept
    from tacli.standards.spec import Spec


def _rate(counts: ReportCounts) -> Optional[Text]:
    """The on-time rate of reports: "66.7%" (None when none was due)."""
    rate = percent_text(counts.on_time_rate)
    return None if rate is None else Text(rate)



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
    return [{**(labelled(key, lookup) if key else {"id": Text(""), "title": None}), "hours": _hours_text(hours)} for key, hours in values.items()]


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
        "title_i_percent": percent(total.title_i_hours, total.hours),
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


def _timelines(spans: list[tuple], entries: Sequence) -> list[dict]:
    """The timeline split by school year (July to June), each year's engagements by
    start date: the first drawn, within TIMELINE_ENGAGEMENTS and TIMELINE_TEXT,
    the others listed as `more`. `spans`: each engagement's (start, end,
    engagement, services by school year) as SummaryFold keeps them, the n-th of
    `entries` (its timeline, with its dates) read only when drawn."""
    years: dict[str, list[tuple]] = {}
    for index, (start, end, engagement, services) in enumerate(spans):
        for year in school_years(start, end):
            first, last = school_year_dates(year)
            years.setdefault(year, []).append((max(start, first), str(engagement["id"]), min(end, last), index))
    out = []
    for year in sorted(years):
        rows = sorted(years[year], key=lambda row: row[:2])
        drawn, size = [], 0
        for start, _, end, index in rows:
            if len(drawn) >= TIMELINE_ENGAGEMENTS:
                break
            row = _gantt_row(entries[index], year, start, end)
            cost = _gantt_size(row)
            if drawn and size + cost > TIMELINE_TEXT:
                break
            if cost > TIMELINE_TEXT:  # one engagement with more services than a diagram holds
                row = _trimmed(row)
                cost = _gantt_size(row)
            drawn.append(row)
            size += cost
        more = [
            {"engagement": spans[index][2], "start": text(start), "end": text(end), "services": spans[index][3].get(year, 0)}
            for start, _, end, index in rows[len(drawn):]
        ]
        out.append({"school_year": Text(year), "engagements": drawn, "more": more})
    return out


def _gantt_row(entry: dict, year: str, start: date, end: date) -> dict:
    """An engagement in one school year's Gantt chart: its span in the year and the services held in it."""
    return {
        "engagement": entry["engagement"],
        "label": _clipped(entry["engagement"]["title"]),
        "start": text(start),
        "end": text(end),
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


def left_out_view(left_out) -> list[dict]:
    """The files left out (reading.pipeline.LeftOut), each with what to fix first."""
    return [{"file": Text(item.name), "line": item.finding.line, "column": item.finding.column, "rule": Text(item.finding.rule), "message": Text(item.finding.message)} for item in left_out]


def summary_part(spec: Spec, item: FileResult, today: date, lookups: Lookups) -> dict:
    """What one engagement brings to the summary (its row, its reports overdue,
    due soon and late, its timeline, reach and gaps, its figures): worked out
    from the engagement alone, so that tacli's cache can keep it beside the
    file's reports and the summary of many files reads none of them again."""
    engagement = item.engagement
    view = engagement_view(spec, engagement, lookups)
    figures = engagement_figures(spec, engagement, today, items=False)
    report = service_report(spec, engagement)
    entries, by_facilitator, events = [], [], []
    for service in in_order(engagement.services):
        service_ref = {"id": Text(service.id), "label": service_label(service, lookups), "date": text(service.date)}
        state = "planned" if service.date > today else "held"
        if report is not None:
            report_status = report_state(report, service, today)
            entry = {
                "engagement": {"id": view["id"], "title": view["title"]},
                "service": service_ref,
                "report": {"title": Text(report.title), "due": text(report_status.due), "completed": text(report_status.completed), "days_late": report_status.days_late},
                "path": Text(report_path("tast", engagement.id, service.id)),
            }
            if report_status.state == COMPLETED:
                review = review_state_on(spec, engagement, service, report, today)
                if review.revising:  # sent back with changes asked for: the facilitator's to revise and resubmit (domain.reviews)
                    revision = {"asked_by": Text(" and ".join(review.revising)), "due": text(review.due), "overdue": review.overdue(today)}
                    entries.append(("to_revise", {**entry, "revision": revision}))
            if report_status.state == OVERDUE:
                entries.append(("overdue", entry))
            elif report_status.state == DUE_SOON:
                entries.append(("due_soon", entry))
            elif report_status.days_late:
                entries.append(("late", entry))
            if report_status.state in (COMPLETED, OVERDUE):
                facilitator = leader(service, engagement).name
                by_facilitator.append((" ".join(facilitator.split()), report_status))
            state = {COMPLETED: "done", OVERDUE: "overdue", DUE_SOON: "due-soon"}.get(report_status.state, state)
        events.append({**service_ref, "state": Text(state), "_date": service.date})
    part = {
        "order": (engagement.id, item.name),
        "frameworks": tuple(engagement.frameworks),
        "figures": figures,
        "entries": entries,
        "by_facilitator": by_facilitator,
        "row": {
            "engagement": view,
            "services": figures.services,
            "hours": _hours(figures),
            "stages": {counts.stage: _stage_cell(counts) for counts in figures.duties},
            "reports": _report_cell(figures.reports) if report is not None else None,
        },
        "reach": None,
        "timeline": None,
        "gaps": None,
    }
    if engagement.intensive is not None and engagement.intensive.reach is not None:
        counted = engagement_reach(spec, engagement)
        minimum = counted.minimum_percent if counted is not None else None
        part["reach"] = {
            "engagement": {"id": view["id"], "title": view["title"], "paths": view["paths"]},
            "reach": reach_view(engagement.intensive.reach),
            "minimum_percent": text(minimum),  # the standards' minimum (Fixsen: 60)
            "below_minimum": bool(counted and counted.meets_minimum is False),
        }
    if events:
        dates = [s.date for s in engagement.services]
        end = max([*dates, shown_until(engagement.start, engagement.end, dates, today)])
        part["timeline"] = {
            "engagement": {"id": view["id"], "title": view["title"]},
            "start": view["start"],
            "end": text(end),
            "services": events,
            "_start": engagement.start,
            "_end": end,
        }
    if view["intensive"]:
        missing, incomplete = [], []
        for framework in features_view(spec, engagement):
            for feature in framework["features"]:
                if not feature["recorded"] or feature["evidenced"] == 0:
                    missing.append({"id": feature["id"], "title": feature["title"]})
                elif not feature["complete"]:
                    incomplete.append({"id": feature["id"], "title": feature["title"], "evidenced": feature["evidenced"], "indicators": len(feature["indicators"])})
        if missing or incomplete:
            part["gaps"] = {"engagement": {"id": view["id"], "title": view["title"], "paths": view["paths"]}, "missing": missing, "incomplete": incomplete}
    return part


def summary_context(spec: Spec, items: list[FileResult], today: date, lookups: Lookups, left_out=(), parts: Optional[list[dict]] = None) -> dict:
    """The summary's view of `items`; `parts` (summary_part of each item, in any
    order, as tacli's cache keeps them) spares reading the engagements."""
    fold = SummaryFold(spec)
    if parts is None:
        for item in sorted(items, key=lambda item: (item.engagement.id, item.name)):
            fold.add(summary_part(spec, item, today, lookups))
    else:
        for part in sorted(parts, key=lambda part: part["order"]):
            fold.add(part)
    return fold.context(lookups, left_out)


def summary_order(item: FileResult) -> tuple:
    """Where an engagement's part comes in the summary (summary_part's "order"),
    from what its check gives (its identity): a fold can take them in turn."""
    return (item.identity.id if item.identity is not None else item.engagement.id, item.name)


class SummaryFold:
    """The summary's view, one engagement's part (summary_part) at a time, in the
    summary's order: a part's figures are added up, and what the summary lists
    of it (its row, timeline, reports, reach and gaps) is kept packed (Packed)
    in an anonymous temporary file (core.spill.Spill: each list here holds
    each item's number in it) until the template reads it. The summary of a
    state's thousands of engagements holds their sums and a number an item,
    not every part whole (at 10,000 engagements, 33 MB of packed items)."""

    def __init__(self, spec: Spec) -> None:
        from tacli.core.spill import Spill

        self.spec = spec
        self.totals = Totals(spec)
        self.title_i = 0
        self.used: set[str] = set()  # the frameworks of the engagements: which stage columns the rows have
        self.spill = Spill()
        self.rows: list[int] = []
        self.lists: dict[str, list[tuple]] = {"overdue": [], "due_soon": [], "late": [], "to_revise": []}  # (sort key, packed entry's number)
        self.revisions_overdue = 0
        self.by_facilitator: dict[str, ReportCounts] = {}
        self.timeline: list[int] = []
        self.spans: list[tuple] = []  # for _timelines: (start, end, engagement, services by school year) of each of `timeline`
        self.reach: list[int] = []
        self.gaps: list[int] = []

    def _kept(self, value) -> int:
        return self.spill.append(pack(value))

    def add(self, part: dict) -> None:
        figures = part["figures"]
        self.totals.add(figures)
        self.title_i += 1 if figures.title_i else 0
        self.used.update(part["frameworks"])
        for kind, entry in part["entries"]:
            due = entry["revision"]["due"] if kind == "to_revise" else entry["report"]["due"]
            self.lists[kind].append(((due, entry["engagement"]["id"], entry["service"]["id"]), self._kept(entry)))
            if kind == "to_revise" and entry["revision"]["overdue"]:
                self.revisions_overdue += 1
        for name, report_status in part["by_facilitator"]:
            self.by_facilitator[name] = self.by_facilitator.get(name, ReportCounts()) + count_reports((report_status,))
        self.rows.append(self._kept(part["row"]))
        entry = part["timeline"]
        if entry is not None:
            by_year: dict[str, int] = {}
            for event in entry["services"]:
                year = school_year(event["_date"])
                by_year[year] = by_year.get(year, 0) + 1
            self.spans.append((entry["_start"], entry["_end"], entry["engagement"], by_year))
            self.timeline.append(self._kept(entry))
        if part["reach"] is not None:
            self.reach.append(self._kept(part["reach"]))
        if part["gaps"] is not None:
            self.gaps.append(self._kept(part["gaps"]))

    def context(self, lookups: Lookups, left_out=()) -> dict:
        spec = self.spec
        stage_columns: list[dict] = []
        seen_stages: set[str] = set()
        for framework in spec.frameworks.values():
            if framework.duties and framework.report and framework.id in self.used:
                for stage in framework.stages:
                    if stage.id not in seen_stages:
                        seen_stages.add(stage.id)
                        stage_columns.append({"id": Text(stage.id), "title": Text(stage.title)})
        total = self.totals.portfolio()
        taken = self.spill.taken
        timeline = Packed(taken(self.timeline))
        listed = {kind: Packed(taken([entry for _, entry in sorted(entries, key=lambda pair: pair[0])])) for kind, entries in self.lists.items()}
        return {
            "figures": figures_view(spec, total, lookups),
            "engagements": Packed(taken(self.rows), functools.partial(_row_with_stages, tuple(str(column["id"]) for column in stage_columns))),
            "stages": stage_columns,
            "overdue": listed["overdue"],
            "due_soon": listed["due_soon"],
            "late": listed["late"],
            "to_revise": listed["to_revise"],
            "revisions": {"waiting": len(self.lists["to_revise"]), "overdue": self.revisions_overdue},
            "facilitators": [{"name": Text(name), "reports": _report_cell(counts)} for name, counts in sorted(self.by_facilitator.items())],
            "report_months": [{"month": Text(month), "reports": _report_cell(counts)} for month, counts in total.reports_by_month.items() if counts.due],
            "intensive_gaps": Packed(taken(self.gaps)),
            "reach": Packed(taken(self.reach)),
            "timeline": Packed(taken(self.timeline), _public_timeline),
            "timelines": _timelines(self.spans, timeline),
            "timeline_limits": {"engagements": TIMELINE_ENGAGEMENTS},
            "totals": {
                "engagements": total.engagements,
                "services": total.services,
                "hours": _hours_text(total.hours),
                "title_i": {"engagements": self.title_i, "engagements_percent": percent(self.title_i, len(self.rows)), "hours": _hours_text(total.title_i_hours), "hours_percent": percent(total.title_i_hours, total.hours)},
            },
            "left_out": left_out_view(left_out),
            "root": Text(""),
        }


def _row_with_stages(stage_ids: tuple[str, ...], row: dict) -> dict:
    """An engagement's row with a cell for each stage column of the summary (None: its frameworks have no such stage)."""
    return {**row, "stages": [row["stages"].get(stage) for stage in stage_ids]}


def _public_timeline(entry: dict) -> dict:
    """A timeline entry as templates see it, without the dates kept to split it by school year."""
    shown = {key: value for key, value in entry.items() if key not in ("_start", "_end")}
    shown["services"] = [{key: value for key, value in event.items() if key != "_date"} for event in entry["services"]]
    return shown


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
        "cap": text(coaching.cap) if coaching else None,
        "over": bool(coaching and coaching.over),
    }


def _report_cell(counts: ReportCounts) -> dict:
    return {"due": counts.due, "on_time": counts.on_time, "late": counts.late, "overdue": counts.overdue, "rate": _rate(counts)}
