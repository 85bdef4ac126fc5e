"""The commands that edit an engagement file in place: `new service` and `mark`.

Each reads the file through the pipeline, changes its text where the change
belongs (tacli.write.edit), and saves it only if it is still a valid engagement and
unchanged on disk since it was read.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Optional, Union

from tacli.commands import CommonOptions, Session
from tacli.core.suggest import choice
from tacli.core.dates import parse_day
from tacli.core.numbers import number, parse_hours
from tacli.core.outcome import EXIT_CLEAN, Outcome, UsageError
from tacli.core.textformat import visible


def edit_file(session: Session, path: str, change: Callable, expected: Optional[str] = None, dry_run: bool = False, valid: bool = True) -> None:
    """Read, change, validate and save one file, holding its lock throughout, so
    that a concurrent edit waits its turn; a refusal leaves the file untouched.
    `expected`: the digest (write.edit.digest) of the file as a form showed it,
    refused when the file changed since; `dry_run`: every check, no write;
    without `valid`, a file that is not a valid engagement may be replaced."""
    from tacli.checking.checker import Checker
    from tacli.write.edit import read_for_edit, save_edit
    from tacli.io.writer import locked

    checker = Checker(session.spec, session.today)
    with locked(Path(path)):
        source = read_for_edit(Path(path), checker, expected, valid)
        save_edit(source, change(source), checker, write=not dry_run)


# Every edit's options end with these two, for a form that shows a file and
# saves a change to it (tacli serve): the change is refused when the file is
# no longer the one shown, and a dry run checks it as the user types.
#   expected: Optional[str]  the file's digest (write.edit.digest) as shown
#   dry_run: bool            check everything, write nothing


@dataclass(frozen=True)
class NewServiceOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    file: str = ""
    date: Optional[str] = None
    type: Optional[str] = None
    hours: Optional[Union[str, float]] = None  # as typed: 1.5, 2h, 90 min (tacli.core.numbers.parse_hours)
    mode: Optional[str] = None  # on-site
    id: Optional[str] = None
    title: Optional[str] = None
    topics: Optional[str] = None  # comma-separated ids
    expected: Optional[str] = None
    dry_run: bool = False
    evaluation: "EvaluationInput" = field(default_factory=lambda: EvaluationInput())  # what its completed evaluation forms said


def new_service(options: NewServiceOptions) -> Outcome:
    from tacli.write.edit import add_service
    from tacli.standards.vocabulary import DELIVERY_MODES
    from tacli.standards.models import id_problem
    from tacli.domain.frameworks import duty_frameworks
    from tacli.write.scaffold import ServiceAnswers, service_id

    missing = [name for name, value in (("--date", options.date), ("--type", options.type)) if not value]
    if missing:
        raise UsageError(f"missing {' and '.join(missing)}: give them on the command line (no terminal to ask in)")
    session = Session(options.common)
    when = parse_day(options.date, "--date", session.today)
    spec = session.spec
    mode = options.mode or DELIVERY_MODES[0]
    kind = choice(options.type, spec.ids("support_types"), "support type")
    mode = choice(mode, DELIVERY_MODES, "delivery mode")
    topics = [choice(t.strip(), spec.ids("topics"), "topic") for t in (options.topics or "").split(",") if t.strip()]
    if options.id is not None and id_problem(options.id):
        raise UsageError(f"--id {_shown(options.id)} {id_problem(options.id)}")
    hours = parse_hours(options.hours, "--hours") if options.hours is not None else None
    answers = ServiceAnswers(date=when, type=kind, mode=mode, hours=hours, id=options.id, title=options.title, topics=topics)
    evaluation = evaluation_of(spec, options.evaluation) if options.evaluation.given() else None
    if evaluation is not None and when > session.today:
        raise UsageError(f"--date {when} is after today ({session.today}): evaluation forms are recorded once the service is held")
    if evaluation is not None and evaluation.ratings and "returned" not in evaluation.counts:
        raise UsageError("--rating needs --forms-returned N: the number of forms the ratings are the mean of")

    with_duties: list[bool] = []
    marked: list[str] = []

    def change(source):
        from tacli.write.edit import reparsed

        _fits_the_engagement(spec, source.engagement, answers)
        with_duties.append(bool(duty_frameworks(spec, source.engagement)))
        text = add_service(source, spec, answers)
        if evaluation is None:
            return text
        from tacli.checking.checker import Checker

        again = reparsed(source, text)
        result = Checker(spec, session.today).read_document(again.document)
        if not result.usable:
            return text  # save_edit refuses it, with its findings
        again.engagement = result.engagement
        text, done = record_evaluation(again, spec, service_id(answers), evaluation, session.today, [])
        marked.extend(done)
        return text

    edit_file(session, options.file, change, options.expected, options.dry_run)
    new_id = service_id(answers)
    file = visible(shlex.quote(options.file))
    text = f"added service {new_id} to {visible(options.file)}\n"
    if evaluation is not None:
        text += f"recorded its evaluation forms: {evaluation_words(evaluation)}\n"
        text += "".join(f"marked {duty} done on {when}: the forms returned are its record\n" for duty in marked)
    if with_duties and with_duties[-1]:  # the checklist of its duties, in a terminal; elsewhere mark says to name them
        text += f"next, to tick its duties as they are done:\n  tacli mark {file} --service {new_id}\n"
    return Outcome(EXIT_CLEAN, text)


def duty_ids_hint(spec) -> str:
    """What a duty id is, with a real one: "a duty id of `tacli standards show cali`,
    e.g. planning.facilitator.review-plans-and-data"."""
    framework = next((f for f in spec.frameworks.values() if f.duties), None)
    if framework is None:
        return "a duty id (these standards define no duties)"
    return f"a duty id of `tacli standards show {framework.id}`, e.g. {framework.duties[0].id}"


