"""What the completed evaluation forms of services said: how many were
requested and returned, and the mean of each rating, weighted by the forms
that gave it. One definition for the TAST report, the site, `status`, the
summary and the annual figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from tacli.standards.fields import field_value


@dataclass(frozen=True)
class Evaluations:
    """Evaluation forms added up over some services. `ratings` holds, by rating
    id, the sum of each service's mean times the forms that gave it, and the
    number of those forms: the mean over all of them is one division away."""

    services: int = 0  # services with forms returned (a count recorded, 0 included)
    requested: int = 0
    returned: int = 0
    ratings: dict[str, tuple[float, int]] = field(default_factory=dict)
    comments: int = 0

    def mean(self, rating: str) -> Optional[float]:
        """The mean rating over every form that gave it (None when none did)."""
        total, count = self.ratings.get(rating, (0.0, 0))
        return total / count if count else None

    def count(self, rating: str) -> int:
        """How many forms gave the rating."""
        return self.ratings.get(rating, (0.0, 0))[1]

    @property
    def return_rate(self) -> Optional[float]:
        """Forms returned of those requested, 0 to 1, over the services that say both (None without any)."""
        return self.returned / self.requested if self.requested else None

    def __add__(self, other: "Evaluations") -> "Evaluations":
        ratings = dict(self.ratings)
        for key, (total, count) in other.ratings.items():
            before = ratings.get(key, (0.0, 0))
            ratings[key] = (before[0] + total, before[1] + count)
        return Evaluations(self.services + other.services, self.requested + other.requested, self.returned + other.returned, ratings, self.comments + other.comments)


def rated_forms(forms: Any) -> int:
    """How many forms a service's ratings are the mean of: `rated`, else every form returned."""
    if forms is None:
        return 0
    if forms.rated is not None:
        return forms.rated
    return forms.returned or 0


def service_evaluations(spec, service: Any) -> Evaluations:
    """One service's evaluation forms, as the figures count them. A service with
    no count of forms returned adds nothing to the counts; its requested forms
    count only beside a count returned (a return rate needs both)."""
    forms = service.evaluation_forms
    if forms is None:
        return Evaluations()
    returned = forms.returned
    rated = rated_forms(forms)
    ratings = {}
    for rating in spec.every("ratings"):
        value = field_value(forms.ratings, rating.id)
        if value is not None and rated:
            ratings[rating.id] = (float(value) * rated, rated)
    requested = forms.requested if forms.requested is not None and returned is not None else 0
    return Evaluations(1 if returned is not None else 0, requested, returned or 0, ratings, len([c for c in forms.comments if str(c).strip()]))


def evaluations(spec, services: Iterable[Any]) -> Evaluations:
    """The evaluation forms of these services, added up."""
    total = Evaluations()
    for service in services:
        total = total + service_evaluations(spec, service)
    return total
