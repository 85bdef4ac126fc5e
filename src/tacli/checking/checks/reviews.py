"""The review of a service's report: each review is of a completed report,
dated from its completion to today, by one of the engagement's reviewers; and
the reviews a report waits for, by the day they are due."""

from __future__ import annotations

from tacli.core.findings import Level, Rule
from tacli.domain.reports import service_report
from tacli.domain.reviews import folded, review_state, reviewer_names

TAST_REVIEW = Rule("tast-review", Level.ERROR, "A review of a TAST report is of a report not completed, dated before it was completed or after today, or by someone not among the engagement's reviewers.")
TAST_REVIEW_OVERDUE = Rule("tast-review-overdue", Level.WARNING, "A completed TAST report waits past the day its review was due: for a reviewer, or for the changes a reviewer asked for (the facilitator revises it and resubmits it).")

RULES = (TAST_REVIEW, TAST_REVIEW_OVERDUE)


def check(context):
    engagement, spec, today = context.engagement, context.spec, context.today
    report = service_report(spec, engagement)
    names = reviewer_names(engagement)
    known = {folded(name) for name in names}
    for index, service in enumerate(engagement.services):
        tast = service.tast_report
        if tast is None:
            continue
        title = report.title if report is not None else "report"
        for position, review in enumerate(tast.reviews):
            loc = ("services", index, "tast_report", "reviews", position)
            where = f"the review by {review.reviewer} of the {title} of service '{service.id}'"
            if tast.completed is None:
                yield context.at(TAST_REVIEW, loc, f"{where} is recorded, but the report is not completed: a report is reviewed once it is completed; complete it first")
            elif review.date < tast.completed:
                yield context.at(TAST_REVIEW, loc + ("date",), f"{where} is dated {review.date}, before the report was completed on {tast.completed}: date it on or after {tast.completed}")
            if review.date > today:
                yield context.at(TAST_REVIEW, loc + ("date",), f"{where} is dated {review.date}, after today ({today}): a review is recorded once it is given")
            if folded(review.reviewer) not in known:
                listed = f"the reviewers are {', '.join(names)}" if names else "the engagement names no reviewers"
                yield context.at(TAST_REVIEW, loc + ("reviewer",), f"{where}: '{review.reviewer}' is not one of the engagement's reviewers ({listed}): add them to reviewers, or correct the name")
        if report is None:
            continue
        state = review_state(spec, engagement, service, report)
        if state.overdue(today):
            loc = context.first_present(("services", index, "tast_report", "reviews"), ("services", index, "tast_report"))
            for name in state.to_review:
                yield context.at(TAST_REVIEW_OVERDUE, loc, f"the {report.title} of service '{service.id}', completed on {state.completed}, waits for the review of {name}, due {state.due}: review it (tacli tast --review), or ask them to")
            if state.revising:
                yield context.at(TAST_REVIEW_OVERDUE, loc, f"the {report.title} of service '{service.id}', completed on {state.completed}, waits for the changes {' and '.join(state.revising)} asked for, due {state.due}:"
                                 " revise it as asked, then resubmit it (tacli tast --resubmit)")
