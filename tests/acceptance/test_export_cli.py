"""`tacli export` on the examples, as of a fixed day: every table in every
format, read back with `csv`, `json` and `openpyxl`; the output file is
written only where nothing of the user's is lost."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys

import pytest
from conftest import EXAMPLES, ROOT

from tacli.commands import CommonOptions
from tacli.commands.export import ExportOptions, run
from tacli.core.outcome import UsageError

TODAY = ("--today", "2026-11-22")
TABLES = ("engagements", "services", "duties", "findings")


def _csv_rows(path, encoding="utf-8"):
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("table", TABLES)
def test_each_table_as_csv_reads_back(run_tacli, tmp_path, table):
    out = tmp_path / f"{table}.csv"
    done = run_tacli("export", *TODAY, "examples", "--table", table, "-o", out, cwd=ROOT)
    assert done.returncode == (1 if table == "findings" else 0), done.stderr
    assert done.stdout == ""
    rows = _csv_rows(out)
    assert rows and done.stderr.startswith(f"wrote {out}: {len(rows)} rows of {table}")
    assert out.read_bytes().count(b"\r\n") >= len(rows) + 1
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_tables_hold_what_the_examples_hold(run_tacli, tmp_path):
    engagements = {row["engagement_id"]: row for row in _export_csv(run_tacli, tmp_path, "engagements")}
    assert list(engagements) == ["elm-street-data-teams", "hartford-data-webinars", "little-acorns-oec-coaching", "riverside-district-intensive"]
    elm = engagements["elm-street-data-teams"]
    assert (elm["start"], elm["school_year"], elm["hours"], elm["title_i"], elm["frameworks"]) == ("2026-09-01", "2026-27", "9", "true", "cali; csde; dunst; guskey; osep")
    assert engagements["little-acorns-oec-coaching"]["coaching_hour_cap"] == "21"
    services = _export_csv(run_tacli, tmp_path, "services")
    assert len(services) == sum(int(row["services"]) for row in engagements.values())
    assert [row["date"] for row in services if row["engagement_id"] == "elm-street-data-teams"] == ["2026-09-29", "2026-10-27", "2026-11-17"]
    duties = _export_csv(run_tacli, tmp_path, "duties")
    assert {row["engagement_id"] for row in duties} == {"elm-street-data-teams"}  # the one engagement under CALI
    assert sum(row["status"] == "open" for row in duties) == int(elm["duties_open"])


def _export_csv(run_tacli, tmp_path, table):
    out = tmp_path / f"{table}.csv"
    assert run_tacli("export", *TODAY, "examples", "--table", table, "-o", out, cwd=ROOT).returncode == 0
    return _csv_rows(out)


def test_findings_are_those_check_reports(run_tacli):
    exported = json.loads(run_tacli("export", *TODAY, "examples", "--table", "findings", "--format", "json", cwd=ROOT).stdout)
    checked = json.loads(run_tacli("check", *TODAY, "examples", "--format", "json", cwd=ROOT).stdout)
    assert [column["name"] for column in exported["columns"]] == ["file", "line", "column", "level", "rule", "message"]
    assert [[row["file"], row["line"], row["column"], row["level"], row["rule"], row["message"]] for row in exported["rows"]] == [
        [item["path"], item["line"], item["column"], item["level"], item["rule"], item["message"]] for item in checked["findings"]
    ]


def test_the_bom_is_for_excel(run_tacli, tmp_path):
    out = tmp_path / "services.csv"
    done = run_tacli("export", *TODAY, "examples", "--table", "services", "--bom", "-o", out, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbfengagement_id,")
    assert _csv_rows(out, "utf-8-sig")[0]["engagement_id"] == "elm-street-data-teams"
    refused = run_tacli("export", *TODAY, "examples", "--table", "services", "--bom", "--format", "json", cwd=ROOT)
    assert (refused.returncode, refused.stderr) == (2, "tacli: error: --bom marks CSV for Excel: it does not go with --format json\n")


@pytest.mark.parametrize("table", TABLES)
def test_each_table_as_json(run_tacli, table):
    done = run_tacli("export", *TODAY, "examples", "--table", table, "--format", "json", cwd=ROOT)
    document = json.loads(done.stdout)
    assert (document["version"], document["table"], document["today"]) == ("1", table, "2026-11-22")
    names = [column["name"] for column in document["columns"]]
    assert document["rows"] and all(list(row) == names for row in document["rows"])


def test_lists_are_arrays_in_json(run_tacli):
    document = json.loads(run_tacli("export", *TODAY, "examples", "--table", "services", "-f", "json", cwd=ROOT).stdout)
    first = document["rows"][0]
    assert first["topics"] == ["data-teams", "data-driven-decisions"] and first["hours"] == 6 and first["title_i"] is True


@pytest.mark.parametrize("table", TABLES)
def test_each_table_as_a_workbook(run_tacli, tmp_path, table):
    from openpyxl import load_workbook

    out = tmp_path / f"{table}.xlsx"
    done = run_tacli("export", *TODAY, "examples", "--table", table, "-o", out, cwd=ROOT)  # the format from the suffix
    assert done.returncode == (1 if table == "findings" else 0), done.stderr
    sheet = load_workbook(out)[table]
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2" and sheet.max_row > 1
    typed = dict(zip(header, (cell.value for cell in sheet[2])))
    if table == "engagements":
        assert typed["start"].isoformat() == "2026-09-01T00:00:00" and typed["hours"] == 9 and typed["title_i"] is True
    if table == "findings":
        assert isinstance(typed["line"], int)


def test_a_workbook_is_not_for_a_terminal():
    with pytest.raises(UsageError, match="xlsx is a binary file"):
        run(ExportOptions(CommonOptions(today="2026-11-22"), (str(EXAMPLES),), "services", "xlsx", terminal=True))


def test_without_openpyxl_xlsx_says_what_to_install(run_tacli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    done = run_tacli("export", *TODAY, "examples", "--table", "services", "-o", tmp_path / "s.xlsx", cwd=ROOT)
    assert (done.returncode, done.stderr) == (2, "tacli: error: --format xlsx needs openpyxl, which is not installed: pip install openpyxl (tacli installs it; it is missing from this environment)\n")
    assert not (tmp_path / "s.xlsx").exists()


@pytest.mark.parametrize("kind", ["csv", "json", "xlsx"])
def test_the_same_input_and_day_give_the_same_bytes(run_tacli, tmp_path, kind):
    first, second = tmp_path / f"1.{kind}", tmp_path / f"2.{kind}"
    run_tacli("export", *TODAY, "--table", "duties", "-o", first, "examples/riverside-district-intensive.yaml", "examples", cwd=ROOT)
    run_tacli("export", *TODAY, "--table", "duties", "-o", second, "examples", "examples/riverside-district-intensive.yaml", cwd=ROOT)
    assert first.read_bytes() == second.read_bytes()


def test_a_cell_from_a_file_never_runs_as_a_formula(run_tacli, tmp_path):
    from openpyxl import load_workbook

    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Data Teams at Elm Street School", "title: '=HYPERLINK(\"http://evil.example\",\"Click\")'")
    text = text.replace("name: Dana Ruiz\n    role: Data Teams facilitator", "name: '@SUM(1+1)*cmd|'' /C calc''!A0'\n    role: Data Teams facilitator")
    (tmp_path / "elm.yaml").write_text(text, encoding="utf-8")
    assert run_tacli("export", *TODAY, "elm.yaml", "-t", "engagements", "-o", "e.csv", cwd=tmp_path).returncode == 0
    [row] = _csv_rows(tmp_path / "e.csv")
    assert row["title"] == "'" + '=HYPERLINK("http://evil.example","Click")' and row["facilitator"].startswith("'@SUM")
    assert row["hours"] == "9"
    assert run_tacli("export", *TODAY, "elm.yaml", "-t", "engagements", "-o", "e.xlsx", cwd=tmp_path).returncode == 0
    sheet = load_workbook(tmp_path / "e.xlsx")["engagements"]
    title = sheet["B2"]
    assert (title.value, title.data_type, title.quotePrefix) == ("=HYPERLINK(\"http://evil.example\",\"Click\")", "s", True)
    document = json.loads(run_tacli("export", *TODAY, "elm.yaml", "-t", "engagements", "-f", "json", cwd=tmp_path).stdout)
    assert document["rows"][0]["title"] == "=HYPERLINK(\"http://evil.example\",\"Click\")"


def test_a_file_that_is_not_a_valid_engagement_is_left_out_and_named(run_tacli, tmp_path):
    shutil.copy2(EXAMPLES / "elm-street-data-teams.yaml", tmp_path / "elm.yaml")
    (tmp_path / "broken.yaml").write_text("tacli: 1\nid: broken\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text("name: not an engagement\n", encoding="utf-8")
    done = run_tacli("export", *TODAY, ".", "--table", "engagements", cwd=tmp_path)
    assert done.returncode == 1
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [row["engagement_id"] for row in rows] == ["elm-street-data-teams", ""]
    assert [row["left_out"] for row in rows] == ["", "left out: line 1, column 1: missing required key 'frameworks': add it; 6 of the 8 top-level keys an engagement needs are missing: `tacli new engagement TITLE` writes a complete file"]
    assert rows[1]["file"] == "broken.yaml" and not any(value for key, value in rows[1].items() if key not in ("file", "left_out"))
    assert done.stderr == "tacli: 1 file left out, not valid engagements: broken.yaml (a row each, at the end, says what to fix; tacli check explains)\n"


@pytest.mark.parametrize("table", ["engagements", "services", "duties"])
def test_a_file_whose_id_an_earlier_file_has_is_left_out_as_the_reports_and_annual_figures_leave_it(run_tacli, tmp_path, table):
    """A copy of a file left in a second folder: both rows were kept, exit 0,
    and a director summing the services' hours counted the engagement twice,
    while the annual figures, the reports and the site left the copy out."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy2(EXAMPLES / "elm-street-data-teams.yaml", tmp_path / folder / "elm.yaml")
    alone = run_tacli("export", *TODAY, "a", "--table", table, cwd=tmp_path)
    both = run_tacli("export", *TODAY, ".", "--table", table, cwd=tmp_path)
    assert both.returncode == 1
    rows = list(csv.DictReader(io.StringIO(both.stdout)))
    kept = [row for row in rows if not row["left_out"]]
    assert kept == [{**row, "file": "a/elm.yaml"} for row in csv.DictReader(io.StringIO(alone.stdout))]
    assert rows[-1]["file"] == "b/elm.yaml" and rows[-1]["left_out"] == (
        "left out: line 7, column 5: engagement id 'elm-street-data-teams' is already used by a/elm.yaml: give each engagement its own id (reports are filed under it)")
    assert both.stderr == "tacli: 1 file left out, with an engagement id an earlier file has: b/elm.yaml (a row each, at the end, says what to fix; tacli check explains)\n"
    annual = run_tacli("export", *TODAY, ".", "--table", "annual", cwd=tmp_path)
    assert annual.returncode == 1 and "b/elm.yaml" in annual.stderr


