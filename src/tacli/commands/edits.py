"""The commands that edit an engagement file in place: `new service` and `mark`.

Each reads the file through the pipeline, changes its text where the change
belongs (tacli.edit), and saves it only if it is still a valid engagement and
unchanged on disk since it was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from tacli.commands import CommonOptions, Session, choice, parse_date
from tacli.outcome import EXIT_CLEAN, Outcome, UsageError
from tacli.textformat import visible


def edit_file(session: Session, path: str, change: Callable) -> None:
    """Read, change, validate and save one file; a refusal leaves it untouched."""
    from tacli.checker import Checker
    from tacli.edit import read_for_edit, save_edit

    checker = Checker(session.spec, session.today)
    source = read_for_edit(Path(path), checker)
    save_edit(source, change(source), checker)


@dataclass(frozen=True)
class NewServiceOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    file: str = ""
    date: str = ""
    type: str = ""
    hours: Optional[float] = None
    mode: str = "on-site"
    id: Optional[str] = None
    title: Optional[str] = None
    topics: Optional[str] = None  # comma-separated ids


def new_service(options: NewServiceOptions) -> Outcome:
    from tacli.edit import add_service
    from tacli.models import MODES, SLUG_PATTERN
    from tacli.scaffold import ServiceAnswers, service_id

    when = parse_date(options.date, "--date")
    session = Session(options.common)
    spec = session.spec
    choice(options.type, spec.ids("support_types"), "support type")
    choice(options.mode, MODES, "delivery mode")
    topics = [t.strip() for t in (options.topics or "").split(",") if t.strip()]
    for topic in topics:
        choice(topic, spec.ids("topics"), "topic")
    if options.id is not None and not re.match(SLUG_PATTERN, options.id):
        raise UsageError(f"--id '{options.id}' must be lower-case letters and digits joined by hyphens")
    answers = ServiceAnswers(date=when, type=options.type, mode=options.mode, hours=options.hours, id=options.id, title=options.title, topics=topics)
    edit_file(session, options.file, lambda source: add_service(source, spec, answers))
    new_id = service_id(answers)
    file = visible(options.file)
    return Outcome(EXIT_CLEAN, f"added service {new_id} to {file}\nnext: tacli mark {file} DUTY_ID --service {new_id} --done\n")


@dataclass(frozen=True)
class MarkOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    file: str = ""
    duty: str = ""
    service: Optional[str] = None
    done: bool = False
    date: Optional[str] = None
    evidence: Optional[str] = None
    na: Optional[str] = None  # the reason
    reopen: bool = False


def mark(options: MarkOptions) -> Outcome:
    from tacli.edit import DutyChange, EditError, mark_duty
    from tacli.suggest import did_you_mean

    chosen = [name for name, given in (("--done", options.done), ("--na", options.na is not None), ("--open", options.reopen)) if given]
    if len(chosen) != 1:
        raise UsageError("say exactly one of --done, --na REASON or --open")
    if (options.date or options.evidence) and not options.done:
        raise UsageError("--date and --evidence go with --done")
    if options.na is not None and not options.na.strip():
        raise UsageError("--na needs a reason")
    session = Session(options.common)
    spec = session.spec
    duty = options.duty
    if duty not in spec.duty_by_id:
        hint = did_you_mean(duty, spec.duty_by_id) or " `tacli standards show cali` lists the duty ids."
        raise UsageError(f"unknown duty id '{duty}':{hint}")
    today = session.today
    if options.done:
        when = parse_date(options.date, "--date") if options.date else today
        if when > today:
            raise UsageError(f"--date {when} is after today ({today}): a duty is done when it has happened")
        update = DutyChange("done", date=when, evidence=options.evidence)
    elif options.na is not None:
        update = DutyChange("not-applicable", reason=options.na.strip())
    else:
        update = DutyChange("open")

    def change(source):
        owner = spec.duty_by_id[duty].framework
        if owner not in source.engagement.frameworks:
            raise EditError(f"duty {duty} belongs to '{owner}', which this engagement does not list in frameworks")
        return mark_duty(source, spec, duty, options.service, update)

    edit_file(session, options.file, change)
    return Outcome(EXIT_CLEAN, f"marked {duty} {update.status} in {visible(options.file)}\n")
