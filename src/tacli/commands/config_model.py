"""The keys of a configuration file as a pydantic model, `FileSettings`: its
fields' types decide what is valid and their descriptions are the
documentation (docs/configuration.md is generated from them); every problem
in the file, a finding at its line and column.

Apart from `config` (the effective configuration and how it is found and
kept) so that a run whose configuration is in tacli's cache, or that has no
configuration file, never imports pydantic or builds this model.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from tacli.core.findings import Finding, Level, finding
from tacli.io.configfile import CONFIG_INVALID, SCHEMA_FILE


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


_CONTROL = "a control character"


def _no_control_character(value: str) -> str:
    """A path holds none: one there came from a backslash escape (`"C:\\new"` is C:, a line break, ew)."""
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError(_CONTROL)
    return value


PathText = Annotated[str, AfterValidator(_not_blank), AfterValidator(_no_control_character)]


PATH, RULE_LIST, NAME, SWITCH = "path", "list of rule ids or patterns", "text", "true or false"
LEVEL_TABLE = 'table: rule id or pattern = `"error"`, `"warning"` or `"info"`'


def _setting(kind: str, default: str, description: str, alias: Optional[str] = None):
    """A key of the file: its kind and default as the documentation shows them, and what it does."""
    return Field(None, alias=alias, description=description, json_schema_extra={"kind": kind, "default_text": default})


class FileSettings(BaseModel):
    """The keys of a configuration file; docs/configuration.md shows this model as a table."""

    model_config = ConfigDict(extra="forbid", strict=True)

    standards: Optional[PathText] = _setting(PATH, "the standards shipped with tacli", "the standards folder of every command that reads standards")
    engagements: Optional[PathText] = _setting(PATH, "the current folder", "what `tacli check` checks when no PATH is given; the schema file sits next to it")
    reports: Optional[PathText] = _setting(PATH, "none", "the reports folder of `tacli report` (its `--out-dir`)")
    roster: Optional[PathText] = _setting(PATH, "none", "the roster of the service area: coverage in `tacli check` and `tacli site`, the share of it served in the annual report (their `--roster`; [roster.md](roster.md))")
    schema_file: Optional[PathText] = _setting(
        PATH, "`engagement.schema.json` next to the engagements folder (or in the configuration's folder)",
        "the file `tacli new engagement` points editors to ([editors.md](editors.md))", alias="schema",
    )
    select: Optional[list[str]] = _setting(RULE_LIST, "every rule", "report only these rules")
    ignore: Optional[list[str]] = _setting(RULE_LIST, "none", "do not report these rules; wins over `select`")
    levels: Optional[dict[str, Literal["error", "warning", "info"]]] = _setting(LEVEL_TABLE, "each rule's own level", "report a rule at another level")
    me: Optional[PathText] = _setting(NAME, "none (everyone)", "your name as facilitator or coach: what `tacli due` lists by default (its `--facilitator`)")
    commit: Optional[bool] = _setting(SWITCH, "false", "`tacli serve` commits each save to git, with a message that says what was recorded (its `--commit`; [serve.md](serve.md))")


def _expected(key: str, kind: str) -> str:
    """What to write for a key whose value has the wrong type."""
    if kind == PATH:
        return f'a path, written as text (e.g. {key} = "{SCHEMA_FILE if key == "schema" else key}")'
    if kind == RULE_LIST:
        return f'a list of rule ids, e.g. {key} = ["duty-evidence"] (`tacli rules` lists them)'
    if kind == NAME:
        return f'a name, written as text (e.g. {key} = "Dana Ruiz")'
    if kind == SWITCH:
        return f"true or false, without quotes (e.g. {key} = true)"
    return 'a table of rule ids and levels, e.g. [levels] tast-due-soon = "info"'


SETTINGS = {(info.alias or name): info for name, info in FileSettings.model_fields.items()}
PATH_KEYS = tuple(key for key, info in SETTINGS.items() if info.json_schema_extra["kind"] == PATH)
LEVEL_NAMES = tuple(level.value for level in Level)


def settings_table() -> str:
    """The table of keys in docs/configuration.md, from the model (a test compares)."""
    rows = ["| key | type | default | what it does |", "| --- | --- | --- | --- |"]
    for key, info in SETTINGS.items():
        extra = info.json_schema_extra
        rows.append(f"| `{key}` | {extra['kind']} | {extra['default_text']} | {info.description} |")
    return "\n".join(rows) + "\n"


def check_settings(data: dict, locator, shown: str) -> tuple[dict, list[Finding]]:
    """The file's settings (by their keys in the file, unset ones left out), and a
    finding for every value that is not valid (the other values are still read,
    so that every problem of the file is reported in one run)."""
    problems: list[Finding] = []
    try:
        settings = FileSettings.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems = [_explain(error, locator, shown) for error in errors]
        settings = FileSettings.model_validate(_without(data, [tuple(error["loc"]) for error in errors]))
    return settings.model_dump(by_alias=True, exclude_none=True), problems


def _without(data: dict, failed: list[tuple]) -> dict:
    """The settings without the values that failed, so that the rest is still
    checked and every problem of the file is reported in one run."""
    kept = {}
    whole = {loc[0] for loc in failed if loc and (len(loc) == 1 or not isinstance(data.get(loc[0]), dict))}  # a list with an item that failed: all of it
    for key, value in data.items():
        if key not in SETTINGS or key in whole:
            continue
        if isinstance(value, dict):
            value = {sub: item for sub, item in value.items() if (key, sub) not in failed}
        kept[key] = value
    return kept


def _explain(error: dict, locator, shown: str) -> Finding:
    """A pydantic error on the file's settings, as a finding at its place."""
    from tacli.core.suggest import did_you_mean

    loc = tuple(error["loc"])
    key = str(loc[0])
    if error["type"] == "extra_forbidden":
        hint = did_you_mean(key, SETTINGS) or f" remove it, or use one of the known keys: {', '.join(SETTINGS)}."
        return finding(CONFIG_INVALID, shown, locator.key_position(key), f"unknown key '{key}':{hint}")
    if key == "levels" and len(loc) == 2:
        rule_id, level = str(loc[1]), error.get("input")
        position = locator.nested_value_position("levels", rule_id)
        if isinstance(level, str) and level in ("off", "ignore", "none", "disable", "disabled"):
            return finding(CONFIG_INVALID, shown, position, f"level '{level}' for rule '{rule_id}': to turn a rule off, add it to ignore")
        hint = (did_you_mean(level, LEVEL_NAMES) if isinstance(level, str) else "") or f" use one of {', '.join(LEVEL_NAMES)}."
        shown_level = f"'{level}'" if isinstance(level, str) else repr(level)
        return finding(CONFIG_INVALID, shown, position, f"unknown level {shown_level} for rule '{rule_id}':{hint}")
    if error["type"] == "value_error" and _CONTROL in str(error.get("msg", "")):
        from tacli.core.textformat import visible

        return finding(CONFIG_INVALID, shown, locator.value_position(key),
                       f"{key} is '{visible(str(error.get('input')))}', which holds a line break, a tab or another control character: in text between double quotes a "
                       f"backslash starts an escape (\\n is a line break); in a path write / instead, or put the text in single quotes, as in {key} = 'C:\\Users\\dana'")
    return finding(CONFIG_INVALID, shown, locator.value_position(key), f"{key} should be {_expected(key, SETTINGS[key].json_schema_extra['kind'])}")
