"""The rules that mean a file was not read, not validated or not checked.

No other check ran on such a file, so these rules cannot be ignored or
downgraded, tacli edits no file that has them, and no report is made from
it. Built from the light modules that declare the rules, so that `report`
can tell which files to leave out without importing the checks or pydantic.
"""

from __future__ import annotations

from tacli.checking.checker import INTERNAL_ERROR
from tacli.checking.identity import DUPLICATE_ID
from tacli.core.findings import Rule
from tacli.io import yaml_rules
from tacli.io.configfile import CONFIG_INVALID
from tacli.reading.file_rules import ROSTER_INVALID, VALIDATION_RULES
from tacli.standards.spec_rule import SPEC_INVALID

BLOCKING_RULES: tuple[Rule, ...] = yaml_rules.RULES + VALIDATION_RULES + (SPEC_INVALID, CONFIG_INVALID, ROSTER_INVALID, INTERNAL_ERROR)
BLOCKING_RULE_IDS: frozenset[str] = frozenset(rule.id for rule in BLOCKING_RULES)
# Reports are filed under engagement and service ids: no report is made while one is shared.
REPORT_BLOCKING_RULE_IDS: frozenset[str] = BLOCKING_RULE_IDS | {DUPLICATE_ID.id}