def _shown(value: str) -> str:
    """A value the user typed, quoted, with any control character visible."""
    return repr(value) if not value.isprintable() else f"'{value}'"


def _fits_the_engagement(spec, engagement, answers) -> None:
    """A new service's type and topics come from the frameworks the engagement
    lists, and its date lies within the engagement's dates."""
    from tacli.write.edit import EditError

    for section, value, label in [("support_types", answers.type, "support type")] + [("topics", topic, "topic") for topic in answers.topics]:
        problem = not_listed(spec, engagement, section, value, label)
        if problem:
            raise EditError(problem)
    problem = outside_dates(engagement, answers.date, "--date")
    if problem:
        raise EditError(problem)


def listed_items(spec, engagement, section: str) -> list[str]:
    """The ids of `section` (support_types, topics) from the frameworks the engagement lists."""
    return [item.id for item in spec.every(section) if spec.owner(section, item.id) in engagement.frameworks]


def not_listed(spec, engagement, section: str, value: str, label: str) -> Optional[str]:
    """Why `value` cannot be used in this engagement: it comes from a framework the engagement does not list."""
    owner = spec.owner(section, value)
    if owner is None or owner in engagement.frameworks:
        return None
    mine = listed_items(spec, engagement, section)
    offer = f"use one of {', '.join(mine)}, or add '{owner}' to its frameworks first" if mine else f"add '{owner}' to its frameworks first"
    return f"{label} '{value}' comes from '{owner}', which this engagement does not list ({', '.join(engagement.frameworks)}): {offer}"


def outside_dates(engagement, day, name: str) -> Optional[str]:
    """Why a service on `day` does not fit the engagement: it falls outside its dates."""
    if engagement.start <= day and (engagement.end is None or day <= engagement.end):
        return None
    span = f"{engagement.start} to {engagement.end}" if engagement.end else f"from {engagement.start}"
    return f"{name} {day} falls outside the engagement ({span}): give a date within it, or change the engagement's start or end first"


@dataclass(frozen=True)
class NewOutcomeOptions:
    """Outcome evidence to add to an engagement's `outcomes`: its level (of the
    standards' evidence levels), day, what was observed and where the evidence is."""

    common: CommonOptions = field(default_factory=CommonOptions)
    file: str = ""
    level: Optional[str] = None
    date: Optional[str] = None  # default: today
    observed: Optional[str] = None
    evidence: Optional[str] = None
    expected: Optional[str] = None
    dry_run: bool = False


def evidence_level(spec, typed: str) -> Any:
    """The standards' evidence level `typed` stands for: its id, title or ref
    (Level 4), in any case; else a usage error naming the nearest."""
    levels = spec.every("evidence_levels")
    if not levels:
        raise UsageError("these standards define no levels of outcome evidence (evidence_levels): add a framework that does, such as guskey")
    titles = {**{level.title: level.id for level in levels if level.title}, **{level.ref: level.id for level in levels if level.ref}}
    # the number alone, as status and the reports number the levels ("4" for Level 4)
    titles.update({level.ref.split()[-1]: level.id for level in levels if level.ref and level.ref.split()[-1].isdigit()})
    wanted = choice(typed, [level.id for level in levels], "evidence level", titles)
    return next(level for level in levels if level.id == wanted)


