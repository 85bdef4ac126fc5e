"""Limits on what a report template may build and how long it may run, so
that no template, careless or hostile, can hang `tacli report` or fill the
memory.

Jinja2's sandbox keeps a template away from Python; it does not stop a
template from asking for a string of a billion characters or a loop of ten
billion turns. The environment of a user's templates (templates.py) is a
LimitedSandbox:

- `range()` gives at most MAX_RANGE numbers, and `lipsum()` is refused (its
  text is random, and reports must be the same bytes on every run);
- `*` and `**` never compute a number of more than MAX_DIGITS digits;
- everything that builds text or lists from other values (`~`, `+`, `*`, `%`,
  `str.format`, the filters and string methods that take a width, a count or
  a string to insert, printing a list) is measured before it runs, and may
  build at most MAX_TEXT characters (or items);
- every loop turn, call and include checks the render's deadline.

The user's templates are bounded further (templates.RunLimits): MAX_TEXT
characters built in all for a report, the length of its text, and its time.
tacli's own templates (the shipped reports and site) are part of its code:
they render in a TrustedEnvironment, Jinja2 without the sandbox, whose meter
still measures what a printed list or the join filter builds.
"""

from __future__ import annotations

import copy
import functools
import math
import re
import time
import types
from collections.abc import Mapping
from string import Formatter
from typing import Callable, Optional

from jinja2 import Environment, nodes
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import escape

from tacli.output.views.common import Packed

MAX_RANGE = 10_000
MAX_DIGITS = 100
MAX_TEXT = 10_000_000


class LimitExceeded(Exception):
    """A template went over one of the limits; the message names the limit."""


class Meter:
    """What the template being rendered has used so far: text built, and time.

    A trusted template may build MAX_TEXT characters in each operation; a
    bounded one (the user's) MAX_TEXT in all, within its seconds."""

    def __init__(self) -> None:
        self.built = 0
        self.bounded = False
        self.seconds: Optional[float] = None
        self.deadline: Optional[float] = None

    def start(self, seconds: Optional[float]) -> None:
        """A new report: nothing built yet; bounded by `seconds` and a total of text, or (None) trusted."""
        self.built = 0
        self.bounded = seconds is not None
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds

    def checkpoint(self) -> None:
        """Refuse to go on past the deadline (each loop turn, call and include asks)."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise LimitExceeded(f"it ran for more than {self.seconds:g} seconds")

    def build(self, size: int, how: str) -> None:
        """Count `size` characters (or items) about to be built by `how`; refuse them over the limit."""
        self.built = size + (self.built if self.bounded else 0)
        if self.built > MAX_TEXT:
            raise LimitExceeded(f"it builds more than {MAX_TEXT:,} characters of text ({how})")
        self.checkpoint()

    def joined(self, parts) -> str:
        """`"".join(parts)` for the text of a report, a macro or a block, refused over MAX_TEXT."""
        pieces = []
        size = 0
        for part in parts:
            size += len(part)
            if size > MAX_TEXT:
                raise LimitExceeded(f"its output is longer than {MAX_TEXT:,} characters")
            pieces.append(part)
        return "".join(pieces)


# --- sizes -------------------------------------------------------------------


def text_size(value, seen: Optional[dict] = None) -> int:
    """About how many characters `value` becomes as text: what printing,
    joining or formatting it builds. Containers count their items; an object
    met twice (a list repeated) is measured once."""
    if isinstance(value, str):
        return len(value)
    if value is None or isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return value.bit_length() // 2 + 2  # its digits, with a separator every three
    if isinstance(value, float):
        return 24
    seen = {} if seen is None else seen
    key = id(value)
    if key not in seen:
        seen[key] = 0  # a container that holds itself counts once
        if isinstance(value, Mapping):
            size = 2 + sum(text_size(k, seen) + text_size(v, seen) + 4 for k, v in value.items())
        elif isinstance(value, (list, tuple, set, frozenset, Packed)):
            items = list(value) if isinstance(value, Packed) else value  # a Packed list's items alive while measured: an id is not reused
            size = 2 + sum(text_size(item, seen) + 2 for item in items)
        else:
            size = len(str(value))
        seen[key] = size
    return seen[key]


def joined_size(items, separator) -> int:
    """How long `separator.join(items)` is."""
    seen: dict = {}
    return sum(text_size(item, seen) for item in items) + text_size(separator) * len(items)


def _count(value) -> int:
    """A width or count argument as a number (0 when it is not one: the call itself will say why)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return max(0, int(value))
    return 0


def _replaced_size(text, old, new, count=None) -> int:
    """How long `text` is with `old` replaced by `new` (at most `count` times when it is not negative)."""
    text, old, new = str(text), str(old), str(new)
    times = len(text) + 1 if not old else text.count(old)
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(text) + times * max(0, len(new) - len(old))


_PRINTF = re.compile(r"%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?(?P<kind>.)", re.S)


