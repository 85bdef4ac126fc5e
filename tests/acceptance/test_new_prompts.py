"""In a terminal, the commands that write ask for what the command line left
out, check each answer as it is typed, and ask again: nothing typed is lost.
Without a terminal they never wait."""

import os
import shutil
import sys

import pytest

from conftest import EXAMPLES, MINI_STANDARDS, Conversation, run_in_process

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def test_new_engagement_asks_again_until_each_answer_is_right(tmp_path):
    talk = Conversation("new", "engagement", "--today", "2026-11-22", cwd=tmp_path)
    talk.expect("Title")
    talk.say("!!!")
    talk.expect("no letters or digits")
    talk.expect("Title")
    talk.say("Reading at Oak")
    talk.expect("Tier (1. basic, 2. targeted, 3. intensive)")
    talk.say("Targeted")
    talk.expect("Recipient kind")
    talk.say("Scool")
    talk.expect("did you mean 'school'?")
    talk.expect("Recipient kind")
    talk.say("SCHOOL")
    talk.expect("Recipient's name")
    talk.say("")
    talk.expect("Recipient's name")
    talk.say("Oak School")
    talk.expect("Its district (Enter for none)")
    talk.say("Oak  Valley   District")
    talk.expect("Is it a Title I school or district? (1. yes, 2. no; Enter for not known)")
    talk.say("maybe")
    talk.expect("Is it a Title I school or district?")
    talk.say("Y")
    talk.expect("Is it identified as in need of improvement? (1. yes, 2. no; Enter for not")
    talk.say("")
    talk.expect("Provider organization")
    talk.say("The Center")
    talk.expect("Partner")
    talk.say("resk")
    talk.expect("did you mean 'resc'?")
    talk.expect("Partner")
    talk.say("RESC")
    talk.expect("Facilitator or coach")
    talk.say("Sam Park")
    talk.expect("Start date")
    talk.say("2026-09-01")
    talk.expect("Planned end date")
    talk.say("2026-08-01")
    talk.expect("before the start 2026-09-01")
    talk.expect("Planned end date")
    talk.say("2027-06-15")
    talk.expect("Who reviews the reports?")
    talk.say("Pat Kim, pat  kim")
    talk.expect("Pat Kim is already a reviewer: give each name once")
    talk.expect("Who reviews the reports?")
    talk.say("Pat Kim, Lee Ortiz")
    code, output = talk.close()
    assert code == 0, output
    assert "wrote engagements/reading-at-oak.yaml" in output
    text = (tmp_path / "engagements" / "reading-at-oak.yaml").read_text()
    assert "end: 2027-06-15\nreviewers:\n  - {name: Pat Kim}\n  - {name: Lee Ortiz}\nplan:\n" in text
    for line in ("tier: targeted", "name: Oak School", "kind: school", "partner: resc", "name: Sam Park", "start: 2026-09-01", "end: 2027-06-15",
                 "  district: Oak Valley District\n  title_i: true\n  # in_need_of_improvement: true or false\n"):
        assert line in text, line


def test_new_engagement_with_everything_given_asks_nothing(tmp_path):
    talk = Conversation("new", "engagement", "Reading at Oak", "--recipient", "Oak", "--organization", "Center", "--facilitator", "Sam", "--standards", str(MINI_STANDARDS), "--frameworks", "mini", cwd=tmp_path)
    code, output = talk.close()
    assert code == 0, output
    assert "?" not in output.split("wrote")[0]


def test_new_service_asks_for_date_type_mode_hours_and_topics(tmp_path):
    engagement = tmp_path / "elm.yaml"
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", engagement)
    talk = Conversation("new", "service", "elm.yaml", "--today", "2026-11-22", cwd=tmp_path)
    talk.expect("Date")
    talk.say("2028-01-01")
    talk.expect("falls outside the engagement (2026-09-01 to 2027-06-15)")
    talk.expect("Date")
    talk.say("next monday")
    talk.expect("Support type")
    talk.say("SITE-VISIT")
    talk.expect("Mode")
    talk.say("Virtual")
    talk.expect("Hours")
    talk.say("lots")
    talk.expect("not a number of hours")
    talk.expect("Hours")
    talk.say("1.5")
    talk.expect("Topics")
    talk.say("data-teams, nonsense")
    talk.expect("'nonsense' is not a topic")
    talk.expect("Topics")
    talk.say("Data-Teams")
    code, output = talk.close()
    assert code == 0, output
    assert "added service 2026-11-23-site-visit to elm.yaml" in output
    text = engagement.read_text()
    assert "id: 2026-11-23-site-visit" in text and "mode: virtual" in text and "hours: 1.5" in text


