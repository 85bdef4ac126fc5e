"""'Did you mean' suggestions for unknown keys, ids and values."""

from __future__ import annotations

import difflib

from tacli.core.outcome import UsageError


def did_you_mean(word: str, candidates, limit: int = 1) -> str:
    """A ' did you mean ...?' clause, or '' when nothing is close."""
    candidates = [str(c) for c in candidates]
    close = difflib.get_close_matches(str(word), candidates, n=limit, cutoff=0.6)
    if not close:
        lowered = str(word).lower()
        close = [c for c in candidates if lowered and (lowered in c or c.endswith(lowered))][:limit]
    if not close:
        return ""
    return " did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def known_list(values, most: int = 8) -> str:
    values = [str(v) for v in values]
    shown = ", ".join(values[:most])
    return shown + (f" (and {len(values) - most} more)" if len(values) > most else "")


def choice(value: str, allowed, label: str) -> str:
    """`value` as it is written in `allowed` (in any case: TARGETED is targeted),
    else a usage error with a suggestion."""
    if value in allowed:
        return value
    folded = {name.casefold(): name for name in allowed}
    if value.casefold() in folded:
        return folded[value.casefold()]
    hint = did_you_mean(value, allowed) or f" known: {known_list(allowed, 12)}."
    raise UsageError(f"unknown {label} '{value}':{hint}")
