"""Where one engagement stands, as plain data: each service with its report and
its duties by stage, the plan, hours against the cap, intensive-TA features
and reach, and the next things to do.

`tacli status` shows it to a person or as JSON, and the site's engagement page
shows the same facts; every number comes from the domain rules `tacli check`
uses.
"""

from __future__ import annotations

import shlex
from datetime import date
from typing import Any, Optional

from tacli.core.numbers import hours_rounded, number, numeric, percent_number
from tacli.core.textformat import plural
from tacli.core.wrap import cells, command, fit
from tacli.domain.duties import duty_due
from tacli.domain.frameworks import canonical_tier, duty_frameworks, element_frameworks, feature_frameworks, missing_elements
from tacli.domain.hours import coaching_hours, total_hours
from tacli.domain.figures import engagement_reach
from tacli.domain.obligations import COACHING_HOURS, Obligation, obligations
from tacli.domain.records import present
from tacli.domain.reports import COMPLETED, OVERDUE, report_state, service_report
from tacli.domain.evaluations import evaluations
from tacli.domain.outcomes import evidence_due, evidence_limit, highest, ladder, reaches, records_evidence
from tacli.domain.reviews import folded, review_state
from tacli.domain.services import in_order
from tacli.standards.fields import field_value

NEXT_COUNT = 3


def engagement_status(spec, engagement: Any, path: str, today: date) -> dict:
    """The status of one engagement as of `today`."""
    tiers = {item.id: item for item in spec.every("tiers")}
    tier = canonical_tier(spec, engagement)
    todo = obligations(spec, engagement, path, today)
    return {
        "id": engagement.id,
        "title": engagement.title,
        "path": path,
        "today": today.isoformat(),
        "recipient": engagement.recipient.name,
        "tier": tiers[tier].label if tier in tiers else tier,
        "facilitator": engagement.provider.facilitator.name,
        "start": engagement.start.isoformat(),
        "end": engagement.end.isoformat() if engagement.end else None,
        "services": [_service(spec, engagement, service, today) for service in in_order(engagement.services)],
        "plan": _plan(spec, engagement),
        "hours": _hours(spec, engagement),
        "intensive": _intensive(spec, engagement, today),
        "evaluations": _evaluations(spec, engagement),
        "outcomes": _outcomes(spec, engagement, today),
        "next": [
            {"due": item.due.isoformat(), "overdue": item.overdue(today), "what": item.what, "service": item.service_id or None, "command": item.command}
            for item in next_steps(todo)
        ],
    }


def next_steps(todo: list[Obligation]) -> list[Obligation]:
    """The next things to do of an engagement's obligations (in date order): the
    first NEXT_COUNT, the hours left under the cap aside. `tacli status` and the
    site's engagement page show them."""
    return [item for item in todo if item.kind != COACHING_HOURS][:NEXT_COUNT]


def _service(spec, engagement, service, today: date) -> dict:
    view: dict = {"id": service.id, "date": service.date.isoformat(), "label": service.title or service.type, "held": service.date <= today, "report": None, "stages": []}
    report = service_report(spec, engagement)
    if report is not None:
        state = report_state(report, service, today)
        view["report"] = {
            "title": report.title,
            "state": state.state,
            "due": state.due.isoformat(),
            "completed": state.completed.isoformat() if state.completed else None,
            "days_late": state.days_late,
            "days_left": state.days_left,
            "text": _report_text(state, today),
            "reviews": _reviews(spec, engagement, service, report),
        }
    for framework in duty_frameworks(spec, engagement):
        for stage in framework.stages:
            counts = {"done": 0, "not_applicable": 0, "open": 0, "due": 0}
            for duty in framework.duties:
                if duty.stage != stage.id:
                    continue
                record = field_value(service.duties, duty.id)
                status = record.status if record is not None else "open"
                counts[status.replace("-", "_")] += 1
                if status == "open" and duty_due(duty, stage, service, engagement, report).is_due(today):
                    counts["due"] += 1
            view["stages"].append({"id": stage.id, "title": stage.title, **counts})
    return view


