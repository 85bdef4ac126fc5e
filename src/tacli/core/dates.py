"""Dates: arithmetic that stays inside the calendar, spans as readers say them,
and days as people type them.

Python's calendar runs from 0001-01-01 to 9999-12-31, and valid engagements
use all of it. Every date tacli works out goes through `add_days`: a day
past 9999-12-31 is 9999-12-31, a day before 0001-01-01 is 0001-01-01, so no
command fails on a date near either end.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from tacli.core.outcome import UsageError


# How far ahead a list of what is due looks unless told otherwise: `tacli due`
# (its --within) and the dashboard's list of what is overdue or coming. Not the
# reports' "due soon", which is the standards' `due_soon_days`.
LOOK_AHEAD_DAYS = 7


def add_days(day: date, days: int) -> date:
    """`day` moved by `days`, held inside the calendar (date.min to date.max)."""
    if days >= 0:
        return day + timedelta(days=days) if days <= (date.max - day).days else date.max
    return day + timedelta(days=days) if -days <= (day - date.min).days else date.min


def days_between(start: date, end: date) -> int:
    """Days from `start` to `end` (negative when `end` comes first)."""
    return (end - start).days


_BEYOND = date.max.toordinal() + 1  # 10000-01-01, the day after the calendar ends


def _anniversary(start: date, months: int) -> int:
    """The day number (`toordinal`) of `start` moved by whole `months`, on the same
    day or the month's last (31 January + 1 month is 28 or 29 February).
    10000-01-01 is the day after 9999-12-31; later days count as never."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if year > 9999:
        return _BEYOND if (year, month, start.day) == (10000, 1, 1) else 1 << 62
    return date(year, month, min(start.day, _month_length(year, month))).toordinal()


def _month_length(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def _whole_months(start: date, end: date) -> tuple[int, int]:
    """The whole months from `start` to the day after `end`, and that day's number:
    a month is whole once its anniversary (`_anniversary`) is reached."""
    following = end.toordinal() + 1
    ymd = (10000, 1, 1) if following == _BEYOND else date.fromordinal(following).timetuple()[:3]
    months = (ymd[0] - start.year) * 12 + ymd[1] - start.month
    while months > 0 and _anniversary(start, months) > following:
        months -= 1
    return months, following


def calendar_span(start: date, end: date) -> tuple[int, int, int]:
    """(years, months, days) from `start` through `end`, its last day included:
    2021-09-01 to 2026-09-01 is 5 years and 1 day; 2024-02-29 to 2025-02-27 is
    1 year (the anniversary of 29 February is the last day of February)."""
    months, following = _whole_months(start, end)
    return months // 12, months % 12, following - _anniversary(start, months)


def span_years(start: date, end: date) -> float:
    """Years from `start` through `end` (its last day included), the part-year a
    fraction of the year it falls in: 2026-09-01 to 2028-08-31 is 2 years, whatever
    the leap days; 2 years and 1 day is a little over 2. The whole years are those
    of `calendar_span`, so a span said in words and counted in years agree."""
    months, following = _whole_months(start, end)
    years = months // 12
    anchor, next_anchor = _anniversary(start, 12 * years), _anniversary(start, 12 * (years + 1))
    year_length = next_anchor - anchor if next_anchor <= _BEYOND else 365.2425  # the next anniversary is past the calendar
    return years + (following - anchor) / year_length


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
    "3 days ago", "in 2 days", "last tuesday", "next friday" (from `today`).
    A day in words that falls outside the calendar is refused, never moved."""
    words = " ".join(value.lower().split())
    relative = {"today": 0, "yesterday": -1, "tomorrow": 1}
    offset = None
    if words in relative:
        offset = relative[words]
    match = re.fullmatch(r"(\d{1,4}) days? ago|in (\d{1,4}) days?", words)
    if match:
        offset = -int(match.group(1)) if match.group(1) else int(match.group(2))
    match = re.fullmatch(r"(last|next) (\w+)", words)
    if match and match.group(2) in WEEKDAYS:
        step = -1 if match.group(1) == "last" else 1
        offset = step * (((WEEKDAYS.index(match.group(2)) - today.weekday()) * step - 1) % 7 + 1)
    if offset is not None:
        day = add_days(today, offset)
        if days_between(today, day) != offset:
            raise UsageError(f"{name} '{value}' from {today} falls outside the calendar (0001-01-01 to 9999-12-31): write the day as YYYY-MM-DD")
        return day
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{name} '{value}' is not a date: write YYYY-MM-DD, or today, yesterday, '3 days ago', 'last tuesday'") from None
