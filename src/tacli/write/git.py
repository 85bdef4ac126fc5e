"""Saves that become git commits, and a file's history, with the real `git`.

`tacli serve --commit` (or `commit = true` in tacli.toml) commits each file it
saves, alone, with a message that says what was recorded. Nothing is pushed
or pulled: that stays the user's. The commit runs none of the repository's
hooks (`--no-verify`, and `core.hooksPath` an empty folder, for the hooks
`--no-verify` leaves on): a save is checked before it is written (tacli
refuses one that would make the file invalid), and a week's work in progress
is seldom free of open duties, which a `tacli check` hook would refuse; CI
still checks every push. A commit that fails, or does not finish in time,
leaves nothing staged that was not; one that was made all the same counts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

TIMEOUT = 30  # seconds for one git command
_ONE_AT_A_TIME = threading.Lock()  # git's index lock: two commits of this process never race for it


class GitError(Exception):
    """git could not do it; the message says why, in one line."""


@dataclass(frozen=True)
class Commit:
    id: str
    date: str  # YYYY-MM-DD HH:MM
    author: str
    subject: str


def git_program() -> Optional[str]:
    return shutil.which("git")


def _run(folder: Path, *args: str, check: bool = True, settings: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    program = git_program()
    if program is None:
        raise GitError("git is not installed: install it (https://git-scm.com) to keep the files' history")
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run([program, "-c", "core.quotepath=off", *(part for setting in settings for part in ("-c", setting)), *args], cwd=folder, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=TIMEOUT, env=environment, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} did not finish within {TIMEOUT} seconds") from None
    except OSError as exc:
        raise GitError(f"git could not run: {exc.strerror or exc}") from None
    if check and done.returncode != 0:
        message = " ".join((done.stderr or done.stdout).split()) or f"exit {done.returncode}"
        if "tell me who you are" in message.lower() or "user.email" in message:
            message = "git does not know who you are: run git config --global user.name \"Your Name\" and git config --global user.email you@example.org once"
        raise GitError(message[:400])
    return done


def repository_of(path: Path) -> Optional[Path]:
    """The top folder of the git repository that holds `path`, or None."""
    if git_program() is None:
        return None
    try:
        done = _run(Path(path).resolve().parent, "rev-parse", "--show-toplevel", check=False)
    except GitError:
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def commit_file(path: Path, message: str) -> str:
    """Commit `path` alone (whatever else is changed or staged stays as it is),
    with `message`; the new commit's short id. GitError when it cannot."""
    path = Path(path).resolve()
    top = repository_of(path)
    if top is None:
        raise GitError(f"{path.name} is not in a git repository: nothing was committed (git init makes one)")
    relative = path.relative_to(top.resolve()).as_posix()
    with _ONE_AT_A_TIME:
        head = _head(top)
        staged = _run(top, "diff", "--cached", "--quiet", "--", relative, check=False).returncode != 0  # the user's own staging, kept
        entry = _run(top, "ls-files", "-s", "--", relative, check=False).stdout.split("\t")[0].split() if staged else []  # mode, blob, stage
        try:
            _run(top, "add", "--", relative)
            with tempfile.TemporaryDirectory(prefix="tacli-no-hooks-") as no_hooks:  # no hook at all runs (--no-verify skips two of them)
                _run(top, "commit", "--no-verify", "--quiet", "-m", message, "--only", "--", relative, settings=(f"core.hooksPath={no_hooks}",))
        except GitError:
            now = _head(top)
            if now is not None and now != head and _run(top, "log", "-1", "--format=%B", check=False).stdout.strip() == message.strip():
                return _run(top, "rev-parse", "--short", "HEAD").stdout.strip()  # it was made, only late to say so
            if len(entry) == 3:  # the version the user had staged, staged again
                _run(top, "update-index", "--cacheinfo", f"{entry[0]},{entry[1]},{relative}", check=False)
            elif not staged:  # the file as it was in the index: nothing half done left staged
                _run(top, *(("reset", "-q") if head is not None else ("rm", "--cached", "-q")), "--", relative, check=False)
            raise
        return _run(top, "rev-parse", "--short", "HEAD").stdout.strip()


def _head(top: Path) -> Optional[str]:
    """The commit HEAD names, or None in a repository without one yet."""
    done = _run(top, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    return done.stdout.strip() or None if done.returncode == 0 else None


def history(path: Path, count: int = 10) -> list[Commit]:
    """The last `count` commits that changed `path`, newest first."""
    path = Path(path).resolve()
    top = repository_of(path)
    if top is None:
        return []
    done = _run(top, "log", f"-n{count}", "--format=%h%x1f%ad%x1f%an%x1f%s", "--date=format:%Y-%m-%d %H:%M", "--", path.relative_to(top.resolve()).as_posix(), check=False)
    commits = []
    for line in done.stdout.splitlines():
        parts = line.split("\x1f")
        if len(parts) == 4:
            commits.append(Commit(*parts))
    return commits


def uncommitted(path: Path) -> Optional[str]:
    """What changed in `path` since its last commit, as a unified diff; "" when
    nothing did; None when it is not in a repository. A file git does not track
    yet is all new: its diff against nothing."""
    path = Path(path).resolve()
    top = repository_of(path)
    if top is None:
        return None
    relative = path.relative_to(top.resolve()).as_posix()
    tracked = _run(top, "ls-files", "--error-unmatch", "--", relative, check=False).returncode == 0
    if not tracked:
        return _run(top, "diff", "--no-index", "--no-color", "--", os.devnull, relative, check=False).stdout
    head = _run(top, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0
    return _run(top, "diff", "--no-color", "HEAD" if head else "--cached", "--", relative, check=False).stdout
