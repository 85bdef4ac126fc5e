"""What people type, understood where it is unambiguous and refused, naming
the readings, where it is not: hours (tacli.core.numbers.parse_hours), days
(tacli.core.dates.parse_day) and the ids of the standards (tacli.core.suggest)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tacli.core.dates import AmbiguousDay, day_words, parse_day
from tacli.core.numbers import number, parse_hours
from tacli.core.outcome import UsageError
from tacli.core.suggest import choice, matches, normal

TODAY = date(2026, 12, 6)  # a Sunday
DAYS = st.dates(min_value=date.min, max_value=date.max)


# hours


@pytest.mark.parametrize("typed, hours", [
    ("2", 2.0), ("1.5", 1.5), (".5", 0.5), ("1,5", 1.5), ("2h", 2.0), ("2 h", 2.0), ("2 hours", 2.0), ("1 hour", 1.0),
    ("2hrs", 2.0), ("1.5h", 1.5), ("90 min", 1.5), ("45m", 0.75), ("100 minutes", 1.67), ("1h30", 1.5), ("1h30m", 1.5),
    ("1 h 30", 1.5), ("1 hour 30 minutes", 1.5), ("1 hour and 30 minutes", 1.5), ("1 hr, 30 min", 1.5), ("1:30", 1.5),
    ("0:45", 0.75), ("  3  ", 3.0), ("24", 24.0), ("0", 0.0), (1.25, 1.25),
])
def test_hours_as_people_type_them(typed, hours):
    assert parse_hours(typed, "--hours") == hours


@pytest.mark.parametrize("typed, problem", [
    ("lots", "is not a number of hours: write e.g. 1.5, 2h, 90 min or 1h30"),
    ("", "is not a number of hours"),
    ("nan", "is not a number of hours"),
    ("1e2", "is not between 0 and 24 hours"),
    ("25", "is not between 0 and 24 hours: give the hours of this one service"),
    ("-1", "is not between 0 and 24 hours"),
    ("25 hours", "is not between 0 and 24 hours"),
    ("1h60", "60 minutes is an hour or more: write e.g. 1h30 or 1.5"),
    ("0:75", "75 minutes is an hour or more"),
    (float("nan"), "is not between 0 and 24 hours"),
])
def test_hours_that_are_not_hours_say_what_to_write(typed, problem):
    with pytest.raises(UsageError, match=problem.replace(".", r"\.")) as refused:
        parse_hours(typed, "--hours")
    assert str(refused.value).startswith("--hours '") and "\n" not in str(refused.value)


@given(st.text(max_size=40))
def test_the_hours_parser_never_fails_on_any_text(typed):
    try:
        hours = parse_hours(typed, "--hours")
    except UsageError as refused:
        assert "\n" not in str(refused) or "\n" in typed
    else:
        assert 0 <= hours <= 24


@given(st.floats(min_value=0, max_value=24))
def test_hours_as_the_file_writes_them_read_back_the_same(hours):
    assert parse_hours(number(hours), "--hours") == hours


@given(st.integers(0, 23), st.integers(0, 59))
def test_hours_and_minutes_in_every_form_agree(whole, minutes):
    expected = round(whole + minutes / 60, 2) if minutes else float(whole)
    for typed in (f"{whole}h{minutes:02d}", f"{whole}:{minutes:02d}", f"{whole} hours {minutes} minutes", f"{whole * 60 + minutes} min"):
        assert parse_hours(typed) == expected, typed


# days


@pytest.mark.parametrize("typed, day", [
    ("2026-12-08", date(2026, 12, 8)), (" 2026-12-08 ", date(2026, 12, 8)), ("2026/12/08", date(2026, 12, 8)),
    ("12/25/2026", date(2026, 12, 25)), ("25/12/2026", date(2026, 12, 25)), ("25.12.2026", date(2026, 12, 25)), ("8/8/2026", date(2026, 8, 8)),
    ("8 December 2026", date(2026, 12, 8)), ("December 8, 2026", date(2026, 12, 8)), ("dec 8 2026", date(2026, 12, 8)),
    ("8th Dec 2026", date(2026, 12, 8)), ("Sept 1 2026", date(2026, 9, 1)),
    ("today", TODAY), ("yesterday", date(2026, 12, 5)), ("3 days ago", date(2026, 12, 3)), ("last tuesday", date(2026, 12, 1)),
])
def test_days_as_people_type_them(typed, day):
    assert parse_day(typed, "--date", TODAY) == day


def test_a_day_that_reads_two_ways_is_refused_naming_both():
    with pytest.raises(AmbiguousDay) as refused:
        parse_day("12/8/2026", "--date", TODAY)
    assert str(refused.value) == "--date '12/8/2026' could be 8 December 2026 or 12 August 2026: write it as YYYY-MM-DD (2026-12-08 or 2026-08-12)"
    assert [day for day, _ in refused.value.readings] == [date(2026, 12, 8), date(2026, 8, 12)]
    with pytest.raises(AmbiguousDay, match=r"could be last tuesday \(1 December 2026\) or next tuesday \(8 December 2026\)"):
        parse_day("tuesday", "--date", TODAY)
    with pytest.raises(AmbiguousDay, match=r"could be today \(6 December 2026\) or next sunday"):
        parse_day("Sunday", "--date", TODAY)


@pytest.mark.parametrize("typed, problem", [
    ("12/8/26", "write the year in full"),
    ("dec 8", "has no year: write it too ('dec 8 2026'), or YYYY-MM-DD"),
    ("31 feb", "is not a real date"),
    ("31/31/2026", "is not a real date"),
    ("2026-02-29", "is not a real date"),
    ("soon", "is not a date: write YYYY-MM-DD, or today, yesterday"),
])
def test_a_day_that_is_no_day_says_what_to_write(typed, problem):
    with pytest.raises(UsageError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_day(typed, "--date", TODAY)


def test_a_day_in_words_outside_the_calendar_is_refused():
    with pytest.raises(UsageError, match="falls outside the calendar"):
        parse_day("yesterday", "--date", date.min)
    with pytest.raises(UsageError, match="write 'next sunday', or YYYY-MM-DD"):
        parse_day("sunday", "--date", date.min)  # 0001-01-01 is a Monday: the last Sunday is before the calendar


@given(st.text(max_size=30), DAYS)
def test_the_day_parser_never_fails_on_any_text(typed, today):
    try:
        day = parse_day(typed, "--date", today)
    except AmbiguousDay as refused:
        assert len(refused.readings) == 2 and all(date.min <= day <= date.max for day, _ in refused.readings)
    except UsageError:
        pass
    else:
        assert date.min <= day <= date.max


@given(DAYS, DAYS)
def test_a_day_written_in_full_reads_back_the_same(day, today):
    assert parse_day(day.isoformat(), "--date", today) == day
    assert parse_day(day_words(day), "--date", today) == day
    assert parse_day(f"{day.year:04d}/{day.month}/{day.day}", "--date", today) == day
    slashed = f"{day.day}/{day.month}/{day.year:04d}"
    if day.day > 12 or day.day == day.month:
        assert parse_day(slashed, "--date", today) == day
        assert parse_day(f"{day.month}/{day.day}/{day.year:04d}", "--date", today) == day
    else:
        with pytest.raises(AmbiguousDay) as refused:
            parse_day(slashed, "--date", today)
        assert day in [reading for reading, _ in refused.value.readings]


# the ids of the standards


@pytest.mark.parametrize("typed", ["data-teams", "data teams", "Data Teams", "data_teams", "DATA-TEAMS", " data  teams "])
def test_an_id_is_understood_as_people_type_it(typed):
    assert choice(typed.strip() if typed.startswith(" ") else typed, ["data-teams", "site-visit"], "topic") == "data-teams"


def test_a_typed_id_that_could_be_two_is_refused_naming_both():
    with pytest.raises(UsageError, match="topic 'a b' could be 'a-b' or 'a_b': type one of them as it is written"):
        choice("a b", ["a-b", "a_b"], "topic")
    assert choice("a_b", ["a-b", "a_b"], "topic") == "a_b"  # written as it is: no doubt
    with pytest.raises(UsageError, match="did you mean 'site-visit'"):
        choice("site vist", ["site-visit", "data-teams"], "support type")


@given(st.lists(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,3}", fullmatch=True), min_size=1, max_size=8, unique=True), st.data())
def test_an_id_with_spaces_underscores_or_capitals_is_that_id(ids, data):
    wanted = data.draw(st.sampled_from(ids))
    typed = data.draw(st.sampled_from([wanted.replace("-", " "), wanted.replace("-", "_"), wanted.upper(), wanted.title()]))
    found = matches(typed, ids)
    assert wanted in found and all(normal(other) == normal(wanted) for other in found)
