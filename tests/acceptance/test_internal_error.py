"""A bug inside tacli is an internal error: one message, exit 2, no traceback."""

import subprocess
import sys

from conftest import EXAMPLES

BROKEN_CHECK = """
import sys
import tacli.checks.plan as plan

def broken(context):
    raise KeyError("boom")
    yield

plan.check = broken
sys.argv = ["tacli", "check", "--today", "2026-11-22", sys.argv[1]]
from tacli.cli import main
main()
"""


def test_a_bug_is_reported_as_an_internal_error():
    done = subprocess.run(
        [sys.executable, "-c", BROKEN_CHECK, str(EXAMPLES / "little-acorns-oec-coaching.yaml")],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "tacli: internal error: InternalError: while checking" in done.stderr
    assert "little-acorns-oec-coaching.yaml: KeyError: 'boom'" in done.stderr
    assert "This is a bug in tacli. Please report it" in done.stderr
