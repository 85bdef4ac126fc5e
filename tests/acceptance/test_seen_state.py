"""A --check that found a reports folder current is remembered (the files' and
folders' signatures, write.output_files.SeenState): the next --check over the
same engagements reads no report and renders nothing, and says the same; any
change to a file or a folder since sends it back to comparing every file."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from conftest import EXAMPLE_FILES, counted_calls

import tacli.output.reports
import tacli.write.output_files
from tacli.io import filestat

TODAY = ("--today", "2026-11-22")
pytestmark = pytest.mark.cache_on  # these tests are about what the cache does


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "engagements"
    folder.mkdir()
    for example in EXAMPLE_FILES[:2]:
        shutil.copy(example, folder / example.name)
    return tmp_path


@pytest.fixture
def spied(monkeypatch):
    """Counts of the files compared one by one, and of the renders, in the runs that follow."""
    compared = counted_calls(monkeypatch, tacli.write.output_files, "_standing")
    rendered = counted_calls(monkeypatch, tacli.output.reports, "render_reports")
    return lambda: (len(compared), len(rendered))


def settle():
    """Let the files written stop being racy (io.filestat.RACY_NS)."""
    time.sleep(filestat.RACY_NS / 1e9 + 0.05)


def check(run_tacli, project, *more):
    return run_tacli("report", "--check", "engagements", "--out-dir", "reports", *TODAY, *more, cwd=project)


def checked_both_ways(run_tacli, project, site: tuple = ()):
    """Once the files written have settled: the --check of the reports (or of
    `site`), and the same with --no-cache, which a remembered check must match."""
    settle()
    if not site:
        return check(run_tacli, project), check(run_tacli, project, "--no-cache")
    return run_tacli(*site, "--check", cwd=project), run_tacli(*site, "--check", "--no-cache", cwd=project)


def remembered_site_check(run_tacli, project, site: tuple, monkeypatch):
    """A site written just before, checked once (and so remembered), then again
    with its building made to fail: (the first --check, the second)."""
    import tacli.output.site

    settle()
    first = run_tacli(*site, "--check", cwd=project)
    assert first.returncode == 0 and "the site is current" in first.stdout

    def not_built(*args, **kwargs):
        raise AssertionError("the site was built again")

    with monkeypatch.context() as patched:
        patched.setattr(tacli.output.site, "site_in_parts", not_built)
        again = run_tacli(*site, "--check", cwd=project)
    return first, again


def written_and_confirmed(run_tacli, project):
    assert run_tacli("report", "engagements", "--out-dir", "reports", *TODAY, cwd=project).returncode == 0
    settle()
    first = check(run_tacli, project)
    assert first.returncode == 0, first.stdout + first.stderr
    return first


def test_a_folder_found_current_is_not_read_again(run_tacli, project, spied):
    first = written_and_confirmed(run_tacli, project)
    compared, rendered = spied()
    assert compared > 10  # every report was read and compared once
    again = check(run_tacli, project)
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert spied() == (compared, rendered)  # the second run compared and rendered nothing
    uncached = check(run_tacli, project, "--no-cache")
    assert (uncached.returncode, uncached.stdout) == (first.returncode, first.stdout)


def test_a_report_changed_in_place_with_its_size_and_times_kept_is_found_stale(run_tacli, project):
    written_and_confirmed(run_tacli, project)
    report = sorted((project / "reports").rglob("*-tast.md"))[0]
    info = report.stat()
    text = report.read_bytes()
    changed = text.replace(b"TAST", b"TAS7", 1)
    assert changed != text and len(changed) == len(text)
    with open(report, "r+b") as handle:  # the same file (inode), the same size
        handle.write(changed)
    os.utime(report, ns=(info.st_atime_ns, info.st_mtime_ns))  # and its modification time put back
    settle()
    again = check(run_tacli, project)
    assert again.returncode == 1 and f"stale: reports/{report.relative_to(project / 'reports').as_posix()}" in again.stdout


@pytest.mark.parametrize("change", ["new file", "removed", "folder made a link"])
def test_a_change_to_a_folder_is_seen(run_tacli, project, tmp_path, change):
    written_and_confirmed(run_tacli, project)
    reports = project / "reports"
    folder = sorted(path for path in reports.iterdir() if path.is_dir())[0]
    if change == "new file":  # a report of tacli's that no engagement makes now: an orphan
        shutil.copy(sorted(folder.glob("*-tast.md"))[0], folder / "2020-01-01-old-tast.md")
    elif change == "removed":
        sorted(folder.glob("*.md"))[0].unlink()
    else:
        moved = tmp_path / "elsewhere"
        folder.rename(moved)
        folder.symlink_to(moved, target_is_directory=True)
    again, uncached = checked_both_ways(run_tacli, project)
    assert (again.returncode, again.stdout, again.stderr) == (uncached.returncode, uncached.stdout, uncached.stderr)
    assert again.returncode == 1


def test_an_engagement_changed_is_compared_again(run_tacli, project, spied):
    written_and_confirmed(run_tacli, project)
    compared = spied()[0]
    engagement = sorted((project / "engagements").glob("*.yaml"))[0]
    engagement.write_text(engagement.read_text(encoding="utf-8").replace("title: ", "title: New ", 1), encoding="utf-8")
    again = check(run_tacli, project)
    assert again.returncode == 1 and "stale: " in again.stdout
    assert spied()[0] > compared


def test_racy_and_coarse_times_are_not_trusted():
    now = time.time_ns()
    fine = (1, 2, 0o100644, 10, now - 10**9, now - 10**9)
    assert filestat.settled(fine, now)
    assert not filestat.settled((1, 2, 0o100644, 10, now - 10**6, now - 10**9), now)  # written a millisecond before it was read
    second = (now // 10**9 - 1) * 10**9  # a file system that keeps whole seconds: a second old is not old enough
    assert not filestat.settled((1, 2, 0o100644, 10, second, second), now)
    assert filestat.settled((1, 2, 0o100644, 10, second - 2 * 10**9, second - 2 * 10**9), now)


def test_a_site_found_current_is_not_read_again_and_a_change_is_seen(run_tacli, project, monkeypatch):
    site = ("site", "engagements", "--out-dir", "site", *TODAY)
    assert run_tacli(*site, cwd=project).returncode == 0
    first, again = remembered_site_check(run_tacli, project, site, monkeypatch)
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    page = sorted((project / "site").rglob("*.html"))[-1]
    text = page.read_text(encoding="utf-8")
    assert "</title>" in text
    page.write_text(text.replace("</title>", "!</title>", 1), encoding="utf-8")
    settle()
    changed = run_tacli(*site, "--check", cwd=project)
    assert changed.returncode == 1 and f"stale: site/{page.relative_to(project / 'site').as_posix()}" in changed.stdout


# What a full comparison sees in the folders it lists for orphans, not only in
# those that hold the run's files: a remembered --check sees it too.


def test_a_report_put_in_a_folder_that_holds_none_is_an_orphan_after_a_remembered_check(run_tacli, project):
    reports = project / "reports"
    assert run_tacli("report", "engagements", "--out-dir", "reports", *TODAY, cwd=project).returncode == 0
    (reports / "old-engagement").mkdir()  # a folder of an engagement gone, emptied
    settle()
    assert check(run_tacli, project).returncode == 0  # remembered
    report = sorted(reports.rglob("*-tast.md"))[0]
    shutil.copy(report, reports / "old-engagement" / report.name)  # changes that folder alone
    again, uncached = checked_both_ways(run_tacli, project)
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
    again, uncached = checked_both_ways(run_tacli, project)
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
    again, uncached = checked_both_ways(run_tacli, project, site)
    assert uncached.returncode == 1
    assert (again.returncode, again.stdout) == (uncached.returncode, uncached.stdout)


def test_a_site_checked_with_a_roster_is_remembered_and_a_roster_change_is_seen(run_tacli, project, monkeypatch):
    from conftest import EXAMPLES

    shutil.copy(EXAMPLES / "roster.yaml", project / "roster.yaml")
    site = ("site", "engagements", "--roster", "roster.yaml", "--out-dir", "site", *TODAY)
    assert run_tacli(*site, cwd=project).returncode == 0
    first, again = remembered_site_check(run_tacli, project, site, monkeypatch)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)
    roster = project / "roster.yaml"
    text = roster.read_text(encoding="utf-8")
    assert "title_i: true" in text
    roster.write_text(text.replace("title_i: true", "title_i: false"), encoding="utf-8")
    changed, uncached = checked_both_ways(run_tacli, project, site)
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
