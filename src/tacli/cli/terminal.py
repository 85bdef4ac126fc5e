"""The terminal tacli runs in: whether a person reads its output or can answer
questions, and writing a command's outcome there."""

from __future__ import annotations

import os
import sys
from typing import NoReturn, Optional

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


def columns(stream=None) -> Optional[int]:
    """The width of the terminal `stream` (standard output by default) is, in
    columns (COLUMNS where it is set); None when it is no terminal (a pipe, a
    file: a line a message there, for the programs that read it)."""
    stream = sys.stdout if stream is None else stream
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        width = 0
    if width <= 0:
        try:
            width = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            width = 0
    return width if width > 0 else 80


def error(text: str) -> None:
    """A message on standard error, folded to the terminal's width at spaces
    (tacli.core.wrap.fold) when standard error is one, else as it is."""
    from tacli.core.wrap import fold

    typer.echo(fold(text, columns(sys.stderr)), err=True)


def finish(outcome) -> NoReturn:
    """Write the outcome's text where it goes, then its notes, and exit with its
    code. At a terminal both are folded to its width, never inside a word
    (tacli.core.wrap.fold), but for text for programs (`exact`: JSON, CSV, a
    format asked for); to a pipe or a file, a line a message."""
    from tacli.core.outcome import UsageError
    from tacli.core.textformat import visible
    from tacli.core.wrap import fold
    from tacli.io.writer import write_text

    text = outcome.text
    if outcome.output is None and isinstance(text, str) and not outcome.exact:
        text = fold(text, columns())
    try:
        write_text(text, outcome.output)
    except OSError as exc:
        raise UsageError(f"cannot write {outcome.output if outcome.output is not None else 'to standard output'}: {exc.strerror or exc}") from None
    for note in outcome.notes:
        error(visible(note))
    raise typer.Exit(outcome.code)
