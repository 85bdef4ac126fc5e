"""write_outputs stages files on several threads: the result, a failure and an
interruption are the same as one file after another would give."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

import tacli.io.writer as writer
from tacli.write.output_files import MARKER, Output, ReportWriteError, with_marker, write_outputs


def outputs(count: int) -> list[Output]:
    return [Output("tast", f"e{index:03d}/s{index % 3}/tast.md", with_marker(f"report {index}\n")) for index in range(count)]


def leftovers(folder) -> list[str]:
    return sorted(path.name for path in folder.rglob(".tacli-*"))


def test_every_file_is_written_whole_and_put_in_place_in_path_order(tmp_path, monkeypatch):
    made = outputs(120)
    threads, committed = set(), []
    real_stage, real_commit = writer.stage_new, writer.commit

    def stage(*args, **kwargs):
        threads.add(threading.get_ident())
        return real_stage(*args, **kwargs)

    def commit(item, *args, **kwargs):
        committed.append(Path(item[1]).relative_to(tmp_path / "out").as_posix())
        return real_commit(item, *args, **kwargs)

    monkeypatch.setattr(writer, "stage_new", stage)
    monkeypatch.setattr(writer, "commit", commit)
    write_outputs(made, tmp_path / "out", ("tast",))
    assert committed == [output.path for output in made]
    for output in made:
        assert (tmp_path / "out" / output.path).read_text(encoding="utf-8") == output.text
    assert MARKER in made[0].text and leftovers(tmp_path / "out") == []
    assert threading.get_ident() not in threads  # staged by the threads, not the caller


def test_a_failure_names_the_first_file_in_path_order_and_leaves_nothing(tmp_path, monkeypatch):
    real_stage = writer.stage_new

    def stage(path, text, *args, **kwargs):
        if Path(path).parent.parent.name in ("e007", "e100"):
            raise OSError(28, "No space left on device")
        return real_stage(path, text, *args, **kwargs)

    monkeypatch.setattr(writer, "stage_new", stage)
    with pytest.raises(ReportWriteError) as raised:
        write_outputs(outputs(120), tmp_path / "out", ("tast",))
    assert str(raised.value) == f"cannot write {(tmp_path / 'out').as_posix()}/e007/s1/tast.md: No space left on device; nothing there was changed"
    assert [path for path in (tmp_path / "out").rglob("*") if path.is_file()] == []


def test_ctrl_c_while_staging_leaves_no_temporary_file(tmp_path, monkeypatch):
    real_stage, calls = writer.stage_new, []

    def stage(path, text, *args, **kwargs):
        calls.append(path)
        if len(calls) == 50:
            raise KeyboardInterrupt
        return real_stage(path, text, *args, **kwargs)

    monkeypatch.setattr(writer, "stage_new", stage)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(outputs(120), tmp_path / "out", ("tast",))
    assert [path for path in (tmp_path / "out").rglob("*") if path.is_file()] == []


def test_a_new_file_gets_the_mode_of_any_new_file_and_an_old_one_keeps_its_own(tmp_path):
    made = outputs(3)
    write_outputs(made, tmp_path / "out", ("tast",))
    umask = os.umask(0)
    os.umask(umask)
    first = tmp_path / "out" / made[0].path
    assert first.stat().st_mode & 0o7777 == 0o666 & ~umask
    first.chmod(0o640)
    changed = [Output(output.kind, output.path, output.text.replace("report", "Report")) for output in made]
    write_outputs(changed, tmp_path / "out", ("tast",))
    assert first.read_text(encoding="utf-8") == changed[0].text and first.stat().st_mode & 0o7777 == 0o640


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="signals to a thread")
def test_a_second_ctrl_c_while_the_staged_files_are_removed_waits_until_all_are_gone(tmp_path, monkeypatch):
    """`timeout -s INT` signals tacli, then its process group: two Ctrl+C, the
    second while the first one's staged files are being removed."""
    main = threading.main_thread().ident
    real_stage, real_discard = writer.stage_new, writer.discard
    counts = {"staged": 0, "discarded": 0}

    def stage(*args, **kwargs):
        counts["staged"] += 1
        if counts["staged"] == 60:
            signal.pthread_kill(main, signal.SIGINT)
        return real_stage(*args, **kwargs)

    def discard(item):
        counts["discarded"] += 1
        if counts["discarded"] == 2:
            signal.pthread_kill(main, signal.SIGINT)  # the second, now
        return real_discard(item)

    monkeypatch.setattr(writer, "stage_new", stage)
    monkeypatch.setattr(writer, "discard", discard)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(outputs(400), tmp_path / "out", ("tast",))
    assert counts["discarded"] > 2
    assert leftovers(tmp_path / "out") == [] if (tmp_path / "out").exists() else True
    assert not (tmp_path / "out").exists() or [path for path in (tmp_path / "out").rglob("*") if path.is_file()] == []


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="signals to a thread")
def test_ctrl_c_while_a_round_is_handed_to_the_threads_leaves_no_temporary_file(tmp_path, monkeypatch):
    """Ctrl+C within the pool's submit, once the batch is queued (a thread
    starting): the batch is staged all the same, and is removed with the rest."""
    from concurrent.futures import ThreadPoolExecutor

    real_submit = ThreadPoolExecutor.submit

    def submit(self, *args, **kwargs):
        future = real_submit(self, *args, **kwargs)
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        return future

    monkeypatch.setattr(ThreadPoolExecutor, "submit", submit)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            write_outputs(outputs(120), tmp_path / "out", ("tast",))
    finally:
        signal.signal(signal.SIGINT, previous)
    assert not (tmp_path / "out").exists() or [path for path in (tmp_path / "out").rglob("*") if path.is_file()] == []


