"""Every rule tacli reports, by id: the catalogue behind `tacli rules` and
docs/rules.md, and which rules stop a file from being checked."""

from __future__ import annotations

from tacli.checking.blocking import BLOCKING_RULE_IDS, REPORT_BLOCKING_RULE_IDS  # noqa: F401 - also imported from here
from tacli.checking.checker import INTERNAL_ERROR
from tacli.checking.checks import RULES as CHECK_RULES
from tacli.core.findings import Rule
from tacli.io import yaml_rules
from tacli.io.configfile import CONFIG_INVALID
from tacli.reading.file_rules import ROSTER_INVALID, VALIDATION_RULES
from tacli.standards.spec_rule import SPEC_INVALID

ALL_RULES: tuple[Rule, ...] = yaml_rules.RULES + VALIDATION_RULES + CHECK_RULES + (SPEC_INVALID, CONFIG_INVALID, ROSTER_INVALID, INTERNAL_ERROR)


def rules_markdown() -> str:
    """docs/rules.md, made from the catalogue so that it cannot fall behind (a test compares)."""
    lines = [
        "# Rules",
        "",
        "Every finding carries one of these stable rule ids. `tacli rules` prints the same list.",
        "Errors make `tacli check` exit 1 (3 for `internal-error`, a bug in tacli); warnings are reported but do not fail a run.",
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
