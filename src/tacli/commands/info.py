"""The commands that describe tacli's set-up: `schema`, `config`, `rules` and `standards`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from tacli.commands import CommonOptions, Session
from tacli.core.outcome import EXIT_CLEAN, EXIT_FINDINGS, Outcome, UsageError
from tacli.core.textformat import json_text, visible


@dataclass(frozen=True)
class SchemaOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    output: Optional[str] = None
    check: bool = False
    force: bool = False  # replace a file at --output that tacli did not write


def schema(options: SchemaOptions) -> Outcome:
    """The JSON Schema of engagement files; with `check`, whether the file holds it."""
    from tacli.standards.schema import schema_text

    if options.check and not options.output:
        raise UsageError("--check compares with a schema file: give --output FILE")
    text = schema_text(Session(options.common).spec)
    if options.output is None:
        return Outcome(EXIT_CLEAN, text, exact=True)
    output = Path(options.output)
    if not options.check:
        from tacli.commands.outputs import guard_output, schema_file

        guard_output(options.output, output, schema_file, force=options.force, what="the schema")
        return Outcome(EXIT_CLEAN, text, output, [f"wrote {options.output}"])
    from tacli.io.userfiles import FileTooLarge, NotRegularFile, read_limited

    try:
        current = read_limited(output).decode("utf-8") == text
    except (OSError, UnicodeDecodeError, NotRegularFile, FileTooLarge):
        current = False
    shown = visible(options.output)
    if current:
        return Outcome(EXIT_CLEAN, f"{shown} is current.\n")
    state = "is not current" if output.exists() else "does not exist"
    return Outcome(EXIT_FINDINGS, f"{shown} {state}: run `tacli schema -o {shown}` and commit it.\n")


@dataclass(frozen=True)
class ConfigOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    as_json: bool = False
    width: int = 80  # the terminal's, for people


def config(options: ConfigOptions) -> Outcome:
    """The effective configuration and where each value came from."""
    described = describe(Session(options.common).config, options.common.standards)
    if options.as_json:
        return Outcome(EXIT_CLEAN, json_text(described), exact=True)
    return Outcome(EXIT_CLEAN, describe_text(described, options.width))


@dataclass(frozen=True)
class TableOptions:
    """How a table for people is drawn: colour, and the width to fit (None: the terminal's)."""

    colour: bool = False
    width: Optional[int] = None


def rules(options: TableOptions) -> Outcome:
    """Every rule id with its level and what it finds."""
    from rich.table import Table

    from tacli.checking.catalogue import ALL_RULES

    table = Table(box=None, show_edge=False, pad_edge=False)
    table.add_column("rule")
    table.add_column("level")
    table.add_column("finds")
    for rule in ALL_RULES:
        table.add_row(rule.id, rule.level.value, rule.summary)
    return Outcome(EXIT_CLEAN, _drawn([table], options))


@dataclass(frozen=True)
class StandardsOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    table: TableOptions = field(default_factory=TableOptions)
    framework: Optional[str] = None  # None: list the frameworks


def standards(options: StandardsOptions) -> Outcome:
    """The frameworks of the standards folder, or one framework's items."""
    from tacli.output.standards_tables import framework_renderables, frameworks_table
    from tacli.core.suggest import did_you_mean

    spec = Session(options.common).spec
    if options.framework is None:
        return Outcome(EXIT_CLEAN, _drawn([frameworks_table(spec)], options.table))
    if options.framework not in spec.frameworks:
        hint = did_you_mean(options.framework, spec.frameworks) or f" known: {', '.join(spec.frameworks)}."
        raise UsageError(f"unknown framework '{options.framework}':{hint}")
    return Outcome(EXIT_CLEAN, _drawn(framework_renderables(spec.frameworks[options.framework]), options.table))


def _drawn(renderables, options: TableOptions) -> str:
    """Rich renderables as text, in colour or plain, at the width asked for."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, highlight=False, force_terminal=options.colour, no_color=not options.colour, width=options.width or 100, color_system="standard" if options.colour else None)
    for renderable in renderables:
        console.print(renderable)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def describe(config, standards_option: Optional[str] = None, environ: Optional[Mapping[str, str]] = None, cwd: Optional[Path] = None) -> dict:
    """The effective configuration as plain data: each setting's value and source, and the rules it changes."""
    from tacli.commands.config import schema_file, standards_setting
    from tacli.core.paths import shown_path
    from tacli.checking.catalogue import ALL_RULES

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
        "roster": {
            "value": shown(config.roster) if config.roster else None,
            "source": config.source("roster") if config.roster else "default (none: no coverage; --roster FILE)",
        },
        "schema": {
            "value": shown(schema_file(config)),
            "source": config.source("schema") if config.schema else ("default (next to the engagements folder)" if config.engagements else "default"),
        },
        "select": {"value": list(config.select) if config.select is not None else None, "source": config.source("select")},
        "ignore": {"value": list(config.ignore), "source": config.source("ignore")},
        "levels": {"value": {pattern: level.value for pattern, level in config.levels.items()}, "source": config.source("levels")},
        "me": {"value": config.me, "source": config.source("me") if config.me else "default (tacli due lists everyone)"},
        "commit": {"value": config.commit, "source": config.source("commit") if config.commit is not None else "default (tacli serve does not commit)"},
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


def describe_text(described: dict, width: int = 80) -> str:
    """`tacli config` for people: one setting a line, with where it came from, as
    a table when it fits `width`, else each setting with its source below it."""
    from tacli.core.wrap import fit
    from tacli.io.configfile import CONFIG_FILE, PYPROJECT

    def wrapped(text: str, indent: str = "") -> list[str]:
        return fit(indent + text, width, indent or "  ")

    file = described["file"] and visible(described["file"])
    first = f"configuration file: {file}" if file else f"configuration file: none ({CONFIG_FILE}, or [tool.tacli] in {PYPROJECT}, searched from the current folder up to the top of the git repository)"
    lines = wrapped(first) + [""]
    rows = [("setting", "value", "from")]
    for key, setting in described["settings"].items():
        rows.append((key, visible(_value_text(key, setting["value"])), visible(setting["source"])))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    if sum(widths) + 4 <= width:
        for key, value, source in rows:
            lines.append(f"{key:<{widths[0]}}  {value:<{widths[1]}}  {source}".rstrip())
    else:
        for key, value, source in rows[1:]:
            lines += wrapped(f"{key}: {value}") + wrapped(f"from {source}", "    ")
    rules = described["rules"]
    lines += ["", f"rules: {rules['reported']} of {rules['total']} reported (`tacli rules` lists them)"]
    if rules["ignored"]:
        lines += wrapped(f"not reported: {', '.join(rules['ignored'])}", "  ")
    for rule_id, change in rules["levels"].items():
        lines.append(f"  {rule_id}: {change['level']} (default {change['default']})")
    return "\n".join(lines) + "\n"


def _value_text(key: str, value: Any) -> str:
    if value is None:
        return {"reports": "(not set)", "select": "every rule", "commit": "false"}.get(key, "(not set)")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(value) if value else "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) if value else "(none)"
    return str(value)
