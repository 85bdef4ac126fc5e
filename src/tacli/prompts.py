"""Questions asked in a terminal, each answer checked as it is typed and asked
again when it is wrong, so that nothing typed is lost. Only the command line
calls these, and only when both ends are a terminal: a script never waits.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Callable, Optional, Sequence

import typer

from tacli.outcome import UsageError


def ask(prompt: str, check: Callable[[str], object], default: Optional[str] = None):
    """Ask until `check` accepts the answer; return what it returns."""
    while True:
        answer = typer.prompt(prompt, default=default) if default is not None else typer.prompt(prompt)
        try:
            return check(answer.strip())
        except UsageError as exc:
            typer.secho(f"  {exc}", err=True, fg="yellow")


def choose(label: str, choices: Sequence[str], default: Optional[str] = None, aliases: Optional[dict] = None) -> str:
    """One of `choices`, in any case, a number from the list, or an alias; the choices are offered."""
    names = {choice.casefold(): choice for choice in choices}
    names.update({alias.casefold(): target for alias, target in (aliases or {}).items()})

    def check(answer: str) -> str:
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        if answer.casefold() in names:
            return names[answer.casefold()]
        from tacli.suggest import did_you_mean

        raise UsageError(f"'{answer}' is not one of them:{did_you_mean(answer.casefold(), names) or ''} type one of {', '.join(choices)} (or its number)")

    shown = ", ".join(f"{number}. {choice}" for number, choice in enumerate(choices, 1)) if len(choices) <= 9 else ", ".join(choices)
    return ask(f"{label} ({shown})", check, default)


def picks(answer: str, count: int) -> list[int]:
    """Positions (from 0) that "1 3 5-7", "all" or "1,2" name among `count`."""
    if answer.lower() in ("all", "a", "*"):
        return list(range(count))
    chosen: list[int] = []
    for part in re.split(r"[\s,]+", answer):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise UsageError(f"'{part}' is not a number or a range like 5-7")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if not 1 <= first <= last <= count:
            raise UsageError(f"'{part}' is not between 1 and {count}")
        chosen += [n - 1 for n in range(first, last + 1) if n - 1 not in chosen]
    return chosen


def checklist(options):
    """`tacli mark FILE` in a terminal: the open duties that are due, numbered, to tick."""
    from tacli.commands import Session, parse_day
    from tacli.commands.edits import open_duties
    from tacli.domain import duty_due, duty_frameworks
    from tacli.pipeline import Target, read_target

    session = Session(options.common)
    spec, today = session.spec, session.today
    result = read_target(Target(Path(options.file), options.file, True), spec.models)
    if not result.usable:
        raise UsageError(f"{options.file} is not a valid engagement: fix it first (tacli check {options.file})")
    engagement = result.engagement
    services = sorted(engagement.services, key=lambda s: (s.date, s.id))
    if not services:
        raise UsageError("the engagement has no services: add one with `tacli new service`")
    if options.service:
        service = next((s for s in services if s.id == options.service), None)
        if service is None:
            raise UsageError(f"no service with id '{options.service}': services: {', '.join(s.id for s in services)}")
    elif len(services) == 1:
        service = services[0]
    else:
        held = [s for s in services if s.date <= today] or services
        service_id = choose("Which service", [s.id for s in services], default=held[-1].id)
        service = next(s for s in services if s.id == service_id)
    frameworks = duty_frameworks(spec, engagement)
    reports = {f.id: f.report for f in frameworks}
    stages = {stage.id: stage for f in frameworks for stage in f.stages}
    roles = {role.id: role.title for f in frameworks for role in f.roles}
    due = [d for d in open_duties(spec, engagement, service) if duty_due(d, stages[d.stage], service, engagement, reports[d.framework]).is_due(today)]
    if not due:
        raise UsageError(f"no open duty of service '{service.id}' is due as of {today}: name one to mark it anyway (tacli mark FILE DUTY_ID --service {service.id} --done)")
    typer.echo(f"Open duties due for {service.id} ({service.date}):")
    for number, duty in enumerate(due, 1):
        typer.echo(f"  {number:>2}. {stages[duty.stage].title}, {roles.get(duty.role, duty.role)} {duty.number}: {duty.text}")
    chosen = ask("Tick which (numbers like 1 3 5-7, or all)", lambda answer: picks(answer, len(due)) or _none())
    duties = tuple(due[index].id for index in chosen)
    options = replace(options, service=service.id, duties=duties)
    if not (options.done or options.na is not None or options.reopen):
        status = choose("Mark them", ["done", "not-applicable", "open"], default="done", aliases={"d": "done", "n": "not-applicable", "na": "not-applicable", "o": "open"})
        if status == "done":
            options = replace(options, done=True)
        elif status == "open":
            options = replace(options, reopen=True)
        else:
            options = replace(options, na=ask("Why do they not apply", lambda answer: answer or _none("a reason")))
    if options.done and options.date is None:
        day = ask("Done on", lambda answer: parse_day(answer, "the date", today), default="today")
        options = replace(options, date=day.isoformat())
    if options.done and options.evidence is None:
        evidence = typer.prompt("Evidence (what shows it was done; Enter for none)", default="", show_default=False).strip()
        options = replace(options, evidence=evidence or None)
    return options


def _none(what: str = "a choice") -> list:
    raise UsageError(f"give {what}, or press Ctrl+C to stop")
