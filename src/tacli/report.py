"""Render Markdown reports from engagements: TAST reports, agendas, plans, a summary.

The core of `tacli report`; it knows nothing of the terminal. It reads and
validates engagement files, builds a view for each report (tacli.reportview),
renders it with a Jinja2 template in a sandbox, and compares or writes the
results under one path convention (docs/reports.md).

Templates come from the shipped `templates/` folder; an organization can
override any of them with a folder of its own. Templates are rendered in
Jinja2's immutable sandbox with StrictUndefined, and every value a template
prints is escaped for Markdown unless a filter has made it Markdown already,
so that engagement text is shown, never interpreted.
"""

from __future__ import annotations

import operator
import os
import re
import traceback
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Optional

from tacli import markdown
from tacli.checks.consistency import DUPLICATE_ID
from tacli.findings import Finding, finding
from tacli.markdown import Text
from tacli.reportview import (
    SUMMARY_PATH,
    Engagement,
    Lookups,
    agenda_context,
    plan_context,
    plan_path,
    report_frameworks,
    service_path,
    summary_context,
    tast_context,
)
from tacli.spec import Spec

KINDS = ("tast", "agenda", "plan", "summary")
SERVICE_KINDS = ("tast", "agenda")
TEMPLATE_SUFFIX = ".md.j2"


class ReportUsageError(Exception):
    """The reports cannot be made as asked (an unknown kind, a service not found...)."""


class TemplateProblem(Exception):
    """A template cannot be used; the message names its file and line."""


def shipped_templates() -> Path:
    """The templates folder inside the installed package, or the source tree's."""
    packaged = Path(__file__).with_name("templates")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def parse_kinds(values: Optional[Iterable[str]]) -> tuple[str, ...]:
    """--kind values (repeated or comma-separated; `all` for every kind) in KINDS order."""
    chosen: set[str] = set()
    for value in values or ["all"]:
        for name in (part.strip() for part in value.split(",")):
            if not name:
                continue
            if name == "all":
                chosen.update(KINDS)
            elif name in KINDS:
                chosen.add(name)
            else:
                from tacli.suggest import did_you_mean

                hint = did_you_mean(name, KINDS + ("all",)) or f" known: {', '.join(KINDS)}, all."
                raise ReportUsageError(f"unknown report kind '{name}':{hint}")
    if not chosen:
        raise ReportUsageError(f"--kind is empty: give one of {', '.join(KINDS)}, all")
    return tuple(kind for kind in KINDS if kind in chosen)


# --- reading engagements ---------------------------------------------------


def load_engagements(paths: list[str], spec: Spec) -> tuple[list[Engagement], list[Finding]]:
    """Every engagement under `paths`, validated; or the findings that make them unusable.

    As `tacli check` does, folders are searched for *.yaml/*.yml and files
    without a top-level `tacli:` key found there are skipped. Only what stops a
    report from being made is a problem here (unreadable YAML, a schema error,
    an id used twice); open duties and overdue reports are what reports show.
    Raises checker.UsageError for a missing path.
    """
    from tacli.checker import find_targets
    from tacli.engagement import is_engagement, validate
    from tacli.models import build_models
    from tacli.yamlsource import YamlError, load_path

    models = build_models(spec)
    engagements: list[Engagement] = []
    problems: list[Finding] = []
    owners: dict[str, str] = {}
    for target in find_targets(paths):
        try:
            document = load_path(target.path, target.name)
        except YamlError as exc:
            problems.append(exc.finding)
            continue
        if document.problems:
            problems.extend(document.problems)
            continue
        if not target.explicit and not is_engagement(document.data):
            continue
        model, found = validate(document, models)
        if model is None:
            problems.extend(found)
            continue
        if model.id in owners:
            problems.append(finding(
                DUPLICATE_ID, document.path, document.locate(("id",)),
                f"engagement id '{model.id}' is already used by {owners[model.id]}: give each engagement its own id (its reports go to the folder {model.id}/)",
            ))
            continue
        owners[model.id] = document.path
        seen: dict[str, int] = {}
        duplicate = False
        for index, service in enumerate(model.services):
            if service.id in seen:
                duplicate = True
                problems.append(finding(
                    DUPLICATE_ID, document.path, document.locate(("services", index, "id")),
                    f"service id '{service.id}' is already used by services[{seen[service.id]}]: give each service its own id (its reports are named after it)",
                ))
            seen.setdefault(service.id, index)
        if not duplicate:
            engagements.append(Engagement(document.path, model))
    problems.sort(key=Finding.sort_key)
    return engagements, problems


