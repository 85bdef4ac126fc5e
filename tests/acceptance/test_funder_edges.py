"""Edges of the funder features as a user meets them at the command line: what
tacli takes and what it says when it cannot."""

from __future__ import annotations

import shutil

from conftest import EXAMPLES

TODAY = ("--today", "2026-11-22")
CALL = "2026-11-17-principal-call"


def test_an_evidence_level_by_its_number_alone(run_tacli, tmp_path):
    # status and the reports number Guskey's levels: "4." is Level 4, use.
    path = tmp_path / "elm.yaml"
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", path)
    done = run_tacli("new", "outcome", path, "--level", "4", "--observed", "Teachers re-taught from CFA results", "--evidence", "Walkthrough log", *TODAY)
    assert done.returncode == 0, done.stderr
    assert "at Level 4 (Participants' Use of New Knowledge and Skills)" in done.stdout
    refused = run_tacli("new", "outcome", path, "--level", "9", "--observed", "x", *TODAY)
    assert refused.returncode == 2 and "unknown evidence level '9'" in refused.stderr


def test_ratings_with_no_form_returned_say_so(run_tacli, tmp_path):
    path = tmp_path / "elm.yaml"
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", path)
    before = path.read_bytes()
    done = run_tacli("tast", path, "--service", CALL, "--forms-returned", "0", "--rating", "quality=4", *TODAY)
    assert done.returncode == 2 and path.read_bytes() == before
    assert "give --forms-returned N too" not in done.stderr
    assert "no form came back" in done.stderr and "--rating" in done.stderr


def test_an_annual_report_of_a_year_just_begun_points_to_the_last_one(run_tacli):
    # In July the director wants the year that just ended: today's has nothing yet.
    done = run_tacli("report", EXAMPLES, "--kind", "annual", "--today", "2027-07-15")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Annual report 2027-28")
    assert "--year 2026-27" in done.stderr
    export = run_tacli("export", EXAMPLES, "--table", "annual", "--today", "2027-07-15", "--format", "json")
    assert export.returncode == 0 and "--year 2026-27" in export.stderr
    for given in (("--today", "2027-07-15", "--year", "2027-28"), ("--today", "2026-11-22")):
        quiet = run_tacli("report", EXAMPLES, "--kind", "annual", *given)
        assert quiet.returncode == 0 and "--year" not in quiet.stderr, quiet.stderr
