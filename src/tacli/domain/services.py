"""An engagement's services as people read them: in order, and who leads each."""

from __future__ import annotations

import re
from typing import Any


def in_order(services: Any) -> list:
    """The services by date; two on one day keep the order the file gives them,
    which is the order they were written down (a morning session added before
    the afternoon's stays first). Every list, table, report and page uses it."""
    return [service for _, service in indexed_in_order(services)]


def indexed_in_order(services: Any) -> list[tuple[int, Any]]:
    """(position in the file, service) of each service, in `in_order`'s order."""
    return sorted(enumerate(services), key=lambda pair: (pair[1].date, pair[0]))


def leader(service: Any, engagement: Any) -> Any:
    """Who leads a service: its own facilitator, else the engagement's."""
    return service.facilitator or engagement.provider.facilitator


def latest(services: Any) -> Any:
    """The last service in `in_order`'s order (None when there is none)."""
    ordered = in_order(services)
    return ordered[-1] if ordered else None


def folded(name: str) -> str:
    """A name as tacli compares names (people, recipients, districts): white
    space folded, in any case."""
    return " ".join(str(name).split()).casefold()


def names_person(full: str, name: str) -> bool:
    """Whether `name` is the person `full` names: the whole name, or whole words
    of it ("Dana", "Ruiz", "dana ruiz"), in any case; "Dan" is not "Jordan"."""
    wanted = folded(name)
    return bool(wanted) and re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", folded(full)) is not None
