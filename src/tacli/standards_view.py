"""Tables that show the standards to a person (`tacli standards list|show`)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from tacli.spec import VOCABULARIES, Framework, Spec

SINGULAR = {"duties": "duty", "elements": "element", "features": "feature", "assumptions": "assumption", "tiers": "tier",
            "support_types": "support type", "topics": "topic", "partners": "partner", "aims": "aim", "priorities": "priority",
            "readiness": "readiness criterion", "terms": "term"}
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
}


def _contents(framework: Framework) -> str:
    parts = []
    for section in ("duties", "elements", "features") + VOCABULARIES:
        items = getattr(framework, section)
        if items:
            noun = SINGULAR[section] if len(items) == 1 else SECTION_TITLES.get(section, section).lower()
            parts.append(f"{len(items)} {noun}")
    if framework.features:
        count = sum(len(f.indicators) for f in framework.features)
        parts.append(f"{count} indicator{'s' if count != 1 else ''}")
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
        table.add_row(framework.id, framework.title, f"{source.publisher}{f' ({source.year})' if source.year else ''}", _contents(framework))
    return table


def framework_renderables(framework: Framework) -> list:
    out: list = [Text(f"{framework.title} [{framework.id}]", style="bold")]
    source = framework.source
    out.append(Text(f"Source: {source.document}. {source.publisher}{f', {source.year}' if source.year else ''}."))
    if framework.definition:
        out.append(Text(framework.definition, style="italic"))
    if framework.duties:
        stages = {s.id: s.title for s in framework.stages}
        roles = {r.id: r.title for r in framework.roles}
        table = _table("Duties", ("id", "stage", "role", "no.", "duty", "condition"))
        for duty in framework.duties:
            table.add_row(duty.id, stages.get(duty.stage, duty.stage), roles.get(duty.role, duty.role), duty.number, duty.text, duty.condition or "")
        out.append(table)
    if framework.report:
        report = framework.report
        sections = ", ".join(s.title for s in report.sections)
        out.append(Text(f"{report.title}: due {report.due_days} days after each service; sections {sections}."))
    if framework.elements:
        table = _table("Planning elements", ("id", "element", "definition", "written as"))
        for element in framework.elements:
            shape = element.value + (f" ({', '.join(element.fields)})" if element.fields else "")
            table.add_row(element.id, element.title, element.definition, shape)
        out.append(table)
    if framework.features:
        table = _table("Features and indicators", ("feature", "indicator", "text"))
        for feature in framework.features:
            for index, indicator in enumerate(feature.indicators):
                table.add_row(feature.id if index == 0 else "", indicator.id, indicator.text)
        out.append(table)
    for section in VOCABULARIES:
        items = getattr(framework, section)
        if not items:
            continue
        table = _table(SECTION_TITLES[section], ("id", "text"))
        for item in items:
            label = item.text or item.title or ""
            if item.aliases:
                label += f" (also: {', '.join(item.aliases)})"
            table.add_row(item.id, label)
        out.append(table)
    if framework.limits:
        table = _table("Limits", ("limit", "value", "source"))
        for name, limit in framework.limits.items():
            table.add_row(name, f"{limit.value:g} {limit.unit}", limit.quote or "")
        out.append(table)
    return out


def _table(title: str, columns) -> Table:
    table = Table(title=title, title_justify="left", box=None, pad_edge=False, show_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table
