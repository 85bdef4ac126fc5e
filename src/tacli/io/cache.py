"""tacli's one cache: what reading, checking and rendering a file yielded, kept
in the user's cache folder, so that a file that did not change is not read,
checked or rendered again.

The store is one SQLite database (the standard library's sqlite3): one file,
written in transactions (a run killed half-way leaves no half entry), shared
by concurrent runs (write-ahead log: readers never wait, writers take turns),
and looked up thousands of times a second. Each entry is a key (a digest of
everything its value depends on: the file's bytes, the standards, tacli's
code, the day when it depends on one), a kind (for `tacli cache info`), and
a value: pickled, compressed with LZ4 when large (a cold check keeps about
three entries a file: zlib, even at its fastest, took a tenth of its time),
with its own checksum (CRC-32: it tells damage, as any checksum a forger can
compute again would).

A cache makes tacli faster, never wrong, so nothing in it is trusted:
  - the folder must be the user's own and closed to others' writing, else the
    cache is not used (a note says why); the folder tacli makes, and the
    database with its -wal and -shm files, only the user can read (0700, 0600:
    what engagements say is not for other users of the machine);
  - the database must be a regular file (not a link), the user's, and tacli's
    (its application id): else it is removed and made anew;
  - a database SQLite calls damaged (truncated, garbage) is made anew;
  - a value whose checksum does not match is a miss;
  - values are read with an unpickler that builds only plain data and
    tacli's own classes, never calls a function;
  - a cache that cannot be written (a read-only folder, a full disk) is not
    used for the run.
Every such event is a note (`Cache.notes`), which commands show with --verbose.
`--no-cache` (or TACLI_NO_CACHE=1) turns it off; TACLI_CACHE_DIR moves it.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import os
import pathlib
import pickle
import stat
import threading
import time
import weakref
import zlib
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from tacli.core.interrupt import pressed

NO_CACHE_ENV = "TACLI_NO_CACHE"
CACHE_DIR_ENV = "TACLI_CACHE_DIR"
DATABASE = "cache.sqlite3"
APPLICATION_ID = 0x7461636C  # "tacl": the database is tacli's
STORE_FORMAT = 2  # the database's user_version: another format is made anew (1: zlib, SHA-256 checksums)
UNUSED_DAYS = 30  # an entry no run used for this long is removed
MAX_BYTES = 2 * 2**30  # above this, the entries of the days used longest ago are removed (Cache._prune)
BUSY_SECONDS = 10.0  # how long a write waits for another run's
COMPRESS_FROM = 8192  # values longer than this (pickled) are compressed: a file's reading, not its findings (a warm run reads those alone, and need not import LZ4)
MAX_VALUE = 2**30  # a compressed value that says it is longer than this is damaged (never allocated); the pages of every engagement of 10,000 are some 150 MB
MISSING = object()

_PLAIN, _COMPRESSED = b"p", b"l"
_BYTES = b"b"  # bytes kept as they are, compressed (a site's page): no pickled copy made, or read back


def cache_folder() -> Optional[Path]:
    """TACLI_CACHE_DIR, else the user's cache folder for tacli (platformdirs:
    ~/.cache/tacli, or $XDG_CACHE_HOME/tacli; ~/Library/Caches/tacli;
    %LOCALAPPDATA%\\tacli\\Cache); None where there is none."""
    given = os.environ.get(CACHE_DIR_ENV)
    if given:
        return Path(given)
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("tacli", appauthor=False))
    except Exception:  # noqa: BLE001 - no home folder: no cache
        return None


def turned_off(no_cache: bool = False) -> bool:
    """Whether the cache is off for this run: --no-cache, or TACLI_NO_CACHE set (to anything but 0 or empty)."""
    value = os.environ.get(NO_CACHE_ENV, "").strip().lower()
    return no_cache or value not in ("", "0", "false", "no", "off")


def digest(*parts: Any) -> bytes:
    """A key from parts (text, bytes, numbers, None, or tuples of them): each part
    is framed by its kind and length, so that no two different lists of parts meet."""
    chunks: list[bytes] = []
    _frame(chunks, parts)
    return hashlib.sha256(b"".join(chunks)).digest()[:20]


def _frame(chunks: list, part: Any) -> None:
    kind = type(part)
    if kind is bytes:
        chunks += (b"b%d:" % len(part), part)
    elif kind is str:
        encoded = part.encode("utf-8", "surrogatepass")
        chunks += (b"s%d:" % len(encoded), encoded)
    elif kind is tuple or kind is list:
        chunks.append(b"t%d:" % len(part))
        for item in part:
            _frame(chunks, item)
    elif part is None or kind is bool or kind is int or kind is float:
        chunks.append(b"v%s;" % repr(part).encode("ascii"))
    else:
        raise TypeError(f"a key part must be text, bytes, a number or a tuple, not {kind.__name__}")


def file_digest(data: bytes) -> bytes:
    """The digest of a file's bytes, the part of a key that says which file it was."""
    return hashlib.sha256(data).digest()


