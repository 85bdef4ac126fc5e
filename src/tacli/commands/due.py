"""`tacli due`: what is overdue and what falls due soon, across engagements."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from tacli.commands import CommonOptions, Session, plural
from tacli.obligations import DUE_WITHIN_DAYS
from tacli.outcome import EXIT_CLEAN, EXIT_FINDINGS, Outcome, UsageError

DEFAULT_WITHIN = DUE_WITHIN_DAYS


@dataclass(frozen=True)
class DueOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    paths: tuple[str, ...] = ()
    within: int = DEFAULT_WITHIN
    facilitator: Optional[str] = None  # None: `me` of the configuration; "": everyone
    format: str = "text"
    output: Optional[str] = None
    width: Optional[int] = None  # a terminal's: text wraps to fit it


def run(options: DueOptions) -> Outcome:
    from tacli.duefeed import FORMATS, WRITERS
    from tacli.checker import Checker
    from functools import partial

    from tacli.obligations import owed_by_file
    from tacli.pipeline import find_targets
    from tacli.progress import bar

    if options.format not in FORMATS:
        from tacli.suggest import did_you_mean

        raise UsageError(f"unknown format '{options.format}':{did_you_mean(options.format, FORMATS) or f' use one of {chr(44).join(FORMATS)}.'}")
    if options.within < 0:
        raise UsageError(f"--within {options.within} is negative: give a number of days from today, 0 for today only")
    session = Session(options.common)
    who = session.config.me if options.facilitator is None else options.facilitator
    spec, today = session.spec, session.today
    targets = find_targets(session.engagement_paths(list(options.paths)))
    with bar(len(targets), "reading") as done:
        owed = Checker(spec, today).map_files(targets, partial(owed_by_file, days=options.within, who=who), done=done)
    items = [item for state, _, found in owed if state == "owes" for item in found]
    unusable = [name for state, name, _ in owed if state == "unusable"]
    items = sorted(items, key=lambda item: item.sort_key())
    if options.format == "text":
        text = WRITERS["text"](items, today, options.within, who or "", options.width)
    else:
        text = WRITERS[options.format](items, today, options.within, who or "")
    notes = []
    if unusable:
        notes.append(f"tacli: {plural(len(unusable), 'file')} left out, not valid engagements: {', '.join(unusable[:3])}{', ...' if len(unusable) > 3 else ''} (tacli check explains)")
    code = EXIT_FINDINGS if unusable else EXIT_CLEAN
    if options.output is None:
        return Outcome(code, text, notes=notes)
    return Outcome(code, text, Path(options.output), notes + [f"wrote {options.output}: {plural(len(items), 'item')}"])