def new_outcome(options: NewOutcomeOptions) -> Outcome:
    """Add a dated entry of outcome evidence, in date order, keeping every other byte."""
    from tacli.write.edit import EditError, add_outcome

    missing = [name for name, value in (("--level", options.level), ("--observed", options.observed)) if value is None]
    if missing:
        raise UsageError(f"missing {' and '.join(missing)}: give them on the command line (no terminal to ask in), e.g. --level use --observed 'Teachers run the data protocol unaided'")
    session = Session(options.common)
    spec, today = session.spec, session.today
    level = evidence_level(spec, options.level)
    when = parse_day(options.date, "--date", today) if options.date is not None else today
    if when > today:
        raise UsageError(f"--date {when} is after today ({today}): evidence is recorded once it is observed")
    if not options.observed.strip():
        raise UsageError("--observed is blank: write what was observed")
    if options.evidence is not None and not options.evidence.strip():
        raise UsageError("--evidence is blank: write where the evidence is (a document, a data file, a link), or leave it out")
    entry = {"date": when, "level": level.id, "observed": options.observed.strip(), "evidence": options.evidence.strip() if options.evidence else None}
    notes: list[str] = []

    def change(source):
        engagement = source.engagement
        if when < engagement.start:
            raise EditError(f"--date {when} is before the engagement's start ({engagement.start}): outcome evidence is of the engagement's work; keep a baseline in notes")
        for index, other in enumerate(engagement.outcomes):
            if other.date == when and other.level == level.id and other.observed.strip() == entry["observed"]:
                raise EditError(f"outcome entry {index + 1} already records this ({when}, {level.id}): nothing was written")
        problem = not_listed(spec, engagement, "evidence_levels", level.id, "evidence level")
        if problem:
            raise EditError(problem)
        return add_outcome(source, entry)

    edit_file(session, options.file, change, options.expected, options.dry_run)
    if entry["evidence"] is None:
        notes.append("tacli: it does not say where the evidence is: add `evidence:` to the entry (a document, a data file, a link); tacli check warns of it (outcome-evidence)")
    return Outcome(EXIT_CLEAN, f"added outcome evidence observed on {when}, at {level.ref or level.id} ({level.label}), to {visible(options.file)}\n", notes=notes)


@dataclass(frozen=True)
class NewReviewerOptions:
    """A reviewer to add to an engagement's `reviewers`: their name, and role."""

    common: CommonOptions = field(default_factory=CommonOptions)
    file: str = ""
    name: str = ""
    role: Optional[str] = None
    expected: Optional[str] = None
    dry_run: bool = False


def new_reviewer(options: NewReviewerOptions) -> Outcome:
    """Add a person to the engagement's reviewers, keeping every other byte."""
    from tacli.write.edit import EditError, add_reviewer
    from tacli.write.scaffold import reviewer_problem

    name = " ".join(options.name.split())
    if not name:
        raise UsageError("NAME is blank: give the reviewer's name")
    if options.role is not None and not options.role.strip():
        raise UsageError("--role is blank: give the reviewer's role, or leave it out")
    session = Session(options.common)

    def change(source):
        problem = reviewer_problem(name, [person.name for person in source.engagement.reviewers])
        if problem:
            raise EditError(problem)
        return add_reviewer(source, {"name": name, "role": " ".join(options.role.split()) if options.role else None})

    edit_file(session, options.file, change, options.expected, options.dry_run)
    return Outcome(EXIT_CLEAN, f"added {name} to the reviewers of {visible(options.file)}: each completed report is approved once every reviewer approved it\n")


@dataclass(frozen=True)
class EvaluationInput:
    """What a service's completed evaluation forms said, as typed: `tacli new
    service` and `tacli tast` take it (--forms-requested, --forms-returned,
    --rating ID=MEAN, --comment)."""

    requested: Optional[int] = None
    returned: Optional[int] = None
    ratings: tuple[str, ...] = ()  # "quality=4.6", as typed
    comments: tuple[str, ...] = ()

    def given(self) -> bool:
        return self.requested is not None or self.returned is not None or bool(self.ratings) or bool(self.comments)


@dataclass(frozen=True)
class Evaluation:
    """An EvaluationInput checked against the standards: counts, ratings by id, comments."""

    counts: dict
    ratings: dict
    comments: list


def rating_ids(spec) -> dict[str, str]:
    """The rated qualities of the standards (ratings), id to title."""
    return {rating.id: rating.label for rating in spec.every("ratings")}


