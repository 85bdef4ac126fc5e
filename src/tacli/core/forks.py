"""Whether this process may be forked now. A fork copies the calling thread
alone: a lock that another thread held at that moment stays held in the
child for ever, and a child that waits on it (an import's lock, a file's)
never ends, nor does the run that waits for the child. tacli forks worker
processes (checking.checker) only when no other thread runs, but for threads
known to hold no lock at a fork: a process pool's own manager and queue
feeder, which a child never touches, and a thread whose owner keeps it so
and says so here (cli.progress: the progress bar's redrawing, which an
at-fork hook holds still)."""

from __future__ import annotations

import threading
import weakref

_HOLDING_NO_LOCK: "weakref.WeakSet[threading.Thread]" = weakref.WeakSet()


def holds_no_lock_at_a_fork(thread: threading.Thread) -> None:
    """`thread` holds no lock whenever this process forks (its owner sees to it, with os.register_at_fork)."""
    _HOLDING_NO_LOCK.add(thread)


def only_this_thread() -> bool:
    """Whether no thread runs but the caller's and those that hold no lock at a
    fork; a thread not known to be such counts against it."""
    from concurrent.futures import process

    manager = getattr(process, "_ExecutorManagerThread", None)
    current = threading.current_thread()
    return all(
        thread is current or thread in _HOLDING_NO_LOCK or (manager is not None and isinstance(thread, manager)) or thread.name == "QueueFeederThread"
        for thread in threading.enumerate()
    )
