"""New engagement files and services, generated from the loaded standards spec.

Every duty, element and feature that applies is written out, open, with the
standard's own words beside it as a comment, so the file is its own checklist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from tacli.models import FORMAT_VERSION
from tacli.spec import Spec
from tacli.yamltext import comment, flow_list, scalar, slug


@dataclass
class EngagementAnswers:
    title: str
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


def default_frameworks(spec: Spec, tier: str) -> list[str]:
    """Frameworks that fit a tier: all but coaching offers, and intensive features only for intensive TA."""
    chosen = []
    for framework in spec.frameworks.values():
        if framework.readiness:
            continue
        if framework.features and tier != "intensive":
            continue
        if framework.duties or framework.elements or framework.features or framework.support_types:
            chosen.append(framework.id)
    return chosen


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
        f"id: {slug(answers.title)}",
        f"title: {scalar(answers.title)}",
        f"tier: {answers.tier}",
        f"frameworks: {flow_list(answers.frameworks)}",
        "recipient:",
        f"  kind: {answers.recipient_kind}",
        f"  name: {scalar(answers.recipient)}",
        "  # district: the recipient's district, for a school",
        "  # title_i: true",
        "  # in_need_of_improvement: true",
        "  # point_person: {name: ..., email: ...}",
        "provider:",
        f"  organization: {scalar(answers.organization)}",
    ]
    if answers.partner:
        lines.append(f"  partner: {answers.partner}")
    else:
        partners = spec.ids("partners")
        if partners:
            lines.append(f"  # partner: one of {', '.join(partners)}")
    lines += ["  facilitator:", f"    name: {scalar(answers.facilitator)}", f"start: {answers.start.isoformat()}"]
    lines.append(f"end: {answers.end.isoformat()}" if answers.end else "# end: the planned end date, YYYY-MM-DD")
    lines += _plan_lines(spec, answers.frameworks)
    lines += _intensive_lines(spec, answers)
    lines += _coaching_lines(spec, answers)
    if answers.first_service:
        lines.append("services:")
        lines += service_lines(spec, answers.frameworks, answers.first_service, style, base=style.dash)
    else:
        lines += ["# Add services with `tacli new service FILE --date YYYY-MM-DD --type TYPE`.", "services: []"]
    return "\n".join(lines) + "\n"


def _plan_lines(spec: Spec, frameworks: list[str]) -> list[str]:
    with_elements = spec.with_section("elements", frameworks)
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
    tier = spec.tier_aliases.get(answers.tier, answers.tier)
    with_features = spec.with_section("features", answers.frameworks)
    if tier != "intensive" or not with_features:
        return []
    names = [f.id for f in with_features]
    reach = spec.limit("reach_min_percent", names)
    lines = [
        "intensive:",
        "  # The well-informed agreement about need, vision and methods, before the work starts.",
        '  agreement: {date: null, summary: ""}',
    ]
    if reach is not None:
        lines += comment(f"Reach: {reach.quote}" if reach.quote else "Reach", "  ")
        lines.append(f"  reach: {{beneficiaries: \"\", target_percent: {reach.value:g}}}  # add intended and reached counts")
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
    offers = spec.with_section("readiness", answers.frameworks)
    if not offers:
        return []
    names = [o.id for o in offers]
    cap = spec.limit("hours_cap", names)
    terms = [t.id for o in offers for t in o.terms]
    lines = ["coaching:", "  coach:", f"    name: {scalar(answers.facilitator)}"]
    lines.append(f"  # term: one of {', '.join(terms)}" if terms else "  # term: the term of the offer")
    if cap is not None:
        lines.append(f"  hour_cap: {cap.value:g}")
    lines.append("  readiness:")
    for offer in offers:
        for criterion in offer.readiness:
            lines += comment(criterion.text or criterion.id, "    ")
            lines.append(f'    {criterion.id}: {{met: false, evidence: ""}}')
    return lines


def service_lines(spec: Spec, frameworks: list[str], answers: ServiceAnswers, style: Style, base: int) -> list[str]:
    """The lines of one service list item whose dash stands at column `base`."""
    pad = " " * (base + 2)
    step = " " * style.indent
    lines = [f"{' ' * base}- id: {service_id(answers)}"]
    lines.append(f"{pad}date: {answers.date.isoformat()}")
    lines.append(f"{pad}type: {answers.type}")
    lines.append(f"{pad}mode: {answers.mode}")
    if answers.hours is not None:
        lines.append(f"{pad}hours: {scalar(float(answers.hours))}")
    if answers.title:
        lines.append(f"{pad}title: {scalar(answers.title)}")
    if answers.topics:
        lines.append(f"{pad}topics: {flow_list(answers.topics)}")
    with_duties = spec.with_section("duties", frameworks)
    if with_duties:
        lines.append(f"{pad}duties:")
        for framework in with_duties:
            stages = {s.id: s.title for s in framework.stages}
            roles = {r.id: r.title for r in framework.roles}
            for duty in framework.duties:
                lines += comment(f"{stages[duty.stage]}, {roles[duty.role]} {duty.number}: {duty.text}", pad + step)
                lines.append(f"{pad}{step}{duty.id}: {{status: open}}")
        report = spec.report_for(frameworks)
        if report is not None:
            lines += comment(f"{report.title}, due {report.due_days} days after the service.", pad)
            lines.append(f"{pad}tast_report:")
            for section in report.sections:
                lines.append(f"{pad}{step}{section.id}: []")
            lines.append(f"{pad}{step}completed: null")
    return lines
