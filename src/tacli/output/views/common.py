"""What every report's view shares: texts made `Text` (so templates escape
them), spec items by id, and the engagement, a service and its report as
readers follow them.

Views are built from a validated engagement and the standards spec. Every
title and text (stages, roles, duties, report sections, plan elements,
features, support types...) comes from the spec; nothing here names a duty or
an element. Views hold no date of rendering: the same engagement, spec and
`today` give the same view; `today` decides only whether a report is overdue
or due soon. docs/reports.md lists every variable.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Callable, Optional

from tacli.core.markdown import Text
from tacli.core.numbers import number, percent_number, share
from tacli.domain.frameworks import canonical_tier, is_intensive
from tacli.domain.reports import COMPLETED, OVERDUE, report_path, report_state, service_report
from tacli.domain.services import leader

if TYPE_CHECKING:  # pragma: no cover - pydantic's: not imported by a run whose every result is kept
    from tacli.standards.spec import Spec


def pack(value) -> bytes:
    """`value` as Packed keeps it."""
    import pickle

    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


@functools.total_ordering
class Packed(Sequence):
    """A list a view hands to templates whose items are kept pickled (`pack`)
    and made again each time one is read, through `shape` when given: a list
    of thousands of engagements' rows costs a fifth of its items' size while
    it waits to be rendered, and an item a template has read is dropped once
    it has used it. Templates loop over it, take its length, index and slice
    it as they would a list. The pickled items are a list's, or a spill's
    (core.spill: on disk)."""

    __slots__ = ("_items", "_shape")

    def __init__(self, items: "Sequence[bytes]", shape: Optional[Callable] = None) -> None:
        self._items, self._shape = items, shape

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._made(item) for item in self._items[index]]
        return self._made(self._items[index])

    def __iter__(self):
        return (self._made(item) for item in self._items)

    def __add__(self, other) -> list:
        return list(self) + (list(other) if isinstance(other, Packed) else other)  # a list refuses what a list refuses

    def __radd__(self, other) -> list:
        return other + list(self)

    def __mul__(self, times) -> list:
        return list(self) * times

    __rmul__ = __mul__

    def copy(self) -> list:
        return list(self)

    def __lt__(self, other) -> bool:  # the other comparisons: functools.total_ordering
        return list(self) < (list(other) if isinstance(other, Packed) else other)

    def __eq__(self, other) -> bool:
        return isinstance(other, (Packed, list)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment] - a list's: equal to a list with the same items

    def __repr__(self) -> str:
        return repr(list(self))

    def _made(self, item: bytes):
        import pickle

        value = pickle.loads(item)
        return self._shape(value) if self._shape is not None else value


def text(value) -> Optional[Text]:
    if value is None:
        return None
    if isinstance(value, date):
        return Text(value.isoformat())
    if isinstance(value, float):
        return Text(number(value))
    return Text(str(value))


def texts(values) -> list[Text]:
    return [Text(str(v)) for v in values or [] if str(v).strip()]


def person(person) -> Optional[dict]:
    if person is None:
        return None
    return {"name": text(person.name), "role": text(person.role), "email": text(person.email), "phone": text(person.phone)}


def labelled(item_id, lookup: dict) -> Optional[dict]:
    """{id, title} for a spec id; the title is the spec item's own words."""
    if item_id is None:
        return None
    item = lookup.get(item_id)
    title = (getattr(item, "label", None) or getattr(item, "title", None)) if item is not None else None
    return {"id": Text(item_id), "title": Text(title or item_id)}


