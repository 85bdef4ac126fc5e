"""The hour cap and the hours counted against it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tacli.standards.spec import Limit, Spec

from tacli.domain.frameworks import counts, offer_frameworks
from tacli.standards.vocabulary import HOURS_CAP



def offered_hour_cap(spec: "Spec", engagement: Any) -> Optional["Limit"]:
    """The cap of the coaching offers the engagement lists, as the standards set it."""
    offers = [f.id for f in offer_frameworks(spec, engagement)]
    return spec.limit(HOURS_CAP, offers) if offers else None


def hour_cap(spec: "Spec", engagement: Any) -> Optional[float]:
    """The hours the engagement may use: its own `coaching.hour_cap`, else its offer's."""
    coaching = engagement.coaching
    if coaching is not None and coaching.hour_cap is not None:
        return float(coaching.hour_cap)
    offered = offered_hour_cap(spec, engagement)
    return float(offered.value) if offered is not None else None


def counted_services(spec: "Spec", engagement: Any) -> list[tuple[int, Any]]:
    """(index, service) of the services whose hours count against the cap (those
    of the support types the cap names; all when it names none), by date."""
    offered = offered_hour_cap(spec, engagement)
    kinds = offered.support_types if offered is not None else []
    services = [(index, service) for index, service in enumerate(engagement.services) if counts(kinds, service.type)]
    return sorted(services, key=lambda pair: (pair[1].date, pair[0]))


def hours_counted(spec: "Spec", engagement: Any) -> float:
    """The hours counted against the cap."""
    return total_hours(service for _, service in counted_services(spec, engagement))


def total_hours(services: Any) -> float:
    """The hours of these services; a service without hours adds none."""
    return float(sum(service.hours or 0 for service in services))


