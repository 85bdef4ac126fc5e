"""Work done in a forked child process while the parent does something else:
after `tacli site` has checked its files, the pages of every engagement (the
dashboard, the annual pages) are rendered in a child while the parent writes
the engagements' own pages, on the other core, instead of one after the other.

The child sends what the work returned back through a pipe, pickled (the
child is a copy of this process: nothing else writes to the pipe). Where fork
is not available, or the child fails, is killed or sends nothing whole, the
work is done in the parent when its result is asked for: the same result,
later. The child never runs the parent's exit handlers or flushes its output,
and starts no process of its own (`in_a_child`): stopping it stops its work.
"""

from __future__ import annotations

import os
import pickle
import signal
from typing import Callable, Generic, TypeVar

T = TypeVar("T")

WORTH_IT_FROM = 100  # engagements from which a command makes what it makes of all of them in a child while it writes the rest: below, a fork costs more than it saves

_NOT_YET = object()
_IN_A_CHILD: list[bool] = []


def in_a_child() -> bool:
    """Whether this process is a Background's child (which must start no process: checking.checker works in it alone)."""
    return bool(_IN_A_CHILD)


class Background(Generic[T]):
    """`work()` started in a forked child; `result()` gives what it returned,
    `abandon()` stops the child when the result is not wanted."""

    def __init__(self, work: Callable[[], T]):
        self._work = work
        self._result: object = _NOT_YET
        self._pid = 0
        self._reader = -1
        if hasattr(os, "fork"):
            self._start()

    def _start(self) -> None:
        try:
            reader, writer = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:  # no process to spare: the parent does the work when asked
            os.close(reader)
            os.close(writer)
            return
        if pid == 0:  # the child: the work, its result written whole, then gone
            code = 1
            try:
                _IN_A_CHILD.append(True)
                os.close(reader)
                data = memoryview(pickle.dumps(self._work(), protocol=pickle.HIGHEST_PROTOCOL))
                while data:
                    data = data[os.write(writer, data):]
                code = 0
            except BaseException:  # noqa: BLE001 - the parent does the work again, and says what went wrong
                pass
            finally:
                os._exit(code)
        os.close(writer)
        self._pid, self._reader = pid, reader

    def result(self) -> T:
        """What the work returned: from the child when it sent it whole, else done here now."""
        if self._result is _NOT_YET:
            self._result = self._collected()
        return self._result  # type: ignore[return-value]

    def _collected(self):
        if not self._pid:
            return self._work()
        chunks = []
        try:
            while True:
                chunk = os.read(self._reader, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        except BaseException:  # Ctrl+C to this process alone: the child's work is not waited for
            self.abandon()
            raise
        if os.waitstatus_to_exitcode(self._reaped()) == 0 and chunks:
            try:
                return pickle.loads(b"".join(chunks))
            except Exception:  # noqa: BLE001 - not whole: done here
                pass
        return self._work()

    def abandon(self) -> None:
        """The child stopped and reaped, its result not wanted (the run failed or was interrupted)."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            self._reaped()

    def _reaped(self) -> int:
        pid, self._pid = self._pid, 0
        reader, self._reader = self._reader, -1
        try:
            if reader >= 0:
                os.close(reader)
        finally:
            _, status = os.waitpid(pid, 0)
        return status

    def __del__(self) -> None:
        # A result never asked for, in a process that goes on (tacli serve, the tests): no child left waiting.
        try:
            self.abandon()
        except Exception:  # noqa: BLE001 - at exit, os may be gone
            pass
