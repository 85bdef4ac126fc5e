"""Project configuration: `tacli.toml`, or `[tool.tacli]` in `pyproject.toml`.

The file is found by searching upward from the current folder, and the search
stops at the top of a git repository, so a stray file above the project is
never read. Paths in it are relative to its own folder. Command-line options
and environment variables win over it.

A key, rule id or level that tacli does not know is an error, with the file,
line and column: a typo in `ignore` that silently ignored nothing would hide
exactly what its author meant to see. docs/configuration.md describes the keys.

Nothing here imports pydantic or ruamel.yaml at module level: the report
command and others can call `load_config` cheaply.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

from tacli.findings import Finding, Level, Rule

CONFIG_FILE = "tacli.toml"
PYPROJECT = "pyproject.toml"
SCHEMA_FILE = "engagement.schema.json"
CONFIG_ENV = "TACLI_CONFIG"
STANDARDS_ENV = "TACLI_STANDARDS"

PATH_KEYS = ("standards", "engagements", "reports", "schema")
RULE_KEYS = ("select", "ignore", "levels")
KEYS = PATH_KEYS + RULE_KEYS
LEVEL_NAMES = tuple(level.value for level in Level)

DEFAULT_SOURCE = "default"


class ConfigProblem:
    """One thing wrong with a configuration, at a place in its file when known."""

    def __init__(self, path: str, line: int, column: int, message: str):
        self.path, self.line, self.column, self.message = path, line, column, message

    def __str__(self) -> str:
        if not self.line:  # a command-line option, not a place in a file
            return self.message
        return f"{self.path}:{self.line}:{self.column}: {self.message}"

    def __repr__(self) -> str:
        return f"ConfigProblem({str(self)!r})"


class ConfigError(Exception):
    """The configuration cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[ConfigProblem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class RuleSettings:
    """Which rules report, and at which level. The Checker applies it to findings,
    so every output format and the exit code see the same result."""

    disabled: frozenset = frozenset()
    levels: Mapping[str, Level] = field(default_factory=dict)

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        out = []
        for item in findings:
            if item.rule in self.disabled:
                continue
            level = self.levels.get(item.rule)
            out.append(item if level is None or level is item.level else replace(item, level=level))
        return out

    def effective(self, rule: Rule) -> Optional[Rule]:
        """The rule as this run reports it, or None when it is ignored."""
        if rule.id in self.disabled:
            return None
        level = self.levels.get(rule.id)
        return rule if level is None or level is rule.level else replace(rule, level=level)

    @property
    def changes_anything(self) -> bool:
        return bool(self.disabled or self.levels)


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
    rules: RuleSettings = field(default_factory=RuleSettings)
    sources: Mapping[str, str] = field(default_factory=dict)

    def source(self, key: str) -> str:
        """Where the value of `key` came from: a file position, an option, a variable, or "default"."""
        return self.sources.get(key, DEFAULT_SOURCE)

    def with_rule_options(self, select: Optional[Sequence[str]] = None, ignore: Optional[Sequence[str]] = None, catalogue: Optional[Sequence[Rule]] = None) -> "Config":
        """The configuration with --select / --ignore from the command line, which replace the file's.

        Raises ConfigError (without a file position) for an unknown rule id."""
        if select is None and ignore is None:
            return self
        catalogue = tuple(catalogue) if catalogue is not None else _catalogue()
        problems: list[ConfigProblem] = []
        sources = dict(self.sources)
        new_select, new_ignore = self.select, self.ignore
        if select is not None:
            new_select = tuple(select)
            sources["select"] = "--select"
        if ignore is not None:
            new_ignore = tuple(ignore)
            sources["ignore"] = "--ignore"
        rules = _resolve_rules(new_select, new_ignore, dict(self.levels), catalogue, problems, at_option=True, locate=None)
        if problems:
            raise ConfigError(problems)
        return replace(self, select=new_select, ignore=new_ignore, rules=rules, sources=sources)


# finding the file


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
                text = _read(pyproject)
                line, column = _Locator(text, ("tool", "tacli")).table_position()
                raise ConfigError([ConfigProblem(_shown(pyproject), line, column, f"both {CONFIG_FILE} and [tool.tacli] in {PYPROJECT} configure tacli in {_shown(folder)}: keep one of them")])
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
    data = _parse(text, path)
    tool = data.get("tool")
    return isinstance(tool, dict) and "tacli" in tool


# loading


def load_config(start: Optional[Path] = None, explicit: Optional[Path] = None, environ: Optional[Mapping[str, str]] = None) -> Config:
    """The configuration for a command run in `start` (default: the current folder).

    `explicit` (or the TACLI_CONFIG variable) names the file instead of searching
    for one. Raises ConfigError with every problem found in the file."""
    environ = os.environ if environ is None else environ
    start = Path(os.path.abspath(start or Path.cwd()))
    if explicit is None and environ.get(CONFIG_ENV):
        explicit = Path(environ[CONFIG_ENV])
    if explicit is not None:
        explicit = Path(os.path.abspath(start / explicit))
        if not explicit.is_file():
            raise ConfigError([ConfigProblem(_shown(explicit), 1, 1, "configuration file not found")])
        path: Optional[Path] = explicit
    else:
        path = find_config(start)
    if path is None:
        return Config(folder=start)
    return _load_file(path)


def _load_file(path: Path) -> Config:
    text = _read(path)
    data = _parse(text, path)
    table: tuple[str, ...] = ()
    shown = _shown(path, project=path.parent)
    if path.name == PYPROJECT:
        table = ("tool", "tacli")
        tool = data.get("tool")
        if not isinstance(tool, dict) or "tacli" not in tool:
            raise ConfigError([ConfigProblem(shown, 1, 1, f"no [tool.tacli] table in this {PYPROJECT}")])
        data = tool["tacli"]
        if not isinstance(data, dict):
            line, column = _Locator(text, ("tool",)).key_position("tacli")
            raise ConfigError([ConfigProblem(shown, line, column, "tool.tacli should be a table of settings")])
    locator = _Locator(text, table)
    problems: list[ConfigProblem] = []

    def problem(position: tuple[int, int], message: str) -> None:
        problems.append(ConfigProblem(shown, position[0], position[1], message))

    folder = path.parent
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, value in data.items():
        position = locator.key_position(key)
        if key not in KEYS:
            from tacli.suggest import did_you_mean

            hint = did_you_mean(key, KEYS) or f" known keys: {', '.join(KEYS)}."
            problem(position, f"unknown key '{key}':{hint}")
            continue
        sources[key] = f"{shown}:{position[0]}"
        if key in PATH_KEYS:
            if not isinstance(value, str) or not value.strip():
                problem(locator.value_position(key), f"{key} should be a path, written as text (e.g. {key} = \"{_example(key)}\")")
                continue
            values[key] = Path(os.path.normpath(folder / value))
        elif key in ("select", "ignore"):
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                problem(locator.value_position(key), f"{key} should be a list of rule ids, e.g. {key} = [\"duty-evidence\"] (`tacli rules` lists them)")
                continue
            values[key] = tuple(value)
        else:  # levels
            if not isinstance(value, dict):
                problem(locator.value_position(key), 'levels should be a table of rule ids and levels, e.g. [levels] tast-due-soon = "info"')
                continue
            levels = {}
            for rule_id, level in value.items():
                if not isinstance(level, str) or level not in LEVEL_NAMES:
                    from tacli.suggest import did_you_mean

                    hint = (did_you_mean(level, LEVEL_NAMES) if isinstance(level, str) else "") or f" use one of {', '.join(LEVEL_NAMES)}."
                    shown_level = f"'{level}'" if isinstance(level, str) else repr(level)
                    message = f"unknown level {shown_level} for rule '{rule_id}':{hint}"
                    if isinstance(level, str) and level in ("off", "ignore", "none", "disable", "disabled"):
                        message = f"level '{level}' for rule '{rule_id}': to turn a rule off, add it to ignore"
                    problem(locator.nested_value_position("levels", rule_id), message)
                    continue
                levels[rule_id] = Level(level)
            values[key] = levels

    def locate(key: str, pattern: str) -> tuple[str, int, int]:
        if key == "levels":
            line, column = locator.nested_key_position("levels", pattern)
        else:
            line, column = locator.string_position(key, pattern)
        return (shown, line, column)

    if values.get("select") is None and not values.get("ignore") and not values.get("levels"):
        rules = RuleSettings()  # nothing to check against the rule catalogue (which imports every check)
    else:
        rules = _resolve_rules(values.get("select"), values.get("ignore", ()), values.get("levels", {}), _catalogue(), problems, at_option=False, locate=locate)
    if problems:
        problems.sort(key=lambda p: (p.line, p.column))
        raise ConfigError(problems)
    return Config(
        file=path,
        folder=folder,
        standards=values.get("standards"),
        engagements=values.get("engagements"),
        reports=values.get("reports"),
        schema=values.get("schema"),
        select=values.get("select"),
        ignore=values.get("ignore", ()),
        levels=values.get("levels", {}),
        rules=rules,
        sources=sources,
    )


def _example(key: str) -> str:
    return {"schema": SCHEMA_FILE}.get(key, key)


# rule selection


def blocking_rules() -> frozenset:
    """Rules that stop a file from being checked any further.

    When one fires, the file was not read or not validated, so none of the
    other checks ran: ignoring it, or making it a warning, would let a file
    that was never checked pass."""
    from tacli.rules import BLOCKING_RULE_IDS

    return BLOCKING_RULE_IDS


def _catalogue() -> tuple:
    from tacli.rules import ALL_RULES

    return ALL_RULES


def _resolve_rules(select, ignore, levels: Mapping[str, Level], catalogue: Sequence[Rule], problems: list[ConfigProblem], at_option: bool, locate) -> RuleSettings:
    """Check rule ids and patterns against the catalogue; the settings they make."""
    from tacli.suggest import did_you_mean

    ids = [rule.id for rule in catalogue]
    blocking = blocking_rules() & set(ids)

    def report(key: str, pattern: str, message: str) -> None:
        if at_option or locate is None:
            problems.append(ConfigProblem(f"--{key}", 0, 0, message))
        else:
            path, line, column = locate(key, pattern)
            problems.append(ConfigProblem(path, line, column, message))

    def matching(key: str, pattern: str) -> list[str]:
        found = [rule_id for rule_id in ids if fnmatch.fnmatchcase(rule_id, pattern)]
        if not found:
            hint = did_you_mean(pattern, ids) or " `tacli rules` lists every rule id."
            what = "pattern" if any(ch in pattern for ch in "*?[") else "rule"
            label = f"--{key}" if at_option else key
            report(key, pattern, f"unknown {what} '{pattern}' in {label}:{hint}")
        return found

    selected: Optional[set] = None
    if select is not None:
        selected = set()
        for pattern in select:
            selected.update(matching("select", pattern))
    ignored: set = set()
    for pattern in ignore:
        found = matching("ignore", pattern)
        if found and set(found) <= blocking:
            names = ", ".join(found)
            report("ignore", pattern, f"'{pattern}' cannot be ignored: {names} {'stops' if len(found) == 1 else 'stop'} a file from being checked, so a file with {'it' if len(found) == 1 else 'them'} would pass unchecked")
        ignored.update(rule_id for rule_id in found if rule_id not in blocking)
    changed: dict[str, Level] = {}
    for pattern, level in levels.items():
        found = matching("levels", pattern)
        if found and set(found) <= blocking:
            report("levels", pattern, f"the level of '{pattern}' cannot be changed: it stops a file from being checked, so it is always an error")
        for rule_id in found:
            if rule_id not in blocking:
                changed[rule_id] = level
    disabled = set(ignored)
    if selected is not None:
        disabled |= {rule_id for rule_id in ids if rule_id not in selected and rule_id not in blocking}
    by_id = {rule.id: rule for rule in catalogue}
    changed = {rule_id: level for rule_id, level in changed.items() if by_id[rule_id].level is not level}
    return RuleSettings(frozenset(disabled), changed)


def parse_rule_list(values: Optional[Sequence[str]]) -> Optional[list[str]]:
    """--select / --ignore values: repeatable, and comma-separated."""
    if values is None:
        return None
    out = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


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
    return _shown(path, cwd, project)


def _shown(path: Path, cwd: Optional[Path] = None, project: Optional[Path] = None) -> str:
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
    folder, standards_source = standards_setting(standards_option, config, environ)
    project = config.folder if config.file else None

    def shown(path: Path) -> str:
        return _shown(path, cwd, project)

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
    catalogue = _catalogue()
    return {
        "file": shown(config.file) if config.file else None,
        "settings": settings,
        "rules": {
            "reported": sum(1 for rule in catalogue if rule.id not in config.rules.disabled),
            "total": len(catalogue),
            "ignored": sorted(config.rules.disabled),
            "levels": {rule.id: {"level": config.rules.levels[rule.id].value, "default": rule.level.value} for rule in catalogue if rule.id in config.rules.levels},
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


# TOML


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError([ConfigProblem(_shown(path), 1, 1, f"cannot read the configuration: {exc.strerror or exc}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError([ConfigProblem(_shown(path), line, column, "the configuration is not UTF-8 text")]) from None


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")


def _parse(text: str, path: Path) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc.args[0]) if exc.args else str(exc)
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        found = _TOML_POSITION.search(message)
        if found:
            line, column = line or int(found.group(1)), column or int(found.group(2))
            message = message[: found.start()]
        elif _TOML_END.search(message):
            lines = text.split("\n")
            line, column = len(lines), len(lines[-1]) + 1
            message = _TOML_END.sub("", message)
        message = getattr(exc, "msg", None) or message
        raise ConfigError([ConfigProblem(_shown(path, project=path.parent), line or 1, column or 1, f"not valid TOML: {message}")]) from None


_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY_PART = rf"(?:{_BARE}|{_QUOTED})"
_KEY_LINE = re.compile(rf"^(\s*)({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_HEADER = re.compile(rf"^\s*\[\[?\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*\]\]?")
_PART = re.compile(_KEY_PART)


def _key_token(key: str) -> str:
    """A regular expression for `key` written as a TOML key: quoted, or bare."""
    quoted = r'"' + re.escape(key) + r'"|\'' + re.escape(key) + r"'"
    return quoted + (r"|(?<![\w-])" + re.escape(key) + r"(?![\w-])" if re.fullmatch(_BARE, key) else "")


def _parts(dotted: str) -> tuple[str, ...]:
    out = []
    for match in _PART.finditer(dotted):
        part = match.group(0)
        if part[:1] in "\"'":
            part = part[1:-1]
        out.append(part)
    return tuple(out)


class _Locator:
    """Lines and columns (from 1) of keys and values in TOML text.

    tomllib gives values without positions, so this reads the text again: table
    headers, `key =` lines (dotted keys included), and inline tables and arrays
    after them. It is a locator, not a parser: when it cannot tell, it answers
    the nearest enclosing position it knows."""

    def __init__(self, text: str, table: tuple[str, ...]):
        self.text = text
        self.lines = text.split("\n")
        self.table = table
        self.offsets = []
        at = 0
        for line in self.lines:
            self.offsets.append(at)
            at += len(line) + 1
        # (full key path, line index, column index) of every header and key line
        self.entries: list[tuple[tuple[str, ...], int, int]] = []
        current: tuple[str, ...] = ()
        for index, line in enumerate(self.lines):
            header = _HEADER.match(line)
            if header and not _KEY_LINE.match(line):
                current = _parts(header.group(1))
                self.entries.append((current, index, line.index("[")))
                continue
            key = _KEY_LINE.match(line)
            if key:
                self.entries.append((current + _parts(key.group(2)), index, len(key.group(1))))

    def _position(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset)
        return line + 1, offset - self.offsets[line] + 1

    def table_position(self) -> tuple[int, int]:
        for path, line, column in self.entries:
            if path[: len(self.table)] == self.table:
                return line + 1, column + 1
        return 1, 1

    def _entry(self, path: tuple[str, ...]) -> Optional[tuple[int, int]]:
        for full, line, column in self.entries:
            if full == path:
                return line, column
        return None

    def key_position(self, key: str) -> tuple[int, int]:
        found = self._entry(self.table + (key,))
        if found:
            return found[0] + 1, found[1] + 1
        for full, line, column in self.entries:  # a dotted key or sub-table under it: levels.x = ..., [levels]
            if full[: len(self.table) + 1] == self.table + (key,):
                return line + 1, column + 1
        return self.table_position()

    def value_position(self, key: str) -> tuple[int, int]:
        """The start of the value after `key =`."""
        found = self._entry(self.table + (key,))
        if not found:
            return self.key_position(key)
        line, column = found
        text = self.lines[line]
        equals = text.index("=", column)
        rest = text[equals + 1:]
        return line + 1, equals + 1 + (len(rest) - len(rest.lstrip())) + 1

    def string_position(self, key: str, value: str) -> tuple[int, int]:
        """Where the text `value` is written in the value of `key` (an array of strings)."""
        found = self._entry(self.table + (key,))
        if not found:
            return self.key_position(key)
        line, column = found
        start = self.offsets[line] + column
        end = self._value_end(start)
        pattern = re.compile(r'"' + re.escape(value) + r'"|\'' + re.escape(value) + r"'")
        match = pattern.search(self.text, start, end)
        return self._position(match.start()) if match else (line + 1, column + 1)

    def nested_key_position(self, key: str, sub: str) -> tuple[int, int]:
        """Where `sub` is written as a key of the table `key` ([levels] sub = ..., levels.sub = ..., levels = {sub = ...})."""
        found = self._entry(self.table + (key, sub))
        if found:
            line, column = found
            text = self.lines[line]
            match = re.search(_key_token(sub), text[column:])
            return line + 1, column + (match.start() if match else 0) + 1
        inline = self._entry(self.table + (key,))
        if inline:
            line, column = inline
            start = self.offsets[line] + column
            end = self._value_end(start)
            pattern = re.compile(r"(?:" + _key_token(sub) + r")\s*=")
            match = pattern.search(self.text, start + len(key), end)
            if match:
                return self._position(match.start())
        return self.key_position(key)

    def nested_value_position(self, key: str, sub: str) -> tuple[int, int]:
        line, column = self.nested_key_position(key, sub)
        offset = self.offsets[line - 1] + column - 1
        equals = self.text.find("=", offset)
        if equals < 0:
            return line, column
        after = equals + 1
        while after < len(self.text) and self.text[after] in " \t":
            after += 1
        return self._position(after)

    def _value_end(self, start: int) -> int:
        """Roughly where the value that starts on the line at `start` ends: the next key line or header."""
        line = self.text.count("\n", 0, start)
        for _full, index, _column in self.entries:
            if index > line:
                return self.offsets[index]
        return len(self.text)
