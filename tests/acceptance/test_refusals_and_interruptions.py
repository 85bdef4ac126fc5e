"""Refused, never passed over: something in a templates folder that is not a
file, and a templates "folder" that is a file. Interrupted, never silent:
Ctrl+C during a long run says what was written."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import pytest

from conftest import EXAMPLES, Conversation, run_in_process

ELM = "elm.yaml"
TODAY = ("--today", "2026-11-22")
SERVICE = "2026-09-29-data-teams-launch"
MAIN_THREAD_ONLY = pytest.mark.skipif(threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGINT"), reason="signals reach the main thread")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_template_is_refused_with_its_name(elm_folder, deadline):
    (elm_folder / "templates").mkdir()
    os.mkfifo(elm_folder / "templates" / "tast.md.j2")
    done = run_in_process("report", ELM, "--kind", "tast", "--service", SERVICE, "--templates", "templates", *TODAY, cwd=elm_folder)
    assert done.returncode == 2, done.stdout
    assert "templates/tast.md.j2 is a FIFO (named pipe), not a file: a template must be a regular file" in done.stderr
    assert done.stdout == ""  # never the shipped template in its place


def test_a_folder_named_like_a_template_is_refused(elm_folder):
    (elm_folder / "templates" / "tast.md.j2").mkdir(parents=True)
    done = run_in_process("report", ELM, "--kind", "tast", "--service", SERVICE, "--templates", "templates", *TODAY, cwd=elm_folder)
    assert done.returncode == 2 and "templates/tast.md.j2 is a folder, not a file" in done.stderr


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_broken_link_named_like_a_template_is_refused(elm_folder):
    (elm_folder / "templates").mkdir()
    (elm_folder / "templates" / "tast.md.j2").symlink_to("gone.md.j2")
    done = run_in_process("report", ELM, "--kind", "tast", "--service", SERVICE, "--templates", "templates", *TODAY, cwd=elm_folder)
    assert done.returncode == 2 and "templates/tast.md.j2 is a symbolic link to gone.md.j2, which does not exist, not a file" in done.stderr


def test_templates_given_a_file_says_it_is_a_file(elm_folder):
    done = run_in_process("report", ELM, "--kind", "tast", "--service", SERVICE, "--templates", ELM, *TODAY, cwd=elm_folder)
    assert done.returncode == 2
    assert done.stderr == f"tacli: error: --templates {ELM} is a file: give the folder that holds the templates (tacli report --templates DIR)\n"
    missing = run_in_process("report", ELM, "--kind", "tast", "--service", SERVICE, "--templates", "nowhere", *TODAY, cwd=elm_folder)
    assert missing.stderr == "tacli: error: --templates nowhere: no such folder\n"


def test_ctrl_c_before_anything_is_written_says_so(elm_folder, monkeypatch):
    import tacli.commands.site

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(tacli.commands.site, "run", interrupted)
    done = run_in_process("site", ELM, "--out-dir", "site", *TODAY, cwd=elm_folder)
    assert done.returncode == 130
    assert done.stderr == "\ntacli: interrupted: nothing was written\n"


def test_ctrl_c_after_the_files_are_written_names_them(elm_folder, monkeypatch):
    import tacli.commands.site

    def interrupted(lines):
        raise KeyboardInterrupt  # once the site is written, while its summary is made

    monkeypatch.setattr(tacli.commands.site, "_lines", interrupted)
    done = run_in_process("site", ELM, "--out-dir", "site", *TODAY, cwd=elm_folder)
    assert done.returncode == 130
    written = sorted(path for path in (elm_folder / "site").rglob("*") if path.is_file())
    assert done.stderr.startswith(f"\ntacli: interrupted after writing {len(written)} files, each in full (")
    assert done.stderr.endswith(f" and {len(written) - 2} more): run the command again to make sure all are current\n")
    monkeypatch.undo()
    again = run_in_process("site", ELM, "--out-dir", "site", "--check", *TODAY, cwd=elm_folder)
    assert again.returncode == 0, again.stdout  # the set is whole


@MAIN_THREAD_ONLY
def test_a_set_of_files_is_put_in_place_whole_then_the_interruption_takes_effect():
    """Python's own handler is put in place for the test: a test process started
    with SIGINT ignored (in the background of a shell without job control, under
    nohup) inherits SIG_IGN, and Ctrl+C then does nothing, as below."""
    from tacli.core.interrupt import held_back

    done = []
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            with held_back():
                os.kill(os.getpid(), signal.SIGINT)
                done.append("the rest of the set")
        assert done == ["the rest of the set"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


@MAIN_THREAD_ONLY
def test_a_process_that_ignores_ctrl_c_still_ignores_it_after_a_set_of_files():
    from tacli.core.interrupt import held_back

    done = []
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with held_back():
            os.kill(os.getpid(), signal.SIGINT)
            done.append("the rest of the set")
        assert done == ["the rest of the set"]
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_ctrl_c_under_the_progress_bar_says_nothing_was_written(tmp_path):
    folder = tmp_path / "engagements"
    folder.mkdir()
    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text()
    for number in range(150):  # enough for the progress bar, and for a run that lasts
        (folder / f"e{number}.yaml").write_text(text.replace("id: elm-street-data-teams", f"id: elm-{number}"))
    talk = Conversation("site", "engagements", "--out-dir", "site", *TODAY, cwd=tmp_path)
    talk.expect("reading")  # the bar is drawn
    talk.process.send_signal(signal.SIGINT)  # Ctrl+C (the terminal is not tacli's controlling one: the signal itself)
    code, output = talk.close()
    assert code == 130, output
    assert "tacli: interrupted: nothing was written" in output
    assert not (tmp_path / "site").exists()


@pytest.fixture
def ctrl_c_caught_on_the_way(monkeypatch):
    """Ctrl+C pressed while the first file is validated, and caught there, as
    pydantic-core catches one raised while it matches a field's pattern (it
    became "should match pattern '<unprintable str object>'", and the run went
    on). `then` is what the validation does next: by default its real work.
    Python's own handler is in place for the test (the process may have been
    started with Ctrl+C ignored)."""
    import tacli.reading.validation as validation

    real, caught = validation.validate, []
    then = {"work": real}

    def validate(document, models):
        if not caught:
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(5)  # the handler raises within it
            except KeyboardInterrupt:
                caught.append(document.path)
        return then["work"](document, models)

    monkeypatch.setattr(validation, "validate", validate)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield then
    signal.signal(signal.SIGINT, previous)
    assert caught, "the validation met no Ctrl+C"


@MAIN_THREAD_ONLY
def test_ctrl_c_that_something_caught_still_stops_the_site_before_a_page_is_written(examples_project, ctrl_c_caught_on_the_way, tmp_path):
    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache")}
    done = run_in_process("site", "engagements", "--out-dir", "site", *TODAY, cwd=examples_project, env=env)
    assert (done.returncode, done.stderr) == (130, "\ntacli: interrupted: nothing was written\n"), done.stdout
    assert not (examples_project / "site").exists()  # nor a staged page left behind


@MAIN_THREAD_ONLY
def test_ctrl_c_that_something_caught_still_stops_a_check_and_the_cache_keeps_nothing_of_it(examples_project, ctrl_c_caught_on_the_way, tmp_path):
    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"}
    done = run_in_process("check", "engagements", *TODAY, cwd=examples_project, env=env)
    assert (done.returncode, done.stderr.splitlines()[-1]) == (130, "tacli: interrupted: nothing was written"), done.stdout
    assert "empty" in run_in_process("cache", "info", env=env).stdout  # what was worked out after Ctrl+C may hold what a library made of it


@MAIN_THREAD_ONLY
def test_an_error_that_ctrl_c_became_is_reported_as_the_interruption(examples_project, ctrl_c_caught_on_the_way, tmp_path):
    from tacli.core.outcome import UsageError

    def became_an_error(document, models):
        raise UsageError("the standards in standards cannot be used (3 problems)")

    ctrl_c_caught_on_the_way["work"] = became_an_error
    done = run_in_process("check", "engagements", *TODAY, cwd=examples_project, env={"TACLI_CACHE_DIR": str(tmp_path / "cache")})
    assert (done.returncode, done.stderr) == (130, "\ntacli: interrupted: nothing was written\n")


@MAIN_THREAD_ONLY
def test_ctrl_c_while_an_error_is_reported_says_it_was_interrupted(monkeypatch, tmp_path):
    """A press while tacli prints an error (here: a file that is not there) ends the run as an interruption, never in a traceback."""
    import tacli.cli.terminal as terminal

    real_error, pressed = terminal.error, []

    def error(text):
        if not pressed:
            pressed.append(text)
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)  # the handler raises within it
        real_error(text)

    monkeypatch.setattr(terminal, "error", error)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        done = run_in_process("check", tmp_path / "not-there.yaml")
    except KeyboardInterrupt:
        pytest.fail("Ctrl+C escaped tacli")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert (done.returncode, done.stderr) == (130, "\ntacli: interrupted: nothing was written\n")


@MAIN_THREAD_ONLY
def test_a_further_ctrl_c_while_tacli_says_it_was_interrupted_changes_nothing(monkeypatch, elm_folder):
    import tacli.cli.main
    import tacli.commands.site

    real_interrupted = tacli.cli.main.interrupted

    def interrupted():
        os.kill(os.getpid(), signal.SIGINT)  # pressed again, as the message is made
        time.sleep(0.05)
        return real_interrupted()

    def first_press(lines):
        raise KeyboardInterrupt

    monkeypatch.setattr(tacli.cli.main, "interrupted", interrupted)
    monkeypatch.setattr(tacli.commands.site, "_lines", first_press)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        done = run_in_process("site", ELM, "--out-dir", "site", *TODAY, cwd=elm_folder)
    except KeyboardInterrupt:
        pytest.fail("Ctrl+C escaped tacli")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert done.returncode == 130 and done.stderr.count("tacli: interrupted") == 1, done.stderr
