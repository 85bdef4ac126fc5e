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