def printf_size(template, values) -> int:
    """About how long `template % values` is: each `%` field as long as its value or its width."""
    template = str(template)
    mapping = values if isinstance(values, Mapping) else None
    positional = iter(values if isinstance(values, tuple) else (values,))
    size = len(template)
    for field in _PRINTF.finditer(template):
        if field["kind"] == "%":
            continue
        widths = [next(positional, 0) if part == "*" else int(part) for part in (field["width"], field["precision"]) if part]
        value = mapping.get(field["key"]) if mapping is not None and field["key"] is not None else next(positional, None)
        size += max([text_size(value)] + [_count(width) for width in widths])
    return size


def format_size(template: str, args, kwargs) -> int:
    """About how long `template.format(*args, **kwargs)` is: each field as long as its value
    or as the largest number in its format spec, nested fields included."""
    size = 0
    automatic = iter(range(len(args) + 1))
    named = kwargs if isinstance(kwargs, Mapping) else {}

    def value_of(field: str):
        root = re.match(r"[^.\[]*", field).group()
        if root.isdigit():
            return args[int(root)] if int(root) < len(args) else None
        if not root:
            index = next(automatic, len(args))
            return args[index] if index < len(args) else None
        return named.get(root)

    for literal, field, spec, _conversion in Formatter().parse(template):
        size += len(literal)
        if field is None:
            continue
        value = value_of(field)
        widths = [int(number) for number in re.findall(r"\d+", spec)]
        for _literal, nested, _spec, _ in Formatter().parse(spec or ""):
            if nested is not None:
                widths.append(_count(value_of(nested)))
        size += max([text_size(value)] + widths)
    return size


