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

from tacli.findings import Finding, FindingsError, Level, Rule, finding

CONFIG_FILE = "tacli.toml"
PYPROJECT = "pyproject.toml"
SCHEMA_FILE = "engagement.schema.json"
CONFIG_ENV = "TACLI_CONFIG"
STANDARDS_ENV = "TACLI_STANDARDS"
DEFAULT_SOURCE = "default"

CONFIG_INVALID = Rule("config-invalid", Level.ERROR, "The configuration (tacli.toml or [tool.tacli]) has an unknown key, a value of the wrong type, or an unknown rule or level.")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


PathText = Annotated[str, AfterValidator(_not_blank)]


def _setting(kind: str, default: str, description: str, expects: str):
    """A key of the file: its type and default as the documentation shows them,
    what it does, and what to write when its value is wrong."""
    return Field(None, description=description, json_schema_extra={"kind": kind, "default_text": default, "expects": expects})


class FileSettings(BaseModel):
    """The keys of a configuration file."""

    model_config = ConfigDict(extra="forbid", strict=True)

    standards: Optional[PathText] = _setting(
        "path", "the standards shipped with tacli", "the standards folder of every command that reads standards",
        'a path, written as text (e.g. standards = "standards")',
    )
    engagements: Optional[PathText] = _setting(
        "path", "the current folder", "what `tacli check` checks when no PATH is given; the schema file sits next to it",
        'a path, written as text (e.g. engagements = "engagements")',
    )
    reports: Optional[PathText] = _setting(
        "path", "none", "the reports folder of `tacli report` (its `--out-dir`)",
        'a path, written as text (e.g. reports = "reports")',
    )
    schema_file: Optional[PathText] = Field(
        None, alias="schema", description="the file `tacli new engagement` points editors to ([editors.md](editors.md))",
        json_schema_extra={
            "kind": "path",
            "default_text": "`engagement.schema.json` next to the engagements folder (or in the configuration's folder)",
            "expects": f'a path, written as text (e.g. schema = "{SCHEMA_FILE}")',
        },
    )
    select: Optional[list[str]] = _setting(
        "list of rule ids or patterns", "every rule", "report only these rules",
        'a list of rule ids, e.g. select = ["duty-evidence"] (`tacli rules` lists them)',
    )
    ignore: Optional[list[str]] = _setting(
        "list of rule ids or patterns", "none", "do not report these rules; wins over `select`",
        'a list of rule ids, e.g. ignore = ["duty-evidence"] (`tacli rules` lists them)',
    )
    levels: Optional[dict[str, Literal["error", "warning", "info"]]] = _setting(
        'table: rule id or pattern = `"error"`, `"warning"` or `"info"`', "each rule's own level", "report a rule at another level",
        'a table of rule ids and levels, e.g. [levels] tast-due-soon = "info"',
    )


SETTINGS = {(info.alias or name): info for name, info in FileSettings.model_fields.items()}
PATH_KEYS = tuple(key for key, info in SETTINGS.items() if info.json_schema_extra["kind"] == "path")
LEVEL_NAMES = tuple(level.value for level in Level)


def settings_table() -> str:
    """The table of keys in docs/configuration.md, from the model (a test compares)."""
    rows = ["| key | type | default | what it does |", "| --- | --- | --- | --- |"]
    for key, info in SETTINGS.items():
        extra = info.json_schema_extra
        rows.append(f"| `{key}` | {extra['kind']} | {extra['default_text']} | {info.description} |")
    return "\n".join(rows) + "\n"


class ConfigError(FindingsError):
    """The configuration cannot be used; carries every finding about it."""


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
    schema: Optional[Path] = None
    select: Optional[tuple] = None
    ignore: tuple = ()
    levels: Mapping[str, Level] = field(default_factory=dict)
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
        from tacli.outcome import UsageError
        from tacli.rules import select_rules

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


# finding and loading the file


