"""The annual figures of a school year as a command gives them: `tacli report
--kind annual` (Markdown to standard output) and `tacli export --table annual`
(a long table: one row a figure and breakdown, with the files it came from).

Both read the engagements as `tacli report` does (only usable files; those
left out are named and make the exit code 1) and ask tacli.domain.annual for
every number, so the report and the export never disagree."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from tacli.commands import Session
from tacli.core.outcome import EXIT_CLEAN, Outcome, UsageError
from tacli.domain.reports import REPORT_KINDS

ANNUAL = "annual"
# What --kind takes, for completion: the kinds written under --out-dir, `all`, and the annual report.
KINDS = REPORT_KINDS + ("all", ANNUAL)


def asks_annual(kinds) -> bool:
    """Whether --kind names the annual report (alone, or among others: refused then)."""
    names = {part.strip() for value in kinds or () for part in value.split(",") if part.strip()}
    if ANNUAL not in names:
        return False
    if names != {ANNUAL}:
        others = ", ".join(sorted(names - {ANNUAL}))
        raise UsageError(f"--kind annual is a report of its own, for one school year: give it alone, not with {others}")
    return True


def school_year(session: Session, given: Optional[str]) -> str:
    """--year as a school year label ("2026-27"); without it, the school year of today (--today)."""
    from tacli.domain.annual import school_year_label
    from tacli.domain.school_years import school_year as year_of

    if given is None:
        return year_of(session.today)
    try:
        return school_year_label(given)
    except ValueError as exc:
        raise UsageError(f"--year {exc}") from None


def figures(session: Session, loaded, year: str, roster: Optional[str]):
    """The annual figures of the school year `year` over the engagements loaded
    (commands.report.usable_engagements), with the roster's coverage: the sum
    of each engagement's part, as the site's annual pages add them
    (output.site.portfolio_work: kept in tacli's cache, worked out on every
    core, no engagement held whole here)."""
    from tacli.domain.annual import annual_sum
    from tacli.output.site import portfolio_work

    found_roster = session.roster(roster)
    parts = loaded.each(portfolio_work())
    return annual_sum(session.spec, [part.annual_part(year) for part in parts], year, session.today, found_roster)


def year_notes(found, defaulted: bool) -> list[str]:
    """Without --year, when today's school year has no service held yet (in July,
    say), the note that names the year before, the one a report is likely for."""
    if not defaulted or found.value("services") or found.complete:
        return []
    from tacli.domain.school_years import school_year as year_of
    from tacli.core.dates import add_days

    before = year_of(add_days(found.first, -1))
    if before == found.year:  # the first school year a date can be in: none before it
        return [f"tacli: the school year {found.year} has no service held yet (through {found.through})"]
    return [f"tacli: the school year {found.year} has no service held yet (through {found.through}); the year before: --year {before}"]


def check_report_options(options) -> None:
    """What `tacli report --kind annual` does not take."""
    if options.service is not None:
        raise UsageError("--service picks one service's reports; the annual report is of every engagement: leave --service out")
    if options.out_dir is not None or options.check or options.prune:
        raise UsageError("the annual report goes to standard output: leave --out-dir, --check and --prune out, and redirect it (> annual.md)")


def report(session: Session, loaded, year: str, roster: Optional[str], templates: Optional[str], defaulted: bool = False) -> Outcome:
    """`tacli report --kind annual`: the report's Markdown, for standard output."""
    from tacli.output.templates import Renderer
    from tacli.output.views.annual import annual_context
    from tacli.output.views.common import Lookups
    from tacli.write.output_files import with_marker

    renderer = Renderer(Path(templates) if templates else None)
    found = figures(session, loaded, year, roster)
    context = annual_context(session.spec, found, Lookups(session.spec), loaded.left_out)
    [text] = renderer.render_all([(ANNUAL, lambda: context)])  # the user's template, if any, in its child process and limits
    return Outcome(EXIT_CLEAN, with_marker(text), notes=year_notes(found, defaulted))


def table(session: Session, loaded, year: str, roster: Optional[str], defaulted: bool = False):
    """`tacli export --table annual`: the table, the exit code (1 when a file is
    left out: a row names it), and the notes for standard error."""
    from tacli.checking.checker import exit_code
    from tacli.core.textformat import plural
    from tacli.output.export_tables import Table, annual_rows, columns

    found = figures(session, loaded, year, roster)
    built = Table("annual", columns("annual", session.spec), annual_rows(found, loaded.left_out, session.spec))
    if not loaded.left_out:
        return built, EXIT_CLEAN, year_notes(found, defaulted)
    names = [item.name for item in loaded.left_out]
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    note = f"tacli: {plural(len(names), 'file')} left out of the annual figures, not usable: {shown} (a row each, at the end, says what to fix; tacli check explains)"
    return built, max(1, exit_code([item.finding for item in loaded.left_out])), [note] + year_notes(found, defaulted)
