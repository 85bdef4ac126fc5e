"""Shared helpers: check YAML text in memory, or run the installed `tacli` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
DATA = TESTS / "data"
MINI_STANDARDS = DATA / "mini-standards"
ROOT = TESTS.parent
EXAMPLES = ROOT / "examples"
TODAY = date(2026, 11, 22)
MINI_ENGAGEMENT = (DATA / "mini-engagement.yaml").read_text(encoding="utf-8")

_checkers: dict = {}


def checker_for(standards: Path | None = None, today: date = TODAY):
    from tacli.checker import Checker
    from tacli.spec import load_spec, shipped_standards

    folder = standards or shipped_standards()
    key = (str(folder), today)
    if key not in _checkers:
        _checkers[key] = Checker(load_spec(folder), today)
    return _checkers[key]


def findings_of(text: str, standards: Path | None = MINI_STANDARDS, today: date = TODAY, name: str = "case.yaml"):
    """All findings for a YAML text, checked in memory."""
    from tacli.yamlsource import YamlError, load_bytes

    raw = textwrap.dedent(text).encode("utf-8") if isinstance(text, str) else text
    try:
        document = load_bytes(raw, name)
    except YamlError as exc:
        return [exc.finding]
    return checker_for(standards, today).check_document(document)


def hits(text: str, **kwargs) -> list[tuple[str, int, int]]:
    """(rule, line, column) of every finding, in file order."""
    return [(f.rule, f.line, f.column) for f in sorted(findings_of(text, **kwargs), key=lambda f: f.sort_key())]


def rules_of(text: str, **kwargs) -> set[str]:
    return {f.rule for f in findings_of(text, **kwargs)}


def tacli_command() -> list[str]:
    """The installed console script, or the module when run from a source tree."""
    found = shutil.which("tacli", path=os.path.dirname(sys.executable)) or shutil.which("tacli")
    return [found] if found else [sys.executable, "-m", "tacli"]


@pytest.fixture
def run_tacli():
    """Run the real `tacli` command; returns the CompletedProcess (text mode)."""

    def run(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None):
        # GITHUB_ACTIONS=true would switch `tacli check` to annotations: tests choose the format
        environment = {k: v for k, v in os.environ.items() if not k.startswith("TACLI_") and k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE")}
        environment.update({"NO_COLOR": "1", "COLUMNS": "200"})
        environment.update(env or {})
        return subprocess.run(
            tacli_command() + [str(a) for a in args],
            cwd=cwd, env=environment, input=input, capture_output=True, text=True, timeout=120,
        )

    return run
