"""The commands as typer declares them: each parses its options into the options
object of its command's core (tacli.commands), asks what is missing in a
terminal (tacli.cli.prompts), and finishes with the outcome (tacli.cli.terminal).

Heavy modules (pydantic, ruamel.yaml, jinja2) are imported inside commands so
that `tacli --version` and `tacli --help` start fast.
"""

from __future__ import annotations

import os
import shutil
from typing import Annotated, List, Optional

if "_TACLI_COMPLETE" in os.environ:  # the shell asks for completions: no help is drawn, so typer need not load rich
    os.environ.setdefault("TYPER_USE_RICH", "0")

import typer  # noqa: E402
from typer.core import TyperCommand, TyperGroup  # noqa: E402

from tacli import __version__  # noqa: E402
from tacli.cli import completion, terminal
from tacli.cli.terminal import finish
from tacli.core.dates import CALENDAR_DAYS, LOOK_AHEAD_DAYS

if "_TACLI_COMPLETE" in os.environ:
    completion.skip_value_conversion()
else:
    from tacli.cli.params import light_value_conversion

    light_value_conversion()

# `--help` lists the commands in the order of the work, each in its panel.
START, DAILY, REPORTS, SETUP = "Start", "Every day", "Reports", "Set-up"
WORK_ORDER = ("init", "new", "serve", "due", "status", "mark", "tast", "check", "report", "site", "export", "standards", "rules", "schema", "config", "cache")


class _InWorkOrder(TyperGroup):
    def list_commands(self, ctx):
        names = super().list_commands(ctx)
        return sorted(names, key=lambda name: WORK_ORDER.index(name) if name in WORK_ORDER else len(WORK_ORDER))

    def invoke(self, ctx):
        """Ctrl+C in a command reaches cli.main.main, which says what was written:
        typer would end the run with 130 and not a word."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise terminal.Interrupted() from None


def examples(*lines: str) -> str:
    """A command's help closes with real examples, one a line (WithExamples prints them)."""
    return "Examples:\n\n" + "\n\n".join(f"  {line}" for line in lines)


class WithExamples(TyperCommand):
    """A command whose help closes with its examples each printed as one line,
    never cut by the help's wrapping: the terminal folds a long one, and a
    command copied from it runs whole at any width."""

    def format_help(self, ctx, formatter) -> None:
        epilog, self.epilog = self.epilog, None
        try:
            super().format_help(ctx, formatter)
        finally:
            self.epilog = epilog
        if not epilog:
            return
        from rich.text import Text
        from typer import rich_utils

        console = rich_utils._get_rich_console()
        lines = [line.strip() for line in epilog.split("\n\n") if line.strip()]
        console.print()
        for line in lines:
            console.print(rich_utils.highlighter(Text(" " + line)), soft_wrap=True)


