"""School years: July 1 to June 30, labelled "2026-27"."""

from __future__ import annotations

from datetime import date, timedelta


# A school year runs from July 1 to June 30 and is labelled by its two calendar
# years, "2026-27": the year US schools, districts and state programs report on.
SCHOOL_YEAR_START_MONTH = 7


def school_year(day: date) -> str:
    """The school year `day` falls in: 2026-09-01 and 2027-06-30 are in "2026-27"."""
    first = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def school_year_dates(label: str) -> tuple[date, date]:
    """The first and last day of a school year: "2026-27" is 2026-07-01 to 2027-06-30."""
    first = date(int(label[:4]), SCHOOL_YEAR_START_MONTH, 1)
    return first, date(first.year + 1, SCHOOL_YEAR_START_MONTH, 1) - timedelta(days=1)


def school_years(start: date, end: date) -> list[str]:
    """The school years from `start` through `end`, in order (none when end < start)."""
    if end < start:
        return []
    first = start.year if start.month >= SCHOOL_YEAR_START_MONTH else start.year - 1
    last = end.year if end.month >= SCHOOL_YEAR_START_MONTH else end.year - 1
    return [f"{year}-{(year + 1) % 100:02d}" for year in range(first, last + 1)]


