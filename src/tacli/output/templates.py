"""Render templates: the shipped ones (part of tacli's code) in Jinja2 as it
is, and with a folder of the user's that overrides them file by file, every
template in Jinja2's immutable sandbox.

Every value a template prints is escaped for Markdown unless a filter has
made it Markdown already, so that engagement text is shown, never
interpreted. A template that does something wrong (a syntax error, an
undefined variable, an escape from the sandbox, going over a limit) is a
TemplateProblem whose one-line message names its file and line.

The user's templates run within the sandbox's limits
(tacli.output.template_limits), and within RunLimits: time and memory for each report,
and the length of its text; where processes can be forked they are rendered
in a child process (tacli.output.isolation) that is killed when it goes over them.
"""

from __future__ import annotations

import functools
import os
import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

from tacli.core import markdown
from tacli.core.numbers import hours_text, number, percent_text
from tacli.core.markdown import Text
from tacli.core.outcome import UsageError
from tacli.core.paths import real_path

TEMPLATE_SUFFIX = ".md.j2"


class TemplateProblem(UsageError):
    """A template cannot be used; the message names its file and line."""


def shipped_templates() -> Path:
    """The templates folder inside the installed package, or the source tree's."""
    from tacli.core.paths import shipped

    return shipped("templates")


@dataclass(frozen=True)
class RunLimits:
    """What one report may take when the templates are the user's."""

    seconds: float = 10.0  # to render it
    memory: int = 512 * 2**20  # bytes the rendering process may grow by (where it is a child process)


USER_LIMITS = RunLimits()
OVER_A_LIMIT = "the template went over a limit"


# What a template's values are escaped for: Markdown (reports) or HTML (the site).
MARKDOWN, HTML = "markdown", "html"


class NotATemplateFile(Exception):
    """Something named like a template in a templates folder is not a file (a
    FIFO, a folder): refused, never passed over for the shipped template."""


def _mode(path: Path) -> int:
    """What `path` is (what a link points to), for `describe`."""
    try:
        return path.stat().st_mode
    except OSError:
        return 0


def _pprint(value) -> str:
    """Jinja's pprint, a Packed list (views.common) printed as the list it stands for."""
    from pprint import pformat

    from tacli.output.views.common import Packed

    return pformat(list(value) if isinstance(value, Packed) else value)


