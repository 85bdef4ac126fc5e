"""Dates that stay inside the calendar (tacli.core.dates): the one clamped
arithmetic every command uses, spans in words and in years that agree, and
days as people type them; school years at the ends of the calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tacli.core.dates import add_days, calendar_span, parse_day, span_text, span_years
from tacli.core.outcome import UsageError
from tacli.domain.school_years import school_year, school_year_dates, school_years

DAYS = st.dates(min_value=date.min, max_value=date.max)


@given(DAYS, st.integers(-10**7, 10**7))
def test_add_days_never_leaves_the_calendar(day, days):
    moved = add_days(day, days)
    assert date.min <= moved <= date.max
    try:
        exact = day + timedelta(days=days)
    except OverflowError:
        assert moved == (date.max if days > 0 else date.min)
    else:
        assert moved == exact


@pytest.mark.parametrize("start, end, words, years", [
    (date(2021, 9, 1), date(2026, 9, 1), "5 years and 1 day", None),
    (date(2026, 9, 1), date(2028, 8, 31), "2 years", 2.0),
    (date(2024, 2, 29), date(2025, 2, 27), "1 year", 1.0),  # 29 February's anniversary is the last day of February
    (date(2024, 2, 29), date(2025, 2, 26), "11 months and 29 days", None),
    (date(2026, 1, 31), date(2026, 2, 27), "1 month", None),
    (date(2026, 9, 1), date(2026, 9, 1), "1 day", None),
    (date.min, date.max, "9999 years", 9999.0),  # the last day of the calendar counts too
    (date(2026, 9, 1), date.max, "7973 years and 4 months", None),
    (date(9999, 12, 2), date.max, "30 days", None),
])
def test_spans_in_words_and_in_years(start, end, words, years):
    assert span_text(start, end) == words
    if years is not None:
        assert span_years(start, end) == years


@given(DAYS, st.integers(0, 4000))
def test_a_span_in_years_agrees_with_the_span_in_words(start, length):
    end = add_days(start, length)
    whole, months, days = calendar_span(start, end)
    counted = span_years(start, end)
    assert whole <= counted < whole + 1 or (months, days) == (0, 0) and counted == whole
    assert (months, days) != (0, 0) or counted == whole
    assert 0 <= months < 12 and 0 <= days <= 31


@given(DAYS, st.integers(0, 400), st.integers(1, 400))
def test_a_longer_span_is_never_fewer_years(start, length, more):
    end = add_days(start, length)
    assert span_years(start, add_days(end, more)) >= span_years(start, end)


@pytest.mark.parametrize("words, day", [
    ("today", date(2026, 12, 6)), ("yesterday", date(2026, 12, 5)), ("Tomorrow", date(2026, 12, 7)),
    ("3 days ago", date(2026, 12, 3)), ("in 2 days", date(2026, 12, 8)),
    ("last monday", date(2026, 11, 30)), ("next monday", date(2026, 12, 7)),
    ("last sunday", date(2026, 11, 29)), ("next sunday", date(2026, 12, 13)),  # 2026-12-06 is a Sunday
    ("2026-10-01", date(2026, 10, 1)),
])
def test_days_as_people_type_them(words, day):
    assert parse_day(words, "--date", date(2026, 12, 6)) == day


@pytest.mark.parametrize("words, today", [("yesterday", date.min), ("last tuesday", date.min), ("9999 days ago", date(2, 1, 1)), ("tomorrow", date.max), ("next friday", date.max)])
def test_a_day_in_words_outside_the_calendar_is_refused_not_moved(words, today):
    with pytest.raises(UsageError, match="falls outside the calendar"):
        parse_day(words, "--date", today)


def test_school_years_at_the_ends_of_the_calendar():
    assert school_year(date(2026, 9, 1)) == "2026-27" and school_year(date(2027, 6, 30)) == "2026-27"
    assert school_year(date.max) == "9999-00" and school_year(date.min) == "0000-01"
    assert school_year_dates("2026-27") == (date(2026, 7, 1), date(2027, 6, 30))
    assert school_year_dates("9999-00") == (date(9999, 7, 1), date.max)
    assert school_year_dates("0000-01") == (date.min, date(1, 6, 30))
    assert school_years(date(9999, 1, 1), date.max) == ["9998-99", "9999-00"]


@given(DAYS)
def test_every_day_lies_in_its_school_year(day):
    first, last = school_year_dates(school_year(day))
    assert first <= day <= last


def test_an_end_far_ahead_is_shown_until_the_school_year_after_today():
    """9999-12-31 as "no end yet" must not list thousands of empty school years."""
    from tacli.domain.school_years import shown_until

    today = date(2026, 11, 22)
    assert shown_until(date(2026, 9, 1), date.max, [date(2026, 10, 1)], today) == date(2028, 6, 30)
    assert shown_until(date(2026, 9, 1), date(2027, 6, 15), [], today) == date(2027, 6, 15)  # a real end stays
    assert shown_until(date(2026, 9, 1), None, [], today) == date(2026, 9, 1)  # no end: its start
    assert shown_until(date(2026, 9, 1), date.max, [date(2031, 1, 5)], today) == date(2032, 6, 30)  # a service planned later
    assert shown_until(date(9999, 1, 1), date.max, [], date.max) == date.max
    assert len(school_years(date(2026, 9, 1), shown_until(date(2026, 9, 1), date.max, [], today))) == 2
