"""`-o FILE` of check, due, schema and export: tacli writes there only what it
may replace (commands.outputs). Never an engagement file, a configuration
file, a folder, or through a symbolic link; a file tacli did not write only
with --force; its own files (recognised by their first bytes) freely."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import EXAMPLES, run_in_process

TODAY = ("--today", "2026-11-22")
WRITERS = {
    "check-text": ("check", "e.yaml"),
    "check-json": ("check", "e.yaml", "--format", "json"),
    "check-sarif": ("check", "e.yaml", "--format", "sarif"),
    "check-junit": ("check", "e.yaml", "--format", "junit"),
    "check-github": ("check", "e.yaml", "--format", "github"),
    "due-text": ("due", "e.yaml", "--format", "text"),
    "due-json": ("due", "e.yaml", "--format", "json"),
    "due-csv": ("due", "e.yaml", "--format", "csv"),
    "due-ics": ("due", "e.yaml", "--format", "ics"),
    "schema": ("schema",),
    "export-csv": ("export", "e.yaml", "--table", "services", "--format", "csv"),
}


def run(folder, args, *more):
    today = () if args[0] == "schema" else TODAY
    return run_in_process(*args, *more, *today, cwd=folder)


@pytest.fixture
def folder(tmp_path):
    shutil.copy2(EXAMPLES / "elm-street-data-teams.yaml", tmp_path / "e.yaml")
    return tmp_path


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_what_a_user_wrote_is_never_replaced(folder, name):
    args = WRITERS[name]
    engagement = (folder / "e.yaml").read_bytes()
    (folder / "tacli.toml").write_text("me = 'Dana Ruiz'\n")
    (folder / "notes.txt").write_text("mine\n")
    (folder / "sub").mkdir()
    os.symlink("notes.txt", folder / "link.out")
    for target, says in (("e.yaml", "is an engagement file"), ("tacli.toml", "is a configuration file"), ("sub", "is a folder"),
                         ("link.out", "is a symbolic link"), ("notes.txt", "is a file tacli did not write")):
        done = run(folder, args, "-o", target)
        assert done.returncode == 2 and says in done.stderr, (name, target, done.stderr)
    assert (folder / "e.yaml").read_bytes() == engagement and (folder / "notes.txt").read_text() == "mine\n"
    assert (folder / "tacli.toml").read_text() == "me = 'Dana Ruiz'\n" and os.path.islink(folder / "link.out")
    assert run(folder, args, "-o", "e.yaml", "--force").returncode == 2  # an engagement even with --force
    forced = run(folder, args, "-o", "notes.txt", "--force")
    assert forced.returncode in (0, 1) and (folder / "notes.txt").read_text() != "mine\n"


@pytest.mark.parametrize("name", sorted(WRITERS))
@pytest.mark.parametrize("broken, target", [
    ("title: [unclosed", "wip.yaml"),  # one typo: not YAML now, an engagement still
    ("recipient:\n\tkind: school", "wip.yml"),  # a tab
    ("title: [unclosed", "wip.txt"),  # any name: its `tacli:` line says what it is
])
def test_an_engagement_that_is_not_yaml_now_is_never_replaced_even_with_force(folder, name, broken, target):
    """An engagement half written (a typo, a tab, a merge half done) does not
    parse, and was replaced with --force: it is an engagement all the same."""
    text = (folder / "e.yaml").read_text(encoding="utf-8").replace("title: Data Teams at Elm Street School", broken, 1)
    assert text != (folder / "e.yaml").read_text(encoding="utf-8")
    (folder / target).write_text(text, encoding="utf-8")
    done = run(folder, WRITERS[name], "-o", target, "--force")
    assert done.returncode == 2 and "is a YAML file that does not read as YAML now (an engagement being written may not): tacli never replaces one" in done.stderr, (name, done.stderr)
    assert (folder / target).read_text(encoding="utf-8") == text


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_its_own_file_is_replaced_without_force(folder, name):
    args = WRITERS[name]
    first = run(folder, args, "-o", "out.file")
    assert first.returncode in (0, 1), first.stderr
    written = (folder / "out.file").read_bytes()
    again = run(folder, args, "-o", "out.file")
    assert again.returncode == first.returncode, again.stderr
    assert (folder / "out.file").read_bytes() == written  # the same input: the same bytes


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_an_output_below_a_file_or_a_link_loop_says_what_is_in_the_way(folder, name):
    """It said "cannot write afile/x.out: File exists"."""
    (folder / "afile").write_text("mine\n", encoding="utf-8")
    os.symlink("loop", folder / "loop")
    below_file = run(folder, WRITERS[name], "-o", "afile/x.out")
    assert below_file.returncode == 2 and "--output afile/x.out: afile is a file, not a folder" in below_file.stderr, below_file.stderr
    below_loop = run(folder, WRITERS[name], "-o", "loop/x.out")
    assert below_loop.returncode == 2 and "loop is a symbolic link that leads nowhere" in below_loop.stderr, below_loop.stderr
