"""docs/rules.md lists every rule exactly as the catalogue does."""

from pathlib import Path

from tacli.rules import ALL_RULES, RULES_BY_ID, rules_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_rules_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), "regenerate it: python -m tacli.rules > docs/rules.md"


def test_rule_ids_are_unique_and_short():
    assert len(RULES_BY_ID) == len(ALL_RULES)
    for rule in ALL_RULES:
        assert rule.id == rule.id.lower() and " " not in rule.id and len(rule.id) <= 24
        assert rule.summary.endswith(".")
