"""The one finding type that every check produces and every formatter reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from operator import attrgetter

# What str.splitlines() and most tools take for the end of a line.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r"}


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    """A stable rule id with its default level and a one-line description."""

    id: str
    level: Level
    summary: str


@dataclass(frozen=True, order=True)
class Finding:
    """Something tacli found, at a place in a file. Lines and columns count from 1."""

    path: str
    line: int
    column: int
    rule: str
    level: Level
    message: str
    # For people only (the terminal's grouped view); no machine format shows them:
    group: str = field(default="", compare=False)  # what it is about, e.g. "service 2026-11-17-call · Delivery"
    short: str = field(default="", compare=False)  # the message in a few words, e.g. "Facilitator 5: Debrief with ..."
    rank: tuple = field(default=(), compare=False)  # where it comes in its group, and its group among those at its place: the standards' order of duties
    hint: str = field(default="", compare=False)  # what to do about its whole group, and the command after ": ": "record them ...: tacli mark {file} --service ID" ({file}: the file's path)

    def sort_key(self) -> tuple:
        return FINDING_ORDER(self)


# The order of findings (Finding.sort_key), as a C function: a run over many files sorts tens of thousands.
FINDING_ORDER = attrgetter("path", "line", "column", "rule", "message")


def finding(rule: Rule, path: str, position: tuple[int, int], message: str, group: str = "", short: str = "", rank: tuple = (), hint: str = "") -> Finding:
    """Build a finding for `rule` at `position` (line, column).

    Its message stays one line whatever it quotes from a file (a value with a
    line break in it): every output format shows one finding a line.
    """
    if _LINE_BREAKS.search(message):
        message = _LINE_BREAKS.sub(_escape, message)
    return Finding(path, position[0], position[1], rule.id, rule.level, message, group, short, rank, hint)


def _escape(match: re.Match) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


class FindingsError(Exception):
    """Something tacli needs (the standards, the configuration) cannot be used;
    carries every finding about it, and names what it is."""

    def __init__(self, findings: list[Finding], subject: str):
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings
        self.subject = subject

    @property
    def summary(self) -> str:
        count = len(self.findings)
        return f"{self.subject} cannot be used ({count} problem{'s' if count != 1 else ''})"
