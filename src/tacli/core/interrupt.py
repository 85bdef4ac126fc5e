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
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import Callable

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
