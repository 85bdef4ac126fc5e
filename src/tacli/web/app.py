"""The web application of `tacli serve`: a Starlette app over the workspace.

`create_app` puts together the pages (tacli.web.pages), the forms
(tacli.web.forms, left out with --read-only), the guard every request passes
(tacli.web.security) and the watcher that follows the files on disk. Every
page reads through the workspace (tacli.web.workspace), and every form saves
through the command it stands for (tacli.commands), with the same options,
rules and edit path as the command line.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

from tacli.core.paths import real_path
from tacli.commands import CommonOptions, Session
from tacli.web.security import Access, Guard
from tacli.web.workspace import Workspace

KEPT = 64  # notices and texts shown kept in memory, the newest
SWEEP_SECONDS = 5.0  # the files looked at even without a notification


@dataclass
class Settings:
    """How `tacli serve` was started."""

    paths: list[str]
    common: CommonOptions = field(default_factory=CommonOptions)
    access: Access = field(default_factory=lambda: Access("", 0))
    read_only: bool = False
    commit: bool = False
    watch: bool = True  # follow the files with the operating system's notifications (watchfiles)
    empty_ok: bool = False  # the configured engagements folder, which may hold none yet


class Web:
    """What every request shares: the settings, the workspace, and a little memory."""

    def __init__(self, settings: Settings, workspace: Workspace):
        self.settings = settings
        self.workspace = workspace
        self.stopping = threading.Event()  # set when the server stops: long polls end at once
        self.watching = False  # the watcher runs (else long polls look at the files themselves)
        self._notices: OrderedDict[str, str] = OrderedDict()
        self._shown: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def session(self) -> Session:
        """A Session for one request: the configuration read again (a `me` or `commit`
        changed in tacli.toml counts from the next page), the standards loaded once."""
        return Session(self.settings.common)

    def today(self) -> date:
        return self.session().today

    def commit(self) -> bool:
        """--commit, else `commit` of tacli.toml."""
        if self.settings.commit:
            return True
        return bool(self.session().config.commit)

    def say(self, text: str) -> str:
        """Keep a notice for the page a form sends the browser to; its id for the address."""
        import secrets

        key = secrets.token_urlsafe(6)
        with self._lock:
            self._notices[key] = text
            while len(self._notices) > KEPT:
                self._notices.popitem(last=False)
        return key

    def said(self, key: Optional[str]) -> Optional[str]:
        with self._lock:
            return self._notices.pop(key, None) if key else None

    def remember(self, digest: str, text: str) -> None:
        """Keep the text of a file as a form showed it, to say what changed if the
        file changes before the form is saved."""
        with self._lock:
            self._shown[digest] = text
            self._shown.move_to_end(digest)
            while len(self._shown) > KEPT:
                self._shown.popitem(last=False)

    def shown(self, digest: str) -> Optional[str]:
        with self._lock:
            return self._shown.get(digest)


def watched_folders(paths: list[str]) -> tuple[list[Path], list[Path]]:
    """The folders to follow: the served folders (and all below them), and the
    folders of the files served one by one (those folders only)."""
    deep, shallow = [], []
    for given in paths:
        path = real_path(given)
        if path.is_dir():
            deep.append(path)
        elif path.parent.is_dir():
            shallow.append(path.parent)
    deep = [folder for folder in sorted(set(deep), key=lambda p: len(p.parts)) if not any(other in folder.parents for other in deep)]
    shallow = [folder for folder in sorted(set(shallow)) if not any(folder == other or other in folder.parents for other in deep)]
    return deep, shallow


async def watch(web: Web, stop: asyncio.Event) -> None:
    """Read again what changed whenever the operating system says a YAML file
    (or a .gitignore) under a served folder changed; the long polls of the open
    pages see the workspace's version move and reload them."""
    from starlette.concurrency import run_in_threadpool
    from watchfiles import awatch

    def wanted(change, path: str) -> bool:
        return path.endswith((".yaml", ".yml", ".gitignore"))

    async def follow(folders: list[Path], recursive: bool) -> None:
        async for _ in awatch(*folders, stop_event=stop, watch_filter=wanted, debounce=400, step=20, recursive=recursive):
            await run_in_threadpool(web.workspace.refresh)

    async def sweep() -> None:
        # Where notifications miss a change (some network shares), a look every
        # SWEEP_SECONDS still finds it: a walk and a stat, 15 ms for 1,000 files.
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), SWEEP_SECONDS)
            except asyncio.TimeoutError:
                await run_in_threadpool(web.workspace.refresh)

    deep, shallow = watched_folders(web.workspace.paths)
    web.watching = bool(deep or shallow)
    try:
        await asyncio.gather(sweep(), *([follow(deep, True)] if deep else []), *([follow(shallow, False)] if shallow else []))
    except Exception as exc:  # noqa: BLE001 - without notifications, the pages still read the files on each request
        print(f"tacli serve: cannot follow changes on disk ({type(exc).__name__}: {exc}); pages still show the files as they are when opened", file=sys.stderr)
    finally:
        web.watching = False


def create_app(settings: Settings, workspace: Optional[Workspace] = None, jobs: Optional[int] = None):
    """The app, guarded (tacli.web.security.Guard); the workspace read first
    (on every core for a large folder: `jobs`)."""
    from starlette.applications import Starlette

    from tacli.web import forms, pages

    session = Session(settings.common)
    if workspace is None:
        fixed = settings.common.today

        def today() -> date:
            return session.today if fixed else date.today()

        workspace = Workspace(settings.paths, session.spec, today, empty_ok=settings.empty_ok, cache=session.cache, cache_context=session.cache_context)
        workspace.load(jobs)
    web = Web(settings, workspace)

    @asynccontextmanager
    async def lifespan(app):
        stop = asyncio.Event()
        task = asyncio.create_task(watch(web, stop)) if settings.watch else None
        try:
            yield
        finally:
            web.stopping.set()
            stop.set()
            if task is not None:
                try:
                    await asyncio.wait_for(task, 2)
                except (asyncio.TimeoutError, asyncio.CancelledError):
                    task.cancel()

    routes = pages.routes(settings.read_only) + ([] if settings.read_only else forms.routes())
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: pages.no_page, 405: pages.no_page})
    app.state.web = web
    guarded = Guard(app, settings.access)
    guarded.web = web  # for the server, which ends the long polls when it stops
    guarded.stopping = web.stopping  # and the bodies still arriving
    return guarded

