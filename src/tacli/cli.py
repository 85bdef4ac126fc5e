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
new_app = typer.Typer(help="Create engagement files and add services to them.", no_args_is_help=True)
app.add_typer(new_app, name="new")

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

StandardsOption = typer.Option(None, "--standards", metavar="DIR", help="Standards folder to use instead of the shipped one (or TACLI_STANDARDS, or `standards` in tacli.toml).")
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


def load_standards(option: Optional[str], config=None):
    """The spec, or exit 2 with every problem in it.

    The folder is --standards, else TACLI_STANDARDS, else `standards` of the
    configuration (tacli.toml), else the shipped standards."""
    from tacli.config import shown_path, standards_setting
    from tacli.spec import SpecError, load_spec
    from tacli.textformat import finding_line

    if config is None:
        config = load_config_or_exit(None)
    folder, source = standards_setting(option, config)
    from_file = config.standards is not None and source == config.source("standards")
    shown = shown_path(folder, project=config.folder) if from_file else str(folder)
    try:
        return load_spec(folder)
    except SpecError as exc:
        for item in exc.findings:
            typer.echo(finding_line(item), err=True)
        raise fail(f"the standards in {shown} cannot be used ({len(exc.findings)} problem{'s' if len(exc.findings) != 1 else ''})") from None


