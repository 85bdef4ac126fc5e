"""Questions asked in a terminal, each answer checked as it is typed and asked
again when it is wrong, so that nothing typed is lost. Only the command line
calls these, and only when both ends are a terminal: a script never waits.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Callable, Optional, Sequence

import typer

from tacli.core.outcome import UsageError


def _line_editing() -> None:
    """Arrow keys, Home and End edit the answer, as in a shell, instead of
    typing escape codes into it (readline, where Python has it)."""
    try:
        import readline  # noqa: F401 - imported for its effect on input()
    except ImportError:  # Windows: the console edits lines itself
        pass


def _plain(answer: str) -> str:
    """An answer of plain text: a tab, an escape or another control character
    (a key the terminal did not edit) is refused, never written to the file."""
    if not answer.isprintable():
        from tacli.core.textformat import visible

        raise UsageError(f"'{visible(answer)}' holds a control character (a tab, or a key such as an arrow): type plain text")
    return answer


def _asked(question: Callable, *args, **kwargs):
    """A typer question; Ctrl+C or Ctrl+D stop the command as an interruption
    (exit 130), not as a failed check (exit 1). Every question comes before
    any writing, so nothing was written."""
    _line_editing()
    try:
        return question(*args, **kwargs)
    except typer.Abort:
        typer.echo("\ntacli: stopped: nothing was written", err=True)
        raise typer.Exit(130) from None


def _width() -> int:
    """The terminal's width (COLUMNS where it is set)."""
    import shutil

    return shutil.get_terminal_size().columns


def _wrapped(text: str, keep: Sequence[str] = ()) -> str:
    """`text` folded at spaces to the terminal's width (tacli.core.wrap.fold), each
    of its lines on its own, as every message at a terminal; a span of `keep`
    ("4. professional-development") and a command quoted in it whole."""
    from tacli.core.wrap import fold

    return fold(text, _width(), keep)


def say(text: str, keep: Sequence[str] = ()) -> None:
    """A line for the person answering, wrapped to the terminal's width."""
    typer.echo(_wrapped(text, keep))


def warn(message: str) -> None:
    """A wrong answer's message, on standard error, wrapped to the terminal's
    width: yellow only where colour is welcome (a terminal, and NO_COLOR not set)."""
    from tacli.cli.terminal import colour

    typer.secho(_wrapped(message), err=True, fg="yellow" if colour(sys.stderr) else None, color=colour(sys.stderr))


def ask(prompt: str, check: Callable[[str], object], default: Optional[str] = None, keep: Sequence[str] = ()):
    """Ask until `check` accepts the answer; return what it returns. Enter gives
    the default; a default of "" makes the question optional (Enter answers it
    with nothing); with no default, `check` gets the empty answer, to say why
    one is needed. The question is wrapped to the terminal's width."""
    shown = f" [{default}]" if default else ""
    question = _wrapped(f"{prompt}{shown}:", keep) + " "
    while True:
        answer = _asked(typer.prompt, question, default="", show_default=False, prompt_suffix="").strip()
        try:
            return check(_plain(answer or default or ""))
        except UsageError as exc:
            warn(f"  {exc}")


def confirm(question: str, default: bool = False) -> bool:
    """A yes-or-no question, wrapped to the terminal's width."""
    return _asked(typer.confirm, _wrapped(f"{question} [{'Y/n' if default else 'y/N'}]:") + " ", default=default, show_default=False, prompt_suffix="")


def choose(label: str, choices: Sequence[str], default: Optional[str] = None, aliases: Optional[dict] = None, none: str = "none") -> str:
    """One of `choices`, a number from the list, or an alias; typed as people type
    (core.suggest.matches: any case, spaces or underscores for hyphens). An answer
    that could be two of them is asked again, naming both. The choices are
    offered; a default of "" lets Enter choose none (returns ""), which `none` names."""
    from tacli.core.suggest import did_you_mean, matches

    targets = {choice: choice for choice in choices}
    targets.update(aliases or {})

    def check(answer: str) -> str:
        if not answer and default == "":
            return ""
        if not answer:
            raise UsageError(f"choose one: type its number or its name{', or press Ctrl+C to stop' if len(choices) > 1 else ''}")
        if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        found = list(dict.fromkeys(targets[name] for name in matches(answer, targets)))
        if len(found) == 1:
            return found[0]
        if found:
            raise UsageError(f"'{answer}' could be {' or '.join(found)}: type one of them as it is written (or its number)")
        raise UsageError(f"'{answer}' is not one of them:{did_you_mean(answer.casefold(), targets) or ''} type one of {', '.join(choices)} (or its number)")

    numbered = [f"{number}. {choice}" for number, choice in enumerate(choices, 1)]
    shown = ", ".join(numbered) if len(choices) <= 9 else ", ".join(choices)
    return ask(f"{label} ({shown}{f'; Enter for {none}' if default == '' else ''})", check, default, keep=numbered)


