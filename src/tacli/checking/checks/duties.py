"""Duties of the duty matrix (CALI) for each service, and the per-service report (TAST).

When a duty falls due comes from the standards: its stage's rule (planning
duties on the service date, delivery duties once the service day is over,
follow-up duties with the report), or the duty's own (by the next service,
by the engagement's end). When a done duty may be dated comes from its stage
too (`dated`). The report names its duty: completing the one is doing the
other, so the two must agree.
"""

from __future__ import annotations

import shlex

from tacli.core.findings import Level, Rule
from tacli.domain.duties import OPEN, duty_due, duty_record, evidence_command, may_not_apply
from tacli.domain.frameworks import duty_frameworks
from tacli.domain.records import present, recorded
from tacli.domain.reports import COMPLETED, DUE_SOON, OVERDUE, report_command, report_state, report_written, service_report
from tacli.standards.vocabulary import BY_SERVICE, FROM_REPORT, NOT_BEFORE_SERVICE

DUTY_OPEN = Rule("duty-open", Level.ERROR, "A duty that is due is neither done nor marked not applicable.")
DUTY_STATUS = Rule("duty-status", Level.ERROR, "A duty record is incomplete: done without a date, done on a future date, or not applicable without a reason.")
DUTY_EVIDENCE = Rule("duty-evidence", Level.WARNING, "A duty is marked done without evidence.")
DUTY_NOT_CONDITIONAL = Rule("duty-not-conditional", Level.WARNING, "A duty the standard does not make conditional is marked not applicable.")
DUTY_DATE = Rule("duty-date", Level.ERROR, "A Delivery or Follow Up duty is dated before its service took place.")
DUTY_LATE_PLANNING = Rule("duty-late-planning", Level.WARNING, "A Planning duty is dated after its service: late planning.")
DUTY_RECORD = Rule("duty-record", Level.WARNING, "A duty is done but the record it produces is missing (an agenda, norms, evaluation forms, a point person).")
DUTY_BEFORE_REPORT = Rule("duty-before-report", Level.ERROR, "A duty that reviews the service's report (CALI: Review TAST report) is done while the report is not completed, or dated before it was.")
TAST_OVERDUE = Rule("tast-overdue", Level.ERROR, "A service's TAST report is past its due date (7 days after the service) and not completed.")
TAST_DUE_SOON = Rule("tast-due-soon", Level.WARNING, "A service's TAST report is due within 2 days and not completed.")
TAST_LATE = Rule("tast-late", Level.WARNING, "A service's TAST report was completed after its due date.")
TAST_DATE = Rule("tast-date", Level.ERROR, "A TAST report is marked completed before its service took place, or after today.")
TAST_EMPTY = Rule("tast-empty", Level.ERROR, "A TAST report is marked completed but all its sections (Commendations, Recommendations, Next Steps) are empty.")
TAST_DUTY = Rule("tast-duty", Level.ERROR, "The report and its duty (Complete TAST Report) disagree: one done and the other not, or on different dates.")

RULES = (DUTY_OPEN, DUTY_STATUS, DUTY_EVIDENCE, DUTY_NOT_CONDITIONAL, DUTY_DATE, DUTY_LATE_PLANNING, DUTY_RECORD, DUTY_BEFORE_REPORT,
         TAST_OVERDUE, TAST_DUE_SOON, TAST_LATE, TAST_DATE, TAST_EMPTY, TAST_DUTY)


# The commands that write a duty's record (`recorded_in`), where tacli has one.
RECORD_COMMANDS = {"service.evaluation_forms.returned": "tacli tast {file} --service {service} --forms-returned N"}


