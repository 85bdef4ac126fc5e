"""Shared helpers: check YAML text in memory, or run the installed `tacli` command."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

try:  # a test dependency: the property-based tests need it, the others do not
    from hypothesis import settings as _hypothesis_settings
except ImportError:  # pragma: no cover
    _hypothesis_settings = None
else:
    # Few examples by default, the same ones on every run, so the suite stays fast
    # and steady; TACLI_HYPOTHESIS_EXAMPLES=2000 for a long run with new examples.
    # No example database: nothing is written into the repository.
    _examples = os.environ.get("TACLI_HYPOTHESIS_EXAMPLES")
    _hypothesis_settings.register_profile(
        "tacli", max_examples=int(_examples or 16), derandomize=not _examples, deadline=None, database=None, print_blob=True,
    )
    _hypothesis_settings.load_profile("tacli")

TESTS = Path(__file__).parent
DATA = TESTS / "data"
MINI_STANDARDS = DATA / "mini-standards"
ROOT = TESTS.parent
EXAMPLES = ROOT / "examples"
TODAY = date(2026, 11, 22)
MINI_ENGAGEMENT = (DATA / "mini-engagement.yaml").read_text(encoding="utf-8")

_checkers: dict = {}


def checker_for(standards: Path | None = None, today: date = TODAY):
    from tacli.checking.checker import Checker
    from tacli.core.paths import shipped_standards
    from tacli.standards.spec import load_spec

    folder = standards or shipped_standards()
    key = (str(folder), today)
    if key not in _checkers:
        _checkers[key] = Checker(load_spec(folder), today)
    return _checkers[key]


def findings_of(text: str, standards: Path | None = MINI_STANDARDS, today: date = TODAY, name: str = "case.yaml"):
    """All findings for a YAML text, checked in memory."""
    from tacli.io.yamlsource import YamlError, load_bytes

    raw = textwrap.dedent(text).encode("utf-8") if isinstance(text, str) else text
    try:
        document = load_bytes(raw, name)
    except YamlError as exc:
        return [exc.finding]
    return checker_for(standards, today).check_document(document)


def hits(text: str, **kwargs) -> list[tuple[str, int, int]]:
    """(rule, line, column) of every finding, in file order."""
    return [(f.rule, f.line, f.column) for f in sorted(findings_of(text, **kwargs), key=lambda f: f.sort_key())]


def rules_of(text: str, **kwargs) -> set[str]:
    return {f.rule for f in findings_of(text, **kwargs)}


def messages(text: str, **kwargs) -> list[str]:
    """The message of every finding, in file order."""
    return [f.message for f in sorted(findings_of(text, **kwargs), key=lambda f: f.sort_key())]


def edited(text: str, old: str, new: str) -> str:
    """`text` with `old`, which must occur exactly once, replaced by `new`."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def with_service_on(text: str, day: str) -> str:
    """The mini engagement's service (in `text`) held on `day`: its planning done the
    day before, its report completed (and its follow-up done) four days after."""
    import re
    from datetime import timedelta

    held = date.fromisoformat(day)
    moved = {"2026-10-01": held, "2026-09-30": held - timedelta(days=1), "2026-10-05": held + timedelta(days=4)}
    service = text.index("  - id: ")
    return text[:service] + re.sub(r"2026-(?:10-01|09-30|10-05)", lambda m: moved[m.group(0)].isoformat(), text[service:])


def variants_of(base: str):
    """A `case(old, new, text=base)` function: the test module's base engagement with one change."""

    def case(old: str, new: str, text: str = base) -> str:
        return edited(text, old, new)

    return case


def tacli_command() -> list[str]:
    """The installed console script, or the module when run from a source tree."""
    found = shutil.which("tacli", path=os.path.dirname(sys.executable)) or shutil.which("tacli")
    return [found] if found else [sys.executable, "-m", "tacli"]


def _test_environment(env: dict | None) -> dict:
    # GITHUB_ACTIONS=true would switch `tacli check` to annotations: tests choose the format
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TACLI_") and k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE")}
    environment.update({"NO_COLOR": "1", "COLUMNS": "200"})
    environment.update(env or {})
    return environment


@dataclass
class Run:
    """What a run of tacli left: its exit code and its two streams, as text."""

    returncode: int
    stdout: str
    stderr: str


class _Buffer(io.BytesIO):
    """A byte stream that outlives the text wrapper around it."""

    def close(self) -> None:
        pass


