"""Report files under the reports folder: which are tacli's, what is current,
stale, missing or orphaned, and writing the ones that changed.

Reports belong to tacli; everything else belongs to the user. Every report
ends with a marker line, and tacli overwrites or prunes only files that
carry it: a hand-written `summary.md` or `notes/plan.md` is left alone, with a
message. Nothing is written or deleted through a symbolic link inside the
reports folder. A run writes all its reports or none: every changed report is
staged beside its place first, and only when all are staged are they renamed
into place, so a full disk or a name too long leaves the previous reports as
they were.
"""

from __future__ import annotations

import os
import stat
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from tacli.domain.reports import report_kind, report_path
from tacli.io.filestat import signature
from tacli.io.writer import Pieced
from tacli.core.outcome import UsageError

MARKER = "<!-- Written by tacli report from the engagement files: change them, not this file; tacli rewrites it. -->"
STALE_TEMPORARY_SECONDS = 600
MAX_WRITE_THREADS = 8  # threads that stage files at once (one a core, at most this many)


@dataclass(frozen=True)
class Output:
    """A rendered report: its kind, its path under the reports folder, its text
    (marker included), or that text's UTF-8 bytes, whole or a piece at a time
    (io.writer.Pieced: a page of tens of megabytes read back from tacli's
    cache as it is compared and written)."""

    kind: str
    path: str
    text: Union[str, bytes, Pieced]


def _utf8(text: Union[str, bytes, Pieced]) -> bytes:
    if isinstance(text, Pieced):
        return b"".join(text.pieces())
    return text if isinstance(text, bytes) else text.encode("utf-8")


def with_marker(text: str) -> str:
    """A report's text with the line that says tacli wrote it."""
    return text + "\n" + MARKER + "\n"


def written_by_tacli(path: Path, markers: tuple[str, ...] = (MARKER,)) -> bool:
    """Whether the file at `path` (not a link) ends with one of tacli's marker lines.
    A FIFO or device in its place is not tacli's, and is never waited on: one
    put there after the check that it is a regular file is opened without
    waiting, and not followed if it is a link."""
    if not _regular(path):
        return False
    encoded = [marker.encode("utf-8") for marker in markers]
    try:
        descriptor = os.open(path, _READ_FLAGS)
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return False
            size = os.lseek(descriptor, 0, os.SEEK_END)
            os.lseek(descriptor, max(0, size - max(map(len, encoded)) - 4), os.SEEK_SET)
            tail = os.read(descriptor, max(map(len, encoded)) + 4)
        finally:
            os.close(descriptor)
    except OSError:
        return False
    return any(tail.rstrip(b"\r\n").endswith(marker) for marker in encoded)


@dataclass(frozen=True)
class Layout:
    """A folder of files tacli writes: the marker lines that say a file is
    tacli's, and which files already there are candidates (named like its own)."""

    markers: tuple[str, ...]
    existing: Callable[[Path], list[str]]
    listed: Optional[Callable[[Path], list[str]]] = None  # the folders `existing` lists (under the folder, "" itself): a file put in one is seen


def reports_layout(kinds: tuple[str, ...]) -> Layout:
    """The reports folder of `tacli report`, for reports of `kinds`."""
    return Layout((MARKER,), lambda out_dir: existing_reports(out_dir, kinds), report_folders)


def report_folders(out_dir: Path) -> list[str]:
    """The folders existing_reports lists: the reports folder and each folder in it (not hidden, not a link)."""
    return ["", *(name for name, is_folder in _entries(out_dir) if is_folder and not name.startswith("."))]


class ReportWriteError(UsageError):
    """A report could not be written; the reports on disk are as they were,
    unless the message says otherwise."""


