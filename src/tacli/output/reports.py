"""Which reports to render for a set of engagements, and rendering them.

The core of `tacli report`; it knows nothing of the terminal. Engagements
come from the read pipeline (only usable ones, with ids unique enough to file
reports under); each report is a job whose view (tacli.output.views) is
rendered by a template (tacli.output.templates); tacli.write.output_files compares and
writes the results under one path convention (domain.REPORT_PATHS).
"""

from __future__ import annotations

import itertools
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional

from tacli.core.collector import paused
from tacli.domain.reports import REPORT_KINDS, SERVICE_REPORT_KINDS, report_path
from tacli.domain.frameworks import duty_frameworks
from tacli.core.findings import Finding
from tacli.core.outcome import UsageError
from tacli.reading.pipeline import FileResult, LeftOut
from tacli.write.output_files import Output, with_marker

if TYPE_CHECKING:  # pragma: no cover - not imported by a run whose every result is kept
    from tacli.output.views.common import Lookups
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
    checker: Any = None  # what read them (checking.checker.Checker), through tacli's cache when it has one
    targets: dict = field(default_factory=dict)  # each usable engagement's file (reading.pipeline.Target) by its name

    def files(self, items: Optional[Iterable[FileResult]] = None) -> list:
        """The file of each usable engagement (of `items`, in their order, when given)."""
        return [self.targets[item.name] for item in (self.engagements if items is None else items)]

    def each(self, work) -> list:
        """`work` (a FileWork) on each usable engagement's file, in order: read
        again where it is done, on every core, kept in tacli's cache when it
        has one (Checker.map_files)."""
        return self.checker.map_files(self.files(), work)


def load_engagements(paths: list[str], spec: "Spec | Callable[[], Spec]", today: date, done=None, targets=None, checker=None, also: "tuple | Callable[[], tuple]" = (), meanwhile: Optional[Callable[[], None]] = None) -> Loaded:
    """The usable engagements under `paths` (as `tacli check` reads them), and
    the files left out: a file that cannot be used, or the second file to use an
    engagement id (reports are filed under it). One file's problem never hides
    the others: they are all there. Open duties and overdue reports are what
    reports show, not problems. Raises UsageError for a missing path.

    The files are checked as `tacli check` checks them (`checker`: through
    tacli's cache, on every core); each usable engagement is read again (from
    the cache's reading, or from its file when there is no cache) only when a
    report or page that the cache does not hold asks for it
    (reading.stored.LazyResult): no run holds every engagement whole. `spec` may be a function
    that loads the standards (Checker: only when a file is not kept). `also` (FileWork: the reports
    or pages to come) is done on each file the check reads, while it is in hand
    (Checker.also); `meanwhile`, while worker processes check (Checker.meanwhile)."""
    from tacli.checking.checker import Checker
    from tacli.reading.pipeline import find_targets, left_out
    from tacli.reading.stored import LazyResult
    from tacli.checking.blocking import REPORT_BLOCKING_RULE_IDS

    checker = checker if checker is not None else Checker(spec, today)
    targets = find_targets(paths) if targets is None else targets
    by_name = {target.name: target for target in targets}
    checker.also, checker.meanwhile = also, meanwhile
    checker.pin(targets)  # without the cache, a file read again later must be the one the check read
    try:
        result = checker.check(targets, done=done)
    finally:
        checker.also, checker.meanwhile = (), None
    result.files = [LazyResult(file, _loader(checker, by_name[file.name])) if file.usable and file.name in by_name else file for file in result.files]
    problems = [item for item in result.findings if item.rule in REPORT_BLOCKING_RULE_IDS]
    by_file: dict[str, list[Finding]] = {}
    for item in problems:
        by_file.setdefault(item.path, []).append(item)
    for file in result.files:  # unusable, whatever the configuration made of its findings
        if not file.skipped and not file.usable and file.name not in by_file and file.findings:
            by_file[file.name] = list(file.findings)
    usable = [file for file in result.files if file.usable and file.name not in by_file]
    left = [left_out(_with_document(checker, file, by_name), by_file[file.name]) for file in result.files if file.name in by_file]
    return Loaded(usable, left, problems, checker, {file.name: by_name[file.name] for file in usable})


