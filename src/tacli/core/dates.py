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
from typing import Optional

from tacli.core.outcome import UsageError


# How far ahead a list of what is due looks unless told otherwise: `tacli due`
# (its --within) and the dashboard's list of what is overdue or coming. Not the
# reports' "due soon", which is the standards' `due_soon_days`.
LOOK_AHEAD_DAYS = 7
CALENDAR_DAYS = 90  # what falls due within this many days goes into `tacli due --format ics`: a calendar holds the weeks ahead, a term


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
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")


class AmbiguousDay(UsageError):
    """A day typed so that it reads two ways (12/8/2026: 8 December or 12 August;
    "tuesday": the last or the next). A question asks back which one (`readings`,
    each with its words); elsewhere it is a usage error that names both."""

    def __init__(self, name: str, value: str, readings: tuple[tuple[date, str], ...]):
        either = " or ".join(words for _, words in readings)
        super().__init__(f"{name} '{value}' could be {either}: write it as YYYY-MM-DD ({' or '.join(day.isoformat() for day, _ in readings)})")
        self.value = value
        self.readings = readings


def day_words(day: date) -> str:
    """A day as a reader says it, with no doubt about which is the month: "8 December 2026"."""
    return f"{day.day} {MONTHS[day.month - 1].capitalize()} {day.year:04d}"


def parse_date(value: str, name: str) -> date:
    """A YYYY-MM-DD option value, or a usage error that names the option: a day
    written so that is not in the calendar (2026-02-30) is said to be one."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # date.fromisoformat takes 20261122 and 2026-W47 too
        raise UsageError(f"{name} '{value}' is not a date: write YYYY-MM-DD" if value.strip() else f"{name} is empty: write YYYY-MM-DD, or leave it out for today")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{name} '{value}' is not a real date: give a day that exists, as YYYY-MM-DD") from None


_HOW_TO = "write YYYY-MM-DD, or today, yesterday, '3 days ago', 'last tuesday', '8 December 2026'"
_NUMBERS = re.compile(r"(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})")


def _month(word: str) -> Optional[int]:
    """1 to 12 for a month's name or its first three letters or more ("Dec", "sept")."""
    word = word.rstrip(".")
    if len(word) < 3:
        return None
    found = [number for number, name in enumerate(MONTHS, 1) if name.startswith(word)]
    return found[0] if len(found) == 1 else None


