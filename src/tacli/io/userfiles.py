"""Read a file a user gave, with the read bounded before it starts.

A path can name anything: a FIFO that blocks a reader for ever, a link to
/dev/zero that never ends, a socket, a folder. Every reader of user files
(engagements, standards, the configuration, the bytes an edit reads) comes
here: the file is opened without blocking, its open descriptor is checked to
be a regular file, and at most the size limit plus one byte is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 64 * 1024
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


_NO_SPACE = "free some space on the disk, or write somewhere else"
_ADVICE = {
    errno.EACCES: "give read permission to the user who runs tacli",
    errno.EPERM: "give read permission to the user who runs tacli",
    errno.ENAMETOOLONG: "a name in the path, or the path, is longer than the system allows: choose shorter names",
    errno.ELOOP: "point the link at a real file or folder, not round in a loop",
    errno.ENOSPC: _NO_SPACE,
    errno.EDQUOT: _NO_SPACE,
    errno.EFBIG: _NO_SPACE,
}


def explain(exc: OSError) -> str:
    """Why a read failed, and what to do when there is something to do."""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOENT and exc.filename and os.path.islink(exc.filename):
        return f"a broken symbolic link: its target {os.readlink(exc.filename)} does not exist; fix the link or remove it"
    advice = _ADVICE.get(exc.errno)
    return f"{reason}: {advice}" if advice else reason


class NotRegularFile(Exception):
    """The path is a folder, a FIFO, a device or a socket: reading it could block or never end."""

    def __init__(self, path: Path, mode: int):
        self.what = describe(path, mode)
        super().__init__(f"{self.what}, not a regular file")


class FileTooLarge(Exception):
    """The file holds more bytes than the limit; `size` is at least limit + 1."""

    def __init__(self, size: int, limit: int):
        super().__init__(f"{size:,} bytes, more than the {limit:,} bytes tacli reads")
        self.size = size
        self.limit = limit


def describe(path: Path, mode: int) -> str:
    """What a path that is not a regular file is, for a message ("a symbolic link to a FIFO (named pipe) (/tmp/x)")."""
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    if os.path.islink(path):
        return f"a symbolic link to {kind} ({os.path.realpath(path)})"
    return kind


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises NotRegularFile, FileTooLarge, or the OSError of opening or reading.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        # A socket cannot be opened (ENXIO), nor a folder on some systems: say what it is.
        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode):
            raise NotRegularFile(path, mode) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path, info.st_mode)
        if info.st_size > limit:
            raise FileTooLarge(info.st_size, limit)
        parts, total = [], 0
        first = min(info.st_size, limit) + 1  # the whole file in one read, and one more byte to see its end
        while total <= limit:
            chunk = os.read(fd, min(max(first - total, _CHUNK), limit + 1 - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew after fstat
            raise FileTooLarge(max(total, os.fstat(fd).st_size), limit)
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)
