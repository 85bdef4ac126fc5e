"""Dates, ids and tiers that must agree with each other, within one engagement and across files."""

from __future__ import annotations

from tacli.standards.vocabulary import RECIPIENT_FACTS
from tacli.core.numbers import number
from tacli.core.textformat import ordinal
from tacli.domain.frameworks import feature_frameworks, frameworks_with_features, is_intensive, offer_frameworks
from tacli.checking.identity import DUPLICATE_ID
from tacli.core.findings import Level, Rule

DATE_RANGE = Rule("date-range", Level.ERROR, "The planned end is before the start, or a service falls outside the engagement's dates.")
TIER_FRAMEWORK = Rule("tier-framework", Level.WARNING, "An intensive engagement does not list a framework with intensive-TA features (fixsen).")
UNLISTED_FRAMEWORK = Rule("unlisted-framework", Level.ERROR, "A value or records come from a framework the engagement does not list in frameworks.")
RECIPIENT_ELIGIBILITY = Rule("recipient-eligibility", Level.WARNING, "The recipient is not recorded as a framework's TA is for (CSDE: identified as in need of improvement).")

RULES = (DATE_RANGE, DUPLICATE_ID, TIER_FRAMEWORK, UNLISTED_FRAMEWORK, RECIPIENT_ELIGIBILITY)


def check(context):
    engagement = context.engagement
    start, end = engagement.start, engagement.end
    if end is not None and end < start:
        yield context.at(DATE_RANGE, ("end",), f"the planned end {end} is before the start {start}: correct one of them")
    seen: dict[str, int] = {}
    for index, service in enumerate(engagement.services):
        if service.id in seen:
            yield context.at(DUPLICATE_ID, ("services", index, "id"), f"service id '{service.id}' is already used by the {ordinal(seen[service.id] + 1)} service: give each service its own id")
        else:
            seen[service.id] = index
        if service.date < start or (end is not None and service.date > end):
            window = f"{start} to {end}" if end else f"from {start}"
            yield context.at(DATE_RANGE, ("services", index, "date"), f"service '{service.id}' on {service.date} falls outside the engagement ({window}): correct the date or the engagement's start/end")
    if is_intensive(context.spec, engagement) and not feature_frameworks(context.spec, engagement):
        with_features = frameworks_with_features(context.spec)
        if with_features:
            yield context.at(TIER_FRAMEWORK, ("frameworks",), f"an intensive engagement should list '{with_features[0].id}' in frameworks, so that its intensive-TA features are checked")
    yield from scope(context)
    yield from eligibility(context)


def _values(context):
    """(section, id, location) of every vocabulary value the engagement uses."""
    engagement = context.engagement
    for index, service in enumerate(engagement.services):
        yield "support_types", service.type, ("services", index, "type"), f"support type '{service.type}' of service '{service.id}'"
        for position, topic in enumerate(service.topics):
            yield "topics", topic, ("services", index, "topics", position), f"topic '{topic}' of service '{service.id}'"
    if engagement.provider.partner:
        yield "partners", engagement.provider.partner, ("provider", "partner"), f"partner '{engagement.provider.partner}'"
    if engagement.coaching is not None and engagement.coaching.term:
        yield "terms", engagement.coaching.term, ("coaching", "term"), f"term '{engagement.coaching.term}'"
    for index, entry in enumerate(engagement.outcomes):
        yield "evidence_levels", entry.level, ("outcomes", index, "level"), f"evidence level '{entry.level}' of outcome entry {index + 1}"


def _records(context):
    """(section, id, location, words) of every record keyed by a spec id."""
    engagement = context.engagement
    for index, service in enumerate(engagement.services):
        for duty_id in _set_fields(service.duties):
            yield "duties", duty_id, ("services", index, "duties", duty_id), "duty records"
        for section_id in _set_fields(service.tast_report, skip=("completed", "reviews")):
            yield "report_sections", section_id, ("services", index, "tast_report", section_id), "report sections"
        ratings = service.evaluation_forms.ratings if service.evaluation_forms is not None else None
        for rating_id in _set_fields(ratings):
            yield "ratings", rating_id, ("services", index, "evaluation_forms", "ratings", rating_id), "ratings of evaluation forms"
    for element_id in _set_fields(engagement.plan):
        yield "elements", element_id, ("plan", element_id), "plan elements"
    features = engagement.intensive.features if engagement.intensive else None
    for feature_id in _set_fields(features):
        yield "features", feature_id, ("intensive", "features", feature_id), "intensive-TA features"
    readiness = engagement.coaching.readiness if engagement.coaching else None
    for criterion_id in _set_fields(readiness):
        yield "readiness", criterion_id, ("coaching", "readiness", criterion_id), "readiness criteria"