def test_no_staging_thread_is_alive_between_rounds_for_a_fork_to_copy(tmp_path, monkeypatch):
    """The outputs' maker may fork (tacli site's child for the dashboard) while
    files are written: the rounds staged before it leave no thread behind."""
    import tacli.write.output_files as output_files

    monkeypatch.setattr(output_files, "ROUND_FILES", 16)
    alive_while_making = []
    before = threading.active_count()

    def made():
        for index, output in enumerate(outputs(100)):
            if index % 10 == 9:
                alive_while_making.append(threading.active_count() - before)
            yield output

    write_outputs(made(), tmp_path / "out", ("tast",))
    assert alive_while_making and set(alive_while_making) == {0}
    assert len(list((tmp_path / "out").rglob("tast.md"))) == 100


def files_in(folder) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()} if folder.exists() else {}


@pytest.fixture
def small_rounds(monkeypatch):
    import tacli.write.output_files as output_files

    monkeypatch.setattr(output_files, "ROUND_FILES", 5)


def test_a_failure_in_a_later_round_changes_no_file_of_the_earlier_ones(tmp_path, small_rounds, monkeypatch):
    write_outputs(outputs(60), tmp_path / "out", ("tast",))
    before = files_in(tmp_path / "out")
    real_stage, real_stage_new, calls = writer.stage, writer.stage_new, []

    def failing(real):
        def stage(path, text, *args, **kwargs):
            calls.append(path)
            if len(calls) == 8:  # in round 2: round 1 staged 5
                raise OSError(28, "No space left on device")
            return real(path, text, *args, **kwargs)
        return stage

    monkeypatch.setattr(writer, "stage", failing(real_stage))
    monkeypatch.setattr(writer, "stage_new", failing(real_stage_new))
    changed = [Output(output.kind, output.path, output.text.replace("report", "REPORT")) for output in outputs(80)]  # and 20 new
    with pytest.raises(ReportWriteError):
        write_outputs(changed, tmp_path / "out", ("tast",))
    assert files_in(tmp_path / "out") == before and leftovers(tmp_path / "out") == []


def test_ctrl_c_as_a_round_ends_its_threads_leaves_nothing(tmp_path, small_rounds, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    real_shutdown, rounds = ThreadPoolExecutor.shutdown, []

    def shutdown(self, wait=True, **kwargs):
        real_shutdown(self, wait, **kwargs)
        rounds.append(1)
        if len(rounds) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(ThreadPoolExecutor, "shutdown", shutdown)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(outputs(60), tmp_path / "out", ("tast",))
    assert files_in(tmp_path / "out") == {}
