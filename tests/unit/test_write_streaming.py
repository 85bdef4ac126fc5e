"""write_outputs and compare take outputs as they are made (a site's pages,
taken from tacli's cache or rendered by worker processes), in any order: each
is compared as it comes and, when it changed, staged and dropped, so a run
holds a few texts at a time, never every page of a state's portfolio. The
folder ends as one write of all of them in order leaves it, all or none."""

from __future__ import annotations

import random
import weakref
from pathlib import Path

import pytest

import tacli.io.writer as writer
import tacli.write.output_files as output_files
from tacli.write.output_files import MARKER, Output, ReportWriteError, compare, with_marker, write_outputs


def outputs(count: int, start: int = 0, version: int = 1) -> list[Output]:
    return [Output("tast", f"e{index:03d}/tast.md", with_marker(f"report {index}, version {version}\n")) for index in range(start, start + count)]


def tree(folder: Path) -> dict:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def shuffled(made: list[Output], seed: int = 7) -> list[Output]:
    mixed = list(made)
    random.Random(seed).shuffle(mixed)
    return mixed


def one_at_a_time(made: list[Output]):
    yield from made


STANDINGS = ("current", "stale", "missing", "orphaned", "foreign", "linked", "left_alone")


@pytest.mark.parametrize("before", ["empty", "some stale", "an orphan"])
def test_the_folder_ends_as_one_write_of_every_output_in_order_leaves_it(tmp_path, before):
    made = outputs(40)
    for folder in ("one", "two"):
        out = tmp_path / folder
        if before != "empty":
            write_outputs(outputs(45, 0) if before == "an orphan" else outputs(20, 5) + outputs(20, 25, version=0), out, ("tast",))
    in_order = write_outputs(made, tmp_path / "one", ("tast",), prune=True)
    as_they_come = write_outputs(one_at_a_time(shuffled(made)), tmp_path / "two", ("tast",), prune=True)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    for name in STANDINGS:
        assert getattr(as_they_come, name) == getattr(in_order, name), name
    assert as_they_come.outputs == 40
    assert (before != "some stale") or (in_order.stale and in_order.current and in_order.missing)


def test_compare_takes_them_as_they_come_and_lists_them_in_order(tmp_path):
    made = outputs(30)
    write_outputs(made[::2], tmp_path / "out", ("tast",))
    found = compare(one_at_a_time(shuffled(made)), tmp_path / "out", ("tast",))
    assert found.current == [output.path for output in made[::2]]
    assert found.missing == [output.path for output in made[1::2]]
    assert found.outputs == 30


def test_an_order_given_orders_every_list_and_the_renames(tmp_path, monkeypatch):
    made = outputs(12)
    backwards = lambda path: [-ord(char) for char in path]  # noqa: E731 - a key on paths
    committed = []
    real_commit = writer.commit
    monkeypatch.setattr(writer, "commit", lambda item, *args, **kwargs: (committed.append(Path(item[1]).parent.name), real_commit(item, *args, **kwargs)))
    result = write_outputs(one_at_a_time(shuffled(made)), tmp_path / "out", ("tast",), order=backwards)
    assert result.missing == [output.path for output in reversed(made)]
    assert committed == [f"e{index:03d}" for index in reversed(range(12))]


def test_a_late_output_over_a_file_tacli_did_not_write_blocks_every_file(tmp_path):
    made = outputs(40)
    out = tmp_path / "out"
    (out / made[33].path).parent.mkdir(parents=True)
    (out / made[33].path).write_text("mine\n", encoding="utf-8")
    result = write_outputs(one_at_a_time(made), out, ("tast",))
    assert result.foreign == [made[33].path] and result.blocked()
    assert tree(out) == {made[33].path: b"mine\n"}
    assert not list(out.rglob(".tacli-*")), "the files staged before it are gone"
    assert [path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_dir()] == [made[33].path.split("/")[0]], "and the folders made for them"


@pytest.mark.parametrize("failure", [RuntimeError("a bug in a template"), KeyboardInterrupt()])
def test_a_failure_while_the_outputs_are_made_writes_nothing(tmp_path, failure):
    def made():
        yield from outputs(30)
        raise failure

    with pytest.raises(type(failure)):
        write_outputs(made(), tmp_path / "out", ("tast",))
    assert not (tmp_path / "out").exists(), "nothing staged is left, not even the folder"


