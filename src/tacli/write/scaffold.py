"""New engagement files and services, generated from the loaded standards spec.

Every duty, element and feature that applies is written out, open, with the
standard's own words beside it as a comment, so the file is its own checklist.
The answers a new engagement is made from are checked here first, each
refusal saying what to give instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from tacli.standards.vocabulary import HOURS_CAP, REACH_MIN_PERCENT
from tacli.domain.reviews import folded
from tacli.domain.frameworks import default_frameworks, duty_frameworks, element_frameworks, feature_frameworks, offer_frameworks
from tacli.core.numbers import number
from tacli.standards.models import FORMAT_VERSION, RECIPIENT_KINDS, RESERVED_NAMES
from tacli.core.outcome import UsageError
from tacli.standards.spec import Spec
from tacli.io.yamltext import comment, flow_list, flow_mapping, id_scalar, scalar, slug


@dataclass
class EngagementAnswers:
    title: str
    id: str  # its file's name and its reports' folder: --id, else made from the title
    tier: str
    frameworks: list[str]
    recipient: str
    recipient_kind: str
    organization: str
    facilitator: str
    start: date
    end: Optional[date] = None
    partner: Optional[str] = None
    schema_url: Optional[str] = None
    first_service: Optional["ServiceAnswers"] = None
    reviewers: list[str] = field(default_factory=list)  # who reviews each service's report
    district: Optional[str] = None
    title_i: Optional[bool] = None  # None: not known yet (the file says how to record it)
    in_need_of_improvement: Optional[bool] = None


@dataclass
class ServiceAnswers:
    date: date
    type: str
    mode: str = "on-site"
    hours: Optional[float] = None
    id: Optional[str] = None
    title: Optional[str] = None
    topics: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Style:
    """Indentation of a file: spaces per mapping level, and of a list's dash under its key."""

    indent: int = 2
    dash: int = 2


@dataclass
class EngagementRequest:
    """What the user gave for a new engagement, before it is checked."""

    title: Optional[str] = None
    id: Optional[str] = None  # default: made from the title (title_id)
    tier: Optional[str] = None
    frameworks: Optional[str] = None  # comma-separated ids
    recipient: Optional[str] = None
    recipient_kind: Optional[str] = None  # default: school
    organization: Optional[str] = None
    partner: Optional[str] = None
    facilitator: Optional[str] = None
    start: Optional[str] = None
    end: Optional[str] = None
    service_date: Optional[str] = None
    service_type: Optional[str] = None
    reviewers: tuple[str, ...] = ()  # names, as typed
    district: Optional[str] = None
    title_i: Optional[bool] = None  # None: not known
    in_need_of_improvement: Optional[bool] = None  # None: not known


def reviewer_problem(name: str, others: list[str]) -> Optional[str]:
    """Why a name cannot be added to the reviewers (blank, or one of `others`
    in any case, with white space folded), or None."""
    if not name.strip():
        return "a reviewer's name is blank: give their name"
    same = next((other for other in others if folded(other) == folded(name)), None)
    if same is not None:
        return f"{same} is already a reviewer: nothing was written"
    return None


def title_id(title: str) -> Optional[str]:
    """The id a title makes (its Latin letters and digits: ids name files and
    web addresses), or None when it makes none that would name it: no Latin
    letter or digit, or only digits of a title in another script ("Школа 5"
    would be "5")."""
    import unicodedata

    made = slug(title)
    latin = any(char.isalpha() and "LATIN" in unicodedata.name(char, "") for char in title)
    if not made or (not latin and re.search(r"[^\W\d_]", title)):  # "Школа №5": the № would make "no5"
        return None
    return made


def title_problem(title: str) -> Optional[str]:
    """Why a title cannot name an engagement by itself (its id and file name come from it), or None."""
    if not re.search(r"[^\W_]", title):
        return f"the title {title!r} has no letters or digits: give a title with words"
    made = title_id(title)
    if made is None:
        return (f"the title {title!r} has no Latin letters to make an id and a file name from: "
                "give the engagement an id of lower-case Latin letters, digits and hyphens with --id, as in --id beijing-data-teams")
    if made in RESERVED_NAMES:
        return f"the title {title!r} makes the id '{made}', a name Windows keeps for a device, and reports are filed under ids: give a longer title, or an id with --id"
    return None


def given_id_problem(engagement_id: str) -> Optional[str]:
    """Why `engagement_id` (--id) cannot be an engagement's id, or None."""
    from tacli.standards.models import id_problem

    problem = id_problem(engagement_id)
    if problem is None:
        return None
    return f"--id {problem}" if problem.startswith(f"'{engagement_id}'") else f"--id {engagement_id!r} {problem}"


