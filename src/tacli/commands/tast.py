"""`tacli tast`: write a service's report and complete it, without editing YAML.

The report's sections come from its definition in the standards, so another
framework's report works the same way: `--add SECTION=TEXT` takes any section
id, and `--commendation`, `--recommendation` and `--next-step` are read as the
section whose id they name (`next_steps`). Completing the report also marks
its duty done, in the same edit.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from tacli.commands import CommonOptions, Session
from tacli.commands.edits import EvaluationInput
from tacli.core.dates import parse_day
from tacli.core.textformat import plural
from tacli.core.outcome import EXIT_CLEAN, Outcome, UsageError


@dataclass(frozen=True)
class TastOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    file: str = ""
    service: Optional[str] = None  # None: the latest service whose report is open
    entries: tuple[tuple[str, str], ...] = ()  # (section name as given, text)
    complete: bool = False
    date: Optional[str] = None
    expected: Optional[str] = None  # as every edit's (commands.edits)
    dry_run: bool = False
    # a reviewer's decision on the completed report (domain.reviews)
    review: Optional[str] = None  # the reviewer's name, as the engagement's reviewers list it
    approve: bool = False
    request_changes: Optional[str] = None  # the changes asked for: the decision's note
    note: Optional[str] = None  # with --approve: a comment
    resubmit: bool = False  # the report revised as asked: back to the reviewers who asked for changes (domain.reviews)
    evaluation: EvaluationInput = field(default_factory=EvaluationInput)  # what the service's completed evaluation forms said


def section_for(name: str, sections) -> Optional[str]:
    """The id of the section `name` stands for: its id or title, singular or
    plural, in any case, with hyphens, underscores or spaces (`next-step`,
    `Next Steps` and `next_steps` are all `next_steps`)."""
    from tacli.core.suggest import normal

    wanted = normal(name)
    for section in sections:
        names = {section.id, section.id.rstrip("s"), section.title, section.title.rstrip("s")}
        if wanted in {normal(n) for n in names}:
            return section.id
    return None


def report_of(spec, engagement):
    """The report the engagement's services owe (domain.reports.service_report), or a usage error."""
    from tacli.domain.reports import service_report

    report = service_report(spec, engagement)
    if report is None:
        raise UsageError(f"the engagement lists no framework with a per-service report ({', '.join(engagement.frameworks)}): there is no report to write")
    return report


def open_service(engagement, report, today: date) -> str:
    """The latest service held by today whose report is not completed."""
    from tacli.domain.services import latest

    held = latest(s for s in engagement.services if s.date <= today and (s.tast_report is None or s.tast_report.completed is None))
    if held is None:
        if not engagement.services:
            raise UsageError(f"the engagement has no services yet, and a {report.title} is written for a service: add one first with `tacli new service FILE`")
        if all(s.date > today for s in engagement.services):
            raise UsageError(f"no service is held yet (the first is on {min(s.date for s in engagement.services)}): a {report.title} is written once its service is held")
        raise UsageError(f"no service held by {today} has its {report.title} open (each is completed): name one with --service to add to it")
    return held.id