def _text(label: str, problem: Callable[[str], Optional[str]] = lambda answer: None, why: str = "", default: Optional[str] = None) -> str:
    """A needed answer: not blank (`why` says what it is needed for), and without
    the `problem` the rule finds. A default is offered: Enter takes it."""

    def check(answer: str) -> str:
        if not answer:
            raise UsageError(f"{why or 'an answer is needed'}; type one, or press Ctrl+C to stop")
        message = problem(answer)
        if message:
            raise UsageError(message)
        return answer

    return ask(label, check, default or None)


def _answered_day(answer: str, name: str, today):
    """A day as typed (tacli.core.dates.parse_day); one that reads two ways
    (12/8/2026, "tuesday") is asked back: which of the two."""
    from tacli.core.dates import AmbiguousDay, parse_day

    try:
        return parse_day(answer, name, today)
    except AmbiguousDay as exc:
        return _reading(exc)


def _reading(exc):
    """The day, of the two an AmbiguousDay names, that the person chooses."""
    words = [said for _, said in exc.readings]
    picked = choose(f"Which day is '{exc.value}'", words)
    return exc.readings[words.index(picked)][0]


def which_day(value: Optional[str], name: str, common) -> Optional[str]:
    """A day option as typed, or, when it reads two ways (12/8/2026), the day the
    person chooses when asked back, as YYYY-MM-DD. Any other problem is the
    command's to report."""
    from tacli.core.dates import AmbiguousDay, parse_day

    if value is None:
        return None
    from tacli.commands import Session

    try:
        parse_day(value, name, Session(common).today)
    except AmbiguousDay as exc:
        return _reading(exc).isoformat()
    except UsageError:
        pass
    return value


def _day(label: str, today, default: str, fits: Callable = lambda day: None) -> str:
    """A date as a person types it (today, 'next monday', YYYY-MM-DD, 8 December
    2026), checked by `fits`; an ISO date, or "" when the default "" let Enter skip it."""

    def check(answer: str) -> str:
        if not answer:
            return ""
        day = _answered_day(answer, "the date", today)
        message = fits(day)
        if message:
            raise UsageError(message)
        return day.isoformat()

    return ask(label, check, default)


def _service(services, wanted: str):
    """The service with id `wanted`, or a usage error with the closest id."""
    from tacli.core.suggest import did_you_mean, known_list

    found = next((s for s in services if s.id == wanted), None)
    if found is None:
        ids = [s.id for s in services]
        raise UsageError(f"no service with id '{wanted}':{did_you_mean(wanted, ids) or ' services: ' + known_list(ids, 12) + '.'}")
    return found


def _engagement(spec, file: str):
    """The engagement in `file`, read as check reads it; refused when it is not usable."""
    from tacli.reading.pipeline import Target, read_target
    from tacli.standards.models import models_for

    if not os.path.lexists(file):
        raise UsageError(f"{file}: no such file")
    result = read_target(Target(Path(file), file, True), models_for(spec))
    if not result.usable:
        raise UsageError(f"{file} is not a valid engagement: fix it first (tacli check {file})")
    return result.engagement