def check(context):
    engagement = context.engagement
    report = service_report(context.spec, engagement)
    for framework in duty_frameworks(context.spec, engagement):
        stages = {stage.id: stage for stage in framework.stages}
        roles = {role.id: role for role in framework.roles}
        stage_order = {stage.id: rank for rank, stage in enumerate(framework.stages)}
        for index, service in enumerate(engagement.services):
            for duty_order, duty in enumerate(framework.duties):
                stage = stages[duty.stage]
                loc = ("services", index, "duties", duty.id)
                record = duty_record(service, duty.id)
                label = f"{stage.title}, {roles[duty.role].title} {duty.number}"
                if record is None or record.status == OPEN:
                    if duty_due(duty, stage, service, engagement, report).is_due(context.today):
                        where = context.first_present(loc, loc[:-1], loc[:-2])
                        state = "is open" if record else "is not recorded"
                        yield context.at(
                            DUTY_OPEN, where,
                            f"duty {duty.id} for service '{service.id}' ({service.date}) {state} but due ({label}: \"{duty.text}\"): mark it done with a date and evidence, or not-applicable with a reason",
                            group=f"service {service.id} · {stage.title} duties open but due",
                            short=f"{roles[duty.role].title} {duty.number}: {duty.text}",
                            rank=(stage_order[duty.stage], duty_order),
                            hint=f"record them, done with a date and evidence or not applicable with a reason, in the checklist of: tacli mark {{file}} --service {service.id}",
                        )
                    continue
                yield from _check_record(context, loc, duty, stage, record, label, service, report)
    if report is not None:
        for index, service in enumerate(engagement.services):
            yield from _check_report(context, index, service, report)


def _check_record(context, loc, duty, stage, record, label, service, report):
    mirrors_report = duty.id == report.duty and service.tast_report is not None and record.date == service.tast_report.completed
    if record.status == "done":
        if mirrors_report:
            pass  # the report's own date rules (tast-date) speak for this date: one fact, one finding
        elif record.date is None:
            yield context.at(DUTY_STATUS, loc, f"duty {duty.id} is done but has no date: add `date: YYYY-MM-DD`")
        elif record.date > context.today:
            yield context.at(DUTY_STATUS, loc + ("date",), f"duty {duty.id} is dated {record.date}, after today ({context.today}): a duty is done when it has happened")
        elif stage.dated in NOT_BEFORE_SERVICE and record.date < service.date:
            yield context.at(
                DUTY_DATE, loc + ("date",),
                f"duty {duty.id} ({label}) is dated {record.date}, before its service '{service.id}' on {service.date}: {stage.title} duties are done at or after the service, so correct the date",
            )
        elif stage.dated == BY_SERVICE and record.date > service.date:
            yield context.at(
                DUTY_LATE_PLANNING, loc + ("date",),
                f"duty {duty.id} ({label}) is dated {record.date}, after its service '{service.id}' on {service.date}: {stage.title} duties come before the service; check the date, or keep it as the record of late planning",
            )
        if duty.dated == FROM_REPORT:
            yield from _after_report(context, loc, duty, record, label, service, report)
        if not present(record.evidence):
            yield context.at(DUTY_EVIDENCE, loc, f"duty {duty.id} is done without evidence: say what shows it (a sign-in sheet, an agenda, an e-mail): {evidence_command(context.document.path, duty.id, service.id)}")
        if duty.recorded_in and not present(recorded(duty.recorded_in, context.engagement, service)):
            root, _, rest = duty.recorded_in.partition(".")
            holder = f"service '{service.id}'" if root == "service" else "the engagement"
            command = RECORD_COMMANDS.get(duty.recorded_in)
            how = f" ({command.format(file=shlex.quote(context.document.path), service=service.id)})" if command else ""
            yield context.at(DUTY_RECORD, loc, f"duty {duty.id} is done, but {holder} has no {rest}, the record it produces: add {rest}{how}, or check the duty's status")
    elif record.status == "not-applicable":
        if not present(record.reason):
            yield context.at(DUTY_STATUS, loc, f"duty {duty.id} is not-applicable without a reason: add `reason:` saying why it does not apply")
        if not may_not_apply(duty):
            yield context.at(
                DUTY_NOT_CONDITIONAL, loc,
                f"duty {duty.id} ({label}) is marked not-applicable, but the standard makes it unconditional: do it, or keep the reason for the record",
            )


