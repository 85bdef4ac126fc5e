"""Rewrite the golden outputs (*.out) from what `tacli check` prints now.

Run it deliberately, after changing a message on purpose, then read the diff
before committing it:

    python tests/golden/regenerate.py

Each tests/golden/<rule-id>.yaml is checked from the repository root with the
mini standards (or, for a case that needs others, tests/golden/standards/<rule-id>/,
or the folder its first lines name: `# standards: tests/golden/standards/outcomes`)
as of a fixed day; its standard output goes to <rule-id>.out. A case of a
roster rule (roster-*) is the roster itself, given with --roster to check the
mini engagement (or the files its first lines name: `# engagements: A B`).
The broken standards folder spec-invalid/ and the broken configuration
config-invalid/tacli.toml are used to check the mini engagement; their
standard error goes to spec-invalid.out and config-invalid.out.
tests/acceptance/test_golden.py runs the same commands and compares.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent
ROOT = GOLDEN.parents[1]
CHECK = ("check", "--standards", "tests/data/mini-standards", "--today", "2026-11-22")
SPEC_INVALID = ("check", "--standards", "tests/golden/spec-invalid", "--today", "2026-11-22", "tests/data/mini-engagement.yaml")
ROSTER_INVALID = ("check", "--standards", "tests/data/mini-standards", "--today", "2026-11-22", "--roster", "tests/golden/roster-invalid/roster.yaml", "tests/data/mini-engagement.yaml")
CONFIG_INVALID = ("check", "--config", "tests/golden/config-invalid/tacli.toml", "--standards", "tests/data/mini-standards", "--today", "2026-11-22", "tests/data/mini-engagement.yaml")
# The rules whose golden case is a broken folder or file, reported on standard error.
STDERR_CASES = {"spec-invalid": SPEC_INVALID, "config-invalid": CONFIG_INVALID, "roster-invalid": ROSTER_INVALID}


def cases() -> list[str]:
    """The rule ids that have a golden input, in file-name order."""
    return sorted(path.stem for path in GOLDEN.glob("*.yaml"))


def _said(rule_id: str, key: str) -> list[str]:
    """What a case's first comment lines say after `# key:`."""
    for line in (GOLDEN / f"{rule_id}.yaml").read_bytes().decode("utf-8", "replace").splitlines()[:5]:
        if line.startswith(f"# {key}:"):
            return line.split(":", 1)[1].split()
    return []


def case_args(rule_id: str) -> tuple[str, ...]:
    """The mini standards, or the case's own (tests/golden/standards/<rule-id>/, or
    the folder it names) where it needs other ones; a roster case as the roster."""
    standards = _said(rule_id, "standards") or ([f"tests/golden/standards/{rule_id}"] if (GOLDEN / "standards" / rule_id).is_dir() else [])
    args = CHECK
    if standards:
        args = tuple(standards[0] if arg == "tests/data/mini-standards" else arg for arg in args)
    if rule_id.startswith("roster-"):
        return args + ("--roster", f"tests/golden/{rule_id}.yaml", *(_said(rule_id, "engagements") or ["tests/data/mini-engagement.yaml"]))
    return args + (f"tests/golden/{rule_id}.yaml",)


def tacli_command() -> list[str]:
    found = shutil.which("tacli", path=os.path.dirname(sys.executable)) or shutil.which("tacli")
    return [found] if found else [sys.executable, "-m", "tacli"]


def run(args) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TACLI_")}
    environment.update({"NO_COLOR": "1", "COLUMNS": "200"})
    return subprocess.run(tacli_command() + list(args), cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def write(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old != text:
        path.write_text(text, encoding="utf-8", newline="")
        print(f"{'updated' if old is not None else 'created'} {path.relative_to(ROOT)}")


def main() -> int:
    for rule_id in cases():
        result = run(case_args(rule_id))
        if result.stderr or result.returncode not in (0, 1):
            print(f"{rule_id}: exit {result.returncode}\n{result.stderr}", file=sys.stderr)
            return 1
        write(GOLDEN / f"{rule_id}.out", result.stdout)
    for rule_id, args in STDERR_CASES.items():
        result = run(args)
        if result.returncode != 2:
            print(f"{rule_id}: exit {result.returncode}, expected 2", file=sys.stderr)
            return 1
        write(GOLDEN / f"{rule_id}.out", result.stderr)
    for out in GOLDEN.glob("*.out"):
        if out.stem not in cases() and out.stem not in STDERR_CASES:
            print(f"stale: {out.relative_to(ROOT)} has no .yaml (delete it)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
