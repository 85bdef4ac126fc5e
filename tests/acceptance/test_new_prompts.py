"""In a terminal, `tacli new engagement` asks for what the command line left out."""

import os
import pty
import select
import subprocess
import sys
import time

import pytest

from conftest import MINI_STANDARDS, tacli_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def read_until(fd: int, text: str, timeout: float = 30) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    while text not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no {text!r} in {seen!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 1024).decode("utf-8", "replace")
            except OSError:
                break
            seen += chunk
    return seen


def test_prompts_for_missing_essentials(tmp_path):
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TACLI_TODAY")}
    env.update({"TACLI_STANDARDS": str(MINI_STANDARDS), "NO_COLOR": "1"})
    process = subprocess.Popen(
        tacli_command() + ["new", "engagement", "--frameworks", "mini", "--start", "2026-09-01"],
        stdin=secondary, stdout=secondary, stderr=secondary, cwd=tmp_path, env=env, close_fds=True,
    )
    os.close(secondary)
    try:
        for prompt, answer in (
            ("Title", "Reading at Oak"),
            ("Tier", ""),
            ("Recipient", "Oak School"),
            ("Provider organization", "The Center"),
            ("Facilitator or coach", "Sam Park"),
        ):
            read_until(primary, prompt)
            os.write(primary, answer.encode() + b"\r")
        output = read_until(primary, "next: tacli check")
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(primary)
    assert "wrote engagements/reading-at-oak.yaml" in output
    text = (tmp_path / "engagements" / "reading-at-oak.yaml").read_text()
    assert "tier: basic" in text and "name: Oak School" in text and "name: Sam Park" in text