def _as_json(value):
    """What `tojson` makes of a value json cannot: a Packed list (views.common) is its items."""
    from tacli.output.views.common import Packed

    if isinstance(value, Packed):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def make_environment(folders: list[Path], escaping: str, limits: Optional[RunLimits] = None, filters: Optional[dict] = None, trusted: bool = False):
    """The one way tacli makes a Jinja environment, for reports and the site alike:
    the immutable sandbox with its limits (tacli.output.template_limits), or for
    tacli's own templates alone (`trusted`) Jinja2 without the sandbox; templates
    from `folders` (the first that has one wins; none may link outside its
    folder), undefined variables refused, every value printed escaped for
    `escaping`, and the filters both kinds share (`number`, `hours`, `percent`,
    `join`) beside `filters`. With `limits` (the user's templates), the text of a
    render is measured as it is built."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, pass_environment, pass_eval_context
    from jinja2.filters import do_join, make_attrgetter
    from jinja2.sandbox import SecurityError
    from markupsafe import Markup, escape

    from tacli.core.textformat import visible
    from tacli.output.template_limits import LimitedSandbox, TrustedEnvironment, joined_size, text_size

    class ContainedLoader(FileSystemLoader):
        """A folder's templates, refusing any that is a link to a file outside it,
        or that is not a regular file (a FIFO, a folder) named like a template."""

        def get_source(self, environment, template):
            from jinja2.loaders import split_template_path

            from tacli.io.userfiles import describe

            candidate = Path(self.searchpath[0], *split_template_path(template))
            if os.path.lexists(candidate) and not candidate.is_file():
                # Not TemplateNotFound: the next folder's template must not be used instead.
                what = f"a symbolic link to {os.readlink(candidate)}, which does not exist" if not candidate.exists() else describe(candidate, _mode(candidate))
                raise NotATemplateFile(f"{candidate} is {what}, not a file: a template must be a regular file; remove it, or put the template there")
            source, filename, uptodate = super().get_source(environment, template)
            root = real_path(self.searchpath[0])
            if root not in real_path(filename).parents:
                # Not TemplateNotFound: the next folder's template must not be used instead.
                raise SecurityError(f"{filename} is a link to a file outside {root}: a template must be a file inside its templates folder")
            return source, filename, uptodate

    if escaping == MARKDOWN:
        # Jinja escapes through markupsafe's protocol, whose hook is named for HTML
        # (`__html__`): a Text answers it with Markdown escaping (markdown.Text).
        # Markup (the output of macros and of the Markdown filters) is Markdown already.
        def as_escapable(value):
            return value if hasattr(value, "__html__") else Text(str(value))

        def literal(text: str):
            return Markup(text)
    else:
        # HTML: markupsafe's own escaping, of the text itself (a Text is made a plain
        # string), with control characters shown as escapes.
        def as_escapable(value):
            return value if isinstance(value, Markup) else escape(visible(str.__str__(str(value))))

        def literal(text: str):
            return Markup(escape(text))

    @pass_environment
    def finalize(environment, value):
        if value is None or isinstance(value, Markup) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            return value
        if not isinstance(value, str):
            environment.meter.build(text_size(value), "printing a list or a mapping")
        return as_escapable(value)

    @pass_eval_context
    def join(eval_ctx, value, d="", attribute=None):
        # Every item escaped as a printed value is, the separator (which the
        # template wrote) kept as it is.
        if attribute is not None:
            value = map(make_attrgetter(eval_ctx.environment, attribute), value)
        items = [as_escapable(item) for item in value]
        separator = d if isinstance(d, Markup) else literal(str(d))
        eval_ctx.environment.meter.build(joined_size(items, separator), "with the join filter")
        return do_join(eval_ctx, items, separator)

    if trusted and limits is not None:
        raise ValueError("the user's templates are never trusted")
    environment = (TrustedEnvironment if trusted else LimitedSandbox)(
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
        "pprint": _pprint,
        "number": lambda value: number(value),
        "hours": hours_text,
        "percent": lambda ratio: percent_text(ratio) or "\u2013",
        "join": join,
        **(filters or {}),
    })
    environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": _as_json}  # Jinja's, and Packed lists
    if limits is not None:
        environment.concat = environment.meter.joined  # the text of a report, a macro or a block
    if trusted:
        environment.printed = _printer(environment, finalize, escape, Markup, escaping, visible)
    return environment


def _printer(environment, finalize, escape, Markup, escaping: str, visible) -> Callable:
    """What a trusted environment prints of a value (TrustedEnvironment.printed):
    the text of markupsafe's escape of the finalized value. Most values are
    Markup, a Text or a plain string: each is taken first, straight to the same
    text. What is printed is only ever joined into the page (Jinja2 makes
    Markup of a macro's, a block's or a filter block's text itself), so the
    escaped text need not be made Markup: a tenth of a page's time. (A
    template's `generate()` would yield those pieces as plain text where
    Jinja2's own yields Markup; tacli renders whole pages, never streams.)"""
    html = escaping == HTML
    escaped_text = _escaped_text(escape)

    def printed(value):
        kind = type(value)
        if kind is Markup:
            return value
        if kind is Text or kind is str:
            return escaped_text(visible(str.__str__(value))) if html else Text.__html__(value)
        return escape(finalize(environment, value))

    return printed


def _escaped_text(escape) -> Callable[[str], str]:
    """markupsafe's escaping of a plain string, as a plain string: the function
    behind its escape where markupsafe has one (3.0 and later) and it escapes
    as escape does, else escape itself (Markup, which is text too)."""
    try:
        from markupsafe import _escape_inner
    except ImportError:
        return escape
    escaped = _escape_inner("<a href=\"x\">'&'</a>")
    if type(escaped) is not str or escaped != "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;":  # a private name: trusted only while it escapes as markupsafe documents
        return escape
    return _escape_inner


@functools.lru_cache(maxsize=1)
def _shipped_environment():
    """The environment of the shipped templates, made once a process: compiling
    them is most of a small report's time, and a long-lived process (tacli serve,
    the tests) renders them again and again. A user's templates get a new one
    each run (their folder may change between runs)."""
    return make_environment([shipped_templates()], MARKDOWN, None, _markdown_filters(), trusted=True)


def _markdown_filters() -> dict:
    from markupsafe import Markup

    def safe(function):
        return lambda value, *args: Markup(function(value, *args))

    return {
        "md": safe(_md_inline),
        "md_block": safe(markdown.block),
        "mermaid": safe(markdown.mermaid),
        "mermaid_gantt": safe(markdown.mermaid_gantt),
    }


def _md_inline(value) -> str:
    if hasattr(value, "__html__") and not isinstance(value, Text):
        return value.__html__()  # already Markdown
    return markdown.inline(value)


class Renderer:
    """Renders report views with the shipped templates, or an override folder first.

    The shipped templates are trusted: part of tacli's code, they run without
    the sandbox. An override folder runs every template in the sandbox, with
    `limits` (USER_LIMITS) too."""

    def __init__(self, override: Optional[Path] = None):
        folders = [shipped_templates()]
        if override is not None:
            if override.exists() and not override.is_dir():
                raise TemplateProblem(f"--templates {override} is a file: give the folder that holds the templates (tacli report --templates DIR)")
            if not override.is_dir():
                raise TemplateProblem(f"--templates {override}: no such folder")
            folders.insert(0, override)
        self.folders = folders
        self.limits: Optional[RunLimits] = USER_LIMITS if override is not None else None
        self._templates: dict = {}

    @functools.cached_property
    def environment(self):
        """The Jinja environment, made when first asked for: a run whose every report is kept renders none."""
        if self.limits is None:
            return _shipped_environment()
        return make_environment(self.folders, MARKDOWN, self.limits, _markdown_filters())

    def template_name(self, kind: str) -> str:
        return kind + TEMPLATE_SUFFIX

    def render(self, kind: str, context: dict) -> str:
        """The report's Markdown; raises TemplateProblem with the template's file and line."""
        name = self.template_name(kind)
        self.environment.meter.start(self.limits.seconds if self.limits else None)
        try:
            template = self._templates.get(name) or self.environment.get_template(name)
            self._templates[name] = template
            # The user's templates are joined by the sandbox (environment.concat), which refuses a text over its limit.
            text = _joined(template.generate(context)) if self.limits is None else template.render(context)
        except Exception as exc:  # noqa: BLE001 - anything a template does wrong is the template's problem
            raise TemplateProblem(self._explain(exc, name)) from None
        return tidy(text)

    def render_all(self, reports: Sequence[tuple[str, Callable[[], dict]]], done: Optional[Callable[[], None]] = None) -> list[str]:
        """The Markdown of each (kind, view) in `reports`, in order. With the user's
        templates, in a child process where the system can fork one (tacli.output.isolation)."""
        from tacli.output.isolation import CAN_ISOLATE, Stopped, run_isolated

        def render(report: tuple[str, Callable[[], dict]]) -> str:
            kind, view = report
            return self.render(kind, view())

        if self.limits is None or not CAN_ISOLATE or not reports:
            from tacli.core.collector import paused

            texts = []
            with paused():
                for report in reports:
                    texts.append(render(report))
                    if done is not None:
                        done()
            return texts
        try:
            return run_isolated(render, reports, self.limits.seconds, self.limits.memory, done)
        except Stopped as stop:
            name = self.template_name(reports[stop.index][0])
            happened = OVER_A_LIMIT if stop.over_limit else "the template could not be rendered"
            raise TemplateProblem(f"{self._file(name)}: {happened}: {stop.reason}") from None

    def _explain(self, exc: Exception, name: str) -> str:
        from jinja2 import TemplateNotFound, TemplateSyntaxError
        from jinja2.sandbox import SecurityError

        from tacli.output.template_limits import LimitExceeded

        if isinstance(exc, TemplateSyntaxError):
            where = f"{exc.filename or exc.name or name}:{exc.lineno}"
            return f"{where}: template syntax error: {exc.message}"
        if isinstance(exc, TemplateNotFound):
            detail = exc.message if exc.message and exc.message != exc.name else f"template '{exc.name}' not found in {', '.join(str(f) for f in self.folders)}"
            return f"{self._where(exc, name)}: {detail}"
        where = self._where(exc, name)
        message = str(exc) or type(exc).__name__
        if isinstance(exc, (LimitExceeded, MemoryError)):
            return f"{where}: {OVER_A_LIMIT}: {self._memory_message() if isinstance(exc, MemoryError) else message}"
        if isinstance(exc, SecurityError):
            return f"{where}: the template was refused by the sandbox: {message}"
        if isinstance(exc, NotATemplateFile):
            return f"{where}: {message}"
        from jinja2 import UndefinedError

        if isinstance(exc, UndefinedError):
            return f"{where}: undefined variable: {message} (docs/reports.md lists each template's variables)"
        if isinstance(exc, UnicodeDecodeError):
            shown = next((str(Path(folder) / name) for folder in self.folders if (Path(folder) / name).is_file()), name)
            return f"{shown}: the template is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}): save it as UTF-8"
        return f"{where}: the template failed: {type(exc).__name__}: {message}"

    def _memory_message(self) -> str:
        from tacli.output.isolation import limits_memory

        if self.limits is not None and limits_memory():
            return f"it needs more than {self.limits.memory // 2**20:,} MB of memory"
        return "it needs more memory than there is"

    def _where(self, exc: Exception, name: str) -> str:
        """The template file and line of the innermost template frame of a render error."""
        roots = [str(real_path(folder)) for folder in self.folders]
        frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename.endswith(TEMPLATE_SUFFIX) or _inside(frame.filename, roots)]
        if frames:
            frame = frames[-1]
            return f"{frame.filename}:{frame.lineno}"
        return self._file(name)

    def _file(self, name: str) -> str:
        """The file the template `name` comes from, or its name when it cannot be found."""
        try:
            return self.environment.loader.get_source(self.environment, name)[1]
        except Exception:  # noqa: BLE001 - a missing or refused template is named as it is asked for
            return name


