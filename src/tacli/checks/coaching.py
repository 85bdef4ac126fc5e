"""A coaching offer (OEC): readiness criteria met, and hours within the offer's cap."""

from __future__ import annotations

from tacli.findings import Level, Rule
from tacli.models import field_value

COACHING_HOURS = Rule("coaching-hours", Level.ERROR, "Coaching hours logged exceed the offer's cap (21 hours), or the cap set exceeds it.")
COACHING_READINESS = Rule("coaching-readiness", Level.ERROR, "A readiness criterion of the coaching offer is not recorded as met.")

RULES = (COACHING_HOURS, COACHING_READINESS)


def check(context):
    offers = context.spec.with_section("readiness", context.frameworks)
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
    yield from _hours(context, [o.id for o in offers], coaching)


def _hours(context, names, coaching):
    offered = context.spec.limit("hours_cap", names)
    cap = coaching.hour_cap
    if offered is not None and cap is not None and cap > offered.value:
        yield context.at(COACHING_HOURS, ("coaching", "hour_cap"), f"hour_cap {cap:g} exceeds the offer's {offered.value:g} hours: lower it to at most {offered.value:g}")
    limit = cap if cap is not None else (offered.value if offered else None)
    if limit is None:
        return
    total = 0.0
    for index, service in sorted(enumerate(context.engagement.services), key=lambda pair: (pair[1].date, pair[0])):
        before = total
        total += service.hours or 0
        if total > limit >= before:
            yield context.at(COACHING_HOURS, ("services", index, "hours"), f"service '{service.id}' brings coaching hours to {total:g}, over the cap of {limit:g}: shorten it or move it out of this offer")
