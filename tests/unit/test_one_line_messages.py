"""Every finding tacli makes from reading a file has a one-line message, whatever
the file quotes into it: tools read one finding a line."""

from __future__ import annotations

import pytest
from conftest import MINI_ENGAGEMENT, TESTS, findings_of

from tacli.commands.config import load_config
from tacli.io.configfile import ConfigError

BREAKS = ["\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"]


def edited(old: str, new: str) -> str:
    """The mini engagement with the first `old` replaced by `new`."""
    assert old in MINI_ENGAGEMENT, old
    return MINI_ENGAGEMENT.replace(old, new, 1)


ODD = {
    "a value with a line break": edited("tier: basic", 'tier: "bas\\nic"'),
    "a key with a line break": edited("tier: basic", '"ti\\ner": basic'),
    "a duty id with a line break": edited("planning.facilitator.prepare-agenda:", '"planning.facilitator\\n.prepare-agenda":'),
    "a status with a line separator": edited("status: done", 'status: "do\\u2028ne"'),
    "a date with a line break": edited("date: 2026-10-01", 'date: "2026-10-01\\r\\n"'),
    "a duplicate key with a line break": edited("tier: basic", '"a\\nb": 1\n"a\\nb": 2\ntier: basic'),
    "a tag with an escape": edited("tier: basic", "tier: !<tag:a%0Ab> basic"),
    "a control character": edited("tier: basic", "tier: ba\x01sic"),
    "a next-line character in a value": edited("tier: basic", "tier: ba\x85sic"),
    "a huge number": edited("hours: 3", "hours: " + "9" * 5000),
    "a YAML 1.1 control in a quoted value": edited("tier: basic", 'tier: "ba\\x1bsic"'),
    "a syntax error after a line separator": "tacli: 1\ntitle: a\u2028b\nid: [\n",
    "not an engagement": "- one\n- two\n",
    "a list of odd keys": "tacli: 1\n? [a\n  , b]\n: c\n",
    "UTF-16": MINI_ENGAGEMENT.encode("utf-16"),
}


def assert_one_line(findings) -> None:
    assert findings
    for found in findings:
        assert len(found.message.splitlines()) == 1, found
        assert not any(char in found.message for char in BREAKS), found


@pytest.mark.parametrize("path", sorted((TESTS / "golden").glob("*.yaml")), ids=lambda path: path.name)
def test_golden_inputs(path):
    own = TESTS / "golden" / "standards" / path.stem  # a case that needs standards of its own (tests/golden/regenerate.py)
    standards = {"standards": own} if own.is_dir() else {}
    assert_one_line(findings_of(path.read_bytes(), name=path.name, **standards))


@pytest.mark.parametrize("text", list(ODD.values()), ids=list(ODD))
def test_odd_inputs(text):
    assert_one_line(findings_of(text))


def test_the_configuration(tmp_path):
    (tmp_path / "tacli.toml").write_text('"odd\\nkey" = 1\nignore = ["no\\u2028such-rule"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert_one_line(raised.value.findings)
