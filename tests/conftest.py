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
# The example engagement files: every YAML file of examples/ but the roster of their service area.
EXAMPLE_FILES = sorted(path for path in EXAMPLES.glob("*.yaml") if path.name != "roster.yaml")
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
    checker = checker_for(standards, today)
    return checker.examine(checker.read_document(document)).findings


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


_CACHE_HOME: list[Path] = []  # this test process's cache folder (_cache_of_this_run)


@pytest.fixture(autouse=True, scope="session")
def _cache_of_this_run(tmp_path_factory):
    """tacli run by the tests keeps its cache (tacli.io.cache) in a folder of
    this test process, never in the user's ~/.cache, and two test processes
    running at once (pytest-xdist's workers) never share one: TACLI_CACHE_DIR for
    what the tests call in this process, XDG_CACHE_HOME (where platformdirs puts
    it) for what they run as tacli (_test_environment). TACLI_TEST_NO_CACHE=1
    runs the whole suite with the cache off (TACLI_NO_CACHE)."""
    _CACHE_HOME.append(tmp_path_factory.mktemp("cache"))
    saved = {name: os.environ.get(name) for name in ("TACLI_CACHE_DIR", "TACLI_NO_CACHE")}
    os.environ["TACLI_CACHE_DIR"] = str(tacli_cache())
    if os.environ.get("TACLI_TEST_NO_CACHE"):
        os.environ["TACLI_NO_CACHE"] = "1"
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _CACHE_HOME.clear()


def tacli_cache() -> Path:
    """The folder of tacli's cache for the tests of this process (TACLI_CACHE_DIR, or
    XDG_CACHE_HOME/tacli as platformdirs finds it for tacli run as a command)."""
    return _CACHE_HOME[-1] / "tacli"


def _test_environment(env: dict | None) -> dict:
    # GITHUB_ACTIONS=true would switch `tacli check` to annotations: tests choose the format
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TACLI_") and k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE")}
    environment.update({"NO_COLOR": "1", "COLUMNS": "200"})
    if _CACHE_HOME:
        environment["XDG_CACHE_HOME"] = str(_CACHE_HOME[-1])
        environment["TACLI_CACHE_DIR"] = str(tacli_cache())
    if os.environ.get("TACLI_TEST_NO_CACHE"):
        environment["TACLI_NO_CACHE"] = "1"
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
        environment = _test_environment(env)  # from this process's environment, before it is cleared
        os.environ.clear()
        os.environ.update(environment)
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


