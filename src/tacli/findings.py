"""The one finding type that every check produces and every formatter reads."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.message)


def finding(rule: Rule, path: str, position: tuple[int, int], message: str) -> Finding:
    """Build a finding for `rule` at `position` (line, column)."""
    return Finding(path, position[0], position[1], rule.id, rule.level, message)


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
