"""Render templates in Jinja2's immutable sandbox, with the shipped templates
or a folder of the user's that overrides them file by file.

Every value a template prints is escaped for Markdown unless a filter has
made it Markdown already, so that engagement text is shown, never
interpreted. A template that does something wrong (a syntax error, an
undefined variable, an escape from the sandbox) is a TemplateProblem whose
message names its file and line.
"""

from __future__ import annotations

import operator
import os
import re
import traceback
from pathlib import Path
from typing import Optional

from tacli import markdown
from tacli.domain import number
from tacli.markdown import Text
from tacli.outcome import UsageError

TEMPLATE_SUFFIX = ".md.j2"


class TemplateProblem(UsageError):
    """A template cannot be used; the message names its file and line."""


def shipped_templates() -> Path:
    """The templates folder inside the installed package, or the source tree's."""
    packaged = Path(__file__).with_name("templates")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


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
        "number": lambda value: Text(number(value)),
        "join": join,
    })
    return environment


def _md_inline(value) -> str:
    if hasattr(value, "__html__") and not isinstance(value, Text):
        return value.__html__()  # already Markdown
    return markdown.inline(value)


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
