"""The one way tacli writes text: to a file, atomically, or to standard output as UTF-8.

A file is either wholly old or wholly new, never half written: the text goes
to a temporary file beside it, which is synced, given the old file's
permissions (and, when run as root, its owner and group), renamed over it,
and the folder synced, so that the rename survives a power cut. Standard
output gets UTF-8 and `\\n` whatever the locale, so that its bytes are those a
file would hold. Edits take a lock on the file they change, so that two
tacli processes never lose each other's work.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional, Union

from tacli.core.interrupt import stop_if_pressed
from tacli.core.outcome import UsageError

TEMPORARY_PREFIX = ".tacli-"
TEMPORARY_SUFFIX = ".tmp"
LOCK_TIMEOUT_SECONDS = 30


NAMED_WRITTEN = 2  # the files an interruption names; the others it counts
_WRITTEN: list = [0]  # how many files this run put in place (made or replaced), then the first of them, in order


def files_written() -> tuple[int, list[Path]]:
    """How many files were put in place since `forget_written`, each whole
    (written atomically), and the first NAMED_WRITTEN of them: a site of
    100,000 pages does not keep every name for the message of an interruption."""
    return _WRITTEN[0], [Path(path) for path in _WRITTEN[1:]]


_STDOUT_CUT: list = [False]  # a text written a piece at a time to standard output was begun and not finished


def stdout_cut_short() -> bool:
    """Whether standard output holds part of a text written a piece at a time (an
    export stopped while it was written there): an interruption says so."""
    return _STDOUT_CUT[0]


def forget_written() -> None:
    """Start a run's count of the files it wrote (cli.main.main, for each run)."""
    _WRITTEN[:] = [0]
    _STDOUT_CUT[0] = False


def _note_written(target) -> None:
    _WRITTEN[0] += 1
    if len(_WRITTEN) <= NAMED_WRITTEN:
        _WRITTEN.append(target)


class WriteRefused(UsageError):
    """Writing would harm what is on disk (a hard link broken, a link followed); nothing was written."""


def write_atomically(path, text: Union[str, bytes, Streamed], mode: Optional[int] = None, follow_links: bool = True) -> None:
    """Replace `path` with `text` (UTF-8; bytes as they are), atomically, keeping the file as it was.

    The file keeps its permissions (or gets `mode` when it is new) and, when
    tacli runs as root, its owner and group. A file with several hard links
    is refused: replacing it would silently split it from its other names.
    With `follow_links`, a symbolic link stays a link and the file it points
    to is replaced; without, a link at `path` is refused.
    """
    staged = stage(path, text, mode, follow_links)
    try:
        stop_if_pressed()  # Ctrl+C came and something caught it: what was made meanwhile is not put in place
    except BaseException:
        discard(staged)
        raise
    commit(staged)


def create_atomically(path, text: Union[str, bytes]) -> None:
    """Write a new file at `path`, atomically, never replacing anything there.

    Raises FileExistsError when anything is at `path` (a file, a folder, a
    symbolic link, even a broken one), also when it appeared while the text
    was being written: the staged file is hard-linked into place, which fails
    rather than replace. On a file system without hard links, the check just
    before the rename stands in for it."""
    path = Path(path)
    if os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, "something is already there", str(path))
    temporary, target = stage(path, text, follow_links=False)
    try:
        stop_if_pressed()
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (FAT, some network shares)
            if os.path.lexists(target):
                raise FileExistsError(errno.EEXIST, "something is already there", str(path)) from None
            os.replace(temporary, target)
    finally:
        _remove(temporary)
    _note_written(target)
    sync_folder(target.parent)


def stage(path, text: "Union[str, bytes, Pieced, Streamed]", mode: Optional[int] = None, follow_links: bool = True, sync: bool = True) -> tuple[Path, Path]:
    """Write `text` to a synced temporary file beside `path`; (temporary, target).
    Nothing visible changes until `commit`. Raises OSError, or WriteRefused.
    Without `sync`, the caller syncs every file it staged at once (sync_all)
    before it commits any."""
    path = Path(path)
    if not follow_links and path.is_symlink():
        raise WriteRefused(f"{path} is a symbolic link: tacli does not write through links here; remove the link")
    target = Path(os.path.realpath(path)) if follow_links else path
    try:
        current = target.stat()
    except FileNotFoundError:
        current = None
    if current is not None:
        if not stat.S_ISREG(current.st_mode):
            raise WriteRefused(f"{path} is not a regular file: tacli writes only regular files")
        if current.st_nlink > 1:
            raise WriteRefused(f"{path} has {current.st_nlink} hard links: writing it would split it from its other names; copy it to a file of its own (cp {path} {path}.new && mv {path}.new {path}) and run again")
    if mode is None:
        mode = current.st_mode & 0o7777 if current is not None else 0o666 & ~_umask()
    name = target.name[:120]
    fd, temporary = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}{name}-", suffix=TEMPORARY_SUFFIX, dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in encoded(text):
                handle.write(piece)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        if current is not None:
            _keep_owner(temporary, current)
        os.chmod(temporary, mode)
    except BaseException:
        _remove(temporary)
        raise
    return Path(temporary), target


