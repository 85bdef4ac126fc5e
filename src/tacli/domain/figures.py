"""The portfolio's key figures, defined once: what summary.md and the site's
dashboard count, as plain data (numbers, dates, ids), never as text to show.

The figures of one engagement (`engagement_figures`) carry the dimensions a
reader filters by (school years, facilitators, partner, tier) and are
additive: `combine` sums any selection of them into a `Portfolio`. Figures
of one school year (`school_year=`) count only that year's services, so the
site can embed one record per engagement and school year and add up exactly
the year a reader picks; records of every school year of an engagement add up
to its whole. An item overdue or due soon counts in its service's school
year, and the engagement's own items (a contact, a review) in the current one
(`items_year`), so a year's counts of reports overdue and its list of items
agree.

Every rule comes from tacli.domain (report state, hour cap, reach limit,
school year), tacli.domain.obligations (what is overdue and due soon) and the
standards (which support types count as training): nothing is re-derived.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterable, Optional

from tacli.domain.duties import duty_record, duty_status
from tacli.domain.frameworks import canonical_tier, duty_frameworks, feature_frameworks, feature_limit, is_intensive, stage_rank
from tacli.domain.hours import CoachingHours, coaching_hours
from tacli.domain.intensive import latest_reach
from tacli.domain.obligations import KINDS, LOOK_AHEAD_DAYS, Obligation, due_within, obligations
from tacli.domain.reports import ReportCounts, count_reports, report_state, reports_by_month, service_report
from tacli.domain.school_years import school_year as year_of
from tacli.domain.school_years import school_years, shown_until
from tacli.domain.services import leader
from tacli.standards.vocabulary import REACH_MIN_PERCENT


@dataclass(frozen=True)
class DutyCounts:
    """The duties of one stage over the services counted: done, not applicable, open."""

    stage: str  # the stage id
    done: int = 0
    not_applicable: int = 0
    open: int = 0

    @property
    def applicable(self) -> int:
        return self.done + self.open

    def __add__(self, other: "DutyCounts") -> "DutyCounts":
        return DutyCounts(self.stage, self.done + other.done, self.not_applicable + other.not_applicable, self.open + other.open)


@dataclass(frozen=True)
class Reach:
    """An intensive engagement's reach: the latest count against the intended
    beneficiaries, and the standards' minimum share (`reach_min_percent`)."""

    engagement_id: str
    intended: Optional[int]
    reached: Optional[int]
    target_percent: Optional[float]  # the engagement's own target
    minimum_percent: Optional[float]  # the standards' minimum (Fixsen: 60)
    minimum_framework: Optional[str] = None  # the id of the framework that sets the minimum


    @property
    def percent(self) -> Optional[float]:
        if self.reached is None or not self.intended:
            return None
        return self.reached * 100 / self.intended

    @property
    def meets_minimum(self) -> Optional[bool]:
        """Whether the count reaches the standards' minimum (None when either is unknown)."""
        if self.reached is None or not self.intended or self.minimum_percent is None:
            return None
        return self.reached * 100 >= self.minimum_percent * self.intended

    @property
    def meets_target(self) -> Optional[bool]:
        """Whether the count reaches the engagement's own target (None when either is unknown)."""
        if self.reached is None or not self.intended or self.target_percent is None:
            return None
        return self.reached * 100 >= self.target_percent * self.intended


@dataclass(frozen=True)
class FacilitatorFigures:
    """One facilitator's part of the figures: the services they led (a
    service's facilitator, else the engagement's), their hours, the reports
    those services owe, and how many things overdue are theirs (the items'
    `Obligation.facilitator`, each duty of a group counted: `Obligation.size`).
    `engagements` counts, in a Portfolio, the engagements they are one of the
    facilitators of (EngagementFigures.facilitators); in one engagement's figures it is 1."""

    engagements: int = 0
    services: int = 0
    hours: float = 0.0
    reports: ReportCounts = ReportCounts()
    overdue: int = 0

    def __add__(self, other: "FacilitatorFigures") -> "FacilitatorFigures":
        return FacilitatorFigures(self.engagements + other.engagements, self.services + other.services, self.hours + other.hours,
                                  self.reports + other.reports, self.overdue + other.overdue)


