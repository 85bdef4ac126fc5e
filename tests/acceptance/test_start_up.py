"""What a run starts from: typer builds only the command the command line names
(cli.app.app_for), and that changes nothing a person sees; a run whose files and
configuration are in tacli's cache gives what a run without it gives."""

from __future__ import annotations

import shutil

import pytest
from conftest import EXAMPLE_FILES

import tacli.cli.main
from tacli.cli.app import app, app_for

COMMAND_LINES = [
    ("check", "--today", "2026-11-22", "{example}"),
    ("check", "--today", "2026-11-22", "--format", "json", "{example}"),
    ("check", "--help"),
    ("check", "--format", "nope", "{example}"),
    ("check", "--jobs", "abc", "{example}"),
    ("check", "--no-such-option"),
    ("status", "--today", "2026-11-22", "{example}"),
    ("new",),
    ("new", "--help"),
    ("new", "service", "--help"),
    ("standards", "list"),
    ("cache", "--help"),
    ("chek", "{example}"),
    ("--version",),
    ("--help",),
    (),
    ("--traceback", "check", "--today", "2026-11-22", "{example}"),
]


def test_the_app_for_a_command_declares_that_command_alone():
    light = app_for(["check", "x.yaml"])
    assert [info.callback.__name__ for info in light.registered_commands] == ["check"] and light.registered_groups == []
    assert [info.name for info in app_for(["new", "service"]).registered_groups] == ["new"]
    assert app_for(["new"]).registered_commands == []
    for args in ([], ["--help"], ["--traceback", "check"], ["chek"], ["x.yaml"]):
        assert app_for(args) is app
    assert len(app.registered_commands) > 1  # the app itself is left as it was


@pytest.mark.parametrize("args", COMMAND_LINES, ids=lambda args: " ".join(args) or "nothing")
def test_a_command_line_gives_the_same_with_the_whole_app(run_tacli, tmp_path, monkeypatch, args):
    example = tmp_path / EXAMPLE_FILES[0].name
    shutil.copy(EXAMPLE_FILES[0], example)
    args = [arg.format(example=example) for arg in args]
    light = run_tacli(*args, cwd=tmp_path)
    monkeypatch.setattr(tacli.cli.main, "app_for", lambda args: app)
    whole = run_tacli(*args, cwd=tmp_path)
    assert (light.returncode, light.stdout, light.stderr) == (whole.returncode, whole.stdout, whole.stderr)


BAD_CONFIG = 'engagements = 3\nignore = ["tast-lat"]\ncolour = true\n\n[levels]\nduty-open = "off"\n'


@pytest.mark.parametrize("text", ['ignore = ["duty-evidence"]\n\n[levels]\nduty-open = "warning"\n', BAD_CONFIG], ids=["valid", "invalid"])
def test_a_configuration_gives_the_same_bytes_cold_warm_and_without_the_cache(run_tacli, tmp_path, text):
    """Its findings, or those of a file checked under it, the same in every run:
    a bad tacli.toml is reported at its lines and columns even when it was read before."""
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "tacli.toml").write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLE_FILES[0], project / EXAMPLE_FILES[0].name)
    args = ("check", "--today", "2026-11-22", EXAMPLE_FILES[0].name)
    cache = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": ""}
    runs = [run_tacli(*args, cwd=project, env=cache) for _ in range(2)]
    runs.append(run_tacli(*args, "--no-cache", cwd=project, env=cache))
    assert len({(run.returncode, run.stdout, run.stderr) for run in runs}) == 1
    if text == BAD_CONFIG:
        assert runs[0].returncode == 2 and "tacli.toml:1:15: error config-invalid" in runs[0].stderr
        assert "tacli.toml:2:11" in runs[0].stderr and "tacli.toml:6:13" in runs[0].stderr
    else:
        assert runs[0].returncode == 0 and "warning duty-open" in runs[0].stdout  # its level as the file sets it
        assert "duty-evidence" not in runs[0].stdout and " error " not in runs[0].stdout


WARM_RUN = """
import runpy, sys
sys.argv = ["tacli"] + sys.argv[1:]
try:
    runpy.run_module("tacli", run_name="__main__")
except SystemExit:
    pass
heavy = sorted(name for name in sys.modules if name.split(".")[0] in ("pydantic", "jinja2") or name.startswith(("tacli.checking.checks", "tacli.output.site.", "tacli.output.views")) or name == "tacli.output.site")
print("heavy:", heavy[:3], file=sys.stderr)
"""


@pytest.mark.parametrize("command", [("check",), ("report", "--check", "--out-dir", "reports"), ("site", "--check", "--out-dir", "site")], ids=["check", "report --check", "site --check"])
def test_a_warm_run_over_many_files_imports_neither_the_checks_nor_pydantic(tmp_path, command):
    """Every file's findings kept: the across-file rule and the rules that leave
    a file out of the reports are known without the checks or the models; a
    folder found current before is found so again without the views, the
    templates or the site's rendering."""
    import subprocess
    import sys
    import time

    for example in EXAMPLE_FILES[:2]:
        shutil.copy(example, tmp_path / example.name)
    env = {**__import__("os").environ, "TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": ""}
    args = [sys.executable, "-c", WARM_RUN, *command, "--today", "2026-11-22", "."]
    if command[0] != "check":
        subprocess.run([sys.executable, "-m", "tacli", command[0], "--today", "2026-11-22", *command[2:], "."], cwd=tmp_path, env=env, capture_output=True, timeout=120)
        time.sleep(0.2)  # the files written settle (io.filestat)
    first = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert "heavy: ['" in first.stderr or command[0] != "check"  # the cold check needs them
    warm = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert warm.returncode in (0, 1), warm.stderr
    assert "heavy: []" in warm.stderr, warm.stderr