def live_processes(parent: int | None = None, session: int | None = None) -> list[int]:
    """The processes (not zombies) whose parent, or whose session, is the one given (Linux's /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and (int(fields[1]) == parent or int(fields[3]) == session):
                found.append(int(entry))
    return found


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
def run_tacli(request):
    """Run tacli's command line in-process; returns a Run (exit code, stdout, stderr).
    Under the `cache_on` mark, with tacli's cache on, also in the suite's pass with
    the cache off (TACLI_TEST_NO_CACHE): for the tests about what the cache does."""
    if request.node.get_closest_marker("cache_on") is None:
        return run_in_process

    def with_cache(*args, env=None, **kwargs):
        return run_in_process(*args, env={"TACLI_NO_CACHE": "0", **(env or {})}, **kwargs)

    return with_cache


def counted_calls(monkeypatch, module, name: str) -> list:
    """Calls of `module.name` in this process, counted (the function still runs)."""
    calls: list = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.fixture
def shipped(run_tacli, tmp_path):
    """tacli with the shipped standards, as of TODAY, in tmp_path."""

    def run(*args, **kwargs):
        return run_tacli(*args, cwd=tmp_path, env={"TACLI_TODAY": TODAY.isoformat(), **kwargs.pop("env", {})}, **kwargs)

    return run


@pytest.fixture(scope="session")
def spec():
    """The shipped standards, loaded once (a module that needs others defines its own `spec`)."""
    from tacli.standards.spec import load_spec, shipped_standards

    return load_spec(shipped_standards())


@pytest.fixture
def elm(tmp_path) -> Path:
    """The example elm-street-data-teams.yaml, copied to tmp_path/elm.yaml."""
    path = tmp_path / "elm.yaml"
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", path)
    return path


@pytest.fixture
def elm_folder(elm) -> Path:
    """The folder that holds `elm` (elm.yaml), for tests that run tacli there."""
    return elm.parent


class Blocked(BaseException):
    """A test waited too long: raised through every `except Exception` on the way."""


@pytest.fixture
def examples_project(tmp_path) -> Path:
    """A folder whose `engagements/` holds a copy of each shipped example."""
    engagements = tmp_path / "engagements"
    engagements.mkdir()
    for source in sorted(EXAMPLES.glob("*.yaml")):
        (engagements / source.name).write_bytes(source.read_bytes())
    return tmp_path


def constructed(monkeypatch, cls) -> list:
    """What each `cls` made from now on was made from (its constructor's one argument)."""
    made, real = [], cls.__init__

    def recorded(self, argument):
        made.append(argument)
        real(self, argument)

    monkeypatch.setattr(cls, "__init__", recorded)
    return made


@pytest.fixture
def forks(monkeypatch) -> list:
    """The works started in a forked process (core.background.Background)."""
    from tacli.core import background

    return constructed(monkeypatch, background.Background)


@pytest.fixture
def child_pids(monkeypatch) -> list:
    """The process ids of the children started (core.background), each once it is forked."""
    from tacli.core import background

    pids = []
    real_start = background.Background._start

    def start(self):
        real_start(self)
        pids.append(self._pid)

    monkeypatch.setattr(background.Background, "_start", start)
    return pids


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


_TERMINALS: list = []  # the conversations of the running test, ended after it (_no_terminal_left_behind)


class Conversation:
    """The installed tacli in a pseudo-terminal, answered at its prompts as a
    person would: `expect` what it asks, `say` the answer, `close` for the exit
    code and the rest of what it wrote. The one place the tests drive a terminal.

    Nothing here waits for ever: every read has a deadline, and a tacli that
    hangs is killed and fails its test with what it had written. An answer is
    written only once its prompt has been read and tacli is reading the line.

    `stdin=False` gives tacli no terminal to read (it gets /dev/null),
    `stderr=False` keeps its standard error out of what is read; `colour=True`
    lets it colour (no NO_COLOR); `columns` is the terminal's width."""

    TIMEOUT = 30.0  # seconds: for a prompt to appear, and for tacli to finish

    def __init__(self, *args: str, cwd, env: dict | None = None, columns: int = 80, colour: bool = False, stdin: bool = True, stderr: bool = True):
        import codecs
        import pty

        self.leader, follower = pty.openpty()
        environment = {k: v for k, v in _test_environment(None).items() if not k.startswith("GITHUB_") and k != "CI"}
        environment.update({"COLUMNS": str(columns), "LINES": "50", "TERM": "xterm-256color"})
        if colour:
            environment.pop("NO_COLOR", None)
        environment.update(env or {})
        try:
            if hasattr(os, "fork"):  # tacli forked from this test process: no interpreter to start, the standards already loaded
                self.process = _ForkedTacli([str(a) for a in args], cwd, environment, follower, stdin, stderr)
            else:
                self.process = subprocess.Popen(
                    tacli_command() + [str(a) for a in args], cwd=cwd, env=environment, close_fds=True,
                    stdin=follower if stdin else subprocess.DEVNULL, stdout=follower, stderr=follower if stderr else subprocess.DEVNULL,
                )
        finally:
            os.close(follower)
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")  # a character may come in two reads
        self._carriage = ""  # a \r read last, that may start a \r\n
        self.seen = ""  # read and not yet expected: \r\n as \n
        self.ended = False  # tacli closed the terminal (it ended)
        self.closed = False
        _TERMINALS.append(self)

    def _read(self, deadline: float) -> bool:
        """Read what tacli wrote next into `seen`, waiting until `deadline` at most;
        False when nothing came by then."""
        import select
        import time

        ready, _, _ = select.select([self.leader], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            return False
        try:
            data = os.read(self.leader, 65536)
        except OSError:  # EIO: every process holding the terminal closed it
            data = b""
        if not data:
            self.ended = True
        text = self._carriage + self._decoder.decode(data, final=not data)
        self._carriage = ""
        if text.endswith("\r") and data:
            text, self._carriage = text[:-1], "\r"
        self.seen += text.replace("\r\n", "\n")
        return True

    def _fail(self, problem: str):
        """Kill tacli and fail the test, showing what it wrote."""
        self.kill()
        raise AssertionError(f"{problem}; tacli wrote: {self.seen[-2000:]!r}")

    def expect(self, text: str, timeout: float | None = None) -> str:
        """Read until `text` appears (within `timeout` seconds); what was read up to
        it and it, since the last expect."""
        import time

        deadline = time.monotonic() + (timeout or self.TIMEOUT)
        while text not in self.seen:
            if self.ended:
                self._fail(f"tacli ended without writing {text!r}")
            if not self._read(deadline):
                self._fail(f"no {text!r} within {timeout or self.TIMEOUT:g} seconds")
        before, _, self.seen = self.seen.partition(text)
        return before + text

    def say(self, answer: str) -> None:
        """Type `answer` and Enter, once tacli reads the line."""
        self.type(answer.encode("utf-8") + b"\r")

    def type(self, keys: bytes) -> None:
        """Send keys once tacli reads the line (readline has switched the terminal out
        of canonical mode). Keys written while the prompt is still being drawn are
        taken by the terminal's line discipline instead: Ctrl+D becomes a NUL byte
        that readline ignores, and tacli waits for ever. Call `expect` first, with the
        prompt's text, so that this waits for this question and not the previous one."""
        self.wait_until_reading()
        os.write(self.leader, keys)

    def wait_until_reading(self, timeout: float | None = None) -> None:
        import termios
        import time

        if not _HAS_READLINE:  # input() reads in canonical mode: keys typed early wait in the terminal
            return
        deadline = time.monotonic() + (timeout or self.TIMEOUT)
        while True:
            if self.process.poll() is not None:
                self._read(time.monotonic() + 1)
                self._fail(f"tacli ended (exit {self.process.returncode}) instead of reading an answer")
            try:
                if not termios.tcgetattr(self.leader)[3] & termios.ICANON:
                    return
            except termios.error:
                self._fail("the terminal was closed instead of reading an answer")
            if time.monotonic() > deadline:
                self._fail(f"tacli did not read an answer within {timeout or self.TIMEOUT:g} seconds")
            time.sleep(0.005)

    def close(self, timeout: float | None = None) -> tuple[int, str]:
        """Read to the end; the exit code, and what tacli wrote since the last expect.
        A tacli still running after `timeout` seconds is killed and fails the test."""
        import time

        deadline = time.monotonic() + (timeout or self.TIMEOUT)
        while not self.ended:
            if not self._read(deadline):
                self._fail(f"tacli did not finish within {timeout or self.TIMEOUT:g} seconds")
        try:
            code = self.process.wait(timeout=max(deadline - time.monotonic(), 1))
        except subprocess.TimeoutExpired:
            self._fail(f"tacli closed its terminal but did not exit within {timeout or self.TIMEOUT:g} seconds")
        self.kill()
        seen, self.seen = self.seen + self._carriage, ""
        return code, seen

    def kill(self) -> None:
        """End tacli if it still runs, and the terminal (again: harmless)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if not self.closed:
            self.closed = True
            os.close(self.leader)


class _ForkedTacli:
    """tacli's command line run in a child of this test process, in the terminal
    `follower` (its session's controlling terminal, so Ctrl+C is a SIGINT as in a
    shell): what a shell runs, less the interpreter's start and the imports
    (the installed command itself is the smoke tests'). Answers Popen's
    poll, wait, kill and returncode."""

    def __init__(self, args: list[str], cwd, environment: dict, follower: int, stdin: bool, stderr: bool):
        import fcntl
        import termios

        self.returncode = None
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid:
            return
        code = 70
        try:
            os.setsid()
            fcntl.ioctl(follower, termios.TIOCSCTTY, 0)
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(follower if stdin else null, 0)
            os.dup2(follower, 1)
            os.dup2(follower if stderr else null, 2)
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(environment)
            # The signals as the installed command starts with them: Python ignores SIGPIPE (a write to a closed pipe is an error).
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGPIPE, signal.SIG_IGN)
            sys.stdin = sys.__stdin__ = open(0, "r", encoding="utf-8", closefd=False)
            sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", closefd=False)
            sys.stderr = sys.__stderr__ = open(2, "w", encoding="utf-8", closefd=False, errors="backslashreplace")
            sys.argv = ["tacli", *args]
            from tacli.cli.main import main

            try:
                main()
                code = 0
            except SystemExit as ended:
                code = ended.code if isinstance(ended.code, int) else (0 if ended.code is None else 1)
        except BaseException:  # noqa: BLE001 - whatever happens, the child must not return into the test
            import traceback

            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)

    def poll(self):
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("tacli", timeout)
            time.sleep(0.005)
        return self.returncode

    def send_signal(self, number: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, number)

    def kill(self) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.wait()


def _readline_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("readline") is not None


_HAS_READLINE = _readline_available()  # tacli's Python is this one (tacli_command)


@pytest.fixture(autouse=True)
def _no_terminal_left_behind():
    """A test that failed half-way through a conversation leaves no tacli running."""
    yield
    while _TERMINALS:
        _TERMINALS.pop().kill()


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