@dataclass(frozen=True)
class EngagementFigures:
    """One engagement's figures, or one school year's of them (`school_year`).

    Hours by month are keyed "YYYY-MM"; by support type and by topic, by their
    ids in the standards. A service with several topics counts its hours under
    each, so topic hours may add up to more than the hours."""

    engagement_id: str
    title: str
    school_year: Optional[str]  # the school year these figures count, or None: every one
    school_years: tuple[str, ...]  # every school year the engagement spans (start to end, and its services)
    facilitators: tuple[str, ...]  # the engagement's facilitator and every service's, white space folded
    partner: Optional[str]  # the provider's partner id
    tier: str  # the canonical tier id
    intensive: bool
    recipient: tuple[str, str, str]  # (kind, name, district), folded: distinct recipients are distinct keys
    title_i: bool
    services: int
    hours: float
    training_hours: float
    ta_hours: float
    hours_by_month: dict[str, float] = field(default_factory=dict)
    hours_by_support_type: dict[str, float] = field(default_factory=dict)
    hours_by_topic: dict[str, float] = field(default_factory=dict)
    duties: tuple[DutyCounts, ...] = ()  # by stage, in the standards' order
    reports: ReportCounts = ReportCounts()
    reports_by_month: dict[str, ReportCounts] = field(default_factory=dict)  # by the month of their service (reports.report_month), in order
    coaching: Optional[CoachingHours] = None  # over the whole engagement, in every school year's record
    reach: Optional[Reach] = None  # the latest count, in every school year's record
    items: tuple[Obligation, ...] = ()  # overdue, or due within LOOK_AHEAD_DAYS (items_year says in which school year's record)
    by_facilitator: dict[str, FacilitatorFigures] = field(default_factory=dict)  # every name of `facilitators`, in their order, then reviewers who owe a review overdue

    @property
    def title_i_hours(self) -> float:
        return self.hours if self.title_i else 0.0


@dataclass(frozen=True)
class Portfolio:
    """Figures summed over a selection of engagements (`combine`)."""

    engagements: int
    recipients: int  # distinct
    title_i_recipients: int  # distinct
    services: int
    hours: float
    training_hours: float
    ta_hours: float
    title_i_hours: float
    hours_by_month: dict[str, float]  # months in order
    hours_by_support_type: dict[str, float]  # support types in the standards' order
    hours_by_topic: dict[str, float]  # topics in the standards' order
    hours_by_partner: dict[str, float]  # partners in the standards' order; no partner: ""
    duties: tuple[DutyCounts, ...]
    reports: ReportCounts
    coaching: tuple[CoachingHours, ...]  # by engagement id
    reach: tuple[Reach, ...]  # by engagement id
    items: tuple[Obligation, ...]  # by due date
    by_facilitator: dict[str, FacilitatorFigures] = field(default_factory=dict)  # names in any case's order (casefold)
    reports_by_month: dict[str, ReportCounts] = field(default_factory=dict)  # months in order (reports.reports_by_month)

    @property
    def title_i_share(self) -> Optional[float]:
        """The share of hours that went to Title I recipients, 0 to 1 (None without hours)."""
        return self.title_i_hours / self.hours if self.hours else None


def engagement_figures(spec, engagement: Any, today: date, *, school_year: Optional[str] = None, path: str = "", items: bool = True,
                       spanned: Optional[tuple[str, ...]] = None) -> EngagementFigures:
    """The figures of `engagement` as of `today`: of every service, or of those
    held in `school_year` ("2026-27"). `path` is the file, for the commands of
    the overdue and due-soon items; `items=False` leaves those out (they take
    the longest to work out, and the summary tables reports its own way).
    `spanned`: its school years, as its figures in full give them, shared by
    the figures of each of its years (each holding its own copy made them
    grow with the square of the years: one service dated thousands of years
    ahead filled the memory)."""
    services = [s for s in engagement.services if school_year is None or year_of(s.date) == school_year]
    training_types = spec.training_support_types
    lead = _folded(engagement.provider.facilitator.name)
    by_month: dict[str, float] = {}
    by_type: dict[str, float] = {}
    by_topic: dict[str, float] = {}
    training = ta = 0.0
    for service in services:
        value = float(service.hours or 0)
        if service.type in training_types:
            training += value
        else:
            ta += value
        month = f"{service.date.year:04d}-{service.date.month:02d}"
        by_month[month] = by_month.get(month, 0.0) + value
        by_type[service.type] = by_type.get(service.type, 0.0) + value
        for topic in dict.fromkeys(service.topics):
            by_topic[topic] = by_topic.get(topic, 0.0) + value
    duties, reports = _duties_and_reports(spec, engagement, services, today)
    if spanned is None:
        dates = [s.date for s in engagement.services]
        spanned = tuple(sorted(set(school_years(engagement.start, shown_until(engagement.start, engagement.end, dates, today))) | {year_of(day) for day in dates}))
    recipient = engagement.recipient
    owed: tuple[Obligation, ...] = ()
    if items:
        owed = tuple(
            item for item in due_within(obligations(spec, engagement, path, today), today, LOOK_AHEAD_DAYS)
            if school_year is None or items_year(item, spanned, today) == school_year
        )
    facilitators = tuple(sorted({lead} | {_folded(leader(s, engagement).name) for s in engagement.services}))
    report = service_report(spec, engagement)
    by_facilitator = {}
    for name in facilitators:
        led = [s for s in services if _folded(leader(s, engagement).name) == name]
        by_facilitator[name] = FacilitatorFigures(
            engagements=1,
            services=len(led),
            hours=sum(float(s.hours or 0) for s in led),
            reports=count_reports(report_state(report, s, today) for s in led) if report is not None else ReportCounts(),
            overdue=sum(item.size for item in owed if item.overdue(today) and _folded(item.facilitator) == name),
        )
    for item in owed:  # a reviewer who leads no service here still owes their review: their row holds it
        name = _folded(item.facilitator)
        if item.overdue(today) and name and name not in facilitators:
            by_facilitator[name] = FacilitatorFigures(overdue=by_facilitator.get(name, FacilitatorFigures()).overdue + item.size)
    return EngagementFigures(
        engagement_id=engagement.id,
        title=engagement.title,
        school_year=school_year,
        school_years=spanned,
        facilitators=facilitators,
        partner=engagement.provider.partner,
        tier=canonical_tier(spec, engagement),
        intensive=is_intensive(spec, engagement),
        recipient=(recipient.kind, _folded(recipient.name).casefold(), _folded(recipient.district or "").casefold()),
        title_i=bool(recipient.title_i),
        services=len(services),
        hours=training + ta,
        training_hours=training,
        ta_hours=ta,
        hours_by_month=dict(sorted(by_month.items())),
        hours_by_support_type=by_type,
        hours_by_topic=by_topic,
        duties=duties,
        reports=reports,
        reports_by_month=reports_by_month(report, services, today) if report is not None else {},
        coaching=coaching_hours(spec, engagement),
        reach=engagement_reach(spec, engagement),
        items=owed,
        by_facilitator=by_facilitator,
    )