# --- what to render --------------------------------------------------------


@dataclass
class Job:
    """One report to render: its kind, its path under --out-dir, the template's view."""

    kind: str
    path: str
    context: Callable[[], dict]


def plan_jobs(engagements: list[Engagement], spec: Spec, today: date, kinds: tuple[str, ...], service: Optional[str] = None) -> list[Job]:
    """The reports that `kinds` (and `--service`) ask for, in a stable order.

    TAST reports exist for engagements that list a framework with a duty matrix
    and a report (CALI); agendas for every service; a plan for every engagement;
    one summary for all of them.
    """
    if service is not None:
        others = [k for k in kinds if k not in SERVICE_KINDS]
        if others and len(kinds) < len(KINDS):
            raise ReportUsageError(f"--service picks one service's {' and '.join(SERVICE_KINDS)} reports; --kind {', '.join(others)} is not per service")
        kinds = tuple(k for k in kinds if k in SERVICE_KINDS)
    lookups = Lookups(spec)
    ordered = sorted(engagements, key=lambda e: (e.model.id, e.path))
    jobs: list[Job] = []
    found = False
    for item in ordered:
        engagement = item.model
        for entry in engagement.services:
            if service is not None and entry.id != service:
                continue
            found = True
            if "tast" in kinds and report_frameworks(spec, engagement):
                jobs.append(Job("tast", service_path(engagement.id, entry.id, "tast"), _bind(tast_context, spec, item, entry, today, lookups)))
            if "agenda" in kinds:
                jobs.append(Job("agenda", service_path(engagement.id, entry.id, "agenda"), _bind(agenda_context, spec, item, entry, today, lookups)))
        if "plan" in kinds:
            jobs.append(Job("plan", plan_path(engagement.id), _bind(plan_context, spec, item, today, lookups)))
    if service is not None and not found:
        from tacli.suggest import did_you_mean, known_list

        ids = sorted({s.id for e in engagements for s in e.model.services})
        hint = did_you_mean(service, ids) or (f" known: {known_list(ids, 12)}." if ids else " these engagements have no services.")
        raise ReportUsageError(f"no service '{service}' in the engagements given:{hint}")
    if service is not None and not jobs:
        raise ReportUsageError(f"service '{service}' has no TAST report: its engagement lists no framework with a duty matrix and report")
    if "summary" in kinds:
        jobs.append(Job("summary", SUMMARY_PATH, _bind(summary_context, spec, ordered, today, lookups)))
    jobs.sort(key=lambda job: _path_order(job.path))
    return jobs


def _bind(function, *args) -> Callable[[], dict]:
    return lambda: function(*args)


def _path_order(path: str) -> tuple:
    return (path != SUMMARY_PATH, path.split("/"))


# --- rendering -------------------------------------------------------------

MAX_SEQUENCE = 100_000


