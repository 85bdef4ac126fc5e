"""Numbers as readers write them, and as data."""

from __future__ import annotations

import math
import re
from typing import Any, Optional


def number(value: Any) -> str:
    """A number as a reader writes it: 3.0 -> "3", 2.5 -> "2.5", 1234567.5 -> "1234567.5"."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        shortest = repr(value)
        if "e" in shortest and not value.is_integer() and 1e-30 < abs(value):  # 1e-07 -> 0.0000001: a number to every reader, YAML 1.1 too
            from decimal import Decimal

            return format(Decimal(shortest), "f")
        return shortest
    return str(value)


def numeric(value: Any) -> Any:
    """A number for data (JSON, spreadsheets): 9, not 9.0; None stays None."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return int(value)
    return value




# Figures are rounded one way everywhere, halves up, as the dashboard's script
# rounds them in the browser (site.js: fmt, pct), so a page, a report and the
# terminal never show the same figure two ways.


def hours_rounded(value: float) -> float:
    """Hours to two decimals at most, halves up."""
    return math.floor(value * 100 + 0.5) / 100


def hours_text(value: Optional[float]) -> str:
    """Hours as readers see them: "2.5", "1.33" ("" for none)."""
    return "" if value is None else number(hours_rounded(value))


def percent_number(ratio: float) -> float:
    """A share (0 to 1) as a percentage to one decimal, halves up: 2/3 -> 66.7."""
    return math.floor(ratio * 1000 + 0.5) / 10


def percent_text(ratio: Optional[float]) -> Optional[str]:
    """A share (0 to 1) as readers see it: "66.7%" (None for none)."""
    return None if ratio is None else number(percent_number(ratio)) + "%"


def share(part: Optional[float], whole: Optional[float]) -> Optional[float]:
    """`part` of `whole`, 0 to 1 (None when either is unknown or the whole is 0)."""
    return part / whole if part is not None and whole else None


MAX_SERVICE_HOURS = 24  # the hours of one service: one day at most
MAX_FORMS = 100_000  # the evaluation forms of one service: far more than a session has participants (a slip of the keyboard is not a figure)

_HOUR_WORDS = r"(?:h|hrs?|hours?)"
_MINUTE_WORDS = r"(?:m|mins?|minutes?)"
_AMOUNT = r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)"  # 1e-07 too: a number as tacli writes it
_HOURS_FORMS = (  # (pattern, hours and minutes of a match, whether the minutes are those of an hour begun)
    (re.compile(_AMOUNT), lambda m: (float(m[1]), 0.0), False),  # 1.5
    (re.compile(rf"{_AMOUNT} ?{_HOUR_WORDS}"), lambda m: (float(m[1]), 0.0), False),  # 2h, 2 hours
    (re.compile(rf"{_AMOUNT} ?{_MINUTE_WORDS}"), lambda m: (0.0, float(m[1])), False),  # 90 min
    (re.compile(rf"(\d+) ?{_HOUR_WORDS},? ?(?:and )?(\d+) ?(?:{_MINUTE_WORDS})?"), lambda m: (float(m[1]), float(m[2])), True),  # 1h30, 1 hour 30 minutes
    (re.compile(r"(\d+):(\d\d)"), lambda m: (float(m[1]), float(m[2])), True),  # 1:30
)


def parse_hours(value, name: str = "the hours") -> float:
    """Hours as a person types them: 1.5 (or 1,5), 2h, "2 h", "2 hours", "90 min",
    1h30, "1 hour 30 minutes", 1:30; a number is taken as it is. Minutes are turned
    into hours to two decimals (100 min is 1.67). Between 0 and
    MAX_SERVICE_HOURS, else a usage error that says what to write."""
    from tacli.core.outcome import UsageError

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        hours = float(value)
        shown = number(hours)
    else:
        shown = str(value)
        words = re.sub(r"(?<=\d),(?=\d)", ".", " ".join(shown.lower().split()))  # 1,5 is 1.5: hours have no thousands
        for pattern, parts, begun in _HOURS_FORMS:
            match = pattern.fullmatch(words)
            if match:
                whole, minutes = parts(match)
                if begun and minutes >= 60:
                    raise UsageError(f"{name} '{shown}': {number(minutes)} minutes is an hour or more: write e.g. 1h30 or 1.5")
                hours = whole + minutes / 60 if not minutes else round(whole + minutes / 60, 2)
                break
        else:
            raise UsageError(f"{name} '{shown}' is not a number of hours: write e.g. 1.5, 2h, 90 min or 1h30")
    if not 0 <= hours <= MAX_SERVICE_HOURS:  # NaN too
        raise UsageError(f"{name} '{shown}' is not between 0 and {MAX_SERVICE_HOURS} hours: give the hours of this one service")
    return hours
