"""The annual figures of a school year, defined once: what a center reports to
its funder and its board (`tacli report --kind annual`, `tacli export --table
annual`, the site's annual report, the dashboard's on-time rate).

API (stable):

    school_year_label(text) -> str            "2026-27" (also "2026-2027"); ValueError otherwise
    annual_figures(spec, engagements, year, today, roster=None) -> AnnualFigures
        engagements: (path, engagement) pairs, the usable ones (reading's FileResult.name, .engagement)
        roster: reading.roster.Roster or None
        = annual_sum(spec, [annual_part(spec, path, engagement, year, today) ...], year, today, roster)
    annual_part(spec, path, engagement, year, today) -> AnnualPart   one engagement's part of a year (plain data)
    annual_parts(spec, path, engagement, today) -> {year: AnnualPart} its parts of every year it has one in (part_years)
    annual_sum(spec, parts, year, today, roster=None) -> AnnualFigures  the sum of parts, added by (id, path)
    AnnualFigures.figures                     every Figure, in FIGURES' order, breakdowns after their total
    AnnualFigures.get(figure, breakdown="")   one Figure (None when there is no such row)
    AnnualFigures.value(figure, breakdown="") its value (None when unknown or absent)
    AnnualFigures.breakdowns(figure)          the rows of a figure broken down ("by level" ...), in order
    Figure(figure, breakdown, value, count, files)
    FIGURES                                   figure id -> one-line definition (docs/annual.md says more)
    SHARES                                    the ids whose value is a share, 0 to 1

A figure's `value` is a number (an int for counts, a float for hours, means
and shares); `count` is what it is counted over, where that says something: the
forms a mean rating is over, the recipients or reports a share is of (a share
is `value`, 0 to 1, of `count`; None when `count` is 0). `files` names every
file the figure came from (engagement files as read, the roster's path), sorted,
so that a number can be traced; a figure that is 0 names none.

What counts in a school year (July 1 to June 30, domain.school_years):
services dated in the year and held by `today` (a service planned later is not
delivered yet); engagements and recipients with such a service; outcome
entries, fidelity results and reviews dated in the year by `today`. Every rule
is asked of the domain: levels of TA from the standards' tiers and their
aliases (frameworks.canonical_tier, Spec.ta_level_of_tier), hours and their
training / TA split (figures.engagement_figures, the standards' `counts_as`),
recipients as coverage and the figures tell them apart, evaluations
(evaluations.evaluations), evidence levels (outcomes.entries), reports on time
(the figures' counts: reports.report_state, the standards' week, per
reports.report_month and per facilitator), reviews (reviews.count_reviews).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional, Union

from tacli.domain.coverage import entry_of, served_by
from tacli.domain.evaluations import evaluations
from tacli.domain.figures import engagement_figures
from tacli.domain.frameworks import canonical_tier
from tacli.domain.outcomes import entries as outcome_entries
from tacli.domain.reports import service_report
from tacli.domain.reviews import count_reviews
from tacli.domain.school_years import school_year, school_year_dates
from tacli.domain.services import in_order
from tacli.standards.vocabulary import DELIVERY_MODES

Number = Union[int, float]

# Every figure, in the order reports and tables give them: id -> what it counts.
FIGURES: dict[str, str] = {
    # levels of TA (OSEP's TA&D levels, from the engagements' tiers)
    "engagements": "Engagements with a service held in the year.",
    "engagements_by_level": "Those engagements by level of TA (universal / targeted / intensive), from their tiers.",
    "services": "Services held in the year.",
    "services_by_level": "Those services by their engagement's level of TA.",
    # hours
    "hours": "Hours of every service held in the year.",
    "training_hours": "Hours of services whose support type counts as training.",
    "training_hours_by_support_type": "Training hours by support type.",
    "training_hours_by_mode": "Training hours by delivery mode.",
    "ta_hours": "Hours of services whose support type counts as technical assistance.",
    "ta_hours_by_support_type": "TA hours by support type.",
    "ta_hours_by_mode": "TA hours by delivery mode.",
    # recipients
    "recipients_served": "Distinct recipients with a service held in the year.",
    "recipients_served_by_kind": "Those recipients by kind (district, school, program).",
    "title_i_recipients_served": "Recipients served that are Title I (count: recipients served).",
    "title_i_share_served": "The share of recipients served that are Title I.",
    "in_need_recipients_served": "Recipients served that are identified as in need of improvement (count: recipients served).",
    "in_need_share_served": "The share of recipients served that are in need of improvement.",
    # the roster
    "roster_recipients": "Recipients on the roster of the service area.",
    "roster_served": "Recipients on the roster with a service held in the year (count: the roster).",
    "roster_share_served": "The share of the roster served in the year.",
    "roster_title_i_served": "Title I recipients on the roster served in the year (count: Title I recipients on the roster).",
    "roster_title_i_share_served": "The share of the roster's Title I recipients served.",
    "roster_in_need_served": "Recipients on the roster in need of improvement served in the year (count: those on the roster).",
    "roster_in_need_share_served": "The share of the roster's recipients in need of improvement served.",
    "roster_priority_served": "Priority recipients on the roster served in the year (count: priority recipients on the roster).",
    "roster_priority_share_served": "The share of the roster's priority recipients served.",
    # evaluations (OSEP's quality, relevance and usefulness)
    "evaluation_services": "Services held in the year with a count of evaluation forms returned.",
    "evaluation_forms_returned": "Evaluation forms returned (count: services with forms).",
    "evaluation_return_rate": "Forms returned of those requested, over the services that say both (count: forms requested).",
    "evaluation_mean": "The mean rating of each rated quality over the forms that gave it (count: forms rated).",
    # outcome evidence (Guskey's levels)
    "outcome_engagements": "Engagements with outcome evidence dated in the year.",
    "outcome_engagements_by_level": "Engagements with evidence dated in the year at each level.",
    "outcome_entries_by_level": "Entries of outcome evidence dated in the year, by level.",
    "fidelity_results": "Fidelity reviews with a result (a score) dated in the year.",
    # reports on time (CALI: within one week of service)
    "reports_due": "Service reports due by today for services held in the year: completed, or overdue.",
    "reports_on_time": "Of them, completed within the standards' days (count: reports due).",
    "reports_late": "Of them, completed after their due day (count: reports due).",
    "reports_overdue": "Of them, not completed and past their due day (count: reports due).",
    "reports_on_time_rate": "The on-time rate: reports on time of those due.",
    "reports_on_time_rate_by_month": "The on-time rate by the month of the service.",
    "reports_on_time_rate_by_facilitator": "The on-time rate by the facilitator who led the service.",
    # reviews of the reports
    "reports_reviewed": "Completed reports of the year's services that have reviewers.",
    "reports_approved": "Of them, approved by every reviewer (count: reports reviewed).",
    "reports_changes_asked": "Of them, with changes a reviewer asked for not yet resubmitted: waiting for the facilitator (count: reports reviewed).",
    "reports_waiting_review": "Of them, waiting for a reviewer: a review not given yet, or resubmitted since changes were asked for (count: reports reviewed).",
    "review_decisions": "Reviewers' decisions recorded on the year's reports.",
}

SHARES = frozenset({
    "title_i_share_served", "in_need_share_served", "roster_share_served", "roster_title_i_share_served",
    "roster_in_need_share_served", "roster_priority_share_served", "evaluation_return_rate",
    "reports_on_time_rate", "reports_on_time_rate_by_month", "reports_on_time_rate_by_facilitator",
})

# The figures that need a roster: without one they are left out.
ROSTER_FIGURES = frozenset(key for key in FIGURES if key.startswith("roster_"))


@dataclass(frozen=True)
class Figure:
    """One row of the annual figures: a figure, its breakdown ("" for the total),
    its value, what it is counted over, and the files it came from."""

    figure: str
    breakdown: str = ""
    value: Optional[Number] = None
    count: Optional[int] = None
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnnualFigures:
    """The figures of one school year, as of `today`."""

    year: str  # "2026-27"
    first: date  # its first day
    last: date  # its last day
    today: date
    roster: Optional[str]  # the roster's path, when one was given
    area: Optional[str]  # the roster's name of its service area
    files: tuple[str, ...]  # every engagement file read, sorted
    figures: tuple[Figure, ...]

    @property
    def through(self) -> date:
        """The last day counted: the year's last, or today while the year goes on."""
        return min(self.last, self.today)

    @property
    def complete(self) -> bool:
        """Whether the year is over as of today."""
        return self.today > self.last

    def get(self, figure: str, breakdown: str = "") -> Optional[Figure]:
        return next((item for item in self.figures if item.figure == figure and item.breakdown == breakdown), None)

    def value(self, figure: str, breakdown: str = "") -> Optional[Number]:
        item = self.get(figure, breakdown)
        return item.value if item is not None else None

    def breakdowns(self, figure: str) -> list[Figure]:
        return [item for item in self.figures if item.figure == figure and item.breakdown]


