"""ruamel.yaml's node classes get one-call constructors (io.yaml_nodes) only
where those build the very nodes ruamel.yaml's own would: the same slots, the
same values, for the files tacli ships and for any text."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE_FILES, TESTS

from tacli.io import yaml_nodes, yamlsource

hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = st.sampled_from([
    "a: 1\n", "b: [1, 2, {c: d}]\n", "- x\n", "  - y\n", "<<: {}\n", "!!str 3\n", "k: !!int 0x1f\n", "t: !foo bar\n",
    "? [a]\n: b\n", "f: >\n  one\n  two\n", "q: 'it''s'\n", "e: {}\n", "s: \"\\t\"\n", "x: &a [1]\n", "y: *a\n",
    "m: !!map {a: b}\n", "l: !local [1]\n", "- ! 3\n", "---\n", "n: ~\n",
])
TEXTS = st.lists(st.one_of(PIECES, PIECES, st.text(max_size=6)), max_size=10).map("".join)


def nodes_of(text: str):
    """Every slot of every node of `text`, as the C composer makes them, or why it could not."""
    try:
        root = yamlsource._c_compose(text)
    except Exception as exc:  # noqa: BLE001 - the same refusal is expected of both
        return type(exc).__name__
    return described(root, {})


def described(node, seen: dict):
    if node is None:
        return None
    if id(node) in seen:
        return ("alias", seen[id(node)])
    seen[id(node)] = len(seen)
    slots = [slot for klass in type(node).__mro__ for slot in getattr(klass, "__slots__", ())]
    values = {}
    for slot in slots:
        value = getattr(node, slot, "<unset>")
        if slot == "value" and isinstance(value, list):
            value = [tuple(described(part, seen) for part in item) if isinstance(item, tuple) else described(item, seen) for item in value]
        elif slot in ("start_mark", "end_mark") and value is not None:
            value = (value.line, value.column, value.index)
        elif slot == "ctag":
            value = str(value)
        values[slot] = value
    return type(node), values


def with_stock_constructors(monkeypatch, text: str):
    with monkeypatch.context() as patch:
        for cls, constructor in yaml_nodes.STOCK.items():
            patch.setattr(cls, "__init__", constructor)
        return nodes_of(text)


def test_the_quicker_constructors_are_in_place_on_the_ruamel_yaml_tacli_is_tested_with():
    from ruamel.yaml import nodes

    yamlsource._c_loader()
    assert yaml_nodes.quicker_constructors() is True
    assert set(yaml_nodes.STOCK) == {nodes.ScalarNode, nodes.SequenceNode, nodes.MappingNode}
    assert all(cls.__init__ is not stock for cls, stock in yaml_nodes.STOCK.items())


@pytest.mark.parametrize("path", EXAMPLE_FILES + sorted((TESTS / "golden").glob("*.yaml"))[:8], ids=lambda path: path.name)
def test_the_shipped_files_compose_to_the_same_nodes(path, monkeypatch):
    yamlsource._c_loader()
    text = path.read_text(encoding="utf-8")
    quick = nodes_of(text)
    assert quick == with_stock_constructors(monkeypatch, text)
    assert quick not in (None, "YAMLError")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(TEXTS)
def test_any_text_composes_to_the_same_nodes(monkeypatch, text):
    yamlsource._c_loader()
    assert nodes_of(text) == with_stock_constructors(monkeypatch, text)


class Other:
    """A node class whose constructor differs from ruamel.yaml's in one default."""

    __slots__ = ("ctag", "value", "start_mark", "end_mark", "comment", "anchor", "style")

    def __init__(self, tag, value, start_mark=None, end_mark=None, style="plain", comment=None, anchor=None):
        from ruamel.yaml.tag import Tag

        self.ctag = tag if isinstance(tag, Tag) else Tag(suffix=tag)
        self.value, self.start_mark, self.end_mark, self.style, self.comment, self.anchor = value, start_mark, end_mark, style, comment, anchor


def test_a_constructor_that_does_anything_else_is_not_replaced():
    from ruamel.yaml.tag import Tag

    def quick(self, tag, value, start_mark=None, end_mark=None, style=None, comment=None, anchor=None):
        self.ctag, self.value, self.start_mark, self.end_mark = tag, value, start_mark, end_mark
        self.style, self.comment, self.anchor = style, comment, anchor

    assert not yaml_nodes._same(Other, quick, Tag)  # the default style differs
    Other.__init__.__defaults__ = (None, None, None, None, None)
    try:
        assert not yaml_nodes._same(Other, quick, Tag)  # a tag given as text is not made a Tag
    finally:
        Other.__init__.__defaults__ = (None, None, "plain", None, None)


def test_a_class_whose_attributes_are_not_all_slots_is_not_replaced():
    from ruamel.yaml.tag import Tag

    class Plain:
        def __init__(self, tag, value, start_mark=None, end_mark=None, style=None, comment=None, anchor=None):
            self.tag, self.value = tag, value

    def does_nothing(self, tag, value, start_mark=None, end_mark=None, style=None, comment=None, anchor=None):
        pass

    assert not yaml_nodes._same(Plain, does_nothing, Tag)


def test_a_constructor_with_other_parameters_is_not_replaced():
    from ruamel.yaml.tag import Tag

    class More(Other):
        __slots__ = ("scalar_style",)

        def __init__(self, tag, value, start_mark=None, end_mark=None, style=None, comment=None, anchor=None, scalar_style=None):
            super().__init__(tag, value, start_mark, end_mark, style, comment, anchor)
            self.scalar_style = scalar_style

    def quick(self, tag, value, start_mark=None, end_mark=None, style=None, comment=None, anchor=None):
        More.__init__(self, tag, value, start_mark, end_mark, style, comment, anchor)

    assert not yaml_nodes._same(More, quick, Tag)


def test_what_is_kept_as_ruamel_yaml_s_own_constructors_is_its_own_whatever_the_threads():
    import threading

    yamlsource._c_loader()
    threads = [threading.Thread(target=yaml_nodes.quicker_constructors) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {stock.__module__ for stock in yaml_nodes.STOCK.values()} == {"ruamel.yaml.nodes"}


def test_the_module_loaded_again_keeps_ruamel_yaml_s_own_constructors_as_they_were(monkeypatch):
    import importlib

    yamlsource._c_loader()
    assert yaml_nodes.quicker_constructors()
    stock = dict(yaml_nodes.STOCK)
    again = importlib.reload(yaml_nodes)
    try:
        assert again.quicker_constructors() is False  # in place already: nothing is taken for ruamel.yaml's own
        assert again.STOCK == {}
    finally:
        again.STOCK.update(stock)
        again._DECIDED[:] = [True]
