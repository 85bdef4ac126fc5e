"""The site's annual report: `annual.html`, the school years side by side, and
`annual/<year>.html`, one printable page a school year with every figure of
tacli.domain.annual (the same `tacli report --kind annual` gives), each with
the engagements it came from, linked to their pages.

Nothing is counted here: every number is a Figure of domain.annual, shown as
the page says it (a count, hours, a share of what it is counted over, a mean
rating over the forms that gave it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Optional

from tacli.core.numbers import hours_text, percent_text
from tacli.output.site_layout import ANNUAL_FOLDER, ANNUAL_INDEX  # noqa: F401 - also imported from here
from tacli.core.textformat import visible
from tacli.domain.school_years import school_year
from tacli.reading.pipeline import FileResult
from tacli.standards.vocabulary import DELIVERY_MODES

if TYPE_CHECKING:  # pragma: no cover - pydantic's: not imported by a run whose every result is kept
    from tacli.standards.spec import Spec


# The sections of a year's page, in order, and the figures of domain.annual each shows.
# A figure no section names shows under "Other figures", so none is ever left out.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("levels", "Technical assistance by level", ("engagements", "engagements_by_level", "services", "services_by_level")),
    ("hours", "Hours of training and technical assistance", (
        "hours", "training_hours", "training_hours_by_support_type", "training_hours_by_mode", "ta_hours", "ta_hours_by_support_type", "ta_hours_by_mode")),
    ("recipients", "Recipients served", (
        "recipients_served", "recipients_served_by_kind", "title_i_recipients_served", "title_i_share_served", "in_need_recipients_served", "in_need_share_served")),
    ("coverage", "Coverage of the service area", (
        "roster_recipients", "roster_served", "roster_share_served", "roster_title_i_served", "roster_title_i_share_served",
        "roster_in_need_served", "roster_in_need_share_served", "roster_priority_served", "roster_priority_share_served")),
    ("evaluations", "Evaluations of services", ("evaluation_services", "evaluation_forms_returned", "evaluation_return_rate", "evaluation_mean")),
    ("outcomes", "Outcome evidence", ("outcome_engagements", "outcome_engagements_by_level", "outcome_entries_by_level", "fidelity_results")),
    ("reports", "Reports on time", (
        "reports_due", "reports_on_time", "reports_late", "reports_overdue", "reports_on_time_rate",
        "reports_on_time_rate_by_month", "reports_on_time_rate_by_facilitator")),
    ("reviews", "Reviews of the reports", ("reports_reviewed", "reports_approved", "reports_changes_asked", "reports_waiting_review", "review_decisions")),
)

# What each figure is called on the page; a breakdown row is called by what it breaks down by.
LABELS: dict[str, str] = {
    "engagements": "Engagements",
    "engagements_by_level": "Engagements by level of TA",
    "services": "Services",
    "services_by_level": "Services by level of TA",
    "hours": "Hours",
    "training_hours": "Hours of training",
    "training_hours_by_support_type": "Hours of training by support type",
    "training_hours_by_mode": "Hours of training by delivery mode",
    "ta_hours": "Hours of technical assistance",
    "ta_hours_by_support_type": "Hours of technical assistance by support type",
    "ta_hours_by_mode": "Hours of technical assistance by delivery mode",
    "recipients_served": "Recipients served (unduplicated)",
    "recipients_served_by_kind": "Recipients served by kind",
    "title_i_recipients_served": "Title I recipients served",
    "title_i_share_served": "Share of the recipients served that are Title I",
    "in_need_recipients_served": "Recipients served in need of improvement",
    "in_need_share_served": "Share of the recipients served in need of improvement",
    "roster_recipients": "Recipients on the roster",
    "roster_served": "Recipients on the roster served",
    "roster_share_served": "Share of the roster served",
    "roster_title_i_served": "Title I recipients on the roster served",
    "roster_title_i_share_served": "Share of the roster's Title I recipients served",
    "roster_in_need_served": "Recipients on the roster in need of improvement served",
    "roster_in_need_share_served": "Share of the roster's recipients in need of improvement served",
    "roster_priority_served": "Priority recipients on the roster served",
    "roster_priority_share_served": "Share of the roster's priority recipients served",
    "evaluation_services": "Services with evaluation forms returned",
    "evaluation_forms_returned": "Evaluation forms returned",
    "evaluation_return_rate": "Forms returned of those requested",
    "evaluation_mean": "Mean rating",
    "outcome_engagements": "Engagements with outcome evidence",
    "outcome_engagements_by_level": "Engagements with evidence, by level",
    "outcome_entries_by_level": "Entries of evidence, by level",
    "fidelity_results": "Fidelity results",
    "reports_due": "Reports due",
    "reports_on_time": "Completed on time",
    "reports_late": "Completed late",
    "reports_overdue": "Overdue",
    "reports_on_time_rate": "On-time rate",
    "reports_on_time_rate_by_month": "On-time rate by month of the service",
    "reports_on_time_rate_by_facilitator": "On-time rate by facilitator",
    "reports_reviewed": "Completed reports with reviewers",
    "reports_approved": "Approved by every reviewer",
    "reports_changes_asked": "Changes asked for (waiting for the facilitator)",
    "reports_waiting_review": "Waiting for a reviewer",
    "review_decisions": "Reviewers' decisions recorded",
}

# What the count of a figure is, in words, by figure (a share is of it; a mean is over it).
COUNTED_OVER: dict[str, tuple[str, str]] = {
    "title_i_recipients_served": ("recipient served", "recipients served"),
    "in_need_recipients_served": ("recipient served", "recipients served"),
    "title_i_share_served": ("recipient served", "recipients served"),
    "in_need_share_served": ("recipient served", "recipients served"),
    "roster_served": ("on the roster", "on the roster"),
    "roster_share_served": ("on the roster", "on the roster"),
    "roster_title_i_served": ("Title I on the roster", "Title I on the roster"),
    "roster_title_i_share_served": ("Title I on the roster", "Title I on the roster"),
    "roster_in_need_served": ("in need on the roster", "in need on the roster"),
    "roster_in_need_share_served": ("in need on the roster", "in need on the roster"),
    "roster_priority_served": ("priority on the roster", "priority on the roster"),
    "roster_priority_share_served": ("priority on the roster", "priority on the roster"),
    "evaluation_forms_returned": ("service", "services"),
    "evaluation_return_rate": ("form requested", "forms requested"),
    "evaluation_mean": ("form", "forms"),
    "reports_on_time": ("report due", "reports due"),
    "reports_late": ("report due", "reports due"),
    "reports_overdue": ("report due", "reports due"),
    "reports_on_time_rate": ("report due", "reports due"),
    "reports_on_time_rate_by_month": ("report due", "reports due"),
    "reports_on_time_rate_by_facilitator": ("report due", "reports due"),
    "reports_approved": ("report reviewed", "reports reviewed"),
    "reports_changes_asked": ("report reviewed", "reports reviewed"),
    "reports_waiting_review": ("report reviewed", "reports reviewed"),
}


def annual_page(year: str) -> str:
    return f"{ANNUAL_FOLDER}/{year}.html"


def annual_years(engagements: list[FileResult], today: date, parts: Optional[list] = None) -> list[str]:
    """The school years with a service held by `today`, newest first: a page each.
    `parts` (portfolio_part of each engagement) spares reading the engagements."""
    if parts is None:
        return sorted({year for item in engagements for year in years_held(item.engagement, today)}, reverse=True)
    return sorted({year for part in parts for year in part.years}, reverse=True)


def years_held(engagement, today: date) -> tuple[str, ...]:
    """The school years of an engagement's services held by `today`, sorted: its share of annual_years."""
    return tuple(sorted({school_year(service.date) for service in engagement.services if service.date <= today}))


