"""What an engagement owes as of a day: reports to complete, open duties by
service and stage, the next intensive-TA contact and fidelity review, coaching
hours left under the cap, and the end of an engagement with work still open.

Each obligation has its last day, the command that records it, and what it
asks in plain words (`plain`: no command, file or YAML key, for the directors
who read the site and never run tacli). `tacli due` lists them across
engagements, `tacli status` shows the next ones of one engagement, and the
site's dashboard tables them. The dates come from the
domain rules (tacli.domain) that `tacli check` uses, so a report `due` lists
as overdue is the one `check` reports as overdue.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from tacli.core.dates import LOOK_AHEAD_DAYS  # noqa: F401 - the domain's look-ahead, named here for its users
from tacli.core.numbers import number
from tacli.domain.duties import EVIDENCE_PLACEHOLDER, dated_by_service, duty_due
from tacli.domain.frameworks import duty_frameworks, feature_limit, missing_elements, stage_rank
from tacli.domain.hours import coaching_hours
from tacli.domain.intensive import next_contact, next_fidelity_review
from tacli.domain.outcomes import evidence_due, evidence_limit, level_title, reaches
from tacli.domain.reports import COMPLETED, report_command, report_state, service_report
from tacli.domain.reviews import review_state_on
from tacli.domain.services import in_order, leader, names_person  # noqa: F401 - names_person: also asked for here
from tacli.standards.fields import field_value
from tacli.standards.vocabulary import CONTACT_MAX_DAYS

REPORT, DUTIES, CONTACT, FIDELITY_REVIEW, COACHING_HOURS, ENGAGEMENT_END = "report", "duties", "contact", "fidelity-review", "coaching-hours", "engagement-end"
# A completed report waiting for a reviewer's approval: the reviewer's to do.
REVIEW = "review"
# A completed report a reviewer asked changes of: the service's facilitator's to
# revise, then resubmit to the reviewer (domain.reviews).
REVISION = "revision"
# Intensive TA owes outcome evidence at a level (Guskey's use) by a day from its start.
OUTCOME_EVIDENCE = "outcome-evidence"
# A file that cannot be used owes being fixed, first: until then nothing it holds can be listed.
FIX_FILE = "fix-file"
# The planning elements (Dunst) the plan leaves unwritten: due by the engagement's start.
PLAN = "plan"
KINDS = (FIX_FILE, PLAN, REPORT, REVISION, REVIEW, DUTIES, CONTACT, FIDELITY_REVIEW, OUTCOME_EVIDENCE, COACHING_HOURS, ENGAGEMENT_END)
# Each kind as a reader names it, one and several: "1 report", "3 duties". A
# group of duties counts as its duties (Obligation.size), every other kind as one.
KIND_NAMES = {
    FIX_FILE: ("file to fix", "files to fix"),
    PLAN: ("plan", "plans"),
    REPORT: ("report", "reports"),
    REVISION: ("report to revise", "reports to revise"),
    REVIEW: ("review", "reviews"),
    DUTIES: ("duty", "duties"),
    CONTACT: ("contact", "contacts"),
    FIDELITY_REVIEW: ("fidelity review", "fidelity reviews"),
    OUTCOME_EVIDENCE: ("outcome evidence", "outcome evidence"),
    COACHING_HOURS: ("coaching hours", "coaching hours"),
    ENGAGEMENT_END: ("engagement end", "engagement ends"),
}


@dataclass(frozen=True)
class Obligation:
    """One thing to do, by a day, for an engagement (and a service, and a stage)."""

    kind: str
    due: date  # the last day to do it
    what: str  # for people: "TAST Report", "3 Follow Up duties"
    command: str  # the command that records it
    engagement_id: str
    engagement_title: str
    path: str  # the engagement file
    facilitator: str  # who leads it: the service's facilitator, else the engagement's
    engagement_facilitator: str  # who leads the engagement
    service_id: str = ""
    service_date: Optional[date] = None
    service_label: str = ""
    stage: str = ""  # a stage id, for duties
    stage_order: int = 0  # the stage's place in the standards (domain.frameworks.stage_rank), for duties
    rule: str = ""  # the due rule the duties share, for duties
    items: tuple[str, ...] = field(default_factory=tuple)  # the duty ids, for duties
    subject: str = ""  # in plain words: "the TAST Report", "the Follow Up duty “Review the TAST report”", "6 Follow Up duties"
    action: str = ""  # what to do about it, in plain words: "complete it", "do them and mark them done"
    reviewer: str = ""  # for a review: who is to review (also its `facilitator`, so that it is listed for them)

    @property
    def size(self) -> int:
        """How many things it counts for: each duty of a group, else one."""
        return len(self.items) or 1

    def count_text(self) -> str:
        """Its size and kind as a reader says them: "1 report", "6 duties"."""
        one, several = KIND_NAMES[self.kind]
        return f"{self.size} {one if self.size == 1 else several}"

    def plain(self, today: Optional[date] = None) -> str:
        """What it asks, in plain words for people who never run tacli (no
        command, file or YAML key): "The TAST Report: complete it." With `today`,
        a sentence that also says the service and when: "The TAST Report of
        “Check-in call” (2026-11-17) is overdue (due by 2026-11-19): complete it." """
        subject, action = self.subject or self.what, self.action or "record it"
        if self.kind in (COACHING_HOURS, ENGAGEMENT_END):  # due when the engagement ends
            if today is None:
                return f"{_capitalized(subject)} when the engagement ends: {action}."
            return f"The engagement ends on {self.due} with {subject}: {action}."
        if today is None:
            return f"{_capitalized(subject)}: {action}."
        service = f" of “{self.service_label}” ({self.service_date})" if self.service_id else ""
        verb = "are" if self.size > 1 else "is"
        if self.due < today:
            when = f"overdue (due by {self.due})"
        elif self.due == today:
            when = f"due today ({self.due})"
        else:
            when = f"due by {self.due}"
        return f"{_capitalized(subject)}{service} {verb} {when}: {action}."

    def overdue(self, today: date) -> bool:
        return self.due < today

    def when(self, today: date) -> str:
        """When it is due, as a reader says it: "overdue by 3 days", "due today", "due in 2 days"."""
        days = (self.due - today).days
        if days < 0:
            return f"overdue by {-days} day{'s' if days != -1 else ''}"
        if days == 0:
            return "due today"
        return f"due in {days} day{'s' if days != 1 else ''}"

    @property
    def uid(self) -> str:
        """An id that stays the same from run to run: calendars update the event instead of adding one."""
        parts = [self.kind, self.engagement_id or (self.path if self.kind == FIX_FILE else ""), self.service_id, self.stage, self.rule, _uid_word(self.reviewer)]
        return "-".join(part for part in parts if part) + "@tacli"

    def sort_key(self) -> tuple:
        """Files to fix first (what they owe is missing until then), in path
        order (a file that did not parse has no engagement id), then by date."""
        return (self.kind != FIX_FILE, self.due, self.path if self.kind == FIX_FILE else self.engagement_id, self.service_date or date.min, self.service_id, KINDS.index(self.kind), self.stage_order, self.stage, self.rule, self.reviewer)