def engagement_interview(spec, request, today, taken: Callable[[str], Optional[str]] = lambda title: None, me: Optional[str] = None):
    """`tacli new engagement` in a terminal: ask for each answer the command line
    left out, check it as it is typed, and ask again, so nothing typed is lost.
    What the command line gave is checked first; `taken` says why a title's
    file cannot be written (it exists); `me` (of tacli.toml) is the facilitator
    offered."""
    from tacli.core.dates import parse_day
    from tacli.standards.models import RECIPIENT_KINDS
    from tacli.write.scaffold import engagement_answers, given_id_problem, title_id, title_problem

    engagement_answers(spec, request, today, partial=True)
    given_id = request.id or (title_id(request.title) if request.title else None)
    if given_id and taken(given_id):
        raise UsageError(taken(given_id))

    def title_check(title: str) -> Optional[str]:
        if request.id is not None:
            return None
        made = title_id(title)
        if made is None and re.search(r"[^\W_]", title):  # words in another script: an id is asked for next
            return None
        return title_problem(title) or taken(made)
    say("A new engagement. Press Ctrl+C to stop; nothing is written until the last answer.")
    tiers = list(dict.fromkeys(spec.tier_aliases.values()))
    partners = spec.ids("partners")
    changes = {
        "title": request.title or _text("Title", title_check, "the title is needed: the file is named after it"),
        "tier": request.tier or choose("Tier", tiers, default=tiers[0], aliases=spec.tier_aliases),
        "recipient_kind": request.recipient_kind or choose("Recipient kind", RECIPIENT_KINDS, default="school"),
        "recipient": request.recipient or _text("Recipient's name (the district, school or program)", why="the recipient is needed: reports and the site name who receives the TA"),
    }
    if request.id is None and title_id(changes["title"]) is None:  # a title in another script: the file and the reports' folder need an id
        say(f"The title {changes['title']!r} has no Latin letters to name the file and the reports' folder after.")
        def id_check(answer: str) -> Optional[str]:
            problem = given_id_problem(answer) or taken(answer)
            return problem.replace("choose another title, --id or --output, or overwrite it with --force", "type another id") if problem else None

        changes["id"] = _text("Id (lower-case Latin letters, digits and hyphens, as in beijing-data-teams)", id_check,
                              "the id is needed: the file and the reports' folder are named after it")
    if request.district is None and (request.recipient_kind or changes["recipient_kind"]) == "school":
        changes["district"] = ask("Its district (Enter for none)", lambda answer: answer, default="") or None
    if request.title_i is None:
        changes["title_i"] = _yes_no_or_not_known("Is it a Title I school or district")
    if request.in_need_of_improvement is None:
        changes["in_need_of_improvement"] = _yes_no_or_not_known("Is it identified as in need of improvement")
    changes["organization"] = request.organization or _text("Provider organization", why="the provider organization is needed: the reports name who provides the TA")
    if request.partner is None and partners:
        changes["partner"] = choose("Partner", partners, default="") or None
    changes["facilitator"] = request.facilitator or _text(
        "Facilitator or coach", why="the facilitator is needed: tacli due lists each engagement's work by who leads it", default=me)
    start = request.start or _day("Start date", today, "today")
    changes["start"] = start
    if request.end is None:
        first = parse_day(start, "--start", today)  # as the command will read it: "next monday" too
        changes["end"] = _day("Planned end date (Enter for none)", today, "", lambda day: f"the end {day} is before the start {first}: give a later date" if day < first else None) or None
    if not request.reviewers:
        changes["reviewers"] = ask("Who reviews the reports? (names separated by commas; Enter for none)", _reviewers, default="")
    return replace(request, **changes)


def _yes_no_or_not_known(question: str) -> Optional[bool]:
    """yes, no, or Enter for not known (the file then says how to record it)."""
    answer = choose(f"{question}?", ["yes", "no"], default="", aliases={"y": "yes", "n": "no", "true": "yes", "false": "no"}, none="not known")
    return None if answer == "" else answer == "yes"


def _reviewers(answer: str) -> tuple[str, ...]:
    """Reviewers' names, separated by commas; none twice."""
    from tacli.write.scaffold import reviewer_problem

    names: list[str] = []
    for name in (part for part in answer.split(",") if part.strip()):
        problem = reviewer_problem(name, names)
        if problem:
            raise UsageError(problem.replace(": nothing was written", ": give each name once"))
        names.append(" ".join(name.split()))
    return tuple(names)


