"""What counts as recorded: a value that holds something, and the value a duty's
`recorded_in` names."""

from __future__ import annotations

from typing import Any


def present(value: Any) -> bool:
    """Whether a value holds something: blank text, and lists or records of
    nothing but blanks, are missing text, wherever the standards ask for text."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return any(present(item) for item in value)
    if isinstance(value, dict):
        return any(present(item) for item in value.values())
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:  # a record: something in any of its fields
        return any(present(getattr(value, name)) for name in fields)
    return True



def recorded(path: str, engagement: Any, service: Any) -> Any:
    """The value a duty's `recorded_in` names: `service.agenda` on the service,
    `engagement.recipient.point_person` on the engagement (None when absent)."""
    root, *names = path.split(".")
    value = service if root == "service" else engagement
    for name in names:
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


