"""tacli.cli.params: option values converted as typer's adapter converts them,
and anything else left to typer."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tacli.cli.params import _NOT_MINE, _light

INFO = SimpleNamespace(min=1, max=None, clamp=False)


@pytest.mark.parametrize(("annotation", "value", "expected"), [
    (str, "text", "text"),
    (int, "12", 12),
    (int, 3, 3),
    (bool, True, True),
    (bool, False, False),
    (list[str], ("a", "b"), ["a", "b"]),
])
def test_values_of_the_kinds_tacli_declares_are_converted(annotation, value, expected):
    assert _light(annotation, INFO, value) == expected


@pytest.mark.parametrize(("annotation", "value"), [
    (int, "abc"),  # typer's adapter says what is wrong
    (int, "0"),  # below --jobs' minimum
    (bool, "yes"),
    (bool, 1),
    (str, 3),
    (float, "1.5"),
    (list[str], ("a", 1)),
])
def test_anything_else_is_left_to_typer(annotation, value):
    assert _light(annotation, INFO, value) is _NOT_MINE


def test_a_flag_and_a_bad_number_through_the_command_line(run_tacli, engagement):
    assert run_tacli("check", engagement, "--quiet", "--no-cache", "--today", "2026-11-22").returncode in (0, 1)
    wrong = run_tacli("check", engagement, "--jobs", "abc")
    assert wrong.returncode == 2 and "Error" in wrong.stderr


@pytest.fixture
def typer_unpatched(monkeypatch):
    """typer as it is without light_value_conversion, for a test that installs it
    again (on internals it changes); the patch as it was comes back after."""
    from typer.core import _TyperParameter

    current = _TyperParameter.get_runtime_param
    monkeypatch.setattr(_TyperParameter, "get_runtime_param", getattr(current, "__wrapped__", current))
    monkeypatch.setattr(_TyperParameter, "_tacli_light", False, raising=False)
    return _TyperParameter


def options(*args: str):
    """A one-command typer app with an int (min 1), a text and a list option, run on `args`."""
    import typer
    from typer.testing import CliRunner

    app = typer.Typer()

    @app.command()
    def main(jobs: int = typer.Option(1, min=1), name: str = typer.Option("x"), tag: list[str] = typer.Option([])) -> None:
        print(repr((jobs, name, tag)))

    return CliRunner().invoke(app, list(args))


def _as_typer_converts() -> None:
    done = options("--jobs", "3", "--name", "n", "--tag", "a", "--tag", "b")
    assert done.exit_code == 0 and done.output == "(3, 'n', ['a', 'b'])\n", (done.output, done.exception)
    wrong = options("--jobs", "0")
    assert wrong.exit_code == 2 and "Invalid value" in wrong.output, (wrong.output, wrong.exception)


def test_a_typer_whose_runtime_param_is_made_otherwise_converts_as_it_does(monkeypatch, typer_unpatched):
    from dataclasses import dataclass

    from typer import _coercion

    from tacli.cli.params import light_value_conversion

    @dataclass(frozen=True)
    class Changed(_coercion.RuntimeParam):  # its constructor takes a keyword more
        needed: object

        def _coerce_value(self, value, param, ctx):  # pragma: no cover - never made
            return value

    monkeypatch.setattr(_coercion, "RuntimeParam", Changed)
    light_value_conversion()
    _as_typer_converts()


def test_a_typer_without_the_internals_patched_converts_as_it_does(monkeypatch, typer_unpatched):
    from typer import _coercion

    from tacli.cli.params import light_value_conversion

    typers_own = typer_unpatched.get_runtime_param
    monkeypatch.delattr(_coercion, "RuntimeParam")
    light_value_conversion()
    assert typer_unpatched.get_runtime_param is typers_own
    _as_typer_converts()


def test_an_option_described_otherwise_is_converted_by_typer(monkeypatch, typer_unpatched):
    from tacli.cli import params

    def changed(annotation, info, value):
        raise AttributeError("'OptionInfo' object has no attribute 'min'")

    monkeypatch.setattr(params, "_light", changed)
    params.light_value_conversion()
    _as_typer_converts()
