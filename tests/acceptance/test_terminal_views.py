"""What a person sees in a real terminal (a pseudo-terminal, as a terminal
emulator gives tacli): the grouped view of `check`, and the plain lines of
`--format text`, byte for byte those of a pipe."""

from __future__ import annotations

import os
import re
import sys

import pytest
from conftest import ROOT, run_installed, tacli_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

ARGS = ("check", "--today", "2026-11-22", "examples")


def in_a_terminal(*args: str, columns: int = 80) -> str:
    """Run the installed tacli with a pseudo-terminal as its standard output; what it wrote."""
    import pty
    import subprocess

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TACLI_", "GITHUB_"))}
    env.update({"COLUMNS": str(columns), "LINES": "50", "TERM": "xterm-256color"})
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(tacli_command() + list(args), stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


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
    piped = run_installed(*ARGS, "--format", "text", cwd=ROOT).stdout
    shown = in_a_terminal(*ARGS, "--format", "text")
    assert shown == piped
    assert run_installed(*ARGS, cwd=ROOT).stdout == piped  # not a terminal: the same lines
