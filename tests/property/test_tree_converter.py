"""A text without anchors is converted without noting each node (`tree`): the
same data, the same problems at the same places, the same limits, as the
general conversion gives on the same nodes."""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tacli.io import yamlsource  # noqa: E402

PIECES = st.sampled_from([
    "a: 1\n", "b: [1, 2, {c: d}]\n", "- x\n", "  - y\n", "<<: {}\n", "a: 2\n", "!!str 3\n", "k: !!int 0x1f\n",
    "t: !foo bar\n", "? [a]\n: b\n", "n: 1" + "0" * 5000 + "\n", "f: >\n  one\n  two\n", "q: 'it''s'\n",
    "deep: " + "[" * 70 + "]" * 70 + "\n", "e: {}\n", "s: \"\\t\"\n", "  z: 3\n", "d: 2026-10-01\n", "~: null\n",
])
TEXTS = st.lists(st.one_of(PIECES, PIECES, PIECES, st.text(st.characters(blacklist_characters="&\x85\u2028\u2029", blacklist_categories=("Cs",)), max_size=8)), max_size=8).map("".join)


def converted(text: str, tree: bool):
    try:
        root = yamlsource._compose(text, "x.yaml")
    except yamlsource.YamlError:
        return "not composed"
    if root is None:
        return "empty"
    converter = yamlsource._Converter("x.yaml")
    try:
        value_and_size = (converter._tree if tree else converter._value)(root, 1)  # the size too, which limits use
        return value_and_size, converter.problems
    except yamlsource.YamlError as exc:
        return exc.finding


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_the_tree_conversion_gives_what_the_general_one_gives(text):
    assert converted(text, tree=True) == converted(text, tree=False)


def test_a_text_with_an_anchor_takes_the_general_conversion():
    document = yamlsource.load_bytes(b"a: &x [1, 2]\nb: *x\n", "x.yaml")
    assert document.data == {"a": [1, 2], "b": [1, 2]}
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(5))
    with pytest.raises(yamlsource.YamlError) as raised:
        yamlsource.load_bytes(bomb.encode(), "x.yaml")
    assert "aliases expand the file" in raised.value.finding.message
