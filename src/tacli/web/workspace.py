"""The engagement files `tacli serve` serves, as they are on disk now.

The files are the source of truth. Each is read through the same pipeline as
`tacli check` (reading.pipeline), once, and again whenever its size, time or
inode changes; a file that appears or goes is found by the same folder search
(`.gitignore`, hidden folders). `refresh` compares the folder with what was
read: a walk and a `stat` of each file, about 15 ms for 1,000 files. Pages
call it before they read anything, and the watcher (tacli.web.app) calls it
when the operating system says a file changed, so that the dashboard follows
an editor, a `git pull` or a terminal's `tacli mark` at once.

What each page needs is kept per file: the summary (what it owes as of a day,
its id, title and facilitator, or why it cannot be used), worked out for
every file at start-up on every core as `tacli due` does; and the engagement
itself, read in this process when a page first needs it. A file is known
in URLs by its engagement's id (`key`), looked up here: no URL part is ever
joined into a path.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

from tacli.core.findings import Finding
from tacli.domain.obligations import Obligation
from tacli.reading.pipeline import FileResult, Target

# The start of the problem of a served file that is a link to a file outside the
# folders served: listed, and no page reads or writes it (pages.entry_of).
NOT_SERVED = "not served"

USABLE, UNUSABLE, SKIPPED = "usable", "unusable", "skipped"


@dataclass(frozen=True)
class Summary:
    """What the lists need of one file (small, so that worker processes send it back)."""

    name: str
    state: str  # USABLE, UNUSABLE or SKIPPED
    day: date  # the day `owed` is as of
    engagement_id: str = ""
    title: str = ""
    facilitator: str = ""
    leaders: frozenset = frozenset()
    owed: tuple[Obligation, ...] = ()  # everything it owes, or being fixed
    problem: Optional[Finding] = None  # an unusable file's first problem


@dataclass
class Entry:
    """One served file: where it is, how it was when read, and what was read."""

    target: Target
    stamp: tuple
    summary: Summary
    result: Optional[FileResult] = None  # the engagement, read in this process when first needed
    key: str = ""
    # Its dashboard figures (output.site.engagement_years, pickled) and the school
    # years of its services held, as of `summary.day` (Workspace.dashboard_parts).
    dashboard: Optional[tuple[bytes, tuple[str, ...]]] = None

    @property
    def name(self) -> str:
        return self.target.name

    @property
    def usable(self) -> bool:
        return self.summary.state == USABLE

    @property
    def revision(self) -> str:
        """Changes whenever the file does (a form's page asks whether its file changed)."""
        return "-".join(str(part) for part in self.stamp)


def stamp_of(path: Path) -> tuple:
    """What changes when a file is written: its size, modification time and inode
    (an editor's save or tacli's atomic write makes a new one)."""
    try:
        info = os.stat(path)
    except OSError:
        return ()
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev)


def file_text(raw: bytes) -> tuple[str, str]:
    """A file's text for a person to read and edit, and the encoding it was read
    in: UTF-8 (a BOM left out), as tacli reads files; else UTF-16 with its BOM,
    or Windows-1252 (what Notepad and Excel long wrote), so that no character
    shows as U+FFFD. tacli reads UTF-8 alone, so a save writes UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


def read_file(checker, target: Target) -> tuple[Summary, Optional[FileResult]]:
    """One file read as `tacli check` reads it, with what it owes as of the checker's day."""
    from tacli.checking.checker import internal_error
    from tacli.domain.obligations import file_to_fix, leaders, obligations
    from tacli.reading.pipeline import left_out

    today = checker.today
    try:
        result = checker.read(target)  # through tacli's cache, when the checker has one
    except Exception as exc:  # noqa: BLE001 - a bug met on one file: it is that file's to fix, as in `tacli due`
        found = internal_error(target.name, exc)
        return Summary(target.name, UNUSABLE, today, owed=(file_to_fix(target.name, found.line, found.message, today),), problem=found), None
    if result.skipped:
        return Summary(target.name, SKIPPED, today), None
    if not result.usable:
        why = left_out(result, result.findings)
        fix = file_to_fix(result.name, why.finding.line, why.finding.message, today, why.engagement_id or "", why.title, why.facilitator)
        return Summary(result.name, UNUSABLE, today, why.engagement_id or "", why.title, why.facilitator, frozenset({why.facilitator} - {""}), (fix,), why.finding), None
    engagement = result.engagement
    owed = tuple(obligations(checker.spec, engagement, result.name, today))
    summary = Summary(result.name, USABLE, today, engagement.id, engagement.title, engagement.provider.facilitator.name, frozenset(leaders(engagement)), owed)
    return summary, replace(result, document=None, checkable=None)  # the nodes take four times the engagement's memory: pages that need them read the file


