"""The command line: parses options, calls the core, prints results.

Heavy modules (pydantic, ruamel.yaml, jinja2) are imported inside commands so
that `tacli --version` and `tacli --help` start fast.
"""

from __future__ import annotations

import os
import sys
from typing import List, Optional

import typer

from tacli import __version__

app = typer.Typer(
    name="tacli",
    help="Plan, check and report education technical assistance (TA) engagements kept as YAML files.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
standards_app = typer.Typer(help="Show the frameworks tacli checks against.", no_args_is_help=True)
app.add_typer(standards_app, name="standards")

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

StandardsOption = typer.Option(None, "--standards", metavar="DIR", help="Standards folder to use instead of the shipped one [env: TACLI_STANDARDS].")
TodayOption = typer.Option(None, "--today", metavar="YYYY-MM-DD", envvar="TACLI_TODAY", help="The date to check as of, for reproducible results.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tacli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Plan, check and report education technical assistance (TA) engagements kept as YAML files."""


def fail(message: str) -> typer.Exit:
    """Print a usage problem to standard error; return the exit to raise."""
    typer.echo(f"tacli: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def parse_today(value: Optional[str]):
    from datetime import date

    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"--today '{value}' is not a date: write YYYY-MM-DD") from None


def load_standards(option: Optional[str]):
    """The spec, or exit 2 with every problem in it."""
    from tacli.spec import SpecError, load_spec, resolve_standards
    from tacli.textformat import finding_line

    folder = resolve_standards(option)
    try:
        return load_spec(folder)
    except SpecError as exc:
        for item in exc.findings:
            typer.echo(finding_line(item), err=True)
        raise fail(f"the standards in {folder} cannot be used ({len(exc.findings)} problem{'s' if len(exc.findings) != 1 else ''})") from None


def _use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@app.command()
def check(
    paths: Optional[List[str]] = typer.Argument(None, metavar="[PATH]...", help="Engagement files or folders (searched for *.yaml, *.yml). Default: the current folder."),
    standards: Optional[str] = StandardsOption,
    today: Optional[str] = TodayOption,
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes for large folders (default: one per core)."),
) -> None:
    """Check engagement files against the standards; exit 1 when there is an error."""
    from tacli.checker import Checker, UsageError, find_targets
    from tacli.findings import Level
    from tacli.textformat import finding_line, summary_line

    as_of = parse_today(today)
    try:
        targets = find_targets(paths or ["."])
    except UsageError as exc:
        raise fail(str(exc)) from None
    spec = load_standards(standards)
    result = Checker(spec, as_of).check(targets, jobs)
    lines = [finding_line(item) for item in result.findings]
    summary = summary_line(result.findings, len(result.checked), len(result.skipped))
    if _use_colour():
        _print_coloured(result.findings, lines, summary)
    else:
        out = sys.stdout
        for line in lines:
            out.write(line + "\n")
        out.write(summary + "\n")
    errors = any(item.level is Level.ERROR for item in result.findings)
    raise typer.Exit(EXIT_FINDINGS if errors else EXIT_CLEAN)


def _print_coloured(findings, lines, summary) -> None:
    from rich.console import Console
    from rich.text import Text

    styles = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    console = Console(highlight=False, soft_wrap=True)
    for item, line in zip(findings, lines):
        text = Text(line)
        start = line.index(f" {item.level.value} ") + 1
        text.stylize(styles[item.level.value], start, start + len(item.level.value))
        text.stylize("dim", 0, start - 1)
        console.print(text)
    console.print(Text(summary, style="bold"))


@app.command()
def rules() -> None:
    """List every rule id with its level and what it finds."""
    from rich.console import Console
    from rich.table import Table

    from tacli.rules import ALL_RULES

    table = Table(box=None, show_edge=False, pad_edge=False)
    table.add_column("rule")
    table.add_column("level")
    table.add_column("finds")
    for rule in ALL_RULES:
        table.add_row(rule.id, rule.level.value, rule.summary)
    Console(highlight=False, no_color=not _use_colour(), width=None if sys.stdout.isatty() else 160).print(table)


@standards_app.command("list")
def standards_list(standards: Optional[str] = StandardsOption) -> None:
    """List the frameworks in the standards folder."""
    from rich.console import Console

    from tacli.standards_view import frameworks_table

    spec = load_standards(standards)
    Console(highlight=False, no_color=not _use_colour(), width=None if sys.stdout.isatty() else 160).print(frameworks_table(spec))


@standards_app.command("show")
def standards_show(
    framework: str = typer.Argument(..., metavar="ID", help="A framework id, as `tacli standards list` shows."),
    standards: Optional[str] = StandardsOption,
) -> None:
    """Show one framework's items with their ids, words and sources."""
    from rich.console import Console

    from tacli.standards_view import framework_renderables
    from tacli.suggest import did_you_mean

    spec = load_standards(standards)
    if framework not in spec.frameworks:
        hint = did_you_mean(framework, spec.frameworks) or f" known: {', '.join(spec.frameworks)}."
        raise fail(f"unknown framework '{framework}':{hint}")
    console = Console(highlight=False, no_color=not _use_colour(), width=None if sys.stdout.isatty() else 160)
    for renderable in framework_renderables(spec.frameworks[framework]):
        console.print(renderable)


def main() -> None:
    """Entry point: any exception that escapes is a bug, reported without a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("tacli: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        typer.echo(
            f"tacli: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in tacli. Please report it with the command you ran and the file it read.",
            err=True,
        )
        sys.exit(EXIT_USAGE)
