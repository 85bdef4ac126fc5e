"""Through the command line: what people type is understood where it is
unambiguous, asked back in a terminal where it is not, and refused with a
usage error that names the readings elsewhere; a misspelled service id gets
its "did you mean"; the mark checklist is grouped, and paged to fit a 24-row
terminal; prompt messages respect NO_COLOR."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import Conversation, run_in_process

ELM = "elm.yaml"
SERVICE = "2026-11-17-principal-call"
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def test_a_day_in_words_outside_the_calendar_is_a_usage_error_naming_it(elm_folder):
    added = run_in_process("new", "service", ELM, "--date", "yesterday", "--today", "0001-01-01", "--type", "site-visit", cwd=elm_folder)
    assert added.returncode == 2, added.stderr
    assert added.stderr == "tacli: error: --date 'yesterday' from 0001-01-01 falls outside the calendar (0001-01-01 to 9999-12-31): write the day as YYYY-MM-DD\n"
    marked = run_in_process("mark", ELM, "planning.facilitator.review-plans-and-data", "--service", SERVICE, "--done", "--date", "last tuesday", "--today", "0001-01-01", cwd=elm_folder)
    assert marked.returncode == 2, marked.stderr
    assert marked.stderr == "tacli: error: --date 'last tuesday' from 0001-01-01 falls outside the calendar (0001-01-01 to 9999-12-31): write the day as YYYY-MM-DD\n"
    assert "internal error" not in added.stderr + marked.stderr


def test_a_day_that_reads_two_ways_is_refused_outside_a_terminal_naming_both(elm_folder):
    before = (elm_folder / ELM).read_text()
    done = run_in_process("new", "service", ELM, "--date", "12/8/2026", "--type", "site-visit", "--today", "2026-11-22", cwd=elm_folder)
    assert done.returncode == 2
    assert done.stderr == "tacli: error: --date '12/8/2026' could be 8 December 2026 or 12 August 2026: write it as YYYY-MM-DD (2026-12-08 or 2026-08-12)\n"
    assert (elm_folder / ELM).read_text() == before


def test_what_people_type_is_understood_where_it_is_unambiguous(elm_folder):
    done = run_in_process("new", "service", ELM, "--date", "12/25/2026", "--type", "site visit", "--mode", "On Site", "--hours", "1h30", "--topics", "Data Teams", "--today", "2026-11-22", cwd=elm_folder)
    assert done.returncode == 0, done.stderr
    text = (elm_folder / ELM).read_text()
    assert "id: 2026-12-25-site-visit" in text and "hours: 1.5" in text and "topics: [data-teams]" in text and "mode: on-site" in text
    assert done.stdout.splitlines()[-2:] == ["next, to tick its duties as they are done:", "  tacli mark elm.yaml --service 2026-12-25-site-visit"]
    marked = run_in_process("mark", ELM, "--service", "2026-12-25-site-visit", "--stage", "follow up", "--role", "District School Leadership", "--na", "not held", "--today", "2026-11-22", cwd=elm_folder)
    assert marked.returncode == 0, marked.stderr  # the role's title, District/School Leadership, is its id, leadership
    assert "marked 4 duties not-applicable" in marked.stdout
    marked = run_in_process("mark", ELM, "--service", "2026-12-25-site-visit", "--stage", "Delivery", "--role", "FACILITATORS", "--na", "not held", "--today", "2026-11-22", cwd=elm_folder)
    assert marked.returncode == 2 and marked.stderr == "tacli: error: unknown role 'FACILITATORS': did you mean 'facilitator'?\n"


@pytest.mark.parametrize("hours, problem", [
    ("lots", "--hours 'lots' is not a number of hours: write e.g. 1.5, 2h, 90 min or 1h30"),
    ("25", "--hours '25' is not between 0 and 24 hours: give the hours of this one service"),
])
def test_hours_that_are_not_hours_are_a_usage_error(elm_folder, hours, problem):
    done = run_in_process("new", "service", ELM, "--date", "2026-12-01", "--type", "site-visit", "--hours", hours, "--today", "2026-11-22", cwd=elm_folder)
    assert (done.returncode, done.stderr) == (2, f"tacli: error: {problem}\n")


def test_a_misspelled_service_gets_a_did_you_mean(elm_folder):
    for args in (["mark", ELM, "planning.facilitator.review-plans-and-data", "--done"], ["tast", ELM, "--complete"], ["report", ELM, "--kind", "tast"]):
        done = run_in_process(*args, "--service", "2026-11-17-principle-call", "--today", "2026-11-22", cwd=elm_folder)
        assert done.returncode == 2, (args, done.stderr)
        assert "did you mean '2026-11-17-principal-call'?" in done.stderr, (args, done.stderr)


def test_mark_says_what_a_duty_id_is_with_a_real_one(elm_folder):
    done = run_in_process("mark", ELM, "--service", SERVICE, "--done", "--today", "2026-11-22", cwd=elm_folder)
    assert done.returncode == 2
    assert done.stderr == ("tacli: error: name the duties to mark, each a duty id of `tacli standards show cali`, e.g. planning.facilitator.review-plans-and-data;"
                           " or --stage planning for every open duty of a stage (the checklist to tick needs a terminal)\n")
    unknown = run_in_process("mark", ELM, "zzz", "--service", SERVICE, "--done", "--today", "2026-11-22", cwd=elm_folder)
    assert unknown.stderr == "tacli: error: unknown duty id 'zzz': give a duty id of `tacli standards show cali`, e.g. planning.facilitator.review-plans-and-data.\n"


@POSIX_ONLY
def test_in_a_terminal_a_day_that_reads_two_ways_is_asked_back(elm_folder):
    talk = Conversation("mark", ELM, "delivery.facilitator.request-evaluation-forms", "--service", SERVICE, "--done", "--date", "11/18/2026", "--today", "2026-11-22", cwd=elm_folder)
    code, output = talk.close()
    assert code == 0, output  # 18 can only be the day
    talk = Conversation("new", "service", ELM, "--date", "12/8/2026", "--type", "site-visit", "--today", "2026-11-22", "--hours", "2", "--mode", "on-site", "--topics", "data-teams", cwd=elm_folder)
    talk.expect("Which day is '12/8/2026' (1. 8 December 2026, 2. 12 August 2026)")
    talk.say("3")
    talk.expect("is not one of them")
    talk.expect("Which day is")
    talk.say("1")
    code, output = talk.close()
    assert code == 0, output
    assert "added service 2026-12-08-site-visit" in output


@POSIX_ONLY
def test_in_a_terminal_hours_and_ids_are_understood_as_typed(elm_folder):
    talk = Conversation("new", "service", ELM, "--today", "2026-11-22", cwd=elm_folder)
    talk.expect("Date")
    talk.say("Dec 8, 2026")
    talk.expect("Support type")
    talk.say("site visit")
    talk.expect("Mode")
    talk.say("on site")
    talk.expect("Hours")
    talk.say("90 min")
    talk.expect("Topics")
    talk.say("data teams")
    code, output = talk.close()
    assert code == 0, output
    text = (elm_folder / ELM).read_text()
    assert "id: 2026-12-08-site-visit" in text and "hours: 1.5" in text and "topics: [data-teams]" in text


@POSIX_ONLY
def test_in_a_terminal_a_misspelled_service_gets_a_did_you_mean(elm_folder):
    code, output = Conversation("mark", ELM, "--service", "2026-11-17-principle-call", "--today", "2026-11-22", cwd=elm_folder).close()
    assert code == 2 and "did you mean '2026-11-17-principal-call'?" in " ".join(output.split())  # folded at the terminal's width


@POSIX_ONLY
@pytest.mark.parametrize("colour", [False, True])
def test_a_wrong_answer_is_coloured_only_without_no_color(elm_folder, colour):
    talk = Conversation("new", "service", ELM, "--today", "2026-11-22", cwd=elm_folder, colour=colour)
    talk.expect("Date")
    talk.say("soon")
    said = talk.expect("Date")
    assert "'soon' is not a date" in said
    assert ("\x1b[" in said) == colour
    talk.kill()


def rows(text: str, width: int = 80) -> list[str]:
    """The rows of a terminal `width` columns wide that show `text`."""
    return [line[at:at + width] for line in text.split("\n") for at in range(0, max(len(line), 1), width)]


@POSIX_ONLY
def test_the_checklist_is_grouped_and_paged_to_fit_24_rows_with_its_question(elm_folder):
    added = run_in_process("new", "service", ELM, "--date", "2026-12-10", "--type", "site-visit", "--today", "2026-12-06", cwd=elm_folder)
    assert added.returncode == 0, added.stderr
    talk = Conversation("mark", ELM, "--service", "2026-12-10-site-visit", "--today", "2026-12-12", cwd=elm_folder, env={"LINES": "24"})
    first = talk.expect("(numbers, or all; Enter for the next page): ")
    page = first[first.index("34 open duties"):]
    heading = "34 open duties due for 2026-12-10-site-visit (2026-12-10), then 15 not due yet,\n  page {} of 5:\n"
    assert page.startswith(heading.format(1) + "Planning\n  Facilitator\n     1. Be familiar with")
    assert len(rows(page)) <= 24  # the heading, the first item and the question on one screen
    assert all(len(row) <= 80 for row in page.split("\n"))  # wrapped at spaces, never by the terminal
    assert "Planning, District/School Leadership" not in page and "\n  District/School Leadership\n     6. Provide Facilitator" in page
    talk.say("1-3")
    second = talk.expect("Enter for the next page): ")
    assert heading.format(2) + "Planning (continued)\n  Participants\n    11. " in second and "\nDelivery\n  Facilitator\n    14. Establish group norms" in second
    assert len(rows(second[second.index("34 open duties"):])) <= 24
    talk.say("")
    talk.expect("Enter for the next page): ")
    talk.say("all")
    fourth = talk.expect("Enter for the next page): ")
    # after the duties that are due, those not due yet: done early, they can be ticked too
    assert heading.format(4) + "Delivery (continued)\n  Participants\n    31. " in fourth
    assert "\nFollow Up, not due yet\n  Facilitator\n    35. Provide feedback to participants (due 2026-12-17)\n" in fourth
    talk.say("34 35")
    last = talk.expect("(numbers, or all; Enter for none): ")
    assert heading.format(5) + "Follow Up, not due yet (continued)\n" in last
    talk.say("")
    talk.expect("Ticked 1-3, 20-30, 34, 35 (16 duties).")
    talk.expect("Mark them")
    talk.say("n/a")
    talk.expect("Why do they not apply")
    talk.say("A trial")
    code, output = talk.close()
    assert code == 0, output
    assert "marked 16 duties not-applicable" in output
    assert (elm_folder / ELM).read_text().count("reason: A trial") == 16


@POSIX_ONLY
def test_a_short_checklist_is_one_grouped_page(elm_folder):
    talk = Conversation("mark", ELM, "--service", SERVICE, "--today", "2026-11-22", cwd=elm_folder)  # 50 rows: one page
    listing = talk.expect("Tick which (numbers like 1 3 5-7, or all): ")
    assert listing.startswith("1 open duty due for 2026-11-17-principal-call (2026-11-17), then 15 not due yet:\nDelivery\n  Facilitator\n     1. Request completed evaluation forms\n")
    assert "\nFollow Up, not due yet\n  Facilitator\n     2. Provide feedback to participants (due 2026-11-24)\n" in listing
    talk.kill()


def test_checklist_pages_fit_their_height_and_number_every_duty():
    from tacli.cli.prompts import checklist_pages

    words = "Communicate the purpose of technical assistance, intended outcomes, and implementation expectations"
    groups = [(stage, [(role, [(0, words)] * count) for role, count in (("Facilitator", 5), ("Leadership", 4), ("Participants", 3))]) for stage in ("Planning", "Delivery", "Follow Up")]
    number = 0
    for _, roles in groups:
        for index, (role, items) in enumerate(roles):
            roles[index] = (role, [(number := number + 1, text) for _, text in items])
    for width, height in ((80, 20), (40, 12), (200, 100), (30, 6)):
        pages = checklist_pages(groups, width, height)
        assert [n for _, numbers in pages for n in numbers] == list(range(1, 37))
        for lines, numbers in pages:
            assert len(lines) <= height or len(numbers) == 1
            assert not lines[0].startswith(" ")  # each page starts with its stage
            assert all(len(line) <= width for line in lines)
    assert len(checklist_pages(groups, 200, 100)) == 1
    assert [lines[0] for lines, _ in checklist_pages(groups, 80, 30)] == ["Planning", "Delivery", "Follow Up"]  # a stage that fits a page starts one
    assert re.search(r"Delivery \(continued\)\n  \w+", "\n".join(lines for page in checklist_pages(groups, 80, 20) for lines in page[0]))