def test_the_mark_checklist_ticks_the_chosen_duties(tmp_path):
    engagement = tmp_path / "elm.yaml"
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", engagement)
    talk = Conversation("mark", "elm.yaml", "--service", "2026-11-17-principal-call", "--today", "2026-12-20", cwd=tmp_path)
    listing = talk.expect("Tick which")
    assert " 1. " in listing and " 2. " in listing
    talk.say("1-2 nine")
    talk.expect("'nine' is not a number")
    talk.expect("Tick which")
    talk.say("1-2")
    talk.expect("Mark them")
    talk.say("D")
    talk.expect("Done on")
    talk.say("yesterday")
    talk.expect("Evidence")
    talk.say("Call notes")
    code, output = talk.close()
    assert code == 0, output
    assert "marked 2 duties" in output
    assert engagement.read_text().count("date: 2026-12-19, evidence: Call notes") == 2


def test_tast_asks_section_by_section_then_completes(tmp_path):
    engagement = tmp_path / "elm.yaml"
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", engagement)
    talk = Conversation("tast", "elm.yaml", "--service", "2026-11-17-principal-call", "--today", "2026-11-22", cwd=tmp_path)
    talk.expect("Add to Commendations")
    talk.say("Agenda went out early")
    talk.expect("Add to Commendations")
    talk.say("")
    talk.expect("Add to Recommendations")
    talk.say("Invite the coach")
    talk.expect("Add to Recommendations")
    talk.say("")
    talk.expect("Add to Next Steps")
    talk.say("")
    talk.expect("complete")
    talk.say("y")
    talk.expect("Completed on")
    talk.say("2026-11-30")
    talk.expect("after today")
    talk.expect("Completed on")
    talk.say("today")
    code, output = talk.close()
    assert code == 0, output
    assert "added 2 entries" in output and "completed the TAST Report of service 2026-11-17-principal-call on 2026-11-22" in output
    text = engagement.read_text()
    assert "Agenda went out early" in text and "Invite the coach" in text


def test_without_a_terminal_nothing_waits(tmp_path):
    engagement = tmp_path / "elm.yaml"
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", engagement)
    result = run_in_process("new", "service", str(engagement), "--today", "2026-11-22")
    assert result.returncode == 2
    assert "missing --date and --type: give them on the command line" in result.stderr
    result = run_in_process("new", "engagement", "--today", "2026-11-22", cwd=tmp_path)
    assert result.returncode == 2 and "missing TITLE" in result.stderr
    result = run_in_process("tast", str(engagement), "--today", "2026-11-22")
    assert result.returncode == 2 and "nothing to write" in result.stderr


def test_ctrl_d_at_a_question_stops_as_an_interruption_and_writes_nothing(tmp_path):
    talk = Conversation("new", "engagement", "--today", "2026-11-22", cwd=tmp_path)
    talk.expect("Title")
    talk.say("Reading at Oak")
    talk.expect("Tier")
    talk.type(b"\x04")
    code, output = talk.close()
    assert code == 130, output
    assert "tacli: stopped: nothing was written" in output and "Traceback" not in output
    assert not (tmp_path / "engagements").exists()


def test_a_title_whose_file_exists_is_asked_again_and_bad_options_stop_before_any_question(tmp_path):
    (tmp_path / "engagements").mkdir()
    (tmp_path / "engagements" / "reading-at-oak.yaml").write_text("mine\n")
    talk = Conversation("new", "engagement", "--today", "2026-11-22", "--tier", "basic", cwd=tmp_path)
    talk.expect("Title")
    talk.say("Reading at Oak")
    talk.expect("already exists")
    talk.expect("Title")
    os.kill(talk.process.pid, 9)
    talk.close()
    assert (tmp_path / "engagements" / "reading-at-oak.yaml").read_text() == "mine\n"
    early = Conversation("new", "engagement", "--today", "2026-11-22", "--start", "31 feb", cwd=tmp_path)
    code, output = early.close()
    assert code == 2 and "--start '31 feb' is not a real date" in output and "Title" not in output