_YEAR = re.compile(r"^\s*(\d{4})\s*[-/\u2013]\s*(\d{2}|\d{4})\s*$")


def school_year_label(text: str) -> str:
    """A school year as `--year` takes it: "2026-27" (or "2026-2027") -> "2026-27".
    A single year ("2026") is refused: centers and states label a school year
    by its first calendar year or by its second, so it could be either."""
    found = _YEAR.match(str(text))
    if found is None:
        if re.fullmatch(r"\s*\d{4}\s*", str(text)):
            first = int(text)
            raise ValueError(f"'{text.strip()}' could be the school year {first}-{(first + 1) % 100:02d} or {first - 1}-{first % 100:02d}: give it as YYYY-YY")
        raise ValueError(f"'{text}' is not a school year: give it as YYYY-YY, e.g. 2026-27")
    first, second = int(found.group(1)), found.group(2)
    expected = (first + 1) % 100 if len(second) == 2 else first + 1
    if first > 9999:  # pragma: no cover - four digits
        raise ValueError(f"'{text.strip()}' is not a school year tacli can count: give one from 0000-01 to 9999-00")
    if int(second) != expected:
        raise ValueError(f"'{text.strip()}' is not a school year: a school year runs from July of one year to June of the next, e.g. {first}-{(first + 1) % 100:02d}")
    return f"{first:04d}-{(first + 1) % 100:02d}"


