"""What stands between `tacli serve` and everyone else who can reach it.

A local web server is an attack surface: any page the user opens in the same
browser can send it requests, and a DNS name pointed at 127.0.0.1 can make
the browser treat it as another site (DNS rebinding). So every request passes
through `Guard`, an ASGI middleware, before any page sees it:

- the Host header must name this server (127.0.0.1, localhost or [::1] and
  the port, or the host given with --host): a rebinding name is refused;
- the token: a random key in the address `tacli serve` prints (as Jupyter
  does). Opened with `?token=...`, the server sets it in a cookie (HttpOnly,
  SameSite=Strict, for this port only) and sends the browser on to the same
  page without it, so that it does not stay in the address bar or history
  (on this server only: `//evil.example/?token=...` leads to `/evil.example/`);
  a request with neither is refused with a page that says what to open; a
  key given with TACLI_SERVE_TOKEN that is easy to guess is refused at start;
- only GET, HEAD and POST; a POST carries at most `MAX_BODY` bytes, each part
  of it within `BODY_SECONDS`, and comes from this server's own pages (an
  Origin header, when the browser sends one, must be http and this server);
  its CSRF field is checked where the form is read
  (tacli.web.forms.read_form), against `csrf`, a value derived from the token;
- every response carries a Content-Security-Policy that allows scripts,
  styles and requests from this server only (no inline script, no eval, no
  other origin), and headers that keep it out of frames, sniffing and referrers.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Optional
from urllib.parse import parse_qsl, urlencode

MAX_BODY = 12 * 2**20  # bytes of a request's body: a file's text (tacli reads 5 MiB at most), URL-encoded
BODY_SECONDS = 30.0  # the longest wait for the next part of a request's body: a client that stalls is let go
MIN_TOKEN = 16  # characters of a key given with TACLI_SERVE_TOKEN (a new one has 32)
MIN_DISTINCT = 8  # different characters in it, at least
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
COOKIE = "tacli-serve-{port}"

CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
])
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # not no-referrer: a browser then sends its form posts with `Origin: null`
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class Access:
    """Who may use this server: the token, the host names and port it answers to."""

    token: str
    port: int
    hosts: tuple[str, ...] = LOCAL_HOSTS
    allowed: frozenset = field(init=False)

    def __post_init__(self):
        names = {f"{host.lower()}:{self.port}" for host in self.hosts}
        if self.port == 80:  # a browser leaves the default port out
            names |= {host.lower() for host in self.hosts}
        self.allowed = frozenset(names)

    @property
    def cookie(self) -> str:
        return COOKIE.format(port=self.port)

    @property
    def csrf(self) -> str:
        """The value every form sends back: derived from the token, so that only a
        page of this server (which knows it) can make a POST that counts."""
        return hmac.new(self.token.encode(), b"tacli serve forms", hashlib.sha256).hexdigest()

    def host_ok(self, host: Optional[str]) -> bool:
        return host is not None and host.lower() in self.allowed

    def origin_ok(self, origin: Optional[str]) -> bool:
        """A POST's Origin, when the browser sends one, is this server: http (the
        only scheme it serves) and one of its names and port."""
        if origin is None:
            return True
        scheme, _, rest = origin.partition("://")
        return scheme.lower() == "http" and rest.lower() in self.allowed

    def token_ok(self, given: Optional[str]) -> bool:
        return given is not None and secrets.compare_digest(given.encode(), self.token.encode())

    def csrf_ok(self, given: Optional[str]) -> bool:
        return given is not None and secrets.compare_digest(given.encode(), self.csrf.encode())


def same_site(path: str) -> str:
    """`path` as a redirect's target on this server only: `//evil.example/` (or
    `/\\evil.example/`) would send a browser to another site, so the slashes
    that start it are made one."""
    return "/" + path.lstrip("/\\")


def token_problem(token: str, source: str) -> Optional[str]:
    """Why `token` (from `source`: --token, TACLI_SERVE_TOKEN) cannot be this
    server's key, or None: anyone who guesses it can read and change the files."""
    if len(token) < MIN_TOKEN or not token.isascii() or not token.isprintable() or any(c in token for c in " &#%?/+=\\\"'<>"):
        return f"{source} must be at least {MIN_TOKEN} letters, digits, - or _ (a random one is made when none is given: python -c \"import secrets; print(secrets.token_urlsafe(24))\" makes one to keep)"
    if len(set(token)) < MIN_DISTINCT:
        return f"{source} is too easy to guess ({len(set(token))} different characters): use a random one of at least {MIN_TOKEN} characters (python -c \"import secrets; print(secrets.token_urlsafe(24))\" makes one)"
    return None