def test_the_output_never_replaces_what_the_user_wrote(run_tacli, tmp_path):
    engagement = tmp_path / "elm.yaml"
    shutil.copy2(EXAMPLES / "elm-street-data-teams.yaml", engagement)
    before = engagement.read_bytes()
    args = ("export", *TODAY, "elm.yaml", "--table", "services")
    refused = run_tacli(*args, "-o", "elm.yaml", "--force", cwd=tmp_path)
    assert (refused.returncode, refused.stderr) == (2, "tacli: error: --output elm.yaml is an engagement file: tacli never replaces one, even with --force; write the export to another file\n")
    shutil.copy2(engagement, tmp_path / "other.yaml")
    assert run_tacli(*args, "-o", "other.yaml", cwd=tmp_path).returncode == 2
    (tmp_path / "link.csv").symlink_to(tmp_path / "mine.csv")
    (tmp_path / "mine.csv").write_text("my,own\r\n1,2\r\n", encoding="utf-8")
    linked = run_tacli(*args, "-o", "link.csv", "--force", cwd=tmp_path)
    assert linked.returncode == 2 and "symbolic link" in linked.stderr
    foreign = run_tacli(*args, "-o", "mine.csv", cwd=tmp_path)
    assert (foreign.returncode, foreign.stderr) == (2, "tacli: error: --output mine.csv is a file tacli did not write: nothing was written; choose another file, or add --force to replace it\n")
    assert (tmp_path / "mine.csv").read_bytes() == b"my,own\r\n1,2\r\n" and engagement.read_bytes() == before
    assert run_tacli(*args, "-o", "mine.csv", "--force", cwd=tmp_path).returncode == 0
    assert (tmp_path / "mine.csv").read_text(encoding="utf-8").startswith("engagement_id,")
    for again in ("mine.csv", "new/services.json", "new/services.json"):  # an earlier export is replaced
        assert run_tacli(*args, "-o", again, cwd=tmp_path).returncode == 0, again
    assert json.loads((tmp_path / "new" / "services.json").read_text(encoding="utf-8"))["table"] == "services"