class _Tally:
    """Values summed by key, with the files each came from."""

    def __init__(self) -> None:
        self.values: dict[str, Number] = {}
        self.files: dict[str, set[str]] = {}

    def add(self, key: str, value: Number, path: str) -> None:
        self.values[key] = self.values.get(key, 0) + value
        if value:
            self.files.setdefault(key, set()).add(path)

    def figure(self, figure: str, key: str, breakdown: str = "", count: Optional[int] = None) -> Figure:
        value = self.values.get(key, 0)
        if isinstance(value, float):  # hours summed: 0.1 + 0.2 is 0.3 in an export, not 0.30000000000000004
            value = round(value, 9)
        return Figure(figure, breakdown, value, count, tuple(sorted(self.files.get(key, ()))))


def _share(part: Figure, whole: Optional[int], figure: str, breakdown: str = "", more_files: Iterable[str] = ()) -> Figure:
    value = part.value / whole if whole else None
    return Figure(figure, breakdown, value, whole, tuple(sorted(set(part.files) | set(more_files))))


def _level_of(spec, engagement) -> str:
    """The level of TA an engagement is (its tier's, in the standards); its tier id when none says."""
    tier = canonical_tier(spec, engagement)
    level = spec.ta_level_of_tier.get(tier)
    return level.id if level is not None else tier


def _ordered(keys: Iterable[str], order: list[str]) -> list[str]:
    rank = {key: index for index, key in enumerate(order)}
    return sorted(set(keys), key=lambda key: (key not in rank, rank.get(key, 0), key))


@dataclass(frozen=True)
class AnnualPart:
    """One engagement's part of a school year's figures (annual_part): what it
    adds, in order, to each tally; its recipient (the figures' key, and what
    coverage needs to find it on a roster: matched in annual_sum); its
    evaluations, report counts and reviews. Plain data: tacli's cache keeps it.
    An engagement with nothing in the year has the empty part."""

    path: str
    id: str
    adds: tuple[tuple[str, str, Number], ...] = ()  # (tally, key, value), in the order they are added
    recipient: Optional[tuple[tuple, Any]] = None  # (the figures' recipient key, coverage.Served), when a service was held
    evaluations: Any = None  # evaluations.Evaluations, when a service was held
    reports: Optional[tuple[tuple[str, Any], ...]] = None  # ("" / month / facilitator, ReportCounts with reports due), with a service report
    reviews: Any = None  # reviews.ReviewCounts, with a service report


def part_years(engagement: Any, today: date) -> tuple[str, ...]:
    """The school years an engagement has a part in as of `today` (annual_part is
    empty in every other): those of its services held, its outcome entries and
    its fidelity results, sorted."""
    days = [service.date for service in engagement.services]
    days += [entry.date for entry in engagement.outcomes]
    if engagement.intensive is not None:
        days += [review.date for review in engagement.intensive.fidelity_reviews if review.score is not None]
    return tuple(sorted({school_year(day) for day in days if day <= today}))


