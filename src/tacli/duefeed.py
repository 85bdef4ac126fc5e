"""What is due, written for people (text), scripts (JSON), spreadsheets (CSV)
and calendars (iCalendar).

The same obligations and the same day give the same bytes in every format;
calendar events keep their UID from run to run, so importing the feed again
updates its events instead of adding copies.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone
from typing import Optional

from tacli import __version__
from tacli.obligations import Obligation

JSON_VERSION = "1"
CSV_COLUMNS = ("due", "overdue", "kind", "engagement_id", "engagement_title", "service_id", "service_date", "stage", "what", "duties", "facilitator", "command", "file")
FORMATS = ("text", "json", "csv", "ics")


def _when(item: Obligation, today: date) -> str:
    days = (item.due - today).days
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    return f"due in {days} day{'s' if days != 1 else ''}"


def text(items: list[Obligation], today: date, within: int, who: str = "", width: Optional[int] = None) -> str:
    """For a person: overdue first, then by date; each with its engagement, service and command.
    At a terminal (`width`) the words wrap to fit it; a command stays whole on its line, to be copied."""
    import textwrap

    def fit(line: str, indent: str) -> list[str]:
        if width is None or len(line) <= width:
            return [line]
        return textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)

    horizon = today + timedelta(days=within)
    heading = f"Due by {horizon} (within {within} day{'s' if within != 1 else ''} of {today})" + (f" for {who}" if who else "")
    if not items:
        return f"{heading}: nothing.\n"
    lines = [heading, ""]
    overdue = [item for item in items if item.overdue(today)]
    coming = [item for item in items if not item.overdue(today)]
    for title, group in (("Overdue", overdue), ("Coming", coming)):
        if not group:
            continue
        lines.append(f"{title} ({len(group)})")
        for item in group:
            service = f" · {item.service_label} ({item.service_date})" if item.service_id else ""
            lines += fit(f"  {item.due}  {item.engagement_title}{service}", " " * 14)
            lines += fit(f"      {item.what}, {_when(item, today)}", " " * 8)
            lines.append(f"      {item.command}")
        lines.append("")
    overdue_count = len(overdue)
    lines.append(f"{len(items)} item{'s' if len(items) != 1 else ''}: {overdue_count} overdue, {len(coming)} coming.")
    return "\n".join(lines) + "\n"


def _record(item: Obligation, today: date) -> dict:
    return {
        "due": item.due.isoformat(),
        "overdue": item.overdue(today),
        "kind": item.kind,
        "engagement": {"id": item.engagement_id, "title": item.engagement_title, "file": item.path},
        "service": {"id": item.service_id, "date": item.service_date.isoformat() if item.service_date else None, "label": item.service_label} if item.service_id else None,
        "stage": item.stage or None,
        "what": item.what,
        "duties": list(item.items),
        "facilitator": item.facilitator,
        "command": item.command,
        "uid": item.uid,
    }


def as_json(items: list[Obligation], today: date, within: int, who: str = "") -> str:
    """A documented structure (docs/due.md), version 1."""
    document = {
        "version": JSON_VERSION,
        "tool": {"name": "tacli", "version": __version__},
        "today": today.isoformat(),
        "within": within,
        "facilitator": who or None,
        "items": [_record(item, today) for item in items],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def as_csv(items: list[Obligation], today: date, within: int, who: str = "") -> str:
    """One row an obligation, with stable column names and ISO dates."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        writer.writerow([
            item.due.isoformat(), "yes" if item.overdue(today) else "no", item.kind, item.engagement_id, item.engagement_title,
            item.service_id, item.service_date.isoformat() if item.service_date else "", item.stage, item.what, " ".join(item.items),
            item.facilitator, item.command, item.path,
        ])
    return out.getvalue()


def as_ics(items: list[Obligation], today: date, within: int, who: str = "") -> str:
    """An iCalendar feed: one all-day event an obligation, on its last day.

    The stamp of every event is `today` (midnight, UTC), so the same run gives
    the same bytes; the UID names the obligation, so a calendar that imports
    the feed again moves the event rather than adding another."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//tacli//tacli {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"tacli: due{f' for {who}' if who else ''}")
    stamp = datetime(today.year, today.month, today.day, tzinfo=timezone.utc)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1) if item.due < date.max else item.due)
        prefix = "Overdue: " if item.overdue(today) else ""
        event.add("summary", f"{prefix}{item.what} · {item.engagement_title}")
        service = f"Service: {item.service_label} ({item.service_date})\n" if item.service_id else ""
        event.add("description", f"{item.engagement_title}\n{service}Record it with: {item.command}")
        event.add("categories", [item.kind])
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


WRITERS = {"text": text, "json": as_json, "csv": as_csv, "ics": as_ics}
