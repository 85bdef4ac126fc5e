"""Intensive TA (Fixsen et al., 2009): the six features with their indicators, and
the assumptions that can be checked: 2 to 5 years, reach of at least 60%,
monthly contact and monthly fidelity reviews, agreement before the work starts.
Runs only for engagements whose tier is intensive (domain.feature_frameworks).
"""

from __future__ import annotations


from tacli.standards.vocabulary import CONTACT_MAX_DAYS, DURATION_MAX_YEARS, DURATION_MIN_YEARS, FIDELITY_REVIEW_MAX_DAYS, REACH_MIN_PERCENT
from tacli.domain.intensive import active_until, contacts, fidelity_reviews, latest_reach
from tacli.domain.records import present
from tacli.core.dates import span_text, span_years
from tacli.domain.frameworks import feature_frameworks, feature_limit
from tacli.core.numbers import number
from tacli.core.findings import Level, Rule
from tacli.standards.fields import field_value

FIXSEN_FEATURE = Rule("fixsen-feature", Level.ERROR, "An intensive engagement lacks one of the six intensive-TA features.")
FIXSEN_INDICATOR = Rule("fixsen-indicator", Level.ERROR, "An intensive-TA feature lacks evidence for one of its indicators.")
FIXSEN_DURATION = Rule("fixsen-duration", Level.WARNING, "The planned duration of intensive TA is outside 2 to 5 years, or not set.")
FIXSEN_REACH = Rule("fixsen-reach", Level.ERROR, "The reach target of intensive TA is under 60% of intended beneficiaries, or not set.")
FIXSEN_CONTACT_GAP = Rule("fixsen-contact-gap", Level.WARNING, "More than a month passes between contacts in intensive TA.")
FIXSEN_FIDELITY = Rule("fixsen-fidelity", Level.WARNING, "Fidelity measures of intensive TA are not reviewed each month.")
FIXSEN_AGREEMENT = Rule("fixsen-agreement", Level.WARNING, "Intensive TA has no recorded agreement about need, vision and methods before its first service.")
FIXSEN_PLANNING = Rule("fixsen-planning", Level.ERROR, "Intensive TA lists no framework of planning elements, though planning and preparation are always required.")

RULES = (FIXSEN_FEATURE, FIXSEN_INDICATOR, FIXSEN_DURATION, FIXSEN_REACH, FIXSEN_CONTACT_GAP, FIXSEN_FIDELITY, FIXSEN_AGREEMENT, FIXSEN_PLANNING)


def check(context):
    frameworks = feature_frameworks(context.spec, context.engagement)
    if not frameworks:
        return
    intensive = context.engagement.intensive
    yield from _requirements(context, frameworks)
    yield from _features(context, frameworks, intensive)
    yield from _duration(context)
    yield from _reach(context, intensive)
    yield from _contacts(context)
    yield from _fidelity(context, intensive)
    yield from _agreement(context, intensive)


SECTION_WORDS = {"elements": "planning elements", "duties": "a duty matrix", "features": "intensive-TA features", "readiness": "readiness criteria"}


def _requirements(context, frameworks):
    """Assumptions that need a listed framework of some kind (planning and preparation: the plan's elements)."""
    for framework in frameworks:
        for assumption in framework.assumptions:
            section = assumption.requires
            if section is None or context.spec.with_section(section, context.engagement.frameworks):
                continue
            candidates = [f.id for f in context.spec.frameworks.values() if getattr(f, section)]
            if candidates:
                yield context.at(FIXSEN_PLANNING, ("frameworks",), f"intensive TA lists no framework of {SECTION_WORDS[section]}, and \"{assumption.text}\": add '{candidates[0]}' to frameworks and write what it asks for")


def _features(context, frameworks, intensive):
    features = intensive.features if intensive else None
    for framework in frameworks:
        for feature in framework.features:
            value = field_value(features, feature.id)
            if value is None:
                loc = context.first_present(("intensive", "features"), ("intensive",), ())
                yield context.at(FIXSEN_FEATURE, loc, f"intensive TA lacks the feature '{feature.id}' ({feature.title}): add intensive.features.{feature.id} with evidence for {_each(len(feature.indicators))}")
                continue
            for indicator in feature.indicators:
                if not present(field_value(value, indicator.id)):
                    loc = ("intensive", "features", feature.id)
                    yield context.at(FIXSEN_INDICATOR, loc, f"feature '{feature.id}' lacks evidence for indicator '{indicator.id}' (\"{indicator.text}\"): add what shows it")


def _each(count: int) -> str:
    return "its indicator" if count == 1 else f"each of its {count} indicators"


def _limit(context, name):
    return feature_limit(context.spec, context.engagement, name)


