"""Outcome evidence by level: an engagement's dated entries at the standards'
evidence levels (Guskey's five, lowest first), its ladder, the highest level it
reached, and when intensive TA must show evidence and a fidelity result.

`tacli check` (the outcome-* rules), `tacli status`, the site's engagement
page and the annual figures all ask here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tacli.standards.spec import Limit, Spec

from tacli.core.dates import add_days
from tacli.domain.frameworks import evidence_frameworks, feature_frameworks
from tacli.standards.vocabulary import OUTCOME_EVIDENCE_DAYS


@dataclass(frozen=True)
class Rung:
    """One level of the ladder: the level, and the engagement's entries at it, by date."""

    level: Any  # the standards' Item
    entries: tuple  # the Outcome entries, by date

    @property
    def latest(self) -> Optional[date]:
        return self.entries[-1].date if self.entries else None


def entries(engagement: Any, until: Optional[date] = None, since: Optional[date] = None) -> list:
    """The engagement's outcome entries dated from `since` through `until`, by date (file order on a day)."""
    return [entry for _, entry in sorted(enumerate(engagement.outcomes), key=lambda pair: (pair[1].date, pair[0]))
            if (until is None or entry.date <= until) and (since is None or entry.date >= since)]


def level_title(spec: "Spec", level_id: str) -> str:
    """The evidence level's title (its label), or its id when the standards do not define it."""
    level = next((item for item in spec.every("evidence_levels") if item.id == level_id), None)
    return level.label if level is not None else level_id


def ladder(spec: "Spec", engagement: Any, until: Optional[date] = None) -> list[Rung]:
    """Every evidence level of the standards, lowest first, each with the
    engagement's entries at it (up to `until`)."""
    found = entries(engagement, until)
    return [Rung(level, tuple(entry for entry in found if entry.level == level.id)) for level in spec.every("evidence_levels")]


def highest(spec: "Spec", engagement: Any, until: Optional[date] = None, since: Optional[date] = None) -> Optional[str]:
    """The id of the highest level with evidence (None: none)."""
    rank = spec.evidence_rank
    levels = [entry.level for entry in entries(engagement, until, since) if entry.level in rank]
    return max(levels, key=rank.__getitem__) if levels else None


def reaches(spec: "Spec", engagement: Any, level: str, until: Optional[date] = None) -> bool:
    """Whether there is evidence at `level` or a level above it."""
    rank = spec.evidence_rank
    top = highest(spec, engagement, until)
    return top is not None and level in rank and rank[top] >= rank[level]


def above_lowest(spec: "Spec", engagement: Any, until: Optional[date] = None) -> bool:
    """Whether there is evidence above the lowest level (Guskey: above the participants' reactions)."""
    top = highest(spec, engagement, until)
    return top is not None and spec.evidence_rank[top] > 0


def evidence_limit(spec: "Spec", engagement: Any) -> Optional["Limit"]:
    """The limit by which intensive TA shows outcome evidence and a fidelity result
    (Fixsen: 180 days from the start), when it applies."""
    return spec.limit(OUTCOME_EVIDENCE_DAYS, [f.id for f in feature_frameworks(spec, engagement)]) if feature_frameworks(spec, engagement) else None


def evidence_due(spec: "Spec", engagement: Any) -> Optional[date]:
    """The day by which intensive TA shows outcome evidence and a fidelity result (None when no limit applies)."""
    limit = evidence_limit(spec, engagement)
    return add_days(engagement.start, int(limit.value)) if limit is not None else None


def fidelity_results(engagement: Any, until: Optional[date] = None) -> list:
    """The fidelity reviews with a result (a score), by date."""
    reviews = engagement.intensive.fidelity_reviews if engagement.intensive is not None else []
    return sorted((review for review in reviews if review.score is not None and (until is None or review.date <= until)), key=lambda review: review.date)


def records_evidence(spec: "Spec", engagement: Any) -> bool:
    """Whether the engagement lists a framework of evidence levels (its outcomes are checked)."""
    return bool(evidence_frameworks(spec, engagement))
