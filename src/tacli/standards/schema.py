"""The JSON Schema of the engagement format, from the same spec-derived models `tacli check` uses.

Editors read it (the YAML language server in VS Code, and others) to complete
and validate engagement files: each engagement file names it in a first line
`# yaml-language-server: $schema=../engagement.schema.json` (docs/editors.md).
So beyond what pydantic derives, the schema carries what helps while typing:
the standards' own words for every duty, feature, element and vocabulary
value, and snippets for duty records; and it leaves out pydantic's generated
titles and `null` defaults, which editors would show or insert.

The schema accepts what `tacli check` accepts: numbers where text is
expected pass (an evidence of `16` is text), as in the models.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from tacli import __version__
from tacli.standards.spec import Spec

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

_SUBSCHEMA_MAPS = ("properties", "$defs", "patternProperties")
_SUBSCHEMA = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else")
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")

DUTY_SNIPPETS = [
    {"label": "done", "description": "Done: the date it was done and what shows it.", "body": {"status": "done", "date": "${1:YYYY-MM-DD}", "evidence": "$2"}},
    {"label": "not-applicable", "description": "Does not apply to this service, with the reason.", "body": {"status": "not-applicable", "reason": "$1"}},
    {"label": "open", "description": "Still to do.", "body": {"status": "open"}},
]


OUTCOME_SNIPPETS = [
    {"label": "outcome", "description": "Evidence at a level: when, what was observed, where the evidence is.",
     "body": {"date": "${1:YYYY-MM-DD}", "level": "$2", "observed": "$3", "evidence": "$4"}},
]
REVIEW_SNIPPETS = [
    {"label": "approved", "description": "The reviewer approved the report.", "body": {"reviewer": "$1", "decision": "approved", "date": "${2:YYYY-MM-DD}"}},
    {"label": "changes-requested", "description": "The reviewer asked for changes, said in the note.",
     "body": {"reviewer": "$1", "decision": "changes-requested", "date": "${2:YYYY-MM-DD}", "note": "$3"}},
    {"label": "resubmitted", "description": "The report was revised as this reviewer asked, and goes back to them.",
     "body": {"reviewer": "$1", "decision": "resubmitted", "date": "${2:YYYY-MM-DD}"}},
]


def engagement_schema(spec: Spec) -> dict:
    from tacli.standards.models import models_for

    schema = models_for(spec).engagement.model_json_schema(by_alias=True, mode="validation")
    _walk(schema, _tidy)
    _walk(schema, _numbers_as_text)
    _describe_from_standards(schema, spec)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": f"tacli engagement (format 1, tacli {__version__})",
        "description": f"An education technical assistance engagement, for the standards: {', '.join(spec.frameworks)}. Written by `tacli schema`; check files with `tacli check`.",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text(spec: Spec) -> str:
    """The schema as JSON text; field order follows the models, so the text is stable."""
    from tacli.core.textformat import json_text

    return json_text(engagement_schema(spec))


def _walk(node: Any, visit: Callable[[dict], None]) -> None:
    """Call `visit` on every subschema (not on property names or other data)."""
    if not isinstance(node, dict):
        return
    visit(node)
    for key, value in node.items():
        if key in _SUBSCHEMA_MAPS and isinstance(value, dict):
            for sub in value.values():
                _walk(sub, visit)
        elif key in _SUBSCHEMA and isinstance(value, dict):
            _walk(value, visit)
        elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
            for sub in value:
                _walk(sub, visit)


def _tidy(node: dict) -> None:
    # pydantic titles ("F Planning.Facilitator..." or "Hours") add nothing to
    # a description in an editor's hover; a null default would be inserted by
    # completion as `key: null`.
    if isinstance(node.get("title"), str):
        del node["title"]
    if "default" in node and node["default"] is None:
        del node["default"]
    if node.get("format") == "date":
        node.setdefault("pattern", DATE_PATTERN)


def _numbers_as_text(node: dict) -> None:
    # The models take numbers as text (coerce_numbers_to_str): `evidence: 16`
    # is valid. Constrained text (ids, dates, vocabularies) stays text only.
    if node.get("type") == "string" and not any(key in node for key in ("enum", "const", "pattern", "format")):
        node["type"] = ["string", "number"]


def _enum_node(node: Optional[dict]) -> Optional[dict]:
    """The subschema that holds an enum: the node itself, its items, or a member of its anyOf."""
    if not isinstance(node, dict):
        return None
    if "enum" in node:
        return node
    if isinstance(node.get("items"), dict):
        return _enum_node(node["items"])
    for member in node.get("anyOf", ()):
        found = _enum_node(member)
        if found is not None:
            return found
    return None


def _at(schema: dict, *path: str) -> Optional[dict]:
    node: Any = schema
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, dict) else None


def _describe_from_standards(schema: dict, spec: Spec) -> None:
    """The standards' own words on ids: duties, features, elements, and vocabulary values."""
    duties = _at(schema, "$defs", "Duties", "properties") or {}
    for duty in spec.every("duties"):
        prop = duties.get(duty.id)
        if prop is None:
            continue
        stage = spec.stage_by_id.get(duty.stage)
        role = spec.role_by_id.get(duty.role)
        framework = spec.frameworks[duty.framework]
        where = f"{stage.title if stage else duty.stage}, {role.title if role else duty.role} {duty.number}"
        text = duty.text.rstrip(". ")
        source = framework.title + (f", {duty.ref}" if duty.ref else "")
        note = f" Conditional ({duty.condition}): may be marked not-applicable with a reason." if duty.condition else ""
        prop["description"] = f"{where}: {text}.{note} ({source})"
        conditional = f"\n\n*Conditional ({duty.condition})*: may be marked `not-applicable` with a `reason`." if duty.condition else ""
        prop["markdownDescription"] = f"**{where}**: {text}{conditional}\n\n{source}"
    record = _at(schema, "$defs", "DutyRecord")
    if record is not None:
        record["defaultSnippets"] = DUTY_SNIPPETS
    for name, snippets in (("Outcome", OUTCOME_SNIPPETS), ("Review", REVIEW_SNIPPETS)):
        node = _at(schema, "$defs", name)
        if node is not None:
            node["defaultSnippets"] = snippets
    features = _at(schema, "$defs", "Features", "properties") or {}
    for feature in spec.every("features"):
        prop = features.get(feature.id)
        if prop is not None:
            text = feature.title + (f": {feature.illustration}" if feature.illustration else "")
            prop["description"] = f"{text} Evidence for each of its {len(feature.indicators)} indicators."
    plan = _at(schema, "$defs", "Plan", "properties") or {}
    for element in spec.every("elements"):
        prop = plan.get(element.id)
        if prop is not None:
            prop["description"] = f"{element.title}: {element.definition}"
    vocabularies = [
        (("$defs", "Service", "properties", "type"), {item.id: item.label for item in spec.every("support_types")}),
        (("$defs", "Service", "properties", "topics"), {item.id: item.label for item in spec.every("topics")}),
        (("$defs", "Provider", "properties", "partner"), {item.id: item.label for item in spec.every("partners")}),
        (("$defs", "StaffRole", "properties", "role"), {item.id: item.title for item in spec.every("roles")}),
        (("$defs", "Coaching", "properties", "term"), {item.id: item.label for item in spec.every("terms")}),
        (("$defs", "Outcome", "properties", "level"), {item.id: item.label + (f": {item.note}" if item.note else "") for item in spec.every("evidence_levels")}),
        (("properties", "frameworks"), {fid: framework.title for fid, framework in spec.frameworks.items()}),
        (("properties", "tier"), _tier_labels(spec)),
    ]
    for path, labels in vocabularies:
        node = _enum_node(_at(schema, *path))
        if node is not None and labels:
            node["enumDescriptions"] = [labels.get(value, "") for value in node["enum"]]


def _tier_labels(spec: Spec) -> dict[str, str]:
    labels = {}
    for tier in spec.every("tiers"):
        labels[tier.id] = tier.label
        for alias in tier.aliases:
            labels[alias] = f"{tier.label} (another name for {tier.id})"
    return labels
