"""The selection of rules and levels that a configuration or the command line
makes over the catalogue: `select`, `ignore` and `levels`, applied to findings."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Optional, Sequence

from tacli.core.findings import Finding, Level, Rule


@dataclass(frozen=True)
class RuleSettings:
    """Which rules report, and at which level. The Checker applies it to findings,
    so every output format and the exit code see the same result."""

    disabled: frozenset = frozenset()
    levels: Mapping[str, Level] = field(default_factory=dict)

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        out = []
        for item in findings:
            if item.rule in self.disabled:
                continue
            level = self.levels.get(item.rule)
            out.append(item if level is None or level is item.level else replace(item, level=level))
        return out


@dataclass(frozen=True)
class SelectionProblem:
    """A rule id or pattern the catalogue does not allow: `key` (select, ignore or
    levels) and the `pattern` as written, to be placed in a file or an option."""

    key: str
    pattern: str
    message: str


def select_rules(
    select: Optional[Sequence[str]],
    ignore: Sequence[str],
    levels: Mapping[str, Level],
    catalogue: Optional[Sequence[Rule]] = None,
    label=lambda key: key,
) -> tuple[RuleSettings, list[SelectionProblem]]:
    """The settings that `select`, `ignore` and `levels` make, and what is wrong
    in them. Patterns use `*` and `?`. A rule that stops a file from being
    checked can be neither ignored nor downgraded: a file with it would pass
    unchecked. `label` names a key in messages (`--select` for an option)."""
    from tacli.core.suggest import did_you_mean

    from tacli.checking.catalogue import ALL_RULES, BLOCKING_RULE_IDS  # every check: imported only when rules are selected

    catalogue = ALL_RULES if catalogue is None else catalogue
    ids = [rule.id for rule in catalogue]
    blocking = BLOCKING_RULE_IDS & set(ids)
    problems: list[SelectionProblem] = []

    def matching(key: str, pattern: str) -> list[str]:
        found = [rule_id for rule_id in ids if fnmatch.fnmatchcase(rule_id, pattern)]
        if not found:
            hint = did_you_mean(pattern, ids) or " `tacli rules` lists every rule id."
            what = "pattern" if any(ch in pattern for ch in "*?[") else "rule"
            problems.append(SelectionProblem(key, pattern, f"unknown {what} '{pattern}' in {label(key)}:{hint}"))
        return found

    selected: Optional[set] = None
    if select is not None and not select:  # `--select ""`, `select = []`: every rule off would pass any file
        problems.append(SelectionProblem("select", "", f"{label('select')} is empty: name the rules to check (`tacli rules` lists them), or leave it out to check every rule"))
    if select is not None:
        selected = set()
        for pattern in select:
            selected.update(matching("select", pattern))
    ignored: set = set()
    for pattern in ignore:
        found = matching("ignore", pattern)
        if found and set(found) <= blocking:
            names = ", ".join(found)
            one = len(found) == 1
            problems.append(SelectionProblem("ignore", pattern, f"'{pattern}' cannot be ignored: {names} {'stops' if one else 'stop'} a file from being checked, so a file with {'it' if one else 'them'} would pass unchecked"))
        ignored.update(rule_id for rule_id in found if rule_id not in blocking)
    changed: dict[str, Level] = {}
    for pattern, level in levels.items():
        found = matching("levels", pattern)
        if found and set(found) <= blocking:
            problems.append(SelectionProblem("levels", pattern, f"the level of '{pattern}' cannot be changed: it stops a file from being checked, so it is always an error"))
        for rule_id in found:
            if rule_id not in blocking:
                changed[rule_id] = level
    disabled = set(ignored)
    if selected is not None:
        disabled |= {rule_id for rule_id in ids if rule_id not in selected and rule_id not in blocking}
    by_id = {rule.id: rule for rule in catalogue}
    changed = {rule_id: level for rule_id, level in changed.items() if by_id[rule_id].level is not level}
    return RuleSettings(frozenset(disabled), changed), problems


def parse_rule_list(values: Optional[Sequence[str]]) -> Optional[list[str]]:
    """--select / --ignore values: repeatable, and comma-separated."""
    if values is None:
        return None
    out = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out
