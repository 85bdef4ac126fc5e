"""The files of `tacli init` (write.project) and writing a new file without ever
replacing one (io.writer.create_atomically)."""

from __future__ import annotations

import errno
import json
import os
import sys

import pytest

from tacli.commands.init import source_from_direct_url
from tacli.io import writer
from tacli.io.writer import create_atomically
from tacli.write.project import PIN_PLACEHOLDER, SOURCE_PLACEHOLDER, Source, pinned, settings_text, starter_text, toml_string

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_a_new_file_is_written_with_the_usual_permissions_and_no_temporary_file(tmp_path):
    create_atomically(tmp_path / "a.txt", "text\n")
    assert (tmp_path / "a.txt").read_text() == "text\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    if os.name == "posix":
        umask = os.umask(0)
        os.umask(umask)
        assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~umask
        assert (tmp_path / "a.txt").stat().st_nlink == 1


@pytest.mark.parametrize("kind", ["file", "folder", "broken link"])
def test_anything_there_is_never_replaced(tmp_path, kind):
    path = tmp_path / "a.txt"
    if kind == "file":
        path.write_text("mine")
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        create_atomically(path, "text\n")
    assert not (tmp_path / "nowhere").exists()
    if kind == "file":
        assert path.read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_file_that_appears_while_the_text_is_written_is_kept(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    real_stage = writer.stage

    def stage_then_the_user_writes(*args, **kwargs):
        staged = real_stage(*args, **kwargs)
        path.write_text("the user's")
        return staged

    monkeypatch.setattr(writer, "stage", stage_then_the_user_writes)
    with pytest.raises(FileExistsError):
        create_atomically(path, "tacli's")
    assert path.read_text() == "the user's"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_without_hard_links_the_file_is_still_written_and_nothing_replaced(tmp_path, monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    create_atomically(tmp_path / "a.txt", "text\n")
    assert (tmp_path / "a.txt").read_text() == "text\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_the_settings_set_what_is_given_and_leave_the_rest_commented():
    assert tomllib.loads(settings_text()) == {"engagements": "engagements", "reports": "reports", "schema": "engagement.schema.json"}
    data = tomllib.loads(settings_text("Dana Ruiz", "ta-standards"))
    assert (data["me"], data["standards"]) == ("Dana Ruiz", "ta-standards")


@pytest.mark.parametrize("value", ['Dana "DR" Ruiz', "back\\slash", "tab\there", "del\x7f", "Nuñez 李"])
def test_a_toml_string_reads_back_as_written(value):
    assert tomllib.loads(f"me = {toml_string(value)}\n")["me"] == value


def test_the_pipelines_are_pinned_in_each_form():
    source = Source("https://git.example.org/center/tacli.git", "0123abc")
    for name in ("github-workflow.yml", "gitlab-ci.yml", "pre-commit-config.yaml"):
        text = pinned(starter_text(name), source)
        assert SOURCE_PLACEHOLDER not in text and PIN_PLACEHOLDER not in text
        assert source.url in text and source.rev in text
    with pytest.raises(RuntimeError):
        pinned("nothing to pin\n", source)


def direct_url(**fields) -> str:
    return json.dumps(fields)


@pytest.mark.parametrize("text, expected", [
    (direct_url(url="https://git.example.org/center/tacli.git", vcs_info={"vcs": "git", "commit_id": "3f2c9e1aa", "requested_revision": "main"}),
     ("https://git.example.org/center/tacli.git", "3f2c9e1aa")),
    (direct_url(url="ssh://git@git.example.org/center/tacli.git", vcs_info={"vcs": "git", "commit_id": "3f2c9e1aa"}),
     ("ssh://git@git.example.org/center/tacli.git", "3f2c9e1aa")),
    (direct_url(url="file:///home/dana/tacli", dir_info={"editable": True}), None),  # pip install -e .
    (direct_url(url="file:///home/dana/tacli", vcs_info={"vcs": "git", "commit_id": "3f2c9e1aa"}), None),  # a local clone: CI cannot reach it
    (direct_url(url="https://user:secret@git.example.org/tacli.git", vcs_info={"vcs": "git", "commit_id": "3f2c9e1aa"}), None),
    (direct_url(url="https://hg.example.org/tacli", vcs_info={"vcs": "hg", "commit_id": "3f2c9e1aa"}), None),
    ("not json", None),
    ("[]", None),
])
def test_where_this_tacli_came_from(text, expected):
    assert source_from_direct_url(text) == expected