def _standing(out_dir: str, output: Output, markers: tuple[bytes, ...], folders: dict[str, bool], signatures: Optional[dict] = None) -> str:
    """What the disk holds at `output`'s path: linked, missing, foreign, current or stale
    (the file read once, its marker and its text compared from the same bytes; a
    line ending alone, from a CRLF checkout, does not make it stale). `out_dir`
    ends with a separator and `markers` are encoded: this runs once a report,
    thousands of times a run."""
    path = output.path
    parts = path.split("/")
    for last in range(1, len(parts)):  # each folder on the way: asked once a run
        folder = "/".join(parts[:last])
        linked = folders.get(folder)
        if linked is None:
            linked = folders[folder] = os.path.islink(out_dir + folder)
        if linked:
            return "linked"
    target = out_dir + path
    try:
        info = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    if stat.S_ISLNK(info.st_mode):
        return "linked"
    if not stat.S_ISREG(info.st_mode):
        return "foreign"
    text = output.text
    if len(text) > LARGE_TEXT:
        found = _large_standing(target, info, text, markers)
        if found == "current" and signatures is not None:
            signatures[path] = signature(info)
        return found
    expected = _utf8(text)
    if info.st_size > len(expected) * 2 + 1024:  # too large to be the text: only its end is read
        return "stale" if written_by_tacli(Path(target), tuple(marker.decode("utf-8") for marker in markers)) else "foreign"
    try:
        descriptor = os.open(target, _READ_FLAGS)  # a FIFO or link put there since the lstat is not waited on or followed
        try:
            current = os.read(descriptor, len(expected) * 2 + 1025)
        finally:
            os.close(descriptor)
    except OSError:
        return "foreign"
    if current == expected:
        if signatures is not None:
            signatures[path] = signature(info)
        return "current"
    tail = current[-(max(map(len, markers)) + 4):].rstrip(b"\r\n")
    if not any(tail.endswith(marker) for marker in markers):
        return "foreign"
    if current.replace(b"\r\n", b"\n") == expected:
        if signatures is not None:
            signatures[path] = signature(info)
        return "current"
    return "stale"


LARGE_TEXT = 1 << 20  # characters from which a text is compared with its file a piece at a time (_large_standing)


def _large_standing(target: str, info: os.stat_result, text: Union[str, bytes], markers: tuple[bytes, ...]) -> str:
    """_standing of a large text (a dashboard of 10,000 engagements is some 40 MB):
    compared with the file a piece at a time, a CRLF checkout's line endings
    too, so that neither the text's bytes nor the file's are held whole
    beside the text, whether the file is current or stale."""
    if info.st_size > len(text) * 4 * 2 + 1024:  # too large to be the text, even all of four bytes
        return "stale" if written_by_tacli(Path(target), tuple(marker.decode("utf-8") for marker in markers)) else "foreign"
    same = _file_holds(target, text, crlf=False)
    if same is None:
        return "foreign"
    if same:
        return "current"
    if not written_by_tacli(Path(target), tuple(marker.decode("utf-8") for marker in markers)):
        return "foreign"
    return "current" if _file_holds(target, text, crlf=True) else "stale"


def _file_holds(target: str, text: Union[str, bytes], crlf: bool) -> Optional[bool]:
    """Whether the file at `target` holds `text`'s UTF-8 bytes (with `crlf`, once
    its CRLF line endings are read as LF), read a piece at a time; None when
    it cannot be read (a FIFO or link put there since its lstat is not waited
    on or followed)."""
    from tacli.io.writer import encoded

    try:
        descriptor = os.open(target, _READ_FLAGS)
    except OSError:
        return None
    try:
        found = _Pieces(_file_pieces(descriptor, crlf))
        return all(found.take(len(piece)) == piece for piece in encoded(text)) and not found.take(1)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _file_pieces(descriptor: int, crlf: bool) -> Iterator[bytes]:
    """A file's bytes a piece at a time; with `crlf`, each CRLF read as LF (a CR
    that ends a piece waits for the next, which may begin with its LF)."""
    from tacli.io.writer import ENCODED_PIECE

    carry = b""
    while True:
        piece = os.read(descriptor, ENCODED_PIECE)
        if not piece:
            if carry:
                yield carry
            return
        if crlf:
            piece, carry = carry + piece, b""
            if piece.endswith(b"\r"):
                piece, carry = piece[:-1], b"\r"
            piece = piece.replace(b"\r\n", b"\n")
        yield piece