def _set_fields(model, skip=()) -> list[str]:
    """The spec ids (aliases) of the fields a spec-derived model has values for."""
    if model is None:
        return []
    return [info.alias for name, info in type(model).model_fields.items() if info.alias and info.alias not in skip and getattr(model, name) is not None]


def scope(context):
    """Values and records of frameworks the engagement does not list: a support
    type of the coaching offer in a CALI-only engagement, or 49 duty records of
    a framework dropped from `frameworks`, would otherwise pass unchecked."""
    spec, listed = context.spec, set(context.engagement.frameworks)
    for section, value, loc, words in _values(context):
        owner = spec.owner(section, value)
        if owner is not None and owner not in listed:
            yield context.at(UNLISTED_FRAMEWORK, loc, f"{words} comes from '{owner}' ({spec.frameworks[owner].title}), which this engagement does not list: add '{owner}' to frameworks, or use a value of a listed framework")
    grouped: dict[tuple[str, str], list] = {}
    for section, value, loc, words in _records(context):
        owner = spec.owner(section, value)
        if owner is not None and owner not in listed:
            grouped.setdefault((owner, words), []).append(loc)
    for (owner, words), locs in grouped.items():
        count = f"{len(locs)} of them" if len(locs) > 1 else "one"
        yield context.at(UNLISTED_FRAMEWORK, locs[0], f"{words} of '{owner}' are recorded ({count}), but this engagement does not list '{owner}' in frameworks, so they are not checked: add '{owner}' to frameworks, or remove them")
    yield from _coaching_without_offer(context, grouped)


def _coaching_without_offer(context, grouped):
    """A coaching section (coach, term, hour cap) in an engagement that lists no
    coaching offer: no cap applies and nothing in it is checked, which its
    author would not guess. Readiness records are told already (above)."""
    coaching = context.engagement.coaching
    if coaching is None or offer_frameworks(context.spec, context.engagement):
        return
    offers = [framework.id for framework in context.spec.frameworks.values() if framework.readiness]
    if not offers or any(words == "readiness criteria" for _, words in grouped):
        return
    cap = f" (its hour_cap {number(coaching.hour_cap)} does not apply)" if coaching.hour_cap is not None else ""
    yield context.at(
        UNLISTED_FRAMEWORK, ("coaching",),
        f"a coaching section is recorded{cap}, but this engagement lists no coaching offer, so it is not checked: add '{offers[0]}' to frameworks, or remove coaching",
    )


def eligibility(context):
    """Who a framework's TA is for, as the recipient's record shows it."""
    recipient = context.engagement.recipient
    for framework in context.spec.frameworks.values():
        if framework.id not in context.engagement.frameworks:
            continue
        for requirement in framework.eligibility:
            if getattr(recipient, requirement.field) is not True:
                loc = context.first_present(("recipient", requirement.field), ("recipient",))
                words = RECIPIENT_FACTS[requirement.field]
                if getattr(recipient, requirement.field) is False:  # recorded as not: this TA is not the framework's
                    said = (f"the recipient is recorded as not {words}, and '{framework.id}' says: \"{requirement.quote}\": set recipient.{requirement.field}: true if it is;"
                            f" a center that serves such recipients under '{framework.id}' too can turn this warning off (ignore = [\"recipient-eligibility\"] in tacli.toml)")
                else:
                    said = f"the recipient is not recorded as {words}, and '{framework.id}' says: \"{requirement.quote}\": set recipient.{requirement.field}: true if it is"
                yield context.at(RECIPIENT_ELIGIBILITY, loc, said)
