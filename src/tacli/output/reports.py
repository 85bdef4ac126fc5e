"""Which reports to render for a set of engagements, and rendering them.

The core of `tacli report`; it knows nothing of the terminal. Engagements
come from the read pipeline (only usable ones, with ids unique enough to file
reports under); each report is a job whose view (tacli.output.views) is
rendered by a template (tacli.output.templates); tacli.write.output_files compares and
writes the results under one path convention (domain.REPORT_PATHS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Optional

from tacli.domain.reports import REPORT_KINDS, SERVICE_REPORT_KINDS, report_path
from tacli.domain.frameworks import duty_frameworks
from tacli.core.findings import Finding
from tacli.core.outcome import UsageError
from tacli.reading.pipeline import FileResult, LeftOut
from tacli.write.output_files import Output, with_marker
from tacli.output.views.agenda import agenda_context
from tacli.output.views.common import Lookups
from tacli.output.views.plan import plan_context
from tacli.output.views.summary import summary_context
from tacli.output.views.tast import tast_context
from tacli.standards.spec import Spec


def parse_kinds(values: Optional[Iterable[str]]) -> tuple[str, ...]:
    """--kind values (repeated or comma-separated; `all` for every kind) in REPORT_KINDS order."""
    chosen: set[str] = set()
    for value in values or ["all"]:
        for name in (part.strip() for part in value.split(",")):
            if not name:
                continue
            if name == "all":
                chosen.update(REPORT_KINDS)
            elif name in REPORT_KINDS:
                chosen.add(name)
            else:
                from tacli.core.suggest import did_you_mean

                hint = did_you_mean(name, REPORT_KINDS + ("all",)) or f" known: {', '.join(REPORT_KINDS)}, all."
                raise UsageError(f"unknown report kind '{name}':{hint}")
    if not chosen:
        raise UsageError(f"--kind is empty: give one of {', '.join(REPORT_KINDS)}, all")
    return tuple(kind for kind in REPORT_KINDS if kind in chosen)


@dataclass
class Loaded:
    """The engagements under some paths that reports and pages can use, and the
    files left out (with the findings that left them out)."""

    engagements: list[FileResult]
    left_out: list[LeftOut]
    problems: list[Finding]


def load_engagements(paths: list[str], spec: Spec, today: date, done=None, targets=None) -> Loaded:
    """The usable engagements under `paths` (as `tacli check` reads them), and
    the files left out: a file that cannot be used, or the second file to use an
    engagement id (reports are filed under it). One file's problem never hides
    the others: they are all there. Open duties and overdue reports are what
    reports show, not problems. Raises UsageError for a missing path."""
    from tacli.checking.checker import Checker
    from tacli.reading.pipeline import find_targets, left_out
    from tacli.checking.catalogue import REPORT_BLOCKING_RULE_IDS

    result = Checker(spec, today).check(find_targets(paths) if targets is None else targets, keep=True, done=done)
    problems = [item for item in result.findings if item.rule in REPORT_BLOCKING_RULE_IDS]
    by_file: dict[str, list[Finding]] = {}
    for item in problems:
        by_file.setdefault(item.path, []).append(item)
    for file in result.files:  # unusable, whatever the configuration made of its findings
        if not file.skipped and not file.usable and file.name not in by_file and file.findings:
            by_file[file.name] = list(file.findings)
    usable = [file for file in result.files if file.usable and file.name not in by_file]
    left = [left_out(file, by_file[file.name]) for file in result.files if file.name in by_file]
    return Loaded(usable, left, problems)


# --- what to render --------------------------------------------------------


@dataclass
class Job:
    """One report to render: its kind, its path under --out-dir, the template's view."""

    kind: str
    path: str
    context: Callable[[], dict]


def plan_jobs(engagements: list[FileResult], spec: Spec, today: date, kinds: tuple[str, ...], service: Optional[str] = None, left_out: Iterable[LeftOut] = ()) -> list[Job]:
    """The reports that `kinds` (and `--service`) ask for, in a stable order.

    TAST reports exist for engagements that list a framework with a duty matrix
    and a report (CALI); agendas for every service; a plan for every engagement;
    one summary for all of them, which names the files `left_out`.
    """
    if service is not None:
        others = [k for k in kinds if k not in SERVICE_REPORT_KINDS]
        if others and len(kinds) < len(REPORT_KINDS):
            raise UsageError(f"--service picks one service's {' and '.join(SERVICE_REPORT_KINDS)} reports; --kind {', '.join(others)} is not per service")
        kinds = tuple(k for k in kinds if k in SERVICE_REPORT_KINDS)
    lookups = Lookups(spec)
    ordered = sorted(engagements, key=lambda e: (e.engagement.id, e.name))
    jobs: list[Job] = []
    found = False
    for item in ordered:
        engagement = item.engagement
        for entry in engagement.services:
            if service is not None and entry.id != service:
                continue
            found = True
            if "tast" in kinds and duty_frameworks(spec, engagement):
                jobs.append(Job("tast", report_path("tast", engagement.id, entry.id), _bind(tast_context, spec, item, entry, today, lookups)))
            if "agenda" in kinds:
                jobs.append(Job("agenda", report_path("agenda", engagement.id, entry.id), _bind(agenda_context, spec, item, entry, today, lookups)))
        if "plan" in kinds:
            jobs.append(Job("plan", report_path("plan", engagement.id), _bind(plan_context, spec, item, today, lookups)))
    if service is not None and not found:
        from tacli.core.suggest import did_you_mean, known_list

        ids = sorted({s.id for e in engagements for s in e.engagement.services})
        hint = did_you_mean(service, ids) or (f" known: {known_list(ids, 12)}." if ids else " these engagements have no services.")
        raise UsageError(f"no service '{service}' in the engagements given:{hint}")
    if service is not None and not jobs:
        raise UsageError(f"service '{service}' has no TAST report: its engagement lists no framework with a duty matrix and report")
    if "summary" in kinds:
        jobs.append(Job("summary", report_path("summary"), _bind(summary_context, spec, ordered, today, lookups, tuple(left_out))))
    jobs.sort(key=lambda job: _path_order(job.path))
    return jobs


def _bind(function, *args) -> Callable[[], dict]:
    return lambda: function(*args)


def _path_order(path: str) -> tuple:
    return (path != report_path("summary"), path.split("/"))


def render_jobs(renderer, jobs: list[Job], done=None) -> list[Output]:
    """Every report's text, each ending with the line that marks it as tacli's;
    `done` is called as each is rendered (a progress bar)."""
    texts = renderer.render_all([(job.kind, job.context) for job in jobs], done=done)
    return [Output(job.kind, job.path, with_marker(text)) for job, text in zip(jobs, texts)]
