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


def roster_work():
    """What coverage needs of each usable engagement (`_roster_facts`), as a
    FileWork kept in the cache: done while the check has the file in hand
    (Checker.also), so no file is read again for the roster."""
    from tacli.checking.checker import FileWork

    return FileWork(_roster_facts, "roster-facts", dated=False)


def _roster_facts(checker, target):
    """The engagement's recipient and services (domain.coverage.Served), and where
    its recipient's name is written; None for a file that is not a usable
    engagement (the check reports it)."""
    from tacli.domain.coverage import served_by

    try:
        result = checker.read(target)
    except Exception:  # noqa: BLE001 - the check itself reports what is wrong with the file
        return None
    if not result.usable:
        return None
    return served_by(result.name, result.engagement), result.document.locate(("recipient", "name"))


def with_coverage(result, roster, checker, targets, work, jobs, rules, today):
    """The check's result with the coverage of the roster: its recipients without
    TA, and the engagements whose recipient is not on it (checking.checks.roster),
    from the facts of each file the check found usable (`work`: roster_work)."""
    from tacli.checking.checker import CheckResult
    from tacli.checking.checks.roster import coverage_findings
    from tacli.core.findings import Finding

    usable = [target for target, file in zip(targets, result.files) if file.usable]
    facts = [item for item in checker.map_files(usable, work, jobs) if item is not None]
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
    """Check the files and render what was found, the collector paused
    throughout (core.collector): a warm check of 10,000 files holds every
    finding it read from the cache, and a full pass over them while sorting
    or rendering cost a seventh of the run."""
    from tacli.core.collector import paused

    with paused():
        return _run(options)


def _run(options: CheckOptions) -> Outcome:
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
    checker = session.checker(config.rules)
    work = roster_work() if roster is not None else None
    checker.also = (work,) if work is not None else ()
    with bar(len(targets), "checking", enabled=not options.quiet) as done:
        result = checker.check(targets, options.jobs, done=done)
    if work is not None:
        result = with_coverage(result, roster, checker, targets, work, options.jobs, config.rules, today)
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