def service_interview(spec, today, options):
    """`tacli new service` in a terminal: ask for the date, type, mode, hours and
    topics the command line left out, each checked against the engagement."""
    from tacli.core.suggest import choice
    from tacli.core.dates import parse_day
    from tacli.core.numbers import parse_hours
    from tacli.commands.edits import listed_items, not_listed, outside_dates
    from tacli.standards.vocabulary import DELIVERY_MODES
    from tacli.standards.models import id_problem
    from tacli.write.scaffold import ServiceAnswers, service_id

    engagement = _engagement(spec, options.file)
    types = listed_items(spec, engagement, "support_types")
    if not types:
        raise UsageError(f"the frameworks of {options.file} ({', '.join(engagement.frameworks)}) list no support types: add a framework that does")
    # what the command line gave is checked before any question
    problems = []
    if options.date:
        problems.append(outside_dates(engagement, parse_day(options.date, "--date", today), "--date"))
    if options.type:
        problems.append(not_listed(spec, engagement, "support_types", choice(options.type, spec.ids("support_types"), "support type"), "support type"))
    if options.mode:
        choice(options.mode, DELIVERY_MODES, "delivery mode")
    if options.hours is not None:
        parse_hours(options.hours, "--hours")
    if options.id and id_problem(options.id):
        problems.append(f"--id '{options.id}' {id_problem(options.id)}")
    for problem in problems:
        if problem:
            raise UsageError(problem)
    known_topics = listed_items(spec, engagement, "topics")
    if options.topics:
        if not known_topics:
            raise UsageError(f"--topics: the frameworks of {options.file} ({', '.join(engagement.frameworks)}) list no topics: leave --topics out")
        try:
            options = replace(options, topics=_topics(options.topics, known_topics))
        except UsageError as exc:
            raise UsageError(f"--topics: {exc}") from None
    say(f"A new service for {engagement.title} ({engagement.id}). Press Ctrl+C to stop; nothing is written until the last answer.")
    default_day = today if outside_dates(engagement, today, "") is None else engagement.start
    when = options.date or _day("Date", today, default_day.isoformat(), lambda day: outside_dates(engagement, day, "the date"))
    kind = options.type or choose("Support type", types)
    taken = {service.id for service in engagement.services}
    new_id = options.id or service_id(ServiceAnswers(date=parse_day(when, "--date", today), type=kind, title=options.title))
    if new_id in taken:
        def free(answer: str) -> str:
            if not answer:
                raise UsageError("the new service needs an id of its own: type one, or press Ctrl+C to stop")
            if id_problem(answer):
                raise UsageError(f"'{answer}' {id_problem(answer)}")
            if answer in taken:
                raise UsageError(f"the engagement has a service '{answer}' already: give another id")
            return answer

        options = replace(options, id=ask(f"Service id (the engagement has '{new_id}' already)", free))
    mode = options.mode or choose("Mode", DELIVERY_MODES, default=DELIVERY_MODES[0])
    hours = options.hours
    if hours is None:
        hours = ask("Hours (Enter for none)", _hours, "")
    topics = options.topics
    if topics is None and known_topics:
        topics = ask(f"Topics, separated by commas ({', '.join(known_topics)}; Enter for none)", lambda answer: _topics(answer, known_topics), "")
    return replace(options, date=when, type=kind, mode=mode, hours=hours, topics=topics or None)


def _hours(answer: str) -> Optional[str]:
    """Hours as typed (tacli.core.numbers.parse_hours: 1.5, 2h, 90 min, 1h30), as the file writes them."""
    from tacli.core.numbers import number, parse_hours

    if not answer:
        return None
    return number(parse_hours(answer, "the hours"))


def _topics(answer: str, known: Sequence[str]) -> str:
    from tacli.core.suggest import did_you_mean, matches

    chosen = []
    for part in (p.strip() for p in answer.split(",")):
        if not part:
            continue
        found = matches(part, known)
        if len(found) > 1:
            raise UsageError(f"'{part}' could be {' or '.join(found)}: type one of them as it is written")
        if not found:
            raise UsageError(f"'{part}' is not a topic of this engagement's frameworks:{did_you_mean(part.casefold(), known) or ''} type some of {', '.join(known)}")
        chosen.append(found[0])
    return ",".join(dict.fromkeys(chosen))


