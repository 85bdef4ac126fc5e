"""Edits refuse rather than guess: a changed file, an invalid result, a failed write."""

import os
import shutil
from pathlib import Path

import pytest

from conftest import DATA, MINI_STANDARDS, checker_for
from tacli.write.edit import DutyChange, EditError, mark_duty, read_for_edit, save_edit


@pytest.fixture
def engagement(tmp_path) -> Path:
    path = tmp_path / "e.yaml"
    shutil.copy(DATA / "mini-engagement.yaml", path)
    return path


def test_a_file_changed_since_it_was_read_is_not_overwritten(engagement):
    checker = checker_for(MINI_STANDARDS)
    source = read_for_edit(engagement, checker)
    new_text = mark_duty(source, checker.spec, "planning.facilitator.prepare-agenda", None, DutyChange("open"))
    engagement.write_text(engagement.read_text() + "# edited by someone else\n")
    with pytest.raises(EditError, match="changed on disk since tacli read it"):
        save_edit(source, new_text, checker)
    assert engagement.read_text().endswith("# edited by someone else\n")


@pytest.mark.parametrize("broken", ["tacli: 1\nid: [unclosed\n", "tacli: 1\nid: elm\n"])
def test_an_edit_that_breaks_the_file_is_refused(engagement, broken):
    checker = checker_for(MINI_STANDARDS)
    before = engagement.read_bytes()
    source = read_for_edit(engagement, checker)
    with pytest.raises(EditError, match="nothing was written"):
        save_edit(source, broken, checker)
    assert engagement.read_bytes() == before


def test_a_failed_write_leaves_the_file_and_no_temporary(engagement, monkeypatch):
    checker = checker_for(MINI_STANDARDS)
    before = engagement.read_bytes()
    source = read_for_edit(engagement, checker)
    new_text = mark_duty(source, checker.spec, "planning.facilitator.prepare-agenda", None, DutyChange("open"))

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(EditError, match="No space left on device"):
        save_edit(source, new_text, checker)
    assert engagement.read_bytes() == before
    assert sorted(p.name for p in engagement.parent.iterdir()) == ["e.yaml"]


def test_a_byte_order_mark_is_kept(engagement):
    checker = checker_for(MINI_STANDARDS)
    engagement.write_bytes(b"\xef\xbb\xbf" + engagement.read_bytes())
    source = read_for_edit(engagement, checker)
    save_edit(source, mark_duty(source, checker.spec, "planning.facilitator.prepare-agenda", None, DutyChange("open")), checker)
    assert engagement.read_bytes().startswith(b"\xef\xbb\xbftacli: 1\n")


def _mark(path: Path) -> None:
    checker = checker_for(MINI_STANDARDS)
    source = read_for_edit(path, checker)
    save_edit(source, mark_duty(source, checker.spec, "planning.facilitator.prepare-agenda", None, DutyChange("open")), checker)


def test_a_write_keeps_the_permissions(engagement):
    os.chmod(engagement, 0o640)
    _mark(engagement)
    assert engagement.stat().st_mode & 0o7777 == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_write_by_root_keeps_the_owner_and_group(engagement):
    os.chown(engagement, 1234, 5678)
    _mark(engagement)
    info = engagement.stat()
    assert (info.st_uid, info.st_gid) == (1234, 5678)


def test_a_file_with_hard_links_is_refused_not_split(engagement, tmp_path):
    other = tmp_path / "other-name.yaml"
    os.link(engagement, other)
    before = engagement.read_bytes()
    with pytest.raises(EditError, match="has 2 hard links"):
        _mark(engagement)
    assert engagement.read_bytes() == other.read_bytes() == before
    assert os.stat(engagement).st_ino == os.stat(other).st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.yaml", "other-name.yaml"]


def test_the_folder_is_synced_after_the_rename(engagement, monkeypatch):
    import tacli.io.writer as writer

    synced = []
    monkeypatch.setattr(writer, "sync_folder", lambda folder: synced.append(Path(folder)))
    _mark(engagement)
    assert synced == [engagement.parent]
