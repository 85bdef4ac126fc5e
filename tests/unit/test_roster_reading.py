"""Rosters that would count coverage wrong, or that cannot be read, refused with what to fix."""

from __future__ import annotations

import os

import pytest

from tacli.reading.roster import RosterError, load_roster


def roster_at(tmp_path, *lines):
    path = tmp_path / "roster.yaml"
    path.write_text("roster: 1\nrecipients:\n" + "".join(f"  - {line}\n" for line in lines), encoding="utf-8")
    return path


def problems(path):
    with pytest.raises(RosterError) as caught:
        load_roster(path, "roster.yaml")
    return [(item.rule, item.line, item.column, item.message) for item in caught.value.findings]


def test_a_recipient_with_and_without_its_district_is_on_the_roster_twice(tmp_path):
    # An engagement at Elm Street School in Hartford would be either entry: the
    # other would be counted as not served, and the roster one recipient too large.
    path = roster_at(tmp_path, "{kind: school, name: Elm Street School}",
                     "{kind: school, name: elm  street school, district: Hartford Public Schools}")
    [(rule, line, column, message)] = problems(path)
    assert (rule, line, column) == ("roster-invalid", 4, 26)
    assert "twice" in message and "recipient 1 and 2" in message and "district" in message


def test_the_same_name_in_two_districts_is_two_recipients(tmp_path):
    path = roster_at(tmp_path, "{kind: school, name: Lincoln School, district: Hartford}",
                     "{kind: school, name: Lincoln School, district: New Britain}",
                     "{kind: district, name: Lincoln School}")
    assert len(load_roster(path).recipients) == 3


@pytest.mark.parametrize("make, said", [
    (lambda path: path.mkdir(), "a folder"),
    (lambda path: os.mkfifo(path), "FIFO"),
])
def test_a_roster_that_is_not_a_regular_file_says_what_it_is(tmp_path, make, said):
    path = tmp_path / "roster.yaml"
    make(path)
    [(rule, line, column, message)] = problems(path)
    assert (rule, line, column) == ("roster-invalid", 1, 1)
    assert said in message and "no such file" not in message


def test_a_missing_roster_is_no_such_file(tmp_path):
    [(_, _, _, message)] = problems(tmp_path / "roster.yaml")
    assert message.startswith("no such file")


def test_an_engagement_without_a_district_that_two_entries_could_be_serves_neither(tmp_path):
    # Lincoln School in Hartford and in New Britain: an engagement at 'Lincoln
    # School' with no district is not counted as serving the first one listed.
    from types import SimpleNamespace

    from tacli.domain.coverage import NO_ENGAGEMENT, entries_of, entry_of

    roster = load_roster(roster_at(tmp_path, "{kind: school, name: Lincoln School, district: Hartford}",
                                   "{kind: school, name: Lincoln School, district: New Britain}"))
    served = SimpleNamespace(kind="school", name="Lincoln School", district="")
    assert entries_of(roster.recipients, served) == [0, 1]
    assert entry_of(roster.recipients, served) is None
    assert entry_of(roster.recipients, SimpleNamespace(kind="school", name="lincoln school", district="New Britain")) == 1
    from tacli.domain.coverage import coverage

    assert [item.standing for item in coverage(roster, [], __import__("datetime").date(2026, 11, 22))] == [NO_ENGAGEMENT, NO_ENGAGEMENT]


def test_check_names_the_engagement_two_roster_entries_could_be(run_tacli, tmp_path):
    from conftest import EXAMPLES

    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    text = text.replace("  name: Elm Street School\n  district: Hartford Public Schools\n", "  name: Elm Street School\n", 1)
    (tmp_path / "elm.yaml").write_text(text, encoding="utf-8")
    path = roster_at(tmp_path, "{kind: school, name: Elm Street School, district: Hartford Public Schools}",
                     "{kind: school, name: Elm Street School, district: New Britain}")
    done = run_tacli("check", tmp_path / "elm.yaml", "--roster", path, "--select", "roster-unknown", "--today", "2026-11-22")
    assert done.returncode == 0, done.stderr
    [line] = [line for line in done.stdout.splitlines() if "roster-unknown" in line]
    assert "elm.yaml:13:9:" in line and "twice" in line and "Hartford Public Schools" in line and "New Britain" in line and "district" in line


def test_a_roster_too_large_is_not_called_an_engagement(tmp_path):
    path = tmp_path / "roster.yaml"
    path.write_text("roster: 1\nrecipients: [" + ",".join(["0"] * 200_001) + "]\n", encoding="utf-8")
    [(rule, line, column, message)] = problems(path)
    assert (rule, line, column) == ("roster-invalid", 1, 1)
    assert "engagement" not in message and "200,000 values" in message and "roster" in message


@pytest.mark.parametrize("text, said", [
    ("", "roster: 1"),
    ("roster: 1\nrecipients:\n  - {kind: district, name: Hartford}\n---\nroster: 1\n", "a roster is one document"),
])
def test_what_yaml_says_of_a_roster_is_said_of_a_roster(tmp_path, text, said):
    path = tmp_path / "roster.yaml"
    path.write_text(text, encoding="utf-8")
    [(rule, _, _, message)] = problems(path)
    assert rule == "roster-invalid" and said in message
    assert "engagement" not in message, message


@pytest.mark.parametrize("text, said", [
    ("roster: {a: 1}\nrecipients: []\n", "roster: should be the roster format's version: write `roster: 1`"),
    ("roster: 1\nrecipients:\n  - just text\n", "recipient 1: should be a mapping of keys and values (name: ..., kind: ...) (found text)"),
    ("roster: 1\nrecipients:\n  - {kind: school, name: [a]}\n", "name of recipient 1: should be text (found a list)"),
    ("roster: 1\nrecipients:\n  - {kind: school, name: ' '}\n", "name of recipient 1: should not be blank: write it out"),
    ("roster: 1\nrecipients: []\n", "recipients: should list at least one recipient: add each school, district or program of the service area, with its kind and name"),
])
def test_a_roster_value_of_the_wrong_kind_is_said_in_words(tmp_path, text, said):
    path = tmp_path / "roster.yaml"
    path.write_text(text, encoding="utf-8")
    messages = [message for _, _, _, message in problems(path)]
    assert said in messages and not any("Input should" in message or "Value error" in message for message in messages), messages
