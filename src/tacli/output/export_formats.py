"""Writing an export table as CSV, JSON or an Excel workbook (xlsx), and
recognising a file that an earlier export wrote.

The same table and day give the same bytes in every format. CSV is for
spreadsheets: UTF-8 (with a byte-order mark on request, for Excel), CRLF line
ends as RFC 4180 and Excel write them, ISO dates, plain numbers. JSON is for
data systems: typed values, lists as arrays. The workbook has real dates and
numbers, a frozen header row and a filter. docs/exports.md describes them.

A text cell that a spreadsheet would read as a formula (it starts with = + -
@, a tab or a carriage return) is written so that it stays text: with an
apostrophe before it in CSV, and as a text cell with Excel's quote prefix in
the workbook. In CSV every text cell is quoted, so no list separator of any
locale (`,`, `;`) can split it and start a formula after it. Characters that change what a terminal shows are written as
escapes (tacli.core.textformat.visible); line breaks inside a cell are kept.
"""

from __future__ import annotations

import io
import re
import stat
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from tacli import __version__
from tacli.core.numbers import number
from tacli.output.export_tables import BOOLEAN, DATE, INTEGER, LIST, LEADING_COLUMNS, NUMBER, Table
from tacli.core.textformat import json_pieces, visible

EXPORT_FORMATS = ("csv", "json", "xlsx")
JSON_VERSION = "1"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
BOM = "\ufeff"
CREATOR = "tacli"
XLSX_INSTALL = "pip install openpyxl (tacli installs it; it is missing from this environment)"
_SIGNATURE_BYTES = 4096
_MAX_WIDTH = 60


def cell_text(value: str) -> str:
    """User text for a cell: escapes for what would change a terminal, line breaks kept."""
    return "\n".join(visible(line) for line in value.split("\n"))


def defused(text: str) -> str:
    """Text that a spreadsheet shows as it is, never runs as a formula: an apostrophe before a risky start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain(value, kind: str) -> str:
    """A CSV cell: ISO dates, numbers as written (no grouping), true/false, lists joined."""
    if value is None:
        return ""
    if kind == BOOLEAN:
        return "true" if value else "false"
    if kind == DATE:
        return value.isoformat()
    if kind in (INTEGER, NUMBER):
        return number(value)
    if kind == LIST:
        return defused(LIST_SEPARATOR.join(cell_text(item) for item in value))
    return defused(cell_text(value))


def csv_record(cells, bare=()) -> str:
    """One CSV record (RFC 4180, CRLF). Every cell is in double quotes but the
    `bare` ones (numbers, so that every spreadsheet reads them as numbers) and
    the empty ones: a quoted cell is one cell whatever list separator the
    spreadsheet's locale uses (`,` or `;`), so `x;=1+1;y` can never become a
    cell `=1+1`."""
    fields = []
    for index, cell in enumerate(cells):
        if cell == "" or index in bare:
            fields.append(cell)
        else:
            fields.append('"' + cell.replace('"', '""') + '"')
    return ",".join(fields) + "\r\n"


RECORDS_AT_ONCE = 1024  # CSV records joined before they are handed on (csv_pieces)


def as_csv(table: Table, bom: bool = False) -> str:
    return "".join(csv_pieces(table, bom))


def csv_pieces(table: Table, bom: bool = False) -> Iterator[str]:
    """as_csv a few records at a time, as the rows are read (FileRows: from disk)."""
    numbers = {index for index, column in enumerate(table.columns) if column.type in (INTEGER, NUMBER)}
    header = [column.name for column in table.columns]
    yield (BOM if bom else "") + csv_record(header, range(len(header)))  # the column names: plain ids, as a reader expects them
    records: list[str] = []
    for row in table.rows:
        records.append(csv_record([_plain(row[column.name], column.type) for column in table.columns], numbers))
        if len(records) == RECORDS_AT_ONCE:
            yield "".join(records)
            records.clear()
    yield "".join(records)


def as_json(table: Table, today: date) -> str:
    """{"version", "tool", "table", "today", "columns": [{"name", "type"}], "rows": [{column: value}]}."""
    return "".join(json_pieces_of(table, today))


def json_pieces_of(table: Table, today: date) -> Iterator[str]:
    """as_json a piece at a time, each row made as the encoder takes it."""
    document = {
        "version": JSON_VERSION,
        "tool": {"name": "tacli", "version": __version__},
        "table": table.name,
        "today": today.isoformat(),
        "columns": [{"name": column.name, "type": column.type} for column in table.columns],
        "rows": _JsonRows(table),
    }
    return json_pieces(document)


class _JsonRows(list):
    """A table's rows as JSON values, each made as the encoder takes it: the
    encoder writes only a list as an array, and asks only its length and
    its items in turn."""

    def __init__(self, table: Table) -> None:
        super().__init__()
        self._table = table

    def __len__(self) -> int:
        return len(self._table.rows)

    def __iter__(self):
        columns = self._table.columns
        return ({column.name: _json_value(row[column.name]) for column in columns} for row in self._table.rows)


def _json_value(value):
    return value.isoformat() if isinstance(value, date) else value


def xlsx_available() -> bool:
    from importlib.util import find_spec

    return find_spec("openpyxl") is not None


# Excel counts days from 1900 and cannot show an earlier date as a date.
_EXCEL_FIRST_DAY = date(1900, 3, 1)


def as_xlsx(table: Table, today: date) -> bytes:
    """A workbook of one sheet named after the table. Its stamps are `today`, so
    the same table and day give the same bytes. Written in openpyxl's streaming
    mode: a cell object only where a cell needs a style."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.name)
    kinds = [column.type for column in table.columns]

    def values():  # each row's cells, made again for each pass: the rows may be many (FileRows)
        return ([_xlsx_value(row[column.name], kind) for column, kind in zip(table.columns, kinds)] for row in table.rows)

    widths = [len(column.name) for column in table.columns]
    for cells in values():
        for index, value in enumerate(cells):
            if value is not None:
                shown = 10 if isinstance(value, date) else max(map(len, value.split("\n"))) if isinstance(value, str) else len(str(value))
                widths[index] = max(widths[index], shown)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, column.name)
        cell.font = bold
        header.append(cell)
    try:
        sheet.append(header)
        for cells in values():
            sheet.append([_text_cell(sheet, WriteOnlyCell, value) if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value for value in cells])
        stamp = datetime(today.year, today.month, today.day)
        book.properties.creator = CREATOR
        book.properties.title = f"tacli export: {table.name}"
        book.properties.created = book.properties.modified = stamp
        return _saved(book, stamp)
    except BaseException:
        _abandoned(sheet)
        raise


