"""The installed `tacli` command, in a process of its own: the few runs that
prove the console script, its imports and its streams work outside pytest.
Everything else runs the same command line in-process (conftest.run_in_process)."""

from __future__ import annotations

from conftest import EXAMPLES, ROOT, run_installed

TODAY = ("--today", "2026-11-22")


def test_version_and_help():
    version = run_installed("--version")
    assert version.returncode == 0 and version.stdout.startswith("tacli ")
    helped = run_installed("--help")
    assert helped.returncode == 0
    for command in ("new", "due", "status", "mark", "tast", "check", "report", "standards", "rules", "schema", "config"):
        assert command in helped.stdout


def test_check_the_examples():
    done = run_installed("check", *TODAY, "examples", cwd=ROOT)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[-1].startswith("3 files checked: ")
    assert "Traceback" not in done.stderr


def test_one_report_to_standard_output():
    done = run_installed("report", *TODAY, "--kind", "plan", str(EXAMPLES / "little-acorns-oec-coaching.yaml"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# ")


def test_new_engagement_then_mark_a_duty(tmp_path):
    made = run_installed(
        "new", "engagement", "Data Use at Oak", "--recipient", "Oak School", "--organization", "The Center",
        "--facilitator", "Sam Park", "--start", "2026-09-01", "--service-date", "2026-10-01", "--service-type", "site-visit",
        *TODAY, cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    path = tmp_path / "engagements" / "data-use-at-oak.yaml"
    marked = run_installed("mark", str(path), "planning.facilitator.prepare-learning-agenda", "--done", "--date", "2026-09-30", "--evidence", "Agenda sent", *TODAY)
    assert marked.returncode == 0, marked.stderr
    assert "planning.facilitator.prepare-learning-agenda: {status: done, date: 2026-09-30, evidence: Agenda sent}" in path.read_text(encoding="utf-8")


def test_a_missing_file_is_a_usage_error(tmp_path):
    done = run_installed("check", "no-such-file.yaml", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "tacli: error: no-such-file.yaml: no such file or folder\n"


def test_the_facilitators_week(tmp_path):
    """new service, due (text and iCalendar), status, mark a whole stage, tast: the installed command."""
    import shutil

    path = tmp_path / "elm.yaml"
    shutil.copy2(EXAMPLES / "elm-street-data-teams.yaml", path)
    added = run_installed("new", "service", path, "--date", "2026-11-20", "--type", "site-visit", *TODAY)
    assert added.returncode == 0, added.stderr
    service = "2026-11-20-site-visit"
    due = run_installed("due", path, "--within", "14", *TODAY)
    assert due.returncode == 0 and service in due.stdout, due.stderr
    feed = run_installed("due", path, "--format", "ics", *TODAY)
    assert feed.returncode == 0 and feed.stdout.startswith("BEGIN:VCALENDAR"), feed.stderr
    status = run_installed("status", path, *TODAY)
    assert status.returncode == 0 and "2026-11-20  site-visit" in status.stdout, status.stderr
    marked = run_installed("mark", path, "--service", service, "--stage", "planning", "--done", "--date", "yesterday", "--evidence", "Agenda sent", *TODAY)
    assert marked.returncode == 0 and "planning" in marked.stdout, marked.stderr
    written = run_installed("tast", path, "--service", service, "--commendation", "Teams came prepared", "--complete", *TODAY)
    assert written.returncode == 0, written.stderr
    assert "Teams came prepared" in path.read_text(encoding="utf-8")


def test_export_a_table_for_a_spreadsheet(tmp_path):
    """export writes CSV with a byte-order mark and a workbook, and JSON to standard output: the installed command."""
    import csv

    from openpyxl import load_workbook

    done = run_installed("export", *TODAY, "examples", "--table", "services", "--bom", "-o", tmp_path / "services.csv", cwd=ROOT)
    assert done.returncode == 0 and "rows of services" in done.stderr, done.stderr
    with open(tmp_path / "services.csv", encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["service_id"] == "2026-09-29-data-teams-launch"
    done = run_installed("export", *TODAY, "examples", "--table", "engagements", "-o", tmp_path / "portfolio.xlsx", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert load_workbook(tmp_path / "portfolio.xlsx")["engagements"].max_row == 4
    done = run_installed("export", *TODAY, "examples", "--table", "findings", "--format", "json", cwd=ROOT)
    assert done.returncode == 1 and '"table": "findings"' in done.stdout, done.stderr


def test_the_set_up_commands(tmp_path):
    shown = run_installed("standards", "show", "cali", env={"COLUMNS": "80"})
    assert shown.returncode == 0 and "follow-up.facilitator.complete-tast-report" in shown.stdout
    assert run_installed("standards", "list").returncode == 0
    rules = run_installed("rules")
    assert rules.returncode == 0 and "duty-open" in rules.stdout
    schema = run_installed("schema", "-o", tmp_path / "engagement.schema.json")
    assert schema.returncode == 0 and (tmp_path / "engagement.schema.json").is_file()
    config = run_installed("config", cwd=tmp_path, env={"COLUMNS": "80"})
    assert config.returncode == 0 and all(len(line) <= 80 for line in config.stdout.splitlines())


def test_the_site_of_the_examples(tmp_path):
    """tacli site from the installed command: pages, assets from the installed package, --check."""
    out = tmp_path / "site"
    built = run_installed("site", *TODAY, "examples", "--out-dir", str(out), cwd=ROOT)
    assert built.returncode == 0, built.stderr
    assert built.stdout.endswith(" written, 0 unchanged, 0 removed.\n") and "Traceback" not in built.stderr
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Chart.js v4.6.1" in (out / "assets/chart.umd.min.js").read_text(encoding="utf-8")[:200]
    assert "MIT License" in (out / "assets/chart.js-LICENSE.txt").read_text(encoding="utf-8")
    assert (out / "engagements/elm-street-data-teams/2026-10-27-grade-3-coaching-tast.html").is_file()
    checked = run_installed("site", *TODAY, "examples", "--out-dir", str(out), "--check", cwd=ROOT)
    assert checked.returncode == 0 and checked.stdout.endswith("the site is current.\n"), checked.stdout + checked.stderr
