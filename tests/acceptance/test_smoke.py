"""The installed `tacli` command, in a process of its own: the few runs that
prove the console script works outside pytest (its entry point, its imports,
its streams, the standards and templates it ships found where it is
installed). Everything else runs the same command line in-process
(conftest.run_in_process), and the terminal's tests run it in a
pseudo-terminal (conftest.Conversation)."""

from __future__ import annotations

import re
import time

import pytest

from conftest import EXAMPLES, ROOT, run_installed

import tacli

TODAY = ("--today", "2026-11-22")


def registered_commands() -> list[str]:
    """Every command of tacli's typer app, as click sees it: the commands and the
    groups of commands (new, standards), hidden ones too."""
    import click
    import typer

    from tacli.cli.app import app

    group = typer.main.get_command(app)
    return sorted(group.list_commands(click.Context(group)))


def help_commands(text: str) -> list[str]:
    """The names in the command table(s) of `tacli --help`: the first word of each
    row of a box other than Options (typer draws them with rich: `│ name  help`)."""
    names, box = [], None
    for line in text.splitlines():
        title = re.match(r"\s*╭─ (.+?) ─", line)
        if title:
            box = title.group(1)
            continue
        row = re.match(r"\s*│ (\S+)  ", line)
        if row and box != "Options":
            names.append(row.group(1))
    return names


def test_the_entry_point_and_its_version():
    version = run_installed("--version")
    assert (version.returncode, version.stdout, version.stderr) == (0, f"tacli {tacli.__version__}\n", "")


def test_help_lists_every_command_of_the_app_and_no_other():
    helped = run_installed("--help")
    assert helped.returncode == 0 and helped.stderr == "", helped.stderr
    listed = help_commands(helped.stdout)
    assert {"export", "site"} <= set(listed), helped.stdout
    assert sorted(listed) == registered_commands(), helped.stdout  # each once: none missing, none hidden, none extra


def test_check_the_examples_with_the_shipped_standards():
    done = run_installed("check", *TODAY, "examples", cwd=ROOT)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[-1].startswith("4 files checked: ")
    assert "Traceback" not in done.stderr


def test_one_report_with_the_shipped_templates():
    done = run_installed("report", *TODAY, "--kind", "plan", str(EXAMPLES / "little-acorns-oec-coaching.yaml"))
    assert done.returncode == 0, done.stderr
    from tacli.write.output_files import MARKER

    assert done.stdout.startswith("# ") and done.stdout.endswith("\n" + MARKER + "\n")


def _started_server(*args: str):
    """The installed `tacli serve` on a free port, and the address it printed."""
    import subprocess

    from conftest import _test_environment, tacli_command

    process = subprocess.Popen(tacli_command() + ["serve", *args, "--port", "0", *TODAY, "--no-browser"], cwd=ROOT, env=_test_environment(None),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    while True:
        line = process.stdout.readline()
        if not line:
            process.wait(timeout=30)
            raise AssertionError(f"tacli serve printed no address: {''.join(lines)} {process.stderr.read()}")
        lines.append(line)
        found = re.search(r"http://\S+", line)
        if found:
            return process, found.group(0)


def _opened(address: str):
    """The first page, opened with the key as a browser does (the cookie kept, the key gone from the address)."""
    import http.cookiejar
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(address, timeout=30) as response:
        return opener, response.status, response.url, response.read().decode("utf-8")


def test_serve_opens_its_first_page_with_the_key_and_stops_cleanly_on_sigterm_and_ctrl_c():
    import signal
    import threading
    import urllib.error
    import urllib.request

    for stop in (signal.SIGTERM, signal.SIGINT):
        process, address = _started_server("examples")
        try:
            opener, status, url, page = _opened(address)
            assert status == 200 and "token" not in url and "<h1>This week</h1>" in page
            with pytest.raises(urllib.error.HTTPError) as refused:  # without the key
                urllib.request.urlopen(address.split("?")[0], timeout=30)
            assert refused.value.code == 403
            version = re.search(r"since=(\d+)", page).group(1)
            waiting = threading.Thread(target=lambda: opener.open(address.split("?")[0] + f"changes?since={version}&live=view", timeout=60).read(), daemon=True)
            waiting.start()  # a page's long poll, open while the server stops
            time.sleep(0.3)
            started = time.monotonic()
            process.send_signal(stop)
            code = process.wait(timeout=30)
            out, err = process.stdout.read(), process.stderr.read()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
            process.stderr.close()
        assert (code, "Traceback" in out + err) == (0, False), err
        assert err.strip().endswith("tacli serve: stopped"), err
        assert time.monotonic() - started < 10
