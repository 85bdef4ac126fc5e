"""Shell completion: ids read from the standards and from the engagement file
on the command line, and the fixed values of options. A completion never
fails aloud: a file it cannot read offers nothing."""

from __future__ import annotations

import os
import sys

import pytest

from conftest import EXAMPLES, ROOT, run_in_process, tacli_cache

ELM = str(EXAMPLES / "elm-street-data-teams.yaml")


def bash(line: str, cwd=ROOT) -> list[str]:
    """What bash would offer after `line` (a trailing space: a new word). The
    cache of what files hold is the test process's (conftest.tacli_cache)."""
    words = line.split(" ")
    done = run_in_process(cwd=cwd, env={"_TACLI_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)})
    assert done.returncode == 0 and not done.stderr, done.stderr
    return done.stdout.split()


def test_service_ids_come_from_the_file_latest_first():
    assert bash(f"tacli mark {ELM} --service ") == ["2026-11-17-principal-call", "2026-10-27-grade-3-coaching", "2026-09-29-data-teams-launch"]
    assert bash(f"tacli tast {ELM} --service 2026-10") == ["2026-10-27-grade-3-coaching"]


def test_duty_ids_are_those_still_open_in_the_service():
    offered = bash(f"tacli mark {ELM} --service 2026-11-17-principal-call ")
    assert "delivery.facilitator.request-evaluation-forms" in offered
    assert "planning.facilitator.prepare-learning-agenda" not in offered  # done
    assert all(duty.startswith("follow-up.") for duty in bash(f"tacli mark {ELM} --service 2026-11-17-principal-call follow"))
    assert bash(f"tacli mark {ELM} --service 2026-09-29-data-teams-launch ") == []  # every duty recorded


def test_option_values():
    assert bash("tacli check --format ") == ["text", "json", "sarif", "github", "junit"]
    assert bash("tacli due --format i") == ["ics"]
    assert bash("tacli status x.yaml --format ") == ["text", "json"]
    assert bash("tacli standards show ") == ["cali", "csde", "dunst", "fixsen", "guskey", "oec", "osep"]
    assert bash("tacli new engagement --tier t") == ["targeted"]
    assert bash(f"tacli new service {ELM} --mode ") == ["on-site", "virtual", "telephone"]
    assert "site-visit" in bash(f"tacli new service {ELM} --type ")
    assert bash(f"tacli new service {ELM} --topics data-teams,acc") == ["data-teams,accountability"]
    assert bash(f"tacli mark {ELM} --stage ") == ["planning", "delivery", "follow-up"]
    assert bash(f"tacli tast {ELM} --add ") == ["commendations=", "recommendations=", "next_steps="]


def test_the_standards_of_the_project_are_offered(tmp_path):
    (tmp_path / "tacli.toml").write_text('standards = "std"\n')
    (tmp_path / "std").mkdir()
    (tmp_path / "std" / "mine.yaml").write_text("id: mine\ntitle: Mine\n")
    assert bash("tacli standards show ", cwd=tmp_path) == ["mine"]


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_file_that_cannot_be_read_offers_nothing_and_never_hangs(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert bash(f"tacli mark {fifo} --service ") == []
    assert bash(f"tacli mark {tmp_path / 'missing.yaml'} --service ") == []
    (tmp_path / "bad.yaml").write_text("services: [\n")
    assert bash(f"tacli mark {tmp_path / 'bad.yaml'} --service ") == []


def test_zsh_completes_with_descriptions():
    done = run_in_process(env={"_TACLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": f"tacli mark {ELM} --service 2026-11"})
    assert done.returncode == 0 and done.stderr == ""
    assert '"2026-11-17-principal-call":"2026-11-17 Check-in call with the principal"' in done.stdout


def test_the_completion_script_installs_for_bash(monkeypatch):
    """typer finds the shell among the process's ancestors (shellingham): a
    suite run with no shell above it (a detached job, some CI runners) finds
    none, so the shell is given here as bash."""
    import shellingham

    monkeypatch.setattr(shellingham, "detect_shell", lambda *args, **kwargs: ("bash", "/bin/bash"))
    done = run_in_process("--show-completion", "bash")
    assert done.returncode == 0
    assert "_TACLI_COMPLETE=complete_bash" in done.stdout


def test_with_open_the_duties_recorded_are_offered_and_a_home_path_is_read(monkeypatch, tmp_path):
    offered = bash(f"tacli mark {ELM} --open --service 2026-11-17-principal-call plan")
    assert "planning.facilitator.prepare-learning-agenda" in offered  # done: it can be opened again
    import shutil

    shutil.copy(ELM, tmp_path / "elm.yaml")
    words = "tacli mark ~/elm.yaml --service "
    done = run_in_process(env={"HOME": str(tmp_path), "_TACLI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": "4"})
    assert done.stdout.split()[0] == "2026-11-17-principal-call"


def test_a_file_changed_since_the_last_tab_is_read_again(tmp_path):
    import shutil

    engagement = tmp_path / "elm.yaml"
    shutil.copy(ELM, engagement)
    assert "2026-11-17-principal-call" in bash(f"tacli mark {engagement} --service ")
    engagement.write_text(engagement.read_text(encoding="utf-8").replace("2026-11-17-principal-call", "2026-11-17-call-with-the-principal"), encoding="utf-8")
    offered = bash(f"tacli mark {engagement} --service ")
    assert "2026-11-17-call-with-the-principal" in offered and "2026-11-17-principal-call" not in offered
    from tacli.io.cache import Cache

    assert os.environ.get("TACLI_NO_CACHE") or Cache(tacli_cache()).info()["entries"].get("completion")