@dataclass(frozen=True)
class PortfolioPart:
    """What the pages of the whole portfolio need of one engagement (portfolio_part):
    its id and title, what coverage needs of it, the school years of its services
    held, and its part of the annual figures of each school year it has one in.
    Plain data: tacli's cache keeps it (output.site.portfolio_work)."""

    path: str
    id: str
    title: str
    served: Any  # domain.coverage.Served
    years: tuple[str, ...]  # the school years of its services held by the day (annual_years)
    annual: dict[str, Any]  # school year -> domain.annual.AnnualPart (annual_parts)

    def annual_part(self, year: str):
        """Its part of `year`'s figures: the empty part in a year it has nothing in."""
        from tacli.domain.annual import AnnualPart

        found = self.annual.get(year)
        return found if found is not None else AnnualPart(self.path, self.id)


def portfolio_part(spec: Spec, item: FileResult, today: date) -> PortfolioPart:
    """One engagement's PortfolioPart as of `today`."""
    from tacli.domain.annual import annual_parts
    from tacli.domain.coverage import served_by

    engagement = item.engagement
    return PortfolioPart(
        path=item.name, id=engagement.id, title=engagement.title, served=served_by(item.name, engagement),
        years=years_held(engagement, today),
        annual=annual_parts(spec, item.name, engagement, today),
    )