def items_year(item: Obligation, spanned, today: date) -> str:
    """The school year whose figures count an item: its service's; for the
    engagement's own (a contact, a review, its end), the current school year,
    or the engagement's last one if it is not in the current year."""
    if item.service_date is not None:
        return year_of(item.service_date)
    current = year_of(today)
    return current if current in spanned or not spanned else max(spanned)


def _duties_and_reports(spec, engagement: Any, services: list, today: date) -> tuple[tuple[DutyCounts, ...], ReportCounts]:
    """Duties by stage over every framework with a duty matrix; the reports the services owe."""
    stages: dict[str, list[int]] = {}
    for framework in duty_frameworks(spec, engagement):
        for stage in framework.stages:
            stages.setdefault(stage.id, [0, 0, 0])
        for service in services:
            for duty in framework.duties:
                stages[duty.stage][("done", "not-applicable", "open").index(duty_status(duty_record(service, duty.id)))] += 1
    report = service_report(spec, engagement)
    reports = count_reports(report_state(report, service, today) for service in services) if report is not None else ReportCounts()
    return tuple(DutyCounts(stage, *counts) for stage, counts in stages.items()), reports


def engagement_reach(spec, engagement: Any) -> Optional[Reach]:
    """An intensive engagement's reach against its own target and the standards' minimum (None for other tiers)."""
    if not is_intensive(spec, engagement):
        return None
    reach = engagement.intensive.reach if engagement.intensive is not None else None
    minimum = feature_limit(spec, engagement, REACH_MIN_PERCENT)
    source = next((f.id for f in feature_frameworks(spec, engagement) if REACH_MIN_PERCENT in f.limits), None)
    reached, _ = latest_reach(reach)
    return Reach(
        engagement_id=engagement.id,
        intended=reach.intended if reach is not None else None,
        reached=reached,
        target_percent=float(reach.target_percent) if reach is not None and reach.target_percent is not None else None,
        minimum_percent=float(minimum.value) if minimum is not None else None,
        minimum_framework=source if minimum is not None else None,
    )


def combine(spec, figures: Iterable[EngagementFigures]) -> Portfolio:
    """The totals of a selection of figures. An engagement given once per school
    year counts once; its coaching, reach and items, which are not per year, once."""
    totals = Totals(spec)
    for item in figures:
        totals.add(item)
    return totals.portfolio()


