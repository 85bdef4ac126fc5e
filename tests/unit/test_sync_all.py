"""Many files written at once are made durable by one call per file system that
holds them (syncfs where the C library has it), not by sync(2), which would
wait for every program's writes on every disk of the machine; a disk that
could not take the files stops the write before any is put in place."""

from __future__ import annotations

import errno
import os

import pytest

import tacli.io.writer as writer
from tacli.domain.reports import report_path
from tacli.write.output_files import Output, ReportWriteError, with_marker, write_outputs


@pytest.fixture
def calls(monkeypatch):
    """The syncs made: ("syncfs", device) or ("sync",); the real calls are not made."""
    made: list[tuple] = []
    monkeypatch.setattr(writer, "_SYNCFS", [lambda descriptor: made.append(("syncfs", os.fstat(descriptor).st_dev))])
    monkeypatch.setattr(os, "sync", lambda: made.append(("sync",)), raising=False)
    return made


def outputs(count: int, name: str = "tast.md") -> list[Output]:
    return [Output("tast", f"e{index:03d}/{name}", with_marker(f"report {index}\n")) for index in range(count)]


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def failing(number: int):
    def syncfs(descriptor: int) -> None:
        raise OSError(number, os.strerror(number))
    return syncfs


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


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="no /proc/self/fd here")
def test_every_descriptor_opened_is_closed_whatever_happens(tmp_path, calls, monkeypatch):
    folders = [tmp_path / str(number) for number in range(5)]
    for folder in folders:
        folder.mkdir()
    before = open_descriptors()
    writer.sync_all(folders)
    writer.sync_all(folders + [tmp_path / "gone"])
    monkeypatch.setattr(writer, "_SYNCFS", [failing(errno.EIO)])
    with pytest.raises(OSError):
        writer.sync_all(folders)
    assert open_descriptors() == before


@pytest.mark.parametrize("number", [None, errno.ENOSYS, errno.EPERM])
def test_without_syncfs_or_where_it_is_refused_everything_is_synced(tmp_path, calls, monkeypatch, number):
    monkeypatch.setattr(writer, "_SYNCFS", [None if number is None else failing(number)])  # no syncfs; a kernel without it; a security filter
    writer.sync_all([tmp_path])
    assert calls == [("sync",)]


@pytest.mark.parametrize("number", [errno.EIO, errno.ENOSPC])
def test_a_disk_that_could_not_take_the_files_is_an_error(tmp_path, calls, monkeypatch, number):
    monkeypatch.setattr(writer, "_SYNCFS", [failing(number)])
    with pytest.raises(OSError) as raised:
        writer.sync_all([tmp_path])
    assert raised.value.errno == number and calls == []


def test_a_folder_gone_meanwhile_falls_back_to_syncing_everything(tmp_path, calls):
    writer.sync_all([tmp_path, tmp_path / "gone"])
    assert calls == [("sync",)]


def test_a_disk_that_cannot_take_the_files_stops_the_write_before_any_is_in_place(tmp_path, calls, monkeypatch):
    monkeypatch.setattr(writer, "_SYNCFS", [failing(errno.EIO)])
    with pytest.raises(ReportWriteError) as raised:
        write_outputs(outputs(40), tmp_path / "out", ("tast",))
    assert str(raised.value) == f"cannot write {(tmp_path / 'out').as_posix()}: the disk did not take the files (Input/output error); nothing there was changed"
    assert not (tmp_path / "out").exists() or [path for path in (tmp_path / "out").rglob("*") if path.is_file()] == []


def test_an_error_after_the_renames_says_the_files_are_in_place(tmp_path, calls, monkeypatch):
    real = writer._SYNCFS[0]
    done: list[int] = []

    def second_fails(descriptor: int) -> None:
        done.append(descriptor)
        if len(done) == 2:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(descriptor)

    monkeypatch.setattr(writer, "_SYNCFS", [second_fails])
    with pytest.raises(ReportWriteError, match=r"are in place, but the disk reported an error while making them durable \(Input/output error\)"):
        write_outputs(outputs(40), tmp_path / "out", ("tast",))
    assert (tmp_path / "out" / "e039" / "tast.md").read_text(encoding="utf-8") == with_marker("report 39\n")


def test_nothing_to_write_syncs_nothing_even_as_they_come(tmp_path, calls):
    write_outputs(outputs(40), tmp_path / "out", ("tast",))
    calls.clear()
    write_outputs(iter(outputs(40)), tmp_path / "out", ("tast",))  # every file current, given as they come
    assert calls == []


def test_removing_orphans_in_many_folders_syncs_their_file_system(tmp_path, calls):
    def reports(service: str) -> list[Output]:
        return [Output("tast", report_path("tast", f"e{index:03d}", service), with_marker(f"report {index}\n")) for index in range(40)]

    write_outputs(reports("kept") + reports("gone"), tmp_path / "out", ("tast",))
    calls.clear()
    result = write_outputs(reports("kept"), tmp_path / "out", ("tast",), prune=True)  # each folder keeps a report
    assert len(result.orphaned) == 40 and not any((tmp_path / "out" / path).exists() for path in result.orphaned)
    assert calls == [("syncfs", os.stat(tmp_path).st_dev)]


@pytest.mark.skipif(writer._syncfs() is None, reason="no syncfs in this C library")
def test_the_c_library_function_syncs_and_says_why_it_could_not():
    descriptor = os.open(".", os.O_RDONLY)
    try:
        writer._syncfs()(descriptor)
    finally:
        os.close(descriptor)
    with pytest.raises(OSError) as raised:
        writer._syncfs()(-1)
    assert raised.value.errno == errno.EBADF