def _inside(filename: str, roots: list[str]) -> bool:
    try:
        resolved = str(real_path(filename))
    except OSError:
        return False
    return any(resolved.startswith(root + os.sep) for root in roots)


_BLANK_RUNS = re.compile(r"\n{3,}")


JOINED_AT_ONCE = 4096  # pieces of a report's text joined at a time (_joined)


def _joined(pieces) -> str:
    """A template's pieces of text (Template.generate) as one text, joined
    JOINED_AT_ONCE at a time: Template.render holds every piece in one list
    first, and the summary of 10,000 engagements is some 5 MB of text in
    about a million pieces, 60 MB as one list."""
    joined, batch = [], []
    for piece in pieces:
        batch.append(piece)
        if len(batch) == JOINED_AT_ONCE:
            joined.append("".join(batch))
            batch.clear()
    joined.append("".join(batch))
    return "".join(joined)


TIDY_BLOCK = 1 << 16  # characters of a report's text whose lines are tidied at a time (tidy)
_TRAILING_SPACE = re.compile(r"[^\S\n](?:\n|\Z)")


def tidy(text: str) -> str:
    """Stable Markdown whatever the template's white space: no trailing spaces, no
    runs of blank lines, one newline at the end. The text of the summary of
    10,000 engagements is some 10 MB in memory, so it is copied only where a
    step changes it: lines are stripped only when one ends in white space, a
    block of TIDY_BLOCK characters at a time (a list of every line took 30 MB)."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    if _TRAILING_SPACE.search(text) is not None:
        blocks, start = [], 0
        while True:
            end = text.find("\n", start + TIDY_BLOCK)
            end = len(text) if end < 0 else end
            blocks.append("\n".join([line.rstrip() for line in text[start:end].split("\n")]))
            if end == len(text):
                break
            start = end + 1
        text = "\n".join(blocks)
        del blocks
    text = _BLANK_RUNS.sub("\n\n", text).lstrip("\n")  # the same text when there is nothing to change
    if text.endswith("\n\n"):  # at most two: runs of more are two now
        return text[:-1]
    return text if text.endswith("\n") else text + "\n"
