"""The calendar feed is written by tacli and read back by a real iCalendar
parser (the icalendar package): whatever the text, each event says what tacli
meant, and every line is folded within 75 octets."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from tacli.output.due_feed import as_ics
from tacli.domain.obligations import Obligation
from tacli.core.textformat import visible

TODAY = date(2026, 11, 22)


def obligation(title: str, what: str, command: str, due: date = date(2026, 11, 20)) -> Obligation:
    return Obligation("report", due, what, command, "elm", title, "elm.yaml", "Dana", "Dana", service_id="s1", service_date=date(2026, 11, 13), service_label="Visit")


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=120), what=st.text(min_size=1, max_size=80), command=st.text(max_size=200))
def test_any_text_reads_back_as_written(title, what, command):
    feed = as_ics([obligation(title, what, command)], TODAY, 7)
    assert all(len(line.encode("utf-8")) <= 75 for line in feed.split("\r\n"))
    event = Calendar.from_ical(feed).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "\n".join(visible(part) for part in f"Overdue: {what} · {title}".split("\n"))
    assert str(event["DESCRIPTION"]).endswith("Record it with: " + "\n".join(visible(part) for part in command.split("\n")))
    assert event["DTSTART"].dt == date(2026, 11, 20) and event["DTEND"].dt == date(2026, 11, 21)
    assert str(event["UID"]) == "report-elm-s1@tacli"


def test_the_feed_is_the_same_bytes_and_names_who_it_is_for():
    items = [obligation("Elm, Street; School", "TAST Report", "tacli tast elm.yaml --complete", date(2026, 11, 25))]
    feed = as_ics(items, TODAY, 7, "Dana Ruiz")
    assert feed == as_ics(items, TODAY, 7, "Dana Ruiz")
    calendar = Calendar.from_ical(feed)
    assert str(calendar["X-WR-CALNAME"]) == "tacli: due for Dana Ruiz"
    # the window it covers, which is not the lists' (a calendar looks further ahead)
    assert str(calendar["X-WR-CALDESC"]) == "What is overdue and what falls due by 2026-11-29 (within 7 days of 2026-11-22) for Dana Ruiz."
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "TAST Report · Elm, Street; School"  # not overdue: no prefix
    assert feed.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and feed.endswith("END:VCALENDAR\r\n")
