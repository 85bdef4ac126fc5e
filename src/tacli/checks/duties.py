"""Duties of the duty matrix (CALI) for each service, and the per-service report (TAST).

When a duty falls due comes from its stage in the spec: planning duties on the
service date, delivery duties once the service day is over, follow-up duties
with the report, which is due a number of days after the service.
"""

from __future__ import annotations

from tacli.domain import DUE_SOON, OVERDUE, duty_frameworks, duty_is_due, report_due, report_state
from tacli.findings import Level, Rule
from tacli.models import field_value

DUTY_OPEN = Rule("duty-open", Level.ERROR, "A duty that is due is neither done nor marked not applicable.")
DUTY_STATUS = Rule("duty-status", Level.ERROR, "A duty record is incomplete: done without a date, done on a future date, or not applicable without a reason.")
DUTY_EVIDENCE = Rule("duty-evidence", Level.WARNING, "A duty is marked done without evidence.")
DUTY_NOT_CONDITIONAL = Rule("duty-not-conditional", Level.WARNING, "A duty the standard does not make conditional is marked not applicable.")
TAST_OVERDUE = Rule("tast-overdue", Level.ERROR, "A service's TAST report is past its due date (7 days after the service) and not completed.")
TAST_DUE_SOON = Rule("tast-due-soon", Level.WARNING, "A service's TAST report is due within 2 days and not completed.")

RULES = (DUTY_OPEN, DUTY_STATUS, DUTY_EVIDENCE, DUTY_NOT_CONDITIONAL, TAST_OVERDUE, TAST_DUE_SOON)


def check(context):
    for framework in duty_frameworks(context.spec, context.engagement):
        report = framework.report
        stages = {stage.id: stage for stage in framework.stages}
        roles = {role.id: role for role in framework.roles}
        for index, service in enumerate(context.engagement.services):
            due_date = report_due(report, service.date)
            for duty in framework.duties:
                stage = stages[duty.stage]
                loc = ("services", index, "duties", duty.id)
                record = field_value(service.duties, duty.id)
                label = f"{stage.title}, {roles[duty.role].title} {duty.number}"
                if record is None or record.status == "open":
                    if duty_is_due(stage, service.date, due_date, context.today):
                        where = context.first_present(loc, loc[:-1], loc[:-2])
                        state = "is open" if record else "is not recorded"
                        yield context.at(
                            DUTY_OPEN, where,
                            f"duty {duty.id} for service '{service.id}' ({service.date}) {state} but due ({label}: \"{duty.text}\"): mark it done with a date and evidence, or not-applicable with a reason",
                        )
                    continue
                yield from _check_record(context, loc, duty, record, label)
            yield from _check_report(context, index, service, report)


def _check_record(context, loc, duty, record, label):
    if record.status == "done":
        if record.date is None:
            yield context.at(DUTY_STATUS, loc, f"duty {duty.id} is done but has no date: add `date: YYYY-MM-DD`")
        elif record.date > context.today:
            yield context.at(DUTY_STATUS, loc + ("date",), f"duty {duty.id} is dated {record.date}, after today ({context.today}): a duty is done when it has happened")
        if not record.evidence:
            yield context.at(DUTY_EVIDENCE, loc, f"duty {duty.id} is done without evidence: add `evidence:` saying what shows it (a sign-in sheet, an agenda, an e-mail)")
    elif record.status == "not-applicable":
        if not record.reason:
            yield context.at(DUTY_STATUS, loc, f"duty {duty.id} is not-applicable without a reason: add `reason:` saying why it does not apply")
        if duty.condition is None:
            yield context.at(
                DUTY_NOT_CONDITIONAL, loc,
                f"duty {duty.id} ({label}) is marked not-applicable, but the standard makes it unconditional: do it, or keep the reason for the record",
            )


def _check_report(context, index, service, report):
    state = report_state(report, service, context.today)
    if state.state not in (OVERDUE, DUE_SOON):
        return
    loc = context.first_present(("services", index, "tast_report"), ("services", index))
    if state.state == OVERDUE:
        late = -state.days_left
        yield context.at(
            TAST_OVERDUE, loc,
            f"{report.title} for service '{service.id}' ({service.date}) was due {state.due}, {late} day{'s' if late != 1 else ''} ago: complete it and set tast_report.completed",
        )
    else:
        days_left = state.days_left
        when = "today" if days_left == 0 else f"in {days_left} day{'s' if days_left != 1 else ''}"
        yield context.at(
            TAST_DUE_SOON, loc,
            f"{report.title} for service '{service.id}' ({service.date}) is due {when} ({state.due}): complete it and set tast_report.completed",
        )
