"""The TOML locator: the line and column (from 1) of keys and values, as a
configuration problem names them, in every way TOML lets a key be written."""

from __future__ import annotations

import textwrap

import pytest

from tacli.io.tomlpos import Locator, TomlError, parse


def locator(text: str, table: tuple[str, ...] = ()) -> Locator:
    return Locator(textwrap.dedent(text), table)


def test_a_key_and_its_value():
    found = locator('engagements = "e"\nreports    =   "r"\n')
    assert found.key_position("reports") == (2, 1)
    assert found.value_position("reports") == (2, 16)


def test_an_indented_key_and_a_quoted_key():
    found = Locator('select = []\n  "engagements" = "e"\n', ())
    assert found.key_position("engagements") == (2, 3)


def test_a_string_inside_an_array_over_several_lines():
    found = locator('select = [\n    "duty-open",\n    "fixsen-*",\n]\nignore = ["duty-open"]\n')
    assert found.string_position("select", "fixsen-*") == (3, 5)
    assert found.string_position("ignore", "duty-open") == (5, 11)  # not the one in select


def test_keys_of_a_table_written_three_ways():
    table = locator('[levels]\ntast-due-soon = "info"\n')
    dotted = locator('levels.tast-due-soon = "info"\n')
    inline = locator('levels = { duty-open = "error", tast-due-soon = "info" }\n')
    assert table.nested_key_position("levels", "tast-due-soon") == (2, 1)
    assert dotted.nested_key_position("levels", "tast-due-soon") == (1, 8)
    assert inline.nested_key_position("levels", "tast-due-soon") == (1, 33)
    assert inline.nested_value_position("levels", "tast-due-soon") == (1, 49)


def test_keys_inside_a_table_of_pyproject():
    text = '[project]\nname = "x"\n\n[tool.tacli]\nengagements = "e"\n\n[tool.tacli.levels]\nduty-open = "info"\n'
    found = locator(text, ("tool", "tacli"))
    assert found.table_position() == (4, 1)
    assert found.key_position("engagements") == (5, 1)
    assert found.nested_key_position("levels", "duty-open") == (8, 1)
    assert found.key_position("levels") == (7, 1)


def test_an_unknown_key_falls_back_to_the_table():
    found = locator('[tool.tacli]\nengagements = "e"\n', ("tool", "tacli"))
    assert found.key_position("nowhere") == (1, 1)


def test_a_key_that_only_looks_like_another():
    found = locator('ignore-list = 1\nignore = ["x"]\n')
    assert found.key_position("ignore") == (2, 1)


@pytest.mark.parametrize("text, position, message", [
    ('ignore = ["duty-evidence"\n', (2, 1), "not valid TOML: Unclosed array"),
    ("engagements = e\n", (1, 15), "not valid TOML: Invalid value"),
])
def test_invalid_toml_is_an_error_at_its_place(text, position, message):
    with pytest.raises(TomlError) as caught:
        parse(text)
    assert (caught.value.line, caught.value.column) == position
    assert caught.value.message == message
