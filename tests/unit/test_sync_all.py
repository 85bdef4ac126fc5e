"""Many files written at once are made durable by one call per file system that
holds them (syncfs where the C library has it), not by sync(2), which would
wait for every program's writes on every disk of the machine."""

from __future__ import annotations

import os

import pytest

import tacli.io.writer as writer
from tacli.write.output_files import Output, with_marker, write_outputs


@pytest.fixture
def calls(monkeypatch):
    """The syncs made: ("syncfs", device) or ("sync",); the real calls are not made."""
    made: list[tuple] = []
    monkeypatch.setattr(writer, "_SYNCFS", [lambda descriptor: made.append(("syncfs", os.fstat(descriptor).st_dev)) or 0])
    monkeypatch.setattr(os, "sync", lambda: made.append(("sync",)))
    return made


def outputs(count: int) -> list[Output]:
    return [Output("tast", f"e{index:03d}/tast.md", with_marker(f"report {index}\n")) for index in range(count)]


def test_a_report_folder_is_synced_by_its_file_system_once_before_and_once_after_the_renames(tmp_path, calls):
    write_outputs(outputs(40), tmp_path / "out", ("tast",))
    device = os.stat(tmp_path).st_dev
    assert calls == [("syncfs", device), ("syncfs", device)]
    assert (tmp_path / "out" / "e039" / "tast.md").read_text(encoding="utf-8") == with_marker("report 39\n")


def test_one_call_for_each_file_system_however_many_folders(tmp_path, calls):
    folders = [tmp_path / str(number) for number in range(5)]
    for folder in folders:
        folder.mkdir()
    writer.sync_all(folders)
    assert calls == [("syncfs", os.stat(tmp_path).st_dev)]
    elsewhere = [folder for folder in ("/dev/shm", "/tmp", os.getcwd()) if os.path.isdir(folder) and os.stat(folder).st_dev != os.stat(tmp_path).st_dev]
    if elsewhere:  # a second file system: one call for it too
        calls.clear()
        writer.sync_all([folders[0], elsewhere[0], folders[1]])
        assert calls == [("syncfs", os.stat(tmp_path).st_dev), ("syncfs", os.stat(elsewhere[0]).st_dev)]


def test_without_syncfs_or_when_it_fails_everything_is_synced(tmp_path, calls, monkeypatch):
    monkeypatch.setattr(writer, "_SYNCFS", [None])
    writer.sync_all([tmp_path])
    assert calls == [("sync",)]
    calls.clear()
    monkeypatch.setattr(writer, "_SYNCFS", [lambda descriptor: -1])
    writer.sync_all([tmp_path])
    assert calls == [("sync",)]


def test_a_folder_gone_meanwhile_falls_back_to_syncing_everything(tmp_path, calls):
    writer.sync_all([tmp_path, tmp_path / "gone"])
    assert calls == [("sync",)]


def test_nothing_to_write_syncs_nothing(tmp_path, calls):
    write_outputs(outputs(40), tmp_path / "out", ("tast",))
    calls.clear()
    write_outputs(outputs(40), tmp_path / "out", ("tast",))  # every file current
    assert calls == []


@pytest.mark.skipif(not hasattr(os, "sync"), reason="no sync(2) here")
def test_the_c_library_function_is_found_where_there_is_one():
    function = writer._syncfs()
    if function is not None:  # Linux
        descriptor = os.open(".", os.O_RDONLY)
        try:
            assert function(descriptor) == 0
        finally:
            os.close(descriptor)