# The text a filter or a string method builds, estimated from its arguments
# (those after the value it is applied to, as the function takes them).
FILTER_SIZES: dict[str, Callable[..., int]] = {
    "center": lambda value, width=80: max(text_size(value), _count(width)),
    "indent": lambda s, width=4, first=False, blank=False: text_size(s) + (str(s).count("\n") + 1) * (len(width) if isinstance(width, str) else _count(width)),
    "wordwrap": lambda s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True: (text_size(s) + 1) * (1 + len(str(wrapstring or "\n"))),
    "truncate": lambda s, length=255, killwords=False, end="...", leeway=None: text_size(s) + len(str(end)),
    "format": lambda value, *args, **kwargs: printf_size(value, kwargs or args),
    "replace": lambda s, old, new, count=None: _replaced_size(s, old, new, count),
    "urlize": lambda value, trim_url_limit=None, nofollow=False, target=None, rel=None, extra_schemes=None: 3 * text_size(value) + (text_size(value) // 4 + 1) * (64 + len(str(target or "")) + len(str(rel or ""))),
    "tojson": lambda value, indent=None: text_size(value) * (1 + _count(indent)),
    "batch": lambda value, linecount, fill_with=None: _count(linecount),
    "slice": lambda value, slices, fill_with=None: _count(slices),
}
STRING_METHOD_SIZES: dict[str, Callable[..., int]] = {
    "center": lambda s, width, fillchar=" ": max(len(s), _count(width)),
    "ljust": lambda s, width, fillchar=" ": max(len(s), _count(width)),
    "rjust": lambda s, width, fillchar=" ": max(len(s), _count(width)),
    "zfill": lambda s, width: max(len(s), _count(width)),
    "expandtabs": lambda s, tabsize=8: len(s) + s.count("\t") * _count(tabsize),
    "replace": lambda s, old, new, count=-1: _replaced_size(s, old, new, count),
    "translate": lambda s, table: len(s) * max([1] + [text_size(v) for v in table.values()] if isinstance(table, Mapping) else [1]),
}


def bounded_filter(meter: Meter, name: str, function: Callable) -> Callable:
    """`function`, a filter, measured with FILTER_SIZES[name] before it runs."""
    size = FILTER_SIZES[name]
    skip = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0  # the context Jinja passes first

    @functools.wraps(function)
    def bounded(*args, **kwargs):
        meter.build(size(*args[skip:], **kwargs), f"with the {name} filter")
        return function(*args, **kwargs)

    return bounded


def bounded_range(*args) -> range:
    """range(), refused over MAX_RANGE numbers."""
    numbers = range(*args)
    try:
        count = len(numbers)
    except OverflowError:
        count = MAX_RANGE + 1
    if count > MAX_RANGE:
        raise LimitExceeded(f"range() of more than {MAX_RANGE:,} numbers")
    return numbers


def no_lipsum(*args, **kwargs):
    raise SecurityError("lipsum() is not available: its text is random, and a report must be the same on every run")


def _digits(number) -> float:
    """About how many digits an integer has (0 for anything else)."""
    return math.log10(abs(number)) if isinstance(number, int) and number else 0.0


def check_number(left, operator_name: str, right) -> None:
    """Refuse `left ** right` or `left * right` on integers when the result would have more than MAX_DIGITS digits."""
    if not (isinstance(left, int) and isinstance(right, int)):
        return
    if operator_name == "**":
        digits = right * _digits(left) if right > 0 and abs(left) > 1 else 0
    else:
        digits = _digits(left) + _digits(right)
    if digits > MAX_DIGITS:
        raise LimitExceeded(f"a number of more than {MAX_DIGITS} digits (with `{operator_name}`)")


# --- the sandbox ---------------------------------------------------------------


class LimitedCodeGenerator(CodeGenerator):
    """Jinja2's code generator, with a deadline check in each loop turn and `~`
    measured, and every printed value escaped as the template runs."""

    def _output_child_to_const(self, node, frame, finalize) -> str:
        # Jinja2 prints a constant ({{ "\u202e" }}) as markupsafe's escape of it,
        # worked out when the template is compiled, without the environment's
        # finalize: a bidirectional override or a Markdown heading went out raw.
        # Only the template's own text is taken as it is.
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)

    def visit_For(self, node: nodes.For, frame) -> None:
        # Jinja2 allows no node types of our own: the statement first in the
        # loop's body is an expression written as `environment.meter.checkpoint()`.
        checkpoint = nodes.ExprStmt(nodes.EnvironmentAttribute("meter.checkpoint()", lineno=node.lineno), lineno=node.lineno)
        checked = copy.copy(node)
        checked.body = [checkpoint, *node.body]
        super().visit_For(checked, frame)

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        # as CodeGenerator.visit_Concat, through LimitedSandbox.concatenate
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.concatenate({join}, (")
        for operand in node.nodes:
            self.visit(operand, frame)
            self.write(", ")
        self.write("))")


class TrustedCodeGenerator(CodeGenerator):
    """Jinja2's code generator, printing each value through one call,
    `environment.printed(value)`, where Jinja2 makes two: the environment's
    finalize, then markupsafe's escape of what it returns."""

    def _printed_in_one_call(self, frame, finalize) -> bool:
        return not frame.eval_ctx.volatile and frame.eval_ctx.autoescape and finalize.src is not None

    def _output_child_pre(self, node, frame, finalize) -> None:
        if self._printed_in_one_call(frame, finalize):
            self.write("environment.printed(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:
        if self._printed_in_one_call(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class TrustedEnvironment(Environment):
    """The environment of tacli's own templates (the shipped reports and site),
    which are part of its code: Jinja2 without the sandbox, whose checks on every
    call and attribute were a fifth of a report's time. Values are escaped all
    the same (templates.make_environment sets `printed`, which must give what
    markupsafe's escape gives of the finalized value); `meter` measures what is
    printed."""

    code_generator_class = TrustedCodeGenerator

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meter = Meter()
        self.printed: Callable = escape  # escaped whatever is made of it; make_environment sets the finalizing one

    def getattr(self, obj, attribute):
        # Jinja2 tries the attribute first, then the item: for a mapping of the
        # views, that is an AttributeError raised and caught on every `view.name`.
        # A key that is not one of dict's own attributes gives the same answer.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox with the limits of this module; `meter` measures the render under way."""

    code_generator_class = LimitedCodeGenerator
    intercepted_binops = frozenset(["+", "*", "**", "%"])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meter = Meter()
        self.globals["range"] = bounded_range
        self.globals["lipsum"] = no_lipsum
        for name in FILTER_SIZES:
            self.filters[name] = bounded_filter(self.meter, name, self.filters[name])

    def call_binop(self, context, operator_name: str, left, right):
        if operator_name in ("*", "**"):
            check_number(left, operator_name, right)
        if operator_name == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(count, int):
                    self.meter.build(len(sized) * max(0, count), "with `*`")
        elif operator_name == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            self.meter.build(len(left) + len(right), "with `+`")
        elif operator_name == "%" and isinstance(left, str):
            self.meter.build(printf_size(left, right), "with `%`")
        return super().call_binop(context, operator_name, left, right)

    def concatenate(self, join: Callable, operands: tuple) -> str:
        """`a ~ b`, measured first."""
        self.meter.build(joined_size(operands, ""), "with `~`")
        return join(operands)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja2's own signature
        __self.meter.checkpoint()
        if not isinstance(__obj, (types.BuiltinMethodType, types.MethodType)):  # a macro, a global function
            return super().call(__context, __obj, *args, **kwargs)
        owner = __obj.__self__
        name = __obj.__name__
        if isinstance(owner, str) and name in STRING_METHOD_SIZES:
            plain = {key: value for key, value in kwargs.items() if key not in ("_loop_vars", "_block_vars")}
            __self.meter.build(STRING_METHOD_SIZES[name](owner, *args, **plain), f"with str.{name}")
        elif isinstance(owner, str) and name == "join" and args:
            items = list(args[0])
            __self.meter.build(joined_size(items, owner), "with str.join")
            args = (items, *args[1:])
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        formatting = super().wrap_str_format(value)
        if formatting is None:
            return None
        template = value.__self__
        by_map = value.__name__ == "format_map"
        meter = self.meter

        @functools.wraps(formatting)
        def bounded(*args, **kwargs):
            positional, named = ((), args[0]) if by_map and args else (args, kwargs)
            meter.build(format_size(template, positional, named), f"with str.{value.__name__}")
            return formatting(*args, **kwargs)

        return bounded

    def get_template(self, *args, **kwargs):
        self.meter.checkpoint()
        return super().get_template(*args, **kwargs)

    def select_template(self, *args, **kwargs):
        self.meter.checkpoint()
        return super().select_template(*args, **kwargs)