def _reviews(spec, engagement, service, report) -> dict | None:
    """The review of a completed report (domain.reviews): approved or not, and
    each reviewer's latest decision, or that it is waiting; None when nothing is
    to review (not completed, no reviewers, no decisions)."""
    state = review_state(spec, engagement, service, report)
    if not state.latest and (state.completed is None or not state.reviewers):
        return None
    decided = {folded(name): review for name, review in state.latest}
    people = []
    for name in list(state.reviewers) + [name for name, _ in state.latest if folded(name) not in {folded(n) for n in state.reviewers}]:
        review = decided.get(folded(name))
        people.append({
            "reviewer": name,
            "state": review.decision if review is not None else "waiting",
            "date": review.date.isoformat() if review is not None else None,
            "note": review.note if review is not None else None,
        })
    return {
        "approved": state.approved,
        "approved_on": state.approved_on.isoformat() if state.approved_on else None,
        "due": state.due.isoformat() if state.due and not state.approved else None,
        "waiting": list(state.waiting),
        "reviewers": people,
    }


def _evaluations(spec, engagement) -> dict | None:
    """What the services' completed evaluation forms said, added up (domain.evaluations):
    forms returned of those requested, and each rated quality's mean with its count."""
    found = evaluations(spec, engagement.services)
    if not found.services and not found.ratings:
        return None
    return {
        "services": found.services,
        "requested": found.requested,
        "returned": found.returned,
        "return_percent": numeric(percent_number(found.return_rate)) if found.return_rate is not None else None,
        "ratings": [{"id": rating.id, "title": rating.label, "mean": numeric(_mean(found.mean(rating.id))), "count": found.count(rating.id)}
                    for rating in spec.every("ratings") if found.count(rating.id)],
        "comments": found.comments,
        "scale": {"min": spec.rating_scale.min, "max": spec.rating_scale.max} if spec.rating_scale is not None else None,
    }


def _mean(value: Optional[float]) -> Optional[float]:
    """A mean rating to two decimals, halves up (as hours are rounded)."""
    return hours_rounded(value) if value is not None else None


def _outcomes(spec, engagement, today: date) -> dict | None:
    """The outcome ladder (domain.outcomes): each evidence level, lowest first,
    with how many entries it has and the latest day; and, for intensive TA, the
    level due by a day. None for an engagement that records no evidence."""
    if not records_evidence(spec, engagement) and not engagement.outcomes:
        return None
    limit = evidence_limit(spec, engagement)
    due = evidence_due(spec, engagement)
    return {
        "levels": [{"id": rung.level.id, "title": rung.level.label, "ref": rung.level.ref, "entries": len(rung.entries),
                    "latest": rung.latest.isoformat() if rung.latest else None} for rung in ladder(spec, engagement, today)],
        "highest": highest(spec, engagement, today),
        "due": {"level": limit.level, "by": due.isoformat(), "met": reaches(spec, engagement, limit.level, today)} if limit is not None and limit.level and due is not None else None,
    }


def _report_text(state, today: date) -> str:
    if state.state == COMPLETED:
        late = state.days_late
        return f"done {state.completed}" + (f", {late} day{'s' if late != 1 else ''} late" if late else "")
    if state.state == OVERDUE:
        late = -state.days_left
        return f"overdue by {late} day{'s' if late != 1 else ''} (due {state.due})"
    left = state.days_left
    when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
    return f"due {state.due} ({when})"


def _plan(spec, engagement) -> dict | None:
    frameworks = element_frameworks(spec, engagement)
    if not frameworks:
        return None
    elements = [element for framework in frameworks for element in framework.elements]
    missing = [element.title for element in missing_elements(spec, engagement)]
    return {"elements": len(elements), "written": len(elements) - len(missing), "missing": missing}