_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


ENCODED_PIECE = 1 << 20  # characters of a text encoded at a time: a page of 50 MB is not copied whole to be written


class Pieced:
    """A text's UTF-8 bytes, `size` of them, that come a piece at a time from
    `pieces()` (each call from the start), read as they are compared or
    written: a site's page of tens of megabytes, kept in tacli's cache in
    pieces, is never held whole."""

    __slots__ = ("size", "pieces")

    def __init__(self, size: int, pieces: Callable[[], Iterator[bytes]]) -> None:
        self.size, self.pieces = size, pieces

    def __len__(self) -> int:
        return self.size


class Streamed:
    """A text made a piece at a time (str or bytes) as it is written: an export
    of a state's duties, written as its rows are read back, is never held
    whole. Its size is not known before it is written (Pieced's is)."""

    __slots__ = ("pieces",)

    def __init__(self, pieces: Callable[[], Iterator[Union[str, bytes]]]) -> None:
        self.pieces = pieces


def encoded(text: Union[str, bytes, Pieced, Streamed]) -> Iterator[Union[bytes, memoryview]]:
    """`text` as UTF-8, a piece at a time (bytes as they are, in pieces of as many bytes)."""
    if isinstance(text, (Pieced, Streamed)):
        for piece in text.pieces():
            yield from encoded(piece)
        return
    if isinstance(text, bytes):
        whole = memoryview(text)
        for start in range(0, len(text), ENCODED_PIECE):
            yield whole[start:start + ENCODED_PIECE]
        return
    for start in range(0, len(text), ENCODED_PIECE):
        yield text[start:start + ENCODED_PIECE].encode("utf-8")


def stage_new(path: str, data: Union[str, bytes], sync: bool = True) -> tuple[str, str]:
    """`stage` for a file where nothing stands yet (tacli found nothing there), in
    a few system calls: there is no old file whose mode or owner to keep, so the
    temporary file is made with the mode any new file gets (0o666 less the
    umask, as `stage` gives it). A report folder holds thousands: `stage`'s
    checks and path objects cost more than writing the file on a fast disk."""
    import secrets

    folder, name = os.path.split(path)
    for _ in range(100):
        temporary = os.path.join(folder, f"{TEMPORARY_PREFIX}{name[:120]}-{secrets.token_hex(4)}{TEMPORARY_SUFFIX}")
        try:
            descriptor = os.open(temporary, _NEW_FILE_FLAGS, 0o666)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(errno.EEXIST, "no free name for a temporary file", folder)
    try:
        try:
            for piece in encoded(data):
                view = memoryview(piece)
                while view:
                    view = view[os.write(descriptor, view):]
            if sync:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except BaseException:
        _remove(temporary)
        raise
    return temporary, path


def commit(staged: tuple[Path, Path], sync: bool = True) -> None:
    """Rename a staged file over its target and (unless the caller syncs the
    folders itself, once each) sync the folder."""
    temporary, target = staged
    try:
        os.replace(temporary, target)
    except BaseException:
        _remove(temporary)
        raise
    _note_written(target)
    if sync:
        sync_folder(Path(target).parent)


def discard(staged: tuple[Path, Path]) -> None:
    _remove(staged[0])


SYNC_ALL_FROM = 16  # files staged at once from which one system-wide sync costs less than a sync each


def can_sync_all() -> bool:
    return hasattr(os, "sync")


def sync_all(folders=()) -> None:
    """Make every file written so far in `folders` durable at once (a thousand
    reports: one call instead of a thousand). Where the C library has
    syncfs(2) (Linux), only the file systems that hold `folders` are written
    back, once each: sync(2) would wait for every other program's writes on
    every disk of the machine too, a shared CI runner's among them. Raises
    OSError when the disk could not take the files (EIO, ENOSPC, EDQUOT),
    which sync(2) never tells; any other failure of syncfs (a kernel without
    it, a security filter that forbids it) falls back to sync(2)."""
    syncfs = _syncfs()
    descriptors = _file_systems(folders) if syncfs is not None else None
    if not descriptors:
        os.sync()
        return
    try:
        for descriptor in descriptors:
            try:
                syncfs(descriptor)
            except OSError as exc:
                if exc.errno in _NOT_TAKEN:
                    raise
                os.sync()  # syncfs not to be had here: everything, as before
                return
    finally:
        for descriptor in descriptors:
            os.close(descriptor)


