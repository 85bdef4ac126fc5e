"""Ctrl+C while worker processes check the files stops tacli at once, leaving
no process behind: the workers leave Ctrl+C to their parent
(checking.checker._leave_ctrl_c_to_the_parent), which kills them. A worker
that took Ctrl+C itself could stop while it held the pool's queue, and the
pool would wait for it for ever."""

from __future__ import annotations

import os
import shutil
import signal
import time

import pytest
from conftest import EXAMPLE_FILES, Conversation, live_processes

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not os.path.isdir("/proc"), reason="forked workers, /proc")


def _copies(folder, count: int):
    folder.mkdir(parents=True)
    for number in range(count):
        shutil.copy(EXAMPLE_FILES[number % len(EXAMPLE_FILES)], folder / f"{number:03d}.yaml")
    return folder


@pytest.mark.parametrize(("after", "how"), [(0.4, "key"), (0.9, "key"), (0.6, "signal")])
def test_ctrl_c_during_a_site_s_check_stops_it_and_its_workers(tmp_path, after, how):
    """Ctrl+C pressed (every process of the terminal's group gets it), or SIGINT
    sent to tacli alone (`timeout -s INT`, a CI runner)."""
    folder = _copies(tmp_path / "engagements", 150)
    talk = Conversation("site", str(folder), "--today", "2026-11-22", "-q", "--out-dir", str(tmp_path / "site"), cwd=tmp_path,
                        env={"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"})
    session = talk.process.pid  # its own session: its workers are in it
    time.sleep(after)
    if how == "key":
        os.write(talk.leader, b"\x03")
    else:
        os.kill(talk.process.pid, signal.SIGINT)
    code, _ = talk.close(timeout=15)
    assert code in (130, 0, 1)  # interrupted; or done before the key came
    deadline = time.monotonic() + 5
    while live_processes(session=session) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live_processes(session=session) == []
