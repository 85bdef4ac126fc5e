"""The terminal tacli runs in: whether a person reads its output or can answer
questions, and writing a command's outcome there."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import typer


class Interrupted(BaseException):
    """Ctrl+C during a command, on its way to cli.main.main (a BaseException, as
    KeyboardInterrupt is, so that nothing catching Exception stops it)."""


def colour(stream=None) -> bool:
    """Colour is welcome on `stream` (standard output by default): it is a
    terminal, and NO_COLOR (https://no-color.org) is not set to anything."""
    stream = sys.stdout if stream is None else stream
    try:
        return stream.isatty() and not os.environ.get("NO_COLOR")
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False


def is_terminal() -> bool:
    """A person reads standard output (the grouped view of check is for them)."""
    return sys.stdout.isatty()


def interactive() -> bool:
    """A person can answer questions: both ends are a terminal, and not in CI."""
    return sys.stdin.isatty() and sys.stdout.isatty() and not os.environ.get("CI")


def finish(outcome) -> NoReturn:
    """Write the outcome's text where it goes, then its notes, and exit with its code."""
    from tacli.core.outcome import UsageError
    from tacli.core.textformat import visible
    from tacli.io.writer import write_text

    try:
        write_text(outcome.text, outcome.output)
    except OSError as exc:
        raise UsageError(f"cannot write {outcome.output}: {exc.strerror or exc}") from None
    for note in outcome.notes:
        typer.echo(visible(note), err=True)
    raise typer.Exit(outcome.code)