def load_config_or_exit(explicit: Optional[str]):
    """The configuration (tacli.toml or [tool.tacli]), or exit 2 listing every problem in it."""
    from pathlib import Path

    from tacli.config import ConfigError, load_config

    try:
        return load_config(explicit=Path(explicit) if explicit else None)
    except ConfigError as exc:
        for problem in exc.problems:
            typer.echo(f"tacli: error: {problem}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def engagement_paths(paths: Optional[List[str]], config) -> List[str]:
    """The paths given, else the configured engagements folder, else the current folder."""
    from tacli.config import shown_path

    if paths:
        return list(paths)
    if config.engagements is None:
        return ["."]
    shown = shown_path(config.engagements, project=config.folder)
    if not config.engagements.is_dir():
        raise fail(f"the engagements folder {shown} ({config.source('engagements')}) does not exist")
    return [shown]


ConfigOption = typer.Option(None, "--config", metavar="FILE", help="Configuration file to read instead of searching for tacli.toml or pyproject.toml (or TACLI_CONFIG).")


def _use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@app.command()
def check(
    paths: Optional[List[str]] = typer.Argument(None, metavar="[PATH]...", help="Engagement files or folders (searched for *.yaml, *.yml). Default: `engagements` of the configuration, else the current folder."),
    output_format: Optional[str] = typer.Option(None, "--format", "-f", metavar="FORMAT", help="text, json, sarif, github or junit (docs/output-formats.md). Default: text, or github when GITHUB_ACTIONS=true and writing to standard output."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the output to FILE instead of standard output."),
    select: Optional[List[str]] = typer.Option(None, "--select", metavar="RULES", help="Report only these rules: ids or patterns (fixsen-*), comma-separated; replaces `select` of the configuration."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="RULES", help="Do not report these rules: ids or patterns, comma-separated; replaces `ignore` of the configuration."),
    skip_other_yaml: bool = typer.Option(False, "--skip-other-yaml", help="Skip files named here that are not engagements (no top-level `tacli:`), as a folder search does: for pre-commit."),
    config_file: Optional[str] = ConfigOption,
    standards: Optional[str] = StandardsOption,
    today: Optional[str] = TodayOption,
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes for large folders (default: one per core)."),
) -> None:
    """Check engagement files against the standards; exit 1 when there is an error."""
    from pathlib import Path

    from tacli.checker import Checker, UsageError, find_targets
    from tacli.config import ConfigError, parse_rule_list
    from tacli.findings import Level
    from tacli.formats import FORMATS, CheckRun
    from tacli.rules import ALL_RULES
    from tacli.suggest import did_you_mean

    config = load_config_or_exit(config_file)
    try:
        config = config.with_rule_options(parse_rule_list(select), parse_rule_list(ignore))
    except ConfigError as exc:
        for problem in exc.problems:
            typer.echo(f"tacli: error: {problem}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" and output is None else "text"
    if output_format not in FORMATS:
        hint = did_you_mean(output_format, FORMATS) or f" use one of {', '.join(FORMATS)}."
        raise fail(f"unknown format '{output_format}':{hint}")
    formatter = FORMATS[output_format]
    as_of = parse_today(today)
    given = engagement_paths(paths, config)
    try:
        targets = find_targets(given, skip_other_yaml=skip_other_yaml)
    except UsageError as exc:
        raise fail(str(exc)) from None
    spec = load_standards(standards, config)
    result = Checker(spec, as_of, config.rules).check(targets, jobs)
    root = Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd())
    run = CheckRun(result, ALL_RULES, config.rules, as_of, root=root)
    errors = any(item.level is Level.ERROR for item in result.findings)
    exit_code = EXIT_FINDINGS if errors else EXIT_CLEAN
    if output is not None:
        from tacli.atomic import write_atomically
        from tacli.textformat import summary_line

        try:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            write_atomically(output, formatter.render(run))
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
        typer.echo(f"wrote {output}: {summary_line(result.findings, len(result.checked), len(result.skipped))}", err=True)
        raise typer.Exit(exit_code)
    if formatter.name == "text" and _use_colour():
        from tacli.textformat import finding_line, summary_line

        lines = [finding_line(item) for item in result.findings]
        _print_coloured(result.findings, lines, summary_line(result.findings, len(result.checked), len(result.skipped)))
    elif formatter.binary:  # UTF-8 whatever the locale, as JSON and XML readers expect
        sys.stdout.flush()
        text = formatter.render(run)
        binary = getattr(sys.stdout, "buffer", None)
        if binary is not None:
            binary.write(text.encode("utf-8"))
            binary.flush()
        else:
            sys.stdout.write(text)
    else:
        sys.stdout.write(formatter.render(run))
    raise typer.Exit(exit_code)


def _print_coloured(findings, lines, summary) -> None:
    from rich.console import Console
    from rich.text import Text

    styles = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    console = Console(highlight=False, soft_wrap=True)
    for item, line in zip(findings, lines):
        text = Text(line)
        start = len(f"{item.path}:{item.line}:{item.column}: ")
        text.stylize(styles[item.level.value], start, start + len(item.level.value))
        text.stylize("dim", 0, start - 1)
        console.print(text)
    console.print(Text(summary, style="bold"))


@app.command()
def schema(
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the schema to FILE instead of standard output (engagement.schema.json next to the engagements folder: docs/editors.md)."),
    check_only: bool = typer.Option(False, "--check", help="Write nothing: exit 1 when --output FILE is not the current schema (for CI and pre-commit)."),
    config_file: Optional[str] = ConfigOption,
    standards: Optional[str] = StandardsOption,
) -> None:
    """Print the JSON Schema of engagement files, for editors and other validators."""
    from pathlib import Path

    from tacli.schema import schema_text

    if check_only and not output:
        raise fail("--check compares with a schema file: give --output FILE")
    config = load_config_or_exit(config_file)
    text = schema_text(load_standards(standards, config))
    if output is None:
        sys.stdout.write(text)
        return
    if check_only:
        try:
            current = Path(output).read_bytes().decode("utf-8") == text
        except (OSError, UnicodeDecodeError):
            current = False
        if current:
            typer.echo(f"{output} is current.")
            raise typer.Exit(EXIT_CLEAN)
        state = "is not current" if Path(output).exists() else "does not exist"
        typer.echo(f"{output} {state}: run `tacli schema -o {output}` and commit it.")
        raise typer.Exit(EXIT_FINDINGS)
    from tacli.atomic import write_atomically

    try:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(output, text)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {output}", err=True)


@app.command("config")
def config_command(
    config_file: Optional[str] = ConfigOption,
    standards: Optional[str] = StandardsOption,
    as_json: bool = typer.Option(False, "--json", help="Print the configuration as JSON, for scripts."),
) -> None:
    """Show the effective configuration and where each value came from."""
    import json

    from tacli.config import describe

    config = load_config_or_exit(config_file)
    described = describe(config, standards)
    if as_json:
        sys.stdout.write(json.dumps(described, indent=2, ensure_ascii=False) + "\n")
        return
    from tacli.config import describe_text

    sys.stdout.write(describe_text(described))


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


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty() and not os.environ.get("CI")


def _date_option(value: Optional[str], name: str):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{name} '{value}' is not a real date: write YYYY-MM-DD") from None


def _choice(value: str, allowed, label: str) -> str:
    from tacli.suggest import did_you_mean, known_list

    if value in allowed:
        return value
    hint = did_you_mean(value, allowed) or f" known: {known_list(allowed, 12)}."
    raise fail(f"unknown {label} '{value}':{hint}")


@new_app.command("engagement")
def new_engagement(
    title: Optional[str] = typer.Argument(None, help="The engagement's title; its file name is made from it."),
    folder: Optional[str] = typer.Option(None, "--dir", help="Folder to write the file in (default: `engagements` of the configuration, else engagements/)."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="File name inside --dir (default: the title's slug + .yaml)."),
    tier: Optional[str] = typer.Option(None, "--tier", help="basic, targeted or intensive (or universal, specific, sustained)."),
    frameworks: Optional[str] = typer.Option(None, "--frameworks", help="Comma-separated framework ids (default: those that fit the tier)."),
    recipient: Optional[str] = typer.Option(None, "--recipient", help="The recipient: a district, school or early-childhood program."),
    recipient_kind: str = typer.Option("school", "--recipient-kind", help="district, school or early-childhood-program."),
    organization: Optional[str] = typer.Option(None, "--organization", help="The provider organization."),
    partner: Optional[str] = typer.Option(None, "--partner", help="The provider's partner id in the standards (e.g. resc)."),
    facilitator: Optional[str] = typer.Option(None, "--facilitator", help="The facilitator or coach."),
    start: Optional[str] = typer.Option(None, "--start", metavar="YYYY-MM-DD", help="Start date (default: today)."),
    end: Optional[str] = typer.Option(None, "--end", metavar="YYYY-MM-DD", help="Planned end date."),
    service_date: Optional[str] = typer.Option(None, "--service-date", metavar="YYYY-MM-DD", help="Add a first service on this date."),
    service_type: Optional[str] = typer.Option(None, "--service-type", help="The first service's support type."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    standards: Optional[str] = StandardsOption,
    today: Optional[str] = TodayOption,
) -> None:
    """Write a new engagement file that lists every duty, element and feature that applies."""
    from pathlib import Path

    from tacli.checker import Checker
    from tacli.scaffold import EngagementAnswers, ServiceAnswers, default_frameworks, engagement_text
    from tacli.yamltext import slug

    as_of = parse_today(today)
    config = load_config_or_exit(None)
    spec = load_standards(standards, config)
    asking = _interactive()

    def ask(value, prompt: str, default=None):
        if value:
            return value
        if asking:
            return typer.prompt(prompt, default=default) if default is not None else typer.prompt(prompt)
        return default

    title = ask(title, "Title")
    tier = ask(tier, "Tier (basic, targeted, intensive)", "basic")
    recipient = ask(recipient, "Recipient (district, school or program)")
    organization = ask(organization, "Provider organization")
    facilitator = ask(facilitator, "Facilitator or coach")
    missing = [name for name, value in (("TITLE", title), ("--recipient", recipient), ("--organization", organization), ("--facilitator", facilitator)) if not value]
    if missing:
        raise fail(f"missing {', '.join(missing)}: give them on the command line (no terminal to ask in)")
    if not slug(title):
        raise fail(f"the title '{title}' has no letters or digits to make a file name from: give a title with words")
    tier = _choice(tier, spec.tier_aliases, "tier")
    if frameworks:
        chosen = [f.strip() for f in frameworks.split(",") if f.strip()]
        for framework in chosen:
            _choice(framework, spec.frameworks, "framework")
    else:
        chosen = default_frameworks(spec, spec.tier_aliases[tier])
    from tacli.models import RECIPIENT_KINDS

    _choice(recipient_kind, RECIPIENT_KINDS, "recipient kind")
    if partner:
        _choice(partner, spec.ids("partners"), "partner")
    start_date = _date_option(start, "--start") or as_of
    end_date = _date_option(end, "--end")
    if end_date and end_date < start_date:
        raise fail(f"--end {end_date} is before --start {start_date}")
    first = None
    if service_date or service_type:
        if not (service_date and service_type):
            raise fail("a first service needs both --service-date and --service-type")
        first = ServiceAnswers(date=_date_option(service_date, "--service-date"), type=_choice(service_type, spec.ids("support_types"), "support type"))
        if first.date < start_date or (end_date and first.date > end_date):
            span = f"{start_date} to {end_date}" if end_date else f"from {start_date}"
            raise fail(f"--service-date {first.date} falls outside the engagement ({span}): give --start (default: today) and --end around it")
    answers = EngagementAnswers(
        title=title, tier=tier, frameworks=chosen, recipient=recipient, recipient_kind=recipient_kind,
        organization=organization, facilitator=facilitator, start=start_date, end=end_date, partner=partner, first_service=first,
    )
    from tacli.config import schema_file, schema_reference, shown_path

    if folder is None:
        folder = shown_path(config.engagements, project=config.folder) if config.engagements else "engagements"
    target_folder = Path(folder)
    name = output or f"{slug(title)}.yaml"
    target = target_folder / name
    schema_path = schema_file(config)
    answers.schema_url = schema_reference(target, schema_path)
    root = target_folder.resolve()
    if Path(name).is_absolute() or not (target.resolve().parent == root or root in target.resolve().parents):
        raise fail(f"--output '{name}' would write outside {folder}: give a file name inside it")
    if target.exists() and not force:
        raise fail(f"{target} already exists: choose another title or --output, or overwrite it with --force")
    text = engagement_text(spec, answers)
    from tacli.yamlsource import load_bytes

    from tacli.rules import BLOCKING_RULE_IDS

    problems = [f for f in Checker(spec, as_of).check_document(load_bytes(text.encode("utf-8"), str(target))) if f.rule in BLOCKING_RULE_IDS]
    if problems:
        raise RuntimeError(f"the scaffold is not a valid engagement: {problems[0].message}")
    from tacli.atomic import write_atomically

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text)
    except OSError as exc:
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {target}")
    typer.echo(f"next: tacli check {target}")
    if not schema_path.exists():
        typer.echo(f"note: editors validate it against {answers.schema_url}, which does not exist yet: write it with `tacli schema -o {shown_path(schema_path)}`", err=True)


def _edit(path: str, spec, as_of, change) -> None:
    """Read, change, validate and save one file; refusals exit 2 and leave it untouched."""
    from pathlib import Path

    from tacli.checker import Checker
    from tacli.edit import EditError, read_for_edit, save_edit

    checker = Checker(spec, as_of)
    try:
        source = read_for_edit(Path(path), checker)
        save_edit(source, change(source), checker)
    except EditError as exc:
        raise fail(str(exc)) from None


@new_app.command("service")
def new_service(
    file: str = typer.Argument(..., metavar="FILE", help="The engagement file."),
    on: str = typer.Option(..., "--date", metavar="YYYY-MM-DD", help="The service date."),
    kind: str = typer.Option(..., "--type", metavar="SUPPORT_TYPE", help="The support type (tacli standards show csde)."),
    hours: Optional[float] = typer.Option(None, "--hours", min=0, max=24, help="Hours of service."),
    mode: str = typer.Option("on-site", "--mode", help="on-site, virtual or telephone."),
    service_id: Optional[str] = typer.Option(None, "--id", help="The service id (default: date and type)."),
    title: Optional[str] = typer.Option(None, "--title", help="A short title."),
    topics: Optional[str] = typer.Option(None, "--topics", help="Comma-separated topic ids."),
    standards: Optional[str] = StandardsOption,
    today: Optional[str] = TodayOption,
) -> None:
    """Add a dated service, with its duties open, to an engagement file."""
    from tacli.models import MODES, SLUG_PATTERN
    from tacli.scaffold import ServiceAnswers, service_id as make_id

    when = _date_option(on, "--date")
    spec = load_standards(standards)
    _choice(kind, spec.ids("support_types"), "support type")
    _choice(mode, MODES, "delivery mode")
    chosen_topics = [t.strip() for t in (topics or "").split(",") if t.strip()]
    for topic in chosen_topics:
        _choice(topic, spec.ids("topics"), "topic")
    import re

    if service_id is not None and not re.match(SLUG_PATTERN, service_id):
        raise fail(f"--id '{service_id}' must be lower-case letters and digits joined by hyphens")
    answers = ServiceAnswers(date=when, type=kind, mode=mode, hours=hours, id=service_id, title=title, topics=chosen_topics)

    def change(source):
        from tacli.edit import add_service

        return add_service(source, spec, answers)

    _edit(file, spec, parse_today(today), change)
    typer.echo(f"added service {make_id(answers)} to {file}")
    typer.echo(f"next: tacli mark {file} DUTY_ID --service {make_id(answers)} --done")


@app.command()
def mark(
    file: str = typer.Argument(..., metavar="FILE", help="The engagement file."),
    duty: str = typer.Argument(..., metavar="DUTY_ID", help="A duty id from the standards (tacli standards show cali)."),
    service: Optional[str] = typer.Option(None, "--service", metavar="ID", help="The service (needed when there are several)."),
    done: bool = typer.Option(False, "--done", help="Mark the duty done."),
    on: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="When it was done (default: today)."),
    evidence: Optional[str] = typer.Option(None, "--evidence", metavar="TEXT", help="What shows it was done."),
    na: Optional[str] = typer.Option(None, "--na", metavar="REASON", help="Mark the duty not applicable, with the reason."),
    reopen: bool = typer.Option(False, "--open", help="Mark the duty open again."),
    standards: Optional[str] = StandardsOption,
    today: Optional[str] = TodayOption,
) -> None:
    """Record a duty's status for a service: done, not applicable, or open."""
    from tacli.edit import DutyChange
    from tacli.suggest import did_you_mean

    chosen = [name for name, given in (("--done", done), ("--na", na is not None), ("--open", reopen)) if given]
    if len(chosen) != 1:
        raise fail("say exactly one of --done, --na REASON or --open")
    if (on or evidence) and not done:
        raise fail("--date and --evidence go with --done")
    if na is not None and not na.strip():
        raise fail("--na needs a reason")
    spec = load_standards(standards)
    if duty not in spec.duty_by_id:
        hint = did_you_mean(duty, spec.duty_by_id) or " `tacli standards show cali` lists the duty ids."
        raise fail(f"unknown duty id '{duty}':{hint}")
    as_of = parse_today(today)
    when = _date_option(on, "--date") or as_of if done else None
    if when and when > as_of:
        raise fail(f"--date {when} is after today ({as_of}): a duty is done when it has happened")
    if done:
        update = DutyChange("done", date=when, evidence=evidence)
    elif na is not None:
        update = DutyChange("not-applicable", reason=na.strip())
    else:
        update = DutyChange("open")

    def change(source):
        from tacli.edit import EditError, mark_duty

        owner = spec.duty_by_id[duty].framework
        listed = source.document.data.get("frameworks") or []
        if owner not in listed:
            raise EditError(f"duty {duty} belongs to '{owner}', which this engagement does not list in frameworks")
        return mark_duty(source, spec, duty, service, update)

    _edit(file, spec, as_of, change)
    typer.echo(f"marked {duty} {update.status} in {file}")


@app.command()
def report(
    paths: Optional[List[str]] = typer.Argument(None, metavar="[PATH]...", help="Engagement files or folders (searched for *.yaml, *.yml). Default: `engagements` of the configuration, else the current folder."),
    kind: Optional[List[str]] = typer.Option(None, "--kind", "-k", metavar="KIND", help="tast, agenda, plan, summary or all (the default); repeat it or separate kinds with commas."),
    service: Optional[str] = typer.Option(None, "--service", metavar="ID", help="Only this service's TAST report and agenda."),
    out_dir: Optional[str] = typer.Option(None, "--out-dir", "-o", metavar="DIR", help="Write the reports under DIR (docs/reports.md; default: `reports` of the configuration); without it, one report goes to standard output."),
    check_only: bool = typer.Option(False, "--check", help="Write nothing: exit 1 and list the reports under --out-dir that are stale, missing or orphaned."),
    prune: bool = typer.Option(False, "--prune", help="With --out-dir: delete orphaned reports (no engagement produces them any more)."),
    templates: Optional[str] = typer.Option(None, "--templates", metavar="DIR", envvar="TACLI_TEMPLATES", help="Folder of templates that override the shipped ones, file by file."),
    config_file: Optional[str] = ConfigOption,
    standards: Optional[str] = StandardsOption,
    today: Optional[str] = TodayOption,
) -> None:
    """Render Markdown reports: TAST reports, agendas, plans and a portfolio summary."""
    from pathlib import Path

    from tacli.checker import UsageError
    from tacli.report import Renderer, ReportUsageError, TemplateProblem, compare, load_engagements, parse_kinds, plan_jobs, render_jobs, write_outputs
    from tacli.textformat import finding_line

    config = load_config_or_exit(config_file)
    if out_dir is None and config.reports is not None:
        from tacli.config import shown_path

        out_dir = shown_path(config.reports, project=config.folder)
    paths = engagement_paths(paths, config)
    if check_only and not out_dir:
        raise fail("--check compares with the reports on disk: give --out-dir DIR (or `reports` in tacli.toml)")
    if prune and (check_only or not out_dir):
        raise fail("--prune deletes orphaned reports under --out-dir: give --out-dir DIR, without --check")
    as_of = parse_today(today)
    target = Path(out_dir) if out_dir else None
    if target is not None and target.exists() and not target.is_dir():
        raise fail(f"--out-dir {out_dir} is a file, not a folder")
    try:
        kinds = parse_kinds(kind)
        renderer = Renderer(Path(templates) if templates else None)
    except (ReportUsageError, TemplateProblem) as exc:
        raise fail(str(exc)) from None
    spec = load_standards(standards, config)
    try:
        engagements, problems = load_engagements(paths, spec)
    except UsageError as exc:
        raise fail(str(exc)) from None
    if problems:
        for item in problems:
            typer.echo(finding_line(item), err=True)
        files = len({item.path for item in problems})
        typer.echo(f"tacli: {files} engagement file{'s' if files != 1 else ''} cannot be reported on: no reports written (`tacli check` explains every problem).", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    if not engagements:
        raise fail(f"no engagement files in {', '.join(paths)}: engagement files have `tacli: 1` at the top")
    try:
        jobs = plan_jobs(engagements, spec, as_of, kinds, service)
    except ReportUsageError as exc:
        raise fail(str(exc)) from None
    if target is None and len(jobs) != 1:
        names = ", ".join(job.path for job in jobs[:3]) + (", ..." if len(jobs) > 3 else "")
        raise fail(f"{len(jobs)} reports to render ({names}): give --out-dir DIR, or pick one with --kind and --service")
    try:
        outputs = render_jobs(renderer, jobs)
    except TemplateProblem as exc:
        raise fail(str(exc)) from None
    if target is None:
        sys.stdout.flush()
        binary = getattr(sys.stdout, "buffer", None)
        if binary is not None:  # UTF-8 and \n whatever the locale: the same bytes as --out-dir writes
            binary.write(outputs[0].text.encode("utf-8"))
        else:
            sys.stdout.write(outputs[0].text)
        sys.stdout.flush()
        return
    shown = target.as_posix().rstrip("/")

    def where(path: str) -> str:
        return f"{shown}/{path}"

    orphans = service is None
    if check_only:
        result = compare(outputs, target, kinds, orphans)
        for label, found in (("stale", result.stale), ("missing", result.missing), ("orphaned", result.orphaned)):
            for path in found:
                typer.echo(f"{label}: {where(path)}")
        if result.ok:
            typer.echo(f"{len(outputs)} report{'s are' if len(outputs) != 1 else ' is'} current in {shown}.")
            raise typer.Exit(EXIT_CLEAN)
        count = len(result.stale) + len(result.missing) + len(result.orphaned)
        fix = "tacli report ... --out-dir " + shown + (" --prune" if result.orphaned else "")
        typer.echo(f"{count} report file{'s are' if count != 1 else ' is'} not current in {shown}: run `{fix}` and commit the result.")
        raise typer.Exit(EXIT_FINDINGS)
    try:
        result = write_outputs(outputs, target, kinds, prune=prune, orphans=orphans)
    except OSError as exc:
        raise fail(f"cannot write in {shown}: {exc.strerror or exc}") from None
    for path in result.missing + result.stale:
        typer.echo(f"wrote {where(path)}")
    for path in result.orphaned:
        if prune:
            typer.echo(f"removed {where(path)}")
        else:
            typer.echo(f"orphaned: {where(path)} (no engagement produces it: delete it, or run again with --prune)", err=True)
    written = len(result.missing) + len(result.stale)
    typer.echo(f"{len(outputs)} report{'s' if len(outputs) != 1 else ''}: {written} written, {len(result.current)} unchanged.")


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
