"""The TOML locator: the line and column (from 1) of keys and values, as a
configuration problem names them, in every way TOML lets a key be written."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    ('ignore = ["duty-evidence"\n', (2, 1), "not valid TOML: Unclosed array: a [ is never closed: end the list with ]"),
    ("engagements = e\n", (1, 15), 'not valid TOML: Invalid value: put text in quotes, as in `engagements = "e"`'),
    # the mistakes of a person editing tacli.toml by hand, each with what to do
    ("me = Dana Ruiz # me\n", (1, 6), 'not valid TOML: Invalid value: put text in quotes, as in `me = "Dana Ruiz"`'),
    ('ignore = ["duty-evidence", plan-element]\n', (1, 28), 'not valid TOML: Invalid value: put text in quotes, as in `"plan-element"`'),
    ('me = "Dana Ruiz"\nengagements = "e"\nme = "X"\n', (3, 9), "not valid TOML: Cannot overwrite a value: the key 'me' is already set at line 1: keep one of them"),
    ('[levels]\nx = "error"\n[other]\nx = 1\nx = 2\n', (5, 6), "not valid TOML: Cannot overwrite a value: the key 'x' is already set at line 4: keep one of them"),
    ('[levels]\nx = "error"\n[levels]\n', (3, 8), "not valid TOML: Cannot declare ('levels',) twice: the table [levels] is already begun at line 1: write its keys there, once"),
    ('me "Dana"\n', (1, 4), "not valid TOML: Expected '=' after a key in a key/value pair: write each setting as `key = value`, with text in quotes, as in `me = \"Dana Ruiz\"`"),
    ('me = "Dana\n', (1, 11), "not valid TOML: Illegal character '\\n': a \" is never closed on its line: end the text with another \""),
    # advice that is valid TOML itself, and not a circle
    ("commit = True\n", (1, 10), "not valid TOML: Invalid value: write true or false in lower case, without quotes, as in `commit = true`"),
    ('me = Dana "DJ" Ruiz\n', (1, 6), "not valid TOML: Invalid value: put text in quotes, as in `me = 'Dana \"DJ\" Ruiz'`"),
    ('site = "A"\n[site]\nx = 1\n', (2, 6), "not valid TOML: Cannot overwrite a value: 'site' is given a value (set at line 1) and is a table here: keep one of them"),
    ('standards = "C:\\Users\\dana"\n', (1, 18), "not valid TOML: Invalid hex value: a backslash in text between double quotes starts an escape: "
                                                     "in a path write / instead, or put the text in single quotes, as in 'C:\\Users\\dana'"),
])
def test_invalid_toml_is_an_error_at_its_place(text, position, message):
    with pytest.raises(TomlError) as caught:
        parse(text)
    assert (caught.value.line, caught.value.column) == position
    assert caught.value.message == message


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list('ab =[]{}"\'#.,\n\\1-_:xyz\t')), max_size=40))
def test_any_text_is_data_or_one_located_line_and_never_a_crash(text):
    try:
        parse(text)
    except TomlError as caught:
        assert caught.line >= 1 and caught.column >= 1
        assert caught.message.startswith("not valid TOML: ") and "\n" not in caught.message
