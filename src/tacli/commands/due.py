"""`tacli due`: what is overdue and what falls due soon, across engagements."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from tacli.commands import CommonOptions, Session
from tacli.core.textformat import plural
from tacli.core.outcome import EXIT_CLEAN, EXIT_FINDINGS, Outcome, UsageError
from tacli.domain.obligations import LOOK_AHEAD_DAYS, due_within, leaders, led_by, obligations


@dataclass(frozen=True)
class DueOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    paths: tuple[str, ...] = ()
    days_ahead: Optional[int] = None  # --within: what falls due within these days of today (default: LOOK_AHEAD_DAYS, a calendar's CALENDAR_DAYS)
    facilitator: Optional[str] = None  # None: `me` of the configuration; "": everyone
    format: Optional[str] = "text"  # None: from the output file's suffix (.ics, .csv, .json), else text
    output: Optional[str] = None
    width: Optional[int] = None  # a terminal's: text wraps to fit it
    force: bool = False  # replace a file at --output that tacli did not write


def run(options: DueOptions) -> Outcome:
    from tacli.output.due_feed import DUE_FORMATS, WRITERS
    from tacli.checking.checker import FileWork

    from tacli.domain.obligations import names_person
    bar = options.common.progress

    if options.format is None:  # from the name of the file written, else text
        suffix = Path(options.output).suffix.lower().lstrip(".") if options.output else ""
        options = replace(options, format=suffix if suffix in DUE_FORMATS else "text")
    options = replace(options, format=options.format.lower())
    if options.format not in DUE_FORMATS:
        from tacli.core.suggest import did_you_mean

        raise UsageError(f"unknown format '{options.format}':{did_you_mean(options.format, DUE_FORMATS) or f' use one of {chr(44).join(DUE_FORMATS)}.'}")
    if options.days_ahead is None:  # a calendar holds the weeks ahead, a list for today the week
        from tacli.core.dates import CALENDAR_DAYS

        options = replace(options, days_ahead=CALENDAR_DAYS if options.format == "ics" else LOOK_AHEAD_DAYS)
    if options.days_ahead < 0:
        raise UsageError(f"--within {options.days_ahead} is negative: give a number of days from today, 0 for today only")
    session = Session(options.common)
    who = session.config.me if options.facilitator is None else options.facilitator
    today = session.today
    targets = session.engagement_targets(list(options.paths))
    if options.output is not None:  # before any work: nothing a user wrote is replaced
        from tacli.commands.outputs import due_feed, guard_output

        guard_output(options.output, Path(options.output), due_feed, targets, options.force, "what is due")
    if not targets:
        session.spec  # noqa: B018 - standards that cannot be used are an error even with no file
    with bar(len(targets), "reading") as done:
        owed = session.checker().map_files(targets, FileWork(owed_by_file, "due", (options.days_ahead, who)), done=done)
    items = sorted((item for state, _, found, _ in owed if state in ("owes", "unusable") for item in found), key=lambda item: item.sort_key())
    unusable = [name for state, name, _, _ in owed if state == "unusable"]
    people = sorted({person for _, _, _, found in owed for person in found})
    if options.format == "text":
        text = WRITERS["text"](items, today, options.days_ahead, who or "", options.width)
    else:
        text = WRITERS[options.format](items, today, options.days_ahead, who or "")
    notes = session.nothing_yet(list(options.paths), len(targets))
    if unusable:
        notes.append(f"tacli: {plural(len(unusable), 'file')} cannot be used, listed first as to fix: {', '.join(unusable[:3])}{', ...' if len(unusable) > 3 else ''} (tacli check explains)")
    if who and people and not any(names_person(person, who) for person in people):
        notes.append(f"tacli: nobody named '{who}' leads an engagement or a service here: the facilitators are {', '.join(people[:8])}{', ...' if len(people) > 8 else ''} (--facilitator NAME, or `me` in tacli.toml)")
    files_of: dict[str, set] = {}
    for item in items:
        if item.engagement_id:  # a file whose id cannot be read has no calendar event to collide
            files_of.setdefault(item.engagement_id, set()).add(item.path)
    shared = sorted(engagement for engagement, files in files_of.items() if len(files) > 1)
    if shared:
        notes.append(f"tacli: engagement id {shared[0]} is in {plural(len(files_of[shared[0]]), 'file')} ({', '.join(sorted(files_of[shared[0]]))}): give each file its own id, or calendar events will overwrite each other (tacli check reports duplicate-id)")
    code = EXIT_FINDINGS if unusable or shared else EXIT_CLEAN
    if options.output is None:
        return Outcome(code, text, notes=notes, exact=options.format != "text")
    return Outcome(code, text, Path(options.output), notes + [f"wrote {options.output}: {plural(len(items), 'item')}"])


def owed_by_file(checker, target, days: Optional[int] = None, who: Optional[str] = None) -> tuple:
    """One file's obligations, as ("owes", name, items, who leads), ("skipped", name,
    [], set()), or ("unusable", name, [the file to fix], who leads it when that can be
    read); with `days` (and `who`), only those due within them (and led by who).
    Runs in worker processes for large folders (Checker.map_files), so only what
    is kept travels back."""
    from tacli.checking.checker import internal_error
    from tacli.domain.obligations import file_to_fix
    from tacli.reading.pipeline import left_out

    try:
        result = checker.read(target)
    except Exception as exc:  # noqa: BLE001 - a bug on one file: it is listed as a file to fix, with what tacli met
        found = internal_error(target.name, exc)
        return ("unusable", target.name, [file_to_fix(target.name, found.line, found.message, checker.today)], set())
    if result.skipped:
        return ("skipped", result.name, [], set())
    if not result.usable:
        why = left_out(result, result.findings)
        fix = file_to_fix(result.name, why.finding.line, why.finding.message, checker.today, why.engagement_id or "", why.title, why.facilitator)
        return ("unusable", result.name, led_by([fix], who) if days is not None else [fix], {why.facilitator} - {""})
    owed = obligations(checker.spec, result.engagement, result.name, checker.today)
    if days is not None:
        owed = led_by(due_within(owed, checker.today, days), who)
    return ("owes", result.name, owed, leaders(result.engagement))