def evaluation_of(spec, given: EvaluationInput) -> Evaluation:
    """The forms' counts, ratings and comments, each checked against the
    standards' rated qualities and rating scale before anything is written."""
    import math

    from tacli.core.numbers import MAX_FORMS

    counts = {}
    for key, value, option in (("requested", given.requested, "--forms-requested"), ("returned", given.returned, "--forms-returned")):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) and not str(value).strip().isdigit():
            raise UsageError(f"{option} {_shown(str(value))}: give a whole number of forms, e.g. {option} 17")
        number_ = int(value)
        if number_ < 0:
            raise UsageError(f"{option} {number_} is negative: give the number of forms")
        if number_ > MAX_FORMS:
            raise UsageError(f"{option} {number_} is more than the {MAX_FORMS:,} forms a service may have: give the number of forms")
        counts[key] = number_
    if "requested" in counts and "returned" in counts and counts["returned"] > counts["requested"]:
        raise UsageError(f"--forms-returned {counts['returned']} is more than --forms-requested {counts['requested']}: correct the counts")
    ratings = {}
    rated = rating_ids(spec)
    scale = spec.rating_scale
    for typed in given.ratings:
        name, separator, value = str(typed).partition("=")
        if not rated:
            raise UsageError("--rating: these standards name nothing that evaluation forms rate (ratings): leave --rating out, or add ratings and a rating_scale to the standards")
        if not separator or not name.strip() or not value.strip():
            example = next(iter(rated))
            raise UsageError(f"--rating {_shown(str(typed))}: write QUALITY=MEAN, e.g. --rating {example}=4.5 (rated: {', '.join(rated)})")
        try:
            rating = choice(name.strip(), rated, "rated quality", {title: id_ for id_, title in rated.items()})
        except UsageError as exc:
            raise UsageError(f"--rating: {exc} (rated: {', '.join(rated)})") from None
        try:
            mean = float(value.strip())
        except ValueError:
            raise UsageError(f"--rating {_shown(str(typed))}: write the mean rating as a number, e.g. {rating}=4.5") from None
        if not math.isfinite(mean):
            raise UsageError(f"--rating {_shown(str(typed))}: write the mean rating as a number, e.g. {rating}=4.5")
        if scale is not None and not scale.min <= mean <= scale.max:
            ends = f" ({scale.min}: {scale.low}, {scale.max}: {scale.high})" if scale.low and scale.high else ""
            raise UsageError(f"--rating {rating}={value.strip()} is off the rating scale, {scale.min} to {scale.max}{ends}: give the mean of the forms' ratings on it")
        if rating in ratings and ratings[rating] != mean:
            raise UsageError(f"--rating {rating} is given twice ({number(ratings[rating])} and {number(mean)}): give it once")
        ratings[rating] = int(mean) if mean.is_integer() else mean
    comments = []
    for comment_ in given.comments:
        if not str(comment_).strip():
            raise UsageError("--comment is blank: write what a participant wrote")
        comments.append(str(comment_).strip())
    return Evaluation(counts, ratings, comments)


def evaluation_duties(spec, engagement) -> list:
    """The duties of the engagement's frameworks that evaluation forms record
    (recorded_in service.evaluation_forms: CALI's "Request completed evaluation forms")."""
    from tacli.domain.frameworks import duty_frameworks

    return [duty for framework in duty_frameworks(spec, engagement) for duty in framework.duties
            if duty.recorded_in and duty.recorded_in.split(".")[:2] == ["service", "evaluation_forms"]]


