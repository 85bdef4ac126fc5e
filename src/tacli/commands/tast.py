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
        raise UsageError(f"no service held by {today} has its {report.title} open: name one with --service")
    return held.id


def run(options: TastOptions) -> Outcome:
    from tacli.commands.edits import edit_file
    from tacli.domain.records import present
    from tacli.domain.reports import report_written
    from tacli.write.edit import DutyChange, EditError, append_to_report, find_service, mark_duty, reparsed, set_report_completed
    from tacli.standards.models import field_value

    if options.date and not options.complete:
        raise UsageError("--date goes with --complete: the day the report was completed")
    if not options.entries and not options.complete:
        raise UsageError("nothing to write: add entries (--commendation TEXT, --recommendation TEXT, --next-step TEXT, --add SECTION=TEXT), or --complete")
    session = Session(options.common)
    spec, today = session.spec, session.today
    when = parse_day(options.date, "--date", today) if options.date else today
    if when > today:
        raise UsageError(f"--date {when} is after today ({today}): a report is completed once it is written")
    told: dict = {}

    def change(source):
        engagement = source.engagement
        report = report_of(spec, engagement)
        service_id = options.service or open_service(engagement, report, today)
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
        return text

    edit_file(session, options.file, change, options.expected, options.dry_run)
    count = len(options.entries)
    lines = []
    if count:
        lines.append(f"added {plural(count, 'entry', 'entries')} to the {told['title']} of service {told['service']} in {options.file}")
    if options.complete:
        duty = f" and marked its duty {told['duty']} done" if told["duty"] else ""
        lines.append(f"completed the {told['title']} of service {told['service']} on {when}{duty}")
    elif not told["completed"]:
        lines += ["next, once it is written in full:", f"  tacli tast {shlex.quote(options.file)} --service {told['service']} --complete"]
    return Outcome(EXIT_CLEAN, "".join(line + "\n" for line in lines))

