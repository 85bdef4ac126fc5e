"""The standards shown to a person (`tacli standards list|show`).

Items are listed, not tabled: each id stands whole on a line of its own, so
it can be copied at any terminal width, and the source's words, conditions,
due rules and the notes that explain how a number or a term was read follow
it, indented.
"""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from tacli.standards.vocabulary import PUBLISHED_NAMES, RECIPIENT_FACTS
from tacli.core.numbers import number
from tacli.standards.spec import VOCABULARIES, Framework, Spec
from tacli.core.textformat import visible


def plain(text: str, **style) -> Text:
    """Text from the standards as it is written: never read as markup, and any
    control or bidirectional character shown as an escape, line by line."""
    return Text("\n".join(visible(line) for line in str(text).split("\n")), **style)


SINGULAR = {"duties": "duty", "elements": "element", "features": "feature", "assumptions": "assumption", "tiers": "tier",
            "support_types": "support type", "topics": "topic", "partners": "partner", "aims": "aim", "priorities": "priority",
            "readiness": "readiness criterion", "terms": "term", "evidence_levels": "evidence level", "ta_levels": "level of TA",
            "ratings": "rating"}
SECTION_TITLES = {
    "assumptions": "Assumptions",
    "tiers": "Tiers",
    "support_types": "Support types",
    "topics": "Topics",
    "partners": "Partners",
    "aims": "Aims",
    "priorities": "Priorities",
    "readiness": "Readiness criteria",
    "terms": "Terms",
    "evidence_levels": "Evidence levels",
    "ta_levels": "Levels of TA",
    "ratings": "Ratings",
}
PLURAL = {"ta_levels": "levels of TA"}
DUE_WORDS = {
    "service-date": "due on the service date",
    "after-service": "due once the service day is over",
    "report-due": "due with the report",
    "next-service": "due by the next service",
    "engagement-end": "due by the engagement's end",
}
DATED_WORDS = {"by-service": "done by the service; later is late planning", "at-service": "done at the service, and dated its day unless told otherwise", "from-service": "done at or after the service"}
INDENT = 4


def _contents(framework: Framework) -> str:
    parts = []
    for section in ("duties", "elements", "features") + VOCABULARIES:
        items = getattr(framework, section)
        if items:
            noun = SINGULAR[section] if len(items) == 1 else PLURAL.get(section) or SECTION_TITLES.get(section, section).lower()
            parts.append(f"{len(items)} {noun}")
    if framework.features:
        count = sum(len(f.indicators) for f in framework.features)
        parts.append(f"{count} indicator{'s' if count != 1 else ''}")
    if framework.rating_scale is not None:
        parts.append(f"a rating scale of {framework.rating_scale.min} to {framework.rating_scale.max}")
    if framework.limits:
        parts.append(f"{len(framework.limits)} limit{'s' if len(framework.limits) != 1 else ''}")
    return ", ".join(parts)


