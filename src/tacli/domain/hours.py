"""The hour cap and the hours counted against it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tacli.standards.spec import Limit, Spec

from tacli.domain.frameworks import counts, offer_frameworks
from tacli.domain.services import indexed_in_order
from tacli.standards.vocabulary import HOURS_CAP


def offered_hour_cap(spec: "Spec", engagement: Any) -> Optional["Limit"]:
    """The cap of the coaching offers the engagement lists, as the standards set it."""
    offers = [f.id for f in offer_frameworks(spec, engagement)]
    return spec.limit(HOURS_CAP, offers) if offers else None


def hour_cap(spec: "Spec", engagement: Any) -> Optional[float]:
    """The hours the engagement may use, when it follows a coaching offer: its own
    `coaching.hour_cap`, else the offer's. Without an offer no cap applies, even
    with a `coaching` section (check says so: unlisted-framework)."""
    if not offer_frameworks(spec, engagement):
        return None
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
    return [(index, service) for index, service in indexed_in_order(engagement.services) if counts(kinds, service.type)]


@dataclass(frozen=True)
class CoachingHours:
    """An engagement's hours counted against its coaching cap (over all its services)."""

    engagement_id: str
    cap: float
    counted: float

    @property
    def left(self) -> float:
        return max(self.cap - self.counted, 0.0)

    @property
    def over(self) -> bool:
        return self.counted > self.cap


def coaching_hours(spec: "Spec", engagement: Any) -> Optional[CoachingHours]:
    """The cap and the hours counted against it, when a cap applies (`hour_cap`)."""
    cap = hour_cap(spec, engagement)
    return None if cap is None else CoachingHours(engagement.id, cap, hours_counted(spec, engagement))


def hours_counted(spec: "Spec", engagement: Any) -> float:
    """The hours counted against the cap."""
    return total_hours(service for _, service in counted_services(spec, engagement))


def total_hours(services: Any) -> float:
    """The hours of these services; a service without hours adds none."""
    return float(sum(service.hours or 0 for service in services))


