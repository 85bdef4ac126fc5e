"""Option values converted without building a pydantic adapter for each option.

typer converts every value on the command line through a pydantic TypeAdapter
it builds for the option: about 7 ms an option, a tenth of a second for a
command with a dozen options, more than `tacli check` of a file in the cache
takes. Every option tacli declares is text, a list of text, a whole number
or a flag; values of those kinds are converted here as the adapter converts
them (text as it is, a list as a list, digits as an int within the option's
bounds, a flag's True or False as it is: a command given no option of
another kind then never imports pydantic's adapters). Anything else, and any value that
does not fit (a number out of bounds, `--jobs abc`), goes to typer's own
adapter, so every message about a wrong value is typer's. This reaches into
typer's internals (`typer._coercion`): where they are not as expected (a name
gone, a constructor that takes other arguments), typer converts as it does.

Also, installed with it, `--help` without a type after a flag (`flags_without_type`).
"""

from __future__ import annotations

import functools
import re
from typing import Any, get_args, get_origin

_NOT_MINE = object()
_DIGITS = re.compile(r"-?[0-9]+")


def _light(annotation: Any, info: Any, value: Any) -> Any:
    """`value` converted as typer's adapter would, or _NOT_MINE."""
    if annotation is str:
        return value if isinstance(value, str) else _NOT_MINE
    if annotation is bool:  # a flag: the parser gives True or False
        return value if type(value) is bool else _NOT_MINE
    if annotation is int:
        if getattr(info, "clamp", False):
            return _NOT_MINE
        if isinstance(value, str) and _DIGITS.fullmatch(value):
            number = int(value)
        elif type(value) is int:
            number = value
        else:
            return _NOT_MINE
        if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
            return _NOT_MINE
        return number
    if get_origin(annotation) is list and get_args(annotation) == (str,):
        if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
            return list(value)
        return _NOT_MINE
    return _NOT_MINE


def _takes(descriptor: Any) -> bool:
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
        return False
    annotation = descriptor.annotation
    return annotation in (str, int, bool) or (get_origin(annotation) is list and get_args(annotation) == (str,))


def light_value_conversion() -> None:
    """Convert the values of text, list and number options without pydantic (this
    typer's internals: with another typer, nothing changes); and show no type
    after a flag in `--help` (flags_without_type)."""
    flags_without_type()
    try:
        from typer import _coercion
        from typer.core import _TyperParameter
    except ImportError:  # pragma: no cover - another typer: it converts as it does
        return
    if getattr(_TyperParameter, "_tacli_light", False) or not all(
        callable(getattr(owner, name, None)) for owner, name in ((_TyperParameter, "get_runtime_param"), (_coercion, "RuntimeParam"), (_coercion, "build_runtime_param"))
    ):
        return

    class Light(_coercion.RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                converted = _light(self.annotation, self.parameter_info, value)
            except Exception:  # noqa: BLE001 - an option's description not as this typer's: typer converts it
                converted = _NOT_MINE
            if converted is _NOT_MINE:
                return _coercion.build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)
            return converted

    original = _TyperParameter.get_runtime_param

    @functools.wraps(original)
    def get_runtime_param(self):
        if getattr(self, "_runtime_param", None) is None:
            try:
                descriptor = self.type_descriptor
                if _takes(descriptor):
                    self._runtime_param = Light(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
            except Exception:  # noqa: BLE001 - this typer's internals are not as expected: its own conversion
                pass
        return original(self)

    _TyperParameter.get_runtime_param = get_runtime_param
    _TyperParameter._tacli_light = True


def flags_without_type() -> None:
    """`--help` shows no type after a flag (`--version`, `--quiet`) or a counted
    option: they take no value, and this typer writes `<bool>` beside them, as
    if one were needed. An option that takes a value keeps its type (`<int>`)
    or metavar (`YYYY-MM-DD`)."""
    try:
        from typer.core import TyperOption
    except ImportError:  # pragma: no cover - another typer: it shows what it shows
        return
    if getattr(TyperOption, "_tacli_flags", False) or not hasattr(TyperOption, "display_type_rich"):
        return
    original = TyperOption.display_type_rich

    def display_type_rich(self, ctx):
        if getattr(self, "is_flag", False) or getattr(self, "count", False):
            return None
        return original(self, ctx)

    TyperOption.display_type_rich = display_type_rich
    TyperOption._tacli_flags = True