def annual_parts(spec, path: str, engagement: Any, today: date) -> dict[str, AnnualPart]:
    """An engagement's part of every school year it has one in (part_years)."""
    return {year: annual_part(spec, path, engagement, year, today) for year in part_years(engagement, today)}


def annual_part(spec, path: str, engagement: Any, year: str, today: date) -> AnnualPart:
    """What one engagement adds to the annual figures of `year` as of `today`."""
    first, last = school_year_dates(year)
    through = min(last, today)
    adds: list[tuple[str, str, Number]] = []

    def add(tally: str, key: str, value: Number) -> None:
        adds.append((tally, key, value))

    recipient = found = reports = reviews = None
    held = [service for service in in_order(engagement.services) if first <= service.date <= through]
    if held:
        level = _level_of(spec, engagement)
        add("engagements", "", 1)
        add("engagements", level, 1)
        add("services", "", len(held))
        add("services", level, len(held))
        counted = engagement_figures(spec, engagement.model_copy(update={"services": held}), today, school_year=year, path=path, items=False)
        add("hours", "", counted.hours)
        add("training", "", counted.training_hours)
        add("ta", "", counted.ta_hours)
        training_types = spec.training_support_types
        for kind, hours in counted.hours_by_support_type.items():
            add("training_type" if kind in training_types else "ta_type", kind, hours)
        for service in held:
            add("training_mode" if service.type in training_types else "ta_mode", service.mode, float(service.hours or 0))
        recipient = (tuple(counted.recipient), served_by(path, engagement))
        found = evaluations(spec, held)
        report = service_report(spec, engagement)
        if report is not None:  # the figures' counts: per month of the service, per facilitator who led it
            parts = [("", counted.reports)] + [("month:" + month, part) for month, part in counted.reports_by_month.items()]
            parts += [("facilitator:" + name, person.reports) for name, person in counted.by_facilitator.items()]
            reports = tuple((key, part) for key, part in parts if part.due)
            reviews = count_reviews(spec, engagement, held, report, today)
    dated = outcome_entries(engagement, through, first)
    if dated:
        add("outcome_engagements", "", 1)
        for level_id in dict.fromkeys(entry.level for entry in dated):
            add("outcome_engagements", level_id, 1)
        for entry in dated:
            add("outcome_entries", entry.level, 1)
    fidelity = engagement.intensive.fidelity_reviews if engagement.intensive is not None else []
    results = sum(1 for review in fidelity if review.score is not None and first <= review.date <= through)
    if results:  # nothing added is the same figure as 0 added
        add("fidelity", "", results)
    return AnnualPart(path, engagement.id, tuple(adds), recipient, found, reports, reviews)


def annual_figures(spec, engagements: Iterable[tuple[str, Any]], year: str, today: date, roster: Any = None) -> AnnualFigures:
    """The annual figures of the school year `year` ("2026-27") over these
    (path, engagement) pairs, as of `today`, with the roster's coverage when a
    roster is given: each engagement's part (annual_part), then their sum
    (annual_sum)."""
    return annual_sum(spec, [annual_part(spec, path, engagement, year, today) for path, engagement in engagements], year, today, roster)


