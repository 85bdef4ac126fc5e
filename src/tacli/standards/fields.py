"""How a spec id (a duty, a planning element, a feature) names a field of the
models derived from the standards (tacli.standards.models), apart from them:
views and figures read those fields without importing pydantic, so that a run
whose every result is in tacli's cache never does."""

from __future__ import annotations

import functools
import re
from typing import Any


@functools.lru_cache(maxsize=None)  # spec ids only: a few hundred, asked for millions of times by reports
def field_name(item_id: str) -> str:
    """The model's field for spec id `item_id` (the id is the field's alias)."""
    return "f_" + re.sub(r"\W", "_", item_id)


def field_value(model: Any, item_id: str) -> Any:
    """The value of the field for spec id `item_id` on a spec-derived model, or None."""
    if model is None:
        return None
    return getattr(model, field_name(item_id), None)