def test_an_output_that_cannot_be_written_writes_nothing(tmp_path, monkeypatch):
    made = outputs(40)
    real_stage = writer.stage_new

    def stage(path, text, *args, **kwargs):
        if path.endswith(made[25].path):
            raise OSError(28, "No space left on device")
        return real_stage(path, text, *args, **kwargs)

    monkeypatch.setattr(writer, "stage_new", stage)
    with pytest.raises(ReportWriteError):
        write_outputs(one_at_a_time(shuffled(made)), tmp_path / "out", ("tast",))
    assert not (tmp_path / "out").exists(), "nothing made: not even the folder"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_failure_named_is_the_first_in_path_order_however_they_come(tmp_path, monkeypatch, seed):
    made = outputs(60)
    real_stage = writer.stage_new

    def stage(path, text, *args, **kwargs):
        if Path(path).parent.name in ("e011", "e042"):
            raise OSError(36, "File name too long")
        return real_stage(path, text, *args, **kwargs)

    monkeypatch.setattr(writer, "stage_new", stage)
    mixed = shuffled(made, seed)
    mixed.sort(key=lambda output: output.path.startswith("e011/"))  # the later failure comes first
    with pytest.raises(ReportWriteError, match="/e011/tast.md: File name too long; nothing there was changed"):
        write_outputs(one_at_a_time(mixed), tmp_path / "out", ("tast",))


def test_files_are_put_in_place_in_path_order_however_they_come(tmp_path, monkeypatch):
    made = outputs(30)
    committed = []
    real_commit = writer.commit

    def commit(item, *args, **kwargs):
        committed.append(Path(item[1]).relative_to(tmp_path / "out").as_posix())
        return real_commit(item, *args, **kwargs)

    monkeypatch.setattr(writer, "commit", commit)
    write_outputs(one_at_a_time(shuffled(made)), tmp_path / "out", ("tast",))
    assert committed == [output.path for output in made]
    assert compare(made, tmp_path / "out", ("tast",)).ok and MARKER in made[0].text


def test_outputs_are_staged_on_every_core_while_more_are_made(tmp_path, monkeypatch):
    """Making a file waits on the disk: two threads wrote a site faster than one on a slow disk, and as fast in memory."""
    import threading

    monkeypatch.setattr(output_files.os, "cpu_count", lambda: 2)
    seen = set()
    real_stage = writer.stage_new

    def stage(path, *args, **kwargs):
        seen.add(threading.get_ident())
        __import__("time").sleep(0.002)  # each thread gets its turn
        return real_stage(path, *args, **kwargs)

    monkeypatch.setattr(writer, "stage_new", stage)
    made = outputs(60)
    write_outputs(one_at_a_time(made), tmp_path / "out", ("tast",))
    assert len(seen) == 2
    assert (tmp_path / "out" / made[-1].path).exists()


class Counted:
    """Outputs made one at a time, each counted while it is alive: the most alive at once is what a run holds."""

    def __init__(self, count: int, size: int):
        self.count, self.size, self.alive, self.most = count, size, 0, 0

    def _gone(self) -> None:
        self.alive -= 1

    def __iter__(self):
        for index in range(self.count):
            output = Output("tast", f"e{index:05d}/tast.md", with_marker(f"report {index}\n" + "x" * self.size))
            self.alive += 1
            self.most = max(self.most, self.alive)
            weakref.finalize(output, self._gone)
            yield output
            del output


