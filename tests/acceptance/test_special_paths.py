"""Paths that are not regular files, and folders a search cannot go into.

Named on the command line, a FIFO or a device is a usage error (exit 2); met
by a folder search, it is a file-unreadable finding at 1:1, like a folder the
search cannot enter, a symbolic-link loop or a path too long: never a hang,
never a silent skip. Every test here runs under a deadline, so a read that
blocks fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLES, MINI_STANDARDS, run_in_process

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, devices and symbolic links are POSIX"),
    pytest.mark.usefixtures("deadline"),
]

MINI = ("--standards", str(MINI_STANDARDS), "--today", "2026-11-22")
ENGAGEMENT_TEXT = (DATA / "mini-engagement.yaml").read_text(encoding="utf-8")
DUTY = "planning.facilitator.prepare-agenda"


def special(folder: Path, kind: str, name: str = "engagement.yaml") -> Path:
    path = folder / name
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


WHAT = {"fifo": "a FIFO (named pipe)", "zero": "a symbolic link to a character device (/dev/zero)"}


def engagements(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "elm.yaml").write_text(ENGAGEMENT_TEXT)
    return folder


def assert_the_one_finding(run_tacli, tmp_path, line: str) -> None:
    """`tacli check engagements` reports `line`, and checks the clean engagement beside it."""
    done = run_tacli("check", *MINI, "engagements", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout == f"{line}\n2 files checked: 1 error in 1 file.\n"


# named on the command line: a usage error


@pytest.mark.parametrize("kind", ["fifo", "zero"])
@pytest.mark.parametrize("command", [("check",), ("report", "--kind", "plan")])
def test_a_special_file_named_is_a_usage_error(run_tacli, tmp_path, kind, command):
    special(tmp_path, kind)
    done = run_tacli(*command, *MINI, "engagement.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"tacli: error: engagement.yaml: {WHAT[kind]}, not a regular file: name engagement files or folders\n"


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_mark_refuses_a_special_file(run_tacli, tmp_path, kind):
    special(tmp_path, kind)
    done = run_tacli("mark", *MINI, "engagement.yaml", DUTY, "--done", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"tacli: error: engagement.yaml: {WHAT[kind]}, not an engagement file\n"


def test_a_special_configuration_file_is_a_usage_error(run_tacli, tmp_path):
    special(tmp_path, "fifo", "tacli.toml")
    engagements(tmp_path / "engagements")
    done = run_tacli("check", *MINI, "--config", "tacli.toml", "engagements", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "tacli: error: tacli.toml: a FIFO (named pipe), not a configuration file\n"


# found by a folder search: a finding, and the other files are still checked


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_special_file_in_a_folder_is_a_finding(run_tacli, tmp_path, kind):
    folder = engagements(tmp_path / "engagements")
    special(folder, kind, "other.yaml")
    assert_the_one_finding(
        run_tacli, tmp_path,
        f"engagements/other.yaml:1:1: error file-unreadable cannot read the file: it is {WHAT[kind]}, not a regular file: "
        "keep only regular files under a name that ends in .yaml or .yml",
    )


def test_report_stops_at_a_special_file_in_a_folder(run_tacli, tmp_path):
    folder = engagements(tmp_path / "engagements")
    special(folder, "fifo", "other.yaml")
    done = run_tacli("report", *MINI, "--kind", "plan", "engagements", cwd=tmp_path)
    assert done.returncode == 1
    assert "engagements/other.yaml:1:1: error file-unreadable cannot read the file: it is a FIFO (named pipe)" in done.stderr


def test_a_special_file_in_the_standards_folder_is_reported(run_tacli, tmp_path):
    standards = tmp_path / "standards"
    standards.mkdir()
    for source in MINI_STANDARDS.glob("*.yaml"):
        (standards / source.name).write_bytes(source.read_bytes())
    special(standards, "fifo", "extra.yaml")
    engagements(tmp_path / "engagements")
    done = run_tacli("check", "--standards", "standards", "--today", "2026-11-22", "engagements", cwd=tmp_path)
    assert done.returncode == 2
    assert "extra.yaml:1:1: error file-unreadable cannot read the file: it is a FIFO (named pipe), not a regular file" in done.stderr


# folders the search cannot go into


def test_a_folder_that_cannot_be_searched_is_a_finding(run_tacli, tmp_path, monkeypatch):
    folder = engagements(tmp_path / "engagements")
    (folder / "locked").mkdir()
    (folder / "locked" / "oak.yaml").write_text(ENGAGEMENT_TEXT)
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert_the_one_finding(
        run_tacli, tmp_path,
        "engagements/locked:1:1: error file-unreadable cannot search the folder: Permission denied: give read permission to the user who runs tacli",
    )


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root searches folders whatever their mode")
def test_a_folder_without_permission_is_a_finding(run_tacli, tmp_path):
    folder = engagements(tmp_path / "engagements")
    locked = folder / "locked"
    locked.mkdir()
    (locked / "oak.yaml").write_text(ENGAGEMENT_TEXT)
    locked.chmod(0)
    try:
        done = run_tacli("check", *MINI, "engagements", cwd=tmp_path)
    finally:
        locked.chmod(0o755)
    assert done.returncode == 1
    assert done.stdout.startswith("engagements/locked:1:1: error file-unreadable cannot search the folder: Permission denied")


def test_a_folder_named_that_cannot_be_searched_is_a_finding(run_tacli, tmp_path, monkeypatch):
    engagements(tmp_path / "engagements")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.basename(os.fspath(path)) != "engagements":  # the standards' folder, listed by scandir too from Python 3.13
            return real_scandir(path)
        raise PermissionError(13, "Permission denied", os.fspath(path))

    monkeypatch.setattr(os, "scandir", scandir)
    done = run_tacli("check", *MINI, "engagements", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("engagements:1:1: error file-unreadable cannot search the folder: Permission denied")


def test_a_symbolic_link_loop_is_reported_once(run_tacli, tmp_path):
    folder = engagements(tmp_path / "engagements")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")
    assert_the_one_finding(
        run_tacli, tmp_path,
        f"engagements/sub/up:1:1: error file-unreadable a symbolic-link loop: the link leads back to {os.path.realpath(folder)}, "
        "a folder that holds it: remove the link or point it at another folder",
    )


def test_a_link_to_itself_is_reported(run_tacli, tmp_path):
    folder = engagements(tmp_path / "engagements")
    (folder / "self").symlink_to("self")
    assert_the_one_finding(
        run_tacli, tmp_path,
        "engagements/self:1:1: error file-unreadable cannot follow the symbolic link: Too many levels of symbolic links: "
        "point the link at a real file or folder, not round in a loop",
    )


def test_a_linked_folder_is_searched(run_tacli, tmp_path):
    folder = engagements(tmp_path / "engagements")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "oak.yaml").write_text(ENGAGEMENT_TEXT.replace("id: elm-school", "id: oak-school").replace("hours: 3", "hours: 30"))
    (folder / "linked").symlink_to(elsewhere)
    done = run_tacli("check", *MINI, "engagements", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("engagements/linked/oak.yaml:29:12: error schema-type the hours of service 'first-visit'")
    assert done.stdout.endswith("2 files checked: 1 error in 1 file.\n")


def test_a_folder_linked_twice_is_checked_once(run_tacli, tmp_path):
    folder = engagements(tmp_path / "engagements")
    (folder / "2026").mkdir()
    (folder / "2026" / "oak.yaml").write_text(ENGAGEMENT_TEXT.replace("id: elm-school", "id: oak-school"))
    (folder / "current").symlink_to("2026")
    done = run_tacli("check", *MINI, "engagements", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "2 files checked: no problems.\n")


def test_hidden_folders_are_still_skipped(run_tacli, tmp_path):
    folder = engagements(tmp_path / "engagements")
    (folder / ".drafts").mkdir()
    (folder / ".drafts" / "draft.yaml").write_text("tacli: 1\nid: [unfinished\n")
    (folder / "drafts").symlink_to(".drafts")
    done = run_tacli("check", *MINI, "engagements", cwd=tmp_path)
    assert done.returncode == 1  # the link has a visible name: it is searched
    assert done.stdout.startswith("engagements/drafts/draft.yaml:2:5: error yaml-syntax")
    os.remove(folder / "drafts")
    done = run_tacli("check", *MINI, "engagements", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "1 file checked: no problems.\n")


def test_a_path_too_long_is_a_finding(run_tacli, tmp_path):
    folder = engagements(tmp_path / "engagements")
    # folders nested deeper than the system's longest path, made one at a time
    name, depth = "d" * 200, 25
    handle = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=handle)
            inner = os.open(name, os.O_RDONLY, dir_fd=handle)
            os.close(handle)
            handle = inner
    finally:
        os.close(handle)
    done = run_tacli("check", *MINI, "engagements", cwd=tmp_path)
    assert done.returncode == 1
    [line] = [line for line in done.stdout.splitlines() if "file-unreadable" in line]
    path, rest = line.split(":1:1: ", 1)
    assert path.startswith("engagements/" + name + "/") and len(path) > 4096
    assert rest == "error file-unreadable cannot search the folder: File name too long: a name in the path, or the path, is longer than the system allows: choose shorter names"


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_special_file_in_a_reports_place_is_left_alone(run_tacli, tmp_path, kind):
    """A FIFO or a link to /dev/zero where a report goes is never opened: it is
    not tacli's file, so it is left alone, and the other reports are written."""
    engagements(tmp_path / "engagements")
    first = run_tacli("report", *MINI, "--kind", "plan", "engagements", "--out-dir", "reports", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    [plan] = (tmp_path / "reports").glob("*/plan.md")
    plan.unlink()
    special(plan.parent, kind, "plan.md")
    done = run_tacli("report", *MINI, "--kind", "plan", "engagements", "--out-dir", "reports", cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "plan.md" in done.stdout + done.stderr
    check = run_tacli("report", *MINI, "--kind", "plan", "engagements", "--out-dir", "reports", "--check", cwd=tmp_path)
    assert check.returncode == 1 and "Traceback" not in check.stderr


@pytest.mark.parametrize("command", [
    ("check", "--format", "sarif", "-o", "out.sarif"),
    ("due", "--facilitator", "", "--format", "ics", "-o", "out.ics"),
    ("export", "--table", "services", "-o", "out.csv"),
])
def test_a_loop_of_links_among_the_inputs_is_a_finding_when_the_output_is_a_file_too(run_tacli, tmp_path, command):
    """Writing to -o checks that no input is overwritten, following each input's
    links: a loop among them is the loop's finding, and the rest is written."""
    folder = tmp_path / "engagements"
    folder.mkdir()
    (folder / "e.yaml").write_text(ENGAGEMENT_TEXT, encoding="utf-8")
    (folder / "a.yaml").symlink_to("b.yaml")
    (folder / "b.yaml").symlink_to("a.yaml")
    done = run_tacli(command[0], "engagements", *command[1:], *MINI, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "internal error" not in done.stdout + done.stderr
    assert (tmp_path / command[-1]).stat().st_size > 0


def test_new_engagement_into_a_loop_of_links_is_refused(run_tacli, tmp_path):
    (tmp_path / "l1").symlink_to("l2")
    (tmp_path / "l2").symlink_to("l1")
    done = run_tacli("new", "engagement", "T", "--dir", "l1", "--recipient", "R", "--organization", "O", "--facilitator", "F", *MINI, cwd=tmp_path)
    assert done.returncode == 2 and "--dir l1 is a symbolic link that leads nowhere" in done.stderr


@pytest.mark.parametrize("args", [
    ("schema", "-o", "{long}.json"),
    ("check", "examples", "-o", "{long}.txt"),
    ("due", "examples", "-o", "{long}.txt"),
    ("export", "-t", "duties", "examples", "-o", "{long}.csv"),
    ("report", "examples", "--out-dir", "{long}"),
    ("site", "examples", "--out-dir", "{long}"),
    ("config", "--config", "{long}.toml"),
    ("check", "--standards", "{long}", "examples"),
    ("report", "examples", "--templates", "{long}", "--out-dir", "reports"),
    ("check", "examples", "--roster", "{long}.yaml"),
    ("init", "{long}"),
])
def test_a_name_too_long_for_the_file_system_in_any_option_is_a_usage_error_not_a_bug(tmp_path, args):
    """Each of these was "internal error: OSError: [Errno 36] File name too
    long ... This is a bug in tacli", exit 3; the paths given as inputs said so
    as a usage error already."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    long = "a" * 300
    done = run_in_process(*[arg.format(long=long) for arg in args], "--today", "2026-11-22", cwd=tmp_path) if args[0] not in ("schema", "config", "init") else run_in_process(*[arg.format(long=long) for arg in args], cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("tacli: error: ") and long in done.stderr, done.stderr
    assert done.stderr.rstrip().endswith("is longer than the system allows: choose shorter names") and "bug" not in done.stderr, done.stderr