def record_evaluation(source, spec, service_id: str, evaluation: Evaluation, today, written_now: Optional[list] = None) -> tuple[str, list[str]]:
    """The file's text with the service's evaluation forms recorded, and what
    else was done: its forms-returned duty (an open one) marked done, dated the
    day of the service, since a count of forms returned is the record it produces.
    Refused when the counts would not add up (evaluation-count). What differs
    from the file (an Evaluation) is appended to `written_now`."""
    from tacli.standards.fields import field_value
    from tacli.write.edit import DutyChange, EditError, find_service, mark_duty, reparsed, set_evaluation

    engagement = source.engagement
    index, _ = find_service(source, service_id)
    service = engagement.services[index]
    for rating in evaluation.ratings:
        problem = not_listed(spec, engagement, "ratings", rating, "rated quality")
        if problem:
            raise EditError(problem)
    if service.date > today:
        raise EditError(f"service '{service_id}' is on {service.date}, after today ({today}): its evaluation forms are recorded once it is held")
    forms = service.evaluation_forms
    requested = evaluation.counts.get("requested", forms.requested if forms is not None else None)
    returned = evaluation.counts.get("returned", forms.returned if forms is not None else None)
    rated = forms.rated if forms is not None and forms.rated is not None else returned
    where = f"the evaluation forms of service '{service_id}'"
    if requested is not None and returned is not None and returned > requested:
        raise EditError(f"{where} would say {returned} returned of {requested} requested: returned are at most those requested (--forms-requested, --forms-returned)")
    if forms is not None and forms.rated is not None and returned is not None and forms.rated > returned:
        raise EditError(f"{where} say {forms.rated} of them gave ratings (rated), more than {returned} returned: correct rated in the file, or give --forms-returned")
    if evaluation.ratings and rated == 0:
        raise EditError(f"{where}: no form came back (0 returned), so there is no rating to record: leave out --rating, or give the forms returned")
    if evaluation.ratings and not rated:
        raise EditError(f"{where}: ratings need the number of forms they are the mean of: give --forms-returned N too")
    written = [str(entry) for entry in forms.comments] if forms is not None else []
    comments = [entry for entry in evaluation.comments if entry not in written]
    counts = {key: value for key, value in evaluation.counts.items() if forms is None or getattr(forms, key) != value}
    ratings = {key: value for key, value in evaluation.ratings.items() if forms is None or field_value(forms.ratings, key) != value}
    done: list[str] = []
    if written_now is not None:
        written_now.append(Evaluation(counts, ratings, comments))
    if not (counts or ratings or comments):
        return source.text, done
    text = set_evaluation(source, service_id, counts, ratings, comments)
    if returned is not None:
        for duty in evaluation_duties(spec, engagement):
            record = field_value(service.duties, duty.id)
            if record is None or record.status == "open":
                change = DutyChange("done", date=service.date, evidence=f"{returned} evaluation form{'s' if returned != 1 else ''} returned")
                text = mark_duty(reparsed(source, text), spec, duty.id, service_id, change)
                done.append(duty.id)
    return text, done


def evaluation_words(evaluation: Evaluation) -> str:
    """What was recorded, in a few words: "17 returned of 18 requested, 3 ratings, 2 comments"."""
    parts = []
    if "returned" in evaluation.counts:
        parts.append(f"{evaluation.counts['returned']} returned" + (f" of {evaluation.counts['requested']} requested" if "requested" in evaluation.counts else ""))
    elif "requested" in evaluation.counts:
        parts.append(f"{evaluation.counts['requested']} requested")
    if evaluation.ratings:
        parts.append(", ".join(f"{key} {number(value)}" for key, value in evaluation.ratings.items()))
    if evaluation.comments:
        parts.append(f"{len(evaluation.comments)} comment{'s' if len(evaluation.comments) != 1 else ''}")
    return "; ".join(parts)


@dataclass(frozen=True)
class MarkOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    file: str = ""
    duties: tuple[str, ...] = ()
    service: Optional[str] = None
    stage: Optional[str] = None  # every open duty of this stage (and role) of the service
    role: Optional[str] = None
    done: bool = False
    date: Optional[str] = None
    evidence: Optional[str] = None
    na: Optional[str] = None  # the reason
    reopen: bool = False
    expected: Optional[str] = None
    dry_run: bool = False
    # (duty id, its record in words: domain.duties.duty_state) as a checklist showed
    # each duty ticked; one whose record is no longer so is refused, never overwritten
    seen: tuple[tuple[str, str], ...] = ()
    dates_told: bool = False  # the checklist said which day each duty is dated: no note says it again


class DutiesChanged(UsageError):
    """Duties ticked in a checklist changed in the file since it was shown
    (someone else marked them): nothing was written. `changed`: their ids."""

    def __init__(self, messages: list[str], changed: tuple[str, ...]):
        super().__init__(*messages)
        self.changed = changed


def _change_of(options: MarkOptions, today):
    from tacli.domain.duties import EVIDENCE_PLACEHOLDER
    from tacli.write.edit import DutyChange

    chosen = [name for name, given in (("--done", options.done), ("--na", options.na is not None), ("--open", options.reopen)) if given]
    if len(chosen) != 1:
        raise UsageError("say exactly one of --done, --na REASON or --open")
    if (options.date is not None or options.evidence is not None) and not options.done:
        raise UsageError("--date and --evidence go with --done")
    if options.evidence is not None and not options.evidence.strip():
        raise UsageError("--evidence is empty: say what shows it (a sign-in sheet, an agenda, an e-mail), or leave --evidence out")
    if options.na is not None and not options.na.strip():
        raise UsageError("--na needs a reason")
    if options.evidence is not None and " ".join(options.evidence.split()).casefold() == EVIDENCE_PLACEHOLDER:
        raise UsageError(f"--evidence '{EVIDENCE_PLACEHOLDER}' is the suggested command's place for the evidence: say what shows it (a sign-in sheet, an agenda, an e-mail)")
    if options.done:
        when = parse_day(options.date, "--date", today) if options.date is not None else today
        if when > today:
            raise UsageError(f"--date {when} is after today ({today}): a duty is done when it has happened")
        return DutyChange("done", date=when, evidence=options.evidence)
    if options.na is not None:
        return DutyChange("not-applicable", reason=options.na.strip())
    return DutyChange("open")