class _Pieces:
    """Bytes that come in pieces, taken so many at a time."""

    def __init__(self, pieces: Iterator[bytes]):
        self.pieces, self.held = pieces, b""

    def take(self, size: int) -> bytes:
        """The next `size` bytes, fewer only at the end."""
        while len(self.held) < size:
            piece = next(self.pieces, None)
            if piece is None:
                break
            self.held += piece
        taken, self.held = self.held[:size], self.held[size:]
        return taken


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def existing_reports(out_dir: Path, kinds: tuple[str, ...]) -> list[str]:
    """Regular files under `out_dir` (links not followed) whose paths are named like reports of `kinds`."""
    if not out_dir.is_dir():
        return []
    summary = report_path("summary")
    candidates = [summary] if _regular(out_dir / summary) else []
    for folder in sorted(name for name, is_folder in _entries(out_dir) if is_folder and not name.startswith(".")):
        candidates.extend(f"{folder}/{name}" for name, is_file in _entries(out_dir / folder, files=True) if is_file and os.path.splitext(name)[1] == ".md")
    return [path for path in candidates if report_kind(path) in kinds]


def _entries(folder: Path, files: bool = False) -> list[tuple[str, bool]]:
    """(name, whether it is a folder, or with `files` a regular file) of what `folder`
    holds, links not followed, sorted by name: what the listing says, without a
    `stat` a file where the system tells each entry's type."""
    with os.scandir(folder) as found:
        return sorted((entry.name, entry.is_file(follow_symlinks=False) if files else entry.is_dir(follow_symlinks=False)) for entry in found)


@dataclass
class Comparison:
    """The reports folder against the reports of a run: each list in path order (`compare`'s `order`)."""

    current: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)  # tacli's reports that no engagement produces now
    foreign: list[str] = field(default_factory=list)  # a report's place holds a file tacli did not write
    linked: list[str] = field(default_factory=list)  # a report's place is, or lies behind, a symbolic link
    left_alone: list[str] = field(default_factory=list)  # named like a report, not written by tacli: not an orphan
    withdrawn: list[str] = field(default_factory=list)  # tacli's files of an engagement whose file cannot be read now
    state: Optional["SeenState"] = None  # with `remember`, when every file was found current: what the next --check may trust

    @property
    def ok(self) -> bool:
        return not (self.stale or self.missing or self.orphaned or self.foreign or self.linked or self.withdrawn)

    @property
    def outputs(self) -> int:
        """How many outputs the run compared: each stands in one of five lists."""
        return len(self.current) + len(self.stale) + len(self.missing) + len(self.foreign) + len(self.linked)

    def blocked(self, force: bool = False) -> list[str]:
        """The reports that cannot be written: behind a link, or (unless forced) over a file tacli did not write."""
        return self.linked + ([] if force else self.foreign)


_STANDINGS = ("current", "stale", "missing", "foreign", "linked")


