"""`tacli due` and `tacli status` on the examples, as of a fixed day: what a
facilitator owes, in text, JSON, CSV and iCalendar (read back by the
`icalendar` package and `csv`), and where one engagement stands."""

from __future__ import annotations

import csv
import io
import json
import shutil

from conftest import EXAMPLES, ROOT

TODAY = ("--today", "2026-11-22")
ELM = "examples/elm-street-data-teams.yaml"


def test_due_lists_what_is_overdue_and_what_falls_due_this_week(run_tacli):
    done = run_tacli("due", *TODAY, "examples", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Due by 2026-11-29 (within 7 days of 2026-11-22)"
    assert "Overdue (4)" in lines and "Coming (2)" in lines
    assert "      Follow Up: Debrief with RESC/SERC Director of Staff Development, overdue by 19 days" in lines
    assert f"      tacli tast {ELM} --service 2026-11-17-principal-call" in lines  # the report is empty: written first, then completed
    assert f"      tacli mark {ELM} --service 2026-11-17-principal-call --stage follow-up --done --evidence 'what shows it'" in lines
    assert lines[-1] == "6 items: 4 overdue, 2 coming."


def test_due_agrees_with_check_about_what_is_overdue(run_tacli):
    """Every duty `check` reports as open and due is overdue in `due`, and nothing else."""
    checked = run_tacli("check", *TODAY, "examples", "-f", "json", cwd=ROOT)
    open_duties = {(f["message"].split()[1], f["message"].split("'")[1]) for f in json.loads(checked.stdout)["findings"] if f["rule"] == "duty-open"}
    listed = json.loads(run_tacli("due", *TODAY, "examples", "-f", "json", cwd=ROOT).stdout)
    overdue = {(duty, item["service"]["id"]) for item in listed["items"] if item["overdue"] and item["kind"] == "duties" for duty in item["duties"]}
    assert overdue == open_duties


def test_due_within_more_days_and_for_a_facilitator(run_tacli, tmp_path):
    wide = json.loads(run_tacli("due", *TODAY, "examples", "-f", "json", "--within", "40", cwd=ROOT).stdout)
    kinds = {item["kind"] for item in wide["items"]}
    assert {"report", "duties", "contact", "fidelity-review"} <= kinds
    nobody = run_tacli("due", *TODAY, "examples", "--facilitator", "Nobody Here", cwd=ROOT)
    assert nobody.stdout == "Due by 2026-11-29 (within 7 days of 2026-11-22) for Nobody Here: nothing.\n"
    dana = json.loads(run_tacli("due", *TODAY, "examples", "-f", "json", "--facilitator", "dana", cwd=ROOT).stdout)
    assert dana["facilitator"] == "dana" and len(dana["items"]) == 6
    (tmp_path / "tacli.toml").write_text('me = "Someone Else"\n', encoding="utf-8")
    (tmp_path / ".git").mkdir()
    mine = run_tacli("due", *TODAY, str(EXAMPLES), cwd=tmp_path)
    assert mine.stdout.endswith("for Someone Else: nothing.\n")
    everyone = run_tacli("due", *TODAY, str(EXAMPLES), "--facilitator", "", cwd=tmp_path)
    assert everyone.stdout.splitlines()[-1] == "6 items: 4 overdue, 2 coming."


def test_the_calendar_feed_parses_and_keeps_its_uids(run_tacli):
    from icalendar import Calendar

    first = run_tacli("due", *TODAY, "examples", "-f", "ics", "--within", "40", cwd=ROOT)
    again = run_tacli("due", *TODAY, "examples", "-f", "ics", "--within", "40", cwd=ROOT)
    assert first.stdout == again.stdout  # same input and day, same bytes
    calendar = Calendar.from_ical(first.stdout)
    events = [component for component in calendar.walk("VEVENT")]
    uids = [str(event["UID"]) for event in events]
    assert len(uids) == len(set(uids)) > 5
    report = next(event for event in events if str(event["UID"]) == "report-elm-street-data-teams-2026-11-17-principal-call@tacli")
    assert report.decoded("DTSTART").isoformat() == "2026-11-24"
    assert "tacli tast" in str(report["DESCRIPTION"])
    later = Calendar.from_ical(run_tacli("due", "--today", "2026-11-25", "examples", "-f", "ics", "--within", "40", cwd=ROOT).stdout)
    moved = {str(event["UID"]) for event in later.walk("VEVENT")}
    assert "report-elm-street-data-teams-2026-11-17-principal-call@tacli" in moved  # the same event, now overdue


def test_the_calendar_holds_the_weeks_ahead_a_list_the_week(run_tacli):
    """`--format ics` looks 90 days ahead unless --within says otherwise; the text and json lists, 7."""
    import json

    from icalendar import Calendar

    def dues(*args) -> list[str]:
        shown = run_tacli("due", *TODAY, "examples", "--facilitator", "", "-f", "ics", *args, cwd=ROOT)
        return sorted(event.decoded("DTSTART").isoformat() for event in Calendar.from_ical(shown.stdout).walk("VEVENT"))

    calendar, week, term = dues(), dues("--within", "7"), dues("--within", "90")
    assert calendar == term and len(calendar) > len(week)
    assert max(calendar) > "2026-11-29" and max(week) <= "2026-11-29"
    listed = json.loads(run_tacli("due", *TODAY, "examples", "--facilitator", "", "-f", "json", cwd=ROOT).stdout)
    assert listed["within"] == 7


def test_the_calendar_file_has_the_line_ends_calendars_expect(run_tacli, tmp_path):
    run_tacli("due", *TODAY, str(EXAMPLES), "-f", "ics", "-o", str(tmp_path / "due.ics"))
    raw = (tmp_path / "due.ics").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n") > 10  # RFC 5545: CRLF, long lines folded
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))


