"""Outcome evidence by level (Guskey's five, in the standards): each entry
dated and placed, intensive TA showing use and a fidelity result by the day
its standards set (Fixsen: 180 days from the start), and an engagement that
ended with evidence above the participants' reactions."""

from __future__ import annotations

from tacli.core.findings import Level, Rule
from tacli.core.numbers import number
from tacli.domain.frameworks import evidence_frameworks
from tacli.domain.outcomes import above_lowest, evidence_due, evidence_limit, fidelity_results, level_title, reaches
from tacli.domain.records import present

OUTCOME_DATE = Rule("outcome-date", Level.ERROR, "An outcome entry is dated after today or before the engagement's start.")
OUTCOME_EVIDENCE = Rule("outcome-evidence", Level.WARNING, "An outcome entry does not say where its evidence is.")
OUTCOME_USE = Rule("outcome-use", Level.WARNING, "Intensive TA past the time its standards set (outcome_evidence_days) has no evidence that participants use what they learned.")
OUTCOME_FIDELITY = Rule("outcome-fidelity", Level.WARNING, "Intensive TA past the time its standards set (outcome_evidence_days) has no fidelity result (a fidelity review with its score).")
OUTCOME_ENDED = Rule("outcome-ended", Level.WARNING, "An engagement ended with no outcome evidence above the participants' reactions.")

RULES = (OUTCOME_DATE, OUTCOME_EVIDENCE, OUTCOME_USE, OUTCOME_FIDELITY, OUTCOME_ENDED)


def check(context):
    engagement, spec, today = context.engagement, context.spec, context.today
    for index, entry in enumerate(engagement.outcomes):
        loc = ("outcomes", index)
        if entry.date > today:
            yield context.at(OUTCOME_DATE, loc + ("date",), f"outcome entry {index + 1} is dated {entry.date}, after today ({today}): evidence is recorded once it is observed")
        elif entry.date < engagement.start:
            yield context.at(OUTCOME_DATE, loc + ("date",), f"outcome entry {index + 1} is dated {entry.date}, before the engagement's start ({engagement.start}): correct the date, or keep it in notes as a baseline")
        if not present(entry.evidence):
            yield context.at(OUTCOME_EVIDENCE, loc, f"outcome entry {index + 1} ({entry.date}, {level_title(spec, entry.level)}) does not say where its evidence is: add `evidence:` (a document, a data file, a link)")
    yield from _intensive(context)
    yield from _ended(context)


def _intensive(context):
    engagement, spec, today = context.engagement, context.spec, context.today
    limit = evidence_limit(spec, engagement)
    due = evidence_due(spec, engagement)
    if limit is None or due is None or today <= due:
        return
    days = f"{number(limit.value)} days"
    if limit.level is not None and not reaches(spec, engagement, limit.level, today):
        listed = evidence_frameworks(spec, engagement)
        owner = spec.owner("evidence_levels", limit.level)
        add = "" if listed or owner is None else f"add '{owner}' to frameworks and "
        loc = context.first_present(("outcomes",), ("intensive",), ())
        yield context.at(OUTCOME_USE, loc, f"intensive TA started on {engagement.start}, more than {days} ago ({due}), and records no evidence at the level '{limit.level}' ({level_title(spec, limit.level)}) or above: {add}record in outcomes what shows that participants use what they learned")
    if not fidelity_results(engagement, today):
        loc = context.first_present(("intensive", "fidelity_reviews"), ("intensive",), ())
        held = "its fidelity reviews give no score" if engagement.intensive is not None and engagement.intensive.fidelity_reviews else "it records no fidelity review"
        yield context.at(OUTCOME_FIDELITY, loc, f"intensive TA started on {engagement.start}, more than {days} ago ({due}), and {held}: add the measure's result (`score:`, in percent) to a fidelity review")


def _ended(context):
    engagement, spec, today = context.engagement, context.spec, context.today
    if engagement.end is None or engagement.end >= today or not evidence_frameworks(spec, engagement):
        return
    if above_lowest(spec, engagement, today):
        return
    levels = spec.every("evidence_levels")
    lowest = levels[0].label if levels else "the lowest level"
    loc = context.first_present(("outcomes",), ("end",))
    yield context.at(OUTCOME_ENDED, loc, f"the engagement ended on {engagement.end} with no outcome evidence above {lowest}: record in outcomes the evidence at a level above it (or why there is none, in notes)")
