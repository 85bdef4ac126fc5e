"""`tacli status`: where one engagement stands, and what to do next."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from tacli.commands import CommonOptions, Session
from tacli.core.outcome import EXIT_CLEAN, EXIT_FINDINGS, Outcome, UsageError
from tacli.core.textformat import json_text, visible

STATUS_FORMATS = ("text", "json")


@dataclass(frozen=True)
class StatusOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    file: str = ""
    format: str = "text"
    width: int = 80


def run(options: StatusOptions) -> Outcome:
    from tacli.reading.pipeline import find_targets, read_target
    from tacli.standards.models import models_for
    from tacli.domain.status import engagement_status, status_text
    from tacli.core.textformat import finding_line

    options = replace(options, format=options.format.lower())
    if options.format not in STATUS_FORMATS:
        raise UsageError(f"unknown format '{options.format}': use one of {', '.join(STATUS_FORMATS)}")
    session = Session(options.common)
    targets = find_targets([options.file])
    if len(targets) != 1 or Path(options.file).is_dir():
        raise UsageError(f"{options.file} is a folder: give one engagement file (tacli due lists what every engagement owes)")
    result = read_target(targets[0], models_for(session.spec))
    if not result.usable:
        notes = [finding_line(item) for item in result.findings]
        notes.append(f"tacli: {options.file} is not a valid engagement yet: fix what is above (tacli check {options.file})")
        return Outcome(EXIT_FINDINGS, notes=notes)
    status = engagement_status(session.spec, result.engagement, options.file, session.today)
    status["check"] = _check_counts(session, result, options.file)
    if options.format == "json":
        return Outcome(EXIT_CLEAN, json_text(status))
    return Outcome(EXIT_CLEAN, "".join(visible(line) + "\n" for line in status_text(status, options.width).splitlines()))


def _check_counts(session, result, file: str) -> dict:
    """What `tacli check FILE` would report, counted: status says where the file
    stands with its rules too, so "nothing is open" never hides an error."""
    from tacli.checking.checker import Checker
    from tacli.core.findings import Level

    found = Checker(session.spec, session.today).examine(result).findings
    if session.config.rules is not None:
        found = session.config.rules.apply(found)
    return {
        "errors": sum(item.level is Level.ERROR for item in found),
        "warnings": sum(item.level is Level.WARNING for item in found),
        "command": f"tacli check {file}",
    }
