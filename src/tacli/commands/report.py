"""`tacli report`: render the Markdown reports, compare them with the reports
folder, or write the ones that changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from tacli.commands import CommonOptions, Session, no_progress
from tacli.core.textformat import plural
from tacli.core.outcome import EXIT_CLEAN, EXIT_FINDINGS, Outcome, UsageError


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


def usable_engagements(paths: list[str], spec, today, bar, refusal: str):
    """Every engagement under `paths`, read with a progress bar, for the commands
    that need them all usable (report, site): (engagements, None), or (None, the
    outcome that names each problem, then `refusal`: what was not done)."""
    from tacli.checking.checker import exit_code
    from tacli.reading.pipeline import find_targets
    from tacli.output.reports import load_engagements
    from tacli.core.textformat import finding_line

    targets = find_targets(paths)  # once: the bar counts them, the checker reads them
    with bar(len(targets), "reading") as done:
        engagements, problems = load_engagements(paths, spec, today, done=done, targets=targets)
    if problems:
        files = len({item.path for item in problems})
        notes = [finding_line(item) for item in problems]
        notes.append(f"tacli: {plural(files, 'engagement file')} {refusal} (`tacli check` explains every problem).")
        return None, Outcome(exit_code(problems), notes=notes)
    if not engagements:
        raise UsageError(f"no engagement files in {', '.join(paths)}: engagement files have `tacli: 1` at the top")
    return engagements, None


def run(options: ReportOptions) -> Outcome:
    bar = options.common.progress
    from tacli.output.reports import parse_kinds, plan_jobs, render_jobs
    from tacli.output.templates import Renderer

    session = Session(options.common)
    out_dir = _reports_folder(session, options.out_dir)
    paths = session.engagement_paths(list(options.paths))
    if options.check and not out_dir:
        raise UsageError("--check compares with the reports on disk: give --out-dir DIR (or `reports` in tacli.toml)")
    if options.prune and (options.check or not out_dir):
        raise UsageError("--prune deletes orphaned reports under --out-dir: give --out-dir DIR, without --check")
    today = session.today
    target = Path(out_dir) if out_dir else None
    if target is not None and target.exists() and not target.is_dir():
        raise UsageError(f"--out-dir {out_dir} is a file, not a folder")
    kinds = parse_kinds(options.kinds)
    renderer = Renderer(Path(options.templates) if options.templates else None)
    spec = session.spec
    engagements, refused = usable_engagements(paths, spec, today, bar if not options.quiet else no_progress, "cannot be reported on: no reports written")
    if refused is not None:
        return refused
    jobs = plan_jobs(engagements, spec, today, kinds, options.service)
    if target is None and len(jobs) != 1:
        names = ", ".join(job.path for job in jobs[:3]) + (", ..." if len(jobs) > 3 else "")
        raise UsageError(f"{len(jobs)} reports to render ({names}): give --out-dir DIR, or pick one with --kind and --service")
    with bar(len(jobs), "rendering", enabled=not options.quiet) as done:
        outputs = render_jobs(renderer, jobs, done=done)
    if target is None:
        return Outcome(EXIT_CLEAN, outputs[0].text)
    return _check(outputs, target, kinds, options) if options.check else _write(outputs, target, kinds, options)


def _reports_folder(session: Session, given: Optional[str]) -> Optional[str]:
    """--out-dir, else `reports` of the configuration, which must lie inside the
    project: a pull request must not make CI write anywhere else."""
    from tacli.core.paths import is_inside

    if given is None and session.config.reports is not None and not is_inside(session.config.reports, session.config.folder):
        raise UsageError(f"the reports folder {session.config.reports} ({session.config.source('reports')}) lies outside the project folder {session.config.folder}: give it with --out-dir to write there")
    return session.reports_folder(given)


_LABELS = (("stale", "stale"), ("missing", "missing"), ("orphaned", "orphaned"), ("foreign", "not tacli's"), ("linked", "behind a link"))


def _check(outputs, target: Path, kinds, options: ReportOptions) -> Outcome:
    from tacli.write.output_files import compare

    shown = target.as_posix().rstrip("/")
    result = compare(outputs, target, kinds, orphans=options.service is None)
    lines = [f"{label}: {shown}/{path}" for name, label in _LABELS for path in getattr(result, name)]
    if result.ok:
        lines.append(f"{len(outputs)} report{'s are' if len(outputs) != 1 else ' is'} current in {shown}.")
        return Outcome(EXIT_CLEAN, _lines(lines))
    count = sum(len(getattr(result, name)) for name, _ in _LABELS)
    fix = "tacli report ... --out-dir " + shown + (" --prune" if result.orphaned else "")
    lines.append(f"{count} report file{'s are' if count != 1 else ' is'} not current in {shown}: run `{fix}` and commit the result.")
    return Outcome(EXIT_FINDINGS, _lines(lines), notes=_left_alone(result, shown))


def blocked(result, shown: str, force: bool, folder: str, what: tuple[str, str]) -> Outcome:
    """The refusal when files in `folder` stand in the way (report, site): each
    link, and each file tacli did not write (without --force), with what to do."""
    notes = [f"behind a link: {shown}/{path} (tacli writes nothing through symbolic links in {folder}: remove the link)" for path in result.linked]
    if not force:
        notes += [f"not tacli's: {shown}/{path} (tacli did not write this file, so it will not replace it: move it away, or run again with --force)" for path in result.foreign]
    noun, outcome = what
    notes.append(f"tacli: {plural(len(notes), noun)} cannot be written: {outcome}.")
    return Outcome(EXIT_FINDINGS, notes=notes)


def _write(outputs, target: Path, kinds, options: ReportOptions) -> Outcome:
    from tacli.write.output_files import write_outputs

    shown = target.as_posix().rstrip("/")
    try:
        result = write_outputs(outputs, target, kinds, prune=options.prune, orphans=options.service is None, force=options.force)
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
    removed = f", {len(result.orphaned)} removed" if options.prune and result.orphaned else ""
    lines.append(f"{plural(len(outputs), 'report')} in {shown}: {len(written_paths)} written, {len(result.current)} unchanged{removed}.")
    return Outcome(EXIT_CLEAN, _lines(lines), notes=notes)


def _left_alone(result, shown: str) -> list[str]:
    return [f"left alone: {shown}/{path} is named like a report but tacli did not write it" for path in result.left_alone]


def _lines(lines: list[str]) -> str:
    from tacli.core.textformat import visible

    return "".join(visible(line) + "\n" for line in lines)
