"""`tacli report`: render the Markdown reports, compare them with the reports
folder, or write the ones that changed."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from tacli.commands import CommonOptions, Session, annual, no_progress
from tacli.core.background import WORTH_IT_FROM
from tacli.core.textformat import plural
from tacli.core.outcome import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, Outcome, UsageError
from tacli.domain.reports import report_path


BACKGROUND_FROM = WORTH_IT_FROM  # engagements from which the summary is made in a forked process while the other reports are written


@dataclass(frozen=True)
class ReportOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    paths: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    service: Optional[str] = None
    out_dir: Optional[str] = None
    check: bool = False
    prune: bool = False
    force: bool = False  # also replace files at report paths that tacli did not write
    templates: Optional[str] = None
    verbose: bool = False  # name every report written or removed, not only the counts
    quiet: bool = False  # no progress bar
    year: Optional[str] = None  # --kind annual: the school year ("2026-27"; default: today's)
    roster: Optional[str] = None  # --kind annual: the roster of the service area (default: `roster` of the configuration)


def usable_engagements(session: Session, given: list[str], bar, also=(), meanwhile=None):
    """Every engagement under the paths `given` (else the configured folder), read
    with a progress bar, for the commands that build from all of them (report,
    site): output.reports.Loaded, the usable ones and the files left out. A usage
    error when paths named hold no engagement file; the configured engagements
    folder may hold none yet (then nothing is built, and a note says so). `also`:
    the work to do on each file as it is read, `meanwhile` the parent's while
    worker processes read (output.reports.load_engagements)."""
    from tacli.output.reports import load_engagements

    paths = session.engagement_paths(given)
    targets = session.engagement_targets(given)  # once: the bar counts them, the checker reads them
    with bar(len(targets), "reading") as done:
        loaded = load_engagements(paths, lambda: session.spec, session.today, done=done, targets=targets, checker=session.checker(), also=also, meanwhile=meanwhile)
    if not loaded.engagements and not loaded.left_out and not session.nothing_yet(given, 0):
        raise UsageError(f"no engagement files in {', '.join(paths)}: engagement files have `tacli: 1` at the top")
    return loaded


def with_left_out(outcome: Outcome, loaded, what: str) -> Outcome:
    """`outcome` with the problems that left files out first, one line that says
    what became of those files, and exit 1 (3 when a bug left one out)."""
    from tacli.checking.checker import exit_code
    from tacli.core.textformat import finding_line

    if not loaded.left_out:
        return outcome
    notes = [finding_line(item) for item in loaded.problems]
    count = len(loaded.left_out)
    notes.append(f"tacli: {plural(count, 'engagement file')} {'is' if count == 1 else 'are'} left out of {what} until fixed (the problems above; `tacli check` shows every finding).")
    code = max(outcome.code, exit_code([item.finding for item in loaded.left_out]))
    return replace(outcome, code=code, notes=notes + list(outcome.notes))


def withdrawn_folders(loaded, folder_of) -> tuple[str, ...]:
    """The folders of what tacli wrote for engagements whose files cannot be used
    now (by their ids, when those can be read and no usable file has them)."""
    produced = {item.identity.id for item in loaded.engagements}
    return tuple(sorted({folder_of(item.engagement_id) for item in loaded.left_out if item.engagement_id and item.engagement_id not in produced}))


def run(options: ReportOptions) -> Outcome:
    bar = options.common.progress
    from tacli.output.reports import parse_kinds, plan_jobs, render_jobs, report_order
    from tacli.output.templates import Renderer

    if annual.asks_annual(options.kinds):
        return _annual(options)
    if options.year is not None or options.roster is not None:
        raise UsageError(f"{'--year' if options.year is not None else '--roster'} goes with --kind annual, the report of a school year")
    session = Session(options.common)
    out_dir = _reports_folder(session, options.out_dir, list(options.paths))
    if options.check and not out_dir:
        where = "give --out-dir DIR" if options.paths else "give --out-dir DIR (or `reports` in tacli.toml)"
        raise UsageError(f"--check compares with the reports on disk: {where}")
    if options.prune and (options.check or not out_dir):
        raise UsageError("--prune deletes orphaned reports under --out-dir: give --out-dir DIR, without --check")
    today = session.today
    target = Path(out_dir) if out_dir else None
    if target is not None and target.exists() and not target.is_dir():
        raise UsageError(f"--out-dir {out_dir} is a file, not a folder")
    if target is not None:
        from tacli.commands.outputs import guard_out_dir

        guard_out_dir(str(out_dir), target, options.paths or [session.config.engagements or "."])
    kinds = parse_kinds(options.kinds)
    renderer = Renderer(Path(options.templates) if options.templates else None)
    also, meanwhile = (), None
    if target is not None and options.service is None and options.templates is None:  # every report, rendered as each file is checked
        from tacli.output.reports import compile_templates, reports_work, summary_work

        also = (reports_work(renderer, kinds, None), summary_work() if "summary" in kinds else None)
        if "summary" in kinds:  # compiled while worker processes check, if any: it is rendered once they are done
            meanwhile = functools.partial(compile_templates, renderer, ("summary",))
    with paused_for_check(options.check):
        loaded = usable_engagements(session, list(options.paths), bar if not options.quiet else no_progress, also, meanwhile)
        if not loaded.engagements and not loaded.left_out:
            return Outcome(EXIT_CLEAN, notes=session.nothing_yet(list(options.paths), 0) + ["tacli: no report written"])
        if target is None and not loaded.engagements:
            return with_left_out(Outcome(EXIT_FINDINGS, ""), loaded, "the report")
        withdrawn = withdrawn_folders(loaded, lambda engagement_id: report_path("plan", engagement_id).rsplit("/", 1)[0] + "/")
        seen_key = None
        if options.check and target is not None and options.service is None:  # a folder found current over the same inputs: its signatures alone
            from tacli.output.reports import reports_check_key

            seen_key = reports_check_key(loaded, renderer, kinds, target, withdrawn)
            count = still_current(loaded.checker.cache, seen_key, target)
            if count is not None:
                return with_left_out(session.with_cache_notes(_current(count, target), options.verbose), loaded, "the reports")
    if target is not None and options.service is None:  # every report: each engagement's rendered only when the cache does not hold it
        from tacli.output.reports import render_reports

        with bar(len(loaded.engagements) + ("summary" in kinds), "rendering", enabled=not options.quiet) as done:
            background = len(loaded.engagements) >= BACKGROUND_FROM  # the summary made in a child while the others are compared or written
            outputs = render_reports(loaded, renderer, kinds, options.templates, done=done, background=background)
            try:  # compared, and written, as they are made
                return _compared_or_written(outputs, target, kinds, options, withdrawn, session, loaded, seen_key)
            finally:
                outputs.close()  # a write that stopped first leaves no worker rendering
    engagements = loaded.engagements
    if options.service is not None:  # only the engagements that hold it are read whole
        from tacli.output.reports import holding_service

        engagements = holding_service(loaded, options.service, kinds)
    elif target is None:  # one report to standard output: found from each engagement's report paths, so that only its engagement is read whole
        from tacli.output.reports import report_paths

        per_file, summary = report_paths(loaded, kinds)
        every = sorted([path for each in per_file for path in each] + ([summary] if summary is not None else []), key=report_order)
        _one_report(every, kinds, session, options)
        if every == [summary]:  # the summary alone, folded from each engagement's part
            from tacli.output.reports import summary_report

            with bar(len(loaded.engagements) + 1, "rendering", enabled=not options.quiet) as done:
                rendered = [summary_report(loaded, renderer, done)]
            return with_left_out(Outcome(EXIT_CLEAN, rendered[0].text), loaded, "the report")
        engagements = [item for item, each in zip(engagements, per_file) if each]
    jobs = plan_jobs(engagements, session.spec, today, kinds, options.service, left_out=loaded.left_out)
    if target is None:
        _one_report([job.path for job in jobs], kinds, session, options)
    with bar(len(jobs), "rendering", enabled=not options.quiet) as done:
        rendered = render_jobs(renderer, jobs, done=done)
    if target is None:
        return with_left_out(Outcome(EXIT_CLEAN, rendered[0].text), loaded, "the report")
    return _compared_or_written(rendered, target, kinds, options, withdrawn, session, loaded, seen_key)


def _one_report(paths: list[str], kinds: tuple[str, ...], session: Session, options: ReportOptions) -> None:
    """A UsageError unless `paths` (in report order) name exactly one report: standard output takes one."""
    if not paths:
        raise UsageError(f"no {' or '.join(kinds)} report to render for the engagements given: a TAST report is for an engagement that lists a framework with a duty matrix and report (CALI), an agenda for each service")
    if len(paths) != 1:
        names = ", ".join(paths[:3]) + (", ..." if len(paths) > 3 else "")
        configured = session.reports_folder(None)
        hint = f" (`tacli report` with no file refreshes every report in {configured})" if configured and options.paths else ""
        raise UsageError(f"{len(paths)} reports to render ({names}): give --out-dir DIR, or pick one with --kind and --service{hint}")


def _compared_or_written(outputs, target: Path, kinds, options: ReportOptions, withdrawn: tuple[str, ...], session: Session, loaded, seen_key) -> Outcome:
    """`outputs` compared with the reports folder (--check), or written there."""
    if options.check:
        outcome = _check(outputs, target, kinds, options, withdrawn, remembering(loaded.checker.cache, seen_key))
    else:
        outcome = _write(outputs, target, kinds, options, withdrawn)
    return with_left_out(session.with_cache_notes(outcome, options.verbose), loaded, "the reports")


def _annual(options: ReportOptions) -> Outcome:
    """`tacli report --kind annual`: the annual report of a school year, to standard output."""
    annual.check_report_options(options)
    session = Session(options.common)
    year = annual.school_year(session, options.year)
    session.roster(options.roster)  # a roster that cannot be used stops the command before any file is read
    loaded = usable_engagements(session, list(options.paths), options.common.progress if not options.quiet else no_progress)
    if not loaded.engagements and not loaded.left_out and session.nothing_yet(list(options.paths), 0):
        return Outcome(EXIT_CLEAN, notes=session.nothing_yet(list(options.paths), 0) + ["tacli: no report written"])
    return with_left_out(annual.report(session, loaded, year, options.roster, options.templates, options.year is None), loaded, "the annual report")


def _reports_folder(session: Session, given: Optional[str], paths: list[str]) -> Optional[str]:
    """--out-dir, else `reports` of the configuration, which must lie inside the
    project: a pull request must not make CI write anywhere else. The configured
    folder holds the reports of the configured engagements folder, its summary
    theirs: a run over files named on the command line writes there only when
    told to (--out-dir), so `tacli report FILE` never rewrites the summary for one
    engagement or calls the others' reports orphaned."""
    from tacli.core.paths import is_inside

    if given is None and paths:
        return None
    if given is None and session.config.reports is not None and not is_inside(session.config.reports, session.config.folder):
        raise UsageError(f"the reports folder {session.config.reports} ({session.config.source('reports')}) lies outside the project folder {session.config.folder}: give it with --out-dir to write there")
    return session.reports_folder(given)


