"""Write YAML text by hand, for scaffolds and surgical edits that keep a file as its user wrote it."""

from __future__ import annotations

import json
import re
from datetime import date

from tacli.domain import number

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9 _./()'-]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def scalar(value) -> str:
    """A YAML scalar for `value`: plain where that reads back as the same string, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text.endswith(" ") and ": " not in text and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_mapping(pairs: dict) -> str:
    return "{" + ", ".join(f"{key}: {scalar(value)}" for key, value in pairs.items() if value is not None) + "}"


def flow_list(values) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def comment(text: str, indent: str, width: int = 88) -> list[str]:
    """`text` as YAML comment lines at `indent`, wrapped at `width` columns."""
    words = text.split()
    lines, current = [], ""
    room = max(width - len(indent) - 2, 30)
    for word in words:
        if current and len(current) + 1 + len(word) > room:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return [f"{indent}# {line}" for line in lines]


def slug(text: str, most: int = 60) -> str:
    """A file-name-safe, lower-case id made of the letters and digits of `text`."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", folded)
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > most:
            break
        out = candidate
    return out