def find_config(start: Optional[Path] = None) -> Optional[Path]:
    """The nearest tacli.toml or pyproject.toml with [tool.tacli], from `start` upward.

    The search stops at a folder that holds `.git` (after looking in it)."""
    folder = Path(os.path.abspath(start or Path.cwd()))
    while True:
        own = folder / CONFIG_FILE
        pyproject = folder / PYPROJECT
        in_pyproject = pyproject.is_file() and _has_tacli_table(pyproject)
        if own.is_file():
            if in_pyproject:
                from tacli.tomlpos import Locator

                line, column = Locator(_read(pyproject), ("tool", "tacli")).table_position()
                message = f"both {CONFIG_FILE} and [tool.tacli] in {PYPROJECT} configure tacli in {shown_path(folder)}: keep one of them"
                raise ConfigError([finding(CONFIG_INVALID, shown_path(pyproject), (line, column), message)], f"the configuration in {shown_path(folder)}")
            return own
        if in_pyproject:
            return pyproject
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def _has_tacli_table(path: Path) -> bool:
    text = _read(path)
    if "tacli" not in text:  # most pyproject.toml files: no need to parse them
        return False
    tool = _parse(text, path).get("tool")
    return isinstance(tool, dict) and "tacli" in tool


def load_config(start: Optional[Path] = None, explicit: Optional[Path] = None, environ: Optional[Mapping[str, str]] = None) -> Config:
    """The configuration for a command run in `start` (default: the current folder).

    `explicit` (or the TACLI_CONFIG variable) names the file instead of searching
    for one. Raises ConfigError with every problem found in the file, and
    UsageError when the file named does not exist."""
    environ = os.environ if environ is None else environ
    start = Path(os.path.abspath(start or Path.cwd()))
    if explicit is None and environ.get(CONFIG_ENV):
        explicit = Path(environ[CONFIG_ENV])
    if explicit is not None:
        explicit = Path(os.path.abspath(start / explicit))
        if not explicit.is_file():
            from tacli.outcome import UsageError

            raise UsageError(f"{shown_path(explicit)}: configuration file not found")
        path: Optional[Path] = explicit
    else:
        path = find_config(start)
    if path is None:
        return Config(folder=start)
    return _load_file(path)


def _load_file(path: Path) -> Config:
    from tacli.tomlpos import Locator

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
    paths = {key: Path(os.path.normpath(folder / values[key])) for key in PATH_KEYS if key in values}
    select = tuple(values["select"]) if "select" in values else None
    ignore = tuple(values.get("ignore", ()))
    levels = {rule_id: Level(level) for rule_id, level in values.get("levels", {}).items()}
    rules = None
    if select is not None or ignore or levels:  # only then is the rule catalogue (every check) imported
        from tacli.rules import select_rules

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
        file=path, folder=folder, select=select, ignore=ignore, levels=levels, rules=rules, sources=sources,
        standards=paths.get("standards"), engagements=paths.get("engagements"), reports=paths.get("reports"), schema=paths.get("schema"),
    )


def _invalid(path: Path, findings: list[Finding]) -> ConfigError:
    return ConfigError(findings, f"the configuration {shown_path(path)}")


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
    from tacli.suggest import did_you_mean

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
    return finding(CONFIG_INVALID, shown, locator.value_position(key), f"{key} should be {SETTINGS[key].json_schema_extra['expects']}")