_LABELS = (("stale", "stale"), ("missing", "missing"), ("orphaned", "orphaned"), ("withdrawn", "of a file that cannot be used now"), ("foreign", "not tacli's"), ("linked", "behind a link"))


SEEN = "outputs-seen"  # the kind of the cache's entries of folders found current (write.output_files.SeenState)


def paused_for_check(check: bool):
    """For a --check, the collector paused while the engagements are read and
    the folder is asked whether it is current (still_current): all that a
    --check over an unchanged portfolio does. A folder found not current is
    compared with the collector running again, as a write is made:
    rendering every page leaves cycles behind."""
    from contextlib import nullcontext

    from tacli.core.collector import paused

    return paused() if check else nullcontext()


def still_current(cache, key: Optional[bytes], target: Path) -> Optional[int]:
    """The number of files of a folder a --check found current over the same
    inputs, when every one of them and their folders still has its signature
    (nothing read, nothing rendered); None: compare them again."""
    from tacli.write.output_files import SeenState

    state = cache.get(key, None) if key is not None else None
    return len(state.files) if isinstance(state, SeenState) and state.holds(target) else None


def remembering(cache, key: Optional[bytes]):
    """What keeps a folder's SeenState when a --check found it current (None: nothing is kept)."""
    if key is None:
        return None

    def keep(state) -> None:
        cache.put(key, SEEN, state)
        cache.flush()

    return keep


