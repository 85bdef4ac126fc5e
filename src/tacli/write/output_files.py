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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from tacli.domain.reports import report_kind, report_path
from tacli.io.filestat import signature
from tacli.core.outcome import UsageError

MARKER = "<!-- Written by tacli report from the engagement files: change them, not this file; tacli rewrites it. -->"
STALE_TEMPORARY_SECONDS = 600
MAX_WRITE_THREADS = 8  # threads that stage files at once (one a core, at most this many)


@dataclass(frozen=True)
class Output:
    """A rendered report: its kind, its path under the reports folder, its text (marker included)."""

    kind: str
    path: str
    text: str


def with_marker(text: str) -> str:
    """A report's text with the line that says tacli wrote it."""
    return text + "\n" + MARKER + "\n"


def written_by_tacli(path: Path, markers: tuple[str, ...] = (MARKER,)) -> bool:
    """Whether the file at `path` (not a link) ends with one of tacli's marker lines.
    A FIFO or device in its place is not tacli's, and is never opened."""
    if not _regular(path):
        return False
    encoded = [marker.encode("utf-8") for marker in markers]
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - max(map(len, encoded)) - 4))
            tail = handle.read()
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
    expected = output.text.encode("utf-8")
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
    """The reports folder against the reports of a run."""

    current: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)  # tacli's reports that no engagement produces now
    foreign: list[str] = field(default_factory=list)  # a report's place holds a file tacli did not write
    linked: list[str] = field(default_factory=list)  # a report's place is, or lies behind, a symbolic link
    left_alone: list[str] = field(default_factory=list)  # named like a report, not written by tacli: not an orphan
    withdrawn: list[str] = field(default_factory=list)  # tacli's files of an engagement whose file cannot be read now
    state: Optional["SeenState"] = None  # with `remember`, when every file was found current: what the next --check may trust
    more: list = field(default_factory=list)  # the outputs write_outputs' `more` gave (written with the others)

    @property
    def ok(self) -> bool:
        return not (self.stale or self.missing or self.orphaned or self.foreign or self.linked or self.withdrawn)

    def blocked(self, force: bool = False) -> list[str]:
        """The reports that cannot be written: behind a link, or (unless forced) over a file tacli did not write."""
        return self.linked + ([] if force else self.foreign)


def compare(outputs: list[Output], out_dir: Path, kinds: tuple[str, ...], orphans: bool = True, layout: Optional[Layout] = None, withdrawn: tuple[str, ...] = (), remember: bool = False) -> Comparison:
    """What on disk differs from `outputs`; orphans are tacli's reports that no
    output produces. `layout` is the reports folder's unless given (the site's).
    Under a `withdrawn` folder (an engagement whose file cannot be read now),
    tacli's files are withdrawn, not orphans: what they show is no longer so.
    With `remember`, a folder found wholly current comes back with its
    SeenState (the signatures taken before anything was read)."""
    layout = layout or reports_layout(kinds)
    result = Comparison()
    folders: dict[str, bool] = {}  # each folder on the way, whether it is a link: asked once, not once a file
    root = os.path.join(os.fspath(out_dir), "")
    markers = tuple(marker.encode("utf-8") for marker in layout.markers)
    seen = time.time_ns()
    folder_signatures = _folder_signatures(out_dir, outputs) if remember else None
    signatures: Optional[dict] = {} if folder_signatures is not None else None
    for output in outputs:
        found = _standing(root, output, markers, folders, signatures)
        getattr(result, found).append(output.path)
    produced = {output.path for output in outputs}
    others: list[str] = []  # named like tacli's files, none of this run's: left alone (a change to one may make it an orphan)
    for path in layout.existing(out_dir) if orphans or withdrawn else ():
        if path in produced:
            continue
        others.append(path)
        if not written_by_tacli(out_dir / path, layout.markers):
            result.left_alone.append(path)
        elif path.startswith(withdrawn) if withdrawn else False:
            result.withdrawn.append(path)
        elif orphans:
            result.orphaned.append(path)
    if signatures is not None and result.ok and len(signatures) == len(outputs) and orphans:
        listed = _listed_signatures(out_dir, layout, others)
        if listed is not None:
            result.state = SeenState(signatures, folder_signatures, seen, listed)
    return result


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
    and each folder's signature (io.filestat), taken before anything was read
    at `seen`. Kept in tacli's cache under what the files are made from (the
    engagements' keys, the kinds, the templates, the day), it lets the next
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