class _Standings:
    """Outputs compared with the folder one at a time, as they come: only their
    paths are kept, never their texts (write_outputs, compare)."""

    def __init__(self, out_dir: Path, layout: Layout, remember: bool):
        self.out_dir, self.layout = out_dir, layout
        self.result = Comparison()
        self.produced: set[str] = set()
        self.root = os.path.join(os.fspath(out_dir), "")
        self.markers = tuple(marker.encode("utf-8") for marker in layout.markers)
        self.links: dict[str, bool] = {}  # each folder on the way, whether it is a link: asked once, not once a file
        self.seen = time.time_ns()
        self.folder_signatures: Optional[dict] = None
        if remember:
            try:
                self.folder_signatures = {"": signature(os.stat(out_dir))}  # followed, as the files under it are reached
            except OSError:
                pass
        self.signatures: Optional[dict] = {} if self.folder_signatures is not None else None

    def standing(self, output: Output) -> str:
        """Where `output` stands (_standing), noted."""
        if self.folder_signatures is not None:
            self._sign_folders(output.path)
        found = _standing(self.root, output, self.markers, self.links, self.signatures)
        getattr(self.result, found).append(output.path)
        self.produced.add(output.path)
        return found

    def _sign_folders(self, path: str) -> None:
        """The signature (not followed) of each folder on the way to `path`, taken
        before any file in it is read; when one cannot be had, nothing is remembered."""
        from tacli.io.filestat import lstat_signature

        parts = path.split("/")
        for last in range(1, len(parts)):
            folder = "/".join(parts[:last])
            if folder not in self.folder_signatures:
                kept = lstat_signature(self.root + folder)
                if kept is None:
                    self.folder_signatures = self.signatures = None
                    return
                self.folder_signatures[folder] = kept

    def finished(self, orphans: bool, withdrawn: tuple[str, ...], order: Optional[Callable[[str], Any]]) -> Comparison:
        """The comparison, once every output is in: tacli's files that no output
        produces (orphans, or withdrawn under a `withdrawn` folder), each list in `order`."""
        result, out_dir, layout = self.result, self.out_dir, self.layout
        for name in _STANDINGS:
            getattr(result, name).sort(key=order)
        others: list[str] = []  # named like tacli's files, none of this run's: left alone (a change to one may make it an orphan)
        for path in layout.existing(out_dir) if orphans or withdrawn else ():
            if path in self.produced:
                continue
            others.append(path)
            if not written_by_tacli(out_dir / path, layout.markers):
                result.left_alone.append(path)
            elif path.startswith(withdrawn) if withdrawn else False:
                result.withdrawn.append(path)
            elif orphans:
                result.orphaned.append(path)
        signatures = self.signatures
        if signatures is not None and result.ok and len(signatures) == len(self.produced) and orphans:
            listed = _listed_signatures(out_dir, layout, others)
            if listed is not None:
                result.state = SeenState(signatures, self.folder_signatures, self.seen, listed)
        return result


def compare(outputs: Iterable[Output], out_dir: Path, kinds: tuple[str, ...], orphans: bool = True, layout: Optional[Layout] = None, withdrawn: tuple[str, ...] = (), remember: bool = False, order: Optional[Callable[[str], Any]] = None) -> Comparison:
    """What on disk differs from `outputs` (any iterable: each is compared as it
    comes, and only its path kept); orphans are tacli's reports that no
    output produces. `layout` is the reports folder's unless given (the site's).
    Under a `withdrawn` folder (an engagement whose file cannot be read now),
    tacli's files are withdrawn, not orphans: what they show is no longer so.
    With `remember`, a folder found wholly current comes back with its
    SeenState (each signature taken before the file, or the first file in
    the folder, was read). Each list is sorted by `order`, a key on paths
    (by default, the paths themselves)."""
    layout = layout or reports_layout(kinds)
    standings = _Standings(out_dir, layout, remember)
    for output in outputs:
        standings.standing(output)
    return standings.finished(orphans, withdrawn, order)


def _listed_signatures(out_dir: Path, layout: Layout, others: list[str]) -> Optional[dict]:
    """The signature (not followed) of every folder the layout lists for its files
    (Layout.listed) and of every file named like one of tacli's that no output is:
    a file put in a folder that holds no output, or a file left alone given a
    marker in place, makes an orphan without changing any output's folder.
    Taken after the comparison, they are trusted only if they had settled
    before it began (SeenState.seen). None: the folder cannot be remembered."""
    from tacli.io.filestat import lstat_signature

    if layout.listed is None:
        return None
    try:
        folders = layout.listed(out_dir)
    except OSError:
        return None
    root = os.path.join(os.fspath(out_dir), "")
    found = {}
    for path in [folder for folder in folders if folder] + others:
        kept = lstat_signature(root + path)
        if kept is None:
            return None
        found[path] = kept
    return found