def _hours(spec, engagement) -> dict:
    capped = coaching_hours(spec, engagement)
    return {
        "total": numeric(total_hours(engagement.services)),
        "cap": numeric(capped.cap) if capped else None,
        "counted": numeric(capped.counted) if capped else None,
        "left": numeric(capped.left) if capped else None,
        "over": bool(capped and capped.over),
    }


def _intensive(spec, engagement, today: date) -> dict | None:
    frameworks = feature_frameworks(spec, engagement)
    if not frameworks:
        return None
    features = engagement.intensive.features if engagement.intensive else None
    items = [feature for framework in frameworks for feature in framework.features]
    complete = [f for f in items if all(present(field_value(field_value(features, f.id), i.id)) for i in f.indicators)]
    reach = engagement.intensive.reach if engagement.intensive else None
    counted = engagement_reach(spec, engagement)
    return {
        "features": len(items),
        "complete": len(complete),
        "incomplete": [f.title for f in items if f not in complete],
        "reach": None if reach is None or counted is None else {
            "target_percent": numeric(counted.target_percent),  # the engagement's own target
            "minimum_percent": numeric(counted.minimum_percent),  # the standards' minimum (Fixsen: 60)
            "reached": counted.reached,
            "intended": counted.intended,
            "percent": numeric(percent_number(counted.percent / 100)) if counted.percent is not None else None,
        },
    }


def status_text(status: dict, width: Optional[int] = 80) -> str:
    """The status for a person at a terminal: short lines, grouped, the next steps
    last. At a terminal (`width`) the words wrap to fit it (tacli.core.wrap) and a
    command stays whole on its own line, to be copied; without one, a line a fact."""
    lines = [status["title"], f"{status['recipient']} · {status['tier']} · {status['start']} to {status['end'] or 'no planned end'} · {status['facilitator']}", ""]
    if status["services"]:
        lines.append("Services")
        for service in status["services"]:
            lines.append(f"  {service['date']}  {service['label']}")
            if service["report"]:
                lines.append(f"      {service['report']['title']}: {service['report']['text']}")
                if service["report"].get("reviews"):
                    lines.append(f"      Reviews: {_reviews_text(service['report']['reviews'])}")
            stages = [_stage_text(stage) for stage in service["stages"]]
            joined = "      " + " · ".join(stages)
            if width is None or cells(joined) <= width:
                lines.append(joined) if stages else None
            else:
                lines += [f"      {stage}" for stage in stages]
    else:
        first_service = f"tacli new service {shlex.quote(status['path'])}"  # in a terminal it asks for the date and type
        lines.append(f"Services: none yet ({first_service})")
    lines.append("")
    plan = status["plan"]
    if plan:
        missing = f"; missing: {', '.join(plan['missing'])}" if plan["missing"] else ""
        lines.append(f"Plan: {plan['written']} of {plan['elements']} elements written{missing}")
    hours = status["hours"]
    if hours["cap"] is not None:
        lines.append(f"Hours: {number(hours['total'])}; {number(hours['counted'])} of {number(hours['cap'])} under the cap, {number(hours['left'])} left" + (" (over the cap)" if hours["over"] else ""))
    else:
        lines.append(f"Hours: {number(hours['total'])}")
    intensive = status["intensive"]
    if intensive:
        incomplete = f"; incomplete: {', '.join(intensive['incomplete'])}" if intensive["incomplete"] else ""
        lines.append(f"Intensive TA: {intensive['complete']} of {intensive['features']} features with all their evidence{incomplete}")
        reach = intensive["reach"]
        if reach:
            reached = f"{reach['reached']} of {reach['intended']} ({number(reach['percent'])}%)" if reach["percent"] is not None else "not counted"
            target = f"{number(reach['target_percent'])}%" if reach["target_percent"] is not None else "not set"
            minimum = f", the standards' minimum {number(reach['minimum_percent'])}%" if reach.get("minimum_percent") is not None else ""
            lines.append(f"Reach: {reached}; its own target {target}{minimum}")
    evaluated = status.get("evaluations")
    if evaluated:
        lines.append(f"Evaluations: {_evaluations_text(evaluated)}")
    outcomes = status.get("outcomes")
    if outcomes:
        lines += ["", "Outcome evidence, by level"]
        for index, level in enumerate(outcomes["levels"], 1):
            held = f"{plural(level['entries'], 'entry', 'entries')}, latest {level['latest']}" if level["entries"] else "none yet"
            lines.append(f"  {index}. {level['title']}: {held}")
        due = outcomes["due"]
        if due and not due["met"]:
            title = next((level["title"] for level in outcomes["levels"] if level["id"] == due["level"]), due["level"])
            lines.append(f"  Due by {due['by']}: evidence at {title} or above")
    lines.append("")
    folded = [part for line in lines for part in fit(line, width, keep=(first_service,) if not status["services"] else ())]
    if status["next"]:
        folded.append("Next")
        for number_, item in enumerate(status["next"], 1):
            when = f"overdue since {item['due']}" if item["overdue"] else f"by {item['due']}"
            service = f" ({item['service']})" if item["service"] else ""
            folded += fit(f"  {number_}. {item['what']}{service}, {when}", width)
            folded.append(command(item["command"], width, "     "))
    else:
        folded.append("Next: nothing is open.")
    found = status.get("check")
    if found and (found["errors"] or found["warnings"]):
        counts = f"Check: {plural(found['errors'], 'error')}, {plural(found['warnings'], 'warning')}"
        whole = f"{counts} ({found['command']})"
        folded.append("")
        if width is None or cells(whole) <= width:
            folded.append(whole)
        else:  # the command on a line of its own, to be copied whole
            folded += [counts + ":", command(found["command"], width, "  ")]
    return "\n".join(folded) + "\n"