def annual_sum(spec, parts: Iterable[AnnualPart], year: str, today: date, roster: Any = None) -> AnnualFigures:
    """The annual figures of `year` from every engagement's part of it (one a
    file, the empty part of a file with nothing in the year), added by (id,
    path): hours are floats, so their order is the figures' own."""
    first, last = school_year_dates(year)
    chosen = sorted(parts, key=lambda part: (part.id, part.path))
    rows: list[Figure] = []
    tallies = {name: _Tally() for name in ("engagements", "services", "hours", "training", "ta", "training_type", "training_mode", "ta_type", "ta_mode",
                                             "outcome_engagements", "outcome_entries", "fidelity")}
    levels_order = [level.id for level in spec.every("ta_levels")]
    recipients: dict[tuple, dict] = {}  # recipient key -> {kind, title_i, in_need, files}
    roster_entries = list(roster.recipients) if roster is not None else []
    report_counts: dict[str, Any] = {}  # "" / month / facilitator -> (ReportCounts, files)
    review_total = None
    review_files: dict[str, set[str]] = {}
    evaluation_total = None
    evaluation_files: dict[str, set[str]] = {}
    served_roster: dict[int, set[str]] = {}
    for part in chosen:
        path = part.path
        for tally, key, value in part.adds:
            tallies[tally].add(key, value, path)
        if part.recipient is not None:
            _add_recipient(recipients, roster_entries, served_roster, path, *part.recipient)
        found = part.evaluations
        if found is not None:
            evaluation_total = found if evaluation_total is None else evaluation_total + found
            _note_files(evaluation_files, path, found)
        for key, counts in part.reports or ():
            before, files = report_counts.get(key, (None, set()))
            report_counts[key] = (counts if before is None else before + counts, files | {path})
        reviews = part.reviews
        if reviews is not None:
            review_total = reviews if review_total is None else review_total + reviews
            for name in ("reviewed", "approved", "revising", "waiting", "decisions"):
                if getattr(reviews, name):
                    review_files.setdefault(name, set()).add(path)

    # levels of TA
    level_keys = _ordered([key for key in tallies["engagements"].values if key] + levels_order, levels_order)
    rows.append(tallies["engagements"].figure("engagements", ""))
    rows += [tallies["engagements"].figure("engagements_by_level", key, key) for key in level_keys]
    rows.append(tallies["services"].figure("services", ""))
    rows += [tallies["services"].figure("services_by_level", key, key) for key in level_keys]
    # hours
    rows.append(tallies["hours"].figure("hours", ""))
    type_order = spec.ids("support_types")
    for part, name in (("training", "training_hours"), ("ta", "ta_hours")):
        rows.append(tallies[part].figure(name, ""))
        rows += [tallies[part + "_type"].figure(name + "_by_support_type", key, key) for key in _ordered(tallies[part + "_type"].values, type_order)]
        rows += [tallies[part + "_mode"].figure(name + "_by_mode", key, key) for key in _ordered(tallies[part + "_mode"].values, list(DELIVERY_MODES))]
    # recipients
    rows += _recipient_rows(recipients)
    if roster is not None:
        rows += _roster_rows(roster, roster_entries, served_roster)
    # evaluations
    rows += _evaluation_rows(spec, evaluation_total, evaluation_files)
    # outcome evidence
    evidence_order = [level.id for level in spec.every("evidence_levels")]
    rows.append(tallies["outcome_engagements"].figure("outcome_engagements", ""))
    keys = _ordered([key for key in tallies["outcome_engagements"].values if key] + evidence_order, evidence_order)
    rows += [tallies["outcome_engagements"].figure("outcome_engagements_by_level", key, key) for key in keys]
    rows += [tallies["outcome_entries"].figure("outcome_entries_by_level", key, key) for key in keys]
    rows.append(tallies["fidelity"].figure("fidelity_results", ""))
    # reports on time, and their reviews
    rows += _report_rows(report_counts)
    rows += _review_rows(review_total, review_files)
    order = {key: index for index, key in enumerate(FIGURES)}
    rows.sort(key=lambda row: order[row.figure])  # stable: breakdowns keep their order
    return AnnualFigures(
        year=year, first=first, last=last, today=today,
        roster=roster.path if roster is not None else None,
        area=getattr(roster, "area", None) if roster is not None else None,
        files=tuple(sorted({part.path for part in chosen})),
        figures=tuple(rows),
    )


def _add_recipient(recipients: dict, roster_entries: list, served_roster: dict, path: str, key: tuple, served: Any) -> None:
    """Count the engagement's recipient (`served`: coverage.served_by) once: by its
    roster entry when it is on the roster (coverage.entry_of), else as the figures
    tell recipients apart (`key`)."""
    index = entry_of(roster_entries, served) if roster_entries else None
    entry = roster_entries[index] if index is not None else None
    title_i = entry.title_i if entry is not None and entry.title_i is not None else served.title_i
    in_need = entry.in_need_of_improvement if entry is not None and entry.in_need_of_improvement is not None else served.in_need
    slot = recipients.setdefault(("roster", index) if index is not None else ("file",) + tuple(key),
                                 {"kind": served.kind, "title_i": False, "in_need": False, "files": set()})
    slot["title_i"] = slot["title_i"] or bool(title_i)
    slot["in_need"] = slot["in_need"] or bool(in_need)
    slot["files"].add(path)
    if index is not None:
        served_roster.setdefault(index, set()).add(path)


def _files(slots) -> tuple[str, ...]:
    return tuple(sorted({path for slot in slots for path in slot["files"]}))


