"""Ctrl+C while a module is imported late in a run (a class being made: Python
3.11 wraps the KeyboardInterrupt raised by a descriptor's __set_name__, as
a dataclass's fields have, in a RuntimeError) is an interruption (130, what
was written), never "internal error: this is a bug"."""

from __future__ import annotations

from conftest import run_in_process

TODAY = ("--today", "2026-11-22")


class _Field:
    def __set_name__(self, owner, name):
        raise KeyboardInterrupt  # the signal's handler ran here


def test_ctrl_c_while_a_class_is_made_is_an_interruption(elm_folder, monkeypatch):
    import tacli.commands.site

    def interrupted_while_importing(*args, **kwargs):
        type("Made", (), {"files": _Field()})  # what `class ...:` does when a module is imported

    monkeypatch.setattr(tacli.commands.site, "run", interrupted_while_importing)
    done = run_in_process("site", "elm.yaml", "--out-dir", "site", *TODAY, cwd=elm_folder)
    assert done.returncode == 130, done.stderr
    assert done.stderr == "\ntacli: interrupted: nothing was written\n"


def test_a_bug_raised_while_handling_something_else_is_still_a_bug(elm_folder, monkeypatch):
    import tacli.commands.site

    def broken(*args, **kwargs):
        try:
            raise ValueError("first")
        except ValueError:
            raise RuntimeError("second") from None

    monkeypatch.setattr(tacli.commands.site, "run", broken)
    done = run_in_process("site", "elm.yaml", "--out-dir", "site", *TODAY, cwd=elm_folder)
    assert done.returncode == 3 and "internal error: RuntimeError: second" in done.stderr