def _environment(folders: list[Path]):
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, pass_eval_context
    from jinja2.filters import do_join, make_attrgetter
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
    from markupsafe import Markup

    class ContainedLoader(FileSystemLoader):
        """A folder's templates, refusing any that is a link to a file outside it."""

        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            root = Path(self.searchpath[0]).resolve()
            if root not in Path(filename).resolve().parents:
                # Not TemplateNotFound: the next folder's template must not be used instead.
                raise SecurityError(f"{filename} is a link to a file outside {root}: a template must be a file inside its templates folder")
            return source, filename, uptodate

    class ReportEnvironment(ImmutableSandboxedEnvironment):
        """The sandbox, with limits on `*` and `**` so a template cannot build huge values."""

        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context, operator_name, left, right):
            if operator_name == "**":
                if isinstance(right, (int, float)) and abs(right) > 64:
                    raise SecurityError("the exponent is too large for a template")
                return operator.pow(left, right)
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(count, int) and len(sized) * count > MAX_SEQUENCE:
                    raise SecurityError(f"a repeated value longer than {MAX_SEQUENCE:,} is too large for a template")
            return operator.mul(left, right)

    def finalize(value):
        # Every value printed with {{ }} is escaped for Markdown: Text escapes
        # itself (its __html__), anything else but a number is made Text first;
        # Markup (the output of macros and of the Markdown filters) is already Markdown.
        if hasattr(value, "__html__") or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            return value
        return Text(value if isinstance(value, str) else str(value))

    def safe(function):
        return lambda value, *args: Markup(function(value, *args))

    @pass_eval_context
    def join(eval_ctx, value, d="", attribute=None):
        # Jinja's join escapes plain strings for HTML: make every item Text, and
        # keep the separator, which the template wrote, as it is.
        if attribute is not None:
            value = map(make_attrgetter(eval_ctx.environment, attribute), value)
        items = [item if hasattr(item, "__html__") else Text(str(item)) for item in value]
        return do_join(eval_ctx, items, Markup(d) if isinstance(d, str) else d)

    environment = ReportEnvironment(
        loader=ChoiceLoader([ContainedLoader(str(folder)) for folder in folders]),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    environment.filters.update({
        "md": safe(_md_inline),
        "md_block": safe(markdown.block),
        "mermaid": safe(markdown.mermaid),
        "mermaid_gantt": safe(markdown.mermaid_gantt),
        "number": lambda value: Text(_number(value)),
        "join": join,
    })
    return environment


def _md_inline(value) -> str:
    if hasattr(value, "__html__") and not isinstance(value, Text):
        return value.__html__()  # already Markdown
    return markdown.inline(value)


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class Renderer:
    """Renders report views with the shipped templates, or an override folder first."""

    def __init__(self, override: Optional[Path] = None):
        folders = [shipped_templates()]
        if override is not None:
            if not override.is_dir():
                raise TemplateProblem(f"--templates {override}: no such folder")
            folders.insert(0, override)
        self.folders = folders
        self.environment = _environment(folders)
        self._templates: dict = {}

    def template_name(self, kind: str) -> str:
        return kind + TEMPLATE_SUFFIX

    def render(self, kind: str, context: dict) -> str:
        """The report's Markdown; raises TemplateProblem with the template's file and line."""
        name = self.template_name(kind)
        try:
            template = self._templates.get(name) or self.environment.get_template(name)
            self._templates[name] = template
            text = template.render(context)
        except Exception as exc:  # noqa: BLE001 - anything a template does wrong is the template's problem
            raise TemplateProblem(self._explain(exc, name)) from None
        return tidy(text)

    def _explain(self, exc: Exception, name: str) -> str:
        from jinja2 import TemplateNotFound, TemplateSyntaxError
        from jinja2.sandbox import SecurityError

        if isinstance(exc, TemplateSyntaxError):
            where = f"{exc.filename or exc.name or name}:{exc.lineno}"
            return f"{where}: template syntax error: {exc.message}"
        if isinstance(exc, TemplateNotFound):
            detail = exc.message if exc.message and exc.message != exc.name else f"template '{exc.name}' not found in {', '.join(str(f) for f in self.folders)}"
            return f"{self._where(exc, name)}: {detail}"
        where = self._where(exc, name)
        message = str(exc) or type(exc).__name__
        if isinstance(exc, SecurityError):
            return f"{where}: the template was refused by the sandbox: {message}"
        from jinja2 import UndefinedError

        if isinstance(exc, UndefinedError):
            return f"{where}: undefined variable: {message} (docs/reports.md lists each template's variables)"
        return f"{where}: the template failed: {type(exc).__name__}: {message}"

    def _where(self, exc: Exception, name: str) -> str:
        """The template file and line of the innermost template frame of a render error."""
        roots = [str(folder.resolve()) for folder in self.folders]
        frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename.endswith(TEMPLATE_SUFFIX) or _inside(frame.filename, roots)]
        if frames:
            frame = frames[-1]
            return f"{frame.filename}:{frame.lineno}"
        return name