def year_figures(spec: Spec, engagements: list[FileResult], today: date, roster=None, parts: Optional[list] = None) -> dict[str, Any]:
    """Each school year's annual figures (domain.annual: the sum of each
    engagement's part), newest first; `parts` (portfolio_part of each
    engagement, as tacli's cache keeps them) spares reading the engagements."""
    from tacli.domain.annual import annual_sum

    if parts is None:
        parts = [portfolio_part(spec, item, today) for item in engagements]
    return {year: annual_sum(spec, [part.annual_part(year) for part in parts], year, today, roster) for year in annual_years(engagements, today, parts)}


# The sections whose words come from a framework of the standards, and the vocabulary that says which.
SECTION_VOCABULARIES = {"levels": "ta_levels", "evaluations": "ratings", "outcomes": "evidence_levels"}


def section_source(spec: Spec, section: str) -> Optional[str]:
    """The title of the framework a section's levels or ratings come from (OSEP's, Guskey's), or None."""
    from tacli.output.views.annual import framework_titles

    vocabulary = SECTION_VOCABULARIES.get(section)
    return framework_titles(spec, vocabulary) if vocabulary else None


def breakdown_names(spec: Spec, lookups) -> dict[str, dict[str, str]]:
    """What each kind of breakdown's keys are called: levels, support types, modes, kinds, ratings."""
    def titles(kind: str) -> dict[str, str]:
        return {item.id: getattr(item, "label", None) or item.title for item in spec.every(kind)}

    support = {key: getattr(item, "label", None) or getattr(item, "title", None) or key for key, item in lookups.support_types.items()}
    modes = {mode: "delivery: " + mode.replace("-", " ") for mode in DELIVERY_MODES}  # told apart from the support types listed above them
    evidence = titles("evidence_levels")
    return {
        "engagements_by_level": titles("ta_levels"),
        "services_by_level": titles("ta_levels"),
        "training_hours_by_support_type": support,
        "ta_hours_by_support_type": support,
        "training_hours_by_mode": modes,
        "ta_hours_by_mode": modes,
        "outcome_engagements_by_level": evidence,
        "outcome_entries_by_level": evidence,
        "evaluation_mean": titles("ratings"),
    }


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def figure_text(figure) -> str:
    """A figure's value as the page shows it, and the export's `shown` column."""
    from tacli.domain.annual import SHARES

    value = figure.value
    if value is None:
        return "\u2013"
    if figure.figure in SHARES:
        return percent_text(value) or "\u2013"
    if figure.figure == "evaluation_mean":
        from tacli.output.views.annual import mean_text

        return mean_text(value)
    if "hours" in figure.figure:
        return hours_text(value)
    return str(value)


def _over(figure) -> str:
    """What a figure is counted over, in words ("of 7 on the roster"), or ""."""
    if figure.count is None or figure.figure not in COUNTED_OVER:
        return ""
    one, many = COUNTED_OVER[figure.figure]
    word = "over" if figure.figure == "evaluation_mean" else "of"
    return f"{word} {figure.count} {one if figure.count == 1 else many}"