def summarized(checker, target: Target) -> Summary:
    """`read_file`'s summary alone: what a worker process sends back."""
    return read_file(checker, target)[0]


class Workspace:
    """The served files, their summaries and engagements, and a version that
    changes whenever a file does."""

    def __init__(self, paths: list[str], spec, today: Callable[[], date], empty_ok: bool = False, cache=None, cache_context: Optional[bytes] = None):
        self.cache, self.cache_context = cache, cache_context  # tacli's cache (tacli.io.cache): a file read before is not parsed again
        self.paths = list(paths)
        self.spec = spec
        self.today = today
        self.empty_ok = empty_ok
        self.version = 0
        self.day: Optional[date] = None
        self._entries: dict[str, Entry] = {}  # by name
        self._keys: dict[str, Entry] = {}
        self._names: dict[str, str] = {}  # file name -> its key
        self._moved: dict[str, str] = {}  # a key a file no longer has -> the file's name
        self._lock = threading.RLock()
        self._cache: dict[str, tuple] = {}  # what pages keep while the version stays: name -> (version, day, value)

    # --- reading -------------------------------------------------------------

    def checker(self, day: Optional[date] = None):
        """A checker of the served files as of `day` (default: today), through tacli's cache when it has one."""
        from tacli.checking.checker import Checker

        return Checker(self.spec, day if day is not None else self.today(), cache=self.cache if self.cache_context else None, context=self.cache_context)

    def targets(self) -> list[Target]:
        """The served files; one that is a symbolic link to a file outside the
        folders served is a file to fix: no page reads or writes a path outside
        them (a repository can carry such a link, and a save would change a
        file elsewhere)."""
        from dataclasses import replace

        from tacli.core.paths import real_path
        from tacli.reading.pipeline import find_targets

        roots = [real_path(folder) for folder in self.folders()]
        found = []
        for target in find_targets(self.paths, empty_ok=True if self.empty_ok else False):
            real = real_path(target.path)
            if target.problem is None and not target.explicit and not any(root in real.parents for root in roots):  # a file named to serve is served
                target = replace(target, problem=f"{NOT_SERVED}: it is a link to {real}, outside the folder served; serve the folder it is in, or put the file itself here")
            found.append(target)
        return found

    def load(self, jobs: Optional[int] = None) -> None:
        """Read every file, on every core for large folders (as `tacli due`), before serving."""
        with self._lock:
            checker = self.checker()
            targets = self.targets()
            stamps = [stamp_of(target.path) for target in targets]
            summaries = checker.map_files(targets, summarized, jobs)
            self._entries = {target.name: Entry(target, stamp, summary) for target, stamp, summary in zip(targets, stamps, summaries)}
            self.day = checker.today
            self._rekey()
            self.version += 1

    def refresh(self) -> bool:
        """Compare the folders with what was read, and read again what changed
        (all of it on a new day). Whether anything changed."""
        with self._lock:
            today = self.today()
            targets = self.targets()
            checker = None
            new_day = today != self.day
            changed = new_day
            seen = {}
            for target in targets:
                stamp = stamp_of(target.path)
                entry = self._entries.get(target.name)
                if entry is not None and entry.stamp == stamp and stamp and not new_day and entry.target == target:
                    seen[target.name] = entry
                    continue
                checker = checker or self.checker()
                summary, result = read_file(checker, target)
                seen[target.name] = Entry(target, stamp, summary, result)
                changed = changed or entry is None or entry.summary != summary or entry.stamp != stamp
            changed = changed or set(seen) != set(self._entries)
            if checker is not None and checker.cache is not None:
                checker.cache.flush()  # what was read again, kept for the next start
            self._entries = seen
            self.day = today
            if changed:
                self._rekey()
                self.version += 1
                self._cache.clear()
            return changed

    def _rekey(self) -> None:
        """Each file's key in URLs: its engagement's id; a second file with an id
        already taken, the id, `~` and the next free number; a file without a
        usable id, `file-` and a hash of its name. A file keeps the key it has
        while its id stays (a copy appearing never renumbers the original), and
        the key a file had before its id changed still leads to it (`moved`)."""
        entries = sorted((e for e in self._entries.values() if e.summary.state != SKIPPED), key=lambda e: e.name)
        before = dict(self._names)
        keys: dict[str, Entry] = {}

        def fits(entry: Entry, key: str) -> bool:
            given = entry.summary.engagement_id
            if given:
                return key == given or (key.startswith(given + "~") and key[len(given) + 1:].isdigit())
            return key == "file-" + hashlib.sha256(entry.name.encode("utf-8", "surrogateescape")).hexdigest()[:12]

        for entry in entries:  # first, each file that keeps its key
            kept = before.get(entry.name)
            if kept and kept not in keys and fits(entry, kept):
                entry.key = kept
                keys[kept] = entry
        for entry in entries:
            if keys.get(entry.key) is entry:
                continue
            given = entry.summary.engagement_id
            if not given:
                key = "file-" + hashlib.sha256(entry.name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
            else:
                key, number = given, 1
                while key in keys:
                    number += 1
                    key = f"{given}~{number}"
            entry.key = key
            keys[key] = entry
        names = {entry.name: entry.key for entry in entries}
        for name, old in before.items():  # a key given up: where it leads now
            if old not in keys and name in names:
                self._moved[old] = name
        for old in [old for old in self._moved if old in keys]:
            del self._moved[old]
        self._keys = keys
        self._names = names

    # --- what pages ask for -------------------------------------------------------

    def entries(self) -> list[Entry]:
        """The served engagement files (not the other YAML a folder holds), by name."""
        with self._lock:
            return sorted((e for e in self._entries.values() if e.summary.state != SKIPPED), key=lambda e: e.name)

    def entry(self, key: str) -> Optional[Entry]:
        with self._lock:
            return self._keys.get(key)

    def moved(self, key: str) -> Optional[Entry]:
        """The file that had `key` before its id changed (fixed, or given another), if it is still here."""
        with self._lock:
            name = self._moved.get(key)
            entry = self._entries.get(name) if name is not None else None
            return entry if entry is not None and entry.summary.state != SKIPPED and self._keys.get(entry.key) is entry else None

    def duplicates(self) -> dict[str, list[str]]:
        """The engagement ids more than one served file has, each with those files."""
        with self._lock:
            found: dict[str, list[str]] = {}
            for entry in sorted(self._entries.values(), key=lambda e: e.name):
                if entry.summary.state != SKIPPED and entry.summary.engagement_id:
                    found.setdefault(entry.summary.engagement_id, []).append(entry.name)
            return {given: names for given, names in found.items() if len(names) > 1}

    def entry_for(self, name: str) -> Optional[Entry]:
        """The entry of the file named `name` (an obligation's path)."""
        with self._lock:
            entry = self._entries.get(name)
            return entry if entry is not None and entry.summary.state != SKIPPED else None

    def result(self, entry: Entry) -> Optional[FileResult]:
        """The file's engagement as read (in this process the first time it is
        needed; read outside the lock, so that other pages go on meanwhile)."""
        with self._lock:
            if entry.result is not None or not entry.usable:
                return entry.result
            target, summary = entry.target, entry.summary
        found, result = read_file(self.checker(), target)
        with self._lock:
            if self._entries.get(entry.name) is entry and found == summary:
                entry.result = result
        return result if found.state == USABLE else None

    def dashboard_view(self, lookups) -> dict:
        """The dashboard's view (output.site.dashboard_view) of every usable
        engagement, from each one's dashboard part (dashboard_parts), each
        unpickled only as the view takes it."""
        import pickle

        from tacli.output.site import dashboard_view, portfolio_order
        from tacli.reading.pipeline import Identity

        parts = {entry.name: (entry, figures, years) for entry, figures, years in self.dashboard_parts()}
        # The dashboard asks of each engagement only its file and id: its figures come from `parts`.
        ordered = portfolio_order([FileResult(name, identity=Identity(entry.summary.engagement_id, (0, 0))) for name, (entry, _, _) in parts.items()])
        years = sorted({year for _, _, held in parts.values() for year in held})
        return dashboard_view(ordered, self.spec, self.day, lookups, figures=lambda item: pickle.loads(parts[item.name][1]), years=years)

    def dashboard_parts(self) -> list[tuple[Entry, bytes, tuple[str, ...]]]:
        """Each usable engagement's entry, dashboard figures (output.site.engagement_years,
        pickled: a tenth of their size as objects) and the school years of its
        services held, each kept until its file changes. Those not kept are
        worked out through tacli's cache, on every core when many, a few at a
        time (output.site.dashboard_work, outside the lock, as `result`): the
        dashboard of a state's portfolio reads no engagement whole (reading
        and keeping each took 9.5 s and 330 MB at 3,000 engagements). A file
        that is no longer usable is left out until the next refresh reads it again."""
        from contextlib import closing

        from tacli.checking.checker import LARGE_PROBE
        from tacli.output.site import dashboard_work
        from tacli.output.views.common import pack

        with self._lock:
            entries = [entry for entry in self.entries() if entry.usable]
            missing = [entry for entry in entries if entry.dashboard is None]
            day = self.day
        fresh: dict[str, tuple] = {}
        if missing:
            checker = self.checker(day)
            with closing(checker.each_file([entry.target for entry in missing], dashboard_work(), probe_size=LARGE_PROBE)) as chunks:
                for indexes, found in chunks:
                    fresh.update((missing[index].name, (pack(part[0]), part[1])) for index, part in zip(indexes, found) if part is not None)
                    del found
            with self._lock:
                for entry in missing:
                    if entry.name in fresh and self._entries.get(entry.name) is entry and entry.summary.day == day:
                        entry.dashboard = fresh[entry.name]
        parts = []
        for entry in entries:
            part = entry.dashboard if entry.dashboard is not None else fresh.get(entry.name)
            if part is not None:
                parts.append((entry, *part))
        return parts

    def left_out(self) -> list:
        """The files that cannot be used, as reading.pipeline.LeftOut (what the site names)."""
        from tacli.reading.pipeline import LeftOut

        return [LeftOut(e.name, e.summary.problem, e.summary.engagement_id or None, e.summary.title, e.summary.facilitator)
                for e in self.entries() if e.summary.state == UNUSABLE and e.summary.problem is not None]

    def owed(self) -> list[Obligation]:
        """Everything every file owes as of today (files to fix among them), in date order."""
        return sorted((item for entry in self.entries() for item in entry.summary.owed), key=Obligation.sort_key)

    def cached(self, name: str, make: Callable[[], Any]) -> Any:
        """`make()`, kept until a file changes or the day does (the dashboard's page)."""
        with self._lock:
            version, day = self.version, self.day
            kept = self._cache.get(name)
            if kept is not None and kept[:2] == (version, day):
                return kept[2]
        value = make()
        with self._lock:
            if (self.version, self.day) == (version, day):
                self._cache[name] = (version, day, value)
        return value

    def folders(self) -> list[Path]:
        """The served folders (new engagements go into the first), and the folders of the served files."""
        found = []
        for given in self.paths:
            path = Path(given)
            folder = path if path.is_dir() else path.parent
            if folder not in found:
                found.append(folder)
        return found

    def new_engagement_folder(self) -> Optional[str]:
        """Where a new engagement is written: the first folder served (None when only files are)."""
        return next((given for given in self.paths if Path(given).is_dir()), None)


__all__ = ["Entry", "Summary", "Workspace", "file_text", "read_file", "stamp_of"]
