"""Numbers as readers write them, and as data."""

from __future__ import annotations

import math
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
