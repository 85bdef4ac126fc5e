"""A YAML syntax error in plain words (tacli.io.yaml_syntax): whatever the text
and whatever the parser says, one line that says what to do, at a place in the
file. The common mistakes, each with its message and place, are in
tests/unit/test_yamlsource.py (SYNTAX_MISTAKES)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tacli.io.yaml_syntax import explain
from tacli.io.yamlsource import YAML_SYNTAX, YamlError, load_bytes

# what YAML's mistakes are made of: indentation, colons, dashes, quotes, brackets, tabs, comments
YAMLISH = st.text(alphabet=" \t\n:-'\"[]{},#|>&*@%!?abc12", max_size=80)
MARK = st.none() | st.tuples(st.integers(0, 12), st.integers(0, 90))


@given(YAMLISH)
def test_any_text_is_data_or_one_finding_in_one_line_inside_the_file(text):
    try:
        load_bytes(("tacli: 1\n" + text).encode(), "case.yaml")
    except YamlError as refused:
        found = refused.finding
        if found.rule == YAML_SYNTAX.id:
            lines = ("tacli: 1\n" + text).split("\n")
            assert 1 <= found.line <= len(lines) + 1 and found.column >= 1
            assert "\n" not in found.message and ": " in found.message


@given(st.text(max_size=60), st.text(max_size=40), MARK, MARK, YAMLISH)
def test_explain_never_fails_whatever_the_parser_says(problem, context, problem_at, context_at, text):
    (line, column), message = explain(problem, context, problem_at, context_at, text)
    assert line >= 0 and column >= 0 and message
