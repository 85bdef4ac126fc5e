"""core.interrupt: Ctrl+C is remembered for the rest of the command, so that one
caught on the way (pydantic-core makes one a validation error; Python drops
one raised in a finalizer) still keeps every file and the cache as they were."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from tacli.core import interrupt

pytestmark = pytest.mark.skipif(threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGINT"), reason="signals reach the main thread")


@pytest.fixture
def listening():
    """Python's own handler in place (the process may have been started with Ctrl+C ignored), then interrupt.listen."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    restore = interrupt.listen()
    yield
    restore()
    interrupt.listen()()  # no press left for the next test
    signal.signal(signal.SIGINT, previous)


def ctrl_c_caught() -> None:
    """Ctrl+C pressed and caught, as a library may catch it."""
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    except KeyboardInterrupt:
        return
    raise AssertionError("Ctrl+C raised nothing")


def test_a_press_is_raised_and_remembered_once_caught(listening):
    assert not interrupt.pressed()
    interrupt.stop_if_pressed()  # nothing yet
    ctrl_c_caught()
    assert interrupt.pressed()
    with pytest.raises(KeyboardInterrupt):
        interrupt.stop_if_pressed()


def test_listening_again_forgets_the_last_commands_press(listening):
    ctrl_c_caught()
    interrupt.listen()
    assert not interrupt.pressed()


def test_the_press_is_forgotten_when_the_command_ends():
    """What the process does next (a test, a program that ran tacli) is not the command's."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        restore = interrupt.listen()
        ctrl_c_caught()
        restore()
        assert not interrupt.pressed()
    finally:
        signal.signal(signal.SIGINT, previous)


def test_only_the_main_thread_is_stopped(listening):
    ctrl_c_caught()
    raised = []

    def elsewhere():
        try:
            interrupt.stop_if_pressed()
        except KeyboardInterrupt:
            raised.append(True)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert raised == []


@pytest.mark.parametrize("handler", [signal.SIG_IGN, lambda number, frame: None], ids=["ignored", "a program's own"])
def test_a_handler_other_than_pythons_is_kept_and_left_as_it_was(handler):
    previous = signal.signal(signal.SIGINT, handler)
    try:
        restore = interrupt.listen()
        assert signal.getsignal(signal.SIGINT) is handler
        restore()
        assert signal.getsignal(signal.SIGINT) is handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_pythons_handler_is_replaced_then_put_back():
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        restore = interrupt.listen()
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
        restore()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_after_a_press_a_file_is_not_put_in_place_and_nothing_is_left(listening, tmp_path):
    from tacli.io.writer import create_atomically, write_atomically

    target = tmp_path / "plan.md"
    target.write_text("as it was\n")
    ctrl_c_caught()
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "made after Ctrl+C\n")
    with pytest.raises(KeyboardInterrupt):
        create_atomically(tmp_path / "new.md", "made after Ctrl+C\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan.md"]
    assert target.read_text() == "as it was\n"


def test_after_a_press_no_report_of_a_set_is_put_in_place_and_none_is_left_staged(listening, tmp_path):
    from tacli.write.output_files import Output, with_marker, write_outputs

    ctrl_c_caught()
    with pytest.raises(KeyboardInterrupt):
        write_outputs([Output("tast", f"e{index}/tast.md", with_marker(f"report {index}\n")) for index in range(5)], tmp_path / "out", ("tast",))
    assert not (tmp_path / "out").exists()


def test_after_a_press_the_cache_keeps_nothing(listening, tmp_path):
    from tacli.io.cache import Cache

    cache = Cache(tmp_path / "cache")
    cache.put(b"k" * 20, "checked", "before")
    ctrl_c_caught()
    cache.put(b"j" * 20, "checked", "after")
    cache.flush()
    cache.close()
    interrupt.listen()  # the next command
    again = Cache(tmp_path / "cache")
    assert again.get(b"k" * 20, None) is None and again.get(b"j" * 20, None) is None
    again.close()


def test_once_the_interruption_is_reported_a_further_press_is_noted_and_raises_nothing(listening):
    ctrl_c_caught()
    interrupt.reporting()
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)  # the handler runs, and raises nothing
    assert interrupt.pressed()


class _Dropped:
    """An object whose finalizer raises `error`: Python prints it ("Exception ignored in") and goes on."""

    def __init__(self, error: BaseException):
        self.error = error

    def __del__(self):
        raise self.error


def test_a_press_python_drops_in_a_finalizer_is_not_printed_and_other_errors_still_are():
    import sys

    printed = []
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    previous_hook, sys.unraisablehook = sys.unraisablehook, lambda unraisable: printed.append(type(unraisable.exc_value))
    try:
        restore = interrupt.listen()
        _Dropped(KeyboardInterrupt())
        _Dropped(ValueError("a bug"))
        restore()
        assert printed == [ValueError]
        _Dropped(KeyboardInterrupt())  # after the command: as before it
        assert printed == [ValueError, KeyboardInterrupt]
    finally:
        sys.unraisablehook = previous_hook
        signal.signal(signal.SIGINT, previous)