def unconditional(duty) -> Optional[str]:
    """The warning for a duty marked not applicable that the standards make
    unconditional (domain.duties.may_not_apply), or None for a conditional one."""
    from tacli.domain.duties import may_not_apply

    if may_not_apply(duty):
        return None
    return f"{duty.id} (\"{duty.text}\") is not conditional in the standards: it applies to every service, and tacli check warns of it (duty-not-conditional); do it and mark it done, or keep the reason for the record"


def open_duties(spec, engagement, service, stage: Optional[str] = None, role: Optional[str] = None, recorded: bool = False) -> list:
    """The duties of the service still open (or not recorded), of the listed
    frameworks' duty matrices, in the standards' order; of one stage and role.
    With `recorded`, those done or not applicable instead (to open again)."""
    from tacli.domain.frameworks import duty_frameworks
    from tacli.standards.fields import field_value

    found = []
    for framework in duty_frameworks(spec, engagement):
        for duty in framework.duties:
            if (stage and duty.stage != stage) or (role and duty.role != role):
                continue
            record = field_value(service.duties, duty.id)
            if (record is None or record.status == "open") != recorded:
                found.append(duty)
    return found


def mark(options: MarkOptions) -> Outcome:
    from tacli.domain.duties import dated_by_service, duty_state
    from tacli.standards.vocabulary import BY_SERVICE, NOT_BEFORE_SERVICE
    from tacli.domain.reports import report_written
    from tacli.write.edit import DutyChange, EditError, find_service, mark_duty, reparsed, set_report_completed
    from tacli.standards.fields import field_value
    from tacli.core.suggest import did_you_mean

    session = Session(options.common)
    spec, today = session.spec, session.today
    if not options.duties and not options.stage:
        first_stage = next(iter(spec.stage_by_id), "planning")
        raise UsageError(f"name the duties to mark, each {duty_ids_hint(spec)}; or --stage {first_stage} for every open duty of a stage (the checklist to tick needs a terminal)")
    update = _change_of(options, today)
    options = replace(options, duties=tuple(dict.fromkeys(options.duties)))
    if options.duties and options.stage:
        raise UsageError("give duty ids or --stage, not both")
    if options.role and not options.stage:
        raise UsageError("--role goes with --stage")
    for duty in options.duties:
        if duty not in spec.duty_by_id:
            hint = did_you_mean(duty, spec.duty_by_id) or f" give {duty_ids_hint(spec)}."
            raise UsageError(f"unknown duty id '{duty}':{hint}")
    if options.stage:
        options = replace(options, stage=choice(options.stage, spec.stage_by_id, "stage", {s.title: s.id for s in spec.stage_by_id.values()}))
    if options.role:
        options = replace(options, role=choice(options.role, spec.role_by_id, "role", {r.title: r.id for r in spec.role_by_id.values()}))
    marked: list[str] = []
    completed_reports: list = []
    completed_on: list = []
    left: list[str] = []
    by_service: list = []  # (duty, service date): dated by the service, not today, when no --date was given
    late: list = []  # (duty, service date): dated after the service by --date: late planning

    def change(source):
        engagement = source.engagement
        index, _ = find_service(source, options.service)
        service = engagement.services[index]
        service_id = service.id
        duties = [spec.duty_by_id[d] for d in options.duties]
        if not duties:
            duties = open_duties(spec, engagement, service, options.stage, options.role, recorded=update.status == "open")
            for duty in list(duties):  # a whole stage done: the report's duty only with the report written
                report = spec.frameworks[duty.framework].report
                if update.status == "done" and report is not None and report.duty == duty.id and not report_written(report, service):
                    duties.remove(duty)
                    left.append(f"{duty.id} stays open: its {report.title} is not written (tacli tast {visible(options.file)} --service {service_id})")
        if not duties:
            scope = f"{options.stage}" + (f" / {options.role}" if options.role else "")
            state = "done or not applicable" if update.status == "open" else "open"
            raise EditError(f"service '{service_id}' has no {state} {scope} duties to mark" + (f"; {left[0]}" if left else ""))
        changed = [(duty, dict(options.seen)[duty.id], duty_state(field_value(service.duties, duty.id))) for duty in duties if duty.id in dict(options.seen)]
        changed = [(duty, shown, now) for duty, shown, now in changed if shown != now]
        if changed:  # someone else marked them meanwhile: their record is not overwritten unseen
            raise DutiesChanged(
                [f"{duty.id} (\"{duty.text}\") changed since the checklist showed it {shown}: it is now {now}" for duty, shown, now in changed]
                + [f"nothing was written to {visible(options.file)}"],
                tuple(duty.id for duty, _, _ in changed))
        text = source.text
        for duty in duties:
            owner = spec.frameworks[duty.framework]
            if owner.id not in engagement.frameworks:
                raise EditError(f"duty {duty.id} belongs to '{owner.id}', which this engagement does not list in frameworks")
            stage = spec.stage_by_id[duty.stage]
            if update.date is not None and stage.dated in NOT_BEFORE_SERVICE and update.date < service.date:
                raise EditError(f"duty {duty.id} is a {stage.title} duty and cannot be done on {update.date}, before its service on {service.date}: give --date on or after {service.date}")
            if update.status == "done" and owner.report is not None and owner.report.duty == duty.id and not report_written(owner.report, service):
                raise EditError(f"duty {duty.id} completes the {owner.report.title}, which has nothing in it yet: write it first (tacli tast {visible(options.file)} --service {service_id}), then complete it")
            this = update
            record = field_value(service.duties, duty.id)
            if update.status == "done" and options.date is None and record is not None and record.status == "done" and record.date is not None:
                this = DutyChange("done", date=record.date, evidence=update.evidence if update.evidence is not None else record.evidence)  # already done: its day stays
            elif update.status == "done" and dated_by_service(stage, service, update.date):
                if options.date is None:  # done by or at the service, as its stage is: today would record late planning, or a day nothing happened
                    this = DutyChange("done", date=service.date, evidence=update.evidence)
                    by_service.append((duty, service.date))
                elif stage.dated == BY_SERVICE:
                    late.append((duty, service.date))
            current = source if text == source.text else reparsed(source, text)
            text = mark_duty(current, spec, duty.id, service_id, this)
            if owner.report is not None and owner.report.duty == duty.id:  # the report and its duty are one fact
                text = set_report_completed(reparsed(source, text), service_id, this.date if update.status == "done" else None)
                completed_reports.append(owner.report)
                completed_on.append(this.date)
            marked.append(duty.id)
        return text

    edit_file(session, options.file, change, options.expected, options.dry_run)
    notes = [f"tacli: {line}" for line in left]
    if by_service and not options.dates_told:
        day = by_service[0][1]
        planning = _titles(spec, [duty for duty, _ in by_service if spec.stage_by_id[duty.stage].dated == BY_SERVICE])
        delivery = _titles(spec, [duty for duty, _ in by_service if spec.stage_by_id[duty.stage].dated != BY_SERVICE])
        why = " and ".join(part for part in (f"{planning} duties are done by the service (a later date is late planning)" if planning else "",
                                             f"{delivery} duties are done at the service" if delivery else "") if part)
        notes.append(f"tacli: {plural_of(by_service, 'it is', 'they are')} dated {day}, the day of the service, not today: {why};"
                     f" give --date for the day {plural_of(by_service, 'it was', 'they were')} done")
    if late:
        day, stages = late[0][1], _titles(spec, [duty for duty, _ in late])
        notes.append(f"tacli: warning: {plural_of(late, 'it is', 'they are')} dated {update.date}, after the service on {day}: {stages} duties are done by the service,"
                     f" and tacli check warns of late planning (duty-late-planning); if {plural_of(late, 'it was', 'they were')} done by the service, give --date {day} or earlier")
    if update.status == "not-applicable":
        notes += [f"tacli: warning: {message}" for message in (unconditional(spec.duty_by_id[duty]) for duty in marked) if message]
    also = ""
    if completed_reports:
        title = completed_reports[0].title
        also = f" (and its {title} completed on {completed_on[0]})" if update.status == "done" else f" (and its {title} no longer completed)"
    if len(marked) == 1:
        return Outcome(EXIT_CLEAN, f"marked {marked[0]} {update.status} in {visible(options.file)}{also}\n", notes=notes)
    listing = "".join(f"  {duty}\n" for duty in marked)
    return Outcome(EXIT_CLEAN, f"marked {len(marked)} duties {update.status} in {visible(options.file)}{also}:\n{listing}", notes=notes)


