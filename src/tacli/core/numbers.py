"""Numbers as readers write them, and as data."""

from __future__ import annotations

from typing import Any


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