# --- what a value may be -----------------------------------------------------------

_SAFE_GLOBALS = {
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"), ("datetime", "timezone"),
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "complex"), ("builtins", "slice"), ("builtins", "bytearray"),
    ("collections", "OrderedDict"),
    # Paths under the module pickle names them by: `pathlib` up to Python 3.12, `pathlib._local` from 3.13.
    *((kind.__module__, kind.__name__) for kind in (pathlib.Path, pathlib.PosixPath, pathlib.WindowsPath, pathlib.PurePosixPath, pathlib.PureWindowsPath)),
}


class _Unpickler(pickle.Unpickler):
    """Builds plain data, dates, paths and tacli's own classes (findings, results,
    obligations): a value that names anything else (a function, another
    module's class, even one a tacli module imports: `tacli.write.git` and
    `subprocess.Popen`) is refused, so a forged value cannot run code."""

    def find_class(self, module: str, name: str):
        found = _FOUND.get((module, name))
        if found is not None:
            return found
        safe = (module, name) in _SAFE_GLOBALS
        if safe or ((module == "tacli" or module.startswith("tacli.")) and "." not in name):
            found = super().find_class(module, name)
            if isinstance(found, type) and (safe or found.__module__ == module):  # defined there, not imported there
                _FOUND[module, name] = found
                return found
        raise pickle.UnpicklingError(f"the cache names {module}.{name}, which tacli does not keep")


_FOUND: dict[tuple[str, str], type] = {}


def dumps(value: Any) -> bytes:
    if type(value) is bytes and len(value) > COMPRESS_FROM:
        import lz4.block

        return _BYTES + lz4.block.compress(value)
    body = pickle.dumps(value, protocol=5)
    if len(body) > COMPRESS_FROM:
        import lz4.block

        return _COMPRESSED + lz4.block.compress(body)  # the length first, in four bytes
    return _PLAIN + body


def loads(blob: bytes) -> Any:
    kind = blob[:1]
    if kind in (_COMPRESSED, _BYTES):
        body = memoryview(blob)[1:]  # not a copy: a page's is tens of megabytes
        if int.from_bytes(body[:4], "little") > MAX_VALUE:
            raise ValueError("a value longer than any tacli keeps")
        import lz4.block

        if kind == _BYTES:
            return lz4.block.decompress(body)
        return _Unpickler(io.BytesIO(lz4.block.decompress(body))).load()
    if kind != _PLAIN:
        raise ValueError("unknown value format")
    return _Unpickler(io.BytesIO(blob[1:])).load()


def _selected(connection, columns: str, keys: list) -> Iterator[tuple]:
    """The `columns` of the entries of `keys`, 500 keys a query (SQLite's
    limit on a query's parameters is 999 in older builds)."""
    for start in range(0, len(keys), 500):
        part = keys[start:start + 500]
        yield from connection.execute(f"SELECT {columns} FROM entries WHERE key IN ({','.join('?' * len(part))})", part).fetchall()


