"""What is due, written for people (text), scripts (JSON), spreadsheets (CSV)
and calendars (iCalendar).

The same obligations and the same day give the same bytes in every format;
calendar events keep their UID from run to run, so importing the feed again
updates its events instead of adding copies.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Optional

from tacli import __version__
from tacli.domain.obligations import FIX_FILE, Obligation
from tacli.core.dates import add_days
from tacli.core.textformat import visible
from tacli.core.wrap import command, fit

JSON_VERSION = "1"
CSV_COLUMNS = ("due", "overdue", "kind", "engagement_id", "engagement_title", "service_id", "service_date", "stage", "what", "duties", "facilitator", "command", "file")
DUE_FORMATS = ("text", "json", "csv", "ics")


def text(items: list[Obligation], today: date, days_ahead: int, who: str = "", width: Optional[int] = None) -> str:
    """For a person: overdue first, then by date; each with its engagement, service and command.
    At a terminal (`width`) the words wrap to fit it (tacli.core.wrap); a command stays
    whole on its line, to be copied. Without one, a line a fact."""
    horizon = add_days(today, days_ahead)
    heading = f"Due by {horizon} (within {days_ahead} day{'s' if days_ahead != 1 else ''} of {today})" + (f" for {visible(who)}" if who else "")
    if not items:
        return f"{heading}: nothing.\n"
    lines = fit(heading, width) + [""]
    to_fix = [item for item in items if item.kind == FIX_FILE]
    if to_fix:  # first: until they are fixed, what they owe is missing below
        lines.append(f"Files to fix first ({len(to_fix)}): what they owe cannot be listed until then")
        for item in to_fix:
            lines += fit(f"  {visible(item.path)}", width, " " * 4)
            lines += fit(f"      {visible(item.what)}", width, " " * 8)
            lines.append(command(visible(item.command), width, " " * 6))
        lines.append("")
    listed = [item for item in items if item.kind != FIX_FILE]
    overdue = [item for item in listed if item.overdue(today)]
    coming = [item for item in listed if not item.overdue(today)]
    for title, group in (("Overdue", overdue), ("Coming", coming)):
        if not group:
            continue
        lines.append(f"{title} ({len(group)})")
        for item in group:
            service = f" · {visible(item.service_label)} ({item.service_date})" if item.service_id else ""
            lines += fit(f"  {item.due}  {visible(item.engagement_title)}{service}", width, " " * 14)
            lines += fit(f"      {visible(item.what)}, {item.when(today)}", width, " " * 8)
            lines.append(command(visible(item.command), width, " " * 6))
        lines.append("")
    overdue_count = len(overdue)
    fixing = f"{len(to_fix)} file{'s' if len(to_fix) != 1 else ''} to fix, " if to_fix else ""
    lines.append(f"{len(items)} item{'s' if len(items) != 1 else ''}: {fixing}{overdue_count} overdue, {len(coming)} coming.")
    return "".join(line + "\n" for line in lines)


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


def as_json(items: list[Obligation], today: date, days_ahead: int, who: str = "") -> str:
    """A documented structure (docs/due.md), version 1."""
    document = {
        "version": JSON_VERSION,
        "tool": {"name": "tacli", "version": __version__},
        "today": today.isoformat(),
        "within": days_ahead,
        "facilitator": who or None,
        "items": [_record(item, today) for item in items],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def as_csv(items: list[Obligation], today: date, days_ahead: int, who: str = "") -> str:
    """One row an obligation, with stable column names and ISO dates; a cell a
    spreadsheet would run as a formula starts with an apostrophe (as `tacli export`)."""
    from tacli.output.export_formats import csv_record, defused

    lines = [csv_record(CSV_COLUMNS, range(len(CSV_COLUMNS)))]  # the column names: plain ids
    for item in items:
        lines.append(csv_record([defused(visible(cell)) for cell in (
            item.due.isoformat(), "yes" if item.overdue(today) else "no", item.kind, item.engagement_id, item.engagement_title,
            item.service_id or "", item.service_date.isoformat() if item.service_date else "", item.stage or "", item.what, " ".join(item.items),
            item.facilitator or "", item.command, item.path,
        )]))
    return "".join(lines)


def as_ics(items: list[Obligation], today: date, days_ahead: int, who: str = "") -> str:
    """An iCalendar feed (RFC 5545): one all-day event an obligation, on its last day.

    The stamp of every event is `today` (midnight, UTC), so the same run gives
    the same bytes; the UID names the obligation, so a calendar that imports
    the feed again moves the event rather than adding another. Written here,
    not with the icalendar package, which took a second for a thousand
    engagements' events; the tests read the feed back with that package."""
    stamp = f"{today:%Y%m%d}T000000Z"
    name = "tacli: due" + (f" for {who}" if who else "")
    window = f"What is overdue and what falls due by {add_days(today, days_ahead)} (within {days_ahead} days of {today})" + (f" for {who}" if who else "") + "."
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//tacli//tacli {__version__}//EN", "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_ics_text(name)}",
             f"X-WR-CALDESC:{_ics_text(window)}"]  # the window, which differs from the lists' (a calendar looks further ahead)
    for item in items:
        prefix = "Overdue: " if item.overdue(today) else ""
        service = f"Service: {item.service_label} ({item.service_date})\n" if item.service_id else ""
        end = add_days(item.due, 1)
        summary = f"{prefix}{item.what} · {item.engagement_title}"
        description = f"{item.engagement_title}\n{service}Record it with: {item.command}"
        lines += [
            "BEGIN:VEVENT",
            f"SUMMARY:{_ics_text(summary)}",
            f"DTSTART;VALUE=DATE:{item.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            f"DTSTAMP:{stamp}",
            f"UID:{_ics_text(item.uid)}",
            f"CATEGORIES:{_ics_text(item.kind)}",
            f"DESCRIPTION:{_ics_text(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_folded(line) + "\r\n" for line in lines)


def _ics_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line
    breaks escaped; any other control character shown as tacli shows it."""
    lines = str(value).split("\n")
    escaped = [visible(line).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,") for line in lines]
    return "\\n".join(escaped)


def _folded(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a character."""
    if len(line.encode("utf-8")) <= 75:
        return line
    parts, current, size = [], [], 0
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > (75 if not parts else 74):
            parts.append("".join(current))
            current, size = [], 0
        current.append(character)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


WRITERS = {"text": text, "json": as_json, "csv": as_csv, "ics": as_ics}
