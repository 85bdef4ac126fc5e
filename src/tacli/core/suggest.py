"""'Did you mean' suggestions for unknown keys, ids and values."""

from __future__ import annotations

import difflib
import re
from typing import Mapping, Optional

from tacli.core.outcome import UsageError


def did_you_mean(word: str, candidates, limit: int = 1) -> str:
    """A ' did you mean ...?' clause, or '' when nothing is close."""
    candidates = [str(c) for c in candidates]
    close = difflib.get_close_matches(str(word), candidates, n=limit, cutoff=0.6)
    if not close:  # as people type it: FACILITATORS, site_vist
        folded: dict[str, str] = {}
        for candidate in candidates:
            folded.setdefault(normal(candidate), candidate)
        close = [folded[c] for c in difflib.get_close_matches(normal(word), folded, n=limit, cutoff=0.6)]
    if not close:
        lowered = normal(word)
        close = [c for c in candidates if lowered and (lowered in normal(c) or normal(c).endswith(lowered))][:limit]
    if not close:
        return ""
    return " did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def known_list(values, most: int = 8) -> str:
    values = [str(v) for v in values]
    shown = ", ".join(values[:most])
    return shown + (f" (and {len(values) - most} more)" if len(values) > most else "")


def normal(name: str) -> str:
    """A name folded as people may type it: case, spaces, hyphens, underscores
    and slashes do not count ("Data Teams", "data_teams" and "data-teams" are one)."""
    return re.sub(r"[\s_/-]+", "-", str(name).casefold()).strip("-")


def matches(value: str, allowed, titles: Optional[Mapping[str, str]] = None) -> list[str]:
    """The names of `allowed` that `value` stands for: itself (or the name whose
    title it is, `titles` mapping titles to names); else the same in any case
    (TARGETED is targeted); else the same folded by `normal` (`site visit` is
    site-visit, `District/School Leadership` is leadership). Two or more: it is
    not clear which."""
    names = {str(name): str(name) for name in allowed}
    spoken = {**{str(title): str(name) for title, name in (titles or {}).items()}, **names}
    if value in spoken:
        return [spoken[value]]
    for same in (str.casefold, normal):
        found = list(dict.fromkeys(name for said, name in spoken.items() if same(said) == same(value)))
        if found:
            return found
    return []


def choice(value: str, allowed, label: str, titles: Optional[Mapping[str, str]] = None) -> str:
    """`value` as it is written in `allowed` (in any case, with spaces or
    underscores for hyphens: `Data Teams` is data-teams; or its title, from
    `titles`), else a usage error with a suggestion; a value that could be two
    of them is refused, naming both."""
    found = matches(value, allowed, titles)
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(f"{label} '{value}' could be {' or '.join(repr(name) for name in found)}: type one of them as it is written")
    hint = did_you_mean(value, allowed) or f" known: {known_list(allowed, 12)}."
    raise UsageError(f"unknown {label} '{value}':{hint}")
