"""The view of the annual report (`tacli report --kind annual --year 2026-27`):
the figures of tacli.domain.annual as a reader of a report to a funder or a
board follows them, each group with the standards it comes from. Numbers are
formatted here, never counted: every value is a Figure's. docs/annual.md
describes each figure; docs/reports.md lists the variables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from tacli.core.markdown import Text
from tacli.core.numbers import hours_text, number, percent_text
from tacli.domain.annual import AnnualFigures, Figure
from tacli.output.views.common import Lookups, labelled, text
from tacli.output.views.summary import left_out_view
from tacli.standards.vocabulary import DELIVERY_MODES

if TYPE_CHECKING:  # pragma: no cover - pydantic's: not imported by a run whose every result is kept
    from tacli.standards.spec import Spec


_KIND_TITLES = {"district": "Districts", "school": "Schools", "early-childhood-program": "Early childhood programs"}
_MODE_TITLES = {"on-site": "On site", "virtual": "Virtual", "telephone": "Telephone"}


def _percent(value: Optional[float]) -> Optional[Text]:
    shown = percent_text(value)
    return None if shown is None else Text(shown)


def forms_returned_over(found) -> str:
    """What the evaluation forms returned are of, as the annual report and its
    page both say it: "of 101 requested (84.2%)"; "" when none was requested."""
    rate = found.get("evaluation_return_rate")
    if rate is None or not rate.count:
        return ""
    percent = percent_text(rate.value)
    return f"of {rate.count} requested" + (f" ({percent})" if percent else "")


def mean_text(value: float) -> str:
    """A mean rating to two decimals, halves up: 4.6113 -> "4.61" (the report and its site pages)."""
    return number(int(value * 100 + 0.5) / 100)


def _mean(value: Optional[float]) -> Optional[Text]:
    return None if value is None else Text(mean_text(value))


def framework_titles(spec: Spec, vocabulary: str) -> Optional[str]:
    """The titles of the frameworks that define `vocabulary` (ta_levels,
    evidence_levels, ratings...), OSEP's, Guskey's; None when none does. The
    annual report and its site pages both name their sources so."""
    return "; ".join(framework.title for framework in spec.frameworks.values() if getattr(framework, vocabulary, None)) or None


def _source(spec: Spec, vocabulary: str) -> Optional[Text]:
    titles = framework_titles(spec, vocabulary)
    return Text(titles) if titles is not None else None


def _part(whole: Figure) -> int:
    """The part a share is of its count: on time of due."""
    return int(round((whole.value or 0) * (whole.count or 0)))


def _rate_rows(found: AnnualFigures, figure: str, titles: Optional[dict] = None) -> list[dict]:
    rows = []
    for item in found.breakdowns(figure):
        rows.append({"key": Text(item.breakdown), "title": Text((titles or {}).get(item.breakdown, item.breakdown)),
                     "due": item.count or 0, "on_time": _part(item), "rate": _percent(item.value)})
    return rows


def annual_context(spec: Spec, found: AnnualFigures, lookups: Lookups, left_out: Any = ()) -> dict:
    """The annual report's variables (docs/reports.md)."""
    value = found.value
    levels = {item.id: item for item in spec.every("ta_levels")}
    tiers = {item.id: item for item in spec.every("tiers")}
    level_rows = []
    for item in found.breakdowns("engagements_by_level"):
        level = levels.get(item.breakdown)
        title = level.label if level is not None else (tiers[item.breakdown].label if item.breakdown in tiers else item.breakdown)
        level_rows.append({"id": Text(item.breakdown), "title": Text(title), "tier": text(level.tier) if level is not None else None,
                           "engagements": item.value or 0, "services": value("services_by_level", item.breakdown) or 0})
    training = spec.training_support_types
    by_type = []
    for part in ("training", "ta"):
        for item in found.breakdowns(f"{part}_hours_by_support_type"):
            kind = labelled(item.breakdown, lookups.support_types)
            kind["title"] = Text(str(kind["title"])[:1].upper() + str(kind["title"])[1:])
            by_type.append({**kind, "training": item.breakdown in training,
                            "counts_as": Text("training" if part == "training" else "technical assistance"), "hours": Text(hours_text(item.value))})
    modes = sorted({item.breakdown for part in ("training", "ta") for item in found.breakdowns(f"{part}_hours_by_mode")},
                   key=lambda mode: (mode not in DELIVERY_MODES, DELIVERY_MODES.index(mode) if mode in DELIVERY_MODES else 0, mode))
    by_mode = []
    for mode in modes:
        trained = value("training_hours_by_mode", mode) or 0
        assisted = value("ta_hours_by_mode", mode) or 0
        by_mode.append({"id": Text(mode), "title": Text(_MODE_TITLES.get(mode, mode)), "training": Text(hours_text(trained)),
                        "ta": Text(hours_text(assisted)), "hours": Text(hours_text(trained + assisted))})
    served = value("recipients_served") or 0
    recipients = {
        "served": served,
        "by_kind": [{"id": Text(item.breakdown), "title": Text(_KIND_TITLES.get(item.breakdown, item.breakdown)), "count": item.value or 0}
                    for item in found.breakdowns("recipients_served_by_kind")],
        "title_i": value("title_i_recipients_served") or 0,
        "title_i_percent": _percent(value("title_i_share_served")),
        "in_need": value("in_need_recipients_served") or 0,
        "in_need_percent": _percent(value("in_need_share_served")),
    }
    recipients["kinds"] = Text(", ".join(f"{str(kind['title']).lower()}: {kind['count']}" for kind in recipients["by_kind"])) if recipients["by_kind"] else None
    coverage = None
    if found.roster is not None:
        coverage = {
            "roster": Text(found.roster),
            "area": text(found.area),
            "rows": [
                {"title": Text(title), "listed": found.get(counted).count or 0, "served": found.get(counted).value or 0, "percent": _percent(value(shared))}
                for title, counted, shared in (
                    ("Every recipient", "roster_served", "roster_share_served"),
                    ("Title I", "roster_title_i_served", "roster_title_i_share_served"),
                    ("In need of improvement", "roster_in_need_served", "roster_in_need_share_served"),
                    ("Priority", "roster_priority_served", "roster_priority_share_served"),
                )
            ],
        }
    ratings = {item.id: item for item in spec.every("ratings")}
    scale = spec.rating_scale
    evaluation = {
        "services": value("evaluation_services") or 0,
        "returned": value("evaluation_forms_returned") or 0,
        "requested": found.get("evaluation_return_rate").count or 0,
        "return_percent": _percent(value("evaluation_return_rate")),
        "returned_over": Text(forms_returned_over(found)),
        "scale": None if scale is None else {"min": Text(number(scale.min)), "max": Text(number(scale.max)), "low": text(scale.low), "high": text(scale.high)},
        "ratings": [{"id": Text(item.breakdown), "title": Text(ratings[item.breakdown].label if item.breakdown in ratings else item.breakdown),
                     "mean": _mean(item.value), "forms": item.count or 0} for item in found.breakdowns("evaluation_mean")],
        "source": _source(spec, "ratings"),
    }
    evaluation["scale_text"] = Text("" if scale is None else f", on a scale of {number(scale.min)} ({scale.low or 'lowest'}) to {number(scale.max)} ({scale.high or 'highest'})")
    evidence_levels = {item.id: item for item in spec.every("evidence_levels")}
    evidence = {
        "engagements": value("outcome_engagements") or 0,
        "levels": [{"id": Text(item.breakdown), "title": Text(evidence_levels[item.breakdown].label if item.breakdown in evidence_levels else item.breakdown),
                    "ref": text(evidence_levels[item.breakdown].ref) if item.breakdown in evidence_levels else None,
                    "engagements": item.value or 0, "entries": value("outcome_entries_by_level", item.breakdown) or 0}
                   for item in found.breakdowns("outcome_engagements_by_level")],
        "fidelity_results": value("fidelity_results") or 0,
        "source": _source(spec, "evidence_levels"),
    }
    report_titles = [framework.report.title for framework in spec.frameworks.values() if framework.report is not None]
    reports = {
        "title": Text(" / ".join(dict.fromkeys(report_titles)) or "Service reports"),
        "due_days": sorted({framework.report.due_days for framework in spec.frameworks.values() if framework.report is not None}),
        "due": value("reports_due") or 0,
        "on_time": value("reports_on_time") or 0,
        "late": value("reports_late") or 0,
        "overdue": value("reports_overdue") or 0,
        "rate": _percent(value("reports_on_time_rate")),
        "by_month": _rate_rows(found, "reports_on_time_rate_by_month"),
        "by_facilitator": _rate_rows(found, "reports_on_time_rate_by_facilitator"),
    }
    reviews = {
        "reviewed": value("reports_reviewed") or 0,
        "approved": value("reports_approved") or 0,
        "changes_asked": value("reports_changes_asked") or 0,
        "waiting": value("reports_waiting_review") or 0,
        "decisions": value("review_decisions") or 0,
    }
    return {
        "year": Text(found.year),
        "first": text(found.first),
        "last": text(found.last),
        "through": text(found.through),
        "complete": found.complete,
        "state": Text("" if found.complete else f"(not begun on {found.today})" if found.today < found.first else f"(under way: counted through {found.through})"),
        "today": text(found.today),
        "levels": level_rows,
        "levels_source": _source(spec, "ta_levels"),
        "engagements": value("engagements") or 0,
        "services": value("services") or 0,
        "hours": {"total": Text(hours_text(value("hours") or 0)), "training": Text(hours_text(value("training_hours") or 0)),
                  "ta": Text(hours_text(value("ta_hours") or 0)), "by_support_type": by_type, "by_mode": by_mode},
        "recipients": recipients,
        "coverage": coverage,
        "evaluation": evaluation,
        "evidence": evidence,
        "reports": reports,
        "reviews": reviews,
        "files": [Text(path) for path in found.files],
        "left_out": left_out_view(left_out),
    }