def outcome_interview(spec, today, options):
    """`tacli new outcome` in a terminal: the level, the day, what was observed
    and where the evidence is, those the command line left out, each checked
    as it is typed; the levels are those of the frameworks the engagement lists."""
    from tacli.commands.edits import evidence_level, not_listed

    engagement = _engagement(spec, options.file)
    levels = [level for level in spec.every("evidence_levels") if spec.owner("evidence_levels", level.id) in engagement.frameworks]
    if not levels:
        raise UsageError(f"the frameworks of {options.file} ({', '.join(engagement.frameworks)}) list no levels of outcome evidence: add one that does (guskey) to its frameworks")
    if options.level:  # what the command line gave is checked before any question
        problem = not_listed(spec, engagement, "evidence_levels", evidence_level(spec, options.level).id, "evidence level")
        if problem:
            raise UsageError(problem)
    say(f"Outcome evidence for {engagement.title} ({engagement.id}). Press Ctrl+C to stop; nothing is written until the last answer.")
    aliases = {**{level.title: level.id for level in levels if level.title}, **{level.ref: level.id for level in levels if level.ref}}
    level = options.level or choose("Level of the evidence, lowest first", [level.id for level in levels], aliases=aliases)

    def fits(day):
        if day > today:
            return f"{day} is after today ({today}): evidence is recorded once it is observed"
        if day < engagement.start:
            return f"{day} is before the engagement's start ({engagement.start})"
        return None

    when = options.date or _day("Observed on", today, "today", fits)
    observed = options.observed or _text("What was observed", why="what was observed is the evidence")
    evidence = options.evidence
    if evidence is None:
        evidence = ask("Where the evidence is: a document, a data file, a link (Enter for none)", lambda answer: answer or None, "")
    return replace(options, level=level, date=when, observed=observed, evidence=evidence)


def tast_interview(spec, today, options):
    """`tacli tast FILE` in a terminal with nothing else to do: the report's
    sections, from the standards, one by one; then whether it is complete."""
    from tacli.commands.tast import open_service, report_of
    from tacli.domain.services import in_order
    from tacli.standards.fields import field_value

    engagement = _engagement(spec, options.file)
    report = report_of(spec, engagement)
    services = in_order(engagement.services)
    if not services:
        raise UsageError("the engagement has no services: add one with `tacli new service`")
    service_id = options.service
    if service_id is None:
        try:
            latest = open_service(engagement, report, today)
        except UsageError:
            latest = services[-1].id
        service_id = latest if len(services) == 1 else choose("Which service", [s.id for s in services], default=latest)
    service = _service(services, service_id)
    say(f"The {report.title} of {service.id} ({service.date}). Type one entry a line; Enter on an empty line goes to the next section.")
    entries = []
    for section in report.sections:
        written = [str(entry) for entry in field_value(service.tast_report, section.id) or []] if service.tast_report is not None else []
        say(f"{section.title}{f' ({len(written)} written)' if written else ''}:")
        for entry in written:
            say(f"  - {entry}")
        while True:
            entry = _asked(typer.prompt, _wrapped(f"  Add to {section.title}:") + " ", default="", show_default=False, prompt_suffix="").strip()
            if not entry:
                break
            try:
                entries.append((section.id, _plain(entry)))
            except UsageError as exc:
                warn(f"  {exc}")
    completed = service.tast_report is not None and service.tast_report.completed is not None
    complete, when = False, None
    if not completed and confirm(f"Is the {report.title} complete (it marks its duty done too)?", default=False):
        complete = True
        when = _day("Completed on", today, "today", lambda day: f"{day} is after today ({today})" if day > today else (f"{day} is before the service ({service.date})" if day < service.date else None))
    if not entries and not complete:
        raise UsageError(f"nothing written: the {report.title} of {service.id} is unchanged")
    return replace(options, service=service.id, entries=tuple(entries), complete=complete, date=when)


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
        if last < first:
            raise UsageError(f"{part}: write the smaller number first, {last}-{first}")
        if not 1 <= first <= last <= count:
            raise UsageError(f"'{part}' is not between 1 and {count}")
        chosen += [n - 1 for n in range(first, last + 1) if n - 1 not in chosen]
    return chosen