def engagement_answers(spec: Spec, request: EngagementRequest, today: date, partial: bool = False) -> EngagementAnswers:
    """The answers a new engagement is written from; a UsageError for the first
    thing wrong. `partial`: check what was given, before asking for the rest."""
    from tacli.core.suggest import choice
    from tacli.core.dates import parse_day

    def one_line(text: Optional[str]) -> Optional[str]:  # as a prompt takes an answer: spaces pasted around it, or doubled, left out
        return " ".join(text.split()) if text else text

    title = one_line(request.title)
    missing = [name for name, value in (("TITLE", title), ("--recipient", one_line(request.recipient)), ("--organization", one_line(request.organization)), ("--facilitator", one_line(request.facilitator))) if not value]
    if missing and not partial:
        raise UsageError(f"missing {', '.join(missing)}: give them on the command line (no terminal to ask in)")
    given_id = request.id.strip() if request.id is not None else None
    problem = given_id_problem(given_id) if given_id is not None else title_problem(title) if title else None
    if problem:
        raise UsageError(problem)
    tier = choice(request.tier or "basic", spec.tier_aliases, "tier")
    if request.frameworks:
        chosen = [choice(f.strip(), spec.frameworks, "framework") for f in request.frameworks.split(",") if f.strip()]
    else:
        chosen = default_frameworks(spec, spec.tier_aliases[tier])
    recipient_kind = choice(request.recipient_kind or "school", RECIPIENT_KINDS, "recipient kind")
    partner = choice(request.partner, spec.ids("partners"), "partner") if request.partner else None
    start = parse_day(request.start, "--start", today) if request.start else today
    end = parse_day(request.end, "--end", today) if request.end else None
    if end and end < start:
        raise UsageError(f"--end {end} is before --start {start}")
    first = None
    if request.service_date or request.service_type:
        if not (request.service_date and request.service_type):
            raise UsageError("a first service needs both --service-date and --service-type")
        first = ServiceAnswers(date=parse_day(request.service_date, "--service-date", today), type=choice(request.service_type, spec.ids("support_types"), "support type"))
        if first.date < start or (end and first.date > end):
            span = f"{start} to {end}" if end else f"from {start}"
            raise UsageError(f"--service-date {first.date} falls outside the engagement ({span}): give --start (default: today) and --end around it")
    reviewers: list[str] = []
    for name in request.reviewers:
        problem = reviewer_problem(name, reviewers)
        if problem:
            raise UsageError(f"--reviewer: {problem.replace(': nothing was written', ' (given twice)')}")
        reviewers.append(" ".join(name.split()))
    return EngagementAnswers(
        title=title, id=given_id or title_id(title or "") or "", tier=tier, frameworks=chosen, recipient=one_line(request.recipient), recipient_kind=recipient_kind,
        organization=one_line(request.organization), facilitator=one_line(request.facilitator), start=start, end=end, partner=partner, first_service=first,
        reviewers=reviewers, district=one_line(request.district) or None,
        title_i=request.title_i, in_need_of_improvement=request.in_need_of_improvement,
    )


def service_id(answers: ServiceAnswers) -> str:
    return answers.id or slug(f"{answers.date.isoformat()} {answers.title or answers.type}")


def engagement_text(spec: Spec, answers: EngagementAnswers) -> str:
    """The text of a new engagement file."""
    style = Style()
    lines: list[str] = []
    if answers.schema_url:
        lines.append(f"# yaml-language-server: $schema={answers.schema_url}")
    lines += [
        "# A technical assistance engagement. Check it with `tacli check`; add a",
        "# service with `tacli new service`; record a duty with `tacli mark`.",
        f"tacli: {FORMAT_VERSION}",
        f"id: {id_scalar(answers.id)}",
        f"title: {scalar(answers.title)}",
        f"tier: {answers.tier}",
        f"frameworks: {flow_list(answers.frameworks)}",
        "recipient:",
        f"  kind: {answers.recipient_kind}",
        f"  name: {scalar(answers.recipient)}",
        f"  district: {scalar(answers.district)}" if answers.district else "  # district: the recipient's district, for a school",
        f"  title_i: {str(answers.title_i).lower()}" if answers.title_i is not None else "  # title_i: true or false (a Title I school or district: the figures count it)",
        f"  in_need_of_improvement: {str(answers.in_need_of_improvement).lower()}" if answers.in_need_of_improvement is not None else "  # in_need_of_improvement: true or false",
        "  # point_person: {name: ..., email: ...}",
        "provider:",
        f"  organization: {scalar(answers.organization)}",
    ]
    if answers.partner:
        lines.append(f"  partner: {answers.partner}")
    else:
        partners = spec.ids("partners")
        if partners:
            lines += comment(f"partner: one of {', '.join(partners)}", "  ")
    lines += ["  facilitator:", f"    name: {scalar(answers.facilitator)}", f"start: {answers.start.isoformat()}"]
    lines.append(f"end: {answers.end.isoformat()}" if answers.end else "# end: the planned end date, YYYY-MM-DD")
    if answers.reviewers:
        lines += ["reviewers:"] + [f"{' ' * style.dash}- {flow_mapping({'name': name})}" for name in answers.reviewers]
    lines += _plan_lines(spec, answers)
    lines += _intensive_lines(spec, answers)
    lines += _coaching_lines(spec, answers)
    if answers.first_service:
        lines.append("services:")
        lines += service_lines(spec, answers, answers.first_service, style, base=style.dash)
    else:
        lines += ["# Add services with `tacli new service FILE --date YYYY-MM-DD --type TYPE`.", "services: []"]
    return "\n".join(lines) + "\n"