def _abandoned(sheet) -> None:
    """The sheet's writer closed and its temporary file removed, when the
    workbook cannot be made (a full disk): left to the garbage collector,
    openpyxl's writer failed again and said so on standard error."""
    rows, writer = getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)
    for step in (getattr(rows, "close", None), getattr(writer, "close", None), getattr(writer, "cleanup", None)):
        try:
            if step is not None:
                step()
        except Exception:  # noqa: BLE001 - what failed first is what the user is told
            pass


def _xlsx_value(value, kind: str):
    """The value of a workbook cell: a date, a number, a boolean, or text (lists joined)."""
    if value is None:
        return None
    if kind == DATE:
        return value if value >= _EXCEL_FIRST_DAY else value.isoformat()
    if kind in (INTEGER, NUMBER, BOOLEAN):
        return value
    return LIST_SEPARATOR.join(map(cell_text, value)) if kind == LIST else cell_text(value)


def _text_cell(sheet, make, text: str):
    """A text cell that Excel shows as text and never runs, even when edited
    (openpyxl itself would store a text starting with "=" as a formula)."""
    cell = make(sheet, text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _saved(book, stamp: datetime) -> bytes:
    """The workbook's bytes, each part of the zip stamped with `stamp` rather than the clock."""
    from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

    from openpyxl.writer.excel import ExcelWriter

    first = io.BytesIO()
    with ZipFile(first, "w", ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # not openpyxl's save(), which stamps the clock's time
    second = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with ZipFile(first) as source, ZipFile(second, "w", ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(ZipInfo(name, date_time=when), source.read(name), compress_type=ZIP_DEFLATED)
    return second.getvalue()


def written_by_export(path: Path) -> bool:
    """Whether the file at `path` (not a link) is one an export wrote: a CSV whose
    header row is a table's, a JSON document of tacli's with a table, or a workbook
    tacli created. An empty file holds nothing to lose, so it counts as one."""
    try:
        info = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    if info.st_size == 0:
        return True
    try:
        with open(path, "rb") as handle:
            start = handle.read(_SIGNATURE_BYTES)
    except OSError:
        return False
    if start.startswith(b"PK"):
        return _xlsx_by_tacli(path)
    text = start.decode("utf-8", "replace").removeprefix(BOM)
    if re.match(r'\{\s*"version": "\d+",\s*"tool": \{\s*"name": "tacli",\s*"version": "[^"]*"\s*\},\s*"table": "(\w+)"', text):
        return True
    header = text.split("\r\n", 1)[0].split("\n", 1)[0]
    return any(header.startswith(",".join(column.name for column in leading)) for leading in LEADING_COLUMNS.values())


def _xlsx_by_tacli(path: Path) -> bool:
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(path) as archive, archive.open("docProps/core.xml") as core:
            return f"<dc:creator>{CREATOR}</dc:creator>".encode() in core.read(_SIGNATURE_BYTES)
    except (OSError, KeyError, BadZipFile, ValueError):
        return False