def frameworks_table(spec: Spec) -> Table:
    table = Table(title=f"Standards in {spec.folder}", title_justify="left", box=None, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("framework")
    table.add_column("source")
    table.add_column("holds")
    for framework in spec.frameworks.values():
        source = framework.source
        table.add_row(*(plain(cell) for cell in (framework.id, framework.title, f"{source.publisher}{f' ({source.year})' if source.year else ''}", _contents(framework))))
    return table


def _heading(title: str) -> Text:
    return plain("\n" + title, style="bold underline")


def _item(item_id: str, *lines: str, note: str | None = None) -> Group:
    """An id on a line of its own (never broken), then its words, indented."""
    parts = [plain(item_id, style="bold", no_wrap=True, overflow="ignore")]
    parts += [Padding(plain(line), (0, 0, 0, INDENT), expand=False) for line in lines if line]
    if note:
        parts.append(Padding(plain(f"Note: {note}", style="italic"), (0, 0, 0, INDENT), expand=False))
    return Group(*parts)


def framework_renderables(framework: Framework) -> list:
    out: list = [plain(f"{framework.title} [{framework.id}]", style="bold")]
    source = framework.source
    out.append(plain(f"Source: {source.document}. {source.publisher}{f', {source.year}' if source.year else ''}."))
    if source.words == PUBLISHED_NAMES:
        out.append(plain("The titles are the source's commonly published names; the notes are tacli's own summaries.", style="dim"))
    if framework.definition:
        out.append(plain(framework.definition, style="italic"))
    if framework.duties:
        out += _duties(framework)
    if framework.report:
        report = framework.report
        out.append(_heading(report.title))
        lines = [f"Due {report.due_days} days after each service; a warning {report.due_soon_days} days before.",
                 f"Sections: {', '.join(s.title for s in report.sections)}."]
        if report.duty:
            lines.append(f"Completing it is the duty {report.duty}.")
        if report.review_duty:
            lines.append(f"Its reviews are due as the duty {report.review_duty} is.")
        if report.quote:
            lines.append(f"\"{report.quote}\"")
        out.append(_item(report.id, *lines, note=report.note))
    if framework.elements:
        out.append(_heading("Planning elements"))
        for element in framework.elements:
            shape = element.value + (f" ({', '.join(element.fields)})" if element.fields else "")
            out.append(_item(element.id, element.title, element.definition, f"Written as {shape}."))
    if framework.features:
        out.append(_heading("Features and indicators"))
        for feature in framework.features:
            out.append(_item(feature.id, feature.title))
            for indicator in feature.indicators:
                out.append(Padding(_item(indicator.id, indicator.text), (0, 0, 0, INDENT), expand=False))
    for section in VOCABULARIES:
        items = getattr(framework, section)
        if items:
            out.append(_heading(SECTION_TITLES[section]))
            out += [_vocabulary_item(item) for item in items]
    if framework.rating_scale is not None:
        scale = framework.rating_scale
        ends = f" ({scale.min}: {scale.low}; {scale.max}: {scale.high})" if scale.low and scale.high else ""
        out.append(_heading("Rating scale"))
        out.append(_item("rating_scale", f"Whole points from {scale.min} to {scale.max}{ends}.", note=scale.note))
    if framework.limits:
        out.append(_heading("Limits"))
        for name, limit in framework.limits.items():
            counted = [f"counts support types: {', '.join(limit.support_types)}"] if limit.support_types else []
            counted += [f"counts modes: {', '.join(limit.modes)}"] if limit.modes else []
            counted += [f"asks for evidence at the level: {limit.level}"] if limit.level else []
            out.append(_item(name, f"{number(limit.value)} {limit.unit}" + (f" ({'; '.join(counted)})" if counted else ""), f"\"{limit.quote}\"" if limit.quote else "", note=limit.note))
    if framework.conditions:
        out.append(_heading("Conditions on services"))
        for condition in framework.conditions:
            scope = f"for support types: {', '.join(condition.support_types)}" if condition.support_types else "for every service"
            what = f"{condition.kind}: {', '.join(condition.modes)}" if condition.modes else condition.kind
            out.append(_item(condition.id, f"{what} ({scope})", f"\"{condition.quote}\"", note=condition.note))
    if framework.eligibility:
        out.append(_heading("Eligibility"))
        for requirement in framework.eligibility:
            out.append(_item(requirement.id, f"The recipient is {RECIPIENT_FACTS[requirement.field]} (recipient.{requirement.field}).", f"\"{requirement.quote}\"", note=requirement.note))
    return out


def _duties(framework: Framework) -> list:
    out: list = []
    roles = {role.id: role.title for role in framework.roles}
    for stage in framework.stages:
        out.append(_heading(f"Duties: {stage.title}"))
        rule = DUE_WORDS[stage.due] + (f"; {DATED_WORDS[stage.dated]}" if stage.dated else "")
        out.append(plain(f"{rule[:1].upper()}{rule[1:]}.", style="dim"))
        if stage.note:
            out.append(plain(f"Note: {stage.note}", style="italic"))
        for duty in framework.duties:
            if duty.stage != stage.id:
                continue
            lines = [f"{roles.get(duty.role, duty.role)} {duty.number}: {duty.text}"]
            if duty.condition:
                lines.append(f"Conditional ({duty.condition}): may be marked not applicable with a reason.")
            if duty.due:
                lines.append(f"{DUE_WORDS[duty.due][:1].upper()}{DUE_WORDS[duty.due][1:]}.")
            if duty.recorded_in:
                lines.append(f"Recorded in {duty.recorded_in}.")
            out.append(_item(duty.id, *lines, note=duty.note))
    return out


def _vocabulary_item(item) -> Group:
    label = item.text or item.title or ""
    lines = [label]
    if item.aliases:
        lines.append(f"Also: {', '.join(item.aliases)}.")
    if item.starts and item.ends:
        lines.append(f"From {item.starts} to {item.ends}.")
    if item.requires:
        lines.append(f"Requires a listed framework with {item.requires}.")
    if item.tier:
        lines.append(f"The tier {item.tier}.")
    return _item(item.id, *lines, note=item.note)
