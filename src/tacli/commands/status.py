"""`tacli status`: where one engagement stands, and what to do next."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from tacli.commands import CommonOptions, Session
from tacli.core.outcome import EXIT_CLEAN, EXIT_FINDINGS, Outcome, UsageError
from tacli.core.textformat import json_text, visible

STATUS_FORMATS = ("text", "json")


@dataclass(frozen=True)
class StatusOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    file: str = ""
    format: str = "text"
    width: Optional[int] = 80  # a terminal's: text wraps to fit it; None: a line a fact


def run(options: StatusOptions) -> Outcome:
    from tacli.reading.pipeline import find_targets
    from tacli.domain.status import engagement_status, status_text

    options = replace(options, format=options.format.lower())
    if options.format not in STATUS_FORMATS:
        raise UsageError(f"unknown format '{options.format}': use one of {', '.join(STATUS_FORMATS)}")
    session = Session(options.common)
    targets = find_targets([options.file])
    if len(targets) != 1 or Path(options.file).is_dir():
        raise UsageError(f"{options.file} is a folder: give one engagement file (tacli due lists what every engagement owes)")
    checker = session.checker()
    result = checker.read(targets[0])
    if not result.usable:
        session.cache.flush()
        return _cannot_be_used(result, options)
    status = engagement_status(session.spec, result.engagement, options.file, session.today)
    status["check"] = _check_counts(session, checker.check_file(targets[0]), options.file)
    session.cache.flush()
    if options.format == "json":
        return Outcome(EXIT_CLEAN, json_text(status), exact=True)
    text = status_text(status, options.width)  # split on its own line breaks only: a U+2028 in a title stays, shown as an escape
    return Outcome(EXIT_CLEAN, "".join(visible(line) + "\n" for line in text.rstrip("\n").split("\n")))


def _cannot_be_used(result, options: StatusOptions) -> Outcome:
    """A file that is not a valid engagement: its problems on standard error, and
    as its status the one thing it owes, being fixed (never "nothing is open")."""
    from tacli.core.textformat import finding_line
    from tacli.core.wrap import command, fit
    from tacli.reading.pipeline import left_out

    why = left_out(result, result.findings)
    fix = f"tacli check {shlex.quote(options.file)}"
    notes = [finding_line(item) for item in sorted(result.findings, key=lambda item: item.sort_key())]
    if options.format == "json":
        document = {"file": options.file, "usable": False, "problems": len(result.findings),
                    "next": [{"what": f"fix the file: line {why.finding.line}: {why.finding.message}", "line": why.finding.line, "column": why.finding.column, "rule": why.finding.rule, "command": fix}]}
        return Outcome(EXIT_FINDINGS, json_text(document), notes=notes, exact=True)
    if why.finding.rule == "not-engagement":  # nothing to fix in it: it is another kind of file
        return Outcome(EXIT_FINDINGS, "".join(line + "\n" for line in fit(f"{visible(options.file)}: {visible(why.finding.message)}", options.width)))
    count = len(result.findings)
    lines = fit(f"{visible(why.title or options.file)}: not a valid engagement yet ({count} problem{'s' if count != 1 else ''}), so where it stands cannot be shown", options.width)
    lines += ["", "Next"]
    lines += fit(f"  1. Fix line {why.finding.line}: {visible(why.finding.message)}", options.width, " " * 5)
    lines.append(command(visible(fix), options.width, " " * 5))
    return Outcome(EXIT_FINDINGS, "".join(line + "\n" for line in lines), notes=notes)


def _check_counts(session, result, file: str) -> dict:
    """What `tacli check FILE` would report, counted: status says where the file
    stands with its rules too, so "nothing is open" never hides an error."""
    from tacli.core.findings import Level

    found = result.findings  # what `tacli check FILE` finds, before the configuration's selection
    if session.config.rules is not None:
        found = session.config.rules.apply(found)
    return {
        "errors": sum(item.level is Level.ERROR for item in found),
        "warnings": sum(item.level is Level.WARNING for item in found),
        "command": f"tacli check {shlex.quote(file)}",
    }
