"""A remembered --check (write.output_files.SeenState) sees what a full
comparison sees in the folders it lists for orphans, not only in the folders
that hold its files: a report of tacli's put in a folder that holds none of
this run's, or a file left alone given tacli's marker in place."""

from __future__ import annotations

import shutil
import time

import pytest
from conftest import EXAMPLE_FILES

from tacli.io import filestat

TODAY = ("--today", "2026-11-22")


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "engagements"
    folder.mkdir()
    for example in EXAMPLE_FILES[:2]:
        shutil.copy(example, folder / example.name)
    return tmp_path


def settle():
    time.sleep(filestat.RACY_NS / 1e9 + 0.05)


def check(run_tacli, project, *more):
    return run_tacli("report", "--check", "engagements", "--out-dir", "reports", *TODAY, *more, cwd=project)


def test_a_report_put_in_a_folder_that_holds_none_is_an_orphan_after_a_remembered_check(run_tacli, project):
    reports = project / "reports"
    assert run_tacli("report", "engagements", "--out-dir", "reports", *TODAY, cwd=project).returncode == 0
    (reports / "old-engagement").mkdir()  # a folder of an engagement gone, emptied
    settle()
    assert check(run_tacli, project).returncode == 0  # remembered
    report = sorted(reports.rglob("*-tast.md"))[0]
    shutil.copy(report, reports / "old-engagement" / report.name)  # changes that folder alone
    settle()
    again = check(run_tacli, project)
    uncached = check(run_tacli, project, "--no-cache")
    assert uncached.returncode == 1 and "orphaned: reports/old-engagement/" in uncached.stdout
    assert (again.returncode, again.stdout) == (uncached.returncode, uncached.stdout)


def test_a_file_left_alone_given_the_marker_in_place_is_an_orphan_after_a_remembered_check(run_tacli, project):
    reports = project / "reports"
    assert run_tacli("report", "engagements", "--out-dir", "reports", *TODAY, cwd=project).returncode == 0
    report = sorted(reports.rglob("*-tast.md"))[0]
    mine = report.parent / ("2020-01-01-" + report.name.split("-", 3)[-1])
    mine.write_text("My own notes.\n", encoding="utf-8")  # named like a report, not tacli's: left alone
    settle()
    first = check(run_tacli, project)
    assert first.returncode == 0, first.stdout
    with open(mine, "a", encoding="utf-8") as handle:  # in place: its folder does not change
        handle.write(report.read_text(encoding="utf-8").splitlines()[-1] + "\n")
    settle()
    again = check(run_tacli, project)
    uncached = check(run_tacli, project, "--no-cache")
    assert uncached.returncode == 1 and "orphaned: " in uncached.stdout
    assert (again.returncode, again.stdout) == (uncached.returncode, uncached.stdout)


def test_a_site_page_put_in_an_engagement_folder_that_holds_none_is_seen(run_tacli, project):
    site = ("site", "engagements", "--out-dir", "site", *TODAY)
    assert run_tacli(*site, cwd=project).returncode == 0
    (project / "site" / "engagements" / "gone").mkdir()
    settle()
    assert run_tacli(*site, "--check", cwd=project).returncode == 0
    page = sorted((project / "site" / "engagements").rglob("*.html"))[0]
    shutil.copy(page, project / "site" / "engagements" / "gone" / page.name)
    settle()
    again = run_tacli(*site, "--check", cwd=project)
    uncached = run_tacli(*site, "--check", "--no-cache", cwd=project)
    assert uncached.returncode == 1
    assert (again.returncode, again.stdout) == (uncached.returncode, uncached.stdout)


def test_a_site_checked_with_a_roster_is_remembered_and_a_roster_change_is_seen(run_tacli, project, monkeypatch):
    from conftest import EXAMPLES

    shutil.copy(EXAMPLES / "roster.yaml", project / "roster.yaml")
    site = ("site", "engagements", "--roster", "roster.yaml", "--out-dir", "site", *TODAY)
    assert run_tacli(*site, cwd=project).returncode == 0
    settle()
    first = run_tacli(*site, "--check", cwd=project)
    assert first.returncode == 0 and "the site is current" in first.stdout
    import tacli.output.site

    def not_built(*args, **kwargs):
        raise AssertionError("the site was built again")

    with monkeypatch.context() as patched:
        patched.setattr(tacli.output.site, "build_site", not_built)
        again = run_tacli(*site, "--check", cwd=project)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)
    roster = project / "roster.yaml"
    text = roster.read_text(encoding="utf-8")
    assert "title_i: true" in text
    roster.write_text(text.replace("title_i: true", "title_i: false"), encoding="utf-8")
    changed = run_tacli(*site, "--check", cwd=project)
    uncached = run_tacli(*site, "--check", "--no-cache", cwd=project)
    assert (changed.returncode, changed.stdout) == (uncached.returncode, uncached.stdout)


def test_the_site_portfolio_pages_are_kept_under_a_roster():
    """The key of what is made with a roster holds its data, the same from one run to the next."""
    from pathlib import Path

    from conftest import EXAMPLES

    from tacli.output.site_layout import roster_part
    from tacli.reading.roster import load_roster

    first, second = load_roster(Path(EXAMPLES / "roster.yaml")), load_roster(Path(EXAMPLES / "roster.yaml"))
    assert roster_part(first) == roster_part(second) and roster_part(None) == "None"
    assert "Hartford" in roster_part(first)
