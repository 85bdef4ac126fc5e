"""Text for a terminal (tacli.core.wrap): words wrap at spaces under a hanging
indent and are never broken; a command to copy stays one line, and where it is
longer than the terminal its words are spaced so that each row ends between two."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tacli.core.wrap import cells, command, fit, hanging_indent

WORD = st.text(alphabet="abcdefghij-._/0123456789", min_size=1, max_size=30)


def rows(line: str, width: int) -> list[str]:
    """The rows a terminal `width` columns wide shows an ASCII line in."""
    return [line[at:at + width] for at in range(0, len(line), width)] or [""]


def test_a_long_line_wraps_at_spaces_under_its_hanging_indent():
    line = "  1. Follow Up: Debrief with RESC/SERC Director of Staff Development (2026-10-27-grade-3-coaching), overdue since 2026-11-03"
    assert fit(line, 80) == [
        "  1. Follow Up: Debrief with RESC/SERC Director of Staff Development",
        "     (2026-10-27-grade-3-coaching), overdue since 2026-11-03",
    ]
    assert fit(line, None) == [line] and fit("short", 80) == ["short"]


def test_an_id_longer_than_the_line_stands_whole_on_a_line_of_its_own():
    assert fit("see 2026-10-27-grade-3-coaching-with-a-long-name now", 20) == ["see", "  2026-10-27-grade-3-coaching-with-a-long-name", "  now"]


def test_a_command_quoted_in_the_text_is_never_broken():
    line = "Check: 3 errors, 4 warnings (tacli check examples/elm-street-data-teams.yaml)"
    assert fit(line, 40, keep=("tacli check examples/elm-street-data-teams.yaml",)) == [
        "Check: 3 errors, 4 warnings",
        "  (tacli check examples/elm-street-data-teams.yaml)",
    ]


def test_the_hanging_indent_follows_a_list_marker():
    assert hanging_indent("  12. text") == " " * 6
    assert hanging_indent("  - text") == " " * 4
    assert hanging_indent("    plain") == " " * 6


def test_a_wide_character_takes_two_columns():
    assert cells("学校") == 4 and cells("é") == 1 and cells("e\u0301") == 1


def test_a_command_that_fits_is_left_as_it_is():
    assert command("tacli status x.yaml", 80, "     ") == "     tacli status x.yaml"
    long = "tacli mark x.yaml --service " + "a" * 80
    assert command(long, None, "  ") == "  " + long


@given(st.lists(WORD, min_size=1, max_size=30), st.integers(20, 120), st.sampled_from(["", "  ", "      "]))
def test_fit_keeps_every_word_whole_and_every_line_within_the_width(words, width, indent):
    line = indent + " ".join(words)
    lines = fit(line, width, indent + "  ")
    assert " ".join(part.strip() for part in lines).split() == words
    for part in lines:
        assert len(part) <= width or len(part.split()) == 1
    assert all(part.startswith(indent + "  ") for part in lines[1:])


@given(st.lists(WORD, min_size=1, max_size=20), st.integers(20, 120), st.sampled_from(["", "     ", "      "]))
def test_a_command_is_one_line_whose_rows_end_between_its_words(words, width, indent):
    text = "tacli " + " ".join(words)
    line = command(text, width, indent)
    assert "\n" not in line and line.split() == text.split()  # the shell reads the same words
    if all(len(word) <= width - len(indent) for word in text.split()):
        shown = rows(line, width)
        for row, after in zip(shown, shown[1:]):
            assert row[-1] == " " or after[0] == " ", (row, after)
        if indent and len(indent + text) > width:
            assert all(row.startswith(indent) for row in shown[1:])