def _duration(context):
    low = _limit(context, DURATION_MIN_YEARS)
    high = _limit(context, DURATION_MAX_YEARS)
    if low is None and high is None:
        return
    engagement = context.engagement
    span = f"{number(low.value) if low else 0} to {number(high.value) if high else 'any number of'} years"
    if engagement.end is None:
        yield context.at(FIXSEN_DURATION, ("start",), f"intensive TA has no planned end: add `end:` ({span} is typical)")
        return
    if engagement.end < engagement.start:
        return  # date-range reports it
    years = span_years(engagement.start, engagement.end)
    if (low and years < low.value) or (high and years > high.value):
        planned = span_text(engagement.start, engagement.end)
        yield context.at(FIXSEN_DURATION, ("end",), f"intensive TA is planned for {planned} ({engagement.start} to {engagement.end}); {span} is typical: plan a sustained effort or choose a lower tier")


def _reach(context, intensive):
    minimum = _limit(context, REACH_MIN_PERCENT)
    if minimum is None:
        return
    reach = intensive.reach if intensive else None
    if reach is None or reach.target_percent is None:
        loc = context.first_present(("intensive", "reach"), ("intensive",), ())
        yield context.at(FIXSEN_REACH, loc, f"intensive TA has no reach target: add intensive.reach.target_percent (at least {number(minimum.value)}% of intended beneficiaries)")
    elif reach.target_percent < minimum.value:
        yield context.at(FIXSEN_REACH, ("intensive", "reach", "target_percent"), f"the reach target {number(reach.target_percent)}% is under {number(minimum.value)}% of intended beneficiaries: raise it, or plan the capacity to reach more")
    end = context.engagement.end
    if reach is None or end is None or context.today <= end:
        return
    reached, when = latest_reach(reach)
    if reached is None or not reach.intended:
        loc = context.first_present(("intensive", "reach"), ("intensive",), ())
        yield context.at(FIXSEN_REACH, loc, f"the engagement ended on {end} with no count of beneficiaries reached: add intensive.reach.intended and reached")
    elif reached * 100 < minimum.value * reach.intended:
        share = number(round(reached * 100 / reach.intended, 1))
        loc = context.first_present(("intensive", "reach", "reached"), ("intensive", "reach"))
        yield context.at(FIXSEN_REACH, loc, f"the engagement ended on {end} having reached {reached} of {reach.intended} intended beneficiaries ({share}%), under {number(minimum.value)}%: record any later count, and plan the capacity to reach more")


def _contacts(context):
    limit = _limit(context, CONTACT_MAX_DAYS)
    if limit is None:
        return
    engagement, today = context.engagement, context.today
    if engagement.start > today:
        return
    kind = f"{' or '.join(limit.modes)} " if limit.modes else ""
    need = f"intensive TA needs {kind}contact at least every {number(limit.value)} days"
    window_end = active_until(engagement, today)
    held = contacts(context.spec, engagement, window_end)
    previous, previous_label = engagement.start, "the start"
    for when, index in held:
        gap = (when - previous).days
        if gap > limit.value:
            yield context.at(FIXSEN_CONTACT_GAP, ("services", index, "date"), f"{gap} days pass between {previous_label} ({previous}) and this contact: {need}")
        previous, previous_label = when, "the previous contact"
    gap = (window_end - previous).days
    if gap > limit.value:
        loc = ("services", held[-1][1]) if held else ("start",)
        if window_end < today:
            yield context.at(FIXSEN_CONTACT_GAP, loc, f"no contact for {gap} days from {previous} to the end of the engagement ({window_end}): {need}")
        else:
            yield context.at(FIXSEN_CONTACT_GAP, loc, f"no contact for {gap} days since {previous}: plan the next contact ({need})")


def _fidelity(context, intensive):
    limit = _limit(context, FIDELITY_REVIEW_MAX_DAYS)
    if limit is None:
        return
    engagement, today = context.engagement, context.today
    if engagement.start > today:
        return
    reviews = fidelity_reviews(engagement, today)
    previous = engagement.start
    for when, index in reviews:
        gap = (when - previous).days
        if gap > limit.value:
            yield context.at(FIXSEN_FIDELITY, ("intensive", "fidelity_reviews", index), f"{gap} days pass before this fidelity review (after {previous}): review fidelity measures at least every {number(limit.value)} days")
        previous = when
    gap = (active_until(engagement, today) - previous).days
    if gap > limit.value:
        loc = context.first_present(("intensive", "fidelity_reviews"), ("intensive",), ())
        yield context.at(FIXSEN_FIDELITY, loc, f"no fidelity review for {gap} days since {previous}: review fidelity measures at least every {number(limit.value)} days and record them in intensive.fidelity_reviews")


def _agreement(context, intensive):
    services = context.engagement.services
    agreement = intensive.agreement if intensive else None
    first = min((s.date for s in services), default=None)
    if agreement is None or agreement.date is None:
        if first is not None:
            loc = context.first_present(("intensive", "agreement"), ("intensive",), ())
            yield context.at(FIXSEN_AGREEMENT, loc, "no agreement about need, vision and methods is recorded: add intensive.agreement with its date and summary")
    elif first is not None and agreement.date > first:
        yield context.at(FIXSEN_AGREEMENT, ("intensive", "agreement", "date"), f"the agreement ({agreement.date}) comes after the first service ({first}): intensive TA starts from a well-informed agreement")