app = typer.Typer(
    cls=_InWorkOrder,
    name="tacli",
    help="Plan, check and report education technical assistance (TA) engagements kept as YAML files.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
standards_app = typer.Typer(help="Show the frameworks tacli checks against.", no_args_is_help=True)
app.add_typer(standards_app, name="standards", rich_help_panel=SETUP)
new_app = typer.Typer(help="Create engagement files and add services, outcome evidence and reviewers to them.", no_args_is_help=True)
app.add_typer(new_app, name="new", rich_help_panel=START)
cache_app = typer.Typer(help="Show or empty tacli's cache: what each file yields, kept until the file, the standards or tacli change.", no_args_is_help=True)
app.add_typer(cache_app, name="cache", rich_help_panel=SETUP)

def _not_empty(what: str):
    """The callback of an option or argument that names `what` ("a folder", "a
    file"): an empty one (an unset variable in a script) is refused, never read
    as the current folder or as left out."""

    def check(context, parameter, value: Optional[str]) -> Optional[str]:
        empty, dash = value is not None and not value.strip(), value == "-" and what == "a folder"
        if not (empty or dash):
            return value
        from tacli.core.outcome import UsageError

        name = parameter.opts[0] if parameter.opts and parameter.opts[0].startswith("-") else (parameter.metavar or parameter.name)
        if dash:
            raise UsageError(f"{name} - : - is standard output, and {name} names a folder: give a folder (./- for one named -)")
        raise UsageError(f"{name} is empty: give {what}" + (" (. for the current one)" if what == "a folder" else ", or leave it out"))

    return check


_a_folder, _a_file = _not_empty("a folder"), _not_empty("a file")


# The options every command that reads the configuration takes, declared once.
ConfigFile = Annotated[Optional[str], typer.Option("--config", metavar="FILE", callback=_a_file, help="Configuration file to read instead of searching for tacli.toml or pyproject.toml (or TACLI_CONFIG).")]
StandardsDir = Annotated[Optional[str], typer.Option("--standards", metavar="DIR", callback=_a_folder, help="Standards folder to use instead of the shipped one (or TACLI_STANDARDS, or `standards` in tacli.toml).")]
Today = Annotated[Optional[str], typer.Option("--today", metavar="YYYY-MM-DD", envvar="TACLI_TODAY", help="The date to check as of, for reproducible results.")]
Paths = Annotated[Optional[List[str]], typer.Argument(metavar="[PATH]...", help="Engagement files or folders (searched for *.yaml, *.yml). Default: `engagements` of the configuration, else the current folder.")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Read every file again and keep nothing in tacli's cache (or TACLI_NO_CACHE=1; `tacli cache info` shows where it is).")]
RosterFile = Annotated[Optional[str], typer.Option("--roster", metavar="FILE", callback=_a_file, help="The roster of the service area (`roster: 1`; default: `roster` in tacli.toml): its coverage, recipients without TA (docs/roster.md).")]


def _dash_is_standard_output(context, parameter, value: Optional[str]) -> Optional[str]:
    """`-o -`: standard output, as other tools read it (not a file named -); an empty one is refused."""
    return None if value == "-" else _a_file(context, parameter, value)


def _common(config_file: Optional[str], standards: Optional[str], today: Optional[str] = None, no_cache: bool = False):
    from tacli.cli.progress import bar
    from tacli.commands import CommonOptions

    return CommonOptions(config_file, standards, today, progress=bar, today_name=_today_name(today), no_cache=no_cache)


def _today_name(today: Optional[str]) -> str:
    """Where the day to work as of came from, to name in a message: the option,
    or TACLI_TODAY when the command line did not give it."""
    import sys

    given = any(arg == "--today" or arg.startswith("--today=") for arg in sys.argv[1:])
    return "TACLI_TODAY" if today is not None and not given and os.environ.get("TACLI_TODAY") == today else "--today"


def _day(value: Optional[str], name: str, common) -> Optional[str]:
    """A day option: in a terminal, one that reads two ways (12/8/2026) is asked
    back; elsewhere the command refuses it, naming both readings."""
    if value is None or not terminal.interactive():
        return value
    from tacli.cli.prompts import which_day

    return which_day(value, name, common)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tacli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    traceback: bool = typer.Option(False, "--traceback", help="On an internal error (exit 3, a bug in tacli), print its traceback; as TACLI_DEBUG=1 does."),
) -> None:
    """Plan, check and report education technical assistance (TA) engagements kept as YAML files."""
    if traceback:
        from tacli.core.outcome import DEBUG_ENV

        os.environ[DEBUG_ENV] = "1"  # the worker processes of a large run inherit it


@app.command(cls=WithExamples, rich_help_panel=DAILY, epilog=examples("tacli check", "tacli check examples/elm-street-data-teams.yaml --today 2026-11-22", "tacli check --select 'duty-*' --format json -o findings.json"))
def check(
    paths: Paths = None,
    output_format: Optional[str] = typer.Option(None, "--format", "-f", metavar="FORMAT", autocompletion=completion.choices("tacli.output.check_formats", "CHECK_FORMATS"), help="text, json, sarif, github or junit (docs/output-formats.md). Default: text, or github when GITHUB_ACTIONS=true and writing to standard output."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", callback=_dash_is_standard_output, help="Write the output to FILE instead of standard output (- is standard output)."),
    select: Optional[List[str]] = typer.Option(None, "--select", metavar="RULES", help="Report only these rules: ids or patterns (fixsen-*), comma-separated; replaces `select` of the configuration."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="RULES", help="Do not report these rules: ids or patterns, comma-separated; replaces `ignore` of the configuration."),
    skip_other_yaml: bool = typer.Option(False, "--skip-other-yaml", help="Skip files named here that are not engagements (no top-level `tacli:`), as a folder search does: for pre-commit."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
    no_cache: NoCache = False,
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes for large folders (default: one per core)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the summary line (text output), and no progress bar."),
    force: bool = typer.Option(False, "--force", help="Replace a file at --output that tacli did not write (never an engagement or configuration file, never through a link)."),
    roster: RosterFile = None,
) -> None:
    """Check engagement files against the standards; exit 1 when there is an error."""
    from tacli.commands.check import CheckOptions, run

    finish(run(CheckOptions(
        _common(config_file, standards, today, no_cache), tuple(paths or ()), output_format, output,
        tuple(select) if select is not None else None, tuple(ignore) if ignore is not None else None,
        skip_other_yaml, jobs, terminal=terminal.is_terminal(), quiet=quiet, force=force, roster=roster,
    )))


@app.command(cls=WithExamples, rich_help_panel=DAILY, epilog=examples(
    "tacli tast my-school.yaml --add commendations='Agendas went out a week ahead'", "tacli tast my-school.yaml --commendation 'Teams set norms' --next-step 'Visit in May'",
    "tacli tast my-school.yaml --service 2026-11-17-principal-call --complete --date today",
    "tacli tast my-school.yaml --service 2026-10-27-grade-3-coaching --review 'Maria Lopez' --approve",
    "tacli tast my-school.yaml --service 2026-10-27-grade-3-coaching --review 'Maria Lopez' --request-changes 'Add the item analysis'",
    "tacli tast my-school.yaml --service 2026-10-27-grade-3-coaching --next-step 'Item analysis in December' --resubmit",
    "tacli tast my-school.yaml --service 2026-11-17-principal-call --forms-requested 18 --forms-returned 17 --rating quality=4.6 --rating usefulness=4.8 --comment 'More time for goals'"))
def tast(
    file: str = typer.Argument(..., metavar="FILE", help="The engagement file."),
    service: Optional[str] = typer.Option(None, "--service", metavar="ID", autocompletion=completion.service, help="The service (default: the latest one held whose report is open)."),
    commendation: Optional[List[str]] = typer.Option(None, "--commendation", metavar="TEXT", help="Add a commendation; repeat it for more."),
    recommendation: Optional[List[str]] = typer.Option(None, "--recommendation", metavar="TEXT", help="Add a recommendation; repeat it for more."),
    next_step: Optional[List[str]] = typer.Option(None, "--next-step", metavar="TEXT", help="Add a next step; repeat it for more."),
    add: Optional[List[str]] = typer.Option(None, "--add", metavar="SECTION=TEXT", autocompletion=completion.report_section, help="Add TEXT to any section of the report, by its id (tacli standards show)."),
    complete: bool = typer.Option(False, "--complete", help="Mark the report completed, and its duty done, in the same edit."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="With --complete: the day it was completed; with --resubmit: the day it went back to the reviewers; with --review: the day of the decision; as YYYY-MM-DD or in words (yesterday, 'last tuesday'); default: today."),
    review: Optional[str] = typer.Option(None, "--review", metavar="NAME", autocompletion=completion.reviewer, help="Record the decision of this reviewer (one of the engagement's reviewers) on the completed report: with --approve or --request-changes."),
    approve: bool = typer.Option(False, "--approve", help="With --review: the reviewer approves the report."),
    request_changes: Optional[str] = typer.Option(None, "--request-changes", metavar="TEXT", help="With --review: the reviewer asks for these changes."),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="With --review --approve: the reviewer's comment."),
    resubmit: bool = typer.Option(False, "--resubmit", help="The report is revised as a reviewer asked: send it back to them for review (with the entries of this command, if any)."),
    forms_requested: Optional[int] = typer.Option(None, "--forms-requested", metavar="N", min=0, help="How many evaluation forms were handed out or sent."),
    forms_returned: Optional[int] = typer.Option(None, "--forms-returned", metavar="N", min=0, help="How many completed evaluation forms came back (it records the duty to request them)."),
    rating: Optional[List[str]] = typer.Option(None, "--rating", metavar="QUALITY=MEAN", autocompletion=completion.rating, help="The forms' mean rating of a rated quality, on the standards' scale: quality=4.6; repeat it for each."),
    comment: Optional[List[str]] = typer.Option(None, "--comment", metavar="TEXT", help="A comment a participant wrote on a form; repeat it for more."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
) -> None:
    """Write a service's TAST report (its sections) and complete it, record its reviewers' decisions and what its evaluation forms said, without editing the file by hand."""
    from tacli.commands.edits import EvaluationInput
    from tacli.commands.tast import TastOptions, run
    from tacli.core.outcome import UsageError

    entries = [("commendation", text) for text in commendation or []] + [("recommendation", text) for text in recommendation or []] + [("next-step", text) for text in next_step or []]
    for pair in add or []:
        name, separator, text = pair.partition("=")
        if not separator:
            raise UsageError(f"--add {pair!r}: write SECTION=TEXT, e.g. --add commendations='Teams set norms'")
        entries.append((name.strip(), text))
    common = _common(config_file, standards, today)
    evaluation = EvaluationInput(forms_requested, forms_returned, tuple(rating or ()), tuple(comment or ()))
    options = TastOptions(common, file, service, tuple(entries), complete, _day(on, "--date", common),
                          review=review, approve=approve, request_changes=request_changes, note=note, evaluation=evaluation, resubmit=resubmit)
    asked = review is not None or approve or request_changes is not None or note is not None or evaluation.given() or resubmit
    if not entries and not complete and on is None and not asked and terminal.interactive():
        from tacli.commands import Session
        from tacli.cli.prompts import tast_interview

        session = Session(options.common)
        options = tast_interview(session.spec, session.today, options)
    finish(run(options))


@app.command(cls=WithExamples, rich_help_panel=REPORTS, epilog=examples("tacli report --out-dir reports", "tacli report my-school.yaml --kind tast --service 2026-11-17-principal-call", "tacli report --out-dir reports --check",
                                                       "tacli report examples --kind annual --year 2026-27 --roster examples/roster.yaml > annual-2026-27.md"))
def report(
    paths: Paths = None,
    kind: Optional[List[str]] = typer.Option(None, "--kind", "-k", metavar="KIND", autocompletion=completion.choices("tacli.commands.annual", "KINDS"), help="tast, agenda, plan, summary or all (the default); repeat it or separate kinds with commas. annual: the annual report of a school year (--year), to standard output."),
    service: Optional[str] = typer.Option(None, "--service", metavar="ID", help="Only this service's TAST report and agenda."),
    out_dir: Optional[str] = typer.Option(None, "--out-dir", "-o", metavar="DIR", callback=_a_folder, help="Write the reports under DIR (docs/reports.md; default: `reports` of the configuration); without it, one report goes to standard output."),
    check_only: bool = typer.Option(False, "--check", help="Write nothing: exit 1 and list the reports under --out-dir that are stale, missing or orphaned."),
    prune: bool = typer.Option(False, "--prune", help="With --out-dir: delete orphaned reports (no engagement produces them any more)."),
    force: bool = typer.Option(False, "--force", help="Also replace files at report paths that tacli did not write (reports of an older tacli, without the marker line)."),
    templates: Optional[str] = typer.Option(None, "--templates", metavar="DIR", envvar="TACLI_TEMPLATES", callback=_a_folder, help="Folder of templates that override the shipped ones, file by file."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Name every report written or removed (default: one summary line)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    year: Optional[str] = typer.Option(None, "--year", metavar="YYYY-YY", help="With --kind annual: the school year, July to June, as 2026-27 (default: the school year of today)."),
    roster: RosterFile = None,
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
    no_cache: NoCache = False,
) -> None:
    """Render Markdown reports: TAST reports, agendas, plans, a portfolio summary, and the annual report of a school year."""
    from tacli.commands.report import ReportOptions, run

    finish(run(ReportOptions(_common(config_file, standards, today, no_cache), tuple(paths or ()), tuple(kind or ()), service, out_dir, check_only, prune, force, templates, verbose, quiet,
                             year=year, roster=roster)))


@app.command(cls=WithExamples, rich_help_panel=REPORTS, epilog=examples("tacli site examples/ --out-dir site", "tacli site --out-dir public --today 2026-11-22 --verbose", "tacli site --out-dir site --check"))
def site(
    paths: Paths = None,
    out_dir: str = typer.Option(..., "--out-dir", "-o", metavar="DIR", callback=_a_folder, help="Write the site under DIR: index.html, assets/, engagements/ (docs/site.md)."),
    check_only: bool = typer.Option(False, "--check", help="Write nothing: exit 1 and list the files under --out-dir that are stale, missing or orphaned."),
    force: bool = typer.Option(False, "--force", help="Also replace files at the site's paths that tacli did not write."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Name every file written or removed (default: one summary line)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    roster: RosterFile = None,
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
    no_cache: NoCache = False,
) -> None:
    """Render a static HTML site for directors: a dashboard with filters and charts, a page per engagement, printable TAST reports and agendas."""
    from tacli.commands.site import SiteOptions, run

    finish(run(SiteOptions(_common(config_file, standards, today, no_cache), tuple(paths or ()), out_dir, check_only, force, verbose, quiet, roster)))


@app.command(cls=WithExamples, rich_help_panel=REPORTS, epilog=examples("tacli export --table services -o services.csv", "tacli export examples --table engagements -o portfolio.xlsx --today 2026-11-22", "tacli export --table duties --format json | jq '.rows[] | select(.due)'",
                                                       "tacli export examples --table annual --year 2026-27 --roster examples/roster.yaml -o annual-2026-27.xlsx"))
def export(
    paths: Paths = None,
    table: str = typer.Option(..., "--table", "-t", metavar="TABLE", autocompletion=completion.choices("tacli.output.export_tables", "TABLES"), help="engagements, services, duties or findings: one row an item; annual: one row a figure of a school year (docs/exports.md)."),
    output_format: Optional[str] = typer.Option(None, "--format", "-f", metavar="FORMAT", autocompletion=completion.choices("tacli.output.export_formats", "EXPORT_FORMATS"), help="csv, json or xlsx (an Excel workbook). Default: from the suffix of --output (.csv, .json, .xlsx), else csv."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", callback=_dash_is_standard_output, help="Write to FILE instead of standard output (- is standard output); a file tacli did not write is refused without --force."),
    bom: bool = typer.Option(False, "--bom", help="Start the CSV with a byte-order mark, so that Excel reads it as UTF-8."),
    force: bool = typer.Option(False, "--force", help="Replace a file at --output that tacli did not write (never an engagement file, never through a link)."),
    year: Optional[str] = typer.Option(None, "--year", metavar="YYYY-YY", help="With --table annual: the school year, July to June, as 2026-27 (default: the school year of today)."),
    roster: RosterFile = None,
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
    no_cache: NoCache = False,
) -> None:
    """Export engagements, services, duties or findings as a flat table, or the annual figures of a school year: CSV, JSON or an Excel workbook."""
    from tacli.commands.export import ExportOptions, run

    finish(run(ExportOptions(_common(config_file, standards, today, no_cache), tuple(paths or ()), table, output_format, output, bom, force, terminal=terminal.is_terminal(),
                             year=year, roster=roster)))


@app.command(cls=WithExamples, rich_help_panel=DAILY, epilog=examples("tacli serve", "tacli serve examples/ --today 2026-11-22", "tacli serve --commit", "tacli serve --read-only --host 0.0.0.0 --port 8080"))
def serve(
    paths: Paths = None,
    host: str = typer.Option("127.0.0.1", "--host", metavar="ADDRESS", help="The address to listen on: this machine alone by default; another (0.0.0.0: every network) prints a warning, and the key in the address is needed as always."),
    port: Optional[int] = typer.Option(None, "--port", "-p", min=0, max=65535, help="The port (default: 8000, or the next free one; 0: any free port)."),
    read_only: bool = typer.Option(False, "--read-only", help="No form can write: to leave running on a shared machine for directors."),
    commit: Optional[bool] = typer.Option(None, "--commit/--no-commit", help="Commit each save to git, with a message that says what was recorded (default: `commit` in tacli.toml, else no)."),
    browser: Optional[bool] = typer.Option(None, "--browser/--no-browser", help="Open the address in the browser (default: when run in a terminal on this machine)."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
    no_cache: NoCache = False,
) -> None:
    """Open the engagements in a browser: this week's work, each engagement, forms to record duties, reports and services, and the dashboard; on the same files."""
    import importlib

    web = importlib.import_module("tacli.web.serve")  # by name: the web app is a front door beside this one, not below it (docs/architecture.md)
    local = host in ("127.0.0.1", "localhost", "::1", "[::1]")
    finish(web.run(web.ServeOptions(_common(config_file, standards, today, no_cache), tuple(paths or ()), host, port, read_only, commit, None, terminal.interactive() and local if browser is None else browser)))


@app.command(cls=WithExamples, rich_help_panel=DAILY, epilog=examples("tacli due", "tacli due --within 14 --facilitator 'Dana Ruiz'", "tacli due --format ics -o tacli.ics"))
def due(
    paths: Paths = None,
    within: Optional[int] = typer.Option(None, "--within", "-w", metavar="DAYS", help=f"Also what falls due within DAYS of today (overdue items are always listed); default: {LOOK_AHEAD_DAYS}, and {CALENDAR_DAYS} for --format ics (a calendar holds the weeks ahead)."),
    facilitator: Optional[str] = typer.Option(None, "--facilitator", metavar="NAME", help="Only what this facilitator leads (the engagement's or the service's); `me` in tacli.toml sets the default, --facilitator '' lists everyone."),
    output_format: Optional[str] = typer.Option(None, "--format", "-f", metavar="FORMAT", autocompletion=completion.choices("tacli.output.due_feed", "DUE_FORMATS"), help="text (for people), json, csv (for spreadsheets) or ics (a calendar feed); default: from the name given to -o (.ics, .csv, .json), else text."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", callback=_dash_is_standard_output, help="Write to FILE instead of standard output (- is standard output)."),
    force: bool = typer.Option(False, "--force", help="Replace a file at --output that tacli did not write (never an engagement or configuration file, never through a link)."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
    no_cache: NoCache = False,
) -> None:
    """List what is overdue and what falls due soon, across engagements: reports, duties, contacts, reviews."""
    from tacli.commands.due import DueOptions, run

    width = shutil.get_terminal_size().columns if terminal.is_terminal() and output is None else None
    finish(run(DueOptions(_common(config_file, standards, today, no_cache), tuple(paths or ()), within, facilitator, output_format, output, width, force)))


@app.command(cls=WithExamples, rich_help_panel=DAILY, epilog=examples("tacli status my-school.yaml", "tacli status examples/riverside-district-intensive.yaml --today 2026-11-22", "tacli status my-school.yaml --format json"))
def status(
    file: str = typer.Argument(..., metavar="FILE", help="The engagement file."),
    output_format: str = typer.Option("text", "--format", "-f", metavar="FORMAT", autocompletion=completion.choices("tacli.commands.status", "STATUS_FORMATS"), help="text (for people) or json (for scripts)."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
    no_cache: NoCache = False,
) -> None:
    """Show where one engagement stands: its services, reports, duties, plan and hours, and the next things to do."""
    from tacli.commands.status import StatusOptions, run

    width = shutil.get_terminal_size().columns if terminal.is_terminal() else None  # a pipe: a line a fact
    finish(run(StatusOptions(_common(config_file, standards, today, no_cache), file, output_format, width)))


@app.command(cls=WithExamples, rich_help_panel=SETUP, epilog=examples("tacli schema -o engagement.schema.json", "tacli schema | jq .properties"))
def schema(
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", callback=_dash_is_standard_output, help="Write the schema to FILE instead of standard output (- is standard output; engagement.schema.json next to the engagements folder: docs/editors.md)."),
    check_only: bool = typer.Option(False, "--check", help="Write nothing: exit 1 when --output FILE is not the current schema (for CI and pre-commit)."),
    force: bool = typer.Option(False, "--force", help="Replace a file at --output that tacli did not write (never an engagement or configuration file, never through a link)."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
) -> None:
    """Print the JSON Schema of engagement files, for editors and other validators."""
    from tacli.commands.info import SchemaOptions, schema

    finish(schema(SchemaOptions(_common(config_file, standards), output, check_only, force)))


@app.command("config", cls=WithExamples, rich_help_panel=SETUP, epilog=examples("tacli config", "tacli config --config ../center/tacli.toml"))
def config_command(
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    as_json: bool = typer.Option(False, "--json", help="Print the configuration as JSON, for scripts."),
) -> None:
    """Show the effective configuration and where each value came from."""
    from tacli.commands.info import ConfigOptions, config

    finish(config(ConfigOptions(_common(config_file, standards), as_json, shutil.get_terminal_size((80, 24)).columns)))


def _table_options():
    """Tables for people: as wide as the terminal (or COLUMNS), in colour on a terminal."""
    from tacli.commands.info import TableOptions

    return TableOptions(colour=terminal.colour(), width=shutil.get_terminal_size((100, 24)).columns)


@app.command(cls=WithExamples, rich_help_panel=SETUP, epilog=examples("tacli rules", "tacli rules | grep fixsen"))
def rules() -> None:
    """List every rule id with its level and what it finds."""
    from tacli.commands.info import rules

    finish(rules(_table_options()))


@cache_app.command("info", cls=WithExamples, epilog=examples("tacli cache info"))
def cache_info() -> None:
    """Show where tacli's cache is, its size and what it holds."""
    from tacli.commands.cache import info

    finish(info())


@cache_app.command("clear", cls=WithExamples, epilog=examples("tacli cache clear"))
def cache_clear() -> None:
    """Empty tacli's cache: the next run reads every file again."""
    from tacli.commands.cache import clear

    finish(clear())


@standards_app.command("list", cls=WithExamples, epilog=examples("tacli standards list"))
def standards_list(config_file: ConfigFile = None, standards: StandardsDir = None) -> None:
    """List the frameworks in the standards folder."""
    from tacli.commands.info import StandardsOptions, standards as show

    finish(show(StandardsOptions(_common(config_file, standards), _table_options())))


@standards_app.command("show", cls=WithExamples, epilog=examples("tacli standards show cali", "tacli standards show oec"))
def standards_show(
    framework: str = typer.Argument(..., metavar="ID", autocompletion=completion.framework, help="A framework id, as `tacli standards list` shows."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
) -> None:
    """Show one framework's items with their ids, words and sources."""
    from tacli.commands.info import StandardsOptions, standards as show

    finish(show(StandardsOptions(_common(config_file, standards), _table_options(), framework)))


@app.command(cls=WithExamples, rich_help_panel=START, epilog=examples("tacli init ~/ta-work --me 'Dana Ruiz'", "tacli init   (the current folder)", "tacli init center-ta --ci github --tacli-url https://github.com/our-center/tacli.git --tacli-rev v0.1.0"))
def init(
    folder: str = typer.Argument(".", metavar="DIR", callback=_a_folder, help="The folder for your engagements, outside tacli's own code (made when it does not exist; default: the current folder)."),
    me: Optional[str] = typer.Option(None, "--me", metavar="NAME", help="Your name as facilitator or coach, written as `me` in tacli.toml: `tacli due` then lists your work."),
    ci: str = typer.Option("both", "--ci", metavar="SYSTEM", autocompletion=completion.choices("tacli.write.project", "CI_CHOICES"), help="The CI pipelines to write: both (the default), github, gitlab or none."),
    tacli_url: Optional[str] = typer.Option(None, "--tacli-url", metavar="URL", help="The git repository CI and pre-commit install tacli from (your center's copy). Default: the one this tacli was installed from, when pip recorded it; else a placeholder to fill in."),
    tacli_rev: Optional[str] = typer.Option(None, "--tacli-rev", metavar="TAG", help="The tag or commit of that repository to pin. Default: the commit installed from, else this version's tag."),
    git: bool = typer.Option(True, "--git/--no-git", help="Make the folder a git repository when git is installed and the folder is in none."),
    standards: Optional[str] = typer.Option(None, "--standards", metavar="DIR", callback=_a_folder, help="Your center's own standards folder, written as `standards` in tacli.toml; the editor schema is made from it (default: the standards shipped with tacli)."),
) -> None:
    """Set up a folder for your engagements: tacli.toml, engagements/, the editor schema, .gitignore, pre-commit and CI; git init. Never overwrites a file."""
    from tacli.commands.init import InitOptions, run

    finish(run(InitOptions(folder, me, ci, tacli_url, tacli_rev, git, standards)))


@new_app.command("engagement", cls=WithExamples, epilog=examples("tacli new engagement 'Elm Street data teams'   (asks the rest in a terminal)", "tacli new engagement 'Oak Hill data teams' --recipient 'Oak Hill School' --organization 'Central RESC' --facilitator 'Dana Ruiz' --tier targeted --start 2026-12-01"))
def new_engagement(
    title: Optional[str] = typer.Argument(None, help="The engagement's title; its file name is made from it."),
    folder: Optional[str] = typer.Option(None, "--dir", callback=_a_folder, help="Folder to write the file in (default: `engagements` of the configuration, else engagements/)."),
    engagement_id: Optional[str] = typer.Option(None, "--id", metavar="ID", help="The engagement's id, which names its file and its reports' folder: lower-case Latin letters, digits and hyphens (default: made from the title; needed for a title in another script)."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="File name inside --dir (default: the id + .yaml)."),
    tier: Optional[str] = typer.Option(None, "--tier", autocompletion=completion.tier, help="basic, targeted or intensive (or universal, specific, sustained)."),
    frameworks: Optional[str] = typer.Option(None, "--frameworks", autocompletion=completion.frameworks, help="Comma-separated framework ids (default: those that fit the tier)."),
    recipient: Optional[str] = typer.Option(None, "--recipient", help="The recipient: a district, school or early-childhood program."),
    recipient_kind: Optional[str] = typer.Option(None, "--recipient-kind", autocompletion=completion.choices("tacli.standards.models", "RECIPIENT_KINDS"), help="district, school (the default) or early-childhood-program."),
    district: Optional[str] = typer.Option(None, "--district", help="The recipient's district, for a school."),
    title_i: Optional[bool] = typer.Option(None, "--title-i/--not-title-i", help="Whether the recipient is a Title I school or district (asked in a terminal; the figures count it)."),
    in_need: Optional[bool] = typer.Option(None, "--in-need-of-improvement/--not-in-need-of-improvement", help="Whether the recipient is identified as in need of improvement (asked in a terminal)."),
    organization: Optional[str] = typer.Option(None, "--organization", help="The provider organization."),
    partner: Optional[str] = typer.Option(None, "--partner", autocompletion=completion.partner, help="The provider's partner id in the standards (e.g. resc)."),
    facilitator: Optional[str] = typer.Option(None, "--facilitator", help="The facilitator or coach."),
    start: Optional[str] = typer.Option(None, "--start", metavar="YYYY-MM-DD", help="Start date (default: today)."),
    end: Optional[str] = typer.Option(None, "--end", metavar="YYYY-MM-DD", help="Planned end date."),
    service_date: Optional[str] = typer.Option(None, "--service-date", metavar="YYYY-MM-DD", help="Add a first service on this date."),
    service_type: Optional[str] = typer.Option(None, "--service-type", autocompletion=completion.support_type, help="The first service's support type."),
    reviewer: Optional[List[str]] = typer.Option(None, "--reviewer", metavar="NAME", help="Who reviews each service's report (repeat for each); add more later with `tacli new reviewer`."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
) -> None:
    """Write a new engagement file that lists every duty, element and feature that applies."""
    from tacli.commands.new import NewEngagementOptions, run
    from tacli.write.scaffold import EngagementRequest

    common = _common(config_file, standards, today)
    request = EngagementRequest(
        title=title, id=engagement_id, tier=tier, recipient=recipient, organization=organization, facilitator=facilitator,
        frameworks=frameworks, recipient_kind=recipient_kind, partner=partner,
        start=_day(start, "--start", common), end=_day(end, "--end", common), service_date=_day(service_date, "--service-date", common), service_type=service_type,
        reviewers=tuple(reviewer or ()), district=district, title_i=title_i, in_need_of_improvement=in_need,
    )
    options = NewEngagementOptions(common, request, folder, output, force)
    if not (title and recipient and organization and facilitator) and terminal.interactive():
        from tacli.cli.prompts import new_engagement_questions

        options = new_engagement_questions(options)
    finish(run(options))


@new_app.command("service", cls=WithExamples, epilog=examples(
    "tacli new service my-school.yaml --date today --type professional-development --mode on-site --hours 3", "tacli new service my-school.yaml --date 2026-12-02 --type job-embedded-pd --topics data-teams",
    "tacli new service my-school.yaml --date yesterday --type professional-development --forms-returned 17 --rating quality=4.6 --rating relevance=4.5 --rating usefulness=4.8"))
def new_service(
    file: str = typer.Argument(..., metavar="FILE", help="The engagement file."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="The service date, as YYYY-MM-DD or in words ('next monday', '8 December 2026'); asked in a terminal when left out."),
    kind: Optional[str] = typer.Option(None, "--type", metavar="SUPPORT_TYPE", autocompletion=completion.support_type, help="The support type (tacli standards show csde; asked in a terminal when left out)."),
    hours: Optional[str] = typer.Option(None, "--hours", metavar="HOURS", help="Hours of service: 1.5, 2h, '90 min' or 1h30."),
    mode: Optional[str] = typer.Option(None, "--mode", autocompletion=completion.choices("tacli.standards.vocabulary", "DELIVERY_MODES"), help="on-site (the default), virtual or telephone."),
    service_id: Optional[str] = typer.Option(None, "--id", help="The service id (default: date and type)."),
    title: Optional[str] = typer.Option(None, "--title", help="A short title."),
    topics: Optional[str] = typer.Option(None, "--topics", autocompletion=completion.topics, help="Comma-separated topic ids."),
    forms_requested: Optional[int] = typer.Option(None, "--forms-requested", metavar="N", min=0, help="How many evaluation forms were handed out or sent."),
    forms_returned: Optional[int] = typer.Option(None, "--forms-returned", metavar="N", min=0, help="How many completed evaluation forms came back (it records the duty to request them)."),
    rating: Optional[List[str]] = typer.Option(None, "--rating", metavar="QUALITY=MEAN", autocompletion=completion.rating, help="The forms' mean rating of a rated quality, on the standards' scale: quality=4.6; repeat it for each."),
    comment: Optional[List[str]] = typer.Option(None, "--comment", metavar="TEXT", help="A comment a participant wrote on a form; repeat it for more."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
) -> None:
    """Add a dated service, with its duties open (and what its evaluation forms said), to an engagement file."""
    from tacli.commands.edits import EvaluationInput, NewServiceOptions, new_service as add

    common = _common(config_file, standards, today)
    evaluation = EvaluationInput(forms_requested, forms_returned, tuple(rating or ()), tuple(comment or ()))
    options = NewServiceOptions(common, file, _day(on, "--date", common), kind, hours, mode, service_id, title, topics, evaluation=evaluation)
    if not (on and kind) and terminal.interactive():
        from tacli.commands import Session
        from tacli.cli.prompts import service_interview

        session = Session(options.common)
        options = service_interview(session.spec, session.today, options)
    finish(add(options))


@new_app.command("outcome", cls=WithExamples, epilog=examples(
    "tacli new outcome my-school.yaml --level use --date 2026-11-20 --observed 'Grade 3 teachers run the data protocol unaided' --evidence 'Walkthrough notes, 2026-11-20'",
    "tacli new outcome my-school.yaml --level learning --observed 'Every team scored the CFA together' --evidence 'Calibration sheet'"))
def new_outcome(
    file: str = typer.Argument(..., metavar="FILE", help="The engagement file."),
    level: Optional[str] = typer.Option(None, "--level", metavar="LEVEL", autocompletion=completion.level, help="The level of the evidence (tacli standards show guskey): reactions, learning, organization, use or students."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="When it was observed, as YYYY-MM-DD or in words (yesterday, 'last tuesday'); default: today."),
    observed: Optional[str] = typer.Option(None, "--observed", metavar="TEXT", help="What was observed (asked in a terminal when left out, with the level)."),
    evidence: Optional[str] = typer.Option(None, "--evidence", metavar="TEXT", help="Where the evidence is: a document, a data file, a link."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
) -> None:
    """Add outcome evidence, dated and at a level (Guskey's five), to an engagement file's outcomes."""
    from tacli.commands.edits import NewOutcomeOptions, new_outcome as add

    common = _common(config_file, standards, today)
    options = NewOutcomeOptions(common, file, level, _day(on, "--date", common), observed, evidence)
    if not (level and observed) and terminal.interactive():
        from tacli.commands import Session
        from tacli.cli.prompts import outcome_interview

        session = Session(options.common)
        options = outcome_interview(session.spec, session.today, options)
    finish(add(options))


@new_app.command("reviewer", cls=WithExamples, epilog=examples("tacli new reviewer my-school.yaml 'Maria Lopez' --role 'Assistant Principal'"))
def new_reviewer(
    file: str = typer.Argument(..., metavar="FILE", help="The engagement file."),
    name: str = typer.Argument(..., metavar="NAME", help="The reviewer's name, as `tacli tast --review NAME` will give it."),
    role: Optional[str] = typer.Option(None, "--role", metavar="ROLE", help="Their role or job title."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
) -> None:
    """Add a reviewer of the engagement's reports: a report is approved when every reviewer approved it."""
    from tacli.commands.edits import NewReviewerOptions, new_reviewer as add

    finish(add(NewReviewerOptions(_common(config_file, standards, today), file, name, role)))


@app.command(cls=WithExamples, rich_help_panel=DAILY, epilog=examples("tacli mark my-school.yaml --service 2026-11-17-principal-call", "tacli mark my-school.yaml planning.facilitator.prepare-learning-agenda --service 2026-11-17-principal-call --done --date yesterday --evidence 'agenda.docx'", "tacli mark my-school.yaml --service 2026-11-17-principal-call --stage delivery --role facilitator --done"))
def mark(
    file: str = typer.Argument(..., metavar="FILE", help="The engagement file."),
    duties: Optional[List[str]] = typer.Argument(None, metavar="[DUTY_ID]...", autocompletion=completion.duty, help="Duty ids from the standards (tacli standards show cali); in a terminal, none to pick from a checklist."),
    service: Optional[str] = typer.Option(None, "--service", metavar="ID", autocompletion=completion.service, help="The service (needed when there are several)."),
    stage: Optional[str] = typer.Option(None, "--stage", metavar="STAGE", autocompletion=completion.stage, help="Every open duty of this stage of the service (planning, delivery, follow-up)."),
    role: Optional[str] = typer.Option(None, "--role", metavar="ROLE", autocompletion=completion.role, help="With --stage: only this role's duties (facilitator, leadership, participants)."),
    done: bool = typer.Option(False, "--done", help="Mark the duties done."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="When they were done, as YYYY-MM-DD or in words (yesterday, 'last tuesday'); default: today."),
    evidence: Optional[str] = typer.Option(None, "--evidence", metavar="TEXT", help="What shows they were done."),
    na: Optional[str] = typer.Option(None, "--na", metavar="REASON", help="Mark the duties not applicable, with the reason."),
    reopen: bool = typer.Option(False, "--open", help="Mark the duties open again."),
    config_file: ConfigFile = None,
    standards: StandardsDir = None,
    today: Today = None,
) -> None:
    """Record duties of a service: done, not applicable, or open; one, several, or a whole stage."""
    from tacli.commands.edits import MarkOptions, mark as record

    common = _common(config_file, standards, today)
    options = MarkOptions(common, file, tuple(duties or ()), service, stage, role, done, _day(on, "--date", common), evidence, na, reopen)
    if not options.duties and not options.stage and terminal.interactive():
        from tacli.cli.prompts import checklist, marked

        finish(marked(checklist(options), record))
    finish(record(options))


def app_for(args: list[str]) -> typer.Typer:
    """The app as this command line needs it: when its first word is a command
    (or a group of commands: `new`, `standards`, `cache`), an app that declares
    that one alone, the same in everything else (the root's options, settings and
    classes). typer builds the click object of every command it declares, from
    the signature and type hints of each, on every run: about 15 ms for all of
    them against 2 for one, a tenth of a cached `tacli check FILE`. Anything else (no command, an option first, a word that
    is no command, the shell asking for completions) gets the whole app, so
    `--help`, a mistyped command's suggestion and completion are as they were."""
    if not args or "_TACLI_COMPLETE" in os.environ:
        return app
    name = args[0]
    from typer.main import get_command_name

    commands = [info for info in app.registered_commands if (info.name or get_command_name(info.callback.__name__)) == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if len(commands) + len(groups) != 1:
        return app
    import copy

    light = copy.copy(app)
    light.registered_commands = commands
    light.registered_groups = groups
    return light
