"""Dates: as people type them, spans as readers say them, and arithmetic that
stays inside the calendar (a day past 9999-12-31 is 9999-12-31)."""

from __future__ import annotations

from datetime import date, timedelta

from tacli.core.outcome import UsageError


def calendar_span(start: date, end: date) -> tuple[int, int, int]:
    """(years, months, days) from `start` through `end`, its last day included:
    2021-09-01 to 2026-09-01 is 5 years and 1 day."""
    following = end + timedelta(days=1) if end < date.max else end
    months = (following.year - start.year) * 12 + following.month - start.month
    if following.day < start.day:
        months -= 1
    anchor_month = start.month - 1 + months
    year, month = start.year + anchor_month // 12, anchor_month % 12 + 1
    anchor = date(year, month, min(start.day, _month_length(year, month)))
    return months // 12, months % 12, (following - anchor).days


def _month_length(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1) if (year, month) != (9999, 12) else date.max
    return (following - date(year, month, 1)).days + (1 if following == date.max else 0)


def span_text(start: date, end: date) -> str:
    """A span as a reader says it: "5 years and 1 day", "1 year, 11 months and 30 days"."""
    parts = [f"{count} {unit}{'s' if count != 1 else ''}" for count, unit in zip(calendar_span(start, end), ("year", "month", "day")) if count]
    if not parts:
        return "0 days"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_date(value: str, name: str, problem: str = "not a real date") -> date:
    """A YYYY-MM-DD option value, or a usage error that names the option."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{name} '{value}' is {problem}: write YYYY-MM-DD") from None


def parse_day(value: str, name: str, today: date) -> date:
    """A day as a person types it: YYYY-MM-DD, today, yesterday, tomorrow,
    "3 days ago", "in 2 days", "last tuesday", "next friday" (from `today`)."""
    import re
    from datetime import timedelta

    words = " ".join(value.lower().split())
    relative = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if words in relative:
        return today + timedelta(days=relative[words])
    match = re.fullmatch(r"(\d{1,4}) days? ago|in (\d{1,4}) days?", words)
    if match:
        return today + timedelta(days=-int(match.group(1)) if match.group(1) else int(match.group(2)))
    match = re.fullmatch(r"(last|next) (\w+)", words)
    if match and match.group(2) in WEEKDAYS:
        step = -1 if match.group(1) == "last" else 1
        day = today + timedelta(days=step)
        while day.weekday() != WEEKDAYS.index(match.group(2)):
            day += timedelta(days=step)
        return day
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{name} '{value}' is not a date: write YYYY-MM-DD, or today, yesterday, '3 days ago', 'last tuesday'") from None
