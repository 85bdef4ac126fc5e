"""`tacli check`: check engagement files and report the findings in a format."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from tacli.commands import CommonOptions, Session
from tacli.core.outcome import Outcome, UsageError


@dataclass(frozen=True)
class CheckOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    paths: tuple[str, ...] = ()
    format: Optional[str] = None  # None: the default for where the output goes
    output: Optional[str] = None
    select: Optional[tuple[str, ...]] = None
    ignore: Optional[tuple[str, ...]] = None
    skip_other_yaml: bool = False
    jobs: Optional[int] = None
    terminal: bool = False  # standard output is a terminal that takes colour
    quiet: bool = False  # only the summary line, no progress bar
    force: bool = False  # replace a file at --output that tacli did not write
    roster: Optional[str] = None  # --roster FILE: the service area's roster, for coverage


def with_coverage(result, roster, checker, targets, jobs, rules, today):
    """The check's result with the coverage of the roster: its recipients without
    TA, and the engagements whose recipient is not on it (checking.checks.roster)."""
    from tacli.checking.checker import CheckResult
    from tacli.checking.checks.roster import coverage_findings, roster_facts
    from tacli.core.findings import Finding

    facts = [item for item in checker.map_files(targets, roster_facts, jobs) if item is not None]
    found = coverage_findings(roster, facts, today)
    if rules is not None:
        found = rules.apply(found)
    return CheckResult(result.files, sorted(result.findings + found, key=Finding.sort_key))


class _Catalogue(Sequence):
    """Every rule (checking.catalogue.ALL_RULES), imported when a format asks for
    it (SARIF and JUnit list every rule): importing it imports every check, which
    a run whose files are all in tacli's cache needs no other way."""

    def _rules(self) -> tuple:
        from tacli.checking.catalogue import ALL_RULES

        return ALL_RULES

    def __getitem__(self, index):
        return self._rules()[index]

    def __len__(self) -> int:
        return len(self._rules())


def run(options: CheckOptions) -> Outcome:
    from tacli.checking.checker import exit_code
    from tacli.output.check_formats import CheckRun, choose_format
    from tacli.commands.outputs import findings_report, guard_output
    from tacli.core.textformat import summary_line

    session = Session(options.common)
    config = session.config
    if options.select is not None or options.ignore is not None:  # the selection module only then
        from tacli.checking.selection import parse_rule_list

        config = config.with_rule_options(parse_rule_list(options.select), parse_rule_list(options.ignore))
    formatter = choose_format(options.format, to_file=options.output is not None, terminal=options.terminal)
    today = session.today
    targets = session.engagement_targets(list(options.paths), skip_other_yaml=options.skip_other_yaml)
    if options.output is not None:  # before any work: nothing a user wrote is replaced
        guard_output(options.output, Path(options.output), findings_report, targets, options.force, "the findings")
    bar = options.common.progress

    if options.quiet and formatter.name not in ("text", "terminal"):
        raise UsageError(f"--quiet prints the summary line of the text output: it does not go with --format {formatter.name}")
    if not targets:
        session.spec  # noqa: B018 - standards that cannot be used are an error even with no file to check
    roster = session.roster(options.roster)
    with bar(len(targets), "checking", enabled=not options.quiet) as done:
        result = session.checker(config.rules).check(targets, options.jobs, done=done)
    if roster is not None:
        result = with_coverage(result, roster, session.checker(), targets, options.jobs, config.rules, today)
    root = Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd())
    run = CheckRun(result, _Catalogue(), config.rules, today, root=root)
    text = summary_line(result.findings, len(result.checked), len(result.skipped)) + "\n" if options.quiet else formatter.render(run)
    code = exit_code(result.findings)
    notes = session.nothing_yet(list(options.paths), len(result.checked))
    if options.output is None:
        return Outcome(code, text, notes=notes, exact=formatter.name != "terminal")
    output = Path(options.output)
    note = f"wrote {options.output}: {summary_line(result.findings, len(result.checked), len(result.skipped))}"
    return Outcome(code, text, output, notes + [note])

