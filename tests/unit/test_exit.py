"""What a tacli process does as it exits: Python's last garbage collection is
skipped (core.collector.freeze_at_exit), and every cache connection is closed
all the same (io.cache), so that no write-ahead log is left beside the cache."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


def run_python(code: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def with_one_entry_kept(folder: Path, then: str) -> str:
    """Python code that keeps one entry in a cache in `folder`, then runs `then`."""
    return textwrap.dedent(f"""
        from pathlib import Path
        from tacli.io.cache import Cache
        cache = Cache(Path({str(folder)!r}))
        cache.put(b"k" * 32, "test", {{"kept": True}})
        cache.flush()
        """) + textwrap.dedent(then)


def test_the_objects_alive_at_exit_are_frozen_once(tmp_path):
    out = run_python(
        """
        import atexit, gc
        calls = []
        already = gc.get_freeze_count()  # not 0 at start on some Pythons (3.12.1: 375)
        real_freeze = gc.freeze
        def counted_freeze():
            calls.append(1)
            real_freeze()
        gc.freeze = counted_freeze
        atexit.register(lambda: print("at exit:", len(calls), "call(s), frozen:", gc.get_freeze_count() > already))  # runs last
        from tacli.core.collector import freeze_at_exit
        freeze_at_exit()
        freeze_at_exit()
        print("before exit:", len(calls), "call(s), frozen:", gc.get_freeze_count() > already)
        """,
        tmp_path,
    )
    assert out.splitlines() == ["before exit: 0 call(s), frozen: False", "at exit: 1 call(s), frozen: True"]


def test_a_cache_held_in_a_reference_cycle_is_closed_at_exit(tmp_path):
    """Without the last collection, nothing else would close a connection whose
    cache a cycle holds: SQLite would leave its -wal and -shm files behind."""
    folder = tmp_path / "cache"
    run_python(
        with_one_entry_kept(folder, """
            from tacli.core.collector import freeze_at_exit
            cache.itself = cache  # a cycle: only the garbage collector would free it
            del cache
            freeze_at_exit()
            """),
        tmp_path,
    )
    assert sorted(path.name for path in folder.iterdir()) == ["cache.sqlite3"]
    run_python(
        f"""
        from pathlib import Path
        from tacli.io.cache import Cache
        assert Cache(Path({str(folder)!r})).get(b"k" * 32) == {{"kept": True}}
        """,
        tmp_path,
    )


def test_the_command_leaves_only_the_database_in_the_cache_folder(tmp_path):
    folder = tmp_path / "cache"
    examples = Path(__file__).resolve().parents[2] / "examples"
    code = f"""
        import os, sys
        os.environ["TACLI_CACHE_DIR"] = {str(folder)!r}
        sys.argv = ["tacli", "check", "--today", "2026-11-22", "-q", {str(examples)!r}]
        from tacli.cli.main import main
        try:
            main()
        except SystemExit as exc:
            print("exit", exc.code)
        """
    assert run_python(code, tmp_path).splitlines()[-1] == "exit 1"
    assert sorted(path.name for path in folder.iterdir()) == ["cache.sqlite3"]


def test_a_command_asks_for_the_freeze_at_exit(tmp_path):
    examples = Path(__file__).resolve().parents[2] / "examples"
    code = f"""
        import atexit, gc, sys
        atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))  # runs last
        sys.argv = ["tacli", "check", "--no-cache", "--today", "2026-11-22", "-q", {str(examples)!r}]
        from tacli.cli.main import main
        try:
            main()
        except SystemExit:
            pass
        """
    assert run_python(code, tmp_path).splitlines()[-1] == "frozen at exit: True"


def test_the_log_the_workers_wrote_is_folded_into_the_database_at_exit(tmp_path):
    """Workers end without closing their connections, and the parent closes its own
    before forking them: at exit it opens one again and closes it, the last."""
    folder, files = tmp_path / "cache", tmp_path / "engagements"
    files.mkdir()
    source = (Path(__file__).resolve().parents[2] / "examples" / "hartford-data-webinars.yaml").read_text(encoding="utf-8")
    for number in range(60):  # past PARALLEL_FROM: checked by worker processes
        (files / f"copy-{number:02d}.yaml").write_text(source, encoding="utf-8")
    code = f"""
        import os, sys
        os.environ["TACLI_CACHE_DIR"] = {str(folder)!r}
        sys.argv = ["tacli", "check", "--jobs", "2", "--today", "2026-11-22", "-q", {str(files)!r}]
        import tacli.checking.checker as checker
        started = checker._Workers._start
        def counted(self, *args, **kwargs):
            print("workers started")
            return started(self, *args, **kwargs)
        checker._Workers._start = counted
        from tacli.cli.main import main
        try:
            main()
        except SystemExit as exc:
            print("exit", exc.code)
        """
    out = run_python(code, tmp_path).splitlines()
    assert "workers started" in out and out[-1] == "exit 1"  # the copies share one id
    assert sorted(path.name for path in folder.iterdir()) == ["cache.sqlite3"]


def test_a_cache_folder_removed_during_the_run_is_not_made_again_at_exit(tmp_path):
    folder = tmp_path / "cache"
    run_python(
        with_one_entry_kept(folder, f"""
            import shutil
            cache.release(workers_follow=True)  # as before forking workers
            shutil.rmtree({str(folder)!r})
            """),
        tmp_path,
    )
    assert not folder.exists()


def test_ctrl_c_while_the_caches_are_closed_at_exit_is_left_to_the_next_run(monkeypatch):
    import tacli.io.cache as cache_module

    class Interrupted:
        def at_exit(self):
            raise KeyboardInterrupt

    monkeypatch.setattr(cache_module, "_EVERY_CACHE", [Interrupted()])
    cache_module._release_every_cache()  # no KeyboardInterrupt: Python would print it with a traceback


def test_the_connection_of_a_cache_freed_is_closed_when_the_next_opens(tmp_path):
    """Freed in the middle of a run (a command's Session), a cache leaves its
    connection in SQLite's own reference cycle: it is closed when another
    connection opens, not by a finalizer (Ctrl+C landing in one is lost)."""
    first, second = tmp_path / "first", tmp_path / "second"
    out = run_python(
        with_one_entry_kept(first, f"""
            import gc, os
            gc.disable()  # no collection frees the cycle meanwhile
            del cache
            print(sorted(os.listdir({str(first)!r})))
            other = Cache(Path({str(second)!r}))
            other.put(b"k" * 32, "test", 1)
            other.flush()
            print(sorted(os.listdir({str(first)!r})))
            """),
        tmp_path,
    )
    assert out.splitlines() == ["['cache.sqlite3', 'cache.sqlite3-shm', 'cache.sqlite3-wal']", "['cache.sqlite3']"]


def test_a_cache_has_no_finalizer():
    """A finalizer runs wherever a collection happens: Ctrl+C landing in it is
    printed as ignored and lost, and the run goes on."""
    from tacli.io.cache import Cache

    assert "__del__" not in vars(Cache)


def test_at_exit_a_cache_still_in_use_is_turned_off_not_lost(tmp_path):
    """A thread still running at exit (tacli serve's) must find the cache off:
    a connection closed under it would read as damage and the database be made anew."""
    folder = tmp_path / "cache"
    out = run_python(
        with_one_entry_kept(folder, """
            from tacli.io.cache import _release_every_cache
            _release_every_cache()  # what exit does, while `cache` is still in use
            print(cache.get(b"k" * 32, "missed"), cache.notes)
            cache.put(b"j" * 32, "test", 2)
            cache.flush()
            print(Cache(Path(cache.folder)).get(b"k" * 32))
            """),
        tmp_path,
    )
    assert out.splitlines() == ["missed []", "{'kept': True}"]


def test_opening_a_connection_closes_only_those_of_caches_freed(tmp_path):
    from tacli.io.cache import Cache

    first, second = Cache(tmp_path / "first"), Cache(tmp_path / "second")
    first.put(b"k" * 32, "test", 1)
    first.flush()
    connection = first._connection
    second.put(b"k" * 32, "test", 2)
    second.flush()
    assert first._connection is connection and first.get(b"k" * 32) == 1


def test_connections_another_process_opened_are_never_closed_here(monkeypatch):
    """A forked child holds its parent's connections too: closing one there would
    fold or remove the parent's write-ahead log under it."""
    import os

    import tacli.io.cache as cache_module

    class Connection:
        closed = False

        def close(self):
            self.closed = True

    theirs, ours = Connection(), Connection()
    monkeypatch.setattr(cache_module, "_OPEN", [(lambda: None, os.getpid() + 1, theirs), (lambda: None, os.getpid(), ours)])
    cache_module._close_in_this_process(lambda owner: True)
    assert (theirs.closed, ours.closed) == (False, True)
    assert [entry[2] for entry in cache_module._OPEN] == [theirs]


def test_the_connections_remembered_do_not_pile_up(tmp_path):
    import tacli.io.cache as cache_module
    from tacli.io.cache import Cache

    before = len(cache_module._OPEN)
    cache = Cache(tmp_path / "cache")
    for number in range(30):
        cache.put(b"k" * 32, "test", number)
        cache.flush()
        cache.release()
        Cache(tmp_path / "other").get(b"k" * 32)  # opened, then freed: closed when the next opens
    assert len(cache_module._OPEN) <= before + 2


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("presses, when", [(1, "exit steps"), (2, "exit steps"), (2, "last steps")])
def test_ctrl_c_during_the_exit_steps_prints_nothing(tmp_path, presses, when):
    """Once the command has ended, a Ctrl+C landing in Python's exit steps (a
    step registered after tacli was imported, so run before its last) is let
    pass, the exit code kept; a second stops the process at once with 130.
    From tacli's last exit step on (here: a step registered before tacli was
    imported, so run after it), while Python frees its modules, Ctrl+C is
    ignored: it killed the process under tacli's message (exit -2)."""
    code = textwrap.dedent(f"""
        import atexit, os, signal, sys, time

        def pressed_at_exit():
            for _ in range({presses}):
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)
            print("exit steps done", flush=True)

        if {when!r} == "last steps":
            atexit.register(pressed_at_exit)
        sys.argv = ["tacli", "--version"]
        from tacli.cli.main import main
        if {when!r} == "exit steps":
            atexit.register(pressed_at_exit)
        main()
        """)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    if presses == 1 or when == "last steps":
        assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "exit steps done")
    else:
        assert done.returncode == 130 and "exit steps done" not in done.stdout


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX signals")
def test_a_process_started_with_ctrl_c_ignored_keeps_ignoring_it_at_exit(tmp_path):
    code = textwrap.dedent("""
        import atexit, os, signal, sys, time

        def pressed_at_exit():
            for _ in range(2):
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)
            print("exit steps done", flush=True)

        atexit.register(pressed_at_exit)
        sys.argv = ["tacli", "--version"]
        from tacli.cli.main import main
        main()
        """)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    assert (done.returncode, done.stdout.splitlines()[-1], done.stderr) == (0, "exit steps done", "")


def test_a_run_in_process_leaves_the_callers_ctrl_c_as_it_was(monkeypatch, capsys):
    from tacli.cli.main import main

    before = signal.getsignal(signal.SIGINT)
    monkeypatch.setattr(sys, "argv", ["tacli", "--version"])
    with pytest.raises(SystemExit):
        main()
    assert signal.getsignal(signal.SIGINT) is before


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="POSIX signals to a thread")
def test_the_installed_command_keeps_ctrl_c_quiet_while_python_joins_its_threads(tmp_path):
    """Python joins the threads left running (a worker pool's manager) before
    any exit hook runs: the installed command (cli.main.command) is quiet from
    the moment it ends, not from its exit hook on. A press there is let pass,
    the exit code kept (a second ends the process with 130, as in the exit
    steps: test_ctrl_c_during_the_exit_steps_prints_nothing)."""
    code = textwrap.dedent("""
        import signal, sys, threading, time

        def pressed_while_python_joins_this_thread():
            threading.main_thread().join()  # Python's exit has begun: it waits for this thread now
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
            time.sleep(0.2)
            print("joined", flush=True)

        threading.Thread(target=pressed_while_python_joins_this_thread).start()
        sys.argv = ["tacli", "--version"]
        from tacli.cli.main import command
        command()
        """)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "joined")


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX signals")
def test_a_press_in_the_moment_the_command_ends_keeps_its_exit_code(tmp_path):
    """The last thing main does after the command (its exit hook registered): a press there raised through the exit."""
    code = textwrap.dedent("""
        import os, signal, sys
        import tacli.cli.main as entry

        registered = entry._ctrl_c_quiet_at_exit

        def pressed_then_registered():
            os.kill(os.getpid(), signal.SIGINT)
            registered()

        entry._ctrl_c_quiet_at_exit = pressed_then_registered
        sys.argv = ["tacli", "--version"]
        entry.command()
        """)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    from tacli import __version__

    assert (done.returncode, done.stdout, done.stderr) == (0, f"tacli {__version__}\n", "")
