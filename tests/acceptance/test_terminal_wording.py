"""What a person reads in an 80-column terminal: every question and message
wrapped at spaces (never inside a word), commands quoted, the variable named
that gave a bad day, and the questions of `new` saying what they need."""

from __future__ import annotations

import shutil
import sys

import pytest

from conftest import EXAMPLES, Conversation, run_in_process

ELM = "elm.yaml"
TODAY = ("--today", "2026-11-22")
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def wrapped_at_spaces(output: str, *whole: str) -> None:
    """No line wider than the terminal (so the terminal breaks none inside a
    word), and each of `whole` on one line."""
    lines = output.split("\n")
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    for text in whole:
        assert any(text in line for line in lines), text


@POSIX_ONLY
def test_the_questions_of_new_service_fit_80_columns(elm_folder):
    talk = Conversation("new", "service", ELM, *TODAY, cwd=elm_folder)
    asked = talk.expect("Date [2026-11-22]: ")
    talk.say("2026-11-20")
    asked += talk.expect("leadership-coaching): ")
    talk.say("zzz")
    asked += talk.expect("leadership-coaching): ")
    talk.say("")
    asked += talk.expect("leadership-coaching): ")
    talk.kill()
    wrapped_at_spaces(asked, "Ctrl+C", "4. professional-development", "'zzz'")
    assert "'zzz' is not one of them" in asked
    assert "choose one: type its number or its name" in asked  # an empty answer is told why it is asked again


@POSIX_ONLY
def test_the_report_questions_fit_80_columns(elm_folder):
    talk = Conversation("tast", ELM, "--service", "2026-11-17-principal-call", *TODAY, cwd=elm_folder)
    said = talk.expect("Add to Commendations: ")
    talk.kill()
    wrapped_at_spaces(said, "entry", "section.")


def test_a_range_written_backwards_is_said_to_be_so():
    from tacli.cli.prompts import picks
    from tacli.core.outcome import UsageError

    with pytest.raises(UsageError, match=r"^3-1: write the smaller number first, 1-3$"):
        picks("3-1", 34)
    with pytest.raises(UsageError, match="not between 1 and 34"):
        picks("30-40", 34)


def test_a_bad_day_in_tacli_today_names_the_variable(elm_folder):
    from_variable = run_in_process("due", ELM, cwd=elm_folder, env={"TACLI_TODAY": "12/8/2026"})
    assert from_variable.returncode == 2
    assert from_variable.stderr.startswith("tacli: error: TACLI_TODAY '12/8/2026' is not a date")
    from_option = run_in_process("due", ELM, "--today", "12/8/2026", cwd=elm_folder, env={"TACLI_TODAY": "2026-11-22"})
    assert from_option.stderr.startswith("tacli: error: --today '12/8/2026' is not a date")


def test_status_quotes_its_check_command(elm_folder):
    shutil.copy(elm_folder / ELM, elm_folder / "my school.yaml")
    status = run_in_process("status", "my school.yaml", *TODAY, cwd=elm_folder)
    assert status.stdout.rstrip().endswith("(tacli check 'my school.yaml')")
    assert run_in_process("status", "my school.yaml", *TODAY, "-f", "json", cwd=elm_folder).stdout.count('"command": "tacli check \'my school.yaml\'"') == 1


def test_init_folds_its_next_steps_to_80_columns(tmp_path):
    done = run_in_process("init", "center", "--no-git", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    steps = done.stdout[done.stdout.index("Next:"):].split("\n")
    assert all(len(line) < 80 for line in steps), [line for line in steps if len(line) >= 80]
    at = next(index for index, line in enumerate(steps) if line.startswith("  tacli new engagement  "))
    assert steps[at + 1].startswith(" " * 24) and steps[at + 1].strip()  # its words folded under their column


@POSIX_ONLY
def test_new_engagement_offers_me_as_facilitator_and_says_why_an_answer_is_needed(tmp_path):
    (tmp_path / "tacli.toml").write_text('me = "Dana Ruiz"\n', encoding="utf-8")
    (tmp_path / ".git").mkdir()
    talk = Conversation("new", "engagement", "Reading at Oak", "--recipient", "Oak School", "--tier", "basic", "--recipient-kind", "school",
                        "--partner", "resc", "--start", "2026-11-22", "--end", "2027-06-15", "--district", "Oak", "--not-title-i", "--in-need-of-improvement", *TODAY, cwd=tmp_path)
    talk.expect("Provider organization: ")
    talk.say("")
    said = talk.expect("Provider organization: ")
    assert "the provider organization is needed" in " ".join(said.split())
    talk.say("The Center")
    talk.expect("Facilitator or coach [Dana Ruiz]: ")
    talk.say("")
    talk.expect("Who reviews the reports? (names separated by commas; Enter for none): ")
    talk.say("")
    code, output = talk.close()
    assert code == 0, output
    text = (tmp_path / "engagements" / "reading-at-oak.yaml").read_text()
    assert "name: Dana Ruiz" in text and "  district: Oak\n  title_i: false\n  in_need_of_improvement: true\n" in text


@POSIX_ONLY
@pytest.mark.parametrize("file, topics, says", [
    ("elm-street-data-teams.yaml", "school climate", "--topics: 'school climate' is not a topic of this engagement's frameworks"),
    ("little-acorns-oec-coaching.yaml", "school climate", "--topics: the frameworks of e.yaml (oec, dunst, guskey, osep) list no topics: leave --topics out"),
])
def test_topics_given_are_checked_before_any_question(tmp_path, file, topics, says):
    shutil.copy(EXAMPLES / file, tmp_path / "e.yaml")
    code, output = Conversation("new", "service", "e.yaml", "--topics", topics, *TODAY, cwd=tmp_path, columns=200).close()
    assert code == 2 and says in output
    assert "Date" not in output  # refused before the first question


@POSIX_ONLY
def test_topics_given_as_people_type_them_are_written_as_ids(elm_folder):
    talk = Conversation("new", "service", ELM, "--topics", "Data Teams", "--type", "site-visit", "--mode", "on-site", "--hours", "2", *TODAY, cwd=elm_folder)
    talk.expect("Date")
    talk.say("2026-11-20")
    code, output = talk.close()
    assert code == 0, output
    assert "topics: [data-teams]" in (elm_folder / ELM).read_text()