def _plain(status: int, title: str, text: str, back: bool = False) -> tuple[int, list, bytes]:
    """A small page of its own (no template, no data of the user's), with the
    way back to the app's first page where the key is not what is missing."""
    from markupsafe import escape

    way_back = '<p><a href="/">Back to tacli serve</a></p>' if back else ""
    body = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{escape(title)} · tacli</title></head>"
            f"<body><h1>{escape(title)}</h1><p>{escape(text)}</p>{way_back}</body></html>\n").encode()
    return status, [(b"content-type", b"text/html; charset=utf-8"), (b"cache-control", b"no-store")], body


class Guard:
    """The ASGI middleware that checks every request (this module's docstring)."""

    def __init__(self, app, access: Access):
        self.app = app
        self.access = access
        self.stopping = None  # a threading.Event set when the server stops (tacli.web.app)

    async def __call__(self, scope, receive, send):
        try:
            await self.guard(scope, receive, send)
        except asyncio.CancelledError:
            # The server stops, and a request still runs after its grace period:
            # uvicorn cancels it. It ends here, with no traceback on the terminal.
            if self.stopping is not None and self.stopping.is_set():
                return
            raise

    async def guard(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {}
        for name, value in scope.get("headers", []):
            headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))

        async def guarded_send(message):
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        async def answer(status: int, extra: list, body: bytes) -> None:
            await guarded_send({"type": "http.response.start", "status": status, "headers": extra + [(b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body if scope["method"] != "HEAD" else b""})

        if not self.access.host_ok(headers.get("host")):
            await answer(*_plain(400, "Wrong address", "This server answers only to the address tacli serve printed."))
            return
        method = scope["method"]
        if method not in ("GET", "HEAD", "POST"):
            await answer(*_plain(405, "Not allowed", "tacli serve takes GET and POST requests only.", back=True))
            return
        query = scope.get("query_string", b"").decode("latin-1")
        pairs = parse_qsl(query, keep_blank_values=True)
        given = next((value for name, value in pairs if name == "token"), None)
        if given is not None and method in ("GET", "HEAD"):
            if not self.access.token_ok(given):
                await answer(*_plain(403, "Wrong key", "The address has a key that is not this server's: open the address tacli serve printed, as it printed it."))
                return
            rest = urlencode([(name, value) for name, value in pairs if name != "token"])
            location = same_site(scope.get("root_path", "") + scope["path"]) + (f"?{rest}" if rest else "")
            cookie = SimpleCookie()
            cookie[self.access.cookie] = self.access.token
            morsel = cookie[self.access.cookie]
            morsel["httponly"] = True
            morsel["samesite"] = "Strict"
            morsel["path"] = "/"
            await answer(303, [(b"location", location.encode("latin-1", "replace")), (b"set-cookie", morsel.OutputString().encode("latin-1")), (b"cache-control", b"no-store")], b"")
            return
        jar = SimpleCookie()
        try:
            jar.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a cookie header tacli cannot read holds no key
            jar = SimpleCookie()
        held = jar.get(self.access.cookie)
        if held is None or not self.access.token_ok(held.value):
            await answer(*_plain(403, "Open the address tacli serve printed", "This page needs the key in the address that tacli serve printed when it started (…/?token=…). Open that address; the browser keeps the key until it is closed."))
            return
        if method == "POST":
            if not self.access.origin_ok(headers.get("origin")):
                await answer(*_plain(403, "Refused", "A form from another site cannot save here.", back=True))
                return
            length = headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
                await answer(*_plain(413, "Too large", f"A form sends at most {MAX_BODY // 2**20} MB.", back=True))
                return
            received = 0

            async def bounded_receive():
                # A body sent in chunks, without a length, is cut at MAX_BODY: the
                # form reader sees `tacli.too_large` and answers 413.
                nonlocal received
                if scope.get("tacli.too_large") or scope.get("tacli.stalled"):
                    return {"type": "http.disconnect"}
                loop = asyncio.get_running_loop()
                deadline = loop.time() + BODY_SECONDS
                while True:  # the next part of the body, until it stalls or the server stops
                    if self.stopping is not None and self.stopping.is_set() or loop.time() >= deadline:
                        scope["tacli.stalled"] = True
                        return {"type": "http.disconnect"}
                    try:
                        message = await asyncio.wait_for(receive(), min(0.5, max(deadline - loop.time(), 0.01)))
                        break
                    except asyncio.TimeoutError:
                        continue
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > MAX_BODY:
                        scope["tacli.too_large"] = True
                        return {"type": "http.request", "body": b"", "more_body": False}
                return message

            await self.app(scope, bounded_receive, guarded_send)
            return
        await self.app(scope, receive, guarded_send)
