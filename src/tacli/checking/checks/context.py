"""What a check needs to know about one engagement."""

from __future__ import annotations

from datetime import date
from typing import Any

from tacli.core.findings import Finding, Rule, finding
from tacli.standards.spec import Spec
from tacli.io.yamlsource import Document


class Context:
    """One engagement being checked: its document (for positions), the engagement,
    the standards and the day. A rule that asks for the day is noted
    (`asked_today`): its findings hold for that day only, and the cache keeps
    them with it (checking.checker)."""

    __slots__ = ("document", "engagement", "spec", "_today", "asked_today")

    def __init__(self, document: Document, engagement: Any, spec: Spec, today: date):
        self.document = document
        self.engagement = engagement
        self.spec = spec
        self._today = today
        self.asked_today = False

    @property
    def today(self) -> date:
        self.asked_today = True
        return self._today

    def at(self, rule: Rule, loc: tuple, message: str, group: str = "", short: str = "", rank: tuple = (), hint: str = "") -> Finding:
        """A finding for `rule` at the value `loc` points to (or the nearest node above);
        `group`, `short` and `rank` let the terminal's view gather it with its kind, in
        order, and `hint` say what to do about the group."""
        return finding(rule, self.document.path, self.document.locate(loc), message, group, short, rank, hint)

    def first_present(self, *locs: tuple) -> tuple:
        """The first of `locs` whose last key is present in the data, else the last one."""
        for loc in locs:
            if _present(self.document.data, loc):
                return loc
        return locs[-1]


def _present(data: Any, loc: tuple) -> bool:
    for part in loc:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return False
        elif not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True
