"""Every rule tacli reports, by id: the catalogue behind `tacli rules` and
docs/rules.md, and the selection of rules and levels a configuration makes."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Optional, Sequence

from tacli import config, spec, validation, yamlsource
from tacli.checker import INTERNAL_ERROR
from tacli.checks import RULES as CHECK_RULES
from tacli.checks.consistency import DUPLICATE_ID
from tacli.findings import Finding, Level, Rule

_BLOCKING_RULES = yamlsource.RULES + validation.RULES + (spec.SPEC_INVALID, config.CONFIG_INVALID, INTERNAL_ERROR)
ALL_RULES: tuple[Rule, ...] = yamlsource.RULES + validation.RULES + CHECK_RULES + (spec.SPEC_INVALID, config.CONFIG_INVALID, INTERNAL_ERROR)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
# Rules that mean a file was not read, not validated or not checked, so no other check
# ran on it: they cannot be ignored or downgraded, and tacli edits no file that has them.
BLOCKING_RULE_IDS: frozenset[str] = frozenset(rule.id for rule in _BLOCKING_RULES)
# Reports are filed under engagement and service ids: no report is made while one is shared.
REPORT_BLOCKING_RULE_IDS: frozenset[str] = BLOCKING_RULE_IDS | {DUPLICATE_ID.id}


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
    catalogue: Sequence[Rule] = ALL_RULES,
    label=lambda key: key,
) -> tuple[RuleSettings, list[SelectionProblem]]:
    """The settings that `select`, `ignore` and `levels` make, and what is wrong
    in them. Patterns use `*` and `?`. A rule that stops a file from being
    checked can be neither ignored nor downgraded: a file with it would pass
    unchecked. `label` names a key in messages (`--select` for an option)."""
    from tacli.suggest import did_you_mean

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


def rules_markdown() -> str:
    """docs/rules.md, made from the catalogue so that it cannot fall behind (a test compares)."""
    lines = [
        "# Rules",
        "",
        "Every finding carries one of these stable rule ids. `tacli rules` prints the same list.",
        "Errors make `tacli check` exit 1 (2 for `internal-error`, a bug in tacli); warnings are reported but do not fail a run.",
        "The numbers the rules use (7 days, 21 hours, 2 to 5 years, 60%, monthly) come from the",
        "standards files, not from tacli: see `limits` and `report` in docs/standards-format.md.",
        "",
        "| rule | level | finds |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{rule.id}` | {rule.level.value} | {rule.summary} |" for rule in ALL_RULES]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