def _check(key: bytes, blob: bytes) -> bytes:
    return zlib.crc32(blob, zlib.crc32(key)).to_bytes(4, "big")


# --- the code a result depends on ---------------------------------------------

_CODE: list[bytes] = []
_LIBRARIES = ("pydantic", "pydantic_core", "ruamel.yaml", "_ruamel_yaml", "jinja2", "markupsafe", "typer")


def code_version() -> bytes:
    """What tacli's results depend on besides the files and the standards: its
    version, each of its modules (name, size and time, so a changed module in a
    source checkout counts), the Python and the libraries that read YAML,
    validate and render. Worked out once a process (about a millisecond)."""
    if _CODE:
        return _CODE[0]
    import sys

    import tacli

    parts: list = [tacli.__version__, sys.version, sys.platform]
    package = Path(tacli.__file__).parent
    for folder, folders, files in os.walk(package):
        folders[:] = sorted(name for name in folders if name != "__pycache__" and not name.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".j2", ".yaml", ".css", ".js")):
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                parts.append((os.path.relpath(path, package), info.st_size, info.st_mtime_ns))
    for library in _LIBRARIES:
        parts.append((library, _library_stamp(library)))
    _CODE.append(digest(*parts))
    return _CODE[0]


def _library_stamp(name: str) -> tuple:
    """A library's installed file, by size and time, found without importing it."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None or not os.path.exists(origin):
            return ()
        info = os.stat(origin)
        return (os.path.basename(origin), info.st_size, info.st_mtime_ns)
    except (ImportError, ValueError, OSError):
        return ()


def tree_digest(folder: Path, limit: int = 64 * 2**20) -> Optional[bytes]:
    """The names and bytes of every file under `folder` (hidden ones and links
    to folders left out), or None when it cannot be read whole (a FIFO, an
    unreadable file, more than `limit` bytes): then nothing that depends on it
    is cached. Used for the standards and the templates a result comes from."""
    parts: list = []
    total = 0
    try:
        for current, folders, files in os.walk(folder):
            folders[:] = sorted(name for name in folders if not name.startswith(".") and name != "__pycache__")
            for name in sorted(files):
                path = os.path.join(current, name)
                info = os.stat(path)
                if not stat.S_ISREG(info.st_mode):
                    return None
                total += info.st_size
                if total > limit:
                    return None
                with open(path, "rb") as handle:
                    parts.append((os.path.relpath(path, folder), handle.read()))
    except OSError:
        return None
    if not parts and not os.path.isdir(folder):
        return None
    return digest(os.path.abspath(folder), *parts)


def context_digest(standards: Path) -> Optional[bytes]:
    """The part of every key about an engagement file that is not the file:
    tacli's code and the standards' files (None: they cannot be read whole,
    nothing about the files is kept)."""
    files = tree_digest(standards)
    return digest("context", code_version(), files) if files is not None else None


# --- the store -----------------------------------------------------------------

_EVERY_CACHE: "weakref.WeakSet[Cache]" = weakref.WeakSet()
# Every connection opened and not yet closed, with its cache (weakly) and the
# process that opened it. SQLite's connection sits in a reference cycle of its
# own (its statements), which only a garbage collection frees: the connection
# of a cache freed is closed here, when the next one opens or at exit, and no
# finalizer runs in the middle of the run (a finalizer that Ctrl+C lands in
# loses it).
_OPEN: list = []
_OPEN_LOCK = threading.Lock()


def _opened(cache: "Cache", connection) -> None:
    """Remember `connection`, and close those of caches freed meanwhile."""
    with _OPEN_LOCK:
        _close_in_this_process(lambda owner: owner() is None)
        _OPEN.append((weakref.ref(cache), os.getpid(), connection))


def _closed(connection) -> None:
    with _OPEN_LOCK:
        _OPEN[:] = [entry for entry in _OPEN if entry[2] is not connection]


def _close_in_this_process(which: Callable) -> None:
    """Close the connections this process opened whose owner `which` picks (the lock held)."""
    kept = []
    for entry in _OPEN:
        owner, pid, connection = entry
        if pid == os.getpid() and which(owner):
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - closing what is broken
                pass
        else:
            kept.append(entry)
    _OPEN[:] = kept


@atexit.register
def _release_every_cache() -> None:
    """At exit, every connection this process opened is closed (SQLite folds the
    write-ahead log into the database and removes it): each cache still held
    closes its own under its lock (Cache.at_exit: a thread still running, in
    tacli serve, waits for it and then finds the cache off), then those of the
    caches freed. Python's last garbage collection, which would have closed one
    held in a reference cycle, is skipped (core.collector.freeze_at_exit).
    Ctrl+C meanwhile leaves the rest to the next run, which folds the log then."""
    try:
        for cache in list(_EVERY_CACHE):
            cache.at_exit()
        with _OPEN_LOCK:
            _close_in_this_process(lambda owner: owner() is None)
    except KeyboardInterrupt:
        pass


class Cache:
    """The cache of one run (and of the worker processes it forks: each opens the
    database again). Lookups go to the database; new entries are kept until
    `flush` writes them in one transaction. Every method is safe to call when
    the cache is off or broken: it then finds nothing and keeps nothing."""

    def __init__(self, folder: Optional[Path], enabled: bool = True):
        self.folder = folder
        self.enabled = enabled and folder is not None
        self.notes: list[str] = []
        self._connection = None
        self._pid = -1
        self._pending: list[tuple[bytes, str, bytes, bytes, int]] = []
        self._touched: list[bytes] = []
        self._lock = threading.RLock()
        self._rebuilt = False
        self._workers_wrote = False  # workers forked from this process wrote the database (at_exit)
        _EVERY_CACHE.add(self)

    @property
    def path(self) -> Optional[Path]:
        return self.folder / DATABASE if self.folder is not None else None

    # --- opening ------------------------------------------------------------

    def _adopt(self) -> None:
        """Make the cache this process's. In a forked worker, before its first
        use, the parent's connection and the entries the parent had yet to
        write are not its own; this is done by whatever comes first (keeping an
        entry, writing them, opening the database), so that nothing a worker
        keeps before it first looks something up is lost, and nothing of the
        parent's is written twice."""
        if self._pid != os.getpid():
            self._connection = None
            self._pending, self._touched = [], []
            self._pid = os.getpid()

    def _off(self, why: str) -> None:
        if self.enabled:
            self.notes.append(f"tacli: the cache in {self.folder} is not used for this run: {why}")
        self.enabled = False
        self._close_connection()

    def _close_connection(self) -> None:
        if self._connection is not None:
            _closed(self._connection)
            try:
                self._connection.close()
            except Exception:  # noqa: BLE001 - closing what is broken
                pass
        self._connection = None

    def _open(self):
        """The connection of this process, opened (and checked) when first needed."""
        if not self.enabled:
            return None
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        self._adopt()
        problem = self._folder_problem()
        if problem:
            self._off(problem)
            return None
        try:
            self._connection = self._connect()
        except _Damaged as exc:
            self._rebuild(str(exc))
        except Exception as exc:  # noqa: BLE001 - whatever stops it, tacli runs without it
            self._off(_explain(exc))
        return self._connection

    def _folder_problem(self) -> str:
        """Why the cache folder cannot be trusted or used, or ''."""
        assert self.folder is not None
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            info = os.stat(self.folder)
        except OSError as exc:
            return f"its folder cannot be made: {_explain(exc)}"
        if not stat.S_ISDIR(info.st_mode):
            return "it is not a folder"
        if hasattr(os, "getuid"):
            if info.st_uid != os.getuid():
                return "the folder belongs to another user"
            if info.st_mode & 0o022:
                try:
                    os.chmod(self.folder, stat.S_IMODE(info.st_mode) & ~0o022)
                except OSError:
                    return "others may write in the folder (chmod go-w it)"
        return ""

    def _connect(self):
        import sqlite3

        path = self.path
        assert path is not None
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            info = None
        if info is not None:
            if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
                raise _Damaged("the database was a symbolic link or not a regular file")
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                raise _Damaged("the database belonged to another user")
            if hasattr(os, "getuid") and info.st_mode & 0o077:  # made by a tacli that left it to the umask
                _owner_only(path)
        else:
            _create_owner_only(path)
        connection = sqlite3.connect(str(path), timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        try:
            _prepare(connection)
        except BaseException:
            connection.close()
            raise
        _opened(self, connection)
        return connection

    def _rebuild(self, why: str) -> None:
        """Remove a database that cannot be trusted and start an empty one (once a run)."""
        self._close_connection()
        if self._rebuilt:
            self._off(f"it is damaged ({why}) and could not be made anew")
            return
        self._rebuilt = True
        self.notes.append(f"tacli: the cache in {self.folder} was ignored and made anew: {why}")
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(str(self.path) + suffix)
            except FileNotFoundError:
                pass
            except OSError as exc:
                self._off(f"its damaged database cannot be removed: {_explain(exc)}")
                return
        try:
            self._connection = self._connect()
        except Exception as exc:  # noqa: BLE001
            self._off(_explain(exc))

    def _failed(self, exc: Exception) -> None:
        """A database error in use: busy is passed over, damage means a new database."""
        import sqlite3

        text = str(exc).lower()
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
            return
        if isinstance(exc, sqlite3.ProgrammingError):  # a connection closed under it: tacli's doing, not damage
            return
        if isinstance(exc, sqlite3.DatabaseError) and not any(word in text for word in ("readonly", "read-only", "full", "unable to open", "i/o", "permission")):
            self._rebuild(f"SQLite found it damaged ({exc})")
        else:
            self._off(_explain(exc))

    # --- reading and writing ---------------------------------------------------

    def get(self, key: bytes, default: Any = MISSING) -> Any:
        found = self.get_many([key])
        return found.get(key, default)

    def present(self, keys: Iterable[bytes]) -> set[bytes]:
        """Which of `keys` have an entry, none of them read (get_many says
        whether one can be trusted)."""
        keys = list(dict.fromkeys(keys))
        found: set[bytes] = set()
        with self._lock:
            connection = self._open()
            if connection is None or not keys:
                return found
            try:
                found.update(key for key, in _selected(connection, "key", keys))
            except Exception as exc:  # noqa: BLE001
                self._failed(exc)
                return set()
        return {key for key in found if type(key) is bytes}

    def get_many(self, keys: Iterable[bytes]) -> dict[bytes, Any]:
        """The values found for `keys` (those missing, or whose value cannot be
        trusted, are left out)."""
        keys = list(dict.fromkeys(keys))
        found: dict[bytes, Any] = {}
        if not keys:
            return found
        with self._lock:
            connection = self._open()
            if connection is None:
                return found
            try:
                rows = list(_selected(connection, "key, value, checksum, used", keys))
            except Exception as exc:  # noqa: BLE001
                self._failed(exc)
                return found
            today = _day()
            for key, blob, checksum, used in rows:
                # SQLite keeps whatever type a damaged record says a column has:
                # text, or a number that bytes() would make gigabytes of.
                if type(key) is not bytes or type(blob) is not bytes or type(checksum) is not bytes or type(used) is not int:
                    self._note_once("an entry was damaged: it was read again from the file")
                    continue
                if _check(key, blob) != checksum:
                    self._note_once("an entry's checksum did not match its value: it was read again from the file")
                    continue
                try:
                    found[key] = loads(blob)
                except Exception:  # noqa: BLE001 - a value that cannot be read is a miss
                    self._note_once("an entry could not be read: it was read again from the file")
                    continue
                if used < today:
                    self._touched.append(key)
        return found

    def put(self, key: bytes, kind: str, value: Any) -> None:
        """Keep `value` under `key` (written at the next `flush`)."""
        if not self.enabled:
            return
        try:
            blob = dumps(value)
        except ImportError:  # lz4 missing (an install without tacli's dependencies): large values are not kept
            self._note_once("lz4 is not installed: large values are not kept (pip install lz4)")
            return
        except Exception:  # noqa: BLE001 - what cannot be pickled is not kept
            return
        with self._lock:
            self._adopt()
            self._pending.append((key, kind, blob, _check(key, blob), _day()))

    def flush(self) -> None:
        """Write the entries kept since the last flush, in one transaction; when
        another run holds the database too long, they are dropped (a cache need
        not hold everything). After Ctrl+C nothing is written: what was worked
        out meanwhile may hold what a library made of it (core.interrupt)."""
        with self._lock:
            self._adopt()
            pending, touched = self._pending, self._touched
            self._pending, self._touched = [], []
            if not (pending or touched) or not self.enabled or pressed():
                return
            connection = self._open()
            if connection is None:
                return
            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    if pending:
                        connection.executemany("INSERT OR REPLACE INTO entries (key, kind, value, checksum, used) VALUES (?, ?, ?, ?, ?)", pending)
                    if touched:
                        connection.executemany("UPDATE entries SET used = ? WHERE key = ?", [(_day(), key) for key in touched])
                    self._prune(connection)
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
            except Exception as exc:  # noqa: BLE001
                self._failed(exc)

    def _prune(self, connection) -> None:
        """Once a day: the entries no run used for UNUSED_DAYS; then, while the
        cache holds more than MAX_BYTES, those of the day used longest ago, a
        whole day at a time, but never those used today or yesterday: a daily
        run's own entries stay, and what it keeps under the day (reports and
        pages say what is due as of it) goes once a newer day's are there.
        When today's and yesterday's alone hold more, half the entries go,
        those used longest ago first."""
        today = _day()
        row = connection.execute("SELECT value FROM meta WHERE name = 'pruned'").fetchone()
        if row is not None and int(row[0]) >= today:
            return
        connection.execute("DELETE FROM entries WHERE used < ?", (today - UNUSED_DAYS,))
        by_day = connection.execute("SELECT used, COALESCE(SUM(LENGTH(value)), 0) FROM entries GROUP BY used ORDER BY used").fetchall()
        size = sum(total for _, total in by_day)
        last = None  # the newest day whose entries go
        for used, total in by_day:
            if size <= MAX_BYTES or type(used) is not int or used >= today - 1:
                break
            size, last = size - total, used
        if last is not None:
            connection.execute("DELETE FROM entries WHERE used <= ?", (last,))
        if size > MAX_BYTES:
            connection.execute(
                "DELETE FROM entries WHERE key IN (SELECT key FROM entries ORDER BY used LIMIT (SELECT COUNT(*) / 2 FROM entries))"
            )
        connection.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('pruned', ?)", (str(today),))

    def _note_once(self, note: str) -> None:
        text = f"tacli: cache: {note}"
        if text not in self.notes:
            self.notes.append(text)

    def close(self) -> None:
        self.flush()
        self.release()

    def release(self, workers_follow: bool = False) -> None:
        """Close this process's connection (before forking workers, `workers_follow`:
        each opens its own); the next use opens it again."""
        with self._lock:
            if self._pid == os.getpid():
                self._close_connection()
            self._connection = None
            self._workers_wrote = self._workers_wrote or workers_follow

    def at_exit(self) -> None:
        """Close this process's connection, and turn the cache off: a thread
        still running finds no cache, never a closed connection. When its
        workers wrote the database and it holds no connection itself, one is
        opened and closed first: a worker ends without closing its own, and
        SQLite folds the write-ahead log into the database only when the last
        connection closes."""
        with self._lock:
            if self._pid != os.getpid():
                return
            if self._connection is None and self._workers_wrote and self.enabled and self.path is not None and Path(f"{self.path}-wal").exists():
                self._open()
            self._close_connection()
            self.enabled = False

    # --- tacli cache info | clear ------------------------------------------------

    def info(self) -> dict:
        """Where the cache is, its size, and its entries by kind."""
        result: dict = {"folder": str(self.folder) if self.folder is not None else None, "enabled": self.enabled, "bytes": 0, "entries": {}}
        path = self.path
        if path is not None:
            result["bytes"] = sum(_size(Path(str(path) + suffix)) for suffix in ("", "-wal", "-shm"))
        if self.enabled and path is not None and path.exists():
            with self._lock:
                connection = self._open()
                if connection is not None:
                    try:
                        rows = connection.execute("SELECT kind, COUNT(*), SUM(LENGTH(value)) FROM entries GROUP BY kind ORDER BY kind").fetchall()
                        result["entries"] = {kind: (count, size) for kind, count, size in rows}
                    except Exception as exc:  # noqa: BLE001
                        self._failed(exc)
        result["enabled"] = self.enabled
        return result

    def clear(self) -> int:
        """Remove the database; the bytes freed. Runs still using it go on with
        theirs; the next run starts an empty one."""
        with self._lock:
            self._close_connection()
            self._pending, self._touched = [], []
        freed = 0
        if self.path is None:
            return 0
        for suffix in ("", "-wal", "-shm", "-journal"):
            target = Path(str(self.path) + suffix)
            try:
                info = os.lstat(target)
            except FileNotFoundError:
                continue
            freed += info.st_size
            target.unlink()
        return freed


class _Damaged(Exception):
    """The database is not one tacli can trust: it is made anew."""


def _prepare(connection) -> None:
    """Check that the database is tacli's (or new), and set it up."""
    import sqlite3

    try:
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise _Damaged(f"SQLite cannot read it ({exc})") from None
    if application == 0 and not tables:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            pass  # a file system without shared memory: the rollback journal, slower
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("CREATE TABLE IF NOT EXISTS entries (key BLOB PRIMARY KEY, kind TEXT NOT NULL, value BLOB NOT NULL, checksum BLOB NOT NULL, used INTEGER NOT NULL)")
            connection.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {STORE_FORMAT}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    elif application != APPLICATION_ID:
        raise _Damaged("the database is not tacli's")
    elif version != STORE_FORMAT or not {"entries", "meta"} <= tables:
        raise _Damaged(f"the database is of another format ({version})")
    # Never waits for the disk: a run killed half-way leaves the write-ahead log
    # whole all the same; a machine that loses power may lose the latest entries
    # (each is found by a digest of what it depends on: a lost one is a miss) or
    # leave the file damaged, which SQLite then says (and it is made anew) or a
    # value's checksum does. A cold 10,000-file check's commits waited 0.3 to
    # 0.7 s a worker with NORMAL's syncs when the log is copied into the
    # database, 0.14 s without.
    connection.execute("PRAGMA synchronous = OFF")


def _create_owner_only(path: Path) -> None:
    """An empty database file only the user can read (0600), before SQLite opens
    it: SQLite gives its -wal and -shm files the database's permissions."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:  # another run made it just now
        return
    os.close(descriptor)


def _owner_only(path: Path) -> None:
    """The database and its -wal and -shm files made the user's alone (0600)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        target = Path(str(path) + suffix)
        try:
            if stat.S_ISREG(os.lstat(target).st_mode):
                os.chmod(target, 0o600)
        except FileNotFoundError:
            pass


def _day() -> int:
    return int(time.time() // 86400)


def _size(path: Path) -> int:
    try:
        return os.lstat(path).st_size
    except OSError:
        return 0


def _explain(exc: BaseException) -> str:
    from tacli.io.userfiles import explain

    if isinstance(exc, OSError):
        return explain(exc)
    return " ".join(str(exc).split()) or type(exc).__name__


def open_cache(no_cache: bool = False) -> Cache:
    """The cache of a run: in the user's cache folder, off with --no-cache or TACLI_NO_CACHE."""
    return Cache(cache_folder(), enabled=not turned_off(no_cache))
