"""Planning elements: plan-element, for each element of the frameworks an engagement lists."""

from __future__ import annotations

import shutil

import pytest
from conftest import MINI_ENGAGEMENT, MINI_STANDARDS, hits, messages, variants_of

BASE = MINI_ENGAGEMENT  # tests/data/mini-engagement.yaml; line numbers below refer to it
GOALS = "  goals: [Teachers use data]\n"  # line 17


case = variants_of(BASE)



def test_base_is_clean():
    assert hits(BASE) == []


def test_no_plan_at_all():
    text = case("plan:\n" + GOALS, "")
    assert hits(text) == [("plan-element", 1, 1)]
    assert messages(text) == ["plan element 'goals' (Goals) is missing: add plan.goals as a list"]


def test_empty_plan():
    assert hits(case("plan:\n" + GOALS, "plan: {}\n")) == [("plan-element", 16, 1)]


def test_empty_list():
    assert hits(case(GOALS, "  goals: []\n")) == [("plan-element", 17, 3)]


def test_no_value():
    # an empty value is found where it would be, right after the key
    assert hits(case(GOALS, "  goals:\n")) == [("plan-element", 17, 9)]


def test_element_of_a_framework_not_listed_is_not_asked_for():
    # the mini standards' `plain` framework asks for plan.team; BASE does not list it
    assert hits(BASE) == []


def test_element_of_a_second_framework():
    text = case("frameworks: [mini]", "frameworks: [mini, plain]")
    assert hits(text) == [("plan-element", 16, 1)]
    assert messages(text) == ["plan element 'team' (Team) is missing: add plan.team as a list of people with name, role and responsibilities"]


def test_people_element_written():
    text = case("frameworks: [mini]", "frameworks: [mini, plain]")
    text = case(GOALS, GOALS + "  team:\n    - {name: Dana Ruiz, role: facilitator}\n", text)
    assert hits(text) == []


@pytest.mark.parametrize("goals", ['["   "]', '[""]', '["", " "]', "[' ']"])
def test_blank_entries_are_missing(goals):
    assert hits(case(GOALS, f"  goals: {goals}\n")) == [("plan-element", 17, 3)]


def test_a_person_with_only_a_name():
    """Staff roles and responsibilities: a person with neither is not yet written down."""
    text = case("frameworks: [mini]", "frameworks: [mini, plain]")
    text = case(GOALS, GOALS + "  team:\n    - {name: Dana Ruiz}\n    - {name: Sam Park, responsibilities: [Observe]}\n", text)
    assert hits(text) == [("plan-element", 19, 7)]
    assert messages(text) == ["person 1 of plan.team (Dana Ruiz) has no role and no responsibilities: add what this person does and how it contributes (Team)"]


def test_a_person_with_blank_responsibilities_only():
    text = case("frameworks: [mini]", "frameworks: [mini, plain]")
    text = case(GOALS, GOALS + "  team:\n    - {name: Dana Ruiz, responsibilities: ['  ']}\n", text)
    assert hits(text) == [("plan-element", 19, 7)]


def test_people_element_empty():
    text = case("frameworks: [mini]", "frameworks: [mini, plain]")
    assert hits(case(GOALS, GOALS + "  team: []\n", text)) == [("plan-element", 18, 3)]


# A record element (a mapping of lists) needs every one of its fields.

RECORD = """\
  - id: logic
    title: Logic model
    definition: How the work leads to what it is for.
    value: record
    fields: [inputs, outputs]
"""


@pytest.fixture(scope="module")
def with_record(tmp_path_factory):
    folder = tmp_path_factory.mktemp("standards")
    shutil.copytree(MINI_STANDARDS, folder, dirs_exist_ok=True)
    plain = folder / "plain.yaml"
    plain.write_text(plain.read_text(encoding="utf-8") + RECORD, encoding="utf-8")
    return folder


RECORD_BASE = case("frameworks: [mini]", "frameworks: [mini, plain]", case(GOALS, GOALS + "  team:\n    - {name: Dana Ruiz, role: facilitator}\n"))


def test_record_missing(with_record):
    assert hits(RECORD_BASE, standards=with_record) == [("plan-element", 16, 1)]
    assert messages(RECORD_BASE, standards=with_record) == ["plan element 'logic' (Logic model) is missing: add plan.logic with inputs and outputs"]


def test_record_with_no_fields(with_record):
    text = case("plan:\n", "plan:\n  logic: {}\n", RECORD_BASE)
    assert hits(text, standards=with_record) == [("plan-element", 17, 3)]
    assert messages(text, standards=with_record) == ["plan element 'logic' (Logic model) is missing: add plan.logic with inputs and outputs"]


def test_record_lacking_one_field(with_record):
    text = case("plan:\n", "plan:\n  logic: {inputs: [Two coaches]}\n", RECORD_BASE)
    assert hits(text, standards=with_record) == [("plan-element", 17, 3)]
    assert messages(text, standards=with_record) == ["plan.logic (Logic model) lacks outputs: add it"]


def test_record_with_a_blank_field(with_record):
    text = case("plan:\n", "plan:\n  logic: {inputs: [Two coaches], outputs: ['  ']}\n", RECORD_BASE)
    assert messages(text, standards=with_record) == ["plan.logic (Logic model) lacks outputs: add it"]


def test_record_complete(with_record):
    text = case("plan:\n", "plan:\n  logic: {inputs: [Two coaches], outputs: [Ten visits]}\n", RECORD_BASE)
    assert hits(text, standards=with_record) == []
