"""Check engagement files: the read pipeline, then the rules, then the rules across files.

What a file yields is kept in tacli's cache (tacli.io.cache), keyed on its
bytes, its name, the standards and tacli's code: the findings of reading it
and of the rules that did not ask for the day, and, under the day too, those
of the rules that did (a report due today is not due tomorrow). A file whose
bytes did not change is then neither read nor checked again: the parent
process finds its key (from the digest the cache remembers with its stat
signature, else by reading and hashing it) and its findings. The other files are read
in this process, or for many of them in worker processes on every core, each
of which inherits the loaded standards and models, reads and checks its share
and keeps what it found in the cache, and sends back only the findings.
"""

from __future__ import annotations

import os
from collections import deque
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterator, Optional

from tacli.core.collector import paused
from tacli.core.findings import FINDING_ORDER, Finding, Level, Rule, finding

PARALLEL_FROM = 48
CHUNK = 32  # files a worker process reads in one go (and keeps in the cache in one transaction)
PROBE = 512  # files whose cache entries the parent looks up in one query
# Files still to look up in the cache, at least, for the few found missing so far to be handed to a
# helper process (_Workers.hand_over): it loads what checking needs on the other core meanwhile.
HELPER_FROM = 1000
STOP_SECONDS = 5.0  # at most, for a stopped pool's manager thread to end once its workers are killed (_stop)
LARGE_PROBE = 32  # the same, for results as large as an engagement's pages (some 70 KB): what a caller of each_file holds at once

INTERNAL_ERROR = Rule("internal-error", Level.ERROR, "tacli failed on the file because of a bug in tacli, so the file was not checked: report it.")

CHECKED = "checked"  # a file's findings
_NOT_AHEAD = object()  # a key the chunk's look_ahead did not look up
LOOK_AHEAD_BYTES = 8 * 2**20  # the files a worker holds read ahead of their turn, at most (look_ahead)
KEPT_DAYS = 4  # the days a file's findings of the rules that asked for the day are kept for
MISSING = object()


def exit_code(findings) -> int:
    """0 without errors, 1 with errors, 3 when tacli failed on a file (a bug)."""
    from tacli.core.outcome import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL

    if any(item.rule == INTERNAL_ERROR.id for item in findings):
        return EXIT_INTERNAL
    return EXIT_FINDINGS if any(item.level is Level.ERROR for item in findings) else EXIT_CLEAN


@dataclass
class CheckResult:
    """Every file's result, and the findings of the run (the configuration applied, sorted)."""

    files: list = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def checked(self) -> list[str]:
        return [file.name for file in self.files if not file.skipped]

    @property
    def skipped(self) -> list[str]:
        return [file.name for file in self.files if file.skipped]


@dataclass
class Checked:
    """What checking a file yielded, as the cache keeps it: the findings of
    reading it, and of each group of rules in order; a group that asked for the
    day has None there, and its findings under each day it was checked as of
    (the last few)."""

    findings: list
    groups: list  # (module name, findings or None)
    skipped: bool = False
    identity: Any = None
    days: dict = field(default_factory=dict)  # day -> {module name: findings}

    @property
    def dated(self) -> tuple[str, ...]:
        return tuple(name for name, found in self.groups if found is None)

    def on(self, day: str) -> Optional[dict]:
        """The findings of the dated groups as of `day`, if kept (all of them)."""
        found = self.days.get(day)
        if not isinstance(found, dict) or any(group not in found for group, kept in self.groups if kept is None):
            return None
        return found

    def complete(self, day: str) -> bool:
        return all(kept is not None for _, kept in self.groups) or self.on(day) is not None

    def with_day(self, day: str, found: dict) -> "Checked":
        days = {key: value for key, value in self.days.items() if key != day}
        days[day] = found
        while len(days) > KEPT_DAYS:
            days.pop(next(iter(days)))
        return Checked(self.findings, self.groups, self.skipped, self.identity, days)

    def result(self, name: str, day: str, found_on_the_day: Optional[dict] = None):
        """The file's (detached) FileResult as of `day`."""
        from tacli.reading.pipeline import FileResult

        on_the_day = found_on_the_day if found_on_the_day is not None else (self.on(day) or {})
        findings = list(self.findings)
        for group, found in self.groups:
            findings.extend(found if found is not None else on_the_day[group])
        return FileResult(name, findings, identity=self.identity, skipped=self.skipped)


@dataclass(frozen=True)
class FileWork:
    """A function of (checker, target, *args) whose result depends only on the
    file, the standards, tacli's code, its args and, when `dated`, the day: kept
    in the cache under all of them as `kind`. Worker processes receive it by
    name, so `function` is a module-level function."""

    function: Callable
    kind: str
    args: tuple = ()
    dated: bool = True
    prepare: Optional[Callable] = None  # of args: what the work needs loaded before worker processes are forked (templates compiled)
    # Of (checker, targets, *args, done=...): the work of many files at once, for those
    # worked out in this process (a user's templates render them all in one child
    # process); `done` is called as each file's work is finished (a progress bar).
    together: Optional[Callable] = None

    def __call__(self, checker: "Checker", target) -> Any:
        return self.function(checker, target, *self.args)


