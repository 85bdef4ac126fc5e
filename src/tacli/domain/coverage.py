"""The coverage of a service area: which recipients of a center's roster have
an engagement, which had a service lately, which priority recipients have no
TA, and the share served. `tacli check` (the roster-* rules), the site and the
annual figures all ask here.

A recipient of the roster is served by the engagements whose recipient is it:
the same kind, the same name, and the same district when both say one (names
compared with white space folded, in any case), as the figures count distinct
recipients. A district's engagement serves the district, not each of its
schools: a school is served by its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional

from tacli.core.dates import add_days
from tacli.domain.services import folded

# Without a number in the roster (`no_service_days`), a recipient whose latest
# service is more than a year old is no longer counted as served lately.
NO_SERVICE_DAYS = 365

SERVED, NO_RECENT_SERVICE, NO_ENGAGEMENT = "served", "no-recent-service", "no-engagement"


@dataclass(frozen=True)
class Served:
    """What coverage needs of one engagement: its file and id, its recipient, and its services' dates."""

    path: str
    engagement_id: str
    kind: str
    name: str
    district: str
    title_i: bool
    in_need: bool
    service_dates: tuple[date, ...]


def served_by(path: str, engagement: Any) -> Served:
    recipient = engagement.recipient
    return Served(path, engagement.id, recipient.kind, recipient.name, recipient.district or "", bool(recipient.title_i),
                  bool(recipient.in_need_of_improvement), tuple(sorted(service.date for service in engagement.services)))


def matches(entry: Any, kind: str, name: str, district: str) -> bool:
    """Whether a roster entry is this recipient: kind and name, and district when both give one."""
    if entry.kind != kind or folded(entry.name) != folded(name):
        return False
    return not (entry.district and district) or folded(entry.district) == folded(district)


def entries_of(entries: list, served: Any) -> list[int]:
    """The indexes of every roster entry the engagement's recipient could be (two
    when it gives no district and the roster has its name in two districts)."""
    return [index for index, entry in enumerate(entries) if matches(entry, served.kind, served.name, served.district)]


def entry_of(entries: list, served: Any) -> Optional[int]:
    """The index of the roster entry an engagement serves, or None when it is not
    on the roster or could be more than one entry (it is counted as serving none)."""
    found = entries_of(entries, served)
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class Covered:
    """One roster entry as of a day: the engagements that serve it, its latest service held, and its standing."""

    index: int
    entry: Any
    engagements: tuple[Served, ...]
    last_service: Optional[date]
    standing: str  # SERVED, NO_RECENT_SERVICE or NO_ENGAGEMENT

    @property
    def priority(self) -> bool:
        return bool(self.entry.priority)


def no_service_days(roster: Any) -> int:
    """The days after which a recipient's latest service no longer counts as recent: the roster's, else a year."""
    days = getattr(roster, "no_service_days", None)
    return int(days) if days is not None else NO_SERVICE_DAYS


def coverage(roster: Any, engagements: Iterable[Served], today: date) -> list[Covered]:
    """Each entry of the roster, in its order, as of `today`: served (a service
    held within the roster's days), no recent service (engagements, but no
    service held within them), or no engagement."""
    entries = list(roster.recipients)
    by_entry: dict[int, list[Served]] = {}
    for item in engagements:
        index = entry_of(entries, item)
        if index is not None:
            by_entry.setdefault(index, []).append(item)
    since = add_days(today, -no_service_days(roster))
    out = []
    for index, entry in enumerate(entries):
        mine = tuple(sorted(by_entry.get(index, []), key=lambda s: (s.engagement_id, s.path)))
        held = [day for item in mine for day in item.service_dates if day <= today]
        last = max(held) if held else None
        if not mine:
            standing = NO_ENGAGEMENT
        elif last is not None and last >= since:
            standing = SERVED
        else:
            standing = NO_RECENT_SERVICE
        out.append(Covered(index, entry, mine, last, standing))
    return out


def served_among(covered: list[Covered], flag: Optional[str] = None) -> tuple[int, int]:
    """(served, on the roster) among the roster's entries with `flag` set
    (`title_i`, `in_need_of_improvement`, `priority`), or among all of them:
    the shares the site's coverage gives, each from the standings above."""
    among = [item for item in covered if flag is None or getattr(item.entry, flag)]
    return sum(1 for item in among if item.standing == SERVED), len(among)
