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
    assert lines[0] == "examples/elm-street-data-teams.yaml  3 errors, 5 warnings"
    at = lines.index("  error duty-open service 2026-10-27-grade-3-coaching · Follow Up duties open")
    assert lines[at + 1:at + 6] == [
        "    but due (2)",
        "    328:7  Facilitator 5: Debrief with RESC/SERC Director of Staff Development",
        "    334:7  District/School Leadership 3: Review TAST report",
        "    record them, done with a date and evidence or not applicable with a reason,",
        "    in the checklist of:",
    ]
    # the command to copy is one line, padded so that the terminal wraps it between two words
    command = lines[at + 6]
    assert command.split() == ["tacli", "mark", "examples/elm-street-data-teams.yaml", "--service", "2026-10-27-grade-3-coaching"]
    rows = [command[start:start + 80] for start in range(0, len(command), 80)]
    assert all(not row.endswith(tuple("abcdefghijklmnopqrstuvwxyz-")) or row is rows[-1] for row in rows), rows
    assert "most errors" in lines and " ".join(plain.split()).endswith("4 files checked: 4 errors, 7 warnings in 2 files (1 YAML file without `tacli:` skipped).")
    assert all(len(line) <= 80 for line in lines if not line.startswith("      tacli ")), max(lines, key=len)


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


def rows(line: str, width: int = 80) -> list[str]:
    """The rows a terminal `width` columns wide shows a line of ASCII text in."""
    return [line[at:at + width] for at in range(0, len(line), width)] or [""]


def broken_words(text: str, width: int = 80) -> list[str]:
    """The rows of `text` that a terminal of `width` columns ends inside a word."""
    return [row for line in text.splitlines() for row, after in zip(rows(line, width), rows(line, width)[1:]) if row[-1] != " " and after[0] != " "]


@pytest.mark.parametrize("args", [
    ("due", "examples", "--today", "2026-11-22", "--facilitator", ""),
    ("status", "examples/elm-street-data-teams.yaml", "--today", "2026-11-22"),
])
def test_at_80_columns_words_wrap_and_a_command_is_one_line_that_wraps_between_its_words(args):
    seen = in_a_terminal(*args)
    piped = run_in_process(*args, cwd=ROOT).stdout
    commands = [line for line in seen.splitlines() if line.strip().startswith(("tacli mark ", "tacli tast "))]
    whole = [line for line in piped.splitlines() if line.strip().startswith(("tacli mark ", "tacli tast "))]
    assert len(commands) == len(whole) >= 3
    assert [" ".join(line.split()) for line in commands] == [" ".join(line.split()) for line in whole]  # each copied whole, as one line
    assert any(len(line) > 80 for line in commands)  # longer than the terminal: it wraps them itself...
    assert broken_words(seen) == []  # ...between two words, never inside an id; and every other line fits
    assert all(len(line) <= 80 for line in seen.splitlines() if line not in commands)
    assert any(len(line) > 80 and not line.strip().startswith("tacli ") for line in piped.splitlines())  # a pipe: one line per fact
    assert piped == run_in_process(*args, cwd=ROOT, env={"COLUMNS": "80"}).stdout


def test_a_command_longer_than_a_row_wraps_under_its_indent():
    from tacli.core.wrap import command

    line = command("tacli mark 'my school.yaml' --service 2026-10-27-grade-3-coaching follow-up.facilitator.debrief-with-director --done", 60, "      ")
    assert [row.rstrip() for row in rows(line, 60)] == [
        "      tacli mark 'my school.yaml' --service",
        "      2026-10-27-grade-3-coaching",
        "      follow-up.facilitator.debrief-with-director --done",
    ]
    assert line.split() == ["tacli", "mark", "'my", "school.yaml'", "--service", "2026-10-27-grade-3-coaching", "follow-up.facilitator.debrief-with-director", "--done"]