class Checker:
    """Checks files against one spec, as of one day.

    `rules` (the configuration's select, ignore and levels) is applied to the
    findings of `check`, so every output format and the exit code agree.
    `spec` is the standards, or a function that loads them: a run whose every
    file is in the cache never needs them. With `cache` (tacli.io.cache.Cache)
    and the `context` of its keys (the standards' and tacli's code's digest;
    worked out from the spec when not given), what files yield is kept.
    """

    def __init__(self, spec, today: date, rules=None, cache=None, context: Optional[bytes] = None):
        self._spec = spec
        self.today = today
        self.rules = rules
        self.cache = cache if cache is not None and cache.enabled else None
        self._context = context
        self._models = None
        self._current = None  # the file run_work is working on: its bytes, read once
        self._keys: dict = {}  # each file's key, as this run first read it (key_of)
        self._stats: dict = {}  # each file's stat entry in the cache (reading.stored.STAT), looked up many at once (prefetch)
        # FileWork done on each usable file that `check` reads while it is in hand
        # (the reports of `tacli report`, the pages of `tacli site`): kept in the
        # cache, so the pass that asks for them finds them, instead of reading every
        # file a second time from the cache's reading.
        self._also: Any = ()
        self._in_hand = None  # (target, its reading) while the work of `also` runs
        self._usable: set = set()  # the files the latest check of each found usable (read will not find them unusable)
        self._pinned: dict = {}  # without the cache: each file's stat signature from before the check (pin)
        # A worker's chunk, read and looked up at once (look_ahead): each file's
        # Source, and what the cache gave for each key (MISSING: nothing).
        self._sources_ahead: dict = {}
        self._found_ahead: dict = {}
        # What the parent does, once, while its worker processes work: work that
        # would otherwise wait for them (`tacli site` compiles the templates of
        # the pages of every engagement). Never run when no worker was started.
        self.meanwhile: Optional[Callable[[], None]] = None
        # Whether the latest check with `also` worked out every file (none was
        # found whole in the cache), so that the work of `also` is kept for each
        # usable one: `tacli site` then starts the pages of every engagement in
        # a child before it takes each engagement's pages from the cache.
        self.also_done_for_every_file = False
        self._also_skipped = 0  # files whose findings were kept whole, so `also` was not done on them

    @property
    def also(self) -> tuple:
        """The FileWork done beside the check (None among them: nothing). May be
        given as a function that returns them, called only when a file is
        worked out: a run that finds every file kept need not import what
        the work would need."""
        if callable(self._also):
            self._also = tuple(work for work in self._also() if work is not None)
        return self._also

    @also.setter
    def also(self, value) -> None:
        self._also = value if callable(value) else tuple(work for work in value if work is not None)

    @property
    def spec(self):
        if callable(self._spec):
            self._spec = self._spec()
        return self._spec

    @property
    def models(self):
        """The engagement models of the standards, and the readers set up (once)."""
        if self._models is None:
            from tacli.io.yamlsource import warm_up
            from tacli.reading import validation  # noqa: F401 - loaded once here, not in each worker
            from tacli.standards.models import models_for

            self._models = models_for(self.spec)
            warm_up()
        return self._models

    def prepare(self, work: Optional[Callable] = None) -> None:
        """Everything a worker process needs for `work` and `also`, loaded before
        it is forked (and only then: a run whose every file is kept needs none of it).
        The rules only for a work that runs them: a FileWork reads files, and
        `also` runs within a check."""
        if not isinstance(work, FileWork):
            from tacli.checking import checks  # noqa: F401

        self.models
        for each in (work, *self.also):
            if isinstance(each, FileWork) and each.prepare is not None:
                each.prepare(*each.args)

    @property
    def context(self) -> Optional[bytes]:
        """The part of every key that is not the file: tacli's code and the standards
        (None: no cache, or standards that cannot be read whole)."""
        if self.cache is None:
            return None
        if self._context is None:
            from tacli.io.cache import context_digest

            self._context = context_digest(self.spec.folder) or b""
        return self._context or None

    def source(self, target):
        """The file's bytes and key (reading.stored.Source); its key alone, without
        reading it, when its stat signature is the one the cache remembers (a
        shortcut Source: see reading.stored.source_of). A file read is remembered."""
        from tacli.reading.stored import source_of

        ahead = self._sources_ahead.pop(target, None)
        if ahead is not None:
            return ahead
        context = self.context
        remembered = self._stats.get(target) if context is not None else None
        source = source_of(target, context, remembered)
        if source.key is not None:
            self._keys[target] = source.key
        self._remember(source, remembered)
        return source

    def _remember(self, source, remembered=None) -> None:
        """Keep the stat entry of a Source that read its bytes (none for --no-cache)."""
        from tacli.reading.stored import STAT, remembered_entry, stat_key

        entry = remembered_entry(source)
        if entry is not None and self.cache is not None and entry != remembered:
            self.cache.put(stat_key(source.target, source.context), STAT, entry)
            self._stats[source.target] = entry

    def prefetch(self, targets) -> None:
        """The stat entries of `targets` whose key this run does not know, looked up in one go."""
        context = self.context
        if self.cache is None or context is None:
            return
        from tacli.reading.stored import stat_key

        wanted = {stat_key(target, context): target for target in targets
                  if target not in self._keys and target not in self._stats and target.problem is None}
        if not wanted:
            return
        found = self.cache.get_many(wanted)
        for key, target in wanted.items():
            self._stats[target] = found.get(key)

    def look_ahead(self, work: Callable, targets: list) -> None:
        """A worker's chunk read first, and every entry its files may need
        looked up in one query (the check's and its reading, each FileWork's):
        between two of its own files, a worker's lookup cost five times what
        it costs in a row. `source` and `_looked_up` take what was found.
        At most LOOK_AHEAD_BYTES of files are held: the rest read themselves.
        Anything that goes wrong here is left to each file's own pass, which
        says what went wrong on that file alone."""
        from tacli.reading.stored import READING, entry_key

        checks = work is _checked or work is _checked_and_kept
        kinds = [work] if isinstance(work, FileWork) else [*self.also] if checks else []
        if self.cache is None or self.context is None or not (checks or kinds):
            return
        keys: list = []
        held = 0
        try:
            for target in targets:
                if held > LOOK_AHEAD_BYTES:
                    break
                source = self.source(target)
                self._sources_ahead[target] = source
                held += len(source.raw or b"")
                if source.key is None:
                    continue
                if checks:
                    keys += [entry_key(source, CHECKED), entry_key(source, READING)]
                keys += [key for key in (self._work_key(each, source) for each in kinds) if key is not None]
            found = self.cache.get_many(keys)
        except Exception:  # noqa: BLE001 - see above
            self._forget_ahead()
            return
        self._found_ahead = {key: found.get(key, MISSING) for key in keys}

    def _looked_up(self, keys) -> dict:
        """The cache's values for `keys` (those it has), from the chunk's look_ahead when it looked them up."""
        ahead = self._found_ahead
        found, wanted = {}, []
        for key in keys:
            value = ahead.pop(key, _NOT_AHEAD) if ahead else _NOT_AHEAD
            if value is _NOT_AHEAD:
                wanted.append(key)
            elif value is not MISSING:
                found[key] = value
        if wanted:
            found.update(self.cache.get_many(wanted))
        return found

    def _forget_ahead(self) -> None:
        self._sources_ahead, self._found_ahead = {}, {}

    def _confirmed(self, source):
        """`source` with its bytes read (reading.stored.confirmed), re-keyed if they changed."""
        from tacli.reading.stored import confirmed

        real = confirmed(source)
        if real is not source:
            if real.key is not None:
                self._keys[source.target] = real.key
            else:
                self._keys.pop(source.target, None)
            self._remember(real)
        return real

    def _fresh(self, target):
        """The file read and keyed from its bytes, whatever the cache remembers of its stat."""
        self._stats[target] = None
        self._keys.pop(target, None)
        return self.source(target)

    def key_of(self, target) -> Optional[bytes]:
        """The file's key as this run first read it: a run that asks for every
        file's key more than once (a check, then each file's reports, then the
        summary) reads and hashes each file once."""
        key = self._keys.get(target)
        return key if key is not None else self.source(target).key

    def _known(self, target):
        """`target`'s Source for a lookup in the cache: its key alone when this run read it already."""
        from tacli.reading.stored import Source

        key = self._keys.get(target)
        return Source(target, None, key) if key is not None else self.source(target)

    def _probed(self, target):
        """`target`'s Source for map_files' lookup. None of its key (a miss) when
        the cache has no stat entry for its path and this run has not read it:
        a file's key holds its path, so the cache can hardly hold what it
        yields, and hashing it here would mostly find that out before the
        worker that works it out reads and hashes it again, and looks it up
        itself (a cold run over 10,000 files: a second of the parent's time)."""
        if target not in self._keys and target in self._stats and self._stats[target] is None:
            from tacli.reading.stored import Source

            return Source(target)
        return self._known(target)

    def read(self, target, source=None):
        """One file read and validated (no rules), from the cache's reading when it has it."""
        from tacli.reading.stored import read

        in_hand = self._in_hand
        if in_hand is not None and in_hand[0] == target:
            return in_hand[1]
        if source is None:
            current = self._current
            source = current if current is not None and current.target == target else self.source(target)
        return self._still_usable(target, read(source, self.models, self.cache))

    def _still_usable(self, target, result):
        """`result`, unless the check of this run found the file usable and it is
        not now, or, without the cache, its stat signature is not the one
        pinned before the check: it changed while tacli was reading it (its
        reports or pages cannot be made from what the check found):
        SourceChanged, exit 2."""
        if target in self._usable and (not result.usable or (target in self._pinned and self._pinned[target] != _signature_of(target))):
            from tacli.reading.stored import SourceChanged

            raise SourceChanged(target.name)
        return result

    def pin(self, targets: list) -> None:
        """Without tacli's cache, each file's stat signature now, before the check
        that reads it: a file the check finds usable and that is read again
        later in the run (for its reports, pages, parts) must still have it
        (_still_usable), or its reports would show what the check never saw
        (an id that another file has). With the cache, a file is read again
        by the key of the bytes the check read."""
        if self.cache is None:
            self._pinned.update((target, _signature_of(target)) for target in targets)

    def read_many(self, targets: list) -> list:
        """`read` of each target, their kept readings looked up in the cache together."""
        from tacli.reading.stored import read_many

        self.prefetch(targets)
        results = read_many([self.source(target) for target in targets], self.models, self.cache)
        return [self._still_usable(target, result) for target, result in zip(targets, results)]

    def read_document(self, document, explicit: bool = True):
        """A document already read, through the rest of the pipeline (no rules)."""
        from tacli.reading.pipeline import read_document

        return read_document(document, self.models, explicit)

    def examine(self, result):
        """The result with the findings of the rules, when the file is usable, or
        checkable without the keys it should not have (a misspelled duty id)."""
        engagement = result.engagement if result.usable else result.checkable
        if engagement is None:
            return result
        from tacli.checking.checks import Context, run_checks

        result.findings.extend(run_checks(Context(result.document, engagement, self.spec, self.today)))
        return result

    def check_file(self, target, keep: bool = False):
        """One file read and checked. A bug met on the way is a finding on that
        file, so that one file never hides the findings of the others. Without
        `keep`, the result is detached (no document or engagement)."""
        from tacli.reading.pipeline import FileResult

        from tacli.reading.stored import SourceChanged

        try:
            source = self.source(target)
            try:
                return self._check_keyed(target, source, keep)
            except SourceChanged:  # its bytes, read later than its stat, were not those of its key: read again
                return self._check_keyed(target, self._fresh(target), keep)
        except Exception as exc:  # noqa: BLE001 - whatever it is, it is this file's
            return FileResult(target.name, [internal_error(target.name, exc)])

    def _check_keyed(self, target, source, keep: bool):
        if source.key is None:
            result = self.examine(self.read(target, source))
            return result if keep else result.detached()
        return self._check_source(source, keep)

    def _check_source(self, source, keep: bool):
        """check_file through the cache. Its findings when kept (with the day's);
        else the file's reading (kept, or read now) and the rules: only those
        that asked for the day when the others' findings are kept. What was
        worked out is kept."""
        from tacli.reading.pipeline import read_target
        from tacli.reading.stored import READING, Stored, entry_key, restored, stored

        cache, day, name = self.cache, self.today.isoformat(), source.target.name
        reading_key, checked_key = entry_key(source, READING), entry_key(source, CHECKED)
        found = self._looked_up((checked_key, reading_key))  # one lookup: a file worked out for the first time has neither
        checked = found.get(checked_key)
        checked = checked if isinstance(checked, Checked) else None
        complete = checked.result(name, day) if checked is not None and checked.complete(day) else None
        if complete is not None and self._also:
            self._also_skipped += 1  # not read, so `also` is not done on it here
        if complete is not None and not keep:
            return complete
        kept = found.get(reading_key)
        if isinstance(kept, Stored):
            result, read_findings = restored(kept, source, self.models), list(kept.findings)
        else:
            if source.shortcut:  # its bytes are needed: read now, and checked against its key
                real = self._confirmed(source)
                if real.key != source.key:
                    return self._check_keyed(source.target, real, keep)
                source = real
            result = read_target(source.target, self.models, source.raw)
            read_findings = list(result.findings)
            kept = None
        if complete is not None:  # kept: the engagement is what was asked for
            result.findings = complete.findings
            if kept is None:
                cache.put(reading_key, READING, stored(result, read_findings))
            return result
        engagement = result.engagement if result.usable else result.checkable
        if engagement is not None:
            from tacli.checking.checks import Context, run_modules

            context = Context(result.document, engagement, self.spec, self.today)
        if checked is not None and engagement is not None:  # the others' findings are kept: the day's rules alone
            found_on_the_day = {group: found for group, found, _ in run_modules(context, checked.dated)}
            result.findings = checked.result(name, day, found_on_the_day).findings
            cache.put(checked_key, CHECKED, checked.with_day(day, found_on_the_day))
        else:
            groups: list = []
            found_on_the_day = {}
            for group, found, dated in run_modules(context) if engagement is not None else ():
                result.findings.extend(found)
                groups.append((group, None if dated else found))
                if dated:
                    found_on_the_day[group] = found
            checked = Checked(read_findings, groups, result.skipped, result.identity)
            cache.put(checked_key, CHECKED, checked.with_day(day, found_on_the_day) if found_on_the_day else checked)
        positions = result.document.positions if result.document is not None else None
        if kept is None or (positions is not None and len(positions) > len(kept.positions)):
            cache.put(reading_key, READING, stored(result, read_findings))  # with the positions the rules asked for
        if self.also and result.usable:
            self._work_in_hand(source, result, read_findings)
        return result if keep else result.detached()

    def _work_in_hand(self, source, result, read_findings: list) -> None:
        """The work of `also` on a file just checked, kept in the cache. A failure
        is left to the pass that asks for the work: it does it again and says
        what went wrong there (a template's problem is the command's, not the file's)."""
        from dataclasses import replace

        self._in_hand = (source.target, replace(result, findings=list(read_findings)))  # what `read` gives
        try:
            for work in self.also:
                key = self._work_key(work, source)
                if key is None or key in self._looked_up((key,)):
                    continue
                try:
                    found = work(self, source.target)
                except Exception:  # noqa: BLE001 - see above
                    continue
                self.cache.put(key, "work:" + work.kind, found)
        finally:
            self._in_hand = None

    def _probe_checked(self, sources: list) -> list:
        """The files' detached results that the cache holds whole (MISSING for the others)."""
        from tacli.reading.stored import entry_key

        day = self.today.isoformat()
        keys = [entry_key(source, CHECKED) if source.key is not None else None for source in sources]
        found = self.cache.get_many(key for key in keys if key is not None)
        answers: list = [MISSING] * len(sources)
        for index, (source, key) in enumerate(zip(sources, keys)):
            checked = found.get(key) if key is not None else None
            if isinstance(checked, Checked) and checked.complete(day):
                answers[index] = checked.result(source.target.name, day)
        return answers

    def _probe_work(self, work: FileWork, sources: list) -> list:
        """The results of `work` the cache holds (MISSING for the others)."""
        keys = [self._work_key(work, source) for source in sources]
        found = self.cache.get_many(key for key in keys if key is not None)
        return [found[key] if key is not None and key in found else MISSING for key in keys]

    def _work_key(self, work: FileWork, source) -> Optional[bytes]:
        from tacli.reading.stored import entry_key

        if source.key is None:
            return None
        return entry_key(source, "work:" + work.kind, self.today.isoformat() if work.dated else None, work.args)

    def run_work(self, work: Callable, target):
        """`work` on one file, through the cache for a FileWork."""
        if self.cache is None or not isinstance(work, FileWork):
            return work(self, target)
        source = self.source(target)
        key = self._work_key(work, source)
        if key is None:
            return work(self, target)
        found = self._looked_up((key,)).get(key, MISSING)
        if found is not MISSING:
            return found
        from tacli.reading.stored import SourceChanged

        self._current = source  # read() finds the bytes already read
        try:
            result = work(self, target)
        except SourceChanged:  # its bytes, read later than its stat, were not those of its key: read again
            source = self._current = self._fresh(target)
            key = self._work_key(work, source)
            result = work(self, target)
        finally:
            self._current = None
        if key is not None:
            self.cache.put(key, "work:" + work.kind, result)
        return result

    def _run_together(self, work: FileWork, targets: list, done: Callable[[], None]) -> list:
        """`work` on many files in one call (FileWork.together), each result kept;
        `done` called once a file, as the work says each is finished, or after."""
        told = [0]

        def one_done() -> None:
            if told[0] < len(targets):
                told[0] += 1
                done()

        results = work.together(self, targets, *work.args, done=one_done)
        for _ in range(len(targets) - told[0]):
            done()
        if self.cache is not None:
            for target, result in zip(targets, results):
                key = self._work_key(work, self._known(target))
                if key is not None:
                    self.cache.put(key, "work:" + work.kind, result)
        return results

    def check(self, targets: list, jobs: Optional[int] = None, keep: bool = False, done: Optional[Callable[[], None]] = None) -> CheckResult:
        """Check every target. With `keep`, each result keeps its document and
        engagement (for reports), read in this process; otherwise large runs use
        every core. `done` is called as each file is checked (a progress bar)."""
        self._usable.difference_update(targets)  # checked again: what this check finds stands
        files = self.map_files(targets, _checked_and_kept if keep else _checked, 1 if keep else jobs, done)
        self._usable.update(target for target, file in zip(targets, files) if file.usable)
        findings = [item for file in files for item in file.findings]
        if sum(1 for file in files if file.identity is not None) > 1:  # ids shared by files: none with one file (whose rules need not be imported then)
            from tacli.checking.identity import across_files

            findings.extend(across_files(files))
        if self.rules is not None:
            findings = self.rules.apply(findings)
        findings.sort(key=FINDING_ORDER)
        return CheckResult(files, findings)

    def map_files(self, targets: list, work: Callable, jobs: Optional[int] = None, done: Optional[Callable[[], None]] = None) -> list:
        """[work(self, target) for target in targets], in order (each_file). The
        collector stays paused while the results are gathered too: each pass
        it made between two chunks walked every result gathered so far (a
        tenth of a `report --no-cache` of 300 engagements)."""
        results: list = [MISSING] * len(targets)
        with paused(), closing(self.each_file(targets, work, jobs, done)) as chunks:
            for indexes, found in chunks:
                for index, result in zip(indexes, found):
                    results[index] = result
        return results

    def each_file(self, targets: list, work: Callable, jobs: Optional[int] = None, done: Optional[Callable[[], None]] = None, probe_size: Optional[int] = None) -> Iterator[tuple[list[int], list]]:
        """(indexes, [work(self, targets[index]) for index in indexes]) for every
        target, a chunk at a time as each is ready, in no set order: a caller
        that writes what each file gives (a site's pages) holds a few chunks,
        never every file's (map_files gathers them in order).

        What the cache holds whole (a file's findings, a FileWork's result) is
        looked up here first, `probe_size` files at a time (PROBE; fewer for large
        results: a batch is what the caller holds); the rest is worked out
        here, or in worker processes on every core when there are many
        (PARALLEL_FROM), each taking CHUNK files at a time and keeping what it
        works out in the cache. The first few missing while many files are
        still to be looked up go to one helper process instead
        (_Workers.hand_over). `work` is a module-level function or a
        FileWork (workers receive it by name); `done` is called as each target
        is finished (a progress bar). A caller that stops early closes the
        iterator (contextlib.closing): the worker processes are stopped."""
        jobs = jobs or os.cpu_count() or 1
        done = done or (lambda: None)
        probe_size = probe_size or PROBE
        probe = self._prober(work)
        answered, skipped = 0, self._also_skipped
        with paused() as pause, _Workers(self, work, jobs, max(2 * jobs + 1, probe_size // CHUNK)) as workers:
            waiting: list[int] = []
            for start in range(0, len(targets), probe_size):
                batch = range(start, min(start + probe_size, len(targets)))
                if probe is not None:
                    self.prefetch([targets[index] for index in batch])
                answers = probe([self._probed(targets[index]) for index in batch]) if probe is not None else [MISSING] * len(batch)
                kept_indexes, kept = [], []
                for index, answer in zip(batch, answers):
                    if answer is MISSING:
                        waiting.append(index)
                    else:
                        kept_indexes.append(index)
                        kept.append(answer)
                        answered += 1
                        done()
                del answers
                if kept:
                    with pause.lifted():  # the caller's work on them: the collector as it was
                        yield kept_indexes, kept
                    del kept_indexes, kept
                if jobs > 1 and len(waiting) >= PARALLEL_FROM and _may_start_processes() or workers.in_use:
                    while len(waiting) >= CHUNK or (waiting and start + probe_size >= len(targets)):
                        workers.submit(waiting[:CHUNK], [targets[index] for index in waiting[:CHUNK]])
                        del waiting[:CHUNK]
                elif jobs > 1 and waiting and workers.may_help(len(waiting), len(targets) - start - probe_size):
                    if workers.hand_over(waiting, [targets[index] for index in waiting]):
                        waiting = []
                yield from pause.lifted_over(_counted(workers.finished(), done))
            if waiting:
                self.prepare(work)  # standards that cannot be used stop the run here, not as each file's bug
            if waiting and isinstance(work, FileWork) and work.together is not None:
                found = self._run_together(work, [targets[index] for index in waiting], done)
                with pause.lifted():
                    yield waiting, found
            else:
                for index in waiting:  # few enough to work out here
                    result = self.run_work(work, targets[index])
                    done()
                    with pause.lifted():
                        yield [index], [result]
            if workers.in_use:
                self._while_workers_work()
            yield from pause.lifted_over(_counted(workers.rest(), done))
        if self.cache is not None:
            self.cache.flush()
        if self._also:  # not `also`: a run that found every file kept does not work out what it would be
            self.also_done_for_every_file = probe is not None and answered == 0 and self._also_skipped == skipped

    def _while_workers_work(self) -> None:
        """`meanwhile`, once. A failure is left to the pass that needs the work: it does it again and says what went wrong there."""
        meanwhile, self.meanwhile = self.meanwhile, None
        if meanwhile is not None:
            try:
                meanwhile()
            except Exception:  # noqa: BLE001 - see above
                pass

    def _prober(self, work: Callable) -> Optional[Callable]:
        if self.cache is None or self.context is None:
            return None
        if work is _checked:
            return self._probe_checked
        if isinstance(work, FileWork):
            return lambda sources: self._probe_work(work, sources)
        return None


def _may_start_processes() -> bool:
    """Not in a Background's child (core.background), which starts no process,
    nor in a process that other threads run in, where workers would be forks
    (core.forks: tacli serve, whose requests run on threads, works there
    alone); asked only when many files wait, so a warm run does not import it."""
    import multiprocessing

    from tacli.core.background import in_a_child
    from tacli.core.forks import only_this_thread

    return not in_a_child() and ("fork" not in multiprocessing.get_all_start_methods() or only_this_thread())


def _counted(chunks, done: Callable) -> Iterator[tuple[list[int], list]]:
    """Each chunk of results, `done` called for each of its results first."""
    for indexes, found in chunks:
        for _ in indexes:
            done()
        yield indexes, found


class _Workers:
    """Worker processes, started when the first chunk is submitted: each is a fork
    of this process (the standards and models loaded first), or, where fork is
    not available, a new process that loads them."""

    def __init__(self, checker: Checker, work: Callable, jobs: int, in_flight: Optional[int] = None):
        self.checker, self.work, self.jobs = checker, work, jobs
        self.pool = None
        self.helper = None  # one process for the few files a warm run finds changed (hand_over)
        self.handed = 0  # files handed to it
        self.helper_failed = False  # it died, or could not load what the work needs: it is given no more
        self.futures: list = []  # (indexes, targets, future, from the helper), submitted and not yet taken
        # Chunks submitted and not yet taken, at most: the rest wait here. Workers
        # that render pages faster than the caller writes them would otherwise
        # fill this process with every engagement's pages (a site of 3,000 without
        # the cache held 220 MB of them).
        self.in_flight = in_flight if in_flight is not None else 2 * jobs + 1
        self.backlog: deque = deque()

    @property
    def in_use(self) -> bool:
        """Whether files were given to the worker processes: started, or their
        first chunks waiting for a place among those in flight (the helper's
        count too, and a busy helper may hold them all). The rest go to the
        workers then, never to the helper: it took every file left over when
        the machine was busy."""
        return self.pool is not None or bool(self.backlog)

    def may_help(self, count: int, remaining: int) -> bool:
        """Whether `count` more files missing from the cache go to the helper,
        with `remaining` files still to be looked up. It starts only while
        there is time to hide its start behind (HELPER_FROM), and takes fewer
        than PARALLEL_FROM files in all: more wait for worker processes on
        every core, except the last few (it has what they need loaded)."""
        if self.helper_failed or count >= PARALLEL_FROM:
            return False
        if self.helper is None:
            return remaining >= HELPER_FROM and _may_start_processes()
        return self.handed + count < PARALLEL_FROM or remaining <= 0

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, kind, *exc) -> None:
        for pool in (self.pool, self.helper):
            if pool is not None:
                _stop(pool, wait=kind is None)

    def submit(self, indexes: list[int], targets: list) -> None:
        self.backlog.append((indexes, targets))
        self._top_up()

    def _top_up(self) -> None:
        """Chunks of the backlog submitted to the worker processes, up to `in_flight` not yet taken."""
        while self.backlog and len(self.futures) < self.in_flight:
            if self.pool is None:
                self.pool = self._start(self.jobs, prepared=True)
            indexes, targets = self.backlog.popleft()
            self.futures.append((indexes, targets, self.pool.submit(_in_worker, self.work, targets), False))

    def hand_over(self, indexes: list[int], targets: list) -> bool:
        """A few files found missing from the cache, worked out in one helper
        process, which loads what they need (the standards' models, the YAML
        reader, the rules: a third of a second) itself, on the other core,
        while this process looks up the rest: a warm run over 10,000 files
        with 10 changed took that much longer than one with none. False when
        the helper is gone: the files stay with the caller. The files of a
        helper that fails (it died, or its standards cannot be used) are
        worked out by this process, which says what went wrong (_taken)."""
        from concurrent.futures import BrokenExecutor

        try:
            if self.helper is None:
                self.helper = self._start(1, prepared=False)
            future = self.helper.submit(_in_worker, self.work, targets)
        except (BrokenExecutor, RuntimeError, OSError):  # died since its last files; or it could not start
            self.helper_failed = True
            return False
        self.handed += len(targets)
        self.futures.append((indexes, targets, future, True))
        return True

    def _start(self, jobs: int, prepared: bool):
        """A pool of `jobs` processes: forks of this one, with the standards
        and models loaded first when `prepared`, else each loads them itself."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _WORKER
        checker = self.checker
        if prepared:
            checker.prepare(self.work)
        if checker.cache is not None:
            checker.cache.flush()
            checker.cache.release(workers_follow=True)  # each worker opens the database itself
        _WORKER = checker
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        if "fork" not in methods:
            initializer, initargs = _init_worker, (checker.spec.folder, checker.today, checker.cache.folder if checker.cache else None, checker.context, checker.also, frozenset(checker._usable), dict(checker._pinned))
        else:
            initializer, initargs = _forked_worker, (os.getpid(), not prepared)
        return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=initializer, initargs=initargs)

    def finished(self) -> Iterator[tuple[list[int], list]]:
        """The chunks already done, in order, without waiting."""
        while self.futures and self.futures[0][2].done():
            yield self._taken()

    def rest(self) -> Iterator[tuple[list[int], list]]:
        while self.futures or self.backlog:
            self._top_up()
            yield self._taken()

    def _taken(self) -> tuple[list[int], list]:
        """The first chunk's results; the keys its worker read the files under
        become this run's (Checker.key_of: the parent need not read them again)."""
        indexes, targets, future, helped = self.futures.pop(0)
        try:
            found, keys, skipped = future.result()
            self._top_up()
        except Exception:  # noqa: BLE001 - the helper failed: the work is done here, where a failure is reported
            if not helped:
                raise
            self.helper_failed = True
            checker = self.checker
            checker.prepare(self.work)
            return indexes, [checker.run_work(self.work, target) for target in targets]
        self.checker._also_skipped += skipped
        known = self.checker._keys
        for target, key in zip(targets, keys):
            if key is not None:
                known.setdefault(target, key)
        return indexes, found


def internal_error(name: str, exc: BaseException) -> Finding:
    """The finding for a bug met on a file: what was raised, on one line, and what to do.
    With TACLI_DEBUG, the traceback goes to standard error as well."""
    from tacli.core.outcome import debugging

    if debugging():
        import sys
        import traceback

        print(f"tacli: internal error on {name}:", file=sys.stderr)
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    detail = " ".join(str(exc).split())
    if len(detail) > 200:
        detail = detail[:199] + "…"
    raised = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return finding(INTERNAL_ERROR, name, (1, 1), f"internal error ({raised}): this is a bug in tacli and the file was not checked; please report it with the file")


_WORKER: Optional[Checker] = None
_UNPREPARED = False  # a forked helper that has not yet loaded what its work needs (_forked_worker)


def _forked_worker(parent: int, unprepared: bool = False) -> None:
    """A forked worker leaves Ctrl+C to its parent, and stops when its parent is
    gone. An `unprepared` one loads what its work needs with its first chunk
    (_in_worker): a failure there reaches the parent with that chunk, where an
    initializer's would be printed with its traceback."""
    global _UNPREPARED
    _leave_ctrl_c_to_the_parent()
    _die_with_parent(parent)
    _UNPREPARED = unprepared


def _stop(pool, wait: bool) -> None:
    """Shut a pool down: its workers waited for when the run went well. On
    Ctrl+C or a failure their chunks are not wanted: they are killed, not
    waited for, since one stopped while it held the pool's queue would leave
    the others, and this process, waiting for ever. As Python 3.14's
    ProcessPoolExecutor.kill_workers does: no more work is handed out, then
    the workers are killed.

    Then this process closes its end of the pipe the workers send results
    through (it never writes there): a worker killed part-way through a
    large result left the pool's manager thread waiting for the rest for
    ever, and Python's exit waited for that thread, so tacli never ended.
    With no writer left, the thread reads an end of file instead. It is given
    a moment to end (STOP_SECONDS): Python 3.11 (and 3.12 before 3.12.8)
    wakes it once more at exit without a lock (concurrent.futures'
    _python_exit), and while it was closing its own pipe that wake-up wrote
    to a closed descriptor: one Ctrl+C in seven during a check of 3,000
    files ended with an "Exception ignored ... Bad file descriptor" traceback."""
    if wait:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    results = getattr(pool, "_result_queue", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.kill()
        except (OSError, ValueError):  # pragma: no cover - gone already
            pass
    writer = getattr(results, "_writer", None)
    if writer is not None:
        try:
            writer.close()
        except OSError:  # pragma: no cover - closed already
            pass
    if manager is not None:
        manager.join(STOP_SECONDS)


def _leave_ctrl_c_to_the_parent() -> None:
    """Ctrl+C reaches every process of the terminal's group. A worker that took
    it could stop while it held the pool's queue, and the pool would wait for
    it for ever; the parent stops its workers itself (_Workers.__exit__)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _die_with_parent(parent: int) -> None:
    """A forked worker stops when its parent is gone. A parent killed outright
    (SIGKILL, a CI runner's timeout) cannot stop its pool, and its workers
    would wait forever for work, holding the terminal's output open: a
    pipeline such as `tacli check | cat` would never end. Linux says so to
    the worker (PR_SET_PDEATHSIG); elsewhere nothing is asked."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # gone before it could be asked
        os._exit(1)


def _init_worker(folder, today, cache_folder, context, also=(), usable=frozenset(), pinned=None) -> None:
    """A worker process started without fork (Windows): a checker like its
    parent's, which knows the files the parent's check found usable and
    their pinned signatures (`read` says so when one changed since)."""
    from tacli.io.cache import Cache
    from tacli.standards.spec import load_spec

    global _WORKER
    _leave_ctrl_c_to_the_parent()
    _WORKER = Checker(load_spec(folder), today, cache=Cache(cache_folder) if cache_folder is not None else None, context=context)
    _WORKER.also = also
    _WORKER._usable = set(usable)
    _WORKER._pinned = dict(pinned or {})


def _signature_of(target) -> Optional[tuple]:
    """The file's stat signature (io.filestat.signature); None when it cannot be had."""
    from tacli.io.filestat import signature

    try:
        return signature(os.stat(target.path))
    except (OSError, ValueError):
        return None


def _in_worker(work: Callable, targets: list) -> tuple[list, list, int]:
    """A chunk of files worked out in a worker process, the key each file was
    read under (None for one not read), and how many were not read because
    their findings were kept (the work of `also` was not done on them); what
    it found is kept in the cache in one go."""
    global _UNPREPARED
    checker = _WORKER
    assert checker is not None
    if _UNPREPARED:
        checker.prepare(work)
        _UNPREPARED = False
    skipped = checker._also_skipped
    try:
        checker.prefetch(targets)
        checker.look_ahead(work, targets)
        found = [checker.run_work(work, target) for target in targets]
        return found, [checker._keys.get(target) for target in targets], checker._also_skipped - skipped
    finally:
        checker._forget_ahead()
        if checker.cache is not None:
            checker.cache.flush()


def _checked(checker: Checker, target):
    return checker.check_file(target)


def _checked_and_kept(checker: Checker, target):
    return checker.check_file(target, keep=True)