def _read(path: Path) -> str:
    shown = shown_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _invalid(path, [finding(CONFIG_INVALID, shown, (1, 1), f"cannot read the configuration: {exc.strerror or exc}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _invalid(path, [finding(CONFIG_INVALID, shown, (line, column), "the configuration is not UTF-8 text")]) from None


def _parse(text: str, path: Path) -> dict:
    from tacli.tomlpos import TomlError, parse

    try:
        return parse(text)
    except TomlError as exc:
        raise _invalid(path, [finding(CONFIG_INVALID, shown_path(path, project=path.parent), (exc.line, exc.column), exc.message)]) from None


# resolving paths against options and the environment


def standards_setting(option: Optional[str], config: Config, environ: Optional[Mapping[str, str]] = None) -> tuple[Path, str]:
    """The standards folder and its source: --standards, then TACLI_STANDARDS, then the file, then the shipped one."""
    environ = os.environ if environ is None else environ
    if option:
        return Path(option), "--standards"
    if environ.get(STANDARDS_ENV):
        return Path(environ[STANDARDS_ENV]), STANDARDS_ENV
    if config.standards is not None:
        return config.standards, config.source("standards")
    from tacli.spec import shipped_standards

    return shipped_standards(), "default (shipped with tacli)"


def schema_file(config: Config) -> Path:
    """Where the engagement JSON Schema lives: the `schema` setting; else next to the
    configured engagements folder; else in the configuration's folder; else in the
    current folder, next to the `engagements` folder `tacli new engagement` writes to."""
    if config.schema is not None:
        return config.schema
    if config.engagements is not None:
        return config.engagements.parent / SCHEMA_FILE
    return (config.folder if config.file else Path(os.path.abspath(Path.cwd()))) / SCHEMA_FILE


def schema_reference(engagement_file: Path, schema: Path) -> str:
    """The `$schema=` value for an engagement file: the schema's path relative to the file's folder."""
    base = Path(os.path.abspath(engagement_file)).parent
    target = Path(os.path.abspath(schema))
    try:
        return Path(os.path.relpath(target, base)).as_posix()
    except ValueError:  # another drive
        return target.as_uri()


def shown_path(path: Path, cwd: Optional[Path] = None, project: Optional[Path] = None) -> str:
    """A path as a user would type it from the current folder.

    Relative when it lies below the current folder, or when both lie in the
    `project` folder (../engagements from a sub-folder); absolute otherwise."""
    absolute = os.path.abspath(path)
    here = os.path.abspath(cwd or Path.cwd())
    try:
        relative = os.path.relpath(absolute, here)
    except ValueError:  # another drive
        return str(path)
    if relative == ".." or relative.startswith(".." + os.sep):
        inside = project is not None and all(_within(p, os.path.abspath(project)) for p in (absolute, here))
        if not inside:
            return Path(absolute).as_posix()
    return Path(relative).as_posix()


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# showing it


def describe(config: Config, standards_option: Optional[str] = None, environ: Optional[Mapping[str, str]] = None, cwd: Optional[Path] = None) -> dict:
    """The effective configuration as plain data: each setting's value and source, and the rules it changes."""
    from tacli.rules import ALL_RULES

    folder, standards_source = standards_setting(standards_option, config, environ)
    project = config.folder if config.file else None

    def shown(path: Path) -> str:
        return shown_path(path, cwd, project)

    settings: dict[str, dict] = {
        "standards": {"value": shown(folder), "source": standards_source},
        "engagements": {
            "value": shown(config.engagements) if config.engagements else ".",
            "source": config.source("engagements") if config.engagements else "default (the current folder)",
        },
        "reports": {
            "value": shown(config.reports) if config.reports else None,
            "source": config.source("reports") if config.reports else "default (none: tacli report --out-dir DIR)",
        },
        "schema": {
            "value": shown(schema_file(config)),
            "source": config.source("schema") if config.schema else ("default (next to the engagements folder)" if config.engagements else "default"),
        },
        "select": {"value": list(config.select) if config.select is not None else None, "source": config.source("select")},
        "ignore": {"value": list(config.ignore), "source": config.source("ignore")},
        "levels": {"value": {pattern: level.value for pattern, level in config.levels.items()}, "source": config.source("levels")},
    }
    disabled = config.rules.disabled if config.rules else frozenset()
    levels = config.rules.levels if config.rules else {}
    return {
        "file": shown(config.file) if config.file else None,
        "settings": settings,
        "rules": {
            "reported": sum(1 for rule in ALL_RULES if rule.id not in disabled),
            "total": len(ALL_RULES),
            "ignored": sorted(disabled),
            "levels": {rule.id: {"level": levels[rule.id].value, "default": rule.level.value} for rule in ALL_RULES if rule.id in levels},
        },
    }


def describe_text(described: dict) -> str:
    """`tacli config` for people: one setting a line, with where it came from."""
    file = described["file"]
    lines = [f"configuration file: {file}" if file else f"configuration file: none ({CONFIG_FILE}, or [tool.tacli] in {PYPROJECT}, searched from the current folder up to the top of the git repository)", ""]
    rows = [("setting", "value", "from")]
    for key, setting in described["settings"].items():
        rows.append((key, _value_text(key, setting["value"]), setting["source"]))
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for key, value, source in rows:
        lines.append(f"{key:<{widths[0]}}  {value:<{widths[1]}}  {source}".rstrip())
    rules = described["rules"]
    lines += ["", f"rules: {rules['reported']} of {rules['total']} reported (`tacli rules` lists them)"]
    if rules["ignored"]:
        lines.append(f"  not reported: {', '.join(rules['ignored'])}")
    for rule_id, change in rules["levels"].items():
        lines.append(f"  {rule_id}: {change['level']} (default {change['default']})")
    return "\n".join(lines) + "\n"


def _value_text(key: str, value: Any) -> str:
    if value is None:
        return {"reports": "(not set)", "select": "every rule"}.get(key, "(not set)")
    if isinstance(value, list):
        return ", ".join(value) if value else "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) if value else "(none)"
    return str(value)
