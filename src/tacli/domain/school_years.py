"""School years: July 1 to June 30, labelled "2026-27"."""

from __future__ import annotations

from datetime import date

# A school year runs from July 1 to June 30 and is labelled by its two calendar
# years, "2026-27": the year US schools, districts and state programs report on.
SCHOOL_YEAR_START_MONTH = 7


def _first_year(day: date) -> int:
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


def _label(first: int) -> str:
    return f"{first:04d}-{(first + 1) % 100:02d}"


def school_year(day: date) -> str:
    """The school year `day` falls in: 2026-09-01 and 2027-06-30 are in "2026-27"."""
    return _label(_first_year(day))


def school_year_dates(label: str) -> tuple[date, date]:
    """The first and last day of a school year: "2026-27" is 2026-07-01 to 2027-06-30.
    The years at the ends of the calendar are cut to it: "0000-01" starts on
    0001-01-01, "9999-00" ends on 9999-12-31."""
    first = int(label.split("-", 1)[0])
    start = date(first, SCHOOL_YEAR_START_MONTH, 1) if first >= 1 else date.min
    end = date(first + 1, SCHOOL_YEAR_START_MONTH - 1, 30) if first < 9999 else date.max
    return start, end


def shown_until(start: date, end: date | None, services: list[date], today: date) -> date:
    """The last day an engagement is shown on, in school years and timelines: its
    end (else its start), but no later than the end of the school year after the
    later of today and its last service. An end set far ahead (9999-12-31 for
    "no end yet") would otherwise list thousands of empty school years."""
    reached = max([today, start, *services])
    _, horizon = school_year_dates(school_year(date(reached.year + 1, reached.month, 1) if reached.year < 9999 else date.max))
    return max(start, min(end or start, horizon))


def school_years(start: date, end: date) -> list[str]:
    """The school years from `start` through `end`, in order (none when end < start)."""
    if end < start:
        return []
    return [_label(year) for year in range(_first_year(start), _first_year(end) + 1)]
