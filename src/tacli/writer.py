"""The one way tacli writes text: to a file, atomically, or to standard output as UTF-8.

A file is either wholly old or wholly new, never half written; standard
output gets UTF-8 and `\n` whatever the locale, so that the bytes are the
same as a file would hold.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Optional


def write_atomically(path, text: str, mode: int | None = None) -> None:
    """Write `text` to a temporary file beside `path`, then replace `path` with it.

    The file keeps its permissions (or gets `mode` when it is new); a failure
    leaves the old file as it was and no temporary file behind. A symbolic
    link stays a link: the file it points to is the one replaced.
    """
    target = Path(os.path.realpath(path))
    if mode is None:
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text(text: str, path: Optional[Path] = None) -> None:
    """Write `text` to `path` (its folders made as needed), or to standard output."""
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
        return
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is not None:
        binary.write(text.encode("utf-8"))
        binary.flush()
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
