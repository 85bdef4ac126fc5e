"""A report run that cannot write one report leaves the reports folder as it
was: no report, no temporary file, and no folder it made for the others
(they are staged on several threads, a folder each, so the others' folders
may be made before the failure is met)."""

from __future__ import annotations

import shutil

from conftest import EXAMPLE_FILES

TODAY = ("--today", "2026-11-22")


def test_a_failed_run_leaves_no_folder_it_made(run_tacli, tmp_path):
    folder = tmp_path / "engagements"
    folder.mkdir()
    for example in EXAMPLE_FILES:
        shutil.copy(example, folder / example.name)
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "keep").mkdir()  # the user's: stays
    blocker = sorted(path.stem for path in EXAMPLE_FILES)[-1]  # the last engagement's folder, in path order, is a file
    (reports / blocker).write_text("not a folder\n", encoding="utf-8")
    done = run_tacli("report", "engagements", "--out-dir", "reports", *TODAY, cwd=tmp_path)
    assert done.returncode == 2 and f"reports/{blocker} is a file where a folder of what tacli writes goes" in done.stderr and "nothing there was changed" in done.stderr
    assert sorted(path.name for path in reports.iterdir()) == sorted(["keep", blocker])
    assert list((reports / "keep").iterdir()) == []