def _sources(figure, pages: dict[str, dict], roster_path: Optional[str]) -> list[dict]:
    """The files a figure came from: each engagement with its page, and the roster."""
    found = []
    for path in figure.files:
        if path in pages:
            found.append(pages[path])
        elif roster_path is not None and path == roster_path:
            found.append({"title": "The roster of the service area", "href": None, "file": visible(path)})
        else:
            found.append({"title": visible(path), "href": None, "file": visible(path)})
    return found


def source_pages(engagements: list[FileResult], page_of, parts: Optional[list] = None) -> dict[str, dict]:
    """Each engagement file as a figure's source: its title, its page (`page_of(id)`), the file."""
    if parts is None:
        return {item.name: {"title": visible(item.engagement.title), "href": page_of(item.engagement.id), "file": visible(item.name)} for item in engagements}
    return {part.path: {"title": visible(part.title), "href": page_of(part.id), "file": visible(part.path)} for part in parts}


def annual_view(spec: Spec, figures, pages: dict[str, dict], lookups, years: list[str]) -> dict:
    """A year's page (templates/site/annual.html.j2): its sections, each figure
    with its label, definition, value, what it is counted over and its sources
    (`pages`: source_pages)."""
    from tacli.domain.annual import FIGURES
    from tacli.output.views.annual import forms_returned_over

    names = breakdown_names(spec, lookups)
    placed = {figure for _, _, ids in SECTIONS for figure in ids}
    sections = [(key, title, ids) for key, title, ids in SECTIONS]
    others = tuple(dict.fromkeys(f.figure for f in figures.figures if f.figure not in placed))
    if others:
        sections.append(("other", "Other figures", others))
    shown = []
    for key, title, ids in sections:
        rows = []
        for figure_id in ids:
            for figure in (f for f in figures.figures if f.figure == figure_id):
                breakdown = figure.breakdown
                rows.append({
                    "id": figure.figure,
                    "label": _capital(visible(names.get(figure.figure, {}).get(breakdown, breakdown))) if breakdown else LABELS.get(figure.figure, figure.figure),
                    "of": LABELS.get(figure.figure, figure.figure) if breakdown else None,
                    "definition": None if breakdown else FIGURES.get(figure.figure),
                    "sub": bool(breakdown),
                    "value": figure_text(figure),
                    "over": forms_returned_over(figures) if figure.figure == "evaluation_forms_returned" else _over(figure),
                    "sources": _sources(figure, pages, figures.roster),
                })
        if rows:
            shown.append({"id": key, "title": title, "source": section_source(spec, key), "rows": rows})
    return {
        "year": figures.year,
        "first": figures.first.isoformat(),
        "last": figures.last.isoformat(),
        "through": figures.through.isoformat(),
        "complete": figures.complete,
        "area": visible(figures.area) if figures.area else None,
        "roster": figures.roster is not None,
        "sections": shown,
        "years": [[other, other == figures.year] for other in years],
    }


# The figures the index of the annual report puts side by side, a column each.
HEADLINE = (
    ("engagements", "Engagements"), ("services", "Services"), ("hours", "Hours"), ("training_hours", "Training"), ("ta_hours", "TA"),
    ("recipients_served", "Recipients served"), ("roster_share_served", "Share of the roster served"),
    ("evaluation_forms_returned", "Evaluation forms"), ("reports_on_time_rate", "Reports on time"), ("reports_approved", "Reports approved"),
)


def annual_index_view(by_year: dict[str, Any]) -> dict:
    """The index (templates/site/annual_index.html.j2): a row a school year, newest first, with its headline figures."""
    columns = [(figure, label) for figure, label in HEADLINE if any(f.get(figure) is not None for f in by_year.values())]
    rows = []
    for year, figures in by_year.items():
        cells = []
        for figure_id, _ in columns:
            figure = figures.get(figure_id)
            cells.append(figure_text(figure) if figure is not None else "\u2013")
        rows.append({"year": year, "href": annual_page(year), "complete": figures.complete, "through": figures.through.isoformat(), "cells": cells})
    return {"columns": [label for _, label in columns], "rows": rows}
