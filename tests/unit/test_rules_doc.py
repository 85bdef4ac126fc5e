"""docs/rules.md lists every rule exactly as the catalogue does."""

from pathlib import Path

from tacli.checking.catalogue import ALL_RULES, rules_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_rules_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), "regenerate it: python -m tacli.checking.catalogue > docs/rules.md"


def test_rule_ids_are_unique_and_short():
    assert len({rule.id for rule in ALL_RULES}) == len(ALL_RULES)
    for rule in ALL_RULES:
        assert rule.id == rule.id.lower() and " " not in rule.id and len(rule.id) <= 24
        assert rule.summary.endswith(".")