def _ranges(numbers: Sequence[int]) -> str:
    """1, 2, 3, 5 as "1-3, 5"."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


def checklist_pages(groups, width: Optional[int], height: int) -> list[tuple[list[str], list[int]]]:
    """The checklist page by page, each page's lines and the numbers on it.
    `groups` is [(stage title, [(role title, [(number, words)])])], numbered across
    the groups. A page holds `height` lines at most (a duty's words longer than
    the terminal is wide take more than one); a stage that fits on a page but not
    on what is left of the current one starts the next page; a page that starts
    inside a stage or a role shows its heading again, "(continued)"."""
    from tacli.core.wrap import fit

    digits = len(str(max((number for _, roles in groups for _, items in roles for number, _ in items), default=1)))
    pages: list[tuple[list[str], list[int]]] = []
    page: list[str] = []
    numbers: list[int] = []
    for stage, roles in groups:
        shown = {number: fit(f"    {number:>{digits}}. {words}", width) for _, items in roles for number, words in items}
        whole = 1 + sum(1 + sum(len(shown[number]) for number, _ in items) for _, items in roles)
        if page and len(page) + whole > height and whole <= height:  # one that fits on a page of its own starts one
            pages.append((page, numbers))
            page, numbers = [], []
        stage_here = stage_begun = False  # its heading on this page; on any page
        for role, items in roles:
            role_here = role_begun = False
            for number, _ in items:
                for attempt in (1, 2):
                    headings = [] if stage_here else [stage + (" (continued)" if stage_begun else "")]
                    headings += [] if role_here else [f"  {role}" + (" (continued)" if role_begun else "")]
                    if attempt == 2 or not page or len(page) + len(headings) + len(shown[number]) <= height:
                        break
                    pages.append((page, numbers))
                    page, numbers, stage_here, role_here = [], [], False, False
                page += headings + shown[number]
                numbers.append(number)
                stage_here = role_here = stage_begun = role_begun = True
    if page:
        pages.append((page, numbers))
    return pages


def checklist(options):
    """`tacli mark FILE` in a terminal: the service's open duties to tick, those due
    first, then those not due yet (to record work done early), each grouped by
    stage and role in the standards' order and numbered across the groups ("3,
    5-7" works whatever the group). A list taller than the terminal is shown a
    page at a time, each page with its own question, so that nothing to read
    scrolls away before the question. The duties ticked carry the state they
    were shown in (MarkOptions.seen): one that changes meanwhile is not overwritten."""
    from tacli.commands import Session
    from tacli.core.dates import parse_day
    from tacli.core.textformat import plural
    from tacli.commands.edits import open_duties
    from tacli.standards.vocabulary import BY_SERVICE, NOT_BEFORE_SERVICE
    from tacli.domain.duties import dated_by_service, duty_due, duty_record, duty_state
    from tacli.domain.frameworks import duty_frameworks, role_rank, stage_rank
    from tacli.domain.reports import service_report
    from tacli.domain.services import in_order

    session = Session(options.common)
    spec, today = session.spec, session.today
    if options.date is not None:
        parse_day(options.date, "--date", today)
    engagement = _engagement(spec, options.file)
    services = in_order(engagement.services)
    if not services:
        raise UsageError("the engagement has no services: add one with `tacli new service`")
    if options.service:
        service = _service(services, options.service)
    elif len(services) == 1:
        service = services[0]
    else:
        held = [s for s in services if s.date <= today] or services
        service_id = choose("Which service", [s.id for s in services], default=held[-1].id)
        service = next(s for s in services if s.id == service_id)
    frameworks = duty_frameworks(spec, engagement)
    report = service_report(spec, engagement)
    stages = {stage.id: stage for f in frameworks for stage in f.stages}
    roles = {role.id: role.title for f in frameworks for role in f.roles}
    still_open = open_duties(spec, engagement, service)
    if not still_open:
        recorded = open_duties(spec, engagement, service, recorded=True)
        again = f"; to open one again, name it: tacli mark {_quoted(options.file)} --service {service.id} {recorded[0].id} --open" if recorded else ""
        raise UsageError(f"every duty of service '{service.id}' is done or not applicable: nothing to tick{again}")
    when = {duty.id: duty_due(duty, stages[duty.stage], service, engagement, report) for duty in still_open}
    stage_order, role_order = stage_rank(spec), role_rank(spec)

    def in_standards_order(duties):
        return [duty for _, duty in sorted(enumerate(duties), key=lambda pair: (stage_order.get(pair[1].stage, len(stage_order)), role_order.get(pair[1].role, len(role_order)), pair[0]))]

    due = in_standards_order([duty for duty in still_open if when[duty.id].is_due(today)])
    later = in_standards_order([duty for duty in still_open if not when[duty.id].is_due(today)])
    listed = due + later
    groups: list = []
    for number, duty in enumerate(listed, 1):
        stage_title, role_title = stages[duty.stage].title, roles.get(duty.role, duty.role)
        words = duty.text
        if number > len(due):  # not due yet: its stage says so, and each its day
            stage_title += ", not due yet"
            deadline = when[duty.id].deadline
            words += f" (due {deadline})" if deadline is not None else " (no due date yet)"
        if not groups or groups[-1][0] != stage_title:
            groups.append((stage_title, []))
        if not groups[-1][1] or groups[-1][1][-1][0] != role_title:
            groups[-1][1].append((role_title, []))
        groups[-1][1][-1][1].append((number, words))
    service_name = f"{service.id} ({service.date})"
    if due and later:
        heading = f"{plural(len(due), 'open duty', 'open duties')} due for {service_name}, then {len(later)} not due yet"
    elif due:
        heading = f"{plural(len(due), 'open duty', 'open duties')} due for {service_name}"
    else:
        heading = f"{plural(len(later), 'open duty', 'open duties')} of {service_name}, none due yet"
    # a page leaves room for its heading (as wrapped) and three lines: its question,
    # and a message and the question again after a wrong answer
    heading_lines = _wrapped(f"{heading}, page {len(listed)} of {len(listed)}:").count("\n") + 1
    pages = checklist_pages(groups, _width(), max(_lines() - 3 - heading_lines, 6))
    if len(pages) == 1:
        say(heading + ":")
        for line in pages[0][0]:
            typer.echo(line)
        chosen = ask("Tick which (numbers like 1 3 5-7, or all)", lambda answer: picks(answer, len(listed)) or _none())
    else:
        chosen = []
        for index, (page, numbers) in enumerate(pages):
            say(f"{heading}, page {index + 1} of {len(pages)}:")
            for line in page:
                typer.echo(line)
            first, last = numbers[0], numbers[-1]

            def on_page(answer: str, first=first, last=last) -> list[int]:
                if answer.lower() in ("all", "a", "*"):
                    return list(range(first - 1, last))
                return picks(answer, len(listed)) if answer else []

            more = "; Enter for none" if index + 1 == len(pages) else "; Enter for the next page"
            question = f"Tick which of {first}-{last} (numbers, or all{more})" if first != last else f"Tick {first} (type {first}{more})"
            chosen += [n for n in ask(question, on_page, "") if n not in chosen]
        if not chosen:
            raise UsageError(f"nothing ticked: {options.file} is unchanged")
        say(f"Ticked {_ranges([n + 1 for n in chosen])} ({plural(len(chosen), 'duty', 'duties')}).")
    ticked = [listed[index] for index in chosen]
    seen = tuple((duty.id, duty_state(duty_record(service, duty.id))) for duty in ticked)
    options = replace(options, service=service.id, duties=tuple(duty.id for duty in ticked), seen=seen)
    if not (options.done or options.na is not None or options.reopen):
        status = choose("Mark them", ["done", "not-applicable", "open"], default="done", aliases={"d": "done", "n": "not-applicable", "na": "not-applicable", "n/a": "not-applicable", "not applicable": "not-applicable", "o": "open"})
        if status == "done":
            options = replace(options, done=True)
        elif status == "open":
            options = replace(options, reopen=True)
        else:
            options = replace(options, na=ask("Why do they not apply", lambda answer: answer or _none("a reason")))
    if options.done and options.date is None:
        after_service = sorted({stages[duty.stage].title for duty in ticked if stages[duty.stage].dated in NOT_BEFORE_SERVICE})
        by_service = sorted({stages[duty.stage].title for duty in ticked if stages[duty.stage].dated == BY_SERVICE})
        if after_service and service.date > today:
            raise UsageError(f"{' and '.join(after_service)} duties are done at or after their service, and {service.id} is on {service.date}: nothing was written; mark them once it is held, or mark them not applicable")
        default = "today"
        each_its_own = False  # Enter: each duty dated as `tacli mark` dates it without --date
        if any(dated_by_service(stages[duty.stage], service, today) for duty in ticked):  # today would record late planning
            default = service.date.isoformat()
            at_service = sorted({stages[duty.stage].title for duty in ticked if dated_by_service(stages[duty.stage], service, today) and stages[duty.stage].dated != BY_SERVICE})
            later = sorted({stages[duty.stage].title for duty in ticked if not dated_by_service(stages[duty.stage], service, today)})
            how = " and ".join(part for part in (f"{' and '.join(by_service)} duties are done by the service" if by_service else "",
                                                 f"{' and '.join(at_service)} duties {'at it' if by_service else 'are done at the service'}" if at_service else "") if part)
            if later:  # Follow Up ticked too: its duties are dated the day they are marked
                each_its_own, default = True, ""
                say(f"{how}: Enter dates them {service.date}, the day of the service, and the {' and '.join(later)} duties today ({today}); a date typed is given to every one.")
            else:
                say(f"{how}: Enter dates them {service.date}, the day of the service.")

        def done_on(answer: str):
            day = _answered_day(answer, "the date", today)
            if day > today:
                raise UsageError(f"{day} is after today ({today}): a duty is done when it has happened")
            if after_service and day < service.date:
                raise UsageError(f"{day} is before the service ({service.date}), and {' and '.join(after_service)} duties come after it: give {service.date} or later")
            if by_service and day > service.date and not confirm(f"{day} is after the service ({service.date}): record {' and '.join(by_service)} done late, which tacli check warns of?"):
                raise UsageError(f"give the day {'it was' if len(ticked) == 1 else 'they were'} done, {service.date} or earlier")
            return day

        day = ask("Done on (Enter: as said above)" if each_its_own else "Done on", lambda answer: None if each_its_own and not answer else done_on(answer), default=default)
        options = replace(options, date=day.isoformat() if day is not None else None, dates_told=day is None)
    if options.done and options.evidence is None:
        evidence = ask("Evidence (what shows it was done; Enter for none)", lambda answer: answer, "")
        options = replace(options, evidence=evidence or None)
    return options


def marked(options, record: Callable):
    """`record(options)` (commands.edits.mark) for duties ticked in the checklist.
    When some changed in the file since the checklist showed them (someone else
    marked them), nothing is written: each is named with what it is now, and the
    person is asked whether to mark the others as answered."""
    from tacli.commands.edits import DutiesChanged

    while True:
        try:
            return record(options)
        except DutiesChanged as exc:
            for message in exc.messages[:-1]:
                warn(f"  {message}")
            left = tuple(duty for duty in options.duties if duty not in exc.changed)
            if not left:
                raise UsageError(f"nothing was written to {options.file}: {'the duty' if len(exc.changed) == 1 else 'every duty'} ticked changed since the checklist showed it; run tacli mark again to see the duties as they are now") from None
            others = "the other duty" if len(left) == 1 else f"the other {len(left)} duties"
            kept = "the one above stays as it is now" if len(exc.changed) == 1 else "those above stay as they are now"
            if not confirm(f"Mark {others} as answered ({kept})?", default=True):
                raise UsageError(f"nothing was written to {options.file}") from None
            options = replace(options, duties=left)


def _lines() -> int:
    import shutil

    return shutil.get_terminal_size().lines


def _quoted(path: str) -> str:
    import shlex

    return shlex.quote(path)


def _none(what: str = "a choice") -> list:
    raise UsageError(f"give {what}, or press Ctrl+C to stop")


def new_engagement_questions(options):
    """The options of `new engagement` with what was left out asked for; a title
    whose file is taken is asked again (the command's own refusal is the message)."""
    from dataclasses import replace

    from tacli.commands import Session
    from tacli.commands.new import engagement_target

    session = Session(options.common)

    def taken(answer: str):
        from tacli.commands.new import id_taken

        try:
            target = engagement_target(session.config, options, answer)
        except UsageError as exc:
            return str(exc)
        other = id_taken(session.config, options, answer, target)
        return f"the id '{answer}' is already the id of {other}, and reports are filed under it: choose another" if other is not None else None

    return replace(options, request=engagement_interview(session.spec, options.request, session.today, taken, session.config.me))
