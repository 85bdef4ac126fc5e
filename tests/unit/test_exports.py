"""The export tables and their formats: the rows come from the domain rules
(they agree with `tacli status`), cells are safe in a spreadsheet, and the
same table and day give the same bytes."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date

import pytest
from conftest import EXAMPLES, ROOT, TODAY, checker_for

from tacli.core.numbers import numeric
from tacli.domain.school_years import school_year
from tacli.output.export_formats import as_csv, as_json, as_xlsx, cell_text, defused, written_by_export
from tacli.output.export_tables import BUILDERS, DATE, INTEGER, LIST, NUMBER, TEXT, Column, Table, columns, duty_rows, engagement_rows, service_rows
from tacli.reading.pipeline import Target, read_target
from tacli.core.textformat import visible
from tacli.domain.status import engagement_status


def _engagement(name: str):
    checker = checker_for()
    path = EXAMPLES / name
    return checker.spec, read_target(Target(path, str(path), True), checker.models).engagement


ELM = "elm-street-data-teams.yaml"
ACORNS = "little-acorns-oec-coaching.yaml"


def test_the_school_year_runs_from_july_to_june():
    assert school_year(date(2026, 7, 1)) == "2026-27"
    assert school_year(date(2027, 6, 30)) == "2026-27"
    assert school_year(date(2026, 6, 30)) == "2025-26"
    assert school_year(date(1999, 9, 1)) == "1999-00"


def test_numbers_for_data_are_whole_when_they_can_be():
    assert (numeric(6.0), numeric(2.5), numeric(3), numeric(None), numeric(1e300)) == (6, 2.5, 3, None, 1e300)


def test_an_engagement_row_counts_its_reports_duties_and_hours():
    spec, engagement = _engagement(ELM)
    [row] = engagement_rows(spec, engagement, "elm.yaml", TODAY)
    assert [column.name for column in columns("engagements", spec)] == list(row)
    assert row["school_year"] == "2026-27" and row["frameworks"] == ["cali", "csde", "dunst", "guskey", "osep"]
    assert (row["services"], row["hours"], row["title_i"]) == (3, 9, True)
    # one report completed on time, one 3 days late (tast-late), one due in 2 days (tast-due-soon)
    assert (row["reports"], row["reports_due"], row["reports_on_time"], row["reports_late"], row["reports_overdue"], row["reports_due_soon"]) == (3, 2, 1, 1, 0, 1)
    assert row["coaching_hour_cap"] is None and row["coaching_hours_counted"] is None


def test_the_coaching_cap_is_the_one_status_shows():
    spec, engagement = _engagement(ACORNS)
    [row] = engagement_rows(spec, engagement, "acorns.yaml", TODAY)
    hours = engagement_status(spec, engagement, "acorns.yaml", TODAY)["hours"]
    assert (row["coaching_hour_cap"], row["coaching_hours_counted"]) == (hours["cap"], hours["counted"]) == (21, 16.5)
    assert row["reports"] == 0 and row["title_i"] is None


def test_service_rows_count_duties_as_status_does():
    spec, engagement = _engagement(ELM)
    rows = service_rows(spec, engagement, "elm.yaml", TODAY)
    status = engagement_status(spec, engagement, "elm.yaml", TODAY)
    assert [row["service_id"] for row in rows] == [service["id"] for service in status["services"]]
    for row, service in zip(rows, status["services"]):
        assert row["report_state"] == service["report"]["state"]
        assert row["report_due"].isoformat() == service["report"]["due"]
        for stage in service["stages"]:
            key = stage["id"].replace("-", "_")
            assert (row[f"{key}_done"], row[f"{key}_not_applicable"], row[f"{key}_open"]) == (stage["done"], stage["not_applicable"], stage["open"])
        assert row["duties_due"] == sum(stage["due"] for stage in service["stages"])
    assert rows[1]["report_days_late"] == 3 and rows[1]["topics"] == ["data-teams", "common-formative-assessments"]


def test_a_service_without_a_duty_matrix_has_no_report_and_no_stage_counts():
    spec, engagement = _engagement(ACORNS)
    row = service_rows(spec, engagement, "acorns.yaml", TODAY)[0]
    assert row["report_state"] is None and row["planning_done"] is None and row["duties_open"] == 0
    assert row["counts_toward_cap"] is True


def test_duty_rows_are_one_a_duty_of_each_service():
    spec, engagement = _engagement(ELM)
    rows = duty_rows(spec, engagement, "elm.yaml", TODAY)
    assert len(rows) == len(engagement.services) * len(spec.frameworks["cali"].duties)
    debrief = [row for row in rows if row["duty_id"] == "follow-up.facilitator.debrief-with-director" and row["service_id"] == "2026-10-27-grade-3-coaching"]
    assert debrief[0]["status"] == "open" and debrief[0]["due"] is True and debrief[0]["due_date"] == date(2026, 11, 3)
    assert {row["status"] for row in rows} == {"done", "not-applicable", "open"}


def test_every_builder_fills_every_column_of_its_table():
    spec, engagement = _engagement(ELM)
    for table, build in BUILDERS.items():
        for row in build(spec, engagement, "elm.yaml", TODAY):
            assert list(row) == [column.name for column in columns(table, spec)]


# --- formats ------------------------------------------------------------------------------------

RISKY = Table("t", (Column("name", TEXT), Column("tags", LIST), Column("hours", NUMBER), Column("count", INTEGER), Column("day", DATE)), [
    {"name": "=HYPERLINK(\"http://x\",\"y\")", "tags": ["+1", "ok"], "hours": -2.5, "count": -3, "day": date(2026, 1, 2)},
    {"name": "@SUM(A1)\x1b[31m", "tags": [], "hours": 3.0, "count": None, "day": None},
    {"name": "line one\nline two", "tags": ["a", "b"], "hours": None, "count": 0, "day": None},
])


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_is_kept_as_text(text):
    assert defused(text) == "'" + text
    assert defused("Teams met " + text) == "Teams met " + text


def test_csv_cells_are_safe_and_numbers_are_plain():
    rows = list(csv.reader(io.StringIO(as_csv(RISKY), newline="")))
    assert rows[0] == ["name", "tags", "hours", "count", "day"]
    assert rows[1] == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1; ok", "-2.5", "-3", "2026-01-02"]
    assert rows[2] == ["'@SUM(A1)\\x1b[31m", "", "3", "", ""]
    assert rows[3] == ["line one\nline two", "a; b", "", "0", ""]


def test_csv_lines_end_with_crlf_and_the_bom_is_asked_for():
    text = as_csv(RISKY)
    assert text.startswith("name,") and text.endswith("\r\n")
    assert as_csv(RISKY, bom=True) == "\ufeff" + text


def test_json_keeps_types_and_the_text_as_it_is():
    document = json.loads(as_json(RISKY, TODAY))
    assert list(document) == ["version", "tool", "table", "today", "columns", "rows"]
    assert document["columns"][1] == {"name": "tags", "type": "list"}
    assert document["rows"][0] == {"name": "=HYPERLINK(\"http://x\",\"y\")", "tags": ["+1", "ok"], "hours": -2.5, "count": -3, "day": "2026-01-02"}
    assert document["rows"][1]["name"] == "@SUM(A1)\x1b[31m"
    assert "\x1b" not in as_json(RISKY, TODAY)  # escaped as \u001b: the same data to a JSON reader


def test_a_workbook_has_typed_cells_a_frozen_header_and_text_that_stays_text():
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(as_xlsx(RISKY, TODAY)))["t"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["name", "tags", "hours", "count", "day"]
    name, tags, hours, count, day = sheet[2]
    assert (name.value, name.data_type, name.quotePrefix) == ("=HYPERLINK(\"http://x\",\"y\")", "s", True)
    assert (tags.value, tags.quotePrefix) == ("+1; ok", True)
    assert (hours.value, count.value, day.value.date()) == (-2.5, -3, date(2026, 1, 2))
    assert day.number_format == "yyyy-mm-dd"
    assert sheet["A3"].value == "@SUM(A1)\\x1b[31m" and sheet["C3"].value == 3
    assert sheet["A4"].value == "line one\nline two" and not sheet["A4"].quotePrefix


def test_a_workbook_is_the_same_bytes_whatever_the_clock(monkeypatch):
    import time

    first = as_xlsx(RISKY, TODAY)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    monkeypatch.setattr(time, "localtime", lambda *args: time.gmtime(2_000_000_000))
    assert as_xlsx(RISKY, TODAY) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 22, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == ["2026-11-22T00:00:00Z"] * 2


def test_cell_text_escapes_what_would_change_a_terminal_and_keeps_line_breaks():
    assert cell_text("a\x1b[2Jb\u202e\nc\rd") == "a\\x1b[2Jb\\u202e\nc\\rd"


def test_files_an_export_wrote_are_recognised(tmp_path):
    spec = checker_for().spec
    table = Table("engagements", columns("engagements", spec), [])
    for name, data in (("a.csv", as_csv(table).encode()), ("b.csv", as_csv(table, bom=True).encode()), ("c.json", as_json(table, TODAY).encode()), ("d.xlsx", as_xlsx(table, TODAY)), ("e.csv", b"")):
        (tmp_path / name).write_bytes(data)
        assert written_by_export(tmp_path / name), name
    for name, data in (("f.csv", b"name,amount\r\n"), ("g.json", b'{"a": 1}'), ("h.xlsx", b"PK\x03\x04 not a zip"), ("i.yaml", (ROOT / "examples" / ELM).read_bytes())):
        (tmp_path / name).write_bytes(data)
        assert not written_by_export(tmp_path / name), name
    (tmp_path / "link.csv").symlink_to(tmp_path / "a.csv")
    assert not written_by_export(tmp_path / "link.csv")


def test_docs_exports_lists_every_column_with_its_type():
    """docs/exports.md documents each table's columns, in order, with their types."""
    text = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    spec = checker_for().spec
    for table in ("engagements", "services", "duties", "findings", "annual"):
        section = text.split(f"### `{table}`", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
        documented = re.findall(r"^\| `([^`]+)` \| (\w+) \|", section, flags=re.MULTILINE)
        expected = [(column.name, column.type) for column in columns(table, spec)]
        if table == "services":
            stages = [(name, kind) for name, kind in documented if name.startswith("<stage>")]
            documented = [pair for pair in documented if pair not in stages]
            assert [kind for _, kind in stages] == ["integer"] * 3
            expected = expected[: len(documented) - 1] + expected[-1:]  # the stages' columns come before left_out
            assert [column.name for column in columns(table, spec)[len(documented) - 1:-1]] == [
                f"{stage}_{status}" for stage in ("planning", "delivery", "follow_up") for status in ("done", "not_applicable", "open")
            ]
        assert documented == expected, table


def test_any_text_reads_back_from_csv_as_written_and_never_as_a_formula():
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.lists(st.text(), min_size=1, max_size=4))
    def check(texts):
        table = Table("t", tuple(Column(f"c{index}", TEXT) for index in range(len(texts))), [{f"c{index}": text for index, text in enumerate(texts)}])
        [_, row] = list(csv.reader(io.StringIO(as_csv(table), newline="")))
        for text, cell in zip(texts, row):
            assert cell == defused(cell_text(text))
            assert cell.startswith("'") or not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
            assert all(visible(line) == line for line in cell.split("\n"))  # nothing a terminal would act on
        # a spreadsheet whose locale separates lists with `;` (German, French...) reads the same cells
        [_, semicolons] = list(csv.reader(io.StringIO(as_csv(table), newline=""), delimiter=";"))
        assert len(semicolons) == 1 or all(not cell.lstrip('"').startswith(("=", "+", "-", "@")) for cell in semicolons[1:])

    check()


def test_a_semicolon_never_splits_a_text_cell_into_a_formula():
    table = Table("t", (Column("name", TEXT), Column("hours", "number")), [{"name": "x;=1+1;y", "hours": 2.5}])
    record = as_csv(table).splitlines()[1]
    assert record == '"x;=1+1;y",2.5'
    for separator in (",", ";"):
        cells = next(csv.reader(io.StringIO(record), delimiter=separator))
        assert not any(cell.startswith("=") for cell in cells), separator
    assert next(csv.reader(io.StringIO(record), delimiter=";")) == ["x;=1+1;y,2.5"]  # one text cell in a `;` locale


def test_a_lone_surrogate_from_a_yaml_escape_is_written_as_an_escape():
    table = Table("t", (Column("name", TEXT),), [{"name": "bad \ud800 x"}])
    assert as_csv(table).splitlines()[1] == "\"bad \\ud800 x\""
    assert json.loads(as_json(table, TODAY))["rows"][0]["name"] == "bad \ud800 x"
    as_json(table, TODAY).encode("utf-8")