def _loader(checker, target) -> Callable[[], FileResult]:
    return lambda: checker.read(target)


def _with_document(checker, file: FileResult, by_name: dict) -> FileResult:
    """A file left out, with its document (what can still be read of it names it)."""
    if file.name not in by_name or file.document is not None:
        return file
    try:
        return checker.read(by_name[file.name])
    except Exception:  # noqa: BLE001 - a bug met reading it is its finding already
        return file


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
        kinds = service_kinds(kinds)
    from tacli.output.views.agenda import agenda_context
    from tacli.output.views.common import Lookups
    from tacli.output.views.plan import plan_context
    from tacli.output.views.summary import summary_context
    from tacli.output.views.tast import tast_context

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
        raise _no_such_service(service, {s.id for e in engagements for s in e.engagement.services})
    if service is not None and not jobs:
        raise UsageError(f"service '{service}' has no TAST report: its engagement lists no framework with a duty matrix and report")
    if "summary" in kinds:
        jobs.append(Job("summary", report_path("summary"), _bind(summary_context, spec, ordered, today, lookups, tuple(left_out))))
    jobs.sort(key=lambda job: report_order(job.path))
    return jobs


def service_kinds(kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds of one service's reports that --kind asks for with --service (a UsageError for another kind named)."""
    others = [k for k in kinds if k not in SERVICE_REPORT_KINDS]
    if others and len(kinds) < len(REPORT_KINDS):
        raise UsageError(f"--service picks one service's {' and '.join(SERVICE_REPORT_KINDS)} reports; --kind {', '.join(others)} is not per service")
    return tuple(k for k in kinds if k in SERVICE_REPORT_KINDS)


def report_paths(loaded: Loaded, kinds: tuple[str, ...]) -> tuple[list[list[str]], Optional[str]]:
    """Which reports of `kinds` a run would render, without rendering them:
    each usable engagement's report paths (a FileWork kept in the cache,
    worked out on every core: no engagement read whole here), and the
    summary's path when `kinds` asks for it."""
    from tacli.checking.checker import FileWork

    per_file = tuple(kind for kind in kinds if kind != "summary")
    paths = loaded.each(FileWork(_report_paths, "report-paths", (per_file,), dated=False)) if per_file else [[] for _ in loaded.engagements]
    return paths, (report_path("summary") if "summary" in kinds else None)


def _report_paths(checker, target, kinds: tuple[str, ...]) -> list[str]:
    return [job.path for job in plan_jobs([checker.read(target)], checker.spec, checker.today, kinds)]


def _no_such_service(service: str, ids: Iterable[str]) -> UsageError:
    from tacli.core.suggest import did_you_mean, known_list

    ids = sorted(ids)
    hint = did_you_mean(service, ids) or (f" known: {known_list(ids, 12)}." if ids else " these engagements have no services.")
    return UsageError(f"no service '{service}' in the engagements given:{hint}")


def holding_service(loaded: Loaded, service: str, kinds: tuple[str, ...]) -> list[FileResult]:
    """The usable engagements that hold the service `service` (--service), found
    from each one's service ids (kept in tacli's cache, worked out on every
    core): only those are read whole. A UsageError for `kinds` that are not
    per service (service_kinds), or, with the ids that come closest, when no
    engagement holds it."""
    from tacli.checking.checker import FileWork

    service_kinds(kinds)
    ids = loaded.each(FileWork(_service_ids, "service-ids", dated=False))
    holding = [item for item, found in zip(loaded.engagements, ids) if service in found]
    if not holding:
        raise _no_such_service(service, {each for found in ids for each in found})
    return holding


def _service_ids(checker, target) -> tuple[str, ...]:
    return tuple(entry.id for entry in checker.read(target).engagement.services)


def _bind(function, *args) -> Callable[[], dict]:
    return lambda: function(*args)


def report_order(path: str) -> str:
    """The order of reports in what `tacli report` says and writes: the summary
    first, then by folder, then by name. A text, each `/` made the lowest
    character (no path holds it), sorts as the path's parts would: a key is
    held for each of a state's 100,000 reports while they are sorted, and
    this one is less than half the size of a list of the parts."""
    return ("0" if path == _SUMMARY_PATH else "1") + path.replace("/", "\0")


_SUMMARY_PATH = report_path("summary")


def render_jobs(renderer, jobs: list[Job], done=None) -> list[Output]:
    """Every report's text, each ending with the line that marks it as tacli's;
    `done` is called as each is rendered (a progress bar)."""
    texts = renderer.render_all([(job.kind, job.context) for job in jobs], done=done)
    return [Output(job.kind, job.path, with_marker(text)) for job, text in zip(jobs, texts)]


# --- every report, through tacli's cache ---------------------------------------


def render_reports(loaded: Loaded, renderer, kinds: tuple[str, ...], templates: Optional[str] = None, done=None, background: bool = False) -> Iterator[Output]:
    """Every report of `kinds` for the engagements `loaded`, as plan_jobs and
    render_jobs give them, made as they are read (in no set order: a write
    holds a few engagements' reports at a time, write.output_files), each
    rendered only when tacli's cache does not hold it: each engagement's
    reports are kept under its file's key, the templates, the kinds and the
    day (the reports say what is due as of it), and rendered on every core
    when many are not; the summary, last, under every usable file's key, the
    files left out, the templates and the day. Without the cache, each is
    rendered the same way, from its file read again. `templates` is --templates (the
    user's templates are rendered in this process). With `background`, the
    summary is made meanwhile, in a child (_summary_in_a_child)."""
    per_file = tuple(kind for kind in kinds if kind != "summary")
    summary = _summary_in_a_child(loaded, renderer) if background and "summary" in kinds and per_file else None
    try:
        yield from _per_file_reports(loaded, renderer, kinds, templates, done)
        if summary is not None:
            yield _summary_sent(loaded, summary)
            if done is not None:
                done()
        elif "summary" in kinds:
            yield summary_report(loaded, renderer, done)
    finally:
        if summary is not None:
            summary.abandon()


def _per_file_reports(loaded: Loaded, renderer, kinds: tuple[str, ...], templates: Optional[str], done) -> Iterator[Output]:
    """render_reports of each engagement (not the summary)."""
    checker = loaded.checker
    per_file = tuple(kind for kind in kinds if kind != "summary")
    if per_file:
        work = reports_work(renderer, kinds, templates)
        if work is None:  # templates that cannot be read whole: nothing rendered is kept
            yield from _rendered_in_turn(renderer, plan_jobs(loaded.engagements, checker.spec, checker.today, per_file))
            for _ in loaded.engagements if done is not None else ():
                done()
        else:
            from tacli.checking.checker import LARGE_PROBE

            with closing(checker.each_file(loaded.files(), work, 1 if templates else None, done, LARGE_PROBE)) as chunks:
                for _, found in chunks:
                    for each in found:
                        yield from (Output(kind, path, text) for kind, path, text in each)


def _summary_in_a_child(loaded: Loaded, renderer):
    """summary.md started in a forked child (core.background.Background) while
    this process writes every engagement's reports, when the cache does not
    hold it and the shipped templates render it (the user's render in a child
    of their own); None otherwise. Folding 10,000 engagements' parts and
    rendering the summary took some 6 s after every other report was written,
    and 75 MB of this process's memory, for 5 MB of text: the child does it on
    the other core, keeps it in the cache, and sends back its UTF-8 bytes
    (_summary_sent). A child that fails leaves the work to this process,
    which does it as before and says what went wrong."""
    cache = loaded.checker.cache
    templates_key = _templates_key(renderer)
    if templates_key is None or renderer.limits is not None:
        return None
    key = portfolio_key(loaded, "summary", templates_key)
    if key is not None and cache.present([key]):
        return None
    from tacli.core.background import Background

    def made() -> tuple:
        return summary_report(loaded, renderer).text.encode("utf-8"), list(cache.notes) if cache is not None else []

    return Background(made)


def _summary_sent(loaded: Loaded, pending) -> Output:
    """The summary a child made (_summary_in_a_child), and what its cache noted (for --verbose)."""
    data, notes = pending.result()
    cache = loaded.checker.cache
    if cache is not None:
        cache.notes.extend(note for note in notes if note not in cache.notes)
    return Output("summary", report_path("summary"), data)


RENDERED_AT_ONCE = 256  # reports rendered before they are handed on, with the shipped templates (_rendered_in_turn)


def _rendered_in_turn(renderer, jobs: list[Job], done=None) -> Iterator[Output]:
    """render_jobs, RENDERED_AT_ONCE reports at a time when the shipped templates
    render them in this process: a write holds those, not every report of a
    state's portfolio. The user's templates render them all in one child
    process (Renderer.render_all), one process a run."""
    step = RENDERED_AT_ONCE if renderer.limits is None else max(1, len(jobs))
    for start in range(0, len(jobs), step):
        yield from render_jobs(renderer, jobs[start:start + step], done=done)


def reports_work(renderer, kinds: tuple[str, ...], templates: Optional[str]):
    """Each engagement's reports of `kinds` (not the summary) as a FileWork kept in
    the cache, for render_reports and for the check that reads the files first
    (Checker.also); None when nothing rendered can be kept (templates that
    cannot be read whole). The templates are compiled before worker processes
    are forked (FileWork.prepare): each inherits them."""
    from tacli.checking.checker import FileWork

    per_file = tuple(kind for kind in kinds if kind != "summary")
    templates_key = _templates_key(renderer)
    _RENDERERS[templates] = renderer  # this run's: one made by an earlier run in this process holds the templates as they were then
    if not per_file or templates_key is None:
        return None
    return FileWork(_file_reports, "rendered", (per_file, templates_key, templates), prepare=_prepare_reports, together=_files_reports)


def _prepare_reports(kinds: tuple[str, ...], templates_key, templates: Optional[str]) -> None:
    compile_templates(_renderer(templates), kinds)


def summary_work():
    """Each engagement's part of the summary (views.summary.summary_part) as a
    FileWork kept in the cache: the summary of many files, after a few changed,
    works out only theirs again."""
    from tacli.checking.checker import FileWork

    return FileWork(_summary_part, "summary-part")


def _summary_part(checker, target) -> dict:
    from tacli.output.views.summary import summary_part

    return summary_part(checker.spec, checker.read(target), checker.today, _lookups(checker.spec))


_LOOKUPS: dict = {}


def _lookups(spec: Spec) -> Lookups:
    """The spec's Lookups, made once a process."""
    if id(spec) not in _LOOKUPS:
        _LOOKUPS.clear()
        from tacli.output.views.common import Lookups

        _LOOKUPS[id(spec)] = (spec, Lookups(spec))
    return _LOOKUPS[id(spec)][1]


def _files_reports(checker, targets: list, kinds: tuple[str, ...], templates_key, templates: Optional[str], done: Optional[Callable[[], None]] = None) -> list[list[tuple[str, str, str]]]:
    """_file_reports of many files in one render: a user's templates render
    them all in one child process (Renderer.render_all), not one a file.
    `done` is called as each file's last report comes back (a progress bar
    that would otherwise wait for the whole render)."""
    jobs = [plan_jobs([item], checker.spec, checker.today, kinds) for item in checker.read_many(targets)]
    outputs = iter(render_jobs(_renderer(templates), [job for each in jobs for job in each], done=_each_file_done(jobs, done)))
    return [[(output.kind, output.path, output.text) for _, output in zip(each, outputs)] for each in jobs]


def _each_file_done(jobs: list[list[Job]], done: Optional[Callable[[], None]]) -> Optional[Callable[[], None]]:
    """A `done` for each report rendered that calls `done` once a file, as the
    file's last report is rendered (a file with none counts at once)."""
    if done is None:
        return None
    ends = iter(itertools.accumulate(len(each) for each in jobs))  # how many reports are rendered once each file is
    rendered = [0]
    pending = [next(ends, None)]

    def advance() -> None:
        while pending[0] is not None and pending[0] <= rendered[0]:
            done()
            pending[0] = next(ends, None)

    def one_rendered() -> None:
        rendered[0] += 1
        advance()

    advance()
    return one_rendered


def _file_reports(checker, target, kinds: tuple[str, ...], templates_key, templates: Optional[str]) -> list[tuple[str, str, str]]:
    """One engagement's reports of `kinds`: (kind, path, text with its marker)."""
    item = checker.read(target)
    jobs = plan_jobs([item], checker.spec, checker.today, kinds)
    return [(output.kind, output.path, output.text) for output in render_jobs(_renderer(templates), jobs)]


_RENDERERS: dict = {}


def _renderer(templates: Optional[str]):
    """The renderer of `templates` in this process (each worker process makes its own once)."""
    from pathlib import Path

    from tacli.output.templates import Renderer

    if templates not in _RENDERERS:
        _RENDERERS[templates] = Renderer(Path(templates) if templates else None)
    return _RENDERERS[templates]


def compile_templates(renderer, kinds: tuple[str, ...]) -> None:
    """The templates of `kinds` compiled (the environment keeps them): those of
    each engagement's reports before worker processes are forked, the
    summary's while they work (commands.report)."""
    for kind in kinds:
        try:
            renderer.environment.get_template(renderer.template_name(kind))
        except Exception:  # noqa: BLE001 - rendering says what is wrong with it, with its file and line
            pass


def _templates_key(renderer) -> Optional[bytes]:
    """The digest of every template `renderer` reads (None: they cannot be read whole, nothing rendered is kept)."""
    from tacli.io.cache import digest, tree_digest

    parts = [tree_digest(folder) for folder in renderer.folders]
    return None if any(part is None for part in parts) else digest("templates", *parts)


def portfolio_key(loaded: Loaded, kind: str, *parts) -> Optional[bytes]:
    """The key in tacli's cache of what is made from every usable file (the
    summary, the site's portfolio pages, a folder found current): their keys,
    the files left out, the day, tacli's code and standards, and `parts`.
    None when the cache is off or a file has no key."""
    checker = loaded.checker
    if checker.cache is None or checker.context is None:
        return None
    keys = [checker.key_of(target) for target in loaded.files()]
    if any(part is None for part in keys):
        return None
    from tacli.io.cache import digest

    return digest(kind, checker.context, *parts, checker.today.isoformat(), tuple(keys), repr(tuple(loaded.left_out)))


def reports_check_key(loaded: Loaded, renderer, kinds: tuple[str, ...], out_dir, withdrawn: tuple[str, ...]) -> Optional[bytes]:
    """The key a reports folder found current is remembered under
    (write.output_files.SeenState): what its files are made from, and where it is."""
    import os

    templates_key = _templates_key(renderer)
    return portfolio_key(loaded, "reports-seen", templates_key, tuple(kinds), os.path.abspath(out_dir), withdrawn) if templates_key is not None else None


def summary_report(loaded: Loaded, renderer, done=None) -> Output:
    """summary.md, from the cache when no usable file, file left out, template
    or day changed; else folded from each engagement's part (none read whole
    here). `done` is called once it is made."""
    checker = loaded.checker
    cache = checker.cache
    templates_key = _templates_key(renderer)
    key = portfolio_key(loaded, "summary", templates_key) if templates_key is not None else None
    text = cache.get(key, None) if key is not None else None
    if isinstance(text, str):
        output = Output("summary", report_path("summary"), text)
    else:
        context = _summary_folded(loaded)
        output = render_jobs(renderer, [Job("summary", report_path("summary"), lambda: context)])[0]
        if key is not None:
            cache.put(key, "rendered", output.text)
            cache.flush()
    if done is not None:
        done()
    return output


def _summary_folded(loaded: Loaded) -> dict:
    """The summary's view from each engagement's part (kept in the cache), each
    folded in as soon as the parts before it are (views.summary.SummaryFold):
    the parts come in no set order, and those that come early wait. The
    collector is paused throughout: what the fold keeps holds no cycle, and
    its passes over it took nearly a second of a 10,000-engagement report."""
    from tacli.checking.checker import LARGE_PROBE
    from tacli.output.views.summary import SummaryFold, summary_order

    checker = loaded.checker
    targets = loaded.files(sorted(loaded.engagements, key=summary_order))
    fold, waiting, turn = SummaryFold(checker.spec), {}, 0
    with paused(), closing(checker.each_file(targets, summary_work(), probe_size=LARGE_PROBE)) as chunks:
        for indexes, found in chunks:
            waiting.update(zip(indexes, found))
            del found
            while turn in waiting:
                fold.add(waiting.pop(turn))
                turn += 1
        return fold.context(_lookups(checker.spec), tuple(loaded.left_out))