def _current(count: int, target: Path) -> Outcome:
    return Outcome(EXIT_CLEAN, _lines([f"{count} report{'s are' if count != 1 else ' is'} current in {target.as_posix().rstrip('/')}."]))


def _check(outputs, target: Path, kinds, options: ReportOptions, withdrawn: tuple[str, ...] = (), keep=None) -> Outcome:
    from tacli.output.reports import report_order
    from tacli.write.output_files import compare

    shown = target.as_posix().rstrip("/")
    result = compare(outputs, target, kinds, orphans=options.service is None, withdrawn=withdrawn, remember=keep is not None, order=report_order)
    lines = [f"{label}: {shown}/{path}" for name, label in _LABELS for path in getattr(result, name)]
    if result.ok:
        if result.state is not None and keep is not None:
            keep(result.state)
        return _current(result.outputs, target)
    count = sum(len(getattr(result, name)) for name, _ in _LABELS)
    fix = "tacli report ... --out-dir " + shown + (" --prune" if result.orphaned else "")
    lines.append(f"{count} report file{'s are' if count != 1 else ' is'} not current in {shown}: run `{fix}` and commit the result.")
    return Outcome(EXIT_FINDINGS, _lines(lines), notes=_left_alone(result, shown))


def blocked(result, shown: str, force: bool, folder: str, what: tuple[str, str]) -> Outcome:
    """The refusal when files in `folder` stand in the way (report, site): each
    link, and each file tacli did not write (without --force), with what to do.
    An output file tacli cannot write: exit 2, as for any run it cannot make as asked."""
    notes = [f"behind a link: {shown}/{path} (tacli writes nothing through symbolic links in {folder}: remove the link)" for path in result.linked]
    if not force:
        notes += [f"not tacli's: {shown}/{path} (tacli did not write this file, so it will not replace it: move it away, or run again with --force)" for path in result.foreign]
    noun, outcome = what
    notes.append(f"tacli: {plural(len(notes), noun)} cannot be written: {outcome}.")
    return Outcome(EXIT_USAGE, notes=notes)


