"""Every rule tacli reports, by id: the catalogue behind `tacli rules` and docs/rules.md."""

from __future__ import annotations

from tacli import engagement, spec, yamlsource
from tacli.checks import RULES as CHECK_RULES
from tacli.findings import Rule

ALL_RULES: tuple[Rule, ...] = yamlsource.RULES + engagement.RULES + CHECK_RULES + (spec.SPEC_INVALID,)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
# Rules that mean a file was not read or not validated, so no other check ran on it:
# they cannot be ignored or downgraded, and tacli edits no file that has them.
BLOCKING_RULE_IDS: frozenset[str] = frozenset(rule.id for rule in yamlsource.RULES + engagement.RULES + (spec.SPEC_INVALID,))


def rules_markdown() -> str:
    """docs/rules.md, made from the catalogue so that it cannot fall behind (a test compares)."""
    lines = [
        "# Rules",
        "",
        "Every finding carries one of these stable rule ids. `tacli rules` prints the same list.",
        "Errors make `tacli check` exit 1; warnings are reported but do not fail a run.",
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
