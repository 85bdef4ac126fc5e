"""A coaching offer (OEC): readiness criteria met, hours within the offer's cap,
and the offer's conditions on its services: how they are delivered, by whom,
and in which term. Which services count, which modes are allowed and the
term's dates are the standards' data, with the source's words.
"""

from __future__ import annotations

from tacli.standards.vocabulary import MODES_CONDITION, ONE_COACH, TERM_DATES
from tacli.domain.hours import counted_services, hour_cap, offered_hour_cap
from tacli.domain.frameworks import counts, offer_frameworks
from tacli.core.numbers import number
from tacli.domain.records import present
from tacli.domain.services import folded, leader
from tacli.core.findings import Level, Rule
from tacli.standards.fields import field_value

COACHING_HOURS = Rule("coaching-hours", Level.ERROR, "Coaching hours logged exceed the offer's cap (21 hours), or the cap set exceeds it.")
COACHING_HOURS_MISSING = Rule("coaching-hours-missing", Level.WARNING, "A service that counts against the coaching cap has no hours.")
COACHING_READINESS = Rule("coaching-readiness", Level.ERROR, "A readiness criterion of the coaching offer is not recorded as met.")
COACHING_MODE = Rule("coaching-mode", Level.WARNING, "A service is delivered in a mode the offer does not provide (OEC: virtually).")
COACHING_COACH = Rule("coaching-coach", Level.WARNING, "A coaching session is led by someone other than the coach assigned for the work.")
COACHING_TERM = Rule("coaching-term", Level.WARNING, "A service falls outside the dates of the offer's term the engagement follows.")

RULES = (COACHING_HOURS, COACHING_HOURS_MISSING, COACHING_READINESS, COACHING_MODE, COACHING_COACH, COACHING_TERM)


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
    for offer in offers:
        for condition in offer.conditions:
            yield from CONDITIONS[condition.kind](context, condition, coaching)


def _hours(context, coaching):
    offered = offered_hour_cap(context.spec, context.engagement)
    cap = coaching.hour_cap
    if offered is not None and cap is not None and cap > offered.value:
        yield context.at(COACHING_HOURS, ("coaching", "hour_cap"), f"hour_cap {number(cap)} exceeds the offer's {number(offered.value)} hours: lower it to at most {number(offered.value)}")
    limit = hour_cap(context.spec, context.engagement)
    if limit is None:
        return
    total = 0.0
    for index, service in counted_services(context.spec, context.engagement):
        if service.hours is None:
            yield context.at(COACHING_HOURS_MISSING, ("services", index), f"service '{service.id}' ({service.type}) counts against the cap of {number(limit)} hours but has no hours: add `hours:`")
            continue
        before = total
        total += service.hours
        if total > limit >= before:
            yield context.at(COACHING_HOURS, ("services", index, "hours"), f"service '{service.id}' brings coaching hours to {number(total)}, over the cap of {number(limit)}: shorten it or move it out of this offer")


def _services(context, condition):
    for index, service in enumerate(context.engagement.services):
        if counts(condition.support_types, service.type):
            yield index, service


def _modes(context, condition, coaching):
    allowed = " or ".join(condition.modes)
    for index, service in _services(context, condition):
        if not counts(condition.modes, service.mode):
            yield context.at(COACHING_MODE, ("services", index, "mode"), f"service '{service.id}' is delivered {service.mode}, but the offer says \"{condition.quote}\": make it {allowed}, or record why in its notes")


def _one_coach(context, condition, coaching):
    assigned = folded(coaching.coach.name)
    for index, service in _services(context, condition):
        led_by = leader(service, context.engagement)
        if present(led_by.name) and folded(led_by.name) != assigned:
            loc = context.first_present(("services", index, "facilitator"), ("services", index))
            yield context.at(COACHING_COACH, loc, f"service '{service.id}' is led by {led_by.name}, not the assigned coach {coaching.coach.name} (\"{condition.quote}\"): record the assigned coach, or why another led it")


def _term(context, condition, coaching):
    terms = {item.id: item for item in context.spec.every("terms")}
    term = terms.get(coaching.term) if coaching.term else None
    if term is None or term.starts is None or term.ends is None:
        return
    for index, service in _services(context, condition):
        if not term.starts <= service.date <= term.ends:
            yield context.at(COACHING_TERM, ("services", index, "date"), f"service '{service.id}' on {service.date} falls outside the term {term.label} ({term.starts} to {term.ends}) the engagement follows: correct the date or the term")


CONDITIONS = {MODES_CONDITION: _modes, ONE_COACH: _one_coach, TERM_DATES: _term}
