"""Worker processes do not outlive a parent killed outright (SIGKILL): they
would wait forever for work, holding the output open (checking.checker._die_with_parent)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import EXAMPLE_FILES, live_processes

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")


def test_workers_stop_when_their_parent_is_killed(tmp_path):
    folder = tmp_path / "engagements"
    folder.mkdir()
    for number in range(400):
        shutil.copy(EXAMPLE_FILES[number % len(EXAMPLE_FILES)], folder / f"{number:03d}.yaml")
    script = "import os, sys; os.cpu_count = lambda: 2; from tacli.cli.main import main; sys.argv = ['tacli', 'check', '-q', sys.argv[1]]; main()"
    env = {**os.environ, "TACLI_NO_CACHE": "1"}
    parent = subprocess.Popen([sys.executable, "-c", script, str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
        workers = live_processes(parent=parent.pid)
        time.sleep(0.02)
    if parent.poll() is not None:
        pytest.skip("the check ended before its workers were seen")
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    alive = workers
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if os.path.exists(f"/proc/{pid}") and _state(pid) != "Z"]
        time.sleep(0.05)
    for pid in alive:  # left behind: not by the next test
        os.kill(pid, signal.SIGKILL)
    assert workers and alive == []


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