def _inside(filename: str, roots: list[str]) -> bool:
    try:
        resolved = str(Path(filename).resolve())
    except OSError:
        return False
    return any(resolved.startswith(root + os.sep) for root in roots)


_BLANK_RUNS = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Stable Markdown whatever the template's white space: no trailing spaces, no
    runs of blank lines, one newline at the end."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    body = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
    return body + "\n"


@dataclass(frozen=True)
class Output:
    kind: str
    path: str
    text: str


def render_jobs(renderer: Renderer, jobs: list[Job]) -> list[Output]:
    return [Output(job.kind, job.path, renderer.render(job.kind, job.context())) for job in jobs]


# --- comparing and writing -------------------------------------------------

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_CONVENTION = {
    "plan": re.compile(rf"^{_SLUG}/plan\.md$"),
    "tast": re.compile(rf"^{_SLUG}/{_SLUG}-tast\.md$"),
    "agenda": re.compile(rf"^{_SLUG}/{_SLUG}-agenda\.md$"),
    "summary": re.compile(r"^summary\.md$"),
}


def existing_reports(out_dir: Path, kinds: tuple[str, ...]) -> list[str]:
    """Files under `out_dir` whose paths follow the convention for `kinds`."""
    if not out_dir.is_dir():
        return []
    found = []
    candidates = [SUMMARY_PATH] if (out_dir / SUMMARY_PATH).is_file() else []
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        candidates.extend(f"{folder.name}/{f.name}" for f in sorted(folder.iterdir()) if f.is_file() and f.suffix == ".md")
    for path in candidates:
        if any(_CONVENTION[kind].match(path) for kind in kinds):
            found.append(path)
    return found


def _same(path: Path, text: str) -> bool:
    """Whether the file holds `text`; line endings alone (a CRLF checkout) do not count."""
    try:
        current = path.read_bytes()
    except OSError:
        return False
    return current.replace(b"\r\n", b"\n") == text.encode("utf-8")


@dataclass
class Comparison:
    current: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.stale or self.missing or self.orphaned)


def compare(outputs: list[Output], out_dir: Path, kinds: tuple[str, ...], orphans: bool = True) -> Comparison:
    """What on disk differs from `outputs`; orphans are convention files no output produces."""
    result = Comparison()
    for output in outputs:
        target = out_dir / output.path
        if not target.is_file():
            result.missing.append(output.path)
        elif _same(target, output.text):
            result.current.append(output.path)
        else:
            result.stale.append(output.path)
    if orphans:
        produced = {output.path for output in outputs}
        result.orphaned = [path for path in existing_reports(out_dir, kinds) if path not in produced]
    return result


def write_outputs(outputs: list[Output], out_dir: Path, kinds: tuple[str, ...], prune: bool = False, orphans: bool = True) -> Comparison:
    """Write the outputs that differ from the disk (atomically), leave the others
    untouched; with `prune`, delete orphans. Returns what was found before writing."""
    from tacli.atomic import write_atomically

    result = compare(outputs, out_dir, kinds, orphans)
    changed = set(result.stale) | set(result.missing)
    for output in outputs:
        if output.path in changed:
            target = out_dir / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, output.text)
    if prune:
        for path in result.orphaned:
            target = out_dir / path
            target.unlink()
            if target.parent != out_dir and not any(target.parent.iterdir()):
                target.parent.rmdir()
    return result
