"""Work done in a child process with a time limit for each item and a memory
limit, so that nothing the work does can hang the command or fill the memory.

`tacli report --templates DIR` renders the user's templates this way: one
child process (forked, so it starts at once with everything already loaded)
renders every report of the run and sends each text back as soon as it is
done. The parent waits at most `seconds` (and a grace period) for each; a
child that takes longer is killed. In the child, the address space may grow
by at most `memory` bytes (RLIMIT_AS, where the system reports it: Linux),
and each item may use at most its seconds of processor time (RLIMIT_CPU), so
the child dies by itself even if the parent is killed. The child never
outlives `run_isolated`. Where processes cannot be forked (Windows),
CAN_ISOLATE is false and the caller does the work itself.
"""

from __future__ import annotations

import math
import os
import pickle
import signal
from typing import Callable, Optional, Sequence, TypeVar

CAN_ISOLATE = hasattr(os, "fork")
GRACE = 2.0  # seconds the parent waits beyond the limit, for the child to report it itself

Item = TypeVar("Item")
Result = TypeVar("Result")


class Stopped(Exception):
    """The child stopped while working on items[index]: `reason` says how, and
    `over_limit` whether it was for its time or memory."""

    def __init__(self, index: int, reason: str, over_limit: bool = True):
        super().__init__(reason)
        self.index = index
        self.reason = reason
        self.over_limit = over_limit


def run_isolated(work: Callable[[Item], Result], items: Sequence[Item], seconds: float, memory: Optional[int], received: Optional[Callable[[], None]] = None) -> list[Result]:
    """[work(item) for item in items], computed in a child process.

    An exception that `work` raises is raised here (the first one ends the
    run); Stopped when the child takes more than `seconds` over one item, or
    dies. `received` is called as each result arrives (a progress bar)."""
    from multiprocessing import Pipe

    reader, writer = Pipe(duplex=False)
    child = os.fork()
    if child == 0:
        reader.close()
        _work_in_child(work, items, writer, seconds, memory)
    writer.close()
    ended = False
    try:
        results = []
        for index in range(len(items)):
            if not reader.poll(seconds + GRACE):
                raise Stopped(index, f"it ran for more than {seconds:g} seconds and was stopped")
            try:
                status, payload = reader.recv()
            except (EOFError, OSError):
                ended = True
                raise _death(index, _end(child)) from None
            if status == "error":
                raise payload
            results.append(payload)
            if received is not None:
                received()
        return results
    finally:
        reader.close()
        if not ended:
            _end(child)


def _end(child: int) -> int:
    """Kill the child if it is still running, and reap it; its wait status."""
    try:
        os.kill(child, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while True:
        try:
            return os.waitpid(child, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0


def _death(index: int, status: int) -> Stopped:
    """Why the child ended before sending items[index]'s result, from its wait status."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number == getattr(signal, "SIGXCPU", None):
            return Stopped(index, "it used more than its seconds of processor time and was stopped")
        if number == signal.SIGKILL:
            return Stopped(index, "it was killed (the system may have run out of memory)")
        return Stopped(index, f"its process died ({signal.Signals(number).name})", over_limit=False)
    return Stopped(index, "its process ended unexpectedly", over_limit=False)


def _work_in_child(work, items, writer, seconds: float, memory: Optional[int]) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it kills the child
        _limit_resources(memory)
        for item in items:
            _limit_processor_time(seconds + GRACE)
            try:
                message = ("ok", work(item))
            except Exception as exc:  # noqa: BLE001 - sent to the parent, which raises it
                message = ("error", _portable(exc))
            writer.send(message)
            if message[0] == "error":
                break
    except BaseException:  # noqa: BLE001 - nothing may escape the child but its exit code
        code = 1
    finally:
        os._exit(code)


def _portable(exc: Exception) -> Exception:
    """`exc`, or a RuntimeError with its message when it cannot be pickled."""
    try:
        pickle.dumps(exc)
    except Exception:  # noqa: BLE001 - anything unpicklable
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _limit_resources(memory: Optional[int]) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a child stopped for its limits leaves no core file
    size = _address_space()
    if memory is not None and size is not None:
        _set_soft_limit(resource.RLIMIT_AS, size + memory)


def _limit_processor_time(seconds: float) -> None:
    import resource

    times = os.times()
    _set_soft_limit(resource.RLIMIT_CPU, math.ceil(times.user + times.system + seconds))


def _set_soft_limit(limit: int, value: int) -> None:
    """Set a resource's soft limit to `value`, or to its hard limit when that is lower."""
    import resource

    _soft, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(limit, (value, hard))


def limits_memory() -> bool:
    """Whether run_isolated can limit the child's memory here."""
    return CAN_ISOLATE and _address_space() is not None


def _address_space() -> Optional[int]:
    """Bytes of address space this process uses, where the system says (Linux); else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")