def _folder_signatures(out_dir: Path, outputs: list[Output]) -> Optional[dict]:
    """The signature of `out_dir` (followed, as the files under it are reached) and
    of every folder under it that holds an output (not followed); None when one cannot be had."""
    from tacli.io.filestat import lstat_signature

    try:
        found = {"": signature(os.stat(out_dir))}
    except OSError:
        return None
    root = os.path.join(os.fspath(out_dir), "")
    for output in outputs:
        parts = output.path.split("/")
        for last in range(1, len(parts)):
            folder = "/".join(parts[:last])
            if folder not in found:
                kept = lstat_signature(root + folder)
                if kept is None:
                    return None
                found[folder] = kept
    return found


def write_outputs(outputs: list[Output], out_dir: Path, kinds: tuple[str, ...], prune: bool = False, orphans: bool = True, force: bool = False, layout: Optional[Layout] = None, withdrawn: tuple[str, ...] = (), more: Optional[Callable[[], list[Output]]] = None) -> Comparison:
    """Write the outputs that differ from the disk, all or none; with `prune`,
    delete tacli's orphans; always delete tacli's withdrawn files (`compare`).
    Nothing is written when a report is blocked (`Comparison.blocked`). Returns
    what was found before writing; raises ReportWriteError naming the report
    that could not be written. `more` gives more outputs, made meanwhile (the
    site's pages of every engagement, in a forked process): it is asked for
    once `outputs` are staged, and its outputs are compared and staged in
    turn before any file is put in place. `outputs` are staged on every core
    even while another process makes `more`: making a file waits on the disk,
    where a second thread beside that process still helps (docs/benchmarks.md)."""
    from tacli.io.writer import SYNC_ALL_FROM, all_or_none, can_sync_all, commit, sync_all, sync_folder

    result = compare(outputs, out_dir, kinds, orphans, layout, withdrawn)
    if result.blocked(force):
        return result if more is None else _with_more(result, more(), out_dir, kinds, layout)
    _remove_stale_temporaries(out_dir)
    changed = _changed(result, force)
    at_once = (len(changed) >= SYNC_ALL_FROM or more is not None) and can_sync_all()  # every file synced by one call before any is put in place
    made: list[str] = []  # the folders staging made: removed again (when empty) if nothing is put in place
    staged = _stage_all([output for output in outputs if output.path in changed], out_dir, sync=not at_once, new=set(result.missing), made=made)
    try:
        if more is not None:
            result = _with_more(result, more(), out_dir, kinds, layout)
            if result.blocked(force):
                with all_or_none():
                    _discard_all(staged, made)
                return result
            now_changed = _changed(result, force) - changed
            extra = [output for output in result.more if output.path in now_changed]
            staged = sorted(staged + _stage_all(extra, out_dir, sync=not at_once, new=set(result.missing), made=made), key=lambda item: os.fspath(item[1]))
        staged_in = {os.path.dirname(os.fspath(target)) for _, target in staged}
        if at_once and staged_in:
            try:
                sync_all(sorted(staged_in))
            except OSError as exc:  # the disk could not take them: none is put in place
                raise ReportWriteError(f"cannot write {out_dir.as_posix().rstrip('/')}: the disk did not take the files ({exc.strerror or exc}); no report was changed") from None
    except BaseException:
        with all_or_none():  # a second Ctrl+C waits until every staged file is gone
            _discard_all(staged, made)
        raise
    folders = {Path(folder) for folder in staged_in}  # a path object a folder, not a file
    with all_or_none():  # Ctrl+C here leaves every report in place, never some of them
        for item in staged:
            commit(item, sync=False)
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


def _changed(result: Comparison, force: bool) -> set:
    """The paths a write puts files at: stale, missing, and with `force` those of files tacli did not write."""
    return set(result.stale) | set(result.missing) | (set(result.foreign) if force else set())


