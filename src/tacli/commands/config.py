"""Project configuration: `tacli.toml`, or `[tool.tacli]` in `pyproject.toml`.

The file is found by searching upward from the current folder, and the search
stops at the top of a git repository, so a stray file above the project is
never read. Paths in it are relative to its own folder. Command-line options
and environment variables win over it.

The keys are one model, `config_model.FileSettings` (pydantic): its fields'
types decide what is valid and their descriptions are the documentation
(docs/configuration.md is generated from them). Every problem in the file is
a finding at its line and column: a typo in `ignore` that silently ignored
nothing would hide exactly what its author meant to see. The model is built
only when a file is checked: a run with no configuration file, or whose file
is kept in tacli's cache (the same bytes), imports no pydantic for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from tacli.core.findings import Finding, Level, finding
from tacli.core.paths import shown_path
from tacli.io.configfile import (
    CONFIG_INVALID,
    PYPROJECT,
    SCHEMA_FILE,
    _invalid,
    _parse,
    _read,
    config_path,
    setting_path,
    standards_choice,
)

DEFAULT_SOURCE = "default"


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


def load_config(start: Optional[Path] = None, explicit: Optional[Path] = None, environ: Optional[Mapping[str, str]] = None, cache=None) -> Config:
    """The configuration for a command run in `start` (default: the current folder).

    `explicit` (or the TACLI_CONFIG variable) names the file instead of searching
    for one. Raises ConfigError with every problem found in the file, and
    UsageError when the file named does not exist.

    With `cache` (tacli.io.cache.Cache), a file read before with the same bytes,
    at the same place, from the same folder, by the same code, is not checked
    again: its configuration is kept there, and only a valid one is kept (a file
    with problems is read and reported every time)."""
    start = Path(os.path.abspath(start or Path.cwd()))
    if cache is None or not cache.enabled:
        path = config_path(start, explicit, environ)
        return Config(folder=start) if path is None else _load_file(path, _read(path))
    try:
        return _kept_config(start, explicit, environ, cache)
    finally:
        cache.flush()  # what this run kept: the configuration, whether a pyproject.toml configures tacli


def _kept_config(start: Path, explicit: Optional[Path], environ: Optional[Mapping[str, str]], cache) -> Config:
    from tacli.io.cache import code_version, digest

    path = config_path(start, explicit, environ, cache)
    if path is None:
        return Config(folder=start)
    text = _read(path)
    # Every part the configuration depends on: the paths in it are relative to the
    # file's folder, where a value came from is shown from the current folder, and
    # the rules a selection names are tacli's code's.
    key = digest("config", code_version(), str(path), os.path.abspath(os.getcwd()), text)
    kept = cache.get(key, None)
    if isinstance(kept, Config) and kept.file == path:
        return kept
    config = _load_file(path, text)
    cache.put(key, CONFIG_KIND, config)
    return config


CONFIG_KIND = "config"  # the kind of a configuration's entry in tacli's cache (`tacli cache info`)


def _load_file(path: Path, text: str) -> Config:
    from tacli.commands.config_model import PATH_KEYS, check_settings
    from tacli.io.tomlpos import Locator

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
    values, problems = check_settings(data, locator, shown)
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