def plural_of(items: list, one: str, several: str) -> str:
    return one if len(items) == 1 else several


def _titles(spec, duties) -> str:
    """The titles of the duties' stages, in the standards' order: "Planning"."""
    return " and ".join(dict.fromkeys(spec.stage_by_id[duty.stage].title for duty in duties))


@dataclass(frozen=True)
class PlanOptions:
    """Planning elements to set, each (element id, value): a text (str), a text
    list (tuple of str), a record (dict of field -> tuple of str) or people
    (tuple of dicts: name, title, role, responsibilities, contribution)."""

    common: CommonOptions = field(default_factory=CommonOptions)
    file: str = ""
    elements: tuple = ()
    expected: Optional[str] = None
    dry_run: bool = False


def plan_value(element, value) -> object:
    """An element's value as plain data, to compare what is written with what a
    form gives: "" for no text, lists for lists, a dict of lists for a record."""
    from pydantic import BaseModel

    from tacli.standards.fields import field_value

    if element.value == "text":
        return str(value).strip() if value is not None else ""
    if element.value == "text-list":
        return [str(entry) for entry in value or []]
    if element.value == "record":
        def entries(name):
            if isinstance(value, dict):
                return value.get(name)
            return field_value(value, name) if isinstance(value, BaseModel) else None

        return {name: [str(entry) for entry in entries(name) or []] for name in element.fields}
    people = []
    for person in value or []:
        if isinstance(person, dict):
            people.append({key: person.get(key) for key in ("name", "title", "role", "responsibilities", "contribution")})
            continue
        people.append({"name": person.name, "title": person.title, "role": person.role, "responsibilities": [str(r) for r in person.responsibilities], "contribution": person.contribution})
    return [{key: (list(item) if isinstance(item, (list, tuple)) else item) for key, item in p.items()} for p in people]


