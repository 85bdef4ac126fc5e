"""`tacli serve`: read the files, bind the address, print it with its key, and
serve until Ctrl+C (or SIGTERM), then stop cleanly and exit 0.

The command line (tacli.cli.app) calls `run` by name when `tacli serve` runs:
no other command imports this package, so their start-up stays as it was.
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass, field
from typing import Callable, Optional

from tacli.commands import CommonOptions, Session
from tacli.core.outcome import EXIT_CLEAN, Outcome, UsageError
from tacli.core.textformat import plural, visible

DEFAULT_PORT = 8000
PORTS_TRIED = 20  # without --port: 8000, else the next free one up to 8019
LOCAL = ("127.0.0.1", "localhost", "::1", "[::1]")
CONNECTIONS = 200  # requests served at once (each open page holds one long poll)


@dataclass(frozen=True)
class ServeOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    paths: tuple[str, ...] = ()
    host: str = "127.0.0.1"
    port: Optional[int] = None  # None: DEFAULT_PORT or the next free one; 0: any free port
    read_only: bool = False
    commit: Optional[bool] = None  # None: `commit` of tacli.toml
    token: Optional[str] = None  # None: a new random one (TACLI_SERVE_TOKEN gives one to keep)
    browser: bool = False  # open the address in the browser once it serves
    jobs: Optional[int] = None  # processes to read a large folder with at start-up


def bind(host: str, port: Optional[int]) -> socket.socket:
    """A listening socket on `host`: `port`, or the first free one from DEFAULT_PORT."""
    import errno

    try:
        family = socket.getaddrinfo(host.strip("[]"), None, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: no such address ({exc.strerror}): give an address of this machine, such as 127.0.0.1") from None
    candidates = [port] if port is not None else list(range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED))
    for candidate in candidates:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if os.name == "posix":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            elif hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
            sock.bind((host.strip("[]"), candidate))
            sock.listen(128)
            sock.set_inheritable(True)
            return sock
        except OSError as exc:
            sock.close()
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1), 10013, 10048):
                raise UsageError(f"cannot listen on {host}:{candidate}: {exc.strerror or exc}") from None
            if port is not None:
                raise UsageError(f"port {port} is in use (another tacli serve?): give another with --port, or --port 0 for any free one") from None
    raise UsageError(f"ports {DEFAULT_PORT} to {DEFAULT_PORT + PORTS_TRIED - 1} are all in use: give a free one with --port, or --port 0 for any")


def names_of(host: str) -> tuple[str, ...]:
    """The names a browser may use for this server bound on `host` (the Host
    header it sends): the host given; for every address (0.0.0.0, ::), the names
    and addresses this machine gives itself. Any other name is refused (DNS rebinding)."""
    def bracketed(name: str) -> str:
        return f"[{name}]" if ":" in name and not name.startswith("[") else name

    names = {bracketed(host)}
    if host in ("0.0.0.0", "::", "[::]", ""):
        machine = socket.gethostname()
        names |= {machine, socket.getfqdn()}
        try:
            names |= {bracketed(info[4][0]) for info in socket.getaddrinfo(machine, None)}
        except OSError:
            pass
    return tuple(sorted(name for name in names if name))


def address(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host and not host.startswith("[") else host)
    return f"http://{shown}:{port}/"


def quiet_stop() -> None:
    """uvicorn's own word on a request it cancels as it stops (an error line)
    said as tacli says it: a note, with no traceback."""
    import logging

    class Stopping(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            message = record.getMessage()
            if message.startswith("Cancel ") and "graceful shutdown" in message:
                print("tacli serve: stopping: a request still running was ended (its page can be sent again)", file=sys.stderr, flush=True)
                return False
            return True

    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(item, logging.Filter) and type(item).__name__ == "Stopping" for item in logger.filters):
        logger.addFilter(Stopping())


def on_stop_signal(server, stopping, sig) -> None:
    """The server told to stop (`should_exit`; a second Ctrl+C: at once,
    `force_exit`) and the long polls to end (`stopping`). Only the first signal
    sets the event: a second can land while the first one's handler is inside
    Event.set, holding its lock (two SIGTERMs at once, as `pkill -f tacli`
    sends when it matches a wrapper too), and waiting for it there would
    hang the server for ever."""
    import signal

    if server.should_exit:
        if sig == getattr(signal, "SIGINT", None):
            server.force_exit = True
        return
    server.should_exit = True
    stopping.set()


def run(options: ServeOptions, say: Callable[[str], None] = lambda text: print(text, flush=True)) -> Outcome:
    """Serve until stopped; `say` prints what a person needs to know as it starts."""
    import uvicorn

    from tacli.reading.pipeline import find_targets
    from tacli.web.app import Settings, create_app
    from tacli.web.security import LOCAL_HOSTS, Access, new_token, token_problem

    session = Session(options.common)
    paths = session.engagement_paths(list(options.paths))
    empty_ok = not options.paths and session.config.engagements is not None
    find_targets(paths, empty_ok=empty_ok)  # a path that is not there is a usage error now, not a page later
    given = os.environ.get("TACLI_SERVE_TOKEN") if options.token is None else options.token
    token = given or new_token()
    problem = token_problem(token, "TACLI_SERVE_TOKEN" if options.token is None else "the token") if given else None
    if problem:
        raise UsageError(problem)
    local = options.host in LOCAL
    notes = []
    if not local:
        notes.append(f"tacli serve: warning: listening on {options.host}, not only on this machine: anyone who can reach it and has the address with its key can read and change these engagement files. Keep the address to yourself; --host 127.0.0.1 (the default) serves this machine alone.")
    commit = options.commit if options.commit is not None else bool(session.config.commit)
    if commit and not options.read_only:
        from pathlib import Path

        from tacli.write.git import repository_of

        if repository_of(Path(paths[0]) / "x" if Path(paths[0]).is_dir() else Path(paths[0])) is None:
            notes.append(f"tacli serve: warning: {paths[0]} is not in a git repository: saves will not be committed (git init makes one)")
    sock = bind(options.host, options.port)
    port = sock.getsockname()[1]
    hosts = LOCAL_HOSTS if local else LOCAL_HOSTS + names_of(options.host)
    settings = Settings(paths, options.common, Access(token, port, hosts), options.read_only, commit, empty_ok=empty_ok)
    try:
        app = create_app(settings, jobs=options.jobs)
    except BaseException:
        sock.close()
        raise
    web = app.web
    entries = web.workspace.entries()
    unusable = sum(1 for entry in entries if not entry.usable)
    for note in notes:
        print(visible(note), file=sys.stderr, flush=True)
    url = f"{address(options.host, port)}?token={token}"
    said = f"tacli serve: {plural(len(entries) - unusable, 'engagement')} from {', '.join(visible(p) for p in paths)}"
    if unusable:
        said += f" ({plural(unusable, 'file')} to fix)"
    if options.read_only:
        said += ", read only"
    if commit and not options.read_only:
        said += ", each save committed to git"
    say(f"{said}.\nOpen this address in your browser (it holds the key to these files: keep it to yourself):\n\n    {url}\n\nPress Ctrl+C to stop.")

    class Server(uvicorn.Server):
        """uvicorn's server, stopping on Ctrl+C or SIGTERM without passing the
        signal on afterwards: tacli serve then ends as a command does, exit 0."""

        def handle_exit(self, sig, frame) -> None:
            on_stop_signal(self, web.stopping, sig)

    # Timeouts: a connection left open between requests is closed after 5 seconds; a
    # request's body that stalls, after security.BODY_SECONDS; and no more than
    # CONNECTIONS requests at once (a page of its own, 503, beyond).
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", server_header=False, timeout_graceful_shutdown=3, h11_max_incomplete_event_size=64 * 1024,
                            timeout_keep_alive=5, limit_concurrency=CONNECTIONS)
    server = Server(config)
    quiet_stop()
    if options.browser:
        import threading
        import webbrowser

        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started:
        raise UsageError("the server could not start (see the message above)")
    return Outcome(EXIT_CLEAN, notes=["tacli serve: stopped"])