def run(options: TastOptions) -> Outcome:
    from tacli.commands.edits import edit_file
    from tacli.domain.records import present
    from tacli.domain.reports import report_written
    from tacli.write.edit import DutyChange, EditError, append_to_report, find_service, mark_duty, reparsed, set_report_completed
    from tacli.standards.fields import field_value

    from tacli.commands.edits import evaluation_of, evaluation_words, record_evaluation

    if options.approve and options.request_changes is not None:
        raise UsageError("--approve and --request-changes are two decisions: give one")
    if options.review is not None or options.approve or options.request_changes is not None or options.note is not None:
        if options.resubmit:
            raise UsageError("--resubmit is the facilitator's (the report revised, back to its reviewers); --review records a reviewer's decision: give one")
        return review(options)
    if options.resubmit and options.complete:
        raise UsageError("--resubmit sends a completed report back to its reviewers: complete it first (--complete), in a command of its own")
    evaluation = evaluation_of(Session(options.common).spec, options.evaluation) if options.evaluation.given() else None
    if options.date is not None and not options.complete and not options.resubmit:
        raise UsageError("--date goes with --complete (the day the report was completed), --resubmit (the day it went back to the reviewers) or --review (the day of the decision)")
    if not options.entries and not options.complete and evaluation is None and not options.resubmit:
        raise UsageError("nothing to write: add entries (--commendation TEXT, --recommendation TEXT, --next-step TEXT, --add SECTION=TEXT), --complete, "
                         "the evaluation forms (--forms-returned N, --rating QUALITY=MEAN, --comment TEXT), or a review (--review NAME --approve)")
    session = Session(options.common)
    spec, today = session.spec, session.today
    marked: list[str] = []
    recorded: list = []  # what the evaluation forms say that the file did not
    when = parse_day(options.date, "--date", today) if options.date is not None else today
    if when > today:
        raise UsageError(f"--date {when} is after today ({today}): a report is completed once it is written")
    told: dict = {}

    def record_forms(source, text, service_id):
        current = source if text == source.text else reparsed(source, text)
        text, done = record_evaluation(current, spec, service_id, evaluation, today, recorded)
        marked.extend(done)
        return text

    def change(source):
        engagement = source.engagement
        if not options.entries and not options.complete and not options.resubmit:  # the evaluation forms alone: a service of any engagement, with a report or without
            index, _ = find_service(source, options.service)
            told.update(service=engagement.services[index].id)
            return record_forms(source, source.text, engagement.services[index].id)
        report = report_of(spec, engagement)
        service_id = options.service or (_revising(spec, engagement, report) if options.resubmit else open_service(engagement, report, today))
        index, _ = find_service(source, service_id)
        service = engagement.services[index]
        text = source.text
        by_section: dict[str, list[str]] = {}
        for name, entry in options.entries:
            section = section_for(name, report.sections)
            if section is None:
                known = ", ".join(s.id for s in report.sections)
                raise EditError(f"the {report.title} has no section '{name}': its sections are {known} (--add SECTION=TEXT)")
            if not entry.strip():
                raise EditError(f"an entry of {section} is blank: write what it says")
            by_section.setdefault(section, []).append(entry)
        for section, entries in by_section.items():
            text = append_to_report(reparsed(source, text) if text != source.text else source, service_id, section, entries)
        if options.complete and service.tast_report is not None and service.tast_report.completed is not None and options.date is None:
            raise EditError(f"the {report.title} of service '{service_id}' was completed on {service.tast_report.completed}: it stays so (give --complete --date D to correct the day)")
        if options.complete:
            written = report_written(report, service) or by_section
            if not written:
                titles = ", ".join(s.title for s in report.sections)
                raise EditError(f"the {report.title} of service '{service_id}' has nothing in {titles}: write them first (in this command too), then complete it")
            if when < service.date:
                raise EditError(f"--date {when} is before the service ({service.date}): a report is completed after its service")
            text = set_report_completed(reparsed(source, text), service_id, when)
            if report.duty:
                record = field_value(service.duties, report.duty)
                evidence = None if record is not None and present(record.evidence) else f"{report.title} completed"
                text = mark_duty(reparsed(source, text), spec, report.duty, service_id, DutyChange("done", date=when, evidence=evidence))
        told.update(service=service_id, title=report.title, duty=report.duty, completed=service.tast_report is not None and service.tast_report.completed is not None)
        if options.resubmit:
            text = _resubmitted(source, text, spec, engagement, report, service, when, told)
        if evaluation is not None:
            text = record_forms(source, text, service_id)
        return text

    edit_file(session, options.file, change, options.expected, options.dry_run)
    count = len(options.entries)
    lines = []
    if evaluation is not None:
        said = evaluation_words(recorded[-1]) if recorded else ""
        if said:
            lines.append(f"recorded the evaluation forms of service {told['service']} in {options.file}: {said}")
        else:
            lines.append(f"the evaluation forms of service {told['service']} already say so in {options.file}: nothing new to record")
        lines += [f"marked {duty} done on the day of the service: the forms returned are its record" for duty in marked]
        if not count and not options.complete:
            return Outcome(EXIT_CLEAN, "".join(line + "\n" for line in lines))
    if count:
        lines.append(f"added {plural(count, 'entry', 'entries')} to the {told['title']} of service {told['service']} in {options.file}")
    if options.complete:
        duty = f" and marked its duty {told['duty']} done" if told["duty"] else ""
        lines.append(f"completed the {told['title']} of service {told['service']} on {when}{duty}")
    elif options.resubmit:
        names = " and ".join(told["resubmitted"])
        lines.append(f"resubmitted the {told['title']} of service {told['service']} to {names} on {when}: it waits for their review again")
    elif not told["completed"]:
        lines += ["next, once it is written in full:", f"  tacli tast {shlex.quote(options.file)} --service {told['service']} --complete"]
    return Outcome(EXIT_CLEAN, "".join(line + "\n" for line in lines))



