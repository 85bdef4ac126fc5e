"""Check engagement files: the read pipeline, then the rules, then the rules across files.

Large folders are checked on every core: each worker process inherits the
loaded spec and models, and sends back only what it found.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterator, Optional

from tacli.core.findings import Finding, Level, Rule, finding
from tacli.reading.pipeline import FileResult, Target, read_document, read_target
from tacli.standards.models import models_for

PARALLEL_FROM = 48

INTERNAL_ERROR = Rule("internal-error", Level.ERROR, "tacli failed on the file because of a bug in tacli, so the file was not checked: report it.")


def exit_code(findings) -> int:
    """0 without errors, 1 with errors, 3 when tacli failed on a file (a bug)."""
    from tacli.core.outcome import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL

    if any(item.rule == INTERNAL_ERROR.id for item in findings):
        return EXIT_INTERNAL
    return EXIT_FINDINGS if any(item.level is Level.ERROR for item in findings) else EXIT_CLEAN


@dataclass
class CheckResult:
    """Every file's result, and the findings of the run (the configuration applied, sorted)."""

    files: list[FileResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def checked(self) -> list[str]:
        return [file.name for file in self.files if not file.skipped]

    @property
    def skipped(self) -> list[str]:
        return [file.name for file in self.files if file.skipped]


class Checker:
    """Checks files against one spec, as of one day.

    `rules` (the configuration's select, ignore and levels) is applied to the
    findings of `check`, so every output format and the exit code agree.
    """

    def __init__(self, spec, today: date, rules=None):
        from tacli.reading import validation  # noqa: F401 - loaded once here, not in each worker
        from tacli.io.yamlsource import warm_up

        self.spec = spec
        self.today = today
        self.rules = rules
        self.models = models_for(spec)
        warm_up()

    def read_document(self, document, explicit: bool = True) -> FileResult:
        """A document already read, through the rest of the pipeline (no rules)."""
        return read_document(document, self.models, explicit)

    def examine(self, result: FileResult) -> FileResult:
        """The result with the findings of the rules, when the file is usable, or
        checkable without the keys it should not have (a misspelled duty id)."""
        engagement = result.engagement if result.usable else result.checkable
        if engagement is None:
            return result
        from tacli.checking.checks import Context, run_checks

        result.findings.extend(run_checks(Context(result.document, engagement, self.spec, self.today)))
        return result

    def check_file(self, target: Target) -> FileResult:
        """One file read and checked. A bug met on the way is a finding on that
        file, so that one file never hides the findings of the others."""
        try:
            return self.examine(read_target(target, self.models))
        except Exception as exc:  # noqa: BLE001 - whatever it is, it is this file's
            return FileResult(target.name, [internal_error(target.name, exc)])

    def check(self, targets: list[Target], jobs: Optional[int] = None, keep: bool = False, done: Optional[Callable[[], None]] = None) -> CheckResult:
        """Check every target. With `keep`, each result keeps its document and
        engagement (for reports); otherwise large runs use every core. `done` is
        called as each file is checked (a progress bar)."""
        from tacli.checking.checks.consistency import across_files

        files = self.map_files(targets, _checked_and_kept if keep else _checked, 1 if keep else jobs, done)
        findings = [item for file in files for item in file.findings]
        findings.extend(across_files(files))
        if self.rules is not None:
            findings = self.rules.apply(findings)
        findings.sort(key=Finding.sort_key)
        return CheckResult(files, findings)

    def map_files(self, targets: list[Target], work: Callable, jobs: Optional[int] = None, done: Optional[Callable[[], None]] = None) -> list:
        """[work(self, target) for target in targets], in order; large runs over
        every core. `work` is a module-level function (workers receive it by name);
        `done` is called as each target is finished (a progress bar)."""
        jobs = jobs or os.cpu_count() or 1
        if jobs > 1 and len(targets) >= PARALLEL_FROM:
            results = self._in_workers(targets, work, jobs)
        else:
            results = (work(self, target) for target in targets)
        finished = []
        with _no_cyclic_gc():
            for result in results:
                finished.append(result)
                if done is not None:
                    done()
        return finished

    def _in_workers(self, targets: list[Target], work: Callable, jobs: int) -> Iterator:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from functools import partial

        global _WORKER
        _WORKER = self
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        if "fork" not in methods:
            initializer, initargs = _init_worker, (self.spec.folder, self.today)
        else:
            initializer, initargs = None, ()
        chunk = max(1, len(targets) // (jobs * 8))
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=initializer, initargs=initargs) as pool:
            yield from pool.map(partial(_in_worker, work), targets, chunksize=chunk)


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


@contextmanager
def _no_cyclic_gc():
    """Checking builds many short-lived objects and no reference cycles; the cyclic
    collector would spend about a third of the time looking for them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_WORKER: Optional[Checker] = None


def _init_worker(folder, today) -> None:
    from tacli.standards.spec import load_spec

    global _WORKER
    _WORKER = Checker(load_spec(folder), today)


def _in_worker(work: Callable, target: Target):
    assert _WORKER is not None
    return work(_WORKER, target)


def _checked(checker: Checker, target: Target) -> FileResult:
    return checker.check_file(target).detached()


def _checked_and_kept(checker: Checker, target: Target) -> FileResult:
    return checker.check_file(target)
