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
