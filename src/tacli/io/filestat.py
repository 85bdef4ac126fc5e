"""When a file's stat may stand for its bytes, as git's index lets it.

A run that read a file (or found a whole folder current) remembers each
file's stat signature; a later run that finds the same signature need not
read the file again. Writing a file changes its size, its modification time
or, whatever a program does to those, its change time (which no program can
set), so a signature that did not change means the bytes did not, with one
exception: two changes within one tick of the file system's clock. A file
whose times fall within RACY_NS (COARSE_RACY_NS where the file system keeps
whole seconds only, as FAT and some network shares do) of the moment it was
read may have changed again in that tick, unseen: its signature is not
trusted, and the file is read again next time.
"""

from __future__ import annotations

import os
from typing import Optional

RACY_NS = 100_000_000  # 0.1 s: far more than the tick of a file system that keeps fractions of a second
COARSE_RACY_NS = 2_000_000_000  # FAT keeps times to 2 s
_SECOND = 1_000_000_000

Signature = tuple  # (device, inode, mode, size, modification time, change time), in nanoseconds


def signature(info: os.stat_result) -> Signature:
    """The parts of a stat that change when a file's bytes, or what stands at its path, change."""
    return (info.st_dev, info.st_ino, info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def settled(kept: Signature, seen: int) -> bool:
    """Whether a file with the signature `kept`, read at `seen` (time.time_ns()),
    had stopped changing by then: its times are older than the file system's
    clock could confuse with a change made just after."""
    modified, changed = kept[-2], kept[-1]
    coarse = modified % _SECOND == 0 and changed % _SECOND == 0
    return max(modified, changed) < seen - (COARSE_RACY_NS if coarse else RACY_NS)


def unchanged(path: str, kept: Signature, seen: int) -> bool:
    """Whether what stands at `path` (not followed if a link) still has the
    signature `kept`, remembered at `seen`, and may be trusted to hold what it held then."""
    if not settled(kept, seen):
        return False
    try:
        return signature(os.lstat(path)) == kept
    except OSError:
        return False


def lstat_signature(path: str) -> Optional[Signature]:
    """The signature of what stands at `path` (a link itself, not followed), or None."""
    try:
        return signature(os.lstat(path))
    except OSError:
        return None
