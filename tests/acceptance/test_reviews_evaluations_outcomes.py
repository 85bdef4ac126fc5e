"""Reviews of a TAST report, evaluation forms and outcome evidence as users
record them from the command line (`tacli tast --review`, `--forms-returned`,
`--rating`, `--comment`, `tacli new service` with the same, `tacli new
outcome`) and read them back (`tacli due`, `tacli status`): the bytes written,
every comment kept, and each refusal leaving the file as it was."""

from __future__ import annotations

import json
import shlex
import shutil

import pytest

from conftest import EXAMPLES

TODAY = "2026-11-22"  # the day of the shipped fixture (conftest.TODAY)
COACHING = "2026-10-27-grade-3-coaching"  # completed; Maria Lopez asked for changes, Terry Walsh approved
LAUNCH = "2026-09-29-data-teams-launch"  # completed and approved by both
CALL = "2026-11-17-principal-call"  # its report not written yet


@pytest.fixture()
def riverside(tmp_path):
    path = tmp_path / "riverside.yaml"
    shutil.copy(EXAMPLES / "riverside-district-intensive.yaml", path)
    return path


def inserted(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`, which must keep every line of it, in order."""
    import difflib

    diff = [line for line in difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)) if line[:2] in ("+ ", "- ")]
    assert not [line for line in diff if line.startswith("- ")], "a line was changed or taken out"
    return [line[2:] for line in diff]


# --- reviews ----------------------------------------------------------------------


def test_changes_asked_for_are_the_facilitators_to_make_then_resubmitted_they_are_the_reviewers_again(shipped, elm):
    """Maria Lopez asked for changes to the coaching's report: due lists it for
    its facilitator (Dana Ruiz), to revise as she asked, never her approval;
    once resubmitted it is hers to review again, and her --approve approves it."""
    theirs = shipped("due", "elm.yaml", "--facilitator", "Maria Lopez")
    assert theirs.returncode == 0, theirs.stderr
    assert "--approve" not in theirs.stdout and theirs.stdout.endswith("for Maria Lopez: nothing.\n"), theirs.stdout
    due = shipped("due", "elm.yaml", "--facilitator", "Dana Ruiz")
    lines = [line.strip() for line in due.stdout.splitlines()]
    assert "revise the TAST Report as Maria Lopez asked (“Add the grade 3 CFA item analysis to the next steps”), overdue by 5 days" in lines
    assert f"tacli tast elm.yaml --service {COACHING} --add 'SECTION=TEXT' --resubmit" in lines
    assert not [line for line in lines if "--review" in line]
    before = elm.read_text(encoding="utf-8")
    done = shipped("tast", "elm.yaml", "--service", COACHING, "--next-step", "Grade 3 CFA item analysis in December", "--resubmit")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == f"resubmitted the TAST Report of service {COACHING} to Maria Lopez on {TODAY}: it waits for their review again"
    added = inserted(before, elm.read_text(encoding="utf-8").replace(
        "next_steps: [Same cycle with the grade 4 team., Grade 3 CFA item analysis in December]", "next_steps: [Same cycle with the grade 4 team.]"))
    assert added == [f"        - {{reviewer: Maria Lopez, decision: resubmitted, date: {TODAY}}}\n"]
    nothing = shipped("tast", "elm.yaml", "--service", COACHING, "--resubmit")
    assert nothing.returncode == 2 and "there is nothing to resubmit" in nothing.stderr
    due = shipped("due", "elm.yaml", "--facilitator", "Maria Lopez")
    assert due.returncode == 0, due.stderr
    assert "Maria Lopez to review the TAST Report, overdue by 5 days" in [line.strip() for line in due.stdout.splitlines()]
    [suggested] = [line.strip() for line in due.stdout.splitlines() if line.strip().startswith("tacli tast ")]
    assert suggested == f"tacli tast elm.yaml --service {COACHING} --review 'Maria Lopez' --approve"
    assert "resubmit" not in shipped("due", "elm.yaml", "--facilitator", "Dana Ruiz").stdout
    done = shipped(*shlex.split(suggested)[1:])
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"recorded the review of the TAST Report of service {COACHING} by Maria Lopez: approved on {TODAY}, in elm.yaml"
    assert "the TAST Report is approved: every reviewer approved it (Maria Lopez, Terry Walsh)" in done.stdout
    assert f"follow-up.leadership.review-tast-report: {{status: done, date: {TODAY}, evidence: TAST Report approved by Maria Lopez and Terry Walsh}}" in elm.read_text(encoding="utf-8")
    again = shipped("due", "elm.yaml", "--facilitator", "Maria Lopez")
    assert again.returncode == 0 and "tacli tast" not in again.stdout and again.stdout.endswith("for Maria Lopez: nothing.\n"), again.stdout
    assert "tast-review-overdue" not in shipped("check", "elm.yaml").stdout
    status = json.loads(shipped("status", "elm.yaml", "-f", "json").stdout)
    reviews = next(s for s in status["services"] if s["id"] == COACHING)["report"]["reviews"]
    assert reviews["approved"] is True and reviews["approved_on"] == TODAY and reviews["waiting"] == []


def test_resubmit_is_refused_with_a_decision_or_complete(shipped, elm):
    before = elm.read_bytes()
    both = shipped("tast", "elm.yaml", "--service", COACHING, "--review", "Maria Lopez", "--approve", "--resubmit")
    assert both.returncode == 2 and "--resubmit is the facilitator's" in both.stderr
    complete = shipped("tast", "elm.yaml", "--service", CALL, "--complete", "--resubmit")
    assert complete.returncode == 2 and "complete it first (--complete), in a command of its own" in complete.stderr
    early = shipped("tast", "elm.yaml", "--service", COACHING, "--resubmit", "--date", "2026-11-08")
    assert early.returncode == 2 and "before Maria Lopez asked for changes (2026-11-09)" in early.stderr
    assert elm.read_bytes() == before


def test_asking_for_changes_needs_the_changes_and_keeps_the_history(shipped, elm):
    before = elm.read_text(encoding="utf-8")
    blank = shipped("tast", "elm.yaml", "--service", LAUNCH, "--review", "Terry Walsh", "--request-changes", " ")
    assert blank.returncode == 2 and "--request-changes needs the changes asked for" in blank.stderr
    both = shipped("tast", "elm.yaml", "--service", LAUNCH, "--review", "Terry Walsh", "--approve", "--request-changes", "More")
    assert both.returncode == 2 and "--approve and --request-changes are two decisions: give one" in both.stderr
    neither = shipped("tast", "elm.yaml", "--service", LAUNCH, "--review", "Terry Walsh")
    assert neither.returncode == 2 and "give the decision, --approve" in neither.stderr
    note = shipped("tast", "elm.yaml", "--service", LAUNCH, "--review", "Terry Walsh", "--request-changes", "More", "--note", "x")
    assert note.returncode == 2 and "--note goes with --approve" in note.stderr
    alone = shipped("tast", "elm.yaml", "--service", LAUNCH, "--approve")
    assert alone.returncode == 2 and "name the reviewer with --review NAME" in alone.stderr
    assert elm.read_text(encoding="utf-8") == before
    asked = shipped("tast", "elm.yaml", "--service", LAUNCH, "--review", "  terry   WALSH ", "--request-changes", "Add the sign-in count: 18 of 18", "--date", "2026-11-20")
    assert asked.returncode == 0, asked.stderr
    assert "changes asked for by Terry Walsh: revise the report" in asked.stdout
    [line] = inserted(before, elm.read_text(encoding="utf-8"))
    assert line == '        - {reviewer: Terry Walsh, decision: changes-requested, date: 2026-11-20, note: "Add the sign-in count: 18 of 18"}\n'
    same = shipped("tast", "elm.yaml", "--service", LAUNCH, "--review", "Terry Walsh", "--request-changes", "Add the sign-in count: 18 of 18")
    assert same.returncode == 0 and "is already changes-requested (2026-11-20): nothing was written" in same.stdout
    status = json.loads(shipped("status", "elm.yaml", "-f", "json").stdout)
    reviews = next(s for s in status["services"] if s["id"] == LAUNCH)["report"]["reviews"]
    assert reviews["approved"] is False and reviews["waiting"] == ["Terry Walsh"]  # the latest decision counts
    assert [(r["reviewer"], r["state"]) for r in reviews["reviewers"]] == [("Maria Lopez", "approved"), ("Terry Walsh", "changes-requested")]
    approved = shipped("tast", "elm.yaml", "--service", LAUNCH, "--review", "Terry", "--approve", "--note", "Thanks")
    assert approved.returncode == 0 and "the TAST Report is approved" in approved.stdout, approved.stderr
    assert elm.read_text(encoding="utf-8").count("reviewer: Terry Walsh") == 4  # two before, and his two decisions


def test_a_reviewer_not_listed_is_refused_with_the_list_and_the_nearest(shipped, elm):
    before = elm.read_bytes()
    done = shipped("tast", "elm.yaml", "--service", COACHING, "--review", "Mario Lopes", "--approve")
    assert done.returncode == 2
    assert done.stderr == (
        "tacli: error: 'Mario Lopes' is not one of the engagement's reviewers (Maria Lopez, Terry Walsh): give a name as they are listed,"
        " or add them with `tacli new reviewer elm.yaml 'Mario Lopes'`; did you mean 'Maria Lopez'?\n")
    assert elm.read_bytes() == before


def test_an_engagement_without_reviewers_says_how_to_add_them(shipped, elm):
    text = elm.read_text(encoding="utf-8")
    start = text.index("reviewers:")
    elm.write_text(text[:start] + text[text.index("start: 2026-09-01"):], encoding="utf-8")
    before = elm.read_bytes()
    done = shipped("tast", "elm.yaml", "--service", COACHING, "--review", "Maria Lopez", "--approve")
    assert done.returncode == 2
    assert "the engagement names no reviewers of its TAST Reports: add each one with `tacli new reviewer elm.yaml 'Maria Lopez'`" in done.stderr
    assert elm.read_bytes() == before


def test_a_report_not_completed_is_not_reviewed(shipped, elm):
    before = elm.read_bytes()
    done = shipped("tast", "elm.yaml", "--service", CALL, "--review", "Maria Lopez", "--approve")
    assert done.returncode == 2
    assert (f"the TAST Report of service '{CALL}' is not completed: a report is reviewed once it is completed;"
            f" write it and complete it first (tacli tast elm.yaml --service {CALL}, then with --complete)") in done.stderr
    early = shipped("tast", "elm.yaml", "--service", COACHING, "--review", "Maria Lopez", "--approve", "--date", "2026-11-01")
    assert early.returncode == 2 and "--date 2026-11-01 is before the TAST Report of service '2026-10-27-grade-3-coaching' was completed (2026-11-06)" in early.stderr
    late = shipped("tast", "elm.yaml", "--service", COACHING, "--review", "Maria Lopez", "--approve", "--date", "2026-12-01")
    assert late.returncode == 2 and "is after today" in late.stderr
    backdated = shipped("tast", "elm.yaml", "--service", COACHING, "--review", "Maria Lopez", "--approve", "--date", "2026-11-08")
    assert backdated.returncode == 2 and "--date 2026-11-08 is before Maria Lopez's latest decision" in backdated.stderr and "give --date 2026-11-09 or later" in backdated.stderr
    mixed = shipped("tast", "elm.yaml", "--service", COACHING, "--review", "Maria Lopez", "--approve", "--complete")
    assert mixed.returncode == 2 and "--review records a reviewer's decision on its own" in mixed.stderr
    assert elm.read_bytes() == before


def test_a_report_completed_by_tast_is_reviewed_into_a_list_made_for_it(shipped, elm):
    written = shipped("tast", "elm.yaml", "--service", CALL, "--next-step", "Winter visits on 12 and 19 January", "--complete")
    assert written.returncode == 0, written.stderr
    before = elm.read_text(encoding="utf-8")
    two = shipped("tast", "elm.yaml", "--review", "Maria Lopez", "--approve")
    assert two.returncode == 2 and f"2 TAST Reports wait for the review of Maria Lopez: say which with --service ({COACHING}, {CALL})" in two.stderr
    done = shipped("tast", "elm.yaml", "--review", "Terry Walsh", "--approve")  # the one report waiting for him
    assert done.returncode == 0, done.stderr
    assert "waiting for the review of Maria Lopez" in done.stdout
    assert inserted(before, elm.read_text(encoding="utf-8")) == ["      reviews:\n", f"        - {{reviewer: Terry Walsh, decision: approved, date: {TODAY}}}\n"]
    assert shipped("check", "elm.yaml", "--select", "tast-review*").returncode == 0


def test_a_report_written_as_a_flow_mapping_gets_its_review_in_place(shipped, elm):
    text = elm.read_text(encoding="utf-8")
    start = text.index("      commendations: [The team scored")
    end = text.index("  - id: 2026-11-17-principal-call")
    elm.write_text(text[:start].rstrip(" ").removesuffix("tast_report:\n") + "tast_report: {next_steps: [Same cycle], completed: 2026-11-06}\n" + text[end:], encoding="utf-8")
    done = shipped("tast", "elm.yaml", "--service", COACHING, "--review", "Terry Walsh", "--approve", "--date", "2026-11-10")
    assert done.returncode == 0, done.stderr
    assert "    tast_report: {next_steps: [Same cycle], completed: 2026-11-06, reviews: [{reviewer: Terry Walsh, decision: approved, date: 2026-11-10}]}\n" in elm.read_text(encoding="utf-8")


# --- evaluation forms ------------------------------------------------------------


def test_tast_records_the_evaluation_forms_and_their_duty(shipped, elm):
    before = elm.read_text(encoding="utf-8")
    done = shipped("tast", "elm.yaml", "--service", CALL, "--forms-requested", "2", "--forms-returned", "2",
                   "--rating", "quality=4.5", "--rating", "Usefulness=5", "--comment", "Short: and useful")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"recorded the evaluation forms of service {CALL} in elm.yaml: 2 returned of 2 requested; quality 4.5, usefulness 5; 1 comment\n"
        "marked delivery.facilitator.request-evaluation-forms done on the day of the service: the forms returned are its record\n")
    after = elm.read_text(encoding="utf-8")
    block = ("    evaluation_forms:\n      requested: 2\n      returned: 2\n      ratings: {quality: 4.5, usefulness: 5}\n"
             "      comments:\n        - \"Short: and useful\"\n")
    duty = "      delivery.facilitator.request-evaluation-forms: {status: open}\n"
    expected = before.replace("    intended_outcomes: [Dates for the winter coaching visits]\n", "    intended_outcomes: [Dates for the winter coaching visits]\n" + block)
    expected = expected.replace(duty, '      delivery.facilitator.request-evaluation-forms: {status: done, date: 2026-11-17, evidence: "2 evaluation forms returned"}\n')
    assert after == expected
    checked = shipped("check", "elm.yaml", "--select", "duty-record,evaluation-count,duty-open")
    assert "request-evaluation-forms" not in checked.stdout and "evaluation-count" not in checked.stdout
    more = shipped("tast", "elm.yaml", "--service", CALL, "--rating", "relevance=4", "--comment", "Short: and useful", "--comment", "Next time in person")
    assert more.returncode == 0 and "relevance 4; 1 comment" in more.stdout, more.stderr
    assert elm.read_text(encoding="utf-8") == after.replace("ratings: {quality: 4.5, usefulness: 5}", "ratings: {quality: 4.5, usefulness: 5, relevance: 4}").replace(
        '        - "Short: and useful"\n', '        - "Short: and useful"\n        - Next time in person\n')
    same = shipped("tast", "elm.yaml", "--service", CALL, "--rating", "relevance=4")
    assert same.returncode == 0 and "already say so" in same.stdout


def test_a_block_of_forms_gets_each_value_in_place(shipped, elm):
    before = elm.read_text(encoding="utf-8")
    done = shipped("tast", "elm.yaml", "--service", LAUNCH, "--forms-returned", "18", "--rating", "relevance=4.5", "--comment", "Another")
    assert done.returncode == 0, done.stderr
    after = elm.read_text(encoding="utf-8")
    assert after == before.replace("      returned: 17\n", "      returned: 18\n").replace(
        "      ratings: {quality: 4.6, relevance: 4.4, usefulness: 4.7}\n", "      ratings: {quality: 4.6, relevance: 4.5, usefulness: 4.7}\n").replace(
        "        - More time for goal setting, please.\n", "        - More time for goal setting, please.\n        - Another\n")
    assert "marked" not in done.stdout  # its duty was done already


@pytest.mark.parametrize("args, said", [
    (["--rating", "relevance=6"], "--rating relevance=6 is off the rating scale, 1 to 5 (1: poor, 5: excellent)"),
    (["--rating", "relevanse=4"], "--rating: unknown rated quality 'relevanse': did you mean 'relevance'?"),
    (["--rating", "relevance=4,5"], "write the mean rating as a number, e.g. relevance=4.5"),
    (["--rating", "relevance"], "write QUALITY=MEAN, e.g. --rating quality=4.5"),
    (["--rating", "quality=4", "--rating", "quality=5"], "--rating quality is given twice"),
    (["--forms-returned", "20"], "would say 20 returned of 18 requested"),
    (["--forms-requested", "3", "--forms-returned", "4"], "--forms-returned 4 is more than --forms-requested 3"),
    (["--comment", " "], "--comment is blank"),
])
def test_wrong_evaluations_are_refused_before_anything_is_written(shipped, elm, args, said):
    before = elm.read_bytes()
    done = shipped("tast", "elm.yaml", "--service", LAUNCH, *args)
    assert done.returncode == 2 and said in done.stderr, done.stderr
    assert elm.read_bytes() == before


def test_ratings_without_forms_returned_are_refused(shipped, elm):
    before = elm.read_bytes()
    done = shipped("tast", "elm.yaml", "--service", CALL, "--rating", "quality=4")
    assert done.returncode == 2 and "ratings need the number of forms they are the mean of: give --forms-returned N too" in done.stderr
    added = shipped("new", "service", "elm.yaml", "--date", "2026-11-20", "--type", "site-visit", "--rating", "quality=4")
    assert added.returncode == 2 and "--rating needs --forms-returned N" in added.stderr
    assert elm.read_bytes() == before


def test_the_scale_and_the_rated_qualities_are_the_standards(shipped, elm, tmp_path):
    from tacli.core.paths import shipped_standards

    standards = tmp_path / "standards"
    shutil.copytree(shipped_standards(), standards)
    osep = (standards / "osep.yaml").read_text(encoding="utf-8")
    (standards / "osep.yaml").write_text(osep.replace("  max: 5\n", "  max: 4\n").replace("  - id: usefulness\n    title: Usefulness\n", "  - id: use-value\n    title: Use value\n"), encoding="utf-8")
    off = shipped("tast", "elm.yaml", "--service", CALL, "--forms-returned", "2", "--rating", "quality=4.5", "--standards", str(standards))
    assert off.returncode == 2 and "off the rating scale, 1 to 4" in off.stderr
    unknown = shipped("tast", "elm.yaml", "--service", CALL, "--forms-returned", "2", "--rating", "usefulness=4", "--standards", str(standards))
    assert unknown.returncode == 2 and "unknown rated quality 'usefulness'" in unknown.stderr and "(rated: quality, relevance, use-value)" in unknown.stderr


def test_new_service_records_its_forms_before_its_duties(shipped, elm):
    done = shipped("new", "service", "elm.yaml", "--date", "2026-11-20", "--type", "site-visit", "--forms-requested", "5", "--forms-returned", "4",
                   "--rating", "quality=4.2", "--rating", "relevance=4", "--rating", "usefulness=4.25", "--comment", "Good")
    assert done.returncode == 0, done.stderr
    assert "recorded its evaluation forms: 4 returned of 5 requested; quality 4.2, relevance 4, usefulness 4.25; 1 comment" in done.stdout
    assert "marked delivery.facilitator.request-evaluation-forms done on 2026-11-20" in done.stdout
    text = elm.read_text(encoding="utf-8")
    service = text[text.index("  - id: 2026-11-20-site-visit"):]
    assert service.index("    evaluation_forms:\n      requested: 5\n      returned: 4\n      ratings: {quality: 4.2, relevance: 4, usefulness: 4.25}\n      comments:\n        - Good\n    duties:\n") > 0
    assert "delivery.facilitator.request-evaluation-forms: {status: done, date: 2026-11-20" in service
    future = shipped("new", "service", "elm.yaml", "--date", "2026-12-01", "--type", "site-visit", "--forms-returned", "4")
    assert future.returncode == 2 and "evaluation forms are recorded once the service is held" in future.stderr


def test_a_service_written_as_a_flow_mapping_gets_its_forms_in_place(shipped, riverside):
    before = riverside.read_text(encoding="utf-8")
    done = shipped("tast", "riverside.yaml", "--service", "2025-10-07-coaching", "--forms-returned", "12", "--rating", "quality=4", "--comment", "Good: very")
    assert done.returncode == 0, done.stderr
    assert "marked" not in done.stdout  # its frameworks have no duty to request the forms
    line = ("  - {id: 2025-10-07-coaching, date: 2025-10-07, type: job-embedded-pd, mode: on-site, hours: 6, title: Coaching building teams, "
            'evaluation_forms: {returned: 12, ratings: {quality: 4}, comments: ["Good: very"]}}\n')
    assert riverside.read_text(encoding="utf-8") == before.replace("  - {id: 2025-10-07-coaching, date: 2025-10-07, type: job-embedded-pd, mode: on-site, hours: 6, title: Coaching building teams}\n", line)
    flow = shipped("tast", "riverside.yaml", "--service", "2026-11-17-coaching", "--rating", "quality=4.1", "--comment", "x")
    assert flow.returncode == 0, flow.stderr
    assert "ratings: {quality: 4.1, relevance: 4.6, usefulness: 4.8}, comments: [Model the tier 2 lesson before we plan, x]}}" in riverside.read_text(encoding="utf-8")


# --- outcome evidence ------------------------------------------------------------


def test_new_outcome_adds_evidence_in_date_order_as_the_entries_are_written(shipped, elm, riverside):
    before = elm.read_text(encoding="utf-8")
    done = shipped("new", "outcome", "elm.yaml", "--level", "Level 2", "--date", "2026-10-01", "--observed", "Teams: scored together", "--evidence", "Calibration sheet")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "added outcome evidence observed on 2026-10-01, at Level 2 (Participants' Learning), to elm.yaml\n"
    after = elm.read_text(encoding="utf-8")
    assert inserted(before, after) == ["  - date: 2026-10-01\n", "    level: learning\n", '    observed: "Teams: scored together"\n', "    evidence: Calibration sheet\n"]
    assert after.index("level: learning\n    observed: \"Teams") < after.index("  - date: 2026-10-27")
    flow = riverside.read_text(encoding="utf-8")
    added = shipped("new", "outcome", "riverside.yaml", "--level", "students", "--date", "2026-11-20", "--observed", "Benchmark up", "--evidence", "Screening data")
    assert added.returncode == 0, added.stderr
    assert inserted(flow, riverside.read_text(encoding="utf-8")) == ["  - {date: 2026-11-20, level: students, observed: Benchmark up, evidence: Screening data}\n"]


def test_new_outcome_makes_the_list_before_the_services(shipped, tmp_path):
    made = shipped("new", "engagement", "Oak", "--recipient", "Oak School", "--organization", "C", "--facilitator", "Z", "--start", "2026-09-01",
                   "--service-date", "2026-10-01", "--service-type", "site-visit")
    assert made.returncode == 0, made.stderr
    path = tmp_path / "engagements" / "oak.yaml"
    before = path.read_text(encoding="utf-8")
    done = shipped("new", "outcome", str(path), "--level", "use", "--observed", "Teachers plan from data")
    assert done.returncode == 0, done.stderr
    assert "tacli: it does not say where the evidence is" in done.stderr
    after = path.read_text(encoding="utf-8")
    assert inserted(before, after) == ["outcomes:\n", f"  - date: {TODAY}\n", "    level: use\n", "    observed: Teachers plan from data\n"]
    assert after.index("outcomes:\n") < after.index("services:\n")


@pytest.mark.parametrize("args, said", [
    (["--level", "usage", "--observed", "x"], "unknown evidence level 'usage': did you mean 'use'?"),
    (["--observed", "x"], "missing --level"),
    (["--level", "use"], "missing --observed"),
    (["--level", "use", "--observed", " "], "--observed is blank"),
    (["--level", "use", "--observed", "x", "--date", "2026-08-01"], "--date 2026-08-01 is before the engagement's start (2026-09-01)"),
    (["--level", "use", "--observed", "x", "--date", "2026-12-01"], "--date 2026-12-01 is after today"),
])
def test_wrong_outcome_evidence_is_refused(shipped, elm, args, said):
    before = elm.read_bytes()
    done = shipped("new", "outcome", "elm.yaml", *args)
    assert done.returncode == 2 and said in done.stderr, done.stderr
    assert elm.read_bytes() == before


# --- status ------------------------------------------------------------------------


def test_status_shows_the_ladder_the_evaluations_and_the_reviews(shipped, elm):
    done = shipped("status", "elm.yaml")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "      Reviews: approved on 2026-10-05 (Maria Lopez, Terry Walsh)" in lines
    assert "      Reviews: Maria Lopez asked for changes 2026-11-09 (revision due 2026-11-17) · Terry Walsh approved 2026-11-10" in lines
    assert ("Evaluations: 22 forms returned of 23 requested (2 services); mean of 5: quality 4.65, relevance 4.54, usefulness 4.68 (of 22 forms)") in lines
    ladder = lines[lines.index("Outcome evidence, by level") + 1:][:5]
    assert ladder[0] == "  1. Participants' Reactions: 1 entry, latest 2026-09-29"
    assert ladder[4] == "  5. Student Learning Outcomes: none yet"
    data = json.loads(shipped("status", "elm.yaml", "-f", "json").stdout)
    assert [level["entries"] for level in data["outcomes"]["levels"]] == [1, 1, 1, 1, 0]
    assert data["outcomes"]["highest"] == "use"
    assert {r["id"]: (r["mean"], r["count"]) for r in data["evaluations"]["ratings"]} == {"quality": (4.65, 22), "relevance": (4.54, 22), "usefulness": (4.68, 22)}
    assert any(item["command"].endswith(f"--service {COACHING} --add 'SECTION=TEXT' --resubmit") for item in data["next"])
    assert not any("--review 'Maria Lopez' --approve" in item["command"] for item in data["next"])  # she asked for changes: not hers to approve


def test_status_and_due_ask_intensive_ta_for_its_evidence_of_use(shipped, riverside):
    text = riverside.read_text(encoding="utf-8")
    start = text.index("\noutcomes:") + 1
    riverside.write_text(text[:start] + text[text.index("services:\n"):], encoding="utf-8")
    data = json.loads(shipped("status", "riverside.yaml", "-f", "json").stdout)
    assert data["outcomes"]["due"] == {"level": "use", "by": "2025-12-28", "met": False}
    first = data["next"][0]
    assert first["what"] == "outcome evidence: Participants' Use of New Knowledge and Skills" and first["overdue"] is True
    assert first["command"] == "tacli new outcome riverside.yaml --level use"  # in a terminal it asks the rest
    text_status = shipped("status", "riverside.yaml").stdout
    assert "  Due by 2025-12-28: evidence at Participants' Use of New Knowledge and Skills or above" in text_status
    recorded = shipped("new", "outcome", "riverside.yaml", "--level", "use", "--date", "2026-05-20", "--observed", "Seven of eight schools run tier 2 groups", "--evidence", "R-TFI")
    assert recorded.returncode == 0, recorded.stderr
    assert "outcome evidence" not in shipped("due", "riverside.yaml", "--facilitator", "", "--within", "400").stdout


# --- completion --------------------------------------------------------------------


def test_completion_offers_reviewers_rated_qualities_and_levels():
    from test_completion import ELM, bash, run_in_process

    assert bash(f"tacli tast {ELM} --review ") == ["Maria\\", "Lopez", "Terry\\", "Walsh"]  # one word each in bash: Maria\ Lopez
    assert bash(f"tacli tast {ELM} --review T") == ["Terry\\", "Walsh"]
    assert bash(f"tacli tast {ELM} --rating ") == ["quality=", "relevance=", "usefulness="]
    assert bash(f"tacli new service {ELM} --rating u") == ["usefulness="]
    assert bash(f"tacli new outcome {ELM} --level ") == ["reactions", "learning", "organization", "use", "students"]
    zsh = run_in_process(env={"_TACLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": f"tacli tast {ELM} --review "})
    assert '"Maria Lopez":"Assistant Principal"' in zsh.stdout


def test_values_of_a_framework_the_engagement_does_not_list_are_refused(shipped, elm):
    elm.write_text(elm.read_text(encoding="utf-8").replace("frameworks: [cali, csde, dunst, guskey, osep]", "frameworks: [cali, csde, dunst]"), encoding="utf-8")
    text = elm.read_text(encoding="utf-8")
    for start, stop in (("\noutcomes:", "\nservices:"),):
        text = text[:text.index(start) + 1] + text[text.index(stop) + 1:]
    text = text.replace("      ratings: {quality: 4.6, relevance: 4.4, usefulness: 4.7}\n", "").replace("      ratings: {quality: 4.8, relevance: 5, usefulness: 4.6}\n", "")
    elm.write_text(text, encoding="utf-8")
    before = elm.read_bytes()
    outcome = shipped("new", "outcome", "elm.yaml", "--level", "use", "--observed", "x", "--evidence", "y")
    assert outcome.returncode == 2 and "evidence level 'use' comes from 'guskey', which this engagement does not list" in outcome.stderr, outcome.stderr
    rating = shipped("tast", "elm.yaml", "--service", LAUNCH, "--rating", "quality=4")
    assert rating.returncode == 2 and "rated quality 'quality' comes from 'osep'" in rating.stderr, rating.stderr
    assert elm.read_bytes() == before


def test_new_outcome_asks_in_a_terminal_what_the_command_line_left_out(tmp_path):
    import sys

    from conftest import Conversation

    if sys.platform == "win32":
        pytest.skip("needs a pseudo-terminal")
    shutil.copy(EXAMPLES / "riverside-district-intensive.yaml", tmp_path / "riverside.yaml")
    before = (tmp_path / "riverside.yaml").read_text(encoding="utf-8")
    talk = Conversation("new", "outcome", "riverside.yaml", "--level", "use", "--today", TODAY, cwd=tmp_path)
    talk.expect("Observed on")
    talk.say("2026-12-01")
    talk.expect("after today")
    talk.expect("Observed on")
    talk.say("2026-11-20")
    talk.expect("What was observed")
    talk.say("")
    talk.expect("what was observed is the evidence")
    talk.expect("What was observed")
    talk.say("Eight of eight schools run tier 2 groups")
    talk.expect("Where the evidence is")
    talk.say("R-TFI, November 2026")
    code, output = talk.close()
    assert code == 0, output
    assert inserted(before, (tmp_path / "riverside.yaml").read_text(encoding="utf-8")) == [
        "  - {date: 2026-11-20, level: use, observed: Eight of eight schools run tier 2 groups, evidence: \"R-TFI, November 2026\"}\n"]
    nothing = run_in_process_here("new", "outcome", "riverside.yaml", "--level", "use", cwd=tmp_path)
    assert nothing.returncode == 2 and "missing --observed" in nothing.stderr  # without a terminal nothing waits


def run_in_process_here(*args, **kwargs):
    from conftest import run_in_process

    return run_in_process(*args, env={"TACLI_TODAY": TODAY}, **kwargs)