def _uid_word(name: str) -> str:
    """A name as a part of an id: lower-case letters and digits joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", name.casefold()))


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _quoted(path: str) -> str:
    return shlex.quote(path)


# The last engagement's obligations, with what they were worked out from: its
# page, its status and its figures of every school year ask for them again.
_LAST: list = [None]


def obligations(spec, engagement: Any, path: str, today: date) -> list[Obligation]:
    """Everything the engagement owes, open now, with its last day, in date order.
    Asked again of the same engagement object (which tacli never changes in
    place) for the same day, the same list is made from the last answer."""
    last = _LAST[0]
    if last is not None and last[0] is spec and last[1] is engagement and last[2] == path and last[3] == today:
        return list(last[4])
    found = _worked_out(spec, engagement, path, today)
    _LAST[0] = (spec, engagement, path, today, tuple(found))
    return found


def _worked_out(spec, engagement: Any, path: str, today: date) -> list[Obligation]:
    found: list[Obligation] = []
    file = _quoted(path)
    lead = engagement.provider.facilitator.name
    base = {"engagement_id": engagement.id, "engagement_title": engagement.title, "path": path, "engagement_facilitator": lead}
    report = service_report(spec, engagement)
    frameworks = duty_frameworks(spec, engagement)
    ranks = stage_rank(spec)
    found.extend(_plan(spec, engagement, file, {**base, "facilitator": lead}))
    for service in in_order(engagement.services):
        service_facts = {**base, "facilitator": leader(service, engagement).name,
                         "service_id": service.id, "service_date": service.date, "service_label": service.title or service.type}
        if report is not None:
            state = report_state(report, service, today)
            if state.state != COMPLETED:
                found.append(Obligation(REPORT, state.due, report.title, report_command(path, report, service),
                                        subject=f"the {report.title}", action="complete it", **service_facts))
            found.extend(_reviews(spec, engagement, service, report, file, service_facts, today))
        for framework in frameworks:
            stages = {stage.id: stage for stage in framework.stages}
            open_by_stage: dict[tuple[str, str], tuple[date, list[str]]] = {}
            for duty in framework.duties:
                record = field_value(service.duties, duty.id)
                if record is not None and record.status != "open":
                    continue
                if report is not None and duty.id == report.duty:
                    continue  # the report itself stands for it
                due = duty_due(duty, stages[duty.stage], service, engagement, report)
                if due.deadline is None:
                    continue
                open_by_stage.setdefault((duty.stage, due.rule), (due.deadline, []))[1].append(duty.id)
            for (stage_id, rule), (deadline, duty_ids) in open_by_stage.items():
                stage = stages[stage_id]
                if len(duty_ids) == 1:
                    what = f"{stage.title}: {spec.duty_by_id[duty_ids[0]].text}"
                    plain = {"subject": f"the {stage.title} duty “{spec.duty_by_id[duty_ids[0]].text}”", "action": "do it and mark it done"}
                else:
                    what = f"{len(duty_ids)} {stage.title} duties"
                    plain = {"subject": f"{len(duty_ids)} {stage.title} duties", "action": "do them and mark them done"}
                command = f"tacli mark {file} --service {service.id} " + (f"{duty_ids[0]} --done" if len(duty_ids) == 1 else f"--stage {stage_id} --done")
                if dated_by_service(stage, service, today):  # done today would be late planning: they were done by the service
                    command += f" --date {service.date}"
                command += f" --evidence '{EVIDENCE_PLACEHOLDER}'"  # done without it, check warns (duty-evidence)
                found.append(Obligation(DUTIES, deadline, what, command, stage=stage_id, stage_order=ranks[stage_id], rule=rule, items=tuple(duty_ids), **plain, **service_facts))
    facts = {**base, "facilitator": lead}
    contact = next_contact(spec, engagement, today)
    if contact is not None:
        contact_what = f"the next {_contact_modes(spec, engagement)}contact"
        found.append(Obligation(CONTACT, contact, contact_what, f"tacli new service {file}",  # in a terminal it asks for the date and type
                                subject=contact_what, action="hold it and record it as a service", **facts))
    review = next_fidelity_review(spec, engagement, today)
    if review is not None:
        found.append(Obligation(FIDELITY_REVIEW, review, "the next fidelity review", f"add it to intensive.fidelity_reviews in {path}",
                                subject="the next fidelity review", action="hold it and record it", **facts))
    found.extend(_outcome_evidence(spec, engagement, file, today, facts))
    hours = coaching_hours(spec, engagement)
    if hours is not None and engagement.end is not None and engagement.start <= today <= engagement.end:
        found.append(Obligation(COACHING_HOURS, engagement.end, f"{number(hours.left)} of {number(hours.cap)} coaching hours left", f"tacli status {file}",
                                subject=f"{number(hours.left)} of {number(hours.cap)} coaching hours left", action="plan them", **facts))
    if engagement.end is not None and today <= engagement.end:
        still_open = [item for item in found if item.kind in (REPORT, REVISION, REVIEW, DUTIES) and item.due <= engagement.end]
        if still_open:
            count = sum(item.size for item in still_open)
            items = f"{count} open item{'s' if count != 1 else ''}"
            found.append(Obligation(ENGAGEMENT_END, engagement.end, f"the engagement ends with {items}", f"tacli status {file}",
                                    subject=items, action="close them before it ends", **facts))
    return sorted(found, key=Obligation.sort_key)


def _plan(spec, engagement, file: str, facts: dict) -> list[Obligation]:
    """The plan to write, while planning elements are missing (the elements
    `tacli check` reports as plan-element errors). The standards give the plan
    no deadline; planning comes before the work (as CALI's Planning duties come
    before their service), so it is due by the engagement's start. Its command
    opens the engagement in `tacli serve`, whose plan form writes each element."""
    missing = missing_elements(spec, engagement)
    if not missing:
        return []
    count = len(missing)
    titles = ", ".join(element.title for element in missing)
    elements = f"{count} planning element{'s' if count != 1 else ''}"
    return [Obligation(PLAN, engagement.start, f"write the plan: {titles if count == 1 else elements} missing", f"tacli serve {file}",
                       subject=f"the plan ({elements} missing: {titles})", action="write them down", **facts)]


def _reviews(spec, engagement, service, report, file: str, facts: dict, today: date) -> list[Obligation]:
    """What a completed report that is not approved waits for (domain.reviews):
    changes a reviewer asked for, the service's facilitator's to make and
    resubmit (one item, whoever asked); and each review still to come, the
    reviewer's (its `facilitator`, so that it is listed for them)."""
    state = review_state_on(spec, engagement, service, report, today)
    if not state.waiting or state.due is None:
        return []
    found = []
    if state.revising:
        who = " and ".join(state.revising)
        asked = "; ".join(f"{name}: “{shortened(note)}”" if len(state.revising) > 1 else f"“{shortened(note)}”"
                          for name, note in state.notes_of_revising if note)
        said = f" ({asked})" if asked else ""
        found.append(Obligation(REVISION, state.due, f"revise the {report.title} as {who} asked{said}",
                                f"tacli tast {file} --service {service.id} --add 'SECTION=TEXT' --resubmit",
                                subject=f"the {report.title}, changes asked for by {who}{said}",
                                action=f"revise it as asked, then send it back to {who} for review", **facts))
    for name in state.to_review:
        found.append(Obligation(REVIEW, state.due, f"{name} to review the {report.title}", f"tacli tast {file} --service {service.id} --review {_quoted(name)} --approve",
                                subject=f"the review of the {report.title} by {name}", action=f"{name} to review it: approve it or ask for changes",
                                reviewer=name, **{**facts, "facilitator": name}))
    return found