def plan(options: PlanOptions) -> Outcome:
    """Set planning elements of an engagement (tacli serve's plan form): only
    those whose value changed are written, each in place."""
    from tacli.domain.frameworks import element_frameworks
    from tacli.standards.fields import field_value
    from tacli.write.edit import EditError, reparsed, set_plan_element

    session = Session(options.common)
    spec = session.spec
    changed: list[str] = []

    def change(source):
        engagement = source.engagement
        elements = {element.id: element for framework in element_frameworks(spec, engagement) for element in framework.elements}
        text = source.text
        for element_id, value in options.elements:
            element = elements.get(element_id)
            if element is None:
                known = ", ".join(elements) or "none: it lists no framework with planning elements"
                raise EditError(f"'{element_id}' is not a planning element of this engagement's frameworks ({known})")
            current = field_value(engagement.plan, element_id) if engagement.plan is not None else None
            if plan_value(element, current) == plan_value(element, value):
                continue
            text = set_plan_element(reparsed(source, text) if text != source.text else source, spec, element_id, value)
            changed.append(element.title)
        if not changed:
            raise EditError("nothing changed: the plan is as written in the file")
        return text

    edit_file(session, options.file, change, options.expected, options.dry_run)
    return Outcome(EXIT_CLEAN, f"wrote {', '.join(changed)} in the plan of {visible(options.file)}\n")


@dataclass(frozen=True)
class TextOptions:
    """A whole engagement file's new text, as typed (tacli serve's escape hatch)."""

    common: CommonOptions = field(default_factory=CommonOptions)
    file: str = ""
    text: str = ""
    expected: Optional[str] = None
    dry_run: bool = False


def same_line_endings(text: str, original: str) -> str:
    """`text` with the line endings of `original`: a browser's text area sends
    every line ending as \r\n, which a file written with \n keeps as \n."""
    text = text.replace("\r\n", "\n")
    first = original.find("\n")
    if first > 0 and original[first - 1] == "\r":
        text = text.replace("\n", "\r\n")
    return text


def save_text(options: TextOptions) -> Outcome:
    """Replace an engagement file's text, also a file that is not a valid
    engagement yet (to fix it): refused, with every finding, when the new text
    is not a valid engagement; written with the file's own line endings."""
    session = Session(options.common)

    def change(source):
        return same_line_endings(options.text, source.text)

    edit_file(session, options.file, change, options.expected, options.dry_run, valid=False)
    return Outcome(EXIT_CLEAN, f"wrote {visible(options.file)}\n")
