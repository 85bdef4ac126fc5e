"""`tacli export`: the engagements, services, duties or findings as one flat
table, for spreadsheets and data systems (docs/exports.md).

Exit codes: 0 when every engagement is in the table; 1 when a file was left
out because it is not a valid engagement (the table is written all the same,
with a row that names the file and what to fix, and a note names the files);
2 for a usage error. The findings table exits
as `tacli check` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from tacli.commands import CommonOptions, Session
from tacli.core.suggest import choice
from tacli.core.textformat import plural
from tacli.core.outcome import EXIT_CLEAN, EXIT_FINDINGS, Outcome, UsageError


@dataclass(frozen=True)
class ExportOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    paths: tuple[str, ...] = ()
    table: str = ""
    format: Optional[str] = None  # None: from the output file's suffix, else csv
    output: Optional[str] = None
    bom: bool = False
    force: bool = False  # replace a file at --output that tacli did not write
    terminal: bool = False  # standard output is a terminal
    year: Optional[str] = None  # --table annual: the school year ("2026-27"; default: today's)
    roster: Optional[str] = None  # --table annual: the roster of the service area (default: `roster` of the configuration)


def run(options: ExportOptions) -> Outcome:
    from tacli.output.export_formats import EXPORT_FORMATS, XLSX_INSTALL, xlsx_available
    from tacli.output.export_tables import TABLES

    table = choice(options.table, TABLES, "table")
    if table != "annual" and (options.year is not None or options.roster is not None):
        raise UsageError(f"{'--year' if options.year is not None else '--roster'} goes with --table annual, the figures of a school year")
    session = Session(options.common)
    targets = session.engagement_targets(list(options.paths))
    output = Path(options.output) if options.output is not None else None
    if output is not None:  # before anything else: nothing a user wrote is replaced
        from tacli.commands.outputs import guard_output
        from tacli.output.export_formats import written_by_export

        guard_output(options.output, output, lambda path, start: written_by_export(path), targets, options.force, "the export")
    kind = choice(options.format or _format_of(options.output), EXPORT_FORMATS, "export format")
    named = Path(options.output).suffix.lower().lstrip(".") if options.output else ""
    if named in EXPORT_FORMATS and named != kind:  # a spreadsheet would open the file as what its name says
        raise UsageError(f"-o {options.output} is named as a {named} file, and --format {kind} writes {kind}: name it {Path(options.output).stem}.{kind}, or leave out --format")
    if options.bom and kind != "csv":
        raise UsageError(f"--bom marks CSV for Excel: it does not go with --format {kind}")
    if kind == "xlsx" and not xlsx_available():
        raise UsageError(f"--format xlsx needs openpyxl, which is not installed: {XLSX_INSTALL}")
    if kind == "xlsx" and options.output is None and options.terminal:
        raise UsageError("xlsx is a binary file, not for a terminal: write it with -o FILE.xlsx, or redirect standard output to a file")
    if table == "annual":
        from tacli.commands import annual
        from tacli.commands.report import usable_engagements

        year = annual.school_year(session, options.year)
        session.roster(options.roster)  # a roster that cannot be used stops the command before any file is read
        built, code, notes = annual.table(session, usable_engagements(session, list(options.paths), session.options.progress), year, options.roster, options.year is None)
    else:
        built, code, notes = _build(table, session, targets)
    notes = session.nothing_yet(list(options.paths), len(targets)) + notes
    data = _written(built, kind, session.today, options.bom)
    if output is None:
        return Outcome(code, data, notes=notes, exact=True)
    _write(options.output, output, data)
    return Outcome(code, notes=notes + [f"wrote {options.output}: {plural(len(built.rows), 'row')} of {table}"])


def _format_of(output: Optional[str]) -> str:
    """The format a file name asks for (portfolio.xlsx, findings.json); CSV with no
    suffix. Another suffix (.xls, .tsv, .ods) is refused: a spreadsheet would
    complain that the file does not match its name."""
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    if suffix in ("csv", "json", "xlsx"):
        return suffix
    if suffix:
        raise UsageError(f"-o {output}: tacli writes .csv, .json or .xlsx files: name the file so (an Excel workbook is .xlsx), or give --format")
    return "csv"


def _build(table: str, session: Session, targets):
    """The table, the exit code, and the notes for standard error."""
    from contextlib import closing

    from tacli.checking.checker import LARGE_PROBE, FileWork, exit_code
    from tacli.output.export_tables import FINDING_COLUMNS, FileRows, Table, columns, finding_rows
    bar = session.options.progress

    rows, unusable = FileRows(), []
    kept: list[tuple[int, str, object, object]] = []  # (the file's place, its name, its identity, its rows' handle)
    with bar(len(targets), "reading") as done:
        if table == "findings":
            result = session.checker(session.config.rules).check(targets, done=done)
            return Table(table, FINDING_COLUMNS, finding_rows(result.findings)), exit_code(result.findings), []
        # Each file's rows kept as they come (FileRows), a few files at a time in memory.
        with closing(session.checker().each_file(targets, FileWork(_rows, "export", (table,)), done=done, probe_size=LARGE_PROBE)) as chunks:
            for indexes, found in chunks:
                for index, (state, name, file_rows, identity) in zip(indexes, found):
                    handle = rows.add(file_rows) if state in ("rows", "unusable") else None
                    if state == "unusable":
                        unusable.append(name)
                    elif state == "rows":
                        kept.append((index, name, identity, handle))
                del found
    spec = session.spec  # the columns of services are the standards' stages
    shared = _shared_ids_left_out(table, spec, rows, sorted(kept, key=lambda item: item[0]))
    reason = "not valid engagements" + (" or with an engagement id an earlier file has" if shared and unusable else "") if unusable else "with an engagement id an earlier file has"
    unusable += shared
    order = {target.name: index for index, target in enumerate(targets)}
    unusable.sort(key=lambda name: order.get(name, len(order)))  # named in the order of the files, as they came in no set order
    if not unusable:
        return Table(table, columns(table, spec), rows), EXIT_CLEAN, []
    shown = ", ".join(unusable[:3]) + (", ..." if len(unusable) > 3 else "")
    note = f"tacli: {plural(len(unusable), 'file')} left out, {reason}: {shown} (a row each, at the end, says what to fix; tacli check explains)"
    return Table(table, columns(table, spec), rows), EXIT_FINDINGS, [note]


def _shared_ids_left_out(table: str, spec, rows, kept: list) -> list[str]:
    """The files whose engagement id an earlier file has (in the files' order),
    each file's rows replaced by its left-out row: the rule of `tacli check`
    (duplicate-id) and of the reports, the site and the annual figures, which
    leave them out too. Their names."""
    from tacli.checking.identity import across_files
    from tacli.output.export_tables import left_out_row
    from tacli.reading.pipeline import FileResult

    handles = {name: handle for _, name, _, handle in kept}
    left = []
    for item in across_files([FileResult(name, identity=identity) for _, name, identity, _ in kept]):
        rows.replace(handles[item.path], [left_out_row(table, spec, item.path, item)])
        left.append(item.path)
    return left


def _rows(checker, target, table: str):
    """One file's rows (output.export_tables.rows_of_file), kept in the cache under the file and the day."""
    from tacli.output.export_tables import rows_of_file

    return rows_of_file(table, checker, target)


def _written(table, kind: str, today, bom: bool):
    """The table in `kind`: CSV and JSON made a piece at a time as they are
    written (io.writer.Streamed), the rows read back from disk (FileRows)."""
    from tacli.io.writer import Streamed
    from tacli.output.export_formats import as_xlsx, csv_pieces, json_pieces_of

    if kind == "csv":
        return Streamed(lambda: csv_pieces(table, bom))
    if kind == "json":
        return Streamed(lambda: json_pieces_of(table, today))
    return as_xlsx(table, today)


def _write(given: str, output: Path, data) -> None:
    from tacli.io.writer import write_atomically

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(output, data, follow_links=False)
    except OSError as exc:
        raise UsageError(f"cannot write {given}: {exc.strerror or exc}") from None
