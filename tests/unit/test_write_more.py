"""write_outputs with `more`: outputs made meanwhile (the site's pages of every
engagement, rendered in a forked process) are compared and written with the
others, all or none, and the folder ends as one write of all of them leaves it."""

from __future__ import annotations

from pathlib import Path

import pytest

import tacli.io.writer as writer
from tacli.write.output_files import MARKER, Output, ReportWriteError, compare, with_marker, write_outputs


def outputs(count: int, start: int = 0, version: int = 1) -> list[Output]:
    return [Output("tast", f"e{index:03d}/tast.md", with_marker(f"report {index}, version {version}\n")) for index in range(start, start + count)]


def tree(folder: Path) -> dict:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def split(made: list[Output]) -> tuple[list[Output], list[Output]]:
    return made[::2], made[1::2]  # the later part holds paths between the first part's


@pytest.mark.parametrize("before", ["empty", "some stale", "an orphan"])
def test_the_folder_ends_as_one_write_of_every_output_leaves_it(tmp_path, before):
    made = outputs(40)
    for folder in ("one", "two"):
        out = tmp_path / folder
        if before != "empty":
            write_outputs(outputs(45, 0) if before == "an orphan" else outputs(20, 5) + outputs(20, 25, version=0), out, ("tast",))
    first, later = split(made)
    together = write_outputs(made, tmp_path / "one", ("tast",), prune=True)
    parts = write_outputs(first, tmp_path / "two", ("tast",), prune=True, more=lambda: later)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    for name in ("current", "stale", "missing", "orphaned", "foreign", "linked", "left_alone"):
        assert getattr(parts, name) == getattr(together, name), name
    assert parts.more == later
    assert (before != "some stale") or (together.stale and together.current and together.missing)


def test_a_later_output_over_a_file_tacli_did_not_write_blocks_every_file(tmp_path):
    made = outputs(40)
    first, later = split(made)
    out = tmp_path / "out"
    (out / later[3].path).parent.mkdir(parents=True)
    (out / later[3].path).write_text("mine\n", encoding="utf-8")
    result = write_outputs(first, out, ("tast",), more=lambda: later)
    assert result.foreign == [later[3].path] and result.blocked()
    assert tree(out) == {later[3].path: b"mine\n"}
    assert not list(out.rglob(".tacli-*")), "the first part's staged files are gone"
    assert [path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_dir()] == [later[3].path.split("/")[0]], "and the folders made for them"


def test_a_failure_while_the_later_outputs_are_made_writes_nothing(tmp_path):
    first, _ = split(outputs(40))

    def fails():
        raise RuntimeError("a bug in a template")

    with pytest.raises(RuntimeError):
        write_outputs(first, tmp_path / "out", ("tast",), more=fails)
    assert not (tmp_path / "out").exists()


def test_a_later_output_that_cannot_be_written_writes_nothing(tmp_path, monkeypatch):
    first, later = split(outputs(40))
    real_stage = writer.stage_new

    def stage(path, text, *args, **kwargs):
        if path.endswith(later[5].path):
            raise OSError(28, "No space left on device")
        return real_stage(path, text, *args, **kwargs)

    monkeypatch.setattr(writer, "stage_new", stage)
    with pytest.raises(ReportWriteError):
        write_outputs(first, tmp_path / "out", ("tast",), more=lambda: later)
    assert not (tmp_path / "out").exists(), "nothing made: not even the folder"


def test_files_are_put_in_place_in_path_order_across_both_parts(tmp_path, monkeypatch):
    made = outputs(30)
    first, later = split(made)
    committed = []
    real_commit = writer.commit

    def commit(item, *args, **kwargs):
        committed.append(Path(item[1]).relative_to(tmp_path / "out").as_posix())
        return real_commit(item, *args, **kwargs)

    monkeypatch.setattr(writer, "commit", commit)
    write_outputs(first, tmp_path / "out", ("tast",), more=lambda: later)
    assert committed == [output.path for output in made]
    assert compare(made, tmp_path / "out", ("tast",)).ok and MARKER in made[0].text


def test_outputs_are_staged_on_every_core_while_another_process_makes_the_rest(tmp_path, monkeypatch):
    """Making a file waits on the disk: two threads beside the child that makes
    the rest wrote a site faster than one on a slow disk, and as fast in memory."""
    import os
    import threading

    import tacli.write.output_files as output_files

    monkeypatch.setattr(output_files.os, "cpu_count", lambda: 2)
    seen = set()
    real_stage = writer.stage_new

    made = [Output("tast", f"e{index:03d}/tast.md", with_marker(f"report {index}\n")) for index in range(60)]
    first, later = split(made)
    firsts = {output.path for output in first}

    def stage(path, *args, **kwargs):
        if path.split("/out/", 1)[1] in firsts:  # the threads of the first part
            seen.add(threading.get_ident())
            __import__("time").sleep(0.002)  # each thread gets its turn
        return real_stage(path, *args, **kwargs)

    monkeypatch.setattr(writer, "stage_new", stage)
    write_outputs(first, tmp_path / "out", ("tast",), more=lambda: later)
    assert len(seen) == 2
    assert os.path.exists(tmp_path / "out" / made[-1].path)
