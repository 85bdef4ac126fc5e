"""A coaching offer (OEC): readiness criteria met, and hours within the offer's cap."""

from __future__ import annotations

from tacli.domain import counted_services, hour_cap, number, offer_frameworks, offered_hour_cap
from tacli.findings import Level, Rule
from tacli.models import field_value

COACHING_HOURS = Rule("coaching-hours", Level.ERROR, "Coaching hours logged exceed the offer's cap (21 hours), or the cap set exceeds it.")
COACHING_READINESS = Rule("coaching-readiness", Level.ERROR, "A readiness criterion of the coaching offer is not recorded as met.")

RULES = (COACHING_HOURS, COACHING_READINESS)


def check(context):
    offers = offer_frameworks(context.spec, context.engagement)
    if not offers:
        return
    coaching = context.engagement.coaching
    if coaching is None:
        yield context.at(COACHING_READINESS, (), f"the engagement follows the coaching offer '{offers[0].id}' but has no coaching section: add coaching with coach, term, hour_cap and readiness")
        return
    for offer in offers:
        for criterion in offer.readiness:
            record = field_value(coaching.readiness, criterion.id)
            if record is None:
                loc = context.first_present(("coaching", "readiness"), ("coaching",))
                yield context.at(COACHING_READINESS, loc, f"readiness criterion '{criterion.id}' is not recorded (\"{criterion.text}\"): add it with `met: true` and the evidence")
            elif not record.met:
                yield context.at(COACHING_READINESS, ("coaching", "readiness", criterion.id), f"readiness criterion '{criterion.id}' is not met (\"{criterion.text}\"): a program must meet it to take part")
    yield from _hours(context, coaching)


def _hours(context, coaching):
    offered = offered_hour_cap(context.spec, context.engagement)
    cap = coaching.hour_cap
    if offered is not None and cap is not None and cap > offered.value:
        yield context.at(COACHING_HOURS, ("coaching", "hour_cap"), f"hour_cap {number(cap)} exceeds the offer's {number(offered.value)} hours: lower it to at most {number(offered.value)}")
    limit = hour_cap(context.spec, context.engagement)
    if limit is None:
        return
    total = 0.0
    for index, service in counted_services(context.engagement):
        before = total
        total += service.hours or 0
        if total > limit >= before:
            yield context.at(COACHING_HOURS, ("services", index, "hours"), f"service '{service.id}' brings coaching hours to {number(total)}, over the cap of {number(limit)}: shorten it or move it out of this offer")
