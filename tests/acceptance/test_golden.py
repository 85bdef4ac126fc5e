"""The golden catalogue: one small input per rule, and the exact output users see.

After changing a message on purpose, run `python tests/golden/regenerate.py`
and review the diff of tests/golden/*.out.
"""

from __future__ import annotations

import importlib.util

import pytest
from conftest import ROOT, TESTS

from tacli.core.findings import Level
from tacli.checking.catalogue import ALL_RULES

RULES_BY_ID = {rule.id: rule for rule in ALL_RULES}

GOLDEN = TESTS / "golden"

_spec = importlib.util.spec_from_file_location("golden_regenerate", GOLDEN / "regenerate.py")
regenerate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regenerate)

# file-unreadable needs a file that exists but cannot be read. chmod 000 does
# not stop root (tests often run as root in containers), a folder named
# *.yaml is searched rather than read, and special files (FIFOs, devices)
# cannot be kept in git; so it has no golden case here. It is covered by
# tests/unit/test_yamlsource.py::test_unreadable_file,
# tests/acceptance/test_special_paths.py and, when not root, by
# tests/acceptance/test_check_cli.py::test_unreadable_file.
# internal-error is a bug in tacli met on one file: no input makes it on
# purpose, so it is covered by tests/acceptance/test_internal_error.py, which
# breaks a check on purpose.
EXEMPT = {"file-unreadable", "internal-error"}


def read(path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


@pytest.mark.parametrize("rule_id", regenerate.cases())
def test_golden_output(rule_id, run_tacli):
    assert rule_id in RULES_BY_ID, f"tests/golden/{rule_id}.yaml is not named after a rule"
    result = run_tacli(*regenerate.case_args(rule_id), cwd=ROOT)
    assert result.stdout == read(GOLDEN / f"{rule_id}.out")
    assert result.stderr == ""
    findings = result.stdout.splitlines()[:-1]
    assert findings, "a golden case must produce its rule"
    assert all(f" {rule_id} " in line for line in findings), "a golden case produces its rule only"
    expected_exit = 1 if RULES_BY_ID[rule_id].level is Level.ERROR else 0
    assert result.returncode == expected_exit


@pytest.mark.parametrize("rule_id", sorted(regenerate.STDERR_CASES))
def test_broken_standards_and_configuration(rule_id, run_tacli):
    result = run_tacli(*regenerate.STDERR_CASES[rule_id], cwd=ROOT)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == read(GOLDEN / f"{rule_id}.out")
    lines = result.stderr.splitlines()
    assert all(f" error {rule_id} " in line for line in lines[:-1])
    assert lines[-1].startswith("tacli: error: ") and lines[-1].endswith(" cannot be used (3 problems)" if rule_id == "config-invalid" else " cannot be used (2 problems)")


def test_spec_invalid_reports_each_file_and_across_files(run_tacli):
    result = run_tacli(*regenerate.SPEC_INVALID, cwd=ROOT)
    assert " spec-invalid unknown key 'txt' " in result.stderr  # a problem a file has on its own...
    assert " spec-invalid duty 'planning.facilitator.prepare-agenda' names stage 'planing'" in result.stderr  # ...and one across its items


def test_every_rule_has_a_golden_case():
    covered = set(regenerate.cases()) | set(regenerate.STDERR_CASES)
    missing = [rule.id for rule in ALL_RULES if rule.id not in covered | EXEMPT]
    assert missing == []


def test_every_output_has_an_input():
    outputs = {path.stem for path in GOLDEN.glob("*.out")}
    assert outputs == set(regenerate.cases()) | set(regenerate.STDERR_CASES)