def _resubmitted(source, text: str, spec, engagement, report, service, when: date, told: dict) -> str:
    """The text with a `resubmitted` entry, dated `when`, for each reviewer whose
    latest decision asks for changes (domain.reviews: the report goes back to them)."""
    from tacli.domain.reviews import review_state
    from tacli.standards.vocabulary import RESUBMITTED
    from tacli.write.edit import EditError, add_review, reparsed

    state = review_state(spec, engagement, service, report)
    if state.completed is None:
        raise EditError(f"the {report.title} of service '{service.id}' is not completed: complete it first; --resubmit sends it back to a reviewer who asked for changes")
    if not state.revising:
        raise EditError(f"no reviewer asked for changes to the {report.title} of service '{service.id}' that were not resubmitted: there is nothing to resubmit")
    for name in state.revising:
        asked = state.latest_of(name).date
        if when < asked:
            raise EditError(f"--date {when} is before {name} asked for changes ({asked}): a report is resubmitted after; give --date {asked} or later")
    for name in state.revising:
        text = add_review(reparsed(source, text) if text != source.text else source, service.id, {"reviewer": name, "decision": RESUBMITTED, "date": when})
    told.update(resubmitted=state.revising)
    return text


def _revising(spec, engagement, report) -> str:
    """The service whose report has changes asked for, when only one has."""
    from tacli.domain.reviews import review_state
    from tacli.write.edit import EditError

    found = [service.id for service in engagement.services if review_state(spec, engagement, service, report).revising]
    if len(found) == 1:
        return found[0]
    if not found:
        raise EditError(f"no {report.title} has changes asked for that were not resubmitted: there is nothing to resubmit")
    raise EditError(f"{len(found)} {report.title}s have changes asked for: say which with --service ({', '.join(found)})")


class _Unchanged(Exception):
    """The decision is the reviewer's latest already: nothing to write."""