def _after_report(context, loc, duty, record, label, service, report):
    """A duty done on the report (a review of it) comes after the report is completed."""
    completed = service.tast_report.completed if service.tast_report is not None else None
    words = f"duty {duty.id} ({label}: \"{duty.text}\")"
    if completed is None:
        yield context.at(
            DUTY_BEFORE_REPORT, loc,
            f"{words} is done, but the {report.title} of service '{service.id}' is not completed: the report is reviewed once it is written and completed; reopen the duty, or complete the report",
        )
    elif record.date is not None and record.date < completed:
        yield context.at(
            DUTY_BEFORE_REPORT, loc + ("date",),
            f"{words} is dated {record.date}, before the {report.title} of service '{service.id}' was completed on {completed}: date it on or after {completed}, the day the report was completed",
        )


def _check_report(context, index, service, report):
    state = report_state(report, service, context.today)
    where = f"{report.title} for service '{service.id}' ({service.date})"
    report_loc = context.first_present(("services", index, "tast_report"), ("services", index))
    completed_loc = ("services", index, "tast_report", "completed")
    if state.completed is not None and state.completed > context.today:  # not completed yet: its state is told too
        yield context.at(TAST_DATE, completed_loc, f"{where} is marked completed on {state.completed}, after today ({context.today}): a report is completed once it is written; correct tast_report.completed")
    if state.state == OVERDUE:
        late = -state.days_left
        yield context.at(TAST_OVERDUE, report_loc, f"{where} was due {state.due}, {late} day{'s' if late != 1 else ''} ago: write and complete it ({report_command(context.document.path, report, service)})")
    elif state.state == DUE_SOON:
        days_left = state.days_left
        when = "today" if days_left == 0 else f"in {days_left} day{'s' if days_left != 1 else ''}"
        yield context.at(TAST_DUE_SOON, report_loc, f"{where} is due {when} ({state.due}): write and complete it ({report_command(context.document.path, report, service)})")
    elif state.state == COMPLETED:
        if state.completed < service.date:
            yield context.at(TAST_DATE, completed_loc, f"{where} is marked completed on {state.completed}, before the service took place: correct tast_report.completed")
        elif state.days_late:
            late = state.days_late
            yield context.at(TAST_LATE, completed_loc, f"{where} was completed on {state.completed}, {late} day{'s' if late != 1 else ''} after its due date {state.due}: record the reason in the service's notes")
    if state.completed is not None and not report_written(report, service):
        titles = [section.title for section in report.sections]
        named = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
        yield context.at(TAST_EMPTY, completed_loc, f"{where} is marked completed but its {named} {'is' if len(titles) == 1 else 'are all'} empty: write the report, or remove tast_report.completed")
    yield from _check_report_duty(context, index, service, report, state, where)


def _check_report_duty(context, index, service, report, state, where):
    """The report and the duty of completing it are one fact."""
    if report.duty is None:
        return
    record = duty_record(service, report.duty)
    duty_loc = ("services", index, "duties", report.duty)
    done = record is not None and record.status == "done"
    if state.completed is not None and not done:
        status = "not recorded" if record is None else record.status
        loc = context.first_present(duty_loc, duty_loc[:-1], ("services", index, "tast_report", "completed"))
        yield context.at(TAST_DUTY, loc, f"{where} was completed on {state.completed} but its duty {report.duty} is {status}: mark the duty done on {state.completed}")
    elif done and state.completed is None:
        when = f" on {record.date}" if record.date else ""
        yield context.at(TAST_DUTY, duty_loc, f"duty {report.duty} is done{when} but {where} is not completed: set tast_report.completed{f': {record.date}' if record.date else ''} once the report is written, or reopen the duty")
    elif done and record.date is not None and record.date != state.completed:
        yield context.at(TAST_DUTY, duty_loc + ("date",), f"duty {report.duty} is dated {record.date} but {where} was completed on {state.completed}: date the duty {state.completed}, the day the report was completed")