def test_a_service_id_taken_is_asked_for_and_a_done_day_before_the_service_refused(tmp_path):
    engagement = tmp_path / "elm.yaml"
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", engagement)
    talk = Conversation("new", "service", "elm.yaml", "--today", "2026-11-22", "--date", "2026-11-17", "--title", "Principal call", cwd=tmp_path)
    talk.expect("Support type")
    talk.say("telephone-ta")
    talk.expect("Service id (the engagement has '2026-11-17-principal-call' already)")
    talk.say("2026-11-17-principal-call")
    talk.expect("already: give another")
    talk.expect("Service id")
    talk.say("2026-11-17-second-call")
    talk.expect("Mode")
    talk.say("telephone")
    talk.expect("Hours")
    talk.say("")
    talk.expect("Topics")
    talk.say("")
    code, output = talk.close()
    assert code == 0 and "added service 2026-11-17-second-call" in output, output
    mark = Conversation("mark", "elm.yaml", "--service", "2026-11-17-principal-call", "--today", "2026-12-20", cwd=tmp_path)
    mark.expect("Tick which")
    mark.say("1")
    mark.expect("Mark them")
    mark.say("done")
    mark.expect("Done on")
    mark.say("2026-11-10")
    mark.expect("before the service (2026-11-17)")
    mark.expect("Done on")
    mark.say("2026-11-18")
    mark.expect("Evidence")
    mark.say("")
    code, output = mark.close()
    assert code == 0, output


def test_the_end_is_checked_against_a_start_written_in_words(tmp_path):
    talk = Conversation("new", "engagement", "Oak", "--recipient", "Oak", "--organization", "C", "--today", "2026-11-22", "--start", "next monday", "--tier", "basic", "--recipient-kind", "school", "--partner", "resc", "--district", "", "--not-title-i", "--not-in-need-of-improvement", cwd=tmp_path)
    talk.expect("Facilitator or coach")
    talk.say("Sam")
    talk.expect("Planned end date")
    talk.say("2026-11-22")
    talk.expect("before the start 2026-11-23")
    talk.expect("Planned end date")
    talk.say("2027-06-30")
    talk.expect("Who reviews the reports?")
    talk.say("")
    code, output = talk.close()
    assert code == 0, output


# Every answer of a new engagement but its title and its recipient, so that the title's questions come alone.
ALL_BUT_THE_TITLE = ("--today", "2026-11-22", "--tier", "basic", "--recipient-kind", "school", "--district", "", "--not-title-i", "--not-in-need-of-improvement",
                     "--organization", "CREC", "--partner", "resc", "--facilitator", "Li Hua", "--start", "2026-09-01", "--end", "2027-06-30", "--reviewer", "Pat Kim")


def test_a_title_in_another_script_is_kept_and_an_id_is_asked_for(tmp_path):
    """An id names the file, the reports' folder and web addresses, in Latin
    letters: a title without them (北京数据团队) is kept as it is, and the id
    asked for next (it was refused as having "no letters or digits")."""
    talk = Conversation("new", "engagement", *ALL_BUT_THE_TITLE, "--recipient", "北京学校", cwd=tmp_path)
    talk.expect("Title")
    talk.say("北京数据团队")
    talk.expect("has no Latin letters to name the file")
    talk.expect("Id (lower-case Latin letters")
    talk.say("Beijing Data")
    talk.expect("should be lower-case letters and digits joined by hyphens")
    talk.expect("Id (lower-case Latin letters")
    talk.say("beijing-data-teams")
    code, output = talk.close()
    assert code == 0, output
    text = (tmp_path / "engagements" / "beijing-data-teams.yaml").read_text(encoding="utf-8")
    assert "id: beijing-data-teams\ntitle: \"北京数据团队\"\n" in text


def test_a_title_whose_id_another_file_has_is_asked_again_at_once(tmp_path):
    """It was refused only after every other question, and every answer was lost."""
    (tmp_path / "engagements").mkdir()
    shutil.copy(EXAMPLES / "hartford-data-webinars.yaml", tmp_path / "engagements" / "copy.yaml")
    talk = Conversation("new", "engagement", *ALL_BUT_THE_TITLE, "--recipient", "Oak", cwd=tmp_path)
    talk.expect("Title")
    talk.say("Hartford Data Webinars")
    talk.expect("is already the id of engagements/copy.yaml")
    talk.expect("Title")
    talk.say("Oak data teams")
    code, output = talk.close()
    assert code == 0, output
    assert (tmp_path / "engagements" / "oak-data-teams.yaml").is_file()
