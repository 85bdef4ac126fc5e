"""The sandbox's estimates of what an operation builds are never below what it
builds, and they are measured before the operation runs."""

from __future__ import annotations

import json

import pytest
from jinja2 import filters

from tacli.output.template_limits import FILTER_SIZES, STRING_METHOD_SIZES, LimitExceeded, Meter, format_size, printf_size, text_size

TEXT = "alpha beta\tgamma\n\ndelta https://example.org/x epsilon"


@pytest.mark.parametrize("template, values", [
    ("%s and %s", ("a", "bcd")),
    ("%(name)-12s|%(count)05d", {"name": "x", "count": 7}),
    ("%*d", (9, 1)),
    ("%.20f %%", 1.5),
    ("%r", ([1, "two"],)),
])
def test_printf_estimates_are_not_below_the_result(template, values):
    assert printf_size(template, values) >= len(template % values)


@pytest.mark.parametrize("template, args, kwargs", [
    ("{} and {}", ("a", "bcd"), {}),
    ("{0:>12}|{name:^9}", ("x",), {"name": "y"}),
    ("{:{}}", ("x", 30), {}),
    ("{0[1]}", (["a", "bb"],), {}),
    ("{:,}", (10**20,), {}),
])
def test_format_estimates_are_not_below_the_result(template, args, kwargs):
    assert format_size(template, args, kwargs) >= len(template.format(*args, **kwargs))


@pytest.mark.parametrize("name, args, kwargs", [
    ("center", (40,), {}),
    ("indent", (6,), {"first": True, "blank": True}),
    ("indent", ("> ",), {}),
    ("wordwrap", (5,), {"wrapstring": "<br>"}),
    ("truncate", (12,), {"end": "…"}),
    ("replace", ("a", "AAAA"), {}),
    ("urlize", (), {"target": "_blank", "rel": "noopener"}),
])
def test_filter_estimates_are_not_below_the_result(name, args, kwargs):
    from jinja2 import Environment
    from jinja2.nodes import EvalContext

    environment = Environment()
    function = environment.filters[name]
    passed = getattr(function, "jinja_pass_arg", None)
    first = () if passed is None else ((environment,) if passed.name == "environment" else (EvalContext(environment),))
    assert FILTER_SIZES[name](TEXT, *args, **kwargs) >= len(function(*first, TEXT, *args, **kwargs))


def test_the_formatting_filters_are_estimated_from_their_values():
    value = {"a": [1, 2, {"b": "c"}]}
    assert FILTER_SIZES["tojson"](value, 4) >= len(json.dumps(value, indent=4))
    assert FILTER_SIZES["format"]("%s-%10s", "a", "b") >= len(filters.do_format("%s-%10s", "a", "b"))


@pytest.mark.parametrize("name, args", [
    ("center", (30, "*")), ("ljust", (30,)), ("rjust", (30,)), ("zfill", (30,)),
    ("expandtabs", (12,)), ("replace", ("a", "xyz")), ("replace", ("", "-", 3)), ("translate", ({97: "AAA"},)),
])
def test_string_method_estimates_are_not_below_the_result(name, args):
    assert STRING_METHOD_SIZES[name](TEXT, *args) >= len(getattr(TEXT, name)(*args))


def test_text_size_measures_a_repeated_object_once_and_not_below_its_text():
    long = "x" * 1000
    value = [long] * 50
    assert text_size(value) >= len(str(value)) - 50 * 4  # the quotes around each item aside
    assert text_size({"key": [1, 2.5, None, True]}) >= len("key12.5NoneTrue")


def test_a_bounded_meter_adds_up_and_a_trusted_one_does_not(monkeypatch):
    import tacli.output.template_limits as limits

    monkeypatch.setattr(limits, "MAX_TEXT", 100)
    meter = Meter()
    meter.start(None)
    for _ in range(10):
        meter.build(60, "with `~`")
    meter.start(5.0)
    meter.build(60, "with `~`")
    with pytest.raises(LimitExceeded, match=r"more than 100 characters of text \(with `~`\)"):
        meter.build(60, "with `~`")


def test_only_tacli_s_own_templates_run_outside_the_sandbox(tmp_path):
    """The shipped reports and the site are part of tacli's code and render
    without the sandbox's checks; a folder of the user's puts every template,
    its own and the shipped ones it includes, back in the sandbox with its limits."""
    from tacli.output.site import environment as site_environment
    from tacli.output.template_limits import LimitedSandbox, TrustedEnvironment
    from tacli.output.templates import MARKDOWN, USER_LIMITS, Renderer, make_environment, shipped_templates

    assert isinstance(Renderer().environment, TrustedEnvironment)
    assert isinstance(site_environment(), TrustedEnvironment)
    (tmp_path / "plan.md.j2").write_text("{{ ''.__class__ }}", encoding="utf-8")
    users = Renderer(tmp_path)
    assert isinstance(users.environment, LimitedSandbox) and not isinstance(users.environment, TrustedEnvironment)
    with pytest.raises(ValueError):
        make_environment([tmp_path, shipped_templates()], MARKDOWN, USER_LIMITS, trusted=True)