def _universal(data: bytes) -> str:
    # as subprocess.run(text=True) reads a stream: UTF-8, with \r\n and \r as \n
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def run_in_process(*args, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> Run:
    """Run `tacli.cli.main.main()` in this process, as the installed command would run:
    its own argv, environment, folder and standard streams (never a terminal)."""
    from tacli.cli.main import main

    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    saved_argv, saved_cwd, saved_env = sys.argv, os.getcwd(), dict(os.environ)
    out, err = _Buffer(), _Buffer()
    code = 0
    try:
        os.environ.clear()
        os.environ.update(_test_environment(env))
        if cwd is not None:
            os.chdir(cwd)
        sys.argv = ["tacli", *(str(a) for a in args)]
        sys.stdin = io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8")), encoding="utf-8")
        sys.stdout = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        sys.stderr = io.TextIOWrapper(err, encoding="utf-8", newline="", write_through=True)
        try:
            main()
        except SystemExit as exc:
            if isinstance(exc.code, str):
                sys.stderr.write(exc.code + "\n")
                code = 1
            else:
                code = exc.code or 0
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sys.argv = saved_argv
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return Run(code, _universal(out.getvalue()), _universal(err.getvalue()))


def run_installed(*args, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed `tacli` command in a process of its own (the smoke tests)."""
    return subprocess.run(
        tacli_command() + [str(a) for a in args],
        cwd=cwd, env=_test_environment(env), input=input, capture_output=True, text=True, timeout=120,
    )


def within(seconds: float, function, *args, **kwargs):
    """function(*args, **kwargs), failing the test when it takes much longer than `seconds`.

    Where the system can fork, the call runs in a child process that is killed
    when late (tacli.output.isolation), so that nothing it started can hang the test
    run; elsewhere it runs in a thread that is left behind when late."""
    from tacli.output.isolation import CAN_ISOLATE, Stopped, run_isolated

    if CAN_ISOLATE:
        try:
            return run_isolated(lambda _: function(*args, **kwargs), [None], seconds, None)[0]
        except Stopped as stop:
            pytest.fail(f"did not finish: {stop.reason}")
    import threading

    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(function(*args, **kwargs)), daemon=True)
    thread.start()
    thread.join(seconds)
    if not outcome:
        pytest.fail(f"did not finish in {seconds} seconds")
    return outcome[0]


@pytest.fixture
def engagement(tmp_path) -> Path:
    """The mini engagement, copied to tmp_path/engagements/elm.yaml."""
    path = tmp_path / "engagements" / "elm.yaml"
    path.parent.mkdir()
    shutil.copy(DATA / "mini-engagement.yaml", path)
    return path


@pytest.fixture
def run_tacli():
    """Run tacli's command line in-process; returns a Run (exit code, stdout, stderr)."""
    return run_in_process


class Blocked(BaseException):
    """A test waited too long: raised through every `except Exception` on the way."""


@pytest.fixture
def deadline():
    """Fail a test that blocks for more than 10 seconds (a read that waits for
    ever, on a FIFO) instead of hanging the whole suite."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise Blocked("blocked for more than 10 seconds")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, 10)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Conversation:
    """The installed tacli in a pseudo-terminal, answered at its prompts as a
    person would: `expect` what it asks, `say` the answer, `close` for the exit code."""

    def __init__(self, *args: str, cwd, env: dict | None = None):
        import pty
        import subprocess

        self.leader, follower = pty.openpty()
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("TACLI_", "GITHUB_")) and k != "CI"}
        environment.update({"NO_COLOR": "1", "COLUMNS": "80", "TERM": "xterm-256color", **(env or {})})
        self.process = subprocess.Popen(tacli_command() + list(args), stdin=follower, stdout=follower, stderr=follower, cwd=cwd, env=environment, close_fds=True)
        os.close(follower)
        self.seen = ""

    def expect(self, text: str, timeout: float = 30) -> str:
        """Read until `text` appears; what was read since the last expect."""
        import select
        import time

        deadline = time.monotonic() + timeout
        while text not in self.seen:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self.leader], [], [], max(remaining, 0))
            if not ready:
                self.process.kill()
                raise AssertionError(f"no {text!r} in {self.seen!r}")
            try:
                chunk = os.read(self.leader, 4096).decode("utf-8", "replace")
            except OSError:
                chunk = ""
            if not chunk:
                raise AssertionError(f"tacli ended without {text!r}: {self.seen!r}")
            self.seen += chunk.replace("\r\n", "\n")
        before, _, self.seen = self.seen.partition(text)
        return before + text

    def say(self, answer: str) -> None:
        self.type(answer.encode("utf-8") + b"\r")

    def type(self, keys: bytes) -> None:
        """Send keys once tacli reads the line (readline has switched the terminal
        out of canonical mode): keys written while the prompt is still being drawn
        could be taken by the terminal's line discipline, Ctrl+D above all."""
        self.wait_until_reading()
        os.write(self.leader, keys)

    def wait_until_reading(self, timeout: float = 10) -> None:
        import termios
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if not termios.tcgetattr(self.leader)[3] & termios.ICANON:
                    return
            except termios.error:
                return
            time.sleep(0.01)

    def close(self, timeout: float = 30) -> tuple[int, str]:
        """The exit code, and the rest of what tacli wrote."""
        import select
        import time

        rest = []
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self.leader], [], [], max(remaining, 0))
            if not ready:  # never wait for ever: a hung tacli fails the test
                self.process.kill()
                break
            try:
                chunk = os.read(self.leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            rest.append(chunk.decode("utf-8", "replace"))
        code = self.process.wait(timeout=timeout)
        os.close(self.leader)
        return code, self.seen + "".join(rest).replace("\r\n", "\n")


@pytest.fixture(scope="session")
def mermaid_parse():
    """A function that parses every Mermaid diagram of some Markdown files with
    Mermaid itself (tests/mermaid/check.mjs) and fails on any it refuses; the
    test is skipped when node or the Mermaid package is missing."""
    check = TESTS / "mermaid"
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: install Node.js, then npm install --prefix tests/mermaid")
    if not (check / "node_modules" / "mermaid").is_dir():
        pytest.skip("Mermaid is not installed for the tests: npm install --prefix tests/mermaid")

    def parse(files: list[Path]) -> None:
        result = subprocess.run([node, str(check / "check.mjs"), *map(str, files)], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0 and " 0 failed" in result.stdout, result.stdout + result.stderr

    return parse
