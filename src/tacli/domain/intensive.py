"""Intensive TA: the latest reach, contact and fidelity reviews, and when the next is due."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tacli.standards.spec import Limit, Spec

from tacli.core.dates import add_days
from tacli.domain.frameworks import counts, feature_limit
from tacli.standards.vocabulary import CONTACT_MAX_DAYS, FIDELITY_REVIEW_MAX_DAYS


def latest_reach(reach: Any) -> tuple[Optional[int], Optional[date]]:
    """The latest count of beneficiaries reached, and its date: `reached`, else the
    last count of `history`."""
    if reach is None:
        return None, None
    counted = sorted(reach.history, key=lambda entry: entry.date)
    if reach.reached is not None:
        return reach.reached, None
    if counted:
        return counted[-1].reached, counted[-1].date
    return None, None



# --- intensive TA: contact and fidelity reviews ---------------------------------------------


def active_until(engagement: Any, today: date) -> date:
    """The last day the engagement's gaps are counted to: today, or its end once it has ended."""
    end = engagement.end
    return min(today, end) if end is not None and end >= engagement.start else today


def contacts(spec: "Spec", engagement: Any, until: date) -> list[tuple[date, int]]:
    """(date, index) of the services that count as contact (the contact limit's
    modes), held by `until`, by date."""
    limit = feature_limit(spec, engagement, CONTACT_MAX_DAYS)
    modes = limit.modes if limit is not None else []
    return sorted((service.date, index) for index, service in enumerate(engagement.services) if service.date <= until and counts(modes, service.mode))


def fidelity_reviews(engagement: Any, until: date) -> list[tuple[date, int]]:
    """(date, index) of the fidelity reviews held by `until`, by date."""
    reviews = engagement.intensive.fidelity_reviews if engagement.intensive else []
    return sorted((review.date, index) for index, review in enumerate(reviews) if review.date <= until)


def next_contact(spec: "Spec", engagement: Any, today: date) -> Optional[date]:
    """The last day for the next contact of an ongoing intensive engagement (None
    when no limit applies, or the engagement has not started or has ended)."""
    return _next(engagement, today, feature_limit(spec, engagement, CONTACT_MAX_DAYS), contacts(spec, engagement, today))


def next_fidelity_review(spec: "Spec", engagement: Any, today: date) -> Optional[date]:
    """The last day for the next fidelity review of an ongoing intensive engagement."""
    return _next(engagement, today, feature_limit(spec, engagement, FIDELITY_REVIEW_MAX_DAYS), fidelity_reviews(engagement, today))


def _next(engagement: Any, today: date, limit: Optional["Limit"], held: list) -> Optional[date]:
    if limit is None or engagement.start > today or (engagement.end is not None and engagement.end < today):
        return None
    previous = held[-1][0] if held else engagement.start
    return add_days(previous, int(limit.value))