@dataclass(frozen=True)
class SeenState:
    """An output folder as a --check found it, every file current: each file's
    and each folder's signature (io.filestat), each taken before the file, or
    the first file in the folder, was read, and trusted only if it had
    settled by `seen`, when the comparison began. Kept in tacli's cache under
    what the files are made from (the engagements' keys, the kinds, the
    templates, the day), it lets the next
    --check over the same inputs ask the file system for signatures alone:
    no file read, nothing rendered. A folder's signature changes when a file
    in it is added, removed or renamed, so a file put there since (an orphan,
    a file tacli did not write) is not missed."""

    files: dict  # path under the folder -> signature
    folders: dict  # folder under it ("" itself) -> signature
    seen: int
    listed: dict = field(default_factory=dict)  # the other folders listed for orphans, and files left alone -> signature

    def holds(self, out_dir: Path) -> bool:
        """Whether every file and folder still has its signature, and had stopped changing when it was seen."""
        from tacli.io.filestat import settled, unchanged

        root = os.path.join(os.fspath(out_dir), "")
        try:
            if signature(os.stat(out_dir)) != self.folders.get(""):
                return False
        except OSError:
            return False
        if not settled(self.folders[""], self.seen):
            return False
        others = [(folder, kept) for folder, kept in self.folders.items() if folder]
        return all(unchanged(root + path, kept, self.seen) for path, kept in [*others, *self.files.items(), *self.listed.items()])


def write_outputs(outputs: Iterable[Output], out_dir: Path, kinds: tuple[str, ...], prune: bool = False, orphans: bool = True, force: bool = False, layout: Optional[Layout] = None, withdrawn: tuple[str, ...] = (), order: Optional[Callable[[str], Any]] = None) -> Comparison:
    """Write the outputs that differ from the disk, all or none; with `prune`,
    delete tacli's orphans; always delete tacli's withdrawn files (`compare`).
    Nothing is written when a report is blocked (`Comparison.blocked`). Returns
    what was found before writing; raises ReportWriteError naming the report
    that could not be written.

    `outputs` may be any iterable, made as it is read (a site's pages, taken
    from tacli's cache or rendered by worker processes): each output is
    compared as it comes and, when it changed, staged beside its place in a
    round of files that several threads stage (_Staging), then dropped, so
    memory holds a round's texts, not every page of a state's portfolio. Only
    once every output is staged is any put in place, in `order` (compare)."""
    from tacli.core.interrupt import held_back, stop_if_pressed
    from tacli.io.writer import SYNC_ALL_FROM, can_sync_all, commit, sync_all, sync_folder

    layout = layout or reports_layout(kinds)
    standings = _Standings(out_dir, layout, remember=False)
    with _Staging(out_dir, sync=not can_sync_all(), order=order, layout=layout) as staging:
        changed = ("stale", "missing", "foreign") if force else ("stale", "missing")
        for output in outputs:
            found = standings.standing(output)
            if found not in changed and found != "current":  # blocked (Comparison.blocked): nothing will be written, so nothing more is staged
                staging.stop()
            elif found in changed and not staging.stopped:
                staging.add(output, new=found == "missing")
        staging.collect()
        result = standings.finished(orphans, withdrawn, order)
        if result.blocked(force):
            staging.discard()
            return result
        staging.raise_failure()
        staging.remove_stale_temporaries()
        staged = sorted(staging.staged, key=lambda item: staging.order(item[0]))  # put in place in path order, as they are named after an interruption
        staged_in = {os.path.dirname(staging.root + path) for path, _ in staged}
        if staged and not staging.sync:  # made durable at once, before any is put in place
            try:
                if len(staged) >= SYNC_ALL_FROM:  # one call for every file
                    sync_all(sorted(staged_in))
                else:
                    for item in staged:
                        _sync_file(staging.pair(item)[0])
            except OSError as exc:  # the disk could not take them: none is put in place
                staging.discard()
                raise ReportWriteError(f"cannot write {out_dir.as_posix().rstrip('/')}: the disk did not take the files ({exc.strerror or exc}); nothing there was changed") from None
        stop_if_pressed()  # Ctrl+C that something caught on the way: leaving the block discards every staged file
        staging.handed_over()
    folders = {Path(folder) for folder in staged_in}  # a path object a folder, not a file
    with held_back():  # Ctrl+C here leaves every report in place, never some of them
        for item in staged:
            commit(staging.pair(item), sync=False)
        for path in (result.orphaned if prune else []) + result.withdrawn:
            target = out_dir / path
            target.unlink()
            folders.add(target.parent)
            parent = target.parent
            while parent != out_dir and not any(parent.iterdir()):
                parent.rmdir()
                folders.discard(parent)
                parent = parent.parent
                folders.add(parent)
    folders = {folder for folder in folders if folder.is_dir()}
    if len(folders) >= SYNC_ALL_FROM and can_sync_all():  # the renames made durable by one call
        try:
            sync_all(sorted(folders))
        except OSError as exc:
            raise ReportWriteError(f"the files in {out_dir.as_posix().rstrip('/')} are in place, but the disk reported an error while making them durable ({exc.strerror or exc}): check the disk, then run again") from None
    else:
        for folder in sorted(folders):
            sync_folder(folder)
    return result


