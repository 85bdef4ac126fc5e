"""Every rule tacli reports, by id: the catalogue behind `tacli rules` and docs/rules.md."""

from __future__ import annotations

from tacli import engagement, spec, yamlsource
from tacli.checks import RULES as CHECK_RULES
from tacli.findings import Rule

ALL_RULES: tuple[Rule, ...] = yamlsource.RULES + engagement.RULES + CHECK_RULES + (spec.SPEC_INVALID,)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
