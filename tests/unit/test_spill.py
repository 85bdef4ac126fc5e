"""core.spill.Spill (byte strings kept in an anonymous temporary file) and
output.export_tables.FileRows (an export's rows kept there, given back in the
table's order): what goes in comes back, in memory when no file can be
written, and an export of many files reads the same as one sorted list."""

from __future__ import annotations

import json
import random
import tempfile

import pytest
from hypothesis import given, settings, strategies as st

import tacli.core.spill as spill_module
from tacli.core.spill import Spill
from tacli.output.export_tables import LEFT_OUT, FileRows


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=40), st.randoms(use_true_random=False))
def test_what_is_appended_is_read_back_by_its_number_whatever_the_order(items, rng):
    spill = Spill()
    numbers = []
    for item in items:
        numbers.append(spill.append(item))
        probe = rng.randrange(len(numbers))  # reads between the writes
        assert spill[numbers[probe]] == items[probe]
    assert numbers == list(range(len(items))) and len(spill) == len(items)
    assert [spill[number] for number in numbers] == items
    spill.close()


def test_the_items_are_on_disk_not_in_memory():
    spill = Spill()
    spill.append(b"x" * 100_000)
    assert spill._memory == [] and spill._file is not None
    assert spill[0] == b"x" * 100_000


def test_without_a_temporary_file_the_items_are_kept_in_memory(monkeypatch):
    def refused(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)
    spill = Spill()
    assert [spill.append(item) for item in (b"a", b"", b"c")] == [0, 1, 2]
    assert [spill[number] for number in range(3)] == [b"a", b"", b"c"]


def test_a_file_that_fails_part_way_keeps_what_it_held_and_the_rest_goes_to_memory(monkeypatch):
    spill = Spill()
    spill.append(b"first")
    spill.append(b"second")
    handle = spill._file
    real_write = handle.write

    def full(data):
        real_write(data[:2])  # part of it written, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(handle, "write", full)
    assert spill.append(b"third") == 2
    monkeypatch.setattr(handle, "write", real_write)
    assert spill.append(b"fourth") == 3  # in memory too: the file is not trusted again
    assert [spill[number] for number in range(4)] == [b"first", b"second", b"third", b"fourth"]
    with pytest.raises(IndexError):
        spill[4]


def test_closed_it_holds_nothing():
    spill = Spill()
    spill.append(b"a")
    spill.close()
    assert len(spill) == 0
    with pytest.raises(IndexError):
        spill[0]


def _file_rows(name: str, engagement_id, count: int, left_out: bool = False) -> list[dict]:
    return [{"file": name, "engagement_id": engagement_id, "n": index, LEFT_OUT.name: "left out: x" if left_out else None} for index in range(count)]


def test_file_rows_come_back_as_one_sorted_list_of_every_row_would(monkeypatch):
    """By engagement id, then file, the files left out last; a file's rows in
    their order: the order of a stable sort of every row, whatever order the
    files came in."""
    files = [_file_rows(f"f{index:02d}.yaml", f"e{index % 5}", index % 4) for index in range(30)]
    files += [_file_rows("broken.yaml", None, 1, left_out=True), _file_rows("a-broken.yaml", None, 1, left_out=True)]
    every_row = [row for rows in files for row in rows]
    expected = sorted(every_row, key=lambda row: (row[LEFT_OUT.name] is not None, row["engagement_id"] or "", row["file"]))
    for seed in range(5):
        shuffled = list(files)
        random.Random(seed).shuffle(shuffled)
        rows = FileRows()
        for each in shuffled:
            rows.add(each)
        assert len(rows) == len(every_row)
        assert list(rows) == expected and list(rows) == expected  # read again, the same
        rows.close()


def test_file_rows_without_a_temporary_file_are_the_same(monkeypatch):
    monkeypatch.setattr(spill_module.tempfile, "TemporaryFile", lambda *args, **kwargs: (_ for _ in ()).throw(OSError(13, "Permission denied")))
    rows = FileRows()
    for index in (3, 1, 2):
        rows.add(_file_rows(f"f{index}.yaml", f"e{index}", 2))
    assert [(row["file"], row["n"]) for row in rows] == [("f1.yaml", 0), ("f1.yaml", 1), ("f2.yaml", 0), ("f2.yaml", 1), ("f3.yaml", 0), ("f3.yaml", 1)]


def test_a_spill_opened_before_a_fork_gives_the_parent_what_the_child_appended(monkeypatch):
    import os

    if not hasattr(os, "fork"):
        pytest.skip("fork")
    spill = Spill()
    assert spill.opened() and spill.on_disk
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.close(reader)
            for item in (b"dashboard", b"", b"annual " * 1000):
                spill.append(item)
            os.write(writer, json.dumps(spill.ends()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    ends = json.loads(os.read(reader, 1 << 16).decode())
    os.close(reader)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    spill.adopt(ends)
    assert list(spill) == [b"dashboard", b"", b"annual " * 1000]


def test_a_spill_that_cannot_open_a_file_says_so(monkeypatch):
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *args, **kwargs: (_ for _ in ()).throw(OSError(30, "Read-only file system")))
    spill = Spill()
    assert not spill.opened() and not spill.on_disk
    spill.append(b"kept in memory")
    assert spill[0] == b"kept in memory"


def test_file_rows_on_a_disk_that_fills_part_way_are_the_same(monkeypatch):
    """The temporary folder fills after a few files' rows (unbuffered writes:
    the full disk is met when the rows are written, never at a later flush):
    the rest are kept in memory, every row comes back in order."""
    real = tempfile.TemporaryFile

    class Filling:
        def __init__(self, *args, **kwargs):
            self.file, self.writes = real(*args, **kwargs), 0

        def write(self, data):
            self.writes += 1
            if self.writes > 2:
                self.file.write(bytes(data)[:5])
                raise OSError(28, "No space left on device")
            return self.file.write(data)

        def __getattr__(self, name):
            return getattr(self.file, name)

    monkeypatch.setattr(spill_module.tempfile, "TemporaryFile", Filling)
    rows = FileRows()
    for index in (4, 2, 5, 1, 3):
        rows.add(_file_rows(f"f{index}.yaml", f"e{index}", 2))
    assert [(row["file"], row["n"]) for row in rows] == [(f"f{index}.yaml", n) for index in (1, 2, 3, 4, 5) for n in (0, 1)]


def test_an_interruption_while_standard_output_is_written_says_it_holds_part(monkeypatch, capsysbinary):
    import tacli.io.writer as writer
    from tacli.cli.main import interrupted

    def pieces():
        yield "engagement_id,file\r\n"
        raise KeyboardInterrupt

    writer.forget_written()
    with pytest.raises(KeyboardInterrupt):
        writer.write_text(writer.Streamed(pieces))
    assert capsysbinary.readouterr().out == b"engagement_id,file\r\n"
    assert interrupted() == "interrupted: no file was written (standard output holds part of what was being written there)"
    writer.forget_written()
    writer.write_text(writer.Streamed(lambda: iter(["whole\n"])))
    assert interrupted() == "interrupted: nothing was written"
