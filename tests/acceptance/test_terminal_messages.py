"""What a command says at an 80-column terminal: every message folded at spaces,
never inside a word (an id, a path), commands to copy whole; and the same
message piped, one line a message, as programs read it. `--help` shows no
type after a flag, which takes no value."""

from __future__ import annotations

import shutil
import sys

import pytest

from conftest import EXAMPLES, Conversation, run_in_process

FILE = "engagements/elm-street-elementary-data-teams.yaml"
TODAY = ("--today", "2026-11-22")
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def _folder(root, name):
    folder = root / name
    (folder / "engagements").mkdir(parents=True)
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", folder / FILE)
    return folder


def rows(output: str, columns: int = 80) -> list[str]:
    """What an 80-column terminal shows of `output`: a longer line on as many
    rows as it takes, each row of 80 characters (the examples are ASCII)."""
    shown = []
    for line in output.split("\n"):
        shown += [line[at : at + columns] for at in range(0, max(len(line), 1), columns)]
    return shown


def words_whole(terminal: str, piped: str) -> None:
    """The terminal's output shows the piped output's words, none broken: each
    word on the terminal's rows is a word of the piped text, and the piped text
    is one line a message where the terminal folded it."""
    known = set(piped.split())
    broken = [word for row in rows(terminal) for word in row.split() if word not in known]
    assert not broken, broken
    assert terminal.split() == piped.split()  # the same words, in the same order


def at_terminal(*args: str, cwd, stdin: bool = True) -> tuple[int, str]:
    talk = Conversation(*args, cwd=cwd, stdin=stdin)
    return talk.close()


@pytest.mark.parametrize("command", [
    ("init",),
    ("new", "service", FILE, *TODAY, "--date", "2026-12-03", "--title", "site visit", "--type", "professional-development",
     "--mode", "virtual", "--hours", "2", "--topics", ""),
    ("tast", FILE, "--service", "2026-11-17-principal-call", "--next-step", "Share the item analysis with the grade 3 team", *TODAY),
    ("new", "outcome", FILE, *TODAY, "--level", "2", "--observed", "Exit slips showed most teachers could name a data cycle's steps"),
    ("mark", FILE, "--service", "2026-11-17-principal-cal", "--stage", "delivery", "--done", *TODAY),
    ("tast", FILE, "--service", "2026-11-17-principal-call", "--review", "Nobody Known", "--approve", *TODAY),
], ids=["init", "new-service", "tast", "new-outcome", "error", "error-2"])
@POSIX_ONLY
def test_messages_fold_at_spaces_at_an_80_column_terminal(tmp_path, command):
    terminal_folder, piped_folder = _folder(tmp_path, "terminal"), _folder(tmp_path, "piped")
    code, said = at_terminal(*command, cwd=terminal_folder)
    piped = run_in_process(*command, cwd=piped_folder)
    assert code == piped.returncode, said
    long_lines = [line for line in said.split("\n") if len(line) > 80]
    for line in long_lines:  # only a command to copy is longer: one line, its words padded to the rows' ends
        assert line.lstrip().startswith("tacli "), line
        assert all(line[at - 1] == " " or line[at] == " " for at in range(80, len(line), 80)), line
    words_whole(said, piped.stdout + piped.stderr)


@POSIX_ONLY
def test_a_command_to_copy_stays_one_line_and_wraps_between_words(tmp_path):
    folder = _folder(tmp_path, "terminal")
    code, said = at_terminal("new", "service", FILE, *TODAY, "--date", "2026-12-03", "--title", "site visit", "--type", "professional-development",
                             "--mode", "virtual", "--hours", "2", "--topics", "", cwd=folder)
    assert code == 0, said
    suggested = next(line for line in said.split("\n") if line.lstrip().startswith("tacli mark"))
    assert suggested.split() == ["tacli", "mark", FILE, "--service", "2026-12-03-site-visit"]
    assert [row.strip() for row in rows(suggested)] == [f"tacli mark {FILE} --service", "2026-12-03-site-visit"]  # the id whole, on the next row
    assert rows(suggested)[1].startswith("  2026")  # under the command's indent
    assert f"added service 2026-12-03-site-visit to\n  {FILE}" in said


