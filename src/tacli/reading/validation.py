"""Validate an engagement document against the spec-derived model.

pydantic reports errors as paths into the data; here each becomes a finding at
the file's line and column, with a message that says what to change.
"""

from __future__ import annotations

import typing
from typing import Any, Optional

from pydantic import BaseModel, ValidationError

from tacli.core.findings import Finding, finding
from tacli.reading.file_rules import NOT_ENGAGEMENT, SCHEMA_REQUIRED, SCHEMA_TYPE, SCHEMA_UNKNOWN_KEY, UNKNOWN_VALUE, VALIDATION_RULES
from tacli.standards.models import FORMAT_VERSION, EngagementModels
from tacli.core.suggest import did_you_mean, known_list
from tacli.io.yamlsource import Document

RULES = VALIDATION_RULES


def validate(document: Document, models: EngagementModels) -> tuple[Optional[BaseModel], list[Finding]]:
    """The validated engagement (None when invalid) and the schema findings."""
    data = document.data
    if not isinstance(data, dict):
        shape = "a list" if isinstance(data, list) else "a single value"
        return None, [finding(NOT_ENGAGEMENT, document.path, document.locate(), f"the file holds {shape}, not an engagement: an engagement is a mapping that starts with `tacli: {FORMAT_VERSION}`")]
    if "tacli" not in data:
        return None, [finding(NOT_ENGAGEMENT, document.path, document.locate(), f"not an engagement file: add `tacli: {FORMAT_VERSION}` as its first line, or create one with `tacli new engagement`")]
    try:
        return models.engagement.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    if any(error["loc"] == ("tacli",) for error in errors):  # a format this tacli does not know: its other findings would mislead
        return None, [_unsupported_version(document)]
    return None, _start_anew(models, errors, [_explain(error, document, models) for error in errors])


def _unsupported_version(document: Document) -> Finding:
    """The one finding for a `tacli:` version this tacli does not read."""
    given = document.data["tacli"]
    newer = isinstance(given, int) and not isinstance(given, bool) and given > FORMAT_VERSION
    what_to_do = f", made by a newer tacli: upgrade tacli, or write `tacli: {FORMAT_VERSION}`" if newer else f": write `tacli: {FORMAT_VERSION}`"
    return finding(SCHEMA_TYPE, document.path, document.locate(("tacli",)), f"unsupported engagement format version {given!r}{what_to_do}")


def _start_anew(models: EngagementModels, errors: list, findings: list[Finding]) -> list[Finding]:
    """With most of the top-level keys missing (a file begun by hand), the first
    of them says once that `tacli new engagement` writes a whole file."""
    from dataclasses import replace

    required = [name for name, field in models.engagement.model_fields.items() if field.is_required()]
    missing = sorted(str(error["loc"][0]) for error in errors if error["type"] == "missing" and len(error["loc"]) == 1)
    if len(missing) * 2 <= len(required):
        return findings
    first = f"missing required key '{missing[0]}': add it"
    return [replace(item, message=f"{first}; {len(missing)} of the {len(required)} top-level keys an engagement needs are missing: `tacli new engagement TITLE` writes a complete file")
            if item.message == first else item for item in findings]


