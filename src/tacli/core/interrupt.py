"""Ctrl+C, remembered for the rest of the command.

Python raises KeyboardInterrupt wherever the main thread happens to be, and
what runs there may catch it: pydantic-core turns one raised while it matches
a field's pattern into a validation error (the standards "cannot be used"),
and Python prints and drops one raised in a finalizer or in a generator being
closed. The command then went on, wrote every file and ended 0, as if Ctrl+C
had never been pressed. Here a press is noted as well as raised, and the
places where a command commits ask whether one came: each step of a progress
bar, a file put in place, the cache's entries kept, the command's end.

What Python would print of a KeyboardInterrupt it drops ("Exception ignored
in ...", a traceback under tacli's own message) is not printed: the press is
noted. Once the command says it was interrupted (`reporting`), a further
press is noted and raises nothing: it would cut that message short.

Once the command has ended, during Python's exit steps (`quiet_from_now`),
the first press is let pass, the exit code kept, and a second ends the
process at once with 130, should a step hang; from the last exit step on
(`_ignored_for_the_last_steps`) Ctrl+C is ignored.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

_PRESSED: list[int] = []


def listen() -> Callable[[], None]:
    """Note Ctrl+C from now on (forgetting any earlier press), in place of
    Python's own handler only: a process started with Ctrl+C ignored, or a
    program that runs tacli with a handler of its own, keeps it. Returns what
    ends the command's listening: the press forgotten (what the process does
    next is not that command's), Python's handler put back, or `then`."""
    _PRESSED.clear()
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return lambda then=None: _PRESSED.clear()
    signal.signal(signal.SIGINT, _noted)
    previous_hook = sys.unraisablehook

    def quiet_about_a_press(unraisable) -> None:
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            previous_hook(unraisable)

    sys.unraisablehook = quiet_about_a_press

    def restore(then: Callable = signal.default_int_handler) -> None:
        if signal.getsignal(signal.SIGINT) in (_noted, _noted_only):
            signal.signal(signal.SIGINT, then)
        _PRESSED.clear()
        if sys.unraisablehook is quiet_about_a_press:
            sys.unraisablehook = previous_hook

    return restore


def _noted(number, frame) -> None:
    _PRESSED.append(number)
    raise KeyboardInterrupt


def _noted_only(number, frame) -> None:
    _PRESSED.append(number)


def reporting() -> None:
    """The command is saying that it was interrupted: a further press is noted, and raises nothing."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is _noted:
        signal.signal(signal.SIGINT, _noted_only)


def pressed() -> bool:
    """Whether Ctrl+C came since the command started, even if what it raised was caught."""
    return bool(_PRESSED)


def stop_if_pressed() -> None:
    """KeyboardInterrupt again when Ctrl+C came and the command went on (in the
    main thread, where Python raises it; elsewhere nothing is done)."""
    if _PRESSED and threading.current_thread() is threading.main_thread():
        raise KeyboardInterrupt


@contextmanager
def held_back() -> Iterator[None]:
    """Hold Ctrl+C back for a quick step that must happen whole: a set of files
    put in place (renames), so that an interruption leaves all of them or
    none; a round of files handed to the threads that stage them; a fork
    while the progress bar's thread is held still. It takes effect after.
    Only the main thread can hold it back; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and callable(previous):
        previous(signal.SIGINT, None)  # the handler it held back (tacli's, or Python's own): KeyboardInterrupt, now


_EXIT_PRESSES: list[int] = []


def quiet_from_now() -> None:
    """The exit steps' handler in place of Python's own (only: a process
    started with Ctrl+C ignored, or a program with a handler of its own, keeps it)."""
    if threading.current_thread() is not threading.main_thread():  # pragma: no cover - exit steps run in the main thread
        return
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, quiet_for_the_exit())


def quiet_for_the_exit() -> Callable:
    """The handler for Python's exit steps: the first press is let pass, a second ends the process (130)."""
    _EXIT_PRESSES.clear()
    return _let_pass_once


def _let_pass_once(number, frame) -> None:
    if _EXIT_PRESSES:
        os._exit(130)
    _EXIT_PRESSES.append(number)


@atexit.register  # when this module is first imported, before any exit step of tacli's: so run after them
def _ignored_for_the_last_steps() -> None:
    """Python then puts back the default action of every signal it handles,
    which ends the process on Ctrl+C, and frees its modules, tens of
    milliseconds after a large run. A signal ignored it leaves alone: a
    Ctrl+C then does not kill tacli under its message (exit -2 instead of
    the code it gave)."""
    if signal.getsignal(signal.SIGINT) is _let_pass_once:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