def _plain(path: str) -> str:
    return path


def _sync_file(path) -> None:
    """A staged file's bytes made durable, from a descriptor of its own (a few files: cheaper than syncing the file system)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


STAGE_BATCH = 64  # files of one folder a staging thread takes at once
ROUND_FILES = 2048  # files staged in one round, at most (_Staging)
ROUND_CHARACTERS = 4 * 2**20  # and characters of text: what a run holds at once (a site of 10,000 engagements: 16 M held 24 MB more, for 2% less time)


class _Staging:
    """Changed outputs staged beside their places (io.writer.stage, or stage_new
    where nothing stands yet) by several threads, in rounds, as they come.
    Creating a file is the kernel's work, and it waits on the file system: on
    a slow disk 10,000 reports took 6 s one after the other, about half that
    on two threads. The outputs given are gathered into a round (ROUND_FILES,
    ROUND_CHARACTERS: what a run holds), in batches of one folder's files;
    then the threads stage the round's batches while the caller waits, and
    the texts are dropped. A caller that went on making outputs meanwhile
    would hold the interpreter's lock the threads take back between system
    calls, and they would wait for it: a report folder took 15% longer so.
    A batch is staged in path order (`order`, a key on paths) and ends at its
    first failure; the other batches go on, and the failure named is the
    first in path order, whatever the order the outputs came in and the
    threads' timing. tacli's temporary files a killed run left behind are
    removed before the first round (and by a write that stages nothing, unless
    it is blocked). Leaving the block by an exception
    (Ctrl+C) discards every file staged and the folders made for them; so
    does `discard`. `handed_over` leaves them to the caller, who puts them in
    place. `staged` holds (path, temporary file's name) of each file staged:
    100,000 of them are some 14 MB, where the two paths whole were 40 (`pair`
    gives them)."""

    def __init__(self, out_dir: Path, sync: bool, order: Optional[Callable[[str], Any]] = None, layout: Optional[Layout] = None):
        self.out_dir, self.sync, self.order, self.layout = out_dir, sync, order or _plain, layout
        self.root = os.path.join(os.fspath(out_dir), "")
        self.stopped = False
        self.staged: list = []
        self.made: list[str] = []  # the folders staging made: removed again (when empty) if nothing is put in place
        self.failures: list[tuple[str, OSError]] = []
        self.pool = None
        self.pending: deque = deque()
        self.round: list[list[tuple[Output, bool]]] = []  # batches, each of one folder's outputs
        self.round_files = self.round_characters = 0
        self.batch_folder: Optional[str] = None
        self.threads = max(1, min(MAX_WRITE_THREADS, os.cpu_count() or 1))
        self.kept = self.swept = False

    def __enter__(self) -> "_Staging":
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is not None and not self.kept:
            self.discard()

    def stop(self) -> None:
        """Nothing more is staged (the write is blocked)."""
        self.stopped = True
        self.round, self.round_files, self.round_characters = [], 0, 0

    def add(self, output: Output, new: bool) -> None:
        """`output` staged, in its round: its folder's batch, which a thread takes."""
        folder = os.path.dirname(output.path)
        if folder != self.batch_folder or len(self.round[-1]) >= STAGE_BATCH:
            self.round.append([])
            self.batch_folder = folder
        self.round[-1].append((output, new))
        self.round_files += 1
        self.round_characters += len(output.text)
        if self.round_files >= ROUND_FILES or self.round_characters >= ROUND_CHARACTERS:
            self._stage_round()

    def _stage_round(self) -> None:
        """The round's batches staged by the threads, waiting for them; the texts dropped."""
        from concurrent.futures import ThreadPoolExecutor

        from tacli.core.interrupt import held_back

        batches, self.round = self.round, []
        self.round_files = self.round_characters = 0
        self.batch_folder = None
        if not batches:
            return
        self.remove_stale_temporaries()  # before this run's are staged (once): a folder of 10,000 is not walked past them
        self.pool = ThreadPoolExecutor(max_workers=self.threads)
        with held_back():  # Ctrl+C within submit (a thread starting) left a batch staged that `pending` did not hold, and `discard` never removed
            for batch in batches:
                self.pending.append(self.pool.submit(self._stage, batch))
        del batches, batch
        while self.pending:
            self._take_first()
        # No thread outlives its round: the caller may fork (core.background, a
        # worker process) before the next, and a fork copies no thread but
        # whatever lock one held (Python 3.12 warns of it).
        self.pool.shutdown(wait=True)
        self.pool = None

    def _take_first(self) -> None:
        """The first batch's staged files, once it is done (waiting for it). It leaves
        `pending` only then: a Ctrl+C while waiting leaves it for `discard`."""
        done, failure = self.pending[0].result()
        self.pending.popleft()
        self.staged += done
        if failure is not None:
            self.failures.append(failure)

    def pair(self, item: tuple[str, str]) -> tuple[str, str]:
        """A staged file's (temporary, target): its path under the folder, with its temporary file's name."""
        path, name = item
        target = self.root + path
        return os.path.join(os.path.dirname(target), name), target

    def _stage(self, items: list[tuple[Output, bool]]) -> tuple[list, Optional[tuple[str, OSError]]]:
        """One batch of a folder's outputs, staged in path order; the first that fails ends the batch."""
        from tacli.io.writer import stage, stage_new

        root, sync, done = self.root, self.sync, []
        folder = os.path.dirname(root + items[0][0].path)
        order = self.order
        for output, new in sorted(items, key=lambda item: order(item[0].path)):
            try:
                if not done:
                    missing, parent = [], folder
                    while parent and not os.path.isdir(parent):
                        missing.append(parent)
                        parent = os.path.dirname(parent)
                    os.makedirs(folder, exist_ok=True)
                    self.made.extend(missing)
                if new:
                    temporary, _ = stage_new(root + output.path, output.text, sync=sync)
                else:
                    temporary, _ = stage(Path(root + output.path), output.text, follow_links=False, sync=sync)
                done.append((output.path, os.path.basename(temporary)))
            except OSError as exc:
                return done, (output.path, exc)
            except BaseException:  # a refusal (io.writer.WriteRefused): nothing of the batch is left behind
                _discard_all([self.pair(item) for item in done], [])
                raise
        return done, None

    def remove_stale_temporaries(self) -> None:
        """tacli's temporary files a killed run left behind, removed once a run
        (before the first round, or when a write that stages nothing is not
        blocked), in the folders tacli writes (Layout.listed) alone: never
        below them, in a folder of someone else's."""
        if not self.swept:
            self.swept = True
            listed = self.layout.listed if self.layout is not None and self.layout.listed is not None else None
            _remove_stale_temporaries(self.out_dir, listed(self.out_dir) if listed is not None and self.out_dir.is_dir() else [""])

    def collect(self) -> None:
        """Every file staged, once every thread is done (waiting for them)."""
        self._stage_round()

    def raise_failure(self) -> None:
        """When a file could not be staged: every file staged discarded, and the first failure in path order raised."""
        if not self.failures:
            return
        path, exc = min(self.failures, key=lambda failure: self.order(failure[0]))
        self.discard()
        in_the_way = _file_in_place_of_a_folder(self.out_dir, path)
        if in_the_way is not None:
            raise ReportWriteError(f"{in_the_way} is a file where a folder of what tacli writes goes ({path}): move it away, or write to another folder; nothing there was changed") from None
        raise ReportWriteError(f"cannot write {self.out_dir.as_posix().rstrip('/')}/{path}: {exc.strerror or exc}; nothing there was changed") from None

    def discard(self) -> None:
        """Every file staged removed, and the folders made for them (each only if
        empty), the threads stopped first; a second Ctrl+C waits until all are gone."""
        from tacli.core.interrupt import held_back

        with held_back():
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
                for future in self.pending:
                    if not future.cancelled() and future.exception() is None:
                        self.staged += future.result()[0]
                self.pending.clear()
            self.round = []
            _discard_all([self.pair(item) for item in self.staged], self.made)
            self.staged = []

    def handed_over(self) -> None:
        """The staged files are the caller's now: leaving the block keeps them."""
        self.kept = True


def _discard_all(staged: list, made: list) -> None:
    """Every staged file removed, then the folders made for them (each only if empty)."""
    from tacli.io.writer import discard

    for item in staged:
        discard(item)
    _remove_empty(made)


def _remove_empty(folders: list[str]) -> None:
    """The folders a failed or interrupted run made, deepest first, each only if it is empty."""
    for folder in sorted(set(folders), key=len, reverse=True):
        try:
            os.rmdir(folder)
        except OSError:
            pass


def _remove_stale_temporaries(out_dir: Path, folders: list[str]) -> None:
    """Temporary files a killed run left behind in `folders` of `out_dir` (each
    folder itself, not below it; tacli's own names only, old enough that no
    running tacli can still be writing them)."""
    from tacli.io.writer import TEMPORARY_PREFIX, TEMPORARY_SUFFIX

    if not out_dir.is_dir():
        return
    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    for name in folders:
        folder = out_dir / name
        if folder.is_symlink() or not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.name.startswith(TEMPORARY_PREFIX) and entry.name.endswith(TEMPORARY_SUFFIX) and _regular(entry):
                try:
                    if entry.lstat().st_mtime < cutoff:
                        entry.unlink()
                except OSError:
                    pass


def _file_in_place_of_a_folder(out_dir: Path, path: str) -> Optional[str]:
    """The folder on the way to `path` in `out_dir` that is something else (a
    file, a FIFO), as the user names it; None when there is none."""
    parts = Path(path).parts[:-1]
    for count in range(1, len(parts) + 1):
        folder = out_dir.joinpath(*parts[:count])
        if os.path.lexists(folder) and not folder.is_dir():
            return f"{out_dir.as_posix().rstrip('/')}/{'/'.join(parts[:count])}"
    return None