@pytest.mark.parametrize("how", ["write", "write over stale", "compare"])
def test_a_run_holds_a_few_texts_at_a_time_not_every_one(tmp_path, monkeypatch, how):
    monkeypatch.setattr(output_files.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(output_files, "ROUND_FILES", 200)
    out = tmp_path / "out"
    if how != "write":
        write_outputs(Counted(3000, 10), out, ("tast",))
    made = Counted(3000, 1000)
    result = compare(made, out, ("tast",)) if how == "compare" else write_outputs(made, out, ("tast",))
    assert result.outputs == 3000 and (result.stale if how != "write" else result.missing) == [f"e{index:05d}/tast.md" for index in range(3000)]
    bound = output_files.ROUND_FILES + 2
    assert made.most <= bound, f"{made.most} outputs alive at once"
    assert made.alive == 0


def test_a_round_ends_at_so_many_characters_too(tmp_path, monkeypatch):
    monkeypatch.setattr(output_files, "ROUND_CHARACTERS", 50_000)
    made = Counted(40, 20_000)  # each text some 20,000 characters: three to a round
    write_outputs(made, tmp_path / "out", ("tast",))
    assert made.most <= 4, f"{made.most} outputs alive at once"


def test_the_failure_named_is_the_first_in_path_order_within_a_folder_too(tmp_path, monkeypatch):
    made = [Output("tast", f"e/p{index:02d}.md", with_marker(f"report {index}\n")) for index in range(20)]
    real_stage = writer.stage_new

    def stage(path, text, *args, **kwargs):
        if Path(path).name < "p10":
            raise OSError(28, "No space left on device")
        return real_stage(path, text, *args, **kwargs)

    monkeypatch.setattr(writer, "stage_new", stage)
    for seed in range(4):
        with pytest.raises(ReportWriteError, match="/e/p00.md: No space left on device"):
            write_outputs(one_at_a_time(shuffled(made, seed)), tmp_path / "out", ("tast",))
        assert not (tmp_path / "out").exists()


def rounds_of(monkeypatch, files: int) -> None:
    """Rounds of a few files: what is staged before a late refusal is many rounds' worth, as in a site of 10,000."""
    monkeypatch.setattr(output_files, "ROUND_FILES", files)


def leftovers(out: Path) -> list[str]:
    return sorted(path.relative_to(out).as_posix() for path in out.rglob("*"))


@pytest.mark.parametrize("late", ["foreign", "linked"])
def test_a_refusal_found_after_rounds_were_staged_removes_every_staged_file_and_folder(tmp_path, monkeypatch, late):
    rounds_of(monkeypatch, 4)
    made = outputs(40)
    out = tmp_path / "out"
    blocked = out / made[33].path
    blocked.parent.mkdir(parents=True)
    if late == "foreign":
        blocked.write_text("mine\n", encoding="utf-8")
    else:
        (tmp_path / "elsewhere.md").write_text("theirs\n", encoding="utf-8")
        blocked.symlink_to(tmp_path / "elsewhere.md")
    before = leftovers(out)
    calls = []
    real_stage = writer.stage_new
    monkeypatch.setattr(writer, "stage_new", lambda *args, **kwargs: (calls.append(args[0]), real_stage(*args, **kwargs))[1])
    result = write_outputs(one_at_a_time(made), out, ("tast",))
    assert result.blocked() == [made[33].path]
    assert 20 <= len(calls) <= 33, "rounds before it were staged, and nothing after it"
    assert leftovers(out) == before, "no temporary file and no folder made is left"
    if late == "linked":
        assert (tmp_path / "elsewhere.md").read_text(encoding="utf-8") == "theirs\n"


def test_ctrl_c_after_rounds_were_staged_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    rounds_of(monkeypatch, 4)
    out = tmp_path / "out"
    write_outputs(outputs(10, version=0), out, ("tast",))
    before = tree(out)

    def made():
        yield from outputs(30)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_outputs(made(), out, ("tast",))
    assert tree(out) == before and leftovers(out) == sorted([*(f"e{index:03d}" for index in range(10)), *(f"e{index:03d}/tast.md" for index in range(10))])


def written_with_an_old_temporary_file(out: Path) -> Path:
    """Three reports written in `out`, and a temporary file a run killed two hours ago left there."""
    import os
    import time

    write_outputs(outputs(3), out, ("tast",))
    old = out / "e000" / ".tacli-tast.md-0badc0de.tmp"
    old.write_text("left by a killed run\n", encoding="utf-8")
    hours_ago = time.time() - 7200
    os.utime(old, (hours_ago, hours_ago))
    return old


def test_a_blocked_run_leaves_even_old_temporary_files_alone(tmp_path):
    out = tmp_path / "out"
    old = written_with_an_old_temporary_file(out)
    (out / "e001" / "tast.md").write_text("mine\n", encoding="utf-8")
    assert write_outputs(outputs(3, version=2), out, ("tast",)).blocked()
    assert old.exists(), "nothing in the folder changes when the write is blocked"
    (out / "e001" / "tast.md").unlink()
    write_outputs(outputs(3, version=2), out, ("tast",))
    assert not old.exists(), "a write that stages files removes them"


def test_files_written_in_the_current_folder_are_put_in_place_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    made = [Output("tast", f"{name}/tast.md", with_marker(f"{name}\n")) for name in ("ab", "ba", "ca", "zz")]
    write_outputs(made, Path("."), ("tast",))
    (tmp_path / "zz").rename(tmp_path / "zz-moved")  # one new, three stale
    committed = []
    real_commit = writer.commit
    monkeypatch.setattr(writer, "commit", lambda item, *args, **kwargs: (committed.append(Path(item[1]).parent.name), real_commit(item, *args, **kwargs)))
    write_outputs(one_at_a_time([Output(o.kind, o.path, o.text + "\n") for o in reversed(made)]), Path("."), ("tast",))
    assert committed == ["ab", "ba", "ca", "zz"]


def test_a_folder_found_current_is_remembered_with_each_folder_that_holds_an_output(tmp_path):
    from tacli.io.filestat import lstat_signature

    made = [Output("tast", f"e{index:03d}/s{index % 2}/tast.md", with_marker(f"report {index}\n")) for index in range(6)]
    write_outputs(made, tmp_path / "out", ("tast",))
    found = compare(one_at_a_time(shuffled(made)), tmp_path / "out", ("tast",), remember=True)
    assert found.ok and found.state is not None
    folders = {path.rsplit("/", 1)[0] for output in made for path in [output.path]}
    parents = {folder.split("/")[0] for folder in folders}
    assert set(found.state.folders) == {"", *folders, *parents}
    for folder in folders | parents:
        assert found.state.folders[folder] == lstat_signature(str(tmp_path / "out" / folder))


def test_a_write_that_changes_nothing_removes_old_temporary_files_too(tmp_path):
    out = tmp_path / "out"
    old = written_with_an_old_temporary_file(out)
    assert write_outputs(outputs(3), out, ("tast",)).current == [output.path for output in outputs(3)]
    assert not old.exists()


def test_old_temporary_files_are_removed_only_in_the_folders_tacli_writes(tmp_path):
    """A killed run's temporary files are in the folders tacli writes; one in a
    folder below them (someone's node_modules) is not tacli's to remove, and
    the run never searches there."""
    import os
    import time

    out = tmp_path / "out"
    written_with_an_old_temporary_file(out)
    deep = out / "e000" / "node_modules" / "p" / ".tacli-x.md-0badc0de.tmp"
    deep.parent.mkdir(parents=True)
    deep.write_text("someone's\n", encoding="utf-8")
    hours_ago = time.time() - 7200
    os.utime(deep, (hours_ago, hours_ago))
    write_outputs(outputs(3), out, ("tast",))
    assert deep.exists()
    assert not (out / "e000" / ".tacli-tast.md-0badc0de.tmp").exists()


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="a FIFO")
def test_a_fifo_put_in_a_files_place_after_it_was_found_regular_is_not_waited_on(tmp_path, monkeypatch):
    import os

    from conftest import within

    fifo = tmp_path / "summary.md"
    os.mkfifo(fifo)
    monkeypatch.setattr(output_files, "_regular", lambda path: True)  # it was a regular file when asked

    def asked() -> bool:
        return output_files.written_by_tacli(fifo)

    assert within(10, asked) is False


def test_a_run_counts_the_files_it_put_in_place_and_names_the_first_two(tmp_path):
    from tacli.cli.main import interrupted

    writer.forget_written()
    made = outputs(5)
    write_outputs(one_at_a_time(shuffled(made)), tmp_path / "out", ("tast",))
    count, first = writer.files_written()
    assert (count, [path.relative_to(tmp_path / "out").as_posix() for path in first]) == (5, [made[0].path, made[1].path])
    assert interrupted().startswith("interrupted after writing 5 files, each in full (") and interrupted().endswith("e001/tast.md and 3 more): run the command again to make sure all are current")
    writer.forget_written()
    assert writer.files_written() == (0, []) and interrupted() == "interrupted: nothing was written"
