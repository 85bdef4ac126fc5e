"""`tacli report`: render the Markdown reports, compare them with the reports
folder, or write the ones that changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from tacli.commands import CommonOptions, Session, plural
from tacli.outcome import EXIT_CLEAN, EXIT_FINDINGS, Outcome, UsageError


@dataclass(frozen=True)
class ReportOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    paths: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    service: Optional[str] = None
    out_dir: Optional[str] = None
    check: bool = False
    prune: bool = False
    templates: Optional[str] = None


def run(options: ReportOptions) -> Outcome:
    from tacli.report import load_engagements, parse_kinds, plan_jobs, render_jobs
    from tacli.templates import Renderer
    from tacli.textformat import finding_line

    session = Session(options.common)
    out_dir = session.reports_folder(options.out_dir)
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
    engagements, problems = load_engagements(paths, spec, today)
    if problems:
        files = len({item.path for item in problems})
        notes = [finding_line(item) for item in problems]
        notes.append(f"tacli: {plural(files, 'engagement file')} cannot be reported on: no reports written (`tacli check` explains every problem).")
        return Outcome(EXIT_FINDINGS, notes=notes)
    if not engagements:
        raise UsageError(f"no engagement files in {', '.join(paths)}: engagement files have `tacli: 1` at the top")
    jobs = plan_jobs(engagements, spec, today, kinds, options.service)
    if target is None and len(jobs) != 1:
        names = ", ".join(job.path for job in jobs[:3]) + (", ..." if len(jobs) > 3 else "")
        raise UsageError(f"{len(jobs)} reports to render ({names}): give --out-dir DIR, or pick one with --kind and --service")
    outputs = render_jobs(renderer, jobs)
    if target is None:
        return Outcome(EXIT_CLEAN, outputs[0].text)
    return _check(outputs, target, kinds, options) if options.check else _write(outputs, target, kinds, options)


def _check(outputs, target: Path, kinds, options: ReportOptions) -> Outcome:
    from tacli.reportfiles import compare

    shown = target.as_posix().rstrip("/")
    result = compare(outputs, target, kinds, orphans=options.service is None)
    lines = [f"{label}: {shown}/{path}" for label, found in (("stale", result.stale), ("missing", result.missing), ("orphaned", result.orphaned)) for path in found]
    if result.ok:
        lines.append(f"{len(outputs)} report{'s are' if len(outputs) != 1 else ' is'} current in {shown}.")
        return Outcome(EXIT_CLEAN, _lines(lines))
    count = len(result.stale) + len(result.missing) + len(result.orphaned)
    fix = "tacli report ... --out-dir " + shown + (" --prune" if result.orphaned else "")
    lines.append(f"{count} report file{'s are' if count != 1 else ' is'} not current in {shown}: run `{fix}` and commit the result.")
    return Outcome(EXIT_FINDINGS, _lines(lines))


def _write(outputs, target: Path, kinds, options: ReportOptions) -> Outcome:
    from tacli.reportfiles import write_outputs

    shown = target.as_posix().rstrip("/")
    try:
        result = write_outputs(outputs, target, kinds, prune=options.prune, orphans=options.service is None)
    except OSError as exc:
        raise UsageError(f"cannot write in {shown}: {exc.strerror or exc}") from None
    lines = [f"wrote {shown}/{path}" for path in result.missing + result.stale]
    notes = []
    for path in result.orphaned:
        if options.prune:
            lines.append(f"removed {shown}/{path}")
        else:
            notes.append(f"orphaned: {shown}/{path} (no engagement produces it: delete it, or run again with --prune)")
    written = len(result.missing) + len(result.stale)
    lines.append(f"{plural(len(outputs), 'report')}: {written} written, {len(result.current)} unchanged.")
    return Outcome(EXIT_CLEAN, _lines(lines), notes=notes)


def _lines(lines: list[str]) -> str:
    from tacli.textformat import visible

    return "".join(visible(line) + "\n" for line in lines)
