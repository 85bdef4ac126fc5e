"""The fast C parser (YAML 1.1) and ruamel.yaml's own parser in YAML 1.2 mode
compose the same nodes for the files tacli ships and tests: whichever parser
reads a file, its data and its findings, at the same positions, are the same."""

from __future__ import annotations

import pytest
from conftest import MINI_STANDARDS, TESTS, TODAY, checker_for, EXAMPLE_FILES

from tacli.io import yamlsource
from tacli.io.yamlsource import YamlError, load_bytes

CASES = [(path, None) for path in EXAMPLE_FILES] + [
    (path, MINI_STANDARDS) for path in sorted((TESTS / "golden").glob("*.yaml")) + [TESTS / "data" / "mini-engagement.yaml"]
]


def read(raw: bytes, name: str, standards):
    """The data and the findings of a file, with the parser composing it now."""
    try:
        document = load_bytes(raw, name)
    except YamlError as exc:
        return None, [exc.finding]
    checker = checker_for(standards, TODAY)
    return document.data, checker.examine(checker.read_document(document)).findings


@pytest.mark.parametrize(("path", "standards"), CASES, ids=[path.name for path, _ in CASES])
def test_both_parsers_give_the_same_findings(path, standards, monkeypatch):
    raw = path.read_bytes()
    fast = read(raw, path.name, standards)
    assert yamlsource._composer().Parser.__name__ == "CParser"
    monkeypatch.setattr(yamlsource, "_composer", yamlsource._composer_1_2)
    assert yamlsource._composer().Parser.__name__ != "CParser"
    yaml_1_2 = read(raw, path.name, standards)
    assert yaml_1_2 == fast