def _with_more(result: Comparison, more: list[Output], out_dir: Path, kinds: tuple[str, ...], layout: Optional[Layout]) -> Comparison:
    """`result` with the standing of `more` outputs added: none of their paths
    is an orphan, a file left alone or withdrawn any more, as `compare` of
    every output at once would have found."""
    found = compare(more, out_dir, kinds, orphans=False, layout=layout)
    produced = {output.path for output in more}
    merged = Comparison(more=more)
    for name in ("current", "stale", "missing", "foreign", "linked"):  # in path order, as the outputs are
        setattr(merged, name, sorted(getattr(result, name) + getattr(found, name)))
    for name in ("orphaned", "left_alone", "withdrawn"):
        setattr(merged, name, [path for path in getattr(result, name) if path not in produced])
    return merged


def _stage_all(outputs: list[Output], out_dir: Path, sync: bool, new: set, made: list) -> list:
    """Each output staged beside its path (io.writer.stage, or stage_new where
    nothing stands yet: `new`), in its folder made first; a folder's files are
    staged by one of several threads. Creating a file is the kernel's work,
    and it waits on the file system: on a slow disk 10,000 reports took 6 s
    one after the other, about half that on two threads. Any failure (or
    Ctrl+C) discards every file staged, and the failure named is the first in
    path order, whatever the threads' timing. The folders staging makes are
    added to `made` (removed again, when empty, if nothing is put in place)."""
    from concurrent.futures import ThreadPoolExecutor

    from tacli.io.writer import all_or_none, stage, stage_new

    root = os.path.join(os.fspath(out_dir), "")
    by_folder: dict[str, list[Output]] = {}
    for output in outputs:
        by_folder.setdefault(os.path.dirname(root + output.path), []).append(output)

    def stage_folder(folder: str, items: list[Output]) -> tuple[list, Optional[tuple[Output, OSError]]]:
        done = []
        for output in items:
            try:
                if not done:
                    missing, parent = [], folder
                    while parent and not os.path.isdir(parent):
                        missing.append(parent)
                        parent = os.path.dirname(parent)
                    os.makedirs(folder, exist_ok=True)
                    made.extend(missing)
                if output.path in new:
                    done.append(stage_new(root + output.path, output.text.encode("utf-8"), sync=sync))
                else:
                    done.append(stage(Path(root + output.path), output.text, follow_links=False, sync=sync))
            except OSError as exc:
                return done, (output, exc)
        return done, None

    staged: list = []
    failures: list[tuple[Output, OSError]] = []
    workers = max(1, min(MAX_WRITE_THREADS, os.cpu_count() or 1, len(by_folder)))
    pool = ThreadPoolExecutor(max_workers=workers)
    futures = [pool.submit(stage_folder, folder, items) for folder, items in by_folder.items()]
    collected = 0
    try:
        for future in futures:
            done, failure = future.result()
            collected += 1
            staged += done
            if failure is not None:
                failures.append(failure)
    except BaseException:  # Ctrl+C, or a refusal: the threads stop at their next folder, and nothing is left behind
        with all_or_none():  # a second Ctrl+C waits until every staged file is gone
            pool.shutdown(wait=True, cancel_futures=True)
            for future in futures[collected:]:
                if not future.cancelled() and future.exception() is None:
                    staged += future.result()[0]
            _discard_all(staged, made)
        raise
    pool.shutdown(wait=True)
    if failures:
        with all_or_none():
            _discard_all(staged, made)
        output, exc = min(failures, key=lambda failure: failure[0].path)
        raise ReportWriteError(f"cannot write {out_dir.as_posix().rstrip('/')}/{output.path}: {exc.strerror or exc}; no report was changed") from None
    order = {root + output.path: index for index, output in enumerate(outputs)}
    staged.sort(key=lambda item: order[os.fspath(item[1])])  # put in place in path order, as they are named after an interruption
    return staged


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


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files a killed run left behind (tacli's own names only, old enough
    that no running tacli can still be writing them)."""
    from tacli.io.writer import TEMPORARY_PREFIX, TEMPORARY_SUFFIX

    if not out_dir.is_dir():
        return
    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    for folder, _, _ in os.walk(out_dir):  # links to folders are not followed
        for entry in Path(folder).iterdir():
            if entry.name.startswith(TEMPORARY_PREFIX) and entry.name.endswith(TEMPORARY_SUFFIX) and _regular(entry):
                try:
                    if entry.lstat().st_mtime < cutoff:
                        entry.unlink()
                except OSError:
                    pass