class Lookups:
    """Spec items by id, for the vocabularies a view names; and the views of
    the engagement whose pages are being made, which each of its pages shows
    alike (an engagement's ten pages all show its engagement view, and each
    service's view is shown on its plan, its TAST report and its agenda)."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.support_types = {i.id: i for i in spec.every("support_types")}
        self.topics = {i.id: i for i in spec.every("topics")}
        self.partners = {i.id: i for i in spec.every("partners")}
        self.tiers = {i.id: i for i in spec.every("tiers")}
        self.terms = {i.id: i for i in spec.every("terms")}
        self.roles = {r.id: r for r in spec.every("roles")}
        self._views: tuple = (None, {})  # (the engagement, its views by key)

    def view_once(self, engagement, key: tuple, make: Callable[[], dict], of: object = None) -> dict:
        """make(), made once for `engagement` (and the part of it `of`, a
        service) while it is the one asked about: views are only ever read (by
        templates), never changed. The engagement and its views are kept as
        one pair, so that threads sharing these Lookups (tacli serve) never
        take one engagement's view for another's; each view is kept with the
        part it shows, so that a part made after another was freed is never
        taken for it."""
        views = self._views
        if views[0] is not engagement:
            views = self._views = (engagement, {})
        kept = views[1].get(key)
        if kept is not None and kept[0] is of:
            return kept[1]
        view = make()
        views[1][key] = (of, view)
        return view

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_views": (None, {})}


def engagement_view(spec: Spec, engagement, lookups: Lookups) -> dict:
    return lookups.view_once(engagement, ("engagement",), lambda: _engagement_view(spec, engagement, lookups))


def _engagement_view(spec: Spec, engagement, lookups: Lookups) -> dict:
    recipient, provider, coaching = engagement.recipient, engagement.provider, engagement.coaching
    tier = canonical_tier(spec, engagement)
    tier_item = lookups.tiers.get(tier)
    return {
        "id": Text(engagement.id),
        "title": Text(engagement.title),
        "tier": {"id": Text(tier), "title": Text(tier_item.label if tier_item else tier), "given": Text(engagement.tier)},
        "intensive": is_intensive(spec, engagement),
        "frameworks": [{"id": Text(f), "title": Text(spec.frameworks[f].title)} for f in engagement.frameworks if f in spec.frameworks],
        "recipient": {
            "kind": Text(recipient.kind),
            "kind_title": Text(recipient.kind.replace("-", " ")),
            "name": Text(recipient.name),
            "district": text(recipient.district),
            "title_i": recipient.title_i,
            "in_need_of_improvement": recipient.in_need_of_improvement,
            "point_person": person(recipient.point_person),
        },
        "provider": {
            "organization": Text(provider.organization),
            "partner": labelled(provider.partner, lookups.partners),
            "facilitator": person(provider.facilitator),
        },
        "start": text(engagement.start),
        "end": text(engagement.end),
        "notes": text(engagement.notes),
        "coaching": None if coaching is None else {
            "coach": person(coaching.coach),
            "term": labelled(coaching.term, lookups.terms),
            "hour_cap": text(coaching.hour_cap),
        },
        "paths": {"plan": Text(report_path("plan", engagement.id))},
    }


def report_status(spec: Spec, engagement, service, today: date) -> Optional[dict]:
    """The service's report as a reader follows it: its state, due date,
    completion, and how late it was completed, with a short status line."""
    report = service_report(spec, engagement)
    if report is None:
        return None
    state = report_state(report, service, today)
    late = state.days_late
    if state.state == COMPLETED:
        status = f"completed {state.completed}" + (f", completed {late} day{'s' if late != 1 else ''} late" if late else "")
    elif state.state == OVERDUE:
        status = f"overdue: due {state.due}"
    else:
        status = f"due {state.due}"
    return {
        "title": Text(report.title),
        "state": Text(state.state),
        "due": text(state.due),
        "completed": text(state.completed),
        "days_late": late,
        "on_time": state.state == COMPLETED and not late,
        "status": Text(status),
    }


def service_label(service, lookups: Lookups) -> Text:
    """A service as reports and pages name it: its title, else its support type
    in the standards' words (its id when the standards do not know it)."""
    return Text(service.title) if service.title else labelled(service.type, lookups.support_types)["title"]


def service_view(spec: Spec, engagement, service, lookups: Lookups, today: date) -> dict:
    return lookups.view_once(engagement, ("service", id(service), today), lambda: _service_view(spec, engagement, service, lookups, today), of=service)


def _service_view(spec: Spec, engagement, service, lookups: Lookups, today: date) -> dict:
    kind = labelled(service.type, lookups.support_types)
    participants = service.participants
    forms = service.evaluation_forms
    report = report_status(spec, engagement, service, today)
    return {
        "id": Text(service.id),
        "date": text(service.date),
        "title": text(service.title),
        "label": service_label(service, lookups),
        "type": kind,
        "mode": Text(service.mode),
        "hours": text(service.hours),
        "facilitator": person(leader(service, engagement)),
        "topics": [labelled(t, lookups.topics) for t in service.topics],
        "participants": None if participants is None else {"count": text(participants.count), "description": text(participants.description)},
        "purpose": text(service.purpose),
        "intended_outcomes": texts(service.intended_outcomes),
        "implementation_expectations": texts(service.implementation_expectations),
        "agenda": [{"time": Text(a.time), "item": Text(a.item), "outcome": text(a.outcome)} for a in service.agenda],
        "norms": texts(service.norms),
        "evaluation_forms": None if forms is None else {"requested": text(forms.requested), "returned": text(forms.returned), "summary": text(forms.summary)},
        "notes": text(service.notes),
        "report": report,
        "paths": {
            "tast": Text(report_path("tast", engagement.id, service.id)) if report else None,
            "agenda": Text(report_path("agenda", engagement.id, service.id)),
        },
    }


def percent(part, whole) -> Optional[Text]:
    """`part` of `whole` as a percentage, without its sign: "66.7"."""
    ratio = share(part, whole)
    return None if ratio is None else Text(number(percent_number(ratio)))