def _recipient_rows(recipients: dict) -> list[Figure]:
    slots = list(recipients.values())
    total = len(slots)
    rows = [Figure("recipients_served", "", total, None, _files(slots))]
    kinds: dict[str, list] = {}
    for slot in slots:
        kinds.setdefault(slot["kind"], []).append(slot)
    from tacli.standards.models import RECIPIENT_KINDS

    for kind in _ordered(kinds, list(RECIPIENT_KINDS)):
        rows.append(Figure("recipients_served_by_kind", kind, len(kinds[kind]), None, _files(kinds[kind])))
    for flag, counted, shared in (("title_i", "title_i_recipients_served", "title_i_share_served"), ("in_need", "in_need_recipients_served", "in_need_share_served")):
        flagged = [slot for slot in slots if slot[flag]]
        part = Figure(counted, "", len(flagged), total, _files(flagged))
        rows += [part, _share(part, total, shared)]
    return rows


def _roster_rows(roster: Any, entries: list, served: dict[int, set[str]]) -> list[Figure]:
    """The roster's recipients, and those of them served in the year, in all and by flag."""
    path = roster.path
    size = len(entries)
    rows = [Figure("roster_recipients", "", size, None, (path,) if size else ())]
    for flag, counted, shared in ((None, "roster_served", "roster_share_served"),
                                  ("title_i", "roster_title_i_served", "roster_title_i_share_served"),
                                  ("in_need_of_improvement", "roster_in_need_served", "roster_in_need_share_served"),
                                  ("priority", "roster_priority_served", "roster_priority_share_served")):
        among = [index for index, entry in enumerate(entries) if flag is None or getattr(entry, flag)]
        hit = [index for index in among if index in served]
        files = sorted({file for index in hit for file in served[index]} | ({path} if hit else set()))
        part = Figure(counted, "", len(hit), len(among), tuple(files))
        rows += [part, _share(part, len(among), shared, more_files=(path,) if among else ())]
    return rows


def _note_files(files: dict[str, set[str]], path: str, found) -> None:
    if found.services:
        files.setdefault("services", set()).add(path)
    if found.returned:
        files.setdefault("returned", set()).add(path)
    if found.requested:
        files.setdefault("requested", set()).add(path)
    for rating, (_, count) in found.ratings.items():
        if count:
            files.setdefault("rating:" + rating, set()).add(path)


def _evaluation_rows(spec, total, files: dict[str, set[str]]) -> list[Figure]:
    from tacli.domain.evaluations import Evaluations

    total = total or Evaluations()

    def named(key: str) -> tuple[str, ...]:
        return tuple(sorted(files.get(key, ())))

    rows = [
        Figure("evaluation_services", "", total.services, None, named("services")),
        Figure("evaluation_forms_returned", "", total.returned, total.services, named("returned")),
        Figure("evaluation_return_rate", "", total.return_rate, total.requested, named("requested")),
    ]
    for rating in spec.every("ratings"):
        rows.append(Figure("evaluation_mean", rating.id, total.mean(rating.id), total.count(rating.id), named("rating:" + rating.id)))
    return rows


def _report_rows(counts: dict[str, Any]) -> list[Figure]:
    from tacli.domain.reports import ReportCounts

    total, files = counts.get("", (ReportCounts(), set()))
    named = tuple(sorted(files))
    rows = [Figure("reports_due", "", total.due, None, named if total.due else ())]
    for name in ("on_time", "late", "overdue"):
        value = getattr(total, name)
        rows.append(Figure("reports_" + name, "", value, total.due, named if value else ()))
    rows.append(Figure("reports_on_time_rate", "", total.on_time_rate, total.due, named))
    months = sorted(key for key in counts if key.startswith("month:"))
    people = sorted((key for key in counts if key.startswith("facilitator:")), key=lambda key: (key.casefold(), key))
    for figure, keys in (("reports_on_time_rate_by_month", months), ("reports_on_time_rate_by_facilitator", people)):
        for key in keys:
            part, where = counts[key]
            rows.append(Figure(figure, key.split(":", 1)[1], part.on_time_rate, part.due, tuple(sorted(where))))
    return rows


def _review_rows(total, files: dict[str, set[str]]) -> list[Figure]:
    from tacli.domain.reviews import ReviewCounts

    total = total or ReviewCounts()

    def named(key: str) -> tuple[str, ...]:
        return tuple(sorted(files.get(key, ())))

    return [
        Figure("reports_reviewed", "", total.reviewed, None, named("reviewed")),
        Figure("reports_approved", "", total.approved, total.reviewed, named("approved")),
        Figure("reports_changes_asked", "", total.revising, total.reviewed, named("revising")),
        Figure("reports_waiting_review", "", total.waiting, total.reviewed, named("waiting")),
        Figure("review_decisions", "", total.decisions, None, named("decisions")),
    ]