def _reviews_text(reviews: dict) -> str:
    """"approved on 2026-11-10 (Maria Lopez, Terry Walsh)", or each reviewer's
    latest decision, the day due with each that waits: "Maria Lopez asked for
    changes 2026-11-09 (revision due 2026-11-17) · Terry Walsh approved 2026-11-10"."""
    if reviews["approved"]:
        return f"approved on {reviews['approved_on']} ({', '.join(person['reviewer'] for person in reviews['reviewers'])})"
    words = {"approved": "approved", "changes-requested": "asked for changes", "resubmitted": "to review again, resubmitted", "waiting": "waiting"}

    def due(person: dict) -> str:  # the facilitator's revision, or the reviewer's review
        if not reviews["due"] or person["reviewer"] not in reviews["waiting"]:
            return ""
        return f" ({'revision' if person['state'] == 'changes-requested' else 'review'} due {reviews['due']})"

    return " · ".join(f"{person['reviewer']} {words.get(person['state'], person['state'])}" + (f" {person['date']}" if person["date"] else "") + due(person)
                      for person in reviews["reviewers"])


def _evaluations_text(evaluated: dict) -> str:
    """"17 forms returned of 18 requested (1 service); mean quality 4.6 (17), ..."."""
    forms = f"{plural(evaluated['returned'], 'form')} returned"
    if evaluated["requested"]:
        forms += f" of {evaluated['requested']} requested"
    forms += f" ({plural(evaluated['services'], 'service')})"
    counts = {rating["count"] for rating in evaluated["ratings"]}
    one = len(counts) == 1
    ratings = [f"{rating['title'].lower()} {number(rating['mean'])}" + ("" if one else f" ({rating['count']} forms)") for rating in evaluated["ratings"]]
    scale = evaluated.get("scale")
    on = f" of {scale['max']}" if scale else ""
    of = f" (of {plural(counts.pop(), 'form')})" if one else ""
    return forms + (f"; mean{on}: {', '.join(ratings)}{of}" if ratings else "")


def _stage_text(stage: dict) -> str:
    parts = [f"{stage['done']} done"]
    if stage["not_applicable"]:
        parts.append(f"{stage['not_applicable']} n/a")
    if stage["open"]:
        parts.append(f"{stage['open']} open" + (f" ({stage['due']} due)" if stage["due"] else ""))
    return f"{stage['title']} " + ", ".join(parts)