def test_unknown_tables_and_formats_are_usage_errors(run_tacli):
    done = run_tacli("export", *TODAY, "examples", "--table", "service", cwd=ROOT)
    assert (done.returncode, done.stderr) == (2, "tacli: error: unknown table 'service': did you mean 'services'?\n")
    done = run_tacli("export", *TODAY, "examples", "--table", "services", "--format", "xls", cwd=ROOT)
    assert done.returncode == 2 and "unknown export format 'xls'" in done.stderr
    assert run_tacli("export", *TODAY, "examples", cwd=ROOT).returncode == 2  # --table is required
    for name in ("x.xls", "x.tsv", "x.ods"):  # a spreadsheet would say the file does not match its name
        named = run_tacli("export", *TODAY, "examples", "--table", "services", "-o", name, cwd=ROOT)
        assert named.returncode == 2 and "tacli writes .csv, .json or .xlsx files" in named.stderr, name
        assert not (ROOT / name).exists()


def test_export_sits_with_the_reports_and_shows_examples(run_tacli):
    helped = run_tacli("--help").stdout
    reports = helped[helped.index("Reports"):]
    assert "export" in reports[: reports.index("Set-up")]
    own = run_tacli("export", "--help").stdout
    assert "Examples:" in own and "tacli export --table services -o services.csv" in own
    assert "xlsx (an Excel workbook)" in own


