"""Check engagement files: find them, read them, validate them, run the rules.

Large folders are checked on every core: each worker process inherits the
loaded spec and models, and sends back only findings.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

from tacli.checks.consistency import DUPLICATE_ID
from tacli.findings import Finding, finding

PARALLEL_FROM = 48


class UsageError(Exception):
    """The command cannot run as asked (a missing path, nothing to check)."""


class InternalError(Exception):
    """A bug inside tacli, met while checking one file (the message names the file)."""


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    path: Path
    name: str
    explicit: bool


def find_targets(paths: list[str], skip_other_yaml: bool = False) -> list[Target]:
    """Files named directly, and *.yaml / *.yml under folders (hidden folders skipped).

    With `skip_other_yaml`, files named directly are skipped when they are not
    engagements, as in a folder search: for pre-commit and other tools that
    pass every YAML file they see.
    """
    targets: list[Target] = []
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = [p for p in _walk(path) if p.suffix in (".yaml", ".yml")]
            if not found:
                raise UsageError(f"{given}: no engagement files (*.yaml, *.yml) in this folder")
            for file in sorted(found):
                name = str(file)
                if name not in seen:
                    seen.add(name)
                    targets.append(Target(file, name, False))
        elif path.exists():
            if given not in seen:
                seen.add(given)
                targets.append(Target(path, given, not skip_other_yaml))
        elif path.is_symlink():
            raise UsageError(f"{given}: a broken symbolic link (its target is missing, or the links form a loop)")
        else:
            raise UsageError(f"{given}: no such file or folder")
    return targets


def _walk(folder: Path):
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            yield Path(root) / name


class Checker:
    """Checks files against one spec, as of one day.

    `rules` (the configuration's select, ignore and levels) is applied to the
    findings of `check`, so every output format and the exit code agree.
    """

    def __init__(self, spec, today: date, rules=None):
        from tacli import engagement  # noqa: F401 - loaded once here, not in each worker
        from tacli.models import build_models
        from tacli.yamlsource import warm_up

        self.spec = spec
        self.today = today
        self.rules = rules
        self.models = build_models(spec)
        warm_up()

    def check_file(self, target: Target) -> tuple[list[Finding], bool, Optional[tuple]]:
        """The file's findings, whether it was skipped as not an engagement, and
        its engagement id with the id's position (for ids shared across files)."""
        from tacli.yamlsource import YamlError, load_path

        try:
            document = load_path(target.path, target.name)
        except YamlError as exc:
            return [exc.finding], False, None
        if not target.explicit:
            from tacli.engagement import is_engagement

            # Other YAML files (mkdocs.yml with tags, docker-compose.yml with
            # merge keys...) are not engagements: their YAML is not ours to judge.
            if not is_engagement(document.data):
                return [], True, None
        try:
            findings = self.check_document(document)
        except Exception as exc:  # a bug: report which file met it
            raise InternalError(f"while checking {target.name}: {type(exc).__name__}: {exc}") from exc
        data = document.data
        engagement_id = data.get("id") if isinstance(data, dict) and not document.problems else None
        identity = (engagement_id, document.locate(("id",))) if isinstance(engagement_id, str) else None
        return findings, False, identity

    def check_document(self, document) -> list[Finding]:
        """Findings for a document already read: YAML problems, else schema, else rules."""
        from tacli.checks import Context, run_checks
        from tacli.engagement import validate

        if document.problems:
            return list(document.problems)
        engagement, findings = validate(document, self.models)
        if engagement is not None:
            findings.extend(run_checks(Context(document, engagement, self.spec, self.today)))
        return findings

    def check(self, targets: list[Target], jobs: Optional[int] = None) -> CheckResult:
        result = CheckResult()
        jobs = jobs or os.cpu_count() or 1
        with _no_cyclic_gc():
            if jobs > 1 and len(targets) >= PARALLEL_FROM:
                outcomes = self._check_parallel(targets, jobs)
            else:
                outcomes = list(map(self.check_file, targets))
        first_with_id: dict[str, str] = {}
        for target, (findings, skipped, identity) in zip(targets, outcomes):
            if skipped:
                result.skipped.append(target.name)
                continue
            result.checked.append(target.name)
            result.findings.extend(findings)
            if identity is not None:
                engagement_id, position = identity
                if engagement_id in first_with_id:
                    result.findings.append(finding(
                        DUPLICATE_ID, target.name, position,
                        f"engagement id '{engagement_id}' is already used by {first_with_id[engagement_id]}: give each engagement its own id (reports are filed under it)",
                    ))
                else:
                    first_with_id[engagement_id] = target.name
        if self.rules is not None:
            result.findings = self.rules.apply(result.findings)
        result.findings.sort(key=Finding.sort_key)
        return result

    def _check_parallel(self, targets: list[Target], jobs: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

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
            return list(pool.map(_check_in_worker, targets, chunksize=chunk))


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
    from tacli.spec import load_spec

    global _WORKER
    _WORKER = Checker(load_spec(folder), today)


def _check_in_worker(target: Target):
    assert _WORKER is not None
    return _WORKER.check_file(target)