def _plan_lines(spec: Spec, answers: EngagementAnswers) -> list[str]:
    with_elements = element_frameworks(spec, answers)
    if not with_elements:
        return []
    lines = ["plan:"]
    for framework in with_elements:
        for element in framework.elements:
            lines += comment(f"{element.title}: {element.definition}", "  ")
            if element.value == "record":
                lines.append(f"  {element.id}:")
                lines += [f"    {name}: []" for name in element.fields]
            elif element.value == "text":
                lines.append(f'  {element.id}: ""')
            else:
                lines.append(f"  {element.id}: []")
    return lines


def _intensive_lines(spec: Spec, answers: EngagementAnswers) -> list[str]:
    with_features = feature_frameworks(spec, answers)
    if not with_features:
        return []
    reach = spec.limit(REACH_MIN_PERCENT, [f.id for f in with_features])
    lines = [
        "intensive:",
        "  # The well-informed agreement about need, vision and methods, before the work",
        "  # starts.",
        '  agreement: {date: null, summary: ""}',
    ]
    if reach is not None:
        lines += comment(f"Reach: {reach.quote}" if reach.quote else "Reach", "  ")
        lines.append(f"  reach: {{beneficiaries: \"\", target_percent: {number(reach.value)}}}  # add intended and reached")
    lines += ["  # Evidence for each indicator of each feature.", "  features:"]
    for framework in with_features:
        for feature in framework.features:
            lines.append(f"    {feature.id}:")
            for indicator in feature.indicators:
                lines += comment(indicator.text, "      ")
                lines.append(f'      {indicator.id}: ""')
    lines += ["  # Fidelity reviews: {date: YYYY-MM-DD, measure: ..., summary: ...}", "  fidelity_reviews: []"]
    return lines


def _coaching_lines(spec: Spec, answers: EngagementAnswers) -> list[str]:
    offers = offer_frameworks(spec, answers)
    if not offers:
        return []
    cap = spec.limit(HOURS_CAP, [o.id for o in offers])
    terms = [t.id for o in offers for t in o.terms]
    lines = ["coaching:", "  coach:", f"    name: {scalar(answers.facilitator)}"]
    lines.append(f"  # term: one of {', '.join(terms)}" if terms else "  # term: the term of the offer")
    if cap is not None:
        lines.append(f"  hour_cap: {number(cap.value)}")
    lines.append("  readiness:")
    for offer in offers:
        for criterion in offer.readiness:
            lines += comment(criterion.text or criterion.id, "    ")
            lines.append(f'    {criterion.id}: {{met: false, evidence: ""}}')
    return lines


def service_lines(spec: Spec, engagement, answers: ServiceAnswers, style: Style, base: int) -> list[str]:
    """The lines of one service list item whose dash stands at column `base`, for
    `engagement` (anything with the engagement's frameworks and tier)."""
    pad = " " * (base + 2)
    step = " " * style.indent
    lines = [f"{' ' * base}- id: {id_scalar(service_id(answers))}"]
    lines.append(f"{pad}date: {answers.date.isoformat()}")
    lines.append(f"{pad}type: {answers.type}")
    lines.append(f"{pad}mode: {answers.mode}")
    if answers.hours is not None:
        lines.append(f"{pad}hours: {scalar(float(answers.hours))}")
    if answers.title:
        lines.append(f"{pad}title: {scalar(answers.title)}")
    if answers.topics:
        lines.append(f"{pad}topics: {flow_list(answers.topics)}")
    with_duties = duty_frameworks(spec, engagement)
    if with_duties:
        lines.append(f"{pad}duties:")
        for framework in with_duties:
            stages = {s.id: s.title for s in framework.stages}
            roles = {r.id: r.title for r in framework.roles}
            for duty in framework.duties:
                lines += comment(f"{stages[duty.stage]}, {roles[duty.role]} {duty.number}: {duty.text}", pad + step)
                lines.append(f"{pad}{step}{duty.id}: {{status: open}}")
        report = with_duties[0].report
        if report is not None:
            lines += comment(f"{report.title}, due {report.due_days} days after the service.", pad)
            lines.append(f"{pad}tast_report:")
            for section in report.sections:
                lines.append(f"{pad}{step}{section.id}: []")
            lines.append(f"{pad}{step}completed: null")
    return lines