def _write(outputs, target: Path, kinds, options: ReportOptions, withdrawn: tuple[str, ...] = ()) -> Outcome:
    from tacli.output.reports import report_order
    from tacli.write.output_files import write_outputs

    shown = target.as_posix().rstrip("/")
    try:
        result = write_outputs(outputs, target, kinds, prune=options.prune, orphans=options.service is None, force=options.force, withdrawn=withdrawn, order=report_order)
    except OSError as exc:
        raise UsageError(f"cannot write in {shown}: {exc.strerror or exc}") from None
    if result.blocked(options.force):
        return blocked(result, shown, options.force, "the reports folder", ("report", "no reports written"))
    written_paths = result.missing + result.stale + (result.foreign if options.force else [])
    lines = [f"wrote {shown}/{path}" for path in written_paths] if options.verbose else []
    notes = _left_alone(result, shown)
    for path in result.orphaned:
        if not options.prune:
            notes.append(f"orphaned: {shown}/{path} (no engagement produces it: delete it, or run again with --prune)")
        elif options.verbose:
            lines.append(f"removed {shown}/{path}")
    for path in result.withdrawn:
        (lines if options.verbose else []).append(f"removed {shown}/{path} (its engagement file cannot be used now)")
    gone = len(result.orphaned if options.prune else []) + len(result.withdrawn)
    removed = f", {gone} removed" if gone else ""
    lines.append(f"{plural(result.outputs, 'report')} in {shown}: {len(written_paths)} written, {len(result.current)} unchanged{removed}.")
    return Outcome(EXIT_CLEAN, _lines(lines), notes=notes)


def _left_alone(result, shown: str) -> list[str]:
    return [f"left alone: {shown}/{path} is named like a report but tacli did not write it: move it out of the reports folder, or delete it if it is not needed" for path in result.left_alone]


def _lines(lines: list[str]) -> str:
    from tacli.core.textformat import visible

    return "".join(visible(line) + "\n" for line in lines)
