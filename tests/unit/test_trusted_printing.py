"""tacli's own templates print each value through one call
(TrustedEnvironment.printed) and look up a view's keys before its attributes:
both must give exactly what Jinja2's own way gives, markupsafe's escape of
the finalized value, and the attribute before the item."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from jinja2 import Environment, StrictUndefined, UndefinedError
from markupsafe import Markup, escape

from tacli.core.markdown import Text
from tacli.output.templates import HTML, MARKDOWN, make_environment

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(["<b>", "a & b", "*x*", "_y_", "[l](u)", "#", "1. a", "\x07", "\u202e"])
values = st.one_of(
    texts,
    texts.map(Text),
    texts.map(Markup),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.lists(texts, max_size=3),
    st.dictionaries(st.sampled_from(["a", "b"]), texts, max_size=2),
)


@pytest.fixture(scope="module", params=[HTML, MARKDOWN])
def trusted(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    (folder / "value.j2").write_text("{{ value }}|{{ view.name }}", encoding="utf-8")
    return make_environment([folder], request.param, trusted=True)


@settings(max_examples=300, deadline=None)
@given(value=values)
def test_a_value_prints_as_jinja2_prints_it(trusted, value):
    expected = str(escape(trusted.finalize(trusted, value)))
    assert trusted.get_template("value.j2").render(value=value, view={"name": value}) == f"{expected}|{expected}"


SHAPES = {
    "macro": "{% macro m(v) %}[{{ v }}]{% endmacro %}{{ m(value) }}{{ m(value)|length }}",
    "set block": "{% set kept %}<i>{{ value }}</i>{% endset %}{{ kept }}{{ kept|upper }}",
    "filter block": "{% filter upper %}{{ value }}&{% endfilter %}",
    "caller": "{% macro box() %}<{{ caller() }}>{% endmacro %}{% call box() %}{{ value }}{% endcall %}",
    "loop and join": "{% for v in [value, value] %}{{ v }}{{ loop.index }}{% endfor %}{{ [value, 'a&b']|join(' & ') }}",
    "in an attribute": "<a title=\"{{ value }}\">{{ value }} {{ value }}</a>",
    "block": "{% block b %}{{ value }}{% endblock %}{{ self.b() }}",
    "autoescape off": "{% autoescape false %}{{ value }}{% endautoescape %}|{{ value }}",
}


@pytest.fixture(scope="module", params=[HTML, MARKDOWN])
def both_ways(request, tmp_path_factory):
    """A trusted environment and the sandbox (Jinja2's own code generator) over the same templates."""
    folder = tmp_path_factory.mktemp("shapes-" + request.param)
    for name, text in SHAPES.items():
        (folder / f"{name}.j2").write_text(text, encoding="utf-8")
    return make_environment([folder], request.param, trusted=True), make_environment([folder], request.param)


@settings(max_examples=150, deadline=None)
@given(value=values)
def test_every_shape_prints_as_jinja2_s_own_code_prints_it(both_ways, value):
    trusted, sandbox = both_ways
    for name in SHAPES:
        assert trusted.get_template(f"{name}.j2").render(value=value) == sandbox.get_template(f"{name}.j2").render(value=value), name


def test_a_view_s_key_named_like_a_dict_attribute_is_the_attribute_as_in_jinja2(trusted):
    plain = Environment(undefined=StrictUndefined)
    view = {"items": "mine", "name": "x"}
    assert trusted.getattr(view, "items") == plain.getattr(view, "items") == view.items
    assert trusted.getattr(view, "name") == "x"


def test_a_missing_key_is_undefined_as_in_jinja2(trusted):
    plain = Environment(undefined=StrictUndefined)
    with pytest.raises(UndefinedError) as ours:
        str(trusted.getattr({"name": "x"}, "title"))
    with pytest.raises(UndefinedError) as theirs:
        str(plain.getattr({"name": "x"}, "title"))
    assert str(ours.value) == str(theirs.value)


def test_a_trusted_environment_made_without_make_environment_still_escapes():
    from tacli.output.template_limits import TrustedEnvironment

    made = TrustedEnvironment(autoescape=True, finalize=lambda value: value)
    assert made.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"


def test_markupsafe_s_private_escaping_is_used_only_while_it_escapes_as_escape_does(monkeypatch):
    import markupsafe

    from tacli.output.templates import _escaped_text

    assert _escaped_text(escape)("<&>") == "&lt;&amp;&gt;"
    monkeypatch.setattr(markupsafe, "_escape_inner", lambda text: text, raising=False)
    assert _escaped_text(escape) is escape
    monkeypatch.delattr(markupsafe, "_escape_inner")
    assert _escaped_text(escape) is escape
