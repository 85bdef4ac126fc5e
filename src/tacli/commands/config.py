"""Project configuration: `tacli.toml`, or `[tool.tacli]` in `pyproject.toml`.

The file is found by searching upward from the current folder, and the search
stops at the top of a git repository, so a stray file above the project is
never read. Paths in it are relative to its own folder. Command-line options
and environment variables win over it.

The keys are one model, `FileSettings`: its fields' types decide what is
valid and their descriptions are the documentation (docs/configuration.md is
generated from them). Every problem in the file is a finding at its line and
column: a typo in `ignore` that silently ignored nothing would hide exactly
what its author meant to see.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal, Mapping, Optional, Sequence

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from tacli.core.findings import Finding, Level, finding
from tacli.core.paths import shown_path
from tacli.io.configfile import (
    CONFIG_INVALID,
    PYPROJECT,
    _invalid,
    _parse,
    _read,
    config_path,
    setting_path,
    standards_choice,
)

SCHEMA_FILE = "engagement.schema.json"
DEFAULT_SOURCE = "default"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


PathText = Annotated[str, AfterValidator(_not_blank)]


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


@dataclass(frozen=True)
class Config:
    """The effective configuration, with where each value came from.

    Paths are absolute. `None` means "not set": the standards shipped with
    tacli, the current folder for engagements, no default reports folder, and
    the schema file next to the engagements folder.
    """

    file: Optional[Path] = None
    folder: Path = field(default_factory=Path.cwd)
    standards: Optional[Path] = None
    engagements: Optional[Path] = None
    reports: Optional[Path] = None
    roster: Optional[Path] = None
    schema: Optional[Path] = None
    select: Optional[tuple] = None
    ignore: tuple = ()
    levels: Mapping[str, Level] = field(default_factory=dict)
    me: Optional[str] = None
    commit: Optional[bool] = None  # tacli serve commits each save
    rules: Any = None  # rules.RuleSettings, or None when nothing changes the catalogue
    sources: Mapping[str, str] = field(default_factory=dict)

    def source(self, key: str) -> str:
        """Where the value of `key` came from: a file position, an option, a variable, or "default"."""
        return self.sources.get(key, DEFAULT_SOURCE)

    def with_rule_options(self, select: Optional[Sequence[str]] = None, ignore: Optional[Sequence[str]] = None) -> "Config":
        """The configuration with --select / --ignore from the command line, which replace the file's.

        Raises UsageError for an unknown rule id."""
        if select is None and ignore is None:
            return self
        from tacli.core.outcome import UsageError
        from tacli.checking.selection import select_rules

        sources = dict(self.sources)
        new_select, new_ignore = self.select, self.ignore
        if select is not None:
            new_select, sources["select"] = tuple(select), "--select"
        if ignore is not None:
            new_ignore, sources["ignore"] = tuple(ignore), "--ignore"
        rules, problems = select_rules(new_select, new_ignore, dict(self.levels), label=lambda key: f"--{key}")
        if problems:
            raise UsageError(*(problem.message for problem in problems))
        return replace(self, select=new_select, ignore=new_ignore, rules=rules, sources=sources)


# loading the file


def load_config(start: Optional[Path] = None, explicit: Optional[Path] = None, environ: Optional[Mapping[str, str]] = None) -> Config:
    """The configuration for a command run in `start` (default: the current folder).

    `explicit` (or the TACLI_CONFIG variable) names the file instead of searching
    for one. Raises ConfigError with every problem found in the file, and
    UsageError when the file named does not exist."""
    start = Path(os.path.abspath(start or Path.cwd()))
    path = config_path(start, explicit, environ)
    if path is None:
        return Config(folder=start)
    return _load_file(path)


def _load_file(path: Path) -> Config:
    from tacli.io.tomlpos import Locator

    text = _read(path)
    data = _parse(text, path)
    shown = shown_path(path, project=path.parent)
    table: tuple[str, ...] = ()
    if path.name == PYPROJECT:
        table = ("tool", "tacli")
        data = data.get("tool", {}).get("tacli") if isinstance(data.get("tool"), dict) else None
        if data is None:
            raise _invalid(path, [finding(CONFIG_INVALID, shown, (1, 1), f"no [tool.tacli] table in this {PYPROJECT}")])
        if not isinstance(data, dict):
            position = Locator(text, ("tool",)).key_position("tacli")
            raise _invalid(path, [finding(CONFIG_INVALID, shown, position, "tool.tacli should be a table of settings")])
    locator = Locator(text, table)
    problems: list[Finding] = []
    try:
        settings = FileSettings.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems = [_explain(error, locator, shown) for error in errors]
        settings = FileSettings.model_validate(_without(data, [tuple(error["loc"]) for error in errors]))
    values = settings.model_dump(by_alias=True, exclude_none=True)
    folder = path.parent
    sources = {key: f"{shown}:{locator.key_position(key)[0]}" for key in values}
    paths = {key: setting_path(path, values[key]) for key in PATH_KEYS if key in values}
    select = tuple(values["select"]) if "select" in values else None
    ignore = tuple(values.get("ignore", ()))
    levels = {rule_id: Level(level) for rule_id, level in values.get("levels", {}).items()}
    rules = None
    if select is not None or ignore or levels:  # only then is the rule catalogue (every check) imported
        from tacli.checking.selection import select_rules

        rules, wrong = select_rules(select, ignore, levels)
        for problem in wrong:
            if problem.key == "levels":
                position = locator.nested_key_position("levels", problem.pattern)
            else:
                position = locator.string_position(problem.key, problem.pattern)
            problems.append(finding(CONFIG_INVALID, shown, position, problem.message))
    if problems:
        raise _invalid(path, sorted(problems, key=Finding.sort_key))
    return Config(
        file=path, folder=folder, select=select, ignore=ignore, levels=levels, rules=rules, sources=sources, me=values.get("me"), commit=values.get("commit"),
        standards=paths.get("standards"), engagements=paths.get("engagements"), reports=paths.get("reports"), roster=paths.get("roster"), schema=paths.get("schema"),
    )


def _without(data: dict, failed: list[tuple]) -> dict:
    """The settings without the values that failed, so that the rest is still
    checked and every problem of the file is reported in one run."""
    kept = {}
    for key, value in data.items():
        if key not in SETTINGS or (key,) in failed:
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
        hint = did_you_mean(key, SETTINGS) or f" known keys: {', '.join(SETTINGS)}."
        return finding(CONFIG_INVALID, shown, locator.key_position(key), f"unknown key '{key}':{hint}")
    if key == "levels" and len(loc) == 2:
        rule_id, level = str(loc[1]), error.get("input")
        position = locator.nested_value_position("levels", rule_id)
        if isinstance(level, str) and level in ("off", "ignore", "none", "disable", "disabled"):
            return finding(CONFIG_INVALID, shown, position, f"level '{level}' for rule '{rule_id}': to turn a rule off, add it to ignore")
        hint = (did_you_mean(level, LEVEL_NAMES) if isinstance(level, str) else "") or f" use one of {', '.join(LEVEL_NAMES)}."
        shown_level = f"'{level}'" if isinstance(level, str) else repr(level)
        return finding(CONFIG_INVALID, shown, position, f"unknown level {shown_level} for rule '{rule_id}':{hint}")
    return finding(CONFIG_INVALID, shown, locator.value_position(key), f"{key} should be {_expected(key, SETTINGS[key].json_schema_extra['kind'])}")


# resolving paths against options and the environment


def standards_setting(option: Optional[str], config: Config, environ: Optional[Mapping[str, str]] = None) -> tuple[Path, str]:
    """The standards folder and its source: --standards, then TACLI_STANDARDS, then the file, then the shipped one."""
    configured = (config.standards, config.source("standards")) if config.standards is not None else None
    return standards_choice(option, configured, environ)


def schema_file(config: Config) -> Path:
    """Where the engagement JSON Schema lives: the `schema` setting; else next to the
    configured engagements folder; else in the configuration's folder; else in the
    current folder, next to the `engagements` folder `tacli new engagement` writes to."""
    if config.schema is not None:
        return config.schema
    if config.engagements is not None:
        return config.engagements.parent / SCHEMA_FILE
    return (config.folder if config.file else Path(os.path.abspath(Path.cwd()))) / SCHEMA_FILE