def test_a_large_folder_is_read_on_every_core_in_the_same_order(run_tacli, tmp_path):
    source = (EXAMPLES / "little-acorns-oec-coaching.yaml").read_text(encoding="utf-8")
    for number in range(50):  # enough for worker processes (checker.PARALLEL_FROM)
        (tmp_path / f"{49 - number:02d}.yaml").write_text(source.replace("id: little-acorns-oec-coaching", f"id: acorns-{number:02d}"), encoding="utf-8")
    done = run_tacli("export", *TODAY, ".", "--table", "engagements", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [row["engagement_id"] for row in rows] == [f"acorns-{number:02d}" for number in range(50)]
    assert rows[0]["file"] == "49.yaml"


def test_a_table_for_a_spreadsheet_a_workbook_and_json(run_tacli, tmp_path):
    """export writes CSV with a byte-order mark and a workbook, and JSON to standard output."""
    from openpyxl import load_workbook

    done = run_tacli("export", *TODAY, "examples", "--table", "services", "--bom", "-o", tmp_path / "services.csv", cwd=ROOT)
    assert done.returncode == 0 and "rows of services" in done.stderr, done.stderr
    with open(tmp_path / "services.csv", encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["service_id"] == "2026-09-29-data-teams-launch"
    done = run_tacli("export", *TODAY, "examples", "--table", "engagements", "-o", tmp_path / "portfolio.xlsx", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert load_workbook(tmp_path / "portfolio.xlsx")["engagements"].max_row == 5
    done = run_tacli("export", *TODAY, "examples", "--table", "findings", "--format", "json", cwd=ROOT)
    assert done.returncode == 1 and '"table": "findings"' in done.stdout, done.stderr


def test_a_workbook_holds_text_with_characters_xml_cannot(run_tacli, tmp_path):
    """U+FFFE and U+FFFF, written as escapes in the file, pass a check; in a
    workbook cell they are shown as escapes, so Excel still opens it."""
    import openpyxl

    source = (EXAMPLES / "hartford-data-webinars.yaml").read_text(encoding="utf-8")
    lines = [line if not line.startswith("title: ") else 'title: "Webinars \\uFFFE and \\uFFFF"' for line in source.splitlines()]
    (tmp_path / "e.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_tacli("check", "e.yaml", "--today", "2026-11-22", cwd=tmp_path).returncode in (0, 1)
    done = run_tacli("export", "e.yaml", "--today", "2026-11-22", "--table", "engagements", "--format", "xlsx", "-o", "e.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(tmp_path / "e.xlsx").active
    assert "Webinars \\ufffe and \\uffff" in [cell.value for cell in sheet[2]]


def test_a_reader_that_stops_early_is_no_error(tmp_path):
    """`tacli export ... | head`: the reader closes the pipe after a line; the
    export stops writing, quietly, with the exit code it would have had (the
    installed command, as a shell runs it)."""
    import subprocess

    folder = tmp_path / "engagements"
    folder.mkdir()
    for number in range(12):
        for source in sorted(EXAMPLES.glob("*.yaml")):
            text = source.read_text(encoding="utf-8")
            if "\ntacli: 1" in text:
                (folder / f"{number:02d}-{source.name}").write_text(text.replace("\nid: ", f"\nid: copy-{number:02d}-", 1), encoding="utf-8")
    for table_format in ("csv", "json"):
        process = subprocess.Popen([sys.executable, "-m", "tacli", "export", "-t", "duties", "-f", table_format, "--today", "2026-11-22", str(folder)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "TACLI_CACHE_DIR": str(tmp_path / "cache")})
        assert process.stdout.read(10)
        process.stdout.close()  # more than a pipe holds is still to come
        error = process.stderr.read()
        assert (process.wait(timeout=120), error) == (0, b""), table_format


def test_a_full_disk_while_the_workbook_is_made_is_said_not_a_bug(run_tacli, tmp_path, monkeypatch):
    """openpyxl writes the sheet to a temporary file of its own while it makes
    the workbook: a full disk there was an internal error (exit 3)."""
    import errno

    from tacli.output import export_formats

    def full(*args, **kwargs):
        raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr(export_formats, "_saved", full)
    done = run_tacli("export", *TODAY, str(EXAMPLES), "--table", "duties", "--format", "xlsx", "-o", "d.xlsx", cwd=tmp_path)
    import tempfile

    assert (done.returncode, done.stderr) == (2, "tacli: error: cannot write: File too large: free some space where the output goes, or in the temporary folder "
                                                 f"{tempfile.gettempdir()} (TMPDIR names another)\n")
    assert not (tmp_path / "d.xlsx").exists()


def test_a_file_named_as_another_format_than_the_one_asked_for_is_refused(run_tacli, tmp_path):
    """`--format xlsx -o s.csv` wrote a workbook under a CSV name, which a spreadsheet then opened as text."""
    done = run_tacli("export", *TODAY, str(EXAMPLES), "--table", "services", "--format", "xlsx", "-o", "s.csv", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "tacli: error: -o s.csv is named as a csv file, and --format xlsx writes xlsx: name it s.xlsx, or leave out --format\n")
    assert not (tmp_path / "s.csv").exists()
    assert run_tacli("export", *TODAY, str(EXAMPLES), "--table", "services", "--format", "csv", "-o", "s.CSV", cwd=tmp_path).returncode == 0
