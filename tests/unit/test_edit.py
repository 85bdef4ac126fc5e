"""Edits refuse rather than guess: a changed file, an invalid result, a failed write."""

import os
import shutil
from pathlib import Path

import pytest

from conftest import DATA, MINI_STANDARDS, checker_for
from tacli.edit import DutyChange, EditError, mark_duty, read_for_edit, save_edit


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