def test_due_as_csv_for_a_spreadsheet(run_tacli):
    rows = list(csv.DictReader(io.StringIO(run_tacli("due", *TODAY, "examples", "-f", "csv", cwd=ROOT).stdout)))
    assert [row["due"] for row in rows] == sorted(row["due"] for row in rows)
    assert rows[0]["overdue"] == "yes" and rows[0]["engagement_id"] == "elm-street-data-teams"
    assert rows[-1]["command"].startswith("tacli mark")


def test_due_to_a_file_and_bad_options(run_tacli, tmp_path):
    done = run_tacli("due", *TODAY, str(EXAMPLES), "-f", "ics", "-o", str(tmp_path / "due.ics"))
    assert done.returncode == 0 and done.stdout == ""
    assert (tmp_path / "due.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert run_tacli("due", *TODAY, "examples", "-f", "xlsx", cwd=ROOT).returncode == 2
    assert run_tacli("due", *TODAY, "examples", "--within", "-1", cwd=ROOT).returncode == 2


def test_status_of_one_engagement(run_tacli):
    done = run_tacli("status", *TODAY, ELM, cwd=ROOT, env={"COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Data Teams at Elm Street School"
    assert "      TAST Report: done 2026-11-06, 3 days late" in lines
    assert "      TAST Report: due 2026-11-24 (in 2 days)" in lines
    assert "      Planning 12 done, 1 n/a · Delivery 21 done · Follow Up 12 done, 1 n/a, 2 open (2 due)" in lines  # a pipe: a line a fact, whatever COLUMNS says
    assert "Plan: 6 of 6 elements written" in lines
    commands = [line for line in lines[lines.index("Next"):] if line.startswith("     tacli mark ")]
    assert commands[0] == "     tacli mark examples/elm-street-data-teams.yaml --service 2026-10-27-grade-3-coaching follow-up.facilitator.debrief-with-director --done --evidence 'what shows it'"


def test_status_of_the_intensive_and_the_coaching_examples(run_tacli):
    intensive = run_tacli("status", *TODAY, "examples/riverside-district-intensive.yaml", cwd=ROOT).stdout
    assert "Intensive TA: 5 of 6 features with all their evidence" in intensive
    assert "Reach: 1150 of 2400 (47.9%); its own target 75%, the standards' minimum 60%" in intensive
    coaching = run_tacli("status", "--today", "2021-11-20", "examples/little-acorns-oec-coaching.yaml", cwd=ROOT).stdout
    assert "Hours: 18.5; 16.5 of 21 under the cap, 4.5 left" in coaching


def test_status_as_json_and_of_a_broken_file(run_tacli, tmp_path):
    data = json.loads(run_tacli("status", *TODAY, ELM, "-f", "json", cwd=ROOT).stdout)
    assert data["services"][1]["report"]["days_late"] == 3
    assert len(data["next"]) == 3
    broken = tmp_path / "broken.yaml"
    broken.write_text("tacli: 1\nid: x\n", encoding="utf-8")
    done = run_tacli("status", *TODAY, str(broken))
    assert done.returncode == 1
    started = "missing required key 'frameworks': add it; 6 of the 8 top-level keys an engagement needs are missing: `tacli new engagement TITLE` writes a complete file"
    assert done.stderr.splitlines()[0] == f"{broken}:1:1: error schema-required {started}"
    lines = done.stdout.splitlines()  # never "nothing is open": the file owes being fixed
    assert lines[0].startswith(f"{broken}: not a valid engagement yet (") and lines[2] == "Next"
    assert lines[3] == f"  1. Fix line 1: {started}" and lines[4] == f"     tacli check {broken}"
    as_json = json.loads(run_tacli("status", *TODAY, str(broken), "-f", "json").stdout)
    assert as_json["usable"] is False and as_json["next"][0]["command"] == f"tacli check {broken}"
    assert run_tacli("status", *TODAY, str(tmp_path)).returncode == 2


def test_due_lists_a_file_that_cannot_be_used_as_a_file_to_fix_never_nothing(run_tacli, tmp_path):
    shutil.copy2(EXAMPLES / "little-acorns-oec-coaching.yaml", tmp_path / "acorns.yaml")  # ended in 2021: owes nothing now
    broken = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8").replace("planning.facilitator.review-plans-and-data:", "planning.facilitator.review-plan-and-data:")
    (tmp_path / "elm.yaml").write_text(broken, encoding="utf-8")
    done = run_tacli("due", ".", *TODAY, "--facilitator", "Dana Ruiz", cwd=tmp_path)
    assert done.returncode == 1
    assert "nothing" not in done.stdout
    lines = done.stdout.splitlines()
    assert lines[2] == "Files to fix first (1): what they owe cannot be listed until then"
    line = 1 + broken[: broken.index("planning.facilitator.review-plan-and-data:")].count("\n")
    assert lines[3] == "  elm.yaml" and lines[4].startswith(f"      fix the file: line {line}: unknown duty id") and lines[5] == "      tacli check elm.yaml"
    assert lines[-1] == "1 item: 1 file to fix, 0 overdue, 0 coming."
    rows = list(csv.DictReader(io.StringIO(run_tacli("due", ".", *TODAY, "--format", "csv", cwd=tmp_path).stdout)))
    assert [(row["kind"], row["file"]) for row in rows if row["kind"] == "fix-file"] == [("fix-file", "elm.yaml")]
    nobody = run_tacli("due", ".", *TODAY, "--facilitator", "Jordan Lee", cwd=tmp_path)
    assert "elm.yaml" not in nobody.stdout  # its facilitator can be read: it is Dana Ruiz's to fix


def test_a_hostile_title_is_inert_in_the_csv_and_visible_in_status(run_tacli, tmp_path):
    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Data Teams at Elm Street School", 'title: "=HYPERLINK(\\"http://x\\") \\ud800 \\e[31m"', 1)
    assert "HYPERLINK" in text
    (tmp_path / "elm.yaml").write_text(text, encoding="utf-8")
    due = run_tacli("due", "elm.yaml", "--today", "2026-11-22", "--facilitator", "", "--format", "csv", cwd=tmp_path)
    assert due.returncode == 0, due.stderr
    rows = list(csv.DictReader(io.StringIO(due.stdout)))
    assert rows and all(row["engagement_title"].startswith("'=HYPERLINK") for row in rows)
    assert "\\ud800" in rows[0]["engagement_title"] and "\\x1b" in rows[0]["engagement_title"]
    for output_format in ("text", "json"):
        status = run_tacli("status", "elm.yaml", "--today", "2026-11-22", "--format", output_format, cwd=tmp_path)
        assert status.returncode == 0, status.stderr
        assert "\x1b" not in status.stdout and "\\ud800" in status.stdout


def test_a_facilitator_is_a_whole_name_or_whole_words_and_a_stranger_is_said(run_tacli):
    assert "6 items" in run_tacli("due", *TODAY, "examples", "--facilitator", "dana", cwd=ROOT).stdout
    stranger = run_tacli("due", *TODAY, "examples", "--facilitator", "ana", cwd=ROOT)
    assert stranger.stdout.endswith("for ana: nothing.\n")
    assert "nobody named 'ana' leads an engagement or a service here: the facilitators are Dana Ruiz, Jordan Lee, Keisha Brown" in stranger.stderr


def test_the_format_follows_the_file_name_and_shared_ids_are_said(run_tacli, tmp_path):
    import shutil

    done = run_tacli("due", *TODAY, "examples", "--facilitator", "", "-o", tmp_path / "week.ics", cwd=ROOT)
    assert done.returncode == 0 and (tmp_path / "week.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", tmp_path / name)
    shared = run_tacli("due", *TODAY, str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "--facilitator", "", "--format", "ics")
    assert shared.returncode == 1 and "engagement id elm-street-data-teams is in 2 files" in shared.stderr


def test_files_to_fix_come_first_in_every_format_and_make_no_id_clash(run_tacli, tmp_path):
    shutil.copy2(EXAMPLES / "elm-street-data-teams.yaml", tmp_path / "elm.yaml")
    (tmp_path / "only.yaml").write_text("tacli: 1\n", encoding="utf-8")
    (tmp_path / "indent.yaml").write_text("tacli: 1\nid: x\n  title: y\n", encoding="utf-8")
    as_json = run_tacli("due", ".", *TODAY, "--facilitator", "", "--format", "json", cwd=tmp_path)
    kinds = [item["kind"] for item in json.loads(as_json.stdout)["items"]]
    assert kinds[:2] == ["fix-file", "fix-file"] and "fix-file" not in kinds[2:]
    rows = list(csv.DictReader(io.StringIO(run_tacli("due", ".", *TODAY, "--facilitator", "", "--format", "csv", cwd=tmp_path).stdout)))
    assert [row["kind"] for row in rows[:2]] == ["fix-file", "fix-file"]
    ics = run_tacli("due", ".", *TODAY, "--facilitator", "", "--format", "ics", cwd=tmp_path).stdout
    assert ics.index("CATEGORIES:fix-file") < ics.index("CATEGORIES:report")
    assert "engagement id  is in" not in as_json.stderr and "is in 2 files" not in as_json.stderr


def test_a_file_that_is_not_yaml_is_said_to_be_no_engagement(run_tacli, tmp_path):
    (tmp_path / "README.md").write_text("# Our engagements\n\nThe services delivered: see below.\n", encoding="utf-8")
    says = "not an engagement file: engagement files are YAML files (*.yaml) that start with `tacli: 1`"
    status = run_tacli("status", "README.md", *TODAY, cwd=tmp_path)
    assert status.returncode == 1 and says in status.stdout and "colon" not in status.stdout + status.stderr
    check = run_tacli("check", "README.md", *TODAY, cwd=tmp_path)
    assert check.returncode == 1 and f"README.md:1:1: error not-engagement {says}" in check.stdout