def review(options: TastOptions) -> Outcome:
    """Record a reviewer's decision on a service's completed report (`--review
    NAME --approve [--note TEXT]`, `--review NAME --request-changes TEXT`), as
    the latest of their decisions: the earlier ones stay, as the report's history.
    Once every reviewer's latest decision is an approval (domain.reviews), the
    report's review duty, when open, is marked done on the day of the last one."""
    from tacli.domain.reviews import Decision, find_reviewer, review_state, reviewer_names
    from tacli.standards.fields import field_value
    from tacli.standards.vocabulary import APPROVED, CHANGES_REQUESTED
    from tacli.write.edit import DutyChange, EditError, add_review, mark_duty, reparsed

    if options.review is None:
        raise UsageError("--approve, --request-changes and --note record a reviewer's decision: name the reviewer with --review NAME")
    if not options.review.strip():
        raise UsageError("--review is blank: give the reviewer's name, as the engagement's reviewers list it")
    if not options.approve and options.request_changes is None:
        raise UsageError(f"--review {shlex.quote(options.review)}: give the decision, --approve (with --note TEXT if you like) or --request-changes TEXT")
    if options.request_changes is not None and not options.request_changes.strip():
        raise UsageError("--request-changes needs the changes asked for: --request-changes 'Add the item analysis to the next steps'")
    if options.request_changes is not None and options.note is not None:
        raise UsageError("--note goes with --approve: the note of --request-changes is its TEXT")
    if options.note is not None and not options.note.strip():
        raise UsageError("--note is blank: write the comment, or leave --note out")
    if options.entries or options.complete or options.evaluation.given():
        raise UsageError("--review records a reviewer's decision on its own: write the report (entries, --complete) or its evaluation forms in a command of their own")
    session = Session(options.common)
    spec, today = session.spec, session.today
    when = parse_day(options.date, "--date", today) if options.date is not None else today
    if when > today:
        raise UsageError(f"--date {when} is after today ({today}): a decision is recorded once it is made")
    decision = APPROVED if options.approve else CHANGES_REQUESTED
    note = (options.request_changes if decision == CHANGES_REQUESTED else options.note)
    note = note.strip() if note is not None else None
    told: dict = {}
    quoted = shlex.quote(options.file)

    def change(source):
        engagement = source.engagement
        from tacli.domain.reports import service_report

        report = service_report(spec, engagement)
        if report is None:
            raise EditError(f"the engagement lists no framework with a per-service report ({', '.join(engagement.frameworks)}): there is no report to review")
        names = reviewer_names(engagement)
        if not names:
            raise EditError(f"the engagement names no reviewers of its {report.title}s: add each one with "
                            f"`tacli new reviewer {shlex.quote(options.file)} {shlex.quote(' '.join(options.review.split()) or 'NAME')}` (`--role ROLE` says what they do), then record the review")
        name = find_reviewer(engagement, options.review)
        if name is None:
            from tacli.core.suggest import did_you_mean

            hint = did_you_mean(" ".join(options.review.split()), names)
            raise EditError(f"'{options.review}' is not one of the engagement's reviewers ({', '.join(names)}): give a name as they are listed, or add them with `tacli new reviewer {shlex.quote(options.file)} {shlex.quote(' '.join(options.review.split()))}`" + (f";{hint}" if hint else ""))
        service_id = options.service or _waiting_for(spec, engagement, report, name, today)
        from tacli.write.edit import find_service

        index, _ = find_service(source, service_id)
        service = engagement.services[index]
        completed = service.tast_report.completed if service.tast_report is not None else None
        if completed is None:
            from tacli.domain.reports import report_written

            first = (f"complete it first (tacli tast {quoted} --service {service.id} --complete)" if report_written(report, service)
                     else f"write it and complete it first (tacli tast {quoted} --service {service.id}, then with --complete)")
            raise EditError(f"the {report.title} of service '{service.id}' is not completed: a report is reviewed once it is completed; {first}")
        if when < completed:
            raise EditError(f"--date {when} is before the {report.title} of service '{service.id}' was completed ({completed}): a review comes after; give --date {completed} or later")
        state = review_state(spec, engagement, service, report)
        new = Decision(name, decision, when, note)
        before = state.latest_of(name)
        told.update(service=service.id, title=report.title, name=name, before=before)
        if before is not None and when < before.date and not new.same_as(before):
            raise EditError(f"--date {when} is before {name}'s latest decision on the {report.title} of service '{service.id}' ({before.decision}, {before.date}):"
                            f" the decision recorded now becomes their latest, so give --date {before.date} or later")
        if new.same_as(before):
            raise _Unchanged(f"{name}'s latest decision on the {report.title} of service '{service.id}' is already {before.decision} ({before.date}): nothing was written")
        text = add_review(source, service.id, {"reviewer": name, "decision": decision, "date": when, "note": note})
        after = state.with_decision(name, new)
        told.update(approved=after.approved, waiting=after.waiting, requested=after.changes_requested, reviewers=after.reviewers, duty=None)
        duty = spec.duty_by_id.get(report.review_duty) if report.review_duty else None
        if after.approved and duty is not None and duty.framework in engagement.frameworks:
            record = field_value(service.duties, duty.id)
            if record is None or record.status == "open":
                evidence = f"{report.title} approved by {' and '.join(after.reviewers)}"
                text = mark_duty(reparsed(source, text), spec, duty.id, service.id, DutyChange("done", date=after.approved_on, evidence=evidence))
                told.update(duty=duty.id, duty_date=after.approved_on)
        return text

    from tacli.commands.edits import edit_file

    try:
        edit_file(session, options.file, change, options.expected, options.dry_run)
    except _Unchanged as same:
        return Outcome(EXIT_CLEAN, f"{same}\n")
    what = "approved" if decision == APPROVED else "asked for changes"
    lines = [f"recorded the review of the {told['title']} of service {told['service']} by {told['name']}: {what} on {when}, in {options.file}"]
    if told["before"] is not None:
        lines.append(f"  (their decision of {told['before'].date}, {told['before'].decision}, stays in the file as the report's history)")
    if told["approved"]:
        lines.append(f"the {told['title']} is approved: every reviewer approved it ({', '.join(told['reviewers'])})")
        if told["duty"]:
            lines.append(f"marked {told['duty']} done on {told['duty_date']}")
    else:
        waiting = [name for name in told["waiting"] if name not in told["requested"]]
        if told["requested"]:
            lines.append(f"changes asked for by {', '.join(told['requested'])}: revise the report as asked and resubmit it (tacli tast {quoted} --service {told['service']} --add SECTION=TEXT --resubmit)")
        if waiting:
            lines.append(f"waiting for the review of {', '.join(waiting)}")
    return Outcome(EXIT_CLEAN, "".join(line + "\n" for line in lines))


def _waiting_for(spec, engagement, report, name: str, today: date) -> str:
    """The service whose completed report waits for this reviewer, when only one does."""
    from tacli.domain.reviews import folded, review_state
    from tacli.write.edit import EditError

    waiting = [service.id for service in engagement.services
               if folded(name) in {folded(n) for n in review_state(spec, engagement, service, report).waiting}]
    if len(waiting) == 1:
        return waiting[0]
    if not waiting:
        raise EditError(f"no completed {report.title} waits for the review of {name}: name the service with --service")
    raise EditError(f"{len(waiting)} {report.title}s wait for the review of {name}: say which with --service ({', '.join(waiting)})")
