"""Where the configuration file is, and reading it as TOML: `tacli.toml`, or
`[tool.tacli]` in `pyproject.toml`, found by searching upward from the current
folder to the top of the git repository. Apart from `config` (what the keys
mean, a pydantic model), so that shell completion can find the standards a
project uses without building that model.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Optional

from tacli.core.findings import Finding, FindingsError, Level, Rule, finding
from tacli.core.paths import shown_path

CONFIG_FILE = "tacli.toml"
PYPROJECT = "pyproject.toml"
SCHEMA_FILE = "engagement.schema.json"  # the JSON Schema of engagements, by default next to the engagements folder
CONFIG_ENV = "TACLI_CONFIG"
STANDARDS_ENV = "TACLI_STANDARDS"

CONFIG_INVALID = Rule("config-invalid", Level.ERROR, "The configuration (tacli.toml or [tool.tacli]) has an unknown key, a value of the wrong type, or an unknown rule or level.")


class ConfigError(FindingsError):
    """The configuration cannot be used; carries every finding about it."""


def config_path(start: Path, explicit: Optional[Path] = None, environ: Optional[Mapping[str, str]] = None, cache=None) -> Optional[Path]:
    """The configuration file a command run in `start` reads: `explicit` (or
    TACLI_CONFIG), which must exist, else the nearest one found, else None
    (`cache`: tacli's, see find_config)."""
    environ = os.environ if environ is None else environ
    if explicit is None and environ.get(CONFIG_ENV):
        explicit = Path(environ[CONFIG_ENV])
    if explicit is None:
        return find_config(start, cache)
    explicit = Path(os.path.abspath(start / explicit))
    if not explicit.is_file():
        from tacli.core.outcome import UsageError
        from tacli.io.userfiles import describe

        if not explicit.exists():
            raise UsageError(f"{shown_path(explicit)}: configuration file not found")
        raise UsageError(f"{shown_path(explicit)}: {describe(explicit, explicit.stat().st_mode)}, not a configuration file")
    return explicit


def tacli_table(path: Path) -> dict:
    """The file's tacli settings as TOML data, unchecked (the [tool.tacli] table of a pyproject.toml)."""
    data = _parse(_read(path), path)
    if path.name == PYPROJECT:
        tool = data.get("tool")
        data = tool.get("tacli") if isinstance(tool, dict) else None
    return data if isinstance(data, dict) else {}


def setting_path(file: Path, value: str) -> Path:
    """A path in the configuration: relative to the file's own folder."""
    return Path(os.path.normpath(file.parent / value))


def standards_choice(option: Optional[str], configured: Optional[tuple[Path, str]], environ: Optional[Mapping[str, str]] = None) -> tuple[Path, str]:
    """The standards folder and its source: --standards, then TACLI_STANDARDS,
    then the configuration's (`configured`: folder and source), then the shipped one."""
    environ = os.environ if environ is None else environ
    if option:
        return Path(option), "--standards"
    if environ.get(STANDARDS_ENV):
        return Path(environ[STANDARDS_ENV]), STANDARDS_ENV
    if configured is not None:
        return configured
    from tacli.core.paths import shipped_standards

    return shipped_standards(), "default (shipped with tacli)"


def find_config(start: Optional[Path] = None, cache=None) -> Optional[Path]:
    """The nearest tacli.toml or pyproject.toml with [tool.tacli], from `start` upward.

    The search stops at a folder that holds `.git` (after looking in it). With
    `cache` (tacli.io.cache.Cache), whether a pyproject.toml has [tool.tacli] is
    kept under its bytes: a project's pyproject.toml that names tacli is not
    parsed again on every run."""
    folder = Path(os.path.abspath(start or Path.cwd()))
    while True:
        own = folder / CONFIG_FILE
        pyproject = folder / PYPROJECT
        in_pyproject = pyproject.is_file() and _has_tacli_table(pyproject, cache)
        if os.path.lexists(own):  # a FIFO, a folder or a broken link by that name is said, not passed over
            if in_pyproject:
                from tacli.io.tomlpos import Locator

                line, column = Locator(_read(pyproject), ("tool", "tacli")).table_position()
                message = f"both {CONFIG_FILE} and [tool.tacli] in {PYPROJECT} configure tacli in {shown_path(folder)}: keep one of them"
                raise ConfigError([finding(CONFIG_INVALID, shown_path(pyproject), (line, column), message)], f"the configuration in {shown_path(folder)}")
            return own
        if in_pyproject:
            return pyproject
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def _has_tacli_table(path: Path, cache=None) -> bool:
    text = _read(path)
    if "tacli" not in text:  # most pyproject.toml files: no need to parse them
        return False
    key = None
    if cache is not None and cache.enabled:
        from tacli.io.cache import code_version, digest

        key = digest("pyproject-tacli", code_version(), text)  # the answer depends on the text alone (and the TOML reader)
        kept = cache.get(key, None)
        if type(kept) is bool:
            return kept
    tool = _parse(text, path).get("tool")  # a file that is not TOML: its finding, every time (never kept)
    found = isinstance(tool, dict) and "tacli" in tool
    if key is not None:
        cache.put(key, "config", found)
    return found


def _invalid(path: Path, findings: list[Finding]) -> ConfigError:
    return ConfigError(findings, f"the configuration {shown_path(path)}")


def _read(path: Path) -> str:
    from tacli.io.userfiles import FileTooLarge, NotRegularFile, explain, read_limited

    shown = shown_path(path)
    try:
        raw = read_limited(path)
    except (NotRegularFile, FileTooLarge) as exc:
        raise _invalid(path, [finding(CONFIG_INVALID, shown, (1, 1), f"cannot read the configuration: it is {exc}")]) from None
    except OSError as exc:
        raise _invalid(path, [finding(CONFIG_INVALID, shown, (1, 1), f"cannot read the configuration: {explain(exc)}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _invalid(path, [finding(CONFIG_INVALID, shown, (line, column), "the configuration is not UTF-8 text")]) from None


def _parse(text: str, path: Path) -> dict:
    from tacli.io.tomlpos import TomlError, parse

    try:
        return parse(text)
    except TomlError as exc:
        raise _invalid(path, [finding(CONFIG_INVALID, shown_path(path, project=path.parent), (exc.line, exc.column), exc.message)]) from None
