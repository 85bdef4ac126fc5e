"""Many tacli edits of one file at the same moment: every edit that reports
success is in the file, because each holds the file's lock from reading it to
replacing it."""

from __future__ import annotations

import multiprocessing
import shutil
import sys

import pytest
from conftest import MINI_STANDARDS, run_in_process

pytestmark = pytest.mark.skipif(sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods(), reason="forks workers")

MINI = ("--standards", str(MINI_STANDARDS), "--today", "2026-11-22")
EDITS = 16


def _add_service(args) -> int:
    path, day = args
    return run_in_process("new", "service", path, "--date", f"2026-10-{day:02d}", "--type", "visit", "--id", f"visit-{day:02d}", *MINI).returncode


def test_every_reported_success_is_in_the_file(tmp_path):
    path = tmp_path / "e.yaml"
    shutil.copy(MINI_STANDARDS.parent / "mini-engagement.yaml", path)
    with multiprocessing.get_context("fork").Pool(8) as pool:
        codes = pool.map(_add_service, [(str(path), day) for day in range(2, 2 + EDITS)])
    text = path.read_text(encoding="utf-8")
    succeeded = [day for day, code in zip(range(2, 2 + EDITS), codes) if code == 0]
    assert succeeded == list(range(2, 2 + EDITS)), codes
    for day in succeeded:
        assert f"- id: visit-{day:02d}\n" in text
    assert run_in_process("check", *MINI, str(path)).returncode in (0, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.yaml"]  # no temporary or lock file beside it
