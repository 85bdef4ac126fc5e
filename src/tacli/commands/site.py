"""`tacli site`: render the static HTML site, compare it with the folder it
lives in, or write the files that changed (and remove tacli's pages that no
engagement produces any more)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from tacli.commands import CommonOptions, Session, no_progress
from tacli.core.textformat import plural
from tacli.core.background import WORTH_IT_FROM
from tacli.core.outcome import EXIT_CLEAN, EXIT_FINDINGS, Outcome, UsageError

BACKGROUND_FROM = WORTH_IT_FROM  # engagements from which the pages of every engagement are rendered in a forked process while the others are written

_LABELS = (("stale", "stale"), ("missing", "missing"), ("orphaned", "orphaned"), ("foreign", "not tacli's"), ("linked", "behind a link"))


@dataclass(frozen=True)
class SiteOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    paths: tuple[str, ...] = ()
    out_dir: str = ""
    check: bool = False
    force: bool = False  # also replace files at the site's paths that tacli did not write
    verbose: bool = False  # name every file written or removed, not only the counts
    quiet: bool = False  # no progress bar
    roster: Optional[str] = None  # --roster FILE: the service area's roster, for coverage and the annual report's shares


def run(options: SiteOptions) -> Outcome:
    from tacli.commands.outputs import guard_out_dir
    from tacli.commands.report import paused_for_check, usable_engagements, with_left_out
    bar = options.common.progress

    if not options.out_dir:
        raise UsageError("give the folder to write the site in: --out-dir DIR")
    target = Path(options.out_dir)
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out-dir {options.out_dir} is a file, not a folder")
    session = Session(options.common)
    guard_out_dir(options.out_dir, target, options.paths or [session.config.engagements or "."])
    today = session.today
    roster = session.roster(options.roster)
    with paused_for_check(options.check):
        loaded = usable_engagements(session, list(options.paths), bar if not options.quiet else no_progress, _work_beside_the_check, _ready_the_portfolio_pages)
        if not loaded.engagements and not loaded.left_out:
            return Outcome(EXIT_CLEAN, notes=session.nothing_yet(list(options.paths), 0) + ["tacli: no page written"])
        seen_key = None
        if options.check:  # a folder found current over the same inputs: its signatures alone
            from tacli.commands.report import still_current
            from tacli.output.site_layout import site_check_key

            seen_key = site_check_key(loaded, roster, target)
            count = still_current(loaded.checker.cache, seen_key, target)
            if count is not None:
                return with_left_out(session.with_cache_notes(_current(count, target), options.verbose), loaded, "the site")
    from tacli.output.site import site_in_parts

    with bar(len(loaded.engagements) + 1, "rendering", enabled=not options.quiet) as done:
        # Writing: the pages of every engagement are rendered in a forked process
        # while the engagements' own pages are written (core.background).
        background = not options.check and len(loaded.engagements) >= BACKGROUND_FROM
        pages, rest = site_in_parts(loaded.engagements, lambda: session.spec, today, done=done, left_out=loaded.left_out, roster=roster, loaded=loaded, background=background)
        every_page = _every_page(pages, rest)
        try:
            if options.check:
                from tacli.commands.report import remembering

                outcome = _check(every_page, target, remembering(loaded.checker.cache, seen_key))
            else:
                outcome = _write(every_page, target, options)
        finally:
            every_page.close()  # a write that stopped first leaves no worker rendering
            rest.abandon()  # nor a child
    outcome = session.with_cache_notes(outcome, options.verbose)
    return with_left_out(outcome, loaded, "the site")


def _work_beside_the_check() -> tuple:
    """What the site asks of each file while the check has it in hand: its pages,
    its figures and its part of the portfolio pages (Checker.also). Asked for
    only when a file is worked out: a run that finds every file kept imports
    the site's rendering only if a page must be made."""
    from tacli.output.site import figures_work, pages_work, portfolio_work

    return (pages_work(), figures_work(), portfolio_work())


def _ready_the_portfolio_pages() -> None:
    """While worker processes check the files and render their pages, the
    parent, which waits for them, compiles the templates of the pages of every
    engagement: they are rendered after the check, when no worker is left to
    share the time with."""
    from tacli.output.site import compile_portfolio_templates

    compile_portfolio_templates()


def _every_page(pages, rest):
    """The engagements' own pages as they are made, then those of every engagement (`rest()`)."""
    yield from pages
    yield from rest()


def _shown(target: Path) -> str:
    return target.as_posix().rstrip("/")


def _current(count: int, target: Path) -> Outcome:
    return Outcome(EXIT_CLEAN, _lines([f"{plural(count, 'file')} in {_shown(target)}: the site is current."]))


def _check(outputs, target: Path, keep=None) -> Outcome:
    from tacli.write.output_files import compare
    from tacli.output.site_layout import SITE_LAYOUT

    shown = _shown(target)
    result = compare(outputs, target, (), layout=SITE_LAYOUT, remember=keep is not None)
    lines = [f"{label}: {shown}/{path}" for name, label in _LABELS for path in getattr(result, name)]
    if result.ok:
        if result.state is not None and keep is not None:
            keep(result.state)
        return _current(result.outputs, target)
    count = sum(len(getattr(result, name)) for name, _ in _LABELS)
    lines.append(f"{plural(count, 'file')} of the site in {shown} not current: run `tacli site ... --out-dir {shown}` and commit the result.")
    return Outcome(EXIT_FINDINGS, _lines(lines))


def _write(outputs, target: Path, options: SiteOptions) -> Outcome:
    """`outputs` written, all or none, as they are made (write_outputs)."""
    from tacli.commands.report import blocked
    from tacli.write.output_files import write_outputs
    from tacli.output.site_layout import SITE_LAYOUT

    shown = _shown(target)
    try:
        result = write_outputs(outputs, target, (), prune=True, force=options.force, layout=SITE_LAYOUT)
    except OSError as exc:
        raise UsageError(f"cannot write in {shown}: {exc.strerror or exc}") from None
    if result.blocked(options.force):
        return blocked(result, shown, options.force, "the site's folder", ("file", "no page written"))
    written = result.missing + result.stale + (result.foreign if options.force else [])
    lines = []
    if options.verbose:
        lines += [f"wrote {shown}/{path}" for path in sorted(written)]
        lines += [f"removed {shown}/{path}" for path in result.orphaned]
    lines.append(f"{plural(result.outputs, 'file')} in {shown}: {len(written)} written, {len(result.current)} unchanged, {len(result.orphaned)} removed.")
    return Outcome(EXIT_CLEAN, _lines(lines))


def _lines(lines: list[str]) -> str:
    from tacli.core.textformat import visible

    return "".join(visible(line) + "\n" for line in lines)