def shortened(note: str, limit: int = 60) -> str:
    """A note on one line, cut at a word to `limit` characters with an ellipsis."""
    text = " ".join(note.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def _outcome_evidence(spec, engagement, file: str, today: date, facts: dict) -> list[Obligation]:
    """Outcome evidence at the level intensive TA shows by a day from its start
    (domain.outcomes: Fixsen's 180 days, Guskey's use), while there is none at
    it or above and the engagement has not ended."""
    limit = evidence_limit(spec, engagement)
    due = evidence_due(spec, engagement)
    if limit is None or not limit.level or due is None or reaches(spec, engagement, limit.level, today):
        return []
    if engagement.end is not None and engagement.end < today:
        return []
    title = level_title(spec, limit.level)
    return [Obligation(OUTCOME_EVIDENCE, due, f"outcome evidence: {title}", f"tacli new outcome {file} --level {limit.level}",  # in a terminal it asks what was observed
                       subject=f"evidence of {title.lower()}", action="observe it and record it with where the evidence is", **facts)]


def _contact_modes(spec, engagement) -> str:
    """The modes that count as contact, as words before "contact" ("on-site ")."""
    limit = feature_limit(spec, engagement, CONTACT_MAX_DAYS)
    return f"{' or '.join(limit.modes)} " if limit is not None and limit.modes else ""


def due_within(items: list[Obligation], today: date, days: int) -> list[Obligation]:
    """The obligations overdue, or due within `days` of today."""
    return [item for item in items if item.due <= today or (item.due - today).days <= days]


def led_by(items: list[Obligation], name: Optional[str]) -> list[Obligation]:
    """The obligations of a facilitator (of the service or of the engagement),
    named in full or in part, in any case. A file to fix whose facilitator cannot
    be read is everyone's: it might be theirs, and it hides what it owes."""
    if not name:
        return items
    return [item for item in items if any(names_person(who, name) for who in (item.facilitator, item.engagement_facilitator))
            or (item.kind == FIX_FILE and not item.facilitator)]


def file_to_fix(path: str, line: int, message: str, today: date, engagement_id: str = "", title: str = "", facilitator: str = "") -> Obligation:
    """What a file that cannot be used owes: being fixed, today (its first problem,
    at `line`), before anything it holds (reports, duties) can be listed."""
    return Obligation(
        FIX_FILE, today, f"fix the file: line {line}: {message}", f"tacli check {shlex.quote(path)}",
        engagement_id, title or path, path, facilitator, facilitator,
        subject=f"the file {path}", action=f"fix line {line} ({message}); until then what it owes cannot be listed",
    )


def leaders(engagement) -> set[str]:
    """Who leads the engagement or one of its services, or reviews its reports:
    whose work `tacli due --facilitator` and This week of `tacli serve` list."""
    return ({engagement.provider.facilitator.name} | {service.facilitator.name for service in engagement.services if service.facilitator}
            | {person.name for person in engagement.reviewers})