def test_piped_and_written_messages_keep_one_line_a_message(tmp_path):
    folder = _folder(tmp_path, "piped")
    added = run_in_process("new", "service", FILE, *TODAY, "--date", "2026-12-03", "--title", "site visit", "--type", "professional-development",
                           "--mode", "virtual", "--hours", "2", "--topics", "", cwd=folder)
    assert added.stdout.splitlines()[0] == f"added service 2026-12-03-site-visit to {FILE}"
    wrong = run_in_process("mark", FILE, "--service", "2026-11-17-principal-cal", "--done", *TODAY, cwd=folder, env={"COLUMNS": "40"})
    assert wrong.returncode == 2
    assert len(wrong.stderr.splitlines()) == 1 and wrong.stderr.startswith("tacli: error: ")


def test_fold_keeps_what_a_terminal_was_given_and_folds_the_rest():
    from tacli.core.wrap import command, fold

    sentence = "tacli: error: no service with id '2026-11-17-principal-cal': did you mean '2026-11-17-principal-call'?"
    assert fold(sentence, None) == sentence
    assert fold(sentence, 80) == "tacli: error: no service with id '2026-11-17-principal-cal': did you mean\n  '2026-11-17-principal-call'?"
    laid_out = "  " + "tacli mark engagements/a-long-file-name-for-a-school.yaml --service 2026-12-03-site-visit --done"
    padded = command(laid_out.strip(), 80, "  ")
    assert fold(padded, 80) == padded  # already fitted by `command`: as it is
    assert fold(laid_out, 80) == padded
    columns = "wrote engagement.schema.json       for editors: completion and checks as you type"
    assert fold(columns, 80) == "wrote engagement.schema.json       for editors: completion and checks as you\n" + " " * 35 + "type"
    quoted = "x" * 50 + " the settings are shown (tacli config --json shows them) here"
    assert any("(tacli config --json shows them)" in line for line in fold(quoted, 60).split("\n"))
    coloured = "\x1b[1m" + "word " * 30 + "\x1b[0m"
    assert fold(coloured, 80) == coloured  # laid out by what coloured it


def test_help_shows_no_type_after_a_flag(run_tacli):
    top = run_tacli("--help")
    assert top.returncode == 0
    assert "<bool>" not in top.stdout and "--version" in top.stdout
    check = run_tacli("check", "--help")
    assert "<bool>" not in check.stdout and "--quiet" in check.stdout
    assert "<int" in check.stdout  # --jobs takes a number, and says so
    assert "YYYY-MM-DD" in check.stdout  # --today's metavar
    assert "<list[str]>" in check.stdout  # the paths


@pytest.mark.parametrize("command", [("new", "service"), ("tast",), ("check",), ("report",)])
def test_help_examples_are_each_one_line_a_copy_runs_whole(run_tacli, command):
    """Each example of a command's help is printed as one line at 80 columns,
    for the terminal to fold: the help's wrapping never cuts a command in two."""
    from tacli.cli.app import app_for

    shown = run_tacli(*command, "--help", env={"COLUMNS": "80"})
    assert shown.returncode == 0
    lines = shown.stdout.splitlines()
    examples = lines[lines.index(" Examples:") + 1:]
    assert examples and all(line.startswith(" tacli ") for line in examples if line.strip())
    import typer

    click_command = typer.main.get_command(app_for(list(command)))
    for name in command:
        click_command = click_command.commands[name]
    expected = [line.strip() for line in click_command.epilog.split("\n\n")[1:]]
    assert [line.strip() for line in examples if line.strip()] == expected
    assert any(len(line) > 80 for line in expected) or command != ("new", "service")