def _file_systems(folders) -> list[int]:
    """An open descriptor of one folder on each file system that holds `folders`."""
    found: dict[int, int] = {}
    try:
        for folder in folders:
            device = os.stat(folder).st_dev
            if device not in found:
                found[device] = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # a folder gone meanwhile: everything is synced instead
        for descriptor in found.values():
            os.close(descriptor)
        return []
    return list(found.values())


_SYNCFS: list = []
_NOT_TAKEN = {errno.EIO, errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}  # what syncfs says when the disk could not take the files


def _syncfs():
    """The C library's syncfs(2) as a function that raises OSError, or None
    where there is none (macOS, Windows)."""
    if not _SYNCFS:
        syncfs = None
        try:
            import ctypes

            function = ctypes.CDLL(None, use_errno=True).syncfs
            function.argtypes, function.restype = [ctypes.c_int], ctypes.c_int

            def syncfs(descriptor: int) -> None:
                if function(descriptor) != 0:
                    number = ctypes.get_errno()
                    raise OSError(number, os.strerror(number))
        except (AttributeError, OSError, TypeError):  # no such function, or no C library to look in
            syncfs = None
        _SYNCFS.append(syncfs)
    return _SYNCFS[0]


def sync_folder(folder: Path) -> None:
    """Make a rename or removal in `folder` durable (POSIX; Windows has no folder sync)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder
    finally:
        os.close(fd)


def _keep_owner(temporary: str, current: os.stat_result) -> None:
    """Give the new file the old one's owner and group; only root may give a file away."""
    if os.name != "posix":
        return
    uid = current.st_uid if os.geteuid() == 0 else -1
    if uid == -1 and current.st_gid == os.getegid():
        return
    try:
        os.chown(temporary, uid, current.st_gid)
    except PermissionError:
        pass  # a group the user is not in: the file gets the user's group


def _remove(path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text(text: Union[str, bytes, Streamed], path: Optional[Path] = None) -> None:
    """Write `text` to `path` (its folders made as needed), or to standard output;
    bytes (a binary format) go as they are, a Streamed text a piece at a time."""
    stop_if_pressed()
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text, follow_links=False)  # never through a link (commands.outputs refuses one first)
        return
    try:
        sys.stdout.flush()
        binary = getattr(sys.stdout, "buffer", None)
        _STDOUT_CUT[0] = isinstance(text, Streamed)
        if binary is not None:
            for piece in encoded(text) if isinstance(text, Streamed) else (text if isinstance(text, bytes) else text.encode("utf-8"),):
                binary.write(piece)
            binary.flush()
        else:
            for piece in text.pieces() if isinstance(text, Streamed) else (text,):
                sys.stdout.write(piece if isinstance(piece, str) else piece.decode("utf-8"))
            sys.stdout.flush()
        _STDOUT_CUT[0] = False
    except BrokenPipeError:  # the reader stopped (`| head`): it wants no more, which is no error
        _stdout_to_nowhere()


def _stdout_to_nowhere() -> None:
    """Standard output pointed at the null device: what is still buffered for
    a pipe whose reader has gone is dropped at exit, without a second error."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on `path` (the file it resolves to) while editing it.

    The lock file lives in a folder of the user's own in the temporary
    folder, named after the file's real path, so no lock file ever appears
    beside the user's files. Every tacli edit takes it, so two edits of one
    file run one after the other and neither is lost.
    """
    from filelock import FileLock, Timeout

    real = os.path.realpath(path)
    name = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".lock"
    lock = FileLock(str(_lock_folder() / name))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise UsageError(f"{path} is being edited by another tacli command: nothing was written; try again when it has finished") from None
    try:
        yield
    finally:
        lock.release()


def _lock_folder() -> Path:
    """A folder only this user can write to, for lock files."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    folder = Path(tempfile.gettempdir()) / f"tacli-locks-{user}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except FileExistsError:  # a file, or a link to one, where the folder should be
        raise UsageError(f"{folder} is not a private folder of this user: tacli keeps its edit locks there; remove it and run again") from None
    except OSError as exc:
        raise UsageError(f"cannot make {folder}, where tacli keeps its edit locks: {exc.strerror or exc}; set TMPDIR to a folder you can write to") from None
    if os.name == "posix":
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise UsageError(f"{folder} is not a private folder of this user: tacli keeps its edit locks there; remove it and run again")
    return folder