def _real(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _in_numbers(value: str, name: str) -> Optional[date]:
    """A day written in numbers with slashes, dots or hyphens: 2026/12/08 (year
    first); 12/25/2026 and 25/12/2026, which read one way only; 8/8/2026, the same
    either way. 12/8/2026 reads two ways: AmbiguousDay. None when it is not that shape."""
    match = _NUMBERS.fullmatch(value)
    if not match:
        return None
    first, _, second, third = match.groups()
    if len(first) == 4:
        day = _real(int(first), int(second), int(third))
        if day is None:
            raise UsageError(f"{name} '{value}' is not a real date: write YYYY-MM-DD")
        return day
    if len(third) != 4:
        raise UsageError(f"{name} '{value}': write the year in full (YYYY-MM-DD, or e.g. 25/12/2026)")
    year = int(third)
    readings = {day for day in (_real(year, int(first), int(second)), _real(year, int(second), int(first))) if day is not None}
    if not readings:
        raise UsageError(f"{name} '{value}' is not a real date: write YYYY-MM-DD")
    if len(readings) == 2:  # month first (12/8: 8 December), then day first (12 August)
        month_first, day_first = _real(year, int(first), int(second)), _real(year, int(second), int(first))
        raise AmbiguousDay(name, value, ((month_first, day_words(month_first)), (day_first, day_words(day_first))))
    return readings.pop()


def readings_of(value: str) -> tuple[date, ...]:
    """The days a date written another way than YYYY-MM-DD in a file stands for
    (11/20/2026, 20.11.2026, "20 November 2026"): one, or two for 12/8/2026;
    none when it names no day of its own (no year, a weekday, "yesterday"). A
    finding can then say what to write."""
    words = " ".join(str(value).lower().split())
    try:
        found = _in_numbers(words, "") or (_in_words(words, "", value, date.min) if re.search(r"\b\d{4}\b", words) else None)
    except AmbiguousDay as exc:
        return tuple(day for day, _ in exc.readings)
    except UsageError:
        return ()
    return (found,) if found is not None else ()


def _in_words(words: str, name: str, value: str, today: date) -> Optional[date]:
    """"8 December 2026", "December 8, 2026", "Dec 8 2026", "8th dec 2026"; None when not that shape."""
    parts = words.replace(",", " ").split()
    if len(parts) not in (2, 3):
        return None
    ordinal = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
    if ordinal.fullmatch(parts[0]) and _month(parts[1]):
        day, month, rest = ordinal.fullmatch(parts[0]).group(1), _month(parts[1]), parts[2:]
    elif _month(parts[0]) and ordinal.fullmatch(parts[1]):
        day, month, rest = ordinal.fullmatch(parts[1]).group(1), _month(parts[0]), parts[2:]
    else:
        return None
    if not rest:
        if _real(2000, month, int(day)) is None:  # 31 February, in any year
            raise UsageError(f"{name} '{value}' is not a real date: write YYYY-MM-DD")
        raise UsageError(f"{name} '{value}' has no year: write it too ('{words} {today.year}'), or YYYY-MM-DD")
    if not re.fullmatch(r"\d{4}", rest[0]):
        raise UsageError(f"{name} '{value}': write the year in full (four digits), or YYYY-MM-DD")
    found = _real(int(rest[0]), month, int(day))
    if found is None:
        raise UsageError(f"{name} '{value}' is not a real date: write YYYY-MM-DD")
    return found


def parse_day(value: str, name: str, today: date) -> date:
    """A day as a person types it: YYYY-MM-DD, today, yesterday, tomorrow,
    "3 days ago", "in 2 days", "last tuesday", "next friday" (from `today`),
    "8 December 2026", "Dec 8, 2026", 2026/12/08, and 25/12/2026 or 12/25/2026
    (one reading only). 12/8/2026 and "tuesday" read two ways: AmbiguousDay, a
    usage error that names both. A day in words that falls outside the calendar
    is refused, never moved."""
    words = " ".join(value.lower().split())
    relative = {"today": 0, "yesterday": -1, "tomorrow": 1}
    offset = None
    if words in relative:
        offset = relative[words]
    match = re.fullmatch(r"(\d{1,4}) days? ago|in (\d{1,4}) days?", words)
    if match:
        offset = -int(match.group(1)) if match.group(1) else int(match.group(2))
    match = re.fullmatch(r"(last|next|this) (\w+)", words)
    if match and match.group(2) in WEEKDAYS:
        if match.group(1) == "this":
            raise _either_weekday(name, value, match.group(2), today)
        step = -1 if match.group(1) == "last" else 1
        offset = step * (((WEEKDAYS.index(match.group(2)) - today.weekday()) * step - 1) % 7 + 1)
    if words in WEEKDAYS:
        raise _either_weekday(name, value, words, today)
    if offset is not None:
        day = add_days(today, offset)
        if days_between(today, day) != offset:
            raise UsageError(f"{name} '{value}' from {today} falls outside the calendar (0001-01-01 to 9999-12-31): write the day as YYYY-MM-DD")
        return day
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        pass
    found = _in_numbers(words, name) or _in_words(words, name, value, today)
    if found is None:
        raise UsageError(f"{name} '{value}' is not a date: {_HOW_TO}")
    return found


def _either_weekday(name: str, value: str, weekday: str, today: date) -> UsageError:
    """"tuesday" alone: the last one (today, if today is a Tuesday) or the next one."""
    back = (today.weekday() - WEEKDAYS.index(weekday)) % 7
    ahead = (WEEKDAYS.index(weekday) - today.weekday() - 1) % 7 + 1
    readings = []
    for offset, words in ((-back, "today" if back == 0 else f"last {weekday}"), (ahead, f"next {weekday}")):
        day = add_days(today, offset)
        if days_between(today, day) == offset:
            readings.append((day, f"{words} ({day_words(day)})"))
    if len(readings) == 1:
        return UsageError(f"{name} '{value}': write '{readings[0][1].split(' (')[0]}', or YYYY-MM-DD")
    if not readings:
        return UsageError(f"{name} '{value}' from {today} falls outside the calendar (0001-01-01 to 9999-12-31): write the day as YYYY-MM-DD")
    return AmbiguousDay(name, value, tuple(readings))
