"""What a command's core hands back to the command line, and the error that
stops a command before it can run.

Each command's core function returns an Outcome: the text for standard output
(or for the file the user named), notes for people on standard error, and the
exit code. The command line writes it and exits; nothing in the core prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

# 0 clean, 1 findings at level error, 2 tacli could not run as asked (usage,
# configuration, standards), 3 a bug in tacli: CI can tell a bug from a mistake.
EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
DEBUG_ENV = "TACLI_DEBUG"


def debugging() -> bool:
    """Whether TACLI_DEBUG (or --traceback, which sets it) asks for the traceback of
    an internal error: set and neither empty nor 0."""
    return os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


class UsageError(Exception):
    """The command cannot run as asked (a missing path, an unknown option value):
    the command line prints each message and exits 2."""

    def __init__(self, *messages: str):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class Outcome:
    """A command's result: its text, where the text goes, notes, and the exit code."""

    code: int = EXIT_CLEAN
    text: Union[str, bytes] = ""  # for standard output, or for `output` (bytes: a binary format)
    output: Optional[Path] = None  # write `text` to this file (atomically) instead of standard output
    notes: list[str] = field(default_factory=list)  # lines for standard error, once the text is written
    exact: bool = False  # text for programs (JSON, CSV, a format asked for): never folded to a terminal's width