def checkable_without_unknown_keys(document: Document, models: EngagementModels, findings: list[Finding]) -> Optional[BaseModel]:
    """The engagement without the keys it should not have (a misspelled duty id,
    an unknown key), when those are its only problems: so that `tacli check`
    goes on to every other rule and a file shows all its findings at once. The
    file stays unusable (reports, edits and the site never use this)."""
    if not findings or any(item.rule not in (UNKNOWN_VALUE.id, SCHEMA_UNKNOWN_KEY.id) for item in findings):
        return None
    try:
        models.engagement.model_validate(document.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    else:  # pragma: no cover - validated after all
        return None
    if any(error["type"] != "extra_forbidden" for error in errors):
        return None  # an unknown value in its place (a support type, a tier): nothing to leave out safely
    data = _without_keys(document.data, [tuple(error["loc"]) for error in errors])
    try:
        return models.engagement.model_validate(data)
    except ValidationError:
        return None


def _without_keys(data: Any, locs: list[tuple]) -> Any:
    """A copy of `data` without the keys at `locs`; the rest shared, unchanged."""
    if not locs:
        return data
    if isinstance(data, dict):
        gone = {loc[0] for loc in locs if len(loc) == 1}
        return {key: _without_keys(value, [loc[1:] for loc in locs if len(loc) > 1 and loc[0] == key]) for key, value in data.items() if key not in gone}
    if isinstance(data, list):
        return [_without_keys(value, [loc[1:] for loc in locs if len(loc) > 1 and loc[0] == index]) for index, value in enumerate(data)]
    return data


def _where(loc: tuple, data: Any = None) -> str:
    """A place in the file as a reader names it: keys as written, joined by dots
    (recipient.kind); a service by its id, else by its place counted from one,
    and a place inside it as "the duties of service 'x'" ("of the 2nd service");
    an item of another list by its place, from one ("agenda item 2")."""
    from tacli.core.textformat import ordinal

    items: list[str] = []  # the list items on the way, outermost first
    keys: list[str] = []  # the keys since the last of them
    at, node = 0, data
    while at < len(loc):
        part, index = loc[at], loc[at + 1] if at + 1 < len(loc) else None
        node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(index, int):
            keys.append(str(part))
            at += 1
            continue
        node = node[index] if isinstance(node, list) and 0 <= index < len(node) else None
        name = ".".join(keys + [str(part)])
        if name == "services" and not items:
            given = node.get("id") if isinstance(node, dict) else None
            items.append(f"service '{given}'" if isinstance(given, str) and given.strip() else f"the {ordinal(index + 1)} service")
        else:
            items.append(f"{name} item {index + 1}")
        keys, at = [], at + 2
    inner = ".".join(keys)
    if not items:
        return inner or "the top level"
    outer = " of ".join(reversed(items))
    return f"the {inner} of {outer}" if inner else outer


def _explain(error: dict, document: Document, models: EngagementModels) -> Finding:
    kind, loc = error["type"], tuple(error["loc"])
    path = document.path
    if kind == "missing":
        where = document.locate(loc[:-1])
        inside = f" in {_where(loc[:-1], document.data)}" if loc[:-1] else ""
        return finding(SCHEMA_REQUIRED, path, where, f"missing required key '{loc[-1]}'{inside}: add it")
    if kind == "extra_forbidden":
        where = document.locate_key(loc)
        key = loc[-1]
        id_map = models.id_map(loc[:-1])
        if id_map:
            label, ids = id_map
            hint = did_you_mean(key, ids) or f" known: {known_list(ids)}."
            return finding(UNKNOWN_VALUE, path, where, f"unknown {label} '{key}' in {_where(loc[:-1], document.data)}:{hint}")
        known = _known_keys(models.engagement, loc[:-1])
        hint = did_you_mean(key, known) or (f" remove it, or use one of the known keys: {known_list(known, 12)}." if known else " remove it.")
        inside = _where(loc[:-1], document.data)
        return finding(SCHEMA_UNKNOWN_KEY, path, where, f"unknown key '{key}' in {inside}:{hint}")
    where = document.locate(loc)
    given = error.get("input")
    if kind == "literal_error":
        name = next((part for part in reversed(loc) if isinstance(part, str)), "")
        if name in models.vocabularies and isinstance(given, str):
            label, values = models.vocabularies[name]
            hint = did_you_mean(given, values) or f" known: {known_list(values, 12)}."
            listed = loc[:-1] if isinstance(loc[-1], int) else loc  # the value names the item: "in the topics of service 'x'"
            return finding(UNKNOWN_VALUE, path, where, f"unknown {label} '{given}' in {_where(listed, document.data)}:{hint}")
    record = _RECORD_SHAPES.get((models.id_map(loc[:-1]) or ("",))[0])
    if record and kind in ("model_type", "model_attributes_type", "dict_type"):
        return finding(SCHEMA_TYPE, path, where, f"{_where(loc, document.data)} should be a record like {record} (found {_show(given)})")
    message = _PLAIN.get(kind) or error["msg"]
    if kind in ("float_parsing", "float_type") and loc[-1:] == ("hours",) and isinstance(given, str):
        message = _hours_advice(given)
    if kind == "string_type" and loc[-1:] == ("id",):
        message = "should be text, not a number: write the id in quotes"
    for prefix in ("Value error, ", "Input should be ", "Input "):
        if message.startswith(prefix):
            message = ("should be " if prefix == "Input should be " else "") + message[len(prefix):]
            break
    shown = _show(given)
    quoted = isinstance(given, str) and f"'{given}'" in message  # the message names the value already
    got = f" (found {shown})" if shown and kind != "too_short" and "not a real date" not in message and not quoted else ""
    if isinstance(given, str) and message.startswith(f"'{given}' is not "):  # the value first would follow the place's own quotes
        message = f"is '{given}', not " + message[len(f"'{given}' is not "):]
    return finding(SCHEMA_TYPE, path, where, f"{_where(loc, document.data)} {message}{got}")


def _hours_advice(given: str) -> str:
    """What to write for hours given as text: the number they make ("1:30" is
    1.5), as the command line and the prompts read them, else the form."""
    from tacli.core.numbers import number, parse_hours
    from tacli.core.outcome import UsageError

    try:
        return f"should be a number, not '{given}': write hours: {number(parse_hours(given))}"
    except UsageError:
        return f"should be a number of hours, not '{given}': write it as in hours: 1.5"


_RECORD_SHAPES = {
    "duty id": "{status: done, date: YYYY-MM-DD, evidence: ...}, {status: not-applicable, reason: ...} or {status: open}",
    "readiness criterion": "{met: true, evidence: ...}",
}
_PLAIN = {
    "float_parsing": "should be a number",
    "float_type": "should be a number",
    "int_parsing": "should be a whole number",
    "int_type": "should be a whole number",
    "int_from_float": "should be a whole number",
    "bool_parsing": "should be true or false",
    "bool_type": "should be true or false",
    "string_type": "should be text",
    "list_type": "should be a list",
    "model_type": "should be a mapping of keys and values",
    "dict_type": "should be a mapping of keys and values",
    "model_attributes_type": "should be a mapping of keys and values",
    "string_pattern_mismatch": "should be lower-case letters and digits joined by hyphens, like elm-school-2026",
    "too_short": "should not be empty",
}


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _known_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys the model accepts at `loc`, following fields, lists and optionals."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = next((f for name, f in current.model_fields.items() if (f.alias or name) == part), None)
        if field is None:
            return []
        current = field.annotation
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """Optional[X] -> X, list[X] -> X."""
    while True:
        args = typing.get_args(annotation)
        origin = typing.get_origin(annotation)
        if origin in (list, typing.Union) or str(origin) in ("types.UnionType",):
            inner = [a for a in args if a is not type(None)]
            if len(inner) == 1:
                annotation = inner[0]
                continue
        return annotation
