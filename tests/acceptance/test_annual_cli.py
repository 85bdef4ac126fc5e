"""`tacli report --kind annual` and `tacli export --table annual` on the
examples: the report prints and passes the Markdown linter, the export in
every format holds exactly what tacli.domain.annual computes, files left out
are named, and what the two do not take is refused."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, checker_for

TODAY = ("--today", "2026-11-22")
YEAR = ("--year", "2026-27")
ROSTER = ("--roster", "examples/roster.yaml")
LINT_CONFIG = ROOT / "templates" / "pymarkdown.json"


def domain_figures(year="2026-27", roster=True):
    from tacli.domain.annual import annual_figures
    from tacli.output.reports import load_engagements
    from tacli.reading.roster import load_roster

    spec = checker_for(None).spec
    loaded = load_engagements(["examples"], spec, date(2026, 11, 22))
    pairs = [(item.name, item.engagement) for item in loaded.engagements]
    found_roster = load_roster(EXAMPLES / "roster.yaml", "examples/roster.yaml") if roster else None
    return annual_figures(spec, pairs, year, date(2026, 11, 22), found_roster)


def test_the_annual_report_of_the_examples(run_tacli, tmp_path):
    done = run_tacli("report", "examples", "--kind", "annual", *YEAR, *ROSTER, *TODAY, cwd=ROOT)
    assert done.returncode == 0 and done.stderr == ""
    text = done.stdout
    assert text.startswith("# Annual report 2026-27\n")
    for heading in ("## Technical assistance by level", "## Hours of training and technical assistance", "## Recipients served",
                    "### Coverage of the service area", "## Evaluations of services", "## Outcome evidence", "## Reports on time", "### Reviews"):
        assert f"\n{heading}\n" in text, heading
    assert "| Intensive / Sustained TA | 1 | 5 |" in text
    assert "| Universal / General TA | 1 | 3 |" in text
    assert "| Every recipient | 7 | 3 | 42.9% |" in text
    api = pytest.importorskip("pymarkdown.api")
    (tmp_path / "annual.md").write_text(text, encoding="utf-8")
    result = api.PyMarkdownApi().configuration_file_path(str(LINT_CONFIG)).scan_path(str(tmp_path / "annual.md"))
    assert not result.scan_failures, [f"{f.line_number}: {f.rule_id} {f.rule_description}" for f in result.scan_failures]


def test_without_year_the_report_is_of_the_school_year_of_today(run_tacli):
    done = run_tacli("report", "examples", "--kind", "annual", "--today", "2022-01-10", cwd=ROOT)
    assert done.returncode == 0
    assert done.stdout.startswith("# Annual report 2021-22\n")
    assert "(under way: counted through 2022-01-10)" in done.stdout
    assert "no roster given" in done.stdout and "Coverage of the service area" not in done.stdout


def test_the_json_export_is_the_domains_figures(run_tacli):
    done = run_tacli("export", "examples", "--table", "annual", *YEAR, *ROSTER, *TODAY, "--format", "json", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["table"] == "annual"
    found = domain_figures()
    expected = [{"school_year": "2026-27", "figure": item.figure, "breakdown": item.breakdown or None, "value": item.value, "count": item.count,
                 "files": list(item.files)} for item in found.figures]
    rows = [{key: row[key] for key in ("school_year", "figure", "breakdown", "value", "count", "files")} for row in document["rows"]]
    assert rows == expected
    assert all(row["left_out"] is None and row["definition"] for row in document["rows"])


def test_the_csv_export_reads_back(run_tacli):
    done = run_tacli("export", "examples", "--table", "annual", *YEAR, *ROSTER, *TODAY, cwd=ROOT)
    assert done.returncode == 0
    rows = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
    by_key = {(row["figure"], row["breakdown"]): row for row in rows}
    assert by_key[("engagements", "")]["value"] == "3"
    assert by_key[("evaluation_mean", "quality")]["count"] == "84"
    assert by_key[("roster_share_served", "")]["files"] == (
        "examples/elm-street-data-teams.yaml; examples/hartford-data-webinars.yaml; examples/riverside-district-intensive.yaml; examples/roster.yaml")
    assert len(rows) == len(domain_figures().figures)


def test_the_workbook_reads_back_with_openpyxl(run_tacli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "annual.xlsx"
    done = run_tacli("export", "examples", "--table", "annual", *YEAR, *ROSTER, *TODAY, "-o", out, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(out)["annual"]
    values = list(sheet.values)
    header, rows = values[0], values[1:]
    assert header[:6] == ("school_year", "figure", "breakdown", "value", "count", "files")
    found = domain_figures()
    assert [(row[1], row[2] or "") for row in rows] == [(item.figure, item.breakdown) for item in found.figures]
    assert [row[3] for row in rows] == [pytest.approx(item.value) if item.value is not None else None for item in found.figures]
    assert [row[5] or "" for row in rows] == ["; ".join(item.files) for item in found.figures]


def test_a_file_that_cannot_be_used_is_named_and_left_out(run_tacli, tmp_path):
    folder = tmp_path / "engagements"
    folder.mkdir()
    for path in EXAMPLES.glob("*.yaml"):
        if path.name != "roster.yaml":
            (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.yaml").write_text("tacli: 1\nid: broken\n", encoding="utf-8")
    done = run_tacli("report", folder, "--kind", "annual", *YEAR, *TODAY)
    assert done.returncode == 1
    assert "## Files left out" in done.stdout and "broken.yaml" in done.stdout
    assert "left out of the annual report until fixed" in done.stderr
    exported = run_tacli("export", folder, "--table", "annual", *YEAR, *TODAY, "--format", "json")
    assert exported.returncode == 1 and "left out of the annual figures" in exported.stderr
    [row] = [row for row in json.loads(exported.stdout)["rows"] if row["left_out"]]
    assert row["files"] == [str(folder / "broken.yaml")] and row["figure"] is None


@pytest.mark.parametrize("args, said", [
    (("report", "examples", "--kind", "annual", "--year", "2026"), "could be the school year 2026-27 or 2025-26"),
    (("report", "examples", "--kind", "annual", "--year", "2026-28"), "runs from July of one year to June of the next"),
    (("report", "examples", "--kind", "annual,plan"), "--kind annual is a report of its own"),
    (("report", "examples", "--kind", "plan", "--year", "2026-27"), "--year goes with --kind annual"),
    (("report", "examples", "--kind", "annual", "--out-dir", "reports"), "the annual report goes to standard output"),
    (("report", "examples", "--kind", "annual", "--service", "x"), "leave --service out"),
    (("export", "examples", "--table", "services", "--roster", "examples/roster.yaml"), "--roster goes with --table annual"),
    (("export", "examples", "--table", "annual", "--year", "last year"), "not a school year"),
])
def test_what_the_annual_figures_refuse(run_tacli, args, said):
    done = run_tacli(*args, *TODAY, cwd=ROOT)
    assert done.returncode == 2
    assert said in done.stderr and "Traceback" not in done.stderr


def test_a_roster_that_cannot_be_read_stops_the_report(run_tacli, tmp_path):
    (tmp_path / "area.yaml").write_text("roster: 1\nrecipients: []\n", encoding="utf-8")
    done = run_tacli("report", ROOT / "examples", "--kind", "annual", "--roster", tmp_path / "area.yaml", *TODAY)
    assert done.returncode == 2 and "roster-invalid" in done.stderr and done.stdout == ""
    assert Path(tmp_path / "area.yaml").exists()


def test_the_shell_completes_the_annual_kind():
    from tacli.cli.completion import choices

    assert choices("tacli.commands.annual", "KINDS")("an") == ["annual"]
    assert choices("tacli.commands.annual", "KINDS")("") == ["tast", "agenda", "plan", "summary", "all", "annual"]


def test_the_export_has_columns_for_people_beside_the_ids(run_tacli, tmp_path):
    """A director reads `label`, `breakdown_label`, `shown` and `count_of`; the
    machine columns stay as they were, first, and equal the domain's figures."""
    from openpyxl import load_workbook

    machine = ["school_year", "figure", "breakdown", "value", "count", "files", "definition"]
    done = run_tacli("export", "examples", "--table", "annual", *YEAR, *ROSTER, *TODAY, cwd=ROOT)
    rows = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
    assert list(rows[0])[:len(machine) + 4] == machine + ["label", "breakdown_label", "shown", "count_of"]
    by_key = {(row["figure"], row["breakdown"]): row for row in rows}
    share = by_key[("roster_priority_share_served", "")]
    assert share["label"] != "roster_priority_share_served" and share["shown"].endswith("%") and share["count_of"] == "priority on the roster"
    assert by_key[("hours", "")]["shown"] == "35.5 hours" and by_key[("hours", "")]["count_of"] == ""
    assert by_key[("evaluation_forms_returned", "")]["count_of"] == "services"
    assert by_key[("evaluation_return_rate", "")]["count_of"] == "forms requested"
    mean = by_key[("evaluation_mean", "quality")]
    assert mean["breakdown_label"] == "Quality" or (mean["breakdown_label"] and mean["breakdown_label"] != "quality")
    assert by_key[("engagements_by_level", "targeted")]["breakdown_label"] != "targeted"
    document = json.loads(run_tacli("export", "examples", "--table", "annual", *YEAR, *ROSTER, *TODAY, "--format", "json", cwd=ROOT).stdout)
    found = domain_figures()
    assert [(row["figure"], row["breakdown"], row["value"], row["count"]) for row in document["rows"]] == [
        (item.figure, item.breakdown or None, item.value, item.count) for item in found.figures]
    workbook = tmp_path / "annual.xlsx"
    assert run_tacli("export", "examples", "--table", "annual", *YEAR, *ROSTER, *TODAY, "-o", str(workbook), cwd=ROOT).returncode == 0
    sheet = load_workbook(workbook, read_only=True).worksheets[0]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header[:len(machine) + 4] == machine + ["label", "breakdown_label", "shown", "count_of"]


def test_at_the_first_school_year_there_is_no_year_before_to_name(run_tacli, tmp_path):
    done = run_tacli("export", "--table", "annual", "--today", "0001-01-01", str(EXAMPLES), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "tacli: the school year 0000-01 has no service held yet (through 0001-01-01)\n"
    assert run_tacli("export", "--table", "annual", "--year", "0000-01", "--today", "0001-01-01", str(EXAMPLES), cwd=tmp_path).returncode == 0
