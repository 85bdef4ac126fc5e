"""Whatever ruamel.yaml's dumper writes from any engagement-like data, tacli
reads back as the same data, wherever ruamel.yaml's own parser does: the YAML
1.2 reader accepts what ruamel.yaml's parser accepts (`description: :w` in a
flow mapping, `- :x`, folded text). (In flow style ruamel's dumper writes
some texts that no parser reads, its own neither: those are left out.)

The data is any mix of mappings with text keys, lists, text (any characters
but surrogates, with YAML's own punctuation often at the start), whole numbers,
finite floats, booleans and nothing, dumped in block style, in flow style and
round-trip style, as a user's editor or a script might write a file.
"""

from __future__ import annotations

import io
import math

import pytest

hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tacli.io.yamlsource import YamlError, load_bytes  # noqa: E402

PUNCTUATION = st.sampled_from([":", ": ", "-", "- ", "?", "#", " #", "&", "*", "!", "|", ">", "'", '"', "%", "@", "`", "{", "}", "[", "]", ",", "::", ":w", "0", "08", "1e3", "null", "~", "true", "no", "2026-10-01", ""])
# Not U+0085, U+2028 and U+2029: ruamel.yaml's dumper writes them raw inside
# quotes as if they were line breaks (YAML 1.1), so no reader gets them back,
# ruamel's own neither (`'\x85'` comes back as a space); tacli reads them as the
# characters they are in YAML 1.2 (tests/unit/test_yamlsource.py).
TEXT = st.lists(PUNCTUATION | st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85\u2028\u2029"), max_size=6), max_size=4).map("".join)
SCALARS = TEXT | st.integers(-10**30, 10**30) | st.floats(allow_nan=False, allow_infinity=False) | st.booleans() | st.none()
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=20)


def dumped(data, style: str) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt" if style == "round-trip" else "safe", pure=True)
    yaml.default_flow_style = {"block": False, "flow": True}.get(style, False)
    yaml.allow_unicode = True
    yaml.width = 40  # long texts fold across lines
    out = io.StringIO()
    yaml.dump({"tacli": 1, "data": data}, out)
    return out.getvalue()


def ruamel_reads_back(text: str, data) -> bool:
    """Whether ruamel.yaml's own parser (YAML 1.2) reads `text` back as `data`."""
    from ruamel.yaml import YAML

    try:
        loaded = YAML(typ="safe", pure=True).load(text)
    except Exception:  # noqa: BLE001 - whatever it refuses is not this test's
        return False
    return isinstance(loaded, dict) and same(loaded.get("data"), data)


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isclose(a, b, rel_tol=1e-15) and a != 0)
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same(a[key], b[key]) for key in a)  # the safe dumper sorts keys
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("style", ["block", "flow", "round-trip"])
def test_what_ruamel_writes_tacli_reads_back_the_same(style):
    @settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(DATA)
    def check(data):
        text = dumped(data, style)
        hypothesis.assume(ruamel_reads_back(text, data))  # in flow style ruamel writes some texts it cannot read itself
        try:
            document = load_bytes(text.encode("utf-8"), "dumped.yaml")
        except YamlError as exc:
            raise AssertionError(f"{exc.finding.rule}: {exc.finding.message}\n{text}") from None
        assert not document.problems, (document.problems, text)
        assert same(document.data["data"], data), text

    check()


def test_a_plain_scalar_may_start_with_a_colon_in_a_flow_mapping():
    document = load_bytes(b"participants: {count: 5, description: :w}\nlist: [x, :y]\n", "case.yaml")
    assert document.data == {"participants": {"count": 5, "description": ":w"}, "list": ["x", ":y"]}
    assert document.locate(("participants", "description")) == (1, 39)
