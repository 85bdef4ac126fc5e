"""What a person sees in a real terminal (a pseudo-terminal, as a terminal
emulator gives tacli): the grouped view of `check`, and the plain lines of
`--format text`, byte for byte those of a pipe."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import ROOT, Conversation, run_in_process

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

ARGS = ("check", "--today", "2026-11-22", "examples")


def in_a_terminal(*args: str, columns: int = 80, cwd=ROOT, stderr_too: bool = False) -> str:
    """Run the installed tacli with a pseudo-terminal as its standard output
    (and standard error, with `stderr_too`), in colour; what it wrote there."""
    _, shown = Conversation(*args, cwd=cwd, columns=columns, colour=True, stdin=False, stderr=stderr_too).close(timeout=60)
    return shown


def test_check_in_a_terminal_is_grouped_by_file_and_service_with_a_summary():
    shown = in_a_terminal(*ARGS)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    lines = plain.splitlines()
    assert "\x1b[" in shown  # in colour
    assert lines[0] == "examples/elm-street-data-teams.yaml  3 errors, 4 warnings"
    assert "  error service 2026-10-27-grade-3-coaching · Follow Up duties open but due (2)" in lines
    assert any(line.strip().endswith("Facilitator 5: Debrief with RESC/SERC Director of Staff Development") for line in lines)
    assert "most errors" in lines and lines[-1] == "3 files checked: 4 errors, 6 warnings in 2 files."
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)


def test_format_text_in_a_terminal_is_the_lines_of_a_pipe():
    piped = run_in_process(*ARGS, "--format", "text", cwd=ROOT).stdout
    shown = in_a_terminal(*ARGS, "--format", "text")
    assert shown == piped
    assert run_in_process(*ARGS, cwd=ROOT).stdout == piped  # not a terminal: the same lines


def many_engagements(folder, count: int = 60):
    from conftest import EXAMPLES

    text = (EXAMPLES / "little-acorns-oec-coaching.yaml").read_text(encoding="utf-8")
    folder.mkdir()
    for number in range(count):
        (folder / f"e{number:03d}.yaml").write_text(text.replace("id: little-acorns", f"id: little-acorns-{number}", 1), encoding="utf-8")
    return folder


def test_a_long_run_shows_progress_on_standard_error_and_quiet_only_the_summary(tmp_path):
    many_engagements(tmp_path / "many")
    shown = in_a_terminal("check", "--today", "2026-11-22", "many", cwd=tmp_path, stderr_too=True)
    assert "checking" in shown and "60/60" in shown
    quiet = in_a_terminal("check", "--today", "2026-11-22", "many", "--quiet", cwd=tmp_path, stderr_too=True)
    assert "checking" not in quiet
    assert re.sub(r"\x1b\[[0-9;]*m", "", quiet).strip().splitlines() == ["60 files checked: no problems."]
    reported = in_a_terminal("report", "--today", "2026-11-22", "many", "--out-dir", "reports", cwd=tmp_path, stderr_too=True)
    assert "rendering" in reported and reported.rstrip().endswith("written, 0 unchanged.")


def test_due_in_an_80_column_terminal_wraps_words_but_never_a_command():
    seen = in_a_terminal("due", "examples", "--today", "2026-11-22", "--facilitator", "")
    commands = [line for line in seen.splitlines() if line.strip().startswith("tacli ")]
    assert commands and all(" --service " in line for line in commands)  # each whole, on one line, to copy
    assert all(len(line) <= 80 for line in seen.splitlines() if not line.strip().startswith("tacli "))
    piped = run_in_process("due", "examples", "--today", "2026-11-22", "--facilitator", "", cwd=ROOT).stdout
    assert any(len(line) > 80 and not line.strip().startswith("tacli ") for line in piped.splitlines())  # a pipe: one line per fact