class Totals:
    """`combine`, one engagement's figures at a time: a state's summary adds each
    in and drops it. Sums are taken in the order the figures come, so the same
    order gives the same figures to the last digit."""

    def __init__(self, spec) -> None:
        self.spec = spec
        self.first: dict[str, tuple] = {}  # by engagement id, from its first figures: (coaching, reach, facilitators)
        self.stages: dict[str, DutyCounts] = {}
        self.reports = ReportCounts()
        self.months: dict[str, float] = {}
        self.types: dict[str, float] = {}
        self.topics: dict[str, float] = {}
        self.partners: dict[str, float] = {}
        self.report_months: dict[str, ReportCounts] = {}
        self.recipients: set = set()
        self.title_i_recipients: set = set()
        self.items: set = set()
        self.people: dict[str, FacilitatorFigures] = {}
        self.services = 0
        self.hours = self.training_hours = self.ta_hours = self.title_i_hours = 0

    def add(self, item: EngagementFigures) -> None:
        self.first.setdefault(item.engagement_id, (item.coaching, item.reach, item.facilitators))
        for month, counts in item.reports_by_month.items():
            self.report_months[month] = self.report_months[month] + counts if month in self.report_months else counts
        for counts in item.duties:
            self.stages[counts.stage] = self.stages[counts.stage] + counts if counts.stage in self.stages else counts
        self.reports = self.reports + item.reports
        _add(self.months, item.hours_by_month)
        _add(self.types, item.hours_by_support_type)
        _add(self.topics, item.hours_by_topic)
        _add(self.partners, {item.partner or "": item.hours})
        self.recipients.add(item.recipient)
        if item.title_i:
            self.title_i_recipients.add(item.recipient)
        self.items.update(item.items)
        for name, part in item.by_facilitator.items():
            self.people[name] = self.people[name] + replace(part, engagements=0) if name in self.people else replace(part, engagements=0)
        self.services += item.services
        self.hours += item.hours
        self.training_hours += item.training_hours
        self.ta_hours += item.ta_hours
        self.title_i_hours += item.title_i_hours

    def portfolio(self) -> Portfolio:
        spec, people = self.spec, dict(self.people)
        first_of_each = [self.first[key] for key in sorted(self.first)]
        for _, _, facilitators in first_of_each:
            for name in facilitators:
                people[name] = replace(people[name], engagements=people[name].engagements + 1)
        return Portfolio(
            engagements=len(self.first),
            recipients=len(self.recipients),
            title_i_recipients=len(self.title_i_recipients),
            services=self.services,
            hours=self.hours,
            training_hours=self.training_hours,
            ta_hours=self.ta_hours,
            title_i_hours=self.title_i_hours,
            hours_by_month=dict(sorted(self.months.items())),
            hours_by_support_type=_in_order(self.types, spec.ids("support_types")),
            hours_by_topic=_in_order(self.topics, spec.ids("topics")),
            hours_by_partner=_in_order(self.partners, spec.ids("partners")),
            duties=tuple(self.stages[stage] for stage in _ordered_stages(spec, self.stages)),
            reports=self.reports,
            coaching=tuple(coaching for coaching, _, _ in first_of_each if coaching is not None),
            reach=tuple(reach for _, reach, _ in first_of_each if reach is not None),
            items=tuple(sorted(self.items, key=Obligation.sort_key)),
            by_facilitator={name: people[name] for name in sorted(people, key=lambda name: (name.casefold(), name))},
            reports_by_month=dict(sorted(self.report_months.items())),
        )


def item_counts(items: Iterable[Obligation], today: date) -> dict[str, tuple[int, int]]:
    """The things the items ask, by kind (obligations.KINDS, in that order; kinds
    with none left out): (overdue, due from today on), each duty of a group
    counted (Obligation.size). The site's dashboard says them above its list."""
    counts: dict[str, list[int]] = {}
    for item in items:
        counts.setdefault(item.kind, [0, 0])[0 if item.overdue(today) else 1] += item.size
    return {kind: (counts[kind][0], counts[kind][1]) for kind in KINDS if kind in counts}


def portfolio(spec, engagements: Iterable[Any], today: date) -> Portfolio:
    """The totals of these engagements, every service counted."""
    return combine(spec, (engagement_figures(spec, engagement, today) for engagement in engagements))


def _add(total: dict[str, float], more: dict[str, float]) -> None:
    for key, value in more.items():
        total[key] = total.get(key, 0.0) + value


def _in_order(values: dict[str, float], order: list[str]) -> dict[str, float]:
    """`values` in the standards' order; keys the standards do not know (and "") last, sorted."""
    rank = {key: index for index, key in enumerate(order)}
    return {key: values[key] for key in sorted(values, key=lambda key: (key not in rank, rank.get(key, 0), key))}


def _ordered_stages(spec, stages: dict) -> list[str]:
    rank = stage_rank(spec)
    return sorted(stages, key=lambda stage_id: (stage_id not in rank, rank.get(stage_id, 0), stage_id))


def _folded(text: str) -> str:
    return " ".join(str(text).split())

