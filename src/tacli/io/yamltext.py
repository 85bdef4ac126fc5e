"""Write YAML text by hand, for scaffolds and surgical edits that keep a file as its user wrote it."""

from __future__ import annotations

import math
import re
from datetime import date

from tacli.core.numbers import number

# Text written without quotes: a letter or `_` first, then letters, digits and a
# few safe marks, no indicator a YAML reader (block or flow) could stop at.
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9 _./()'-]*")
# Words that some reader (YAML 1.1 or 1.2) would read as something other than text.
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", "nan", "inf"}
# The characters a YAML double-quoted scalar must escape, with their escapes.
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v",
            "\f": "\\f", "\r": "\\r", "\x1b": "\\e", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def scalar(value) -> str:
    """A YAML scalar that every YAML reader reads back as exactly `value`:
    plain where that is unambiguous, else double-quoted with YAML escapes."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED and not text.endswith(" ") and " #" not in text:
        return text
    return '"' + "".join(_escape(char) for char in text) + '"'


_OTHER_TO_SOME_READER = re.compile(r"\d{4}-\d\d?-\d\d?|0b[01]+")  # a date, and YAML 1.1's binary numbers


def id_scalar(value: str) -> str:
    """An id (lower-case letters and digits joined by hyphens) as written in a
    file: plain, as ids are (2026-11-17-principal-call), unless a YAML reader
    would take it for something else: a number (0o17, 1e3, 1e-3, 2026), a
    word (null, true), a date (2026-11-17) or, to YAML 1.1, a binary number
    (0b101), then quoted."""
    from tacli.io.yamlsource import _plain

    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):  # not an id's shape: any text, written safely
        return scalar(value)
    if value in _RESERVED or _OTHER_TO_SOME_READER.fullmatch(value):
        return f'"{value}"'
    try:
        reads_as = _plain(value)
    except Exception:  # noqa: BLE001 - more digits than a number may have: quoted, to be sure
        reads_as = None
    return value if reads_as == value else f'"{value}"'


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02X}"
    if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        return f"\\u{code:04X}"
    return char


def flow_mapping(pairs: dict) -> str:
    return "{" + ", ".join(f"{key}: {scalar(value)}" for key, value in pairs.items() if value is not None) + "}"


def flow_list(values) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def comment(text: str, indent: str, width: int = 80) -> list[str]:
    """`text` as YAML comment lines at `indent`, wrapped at `width` columns: an
    80-column editor or terminal shows them whole."""
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
            if not out:  # one long word: its first letters
                out = word[:most]
            break
        out = candidate
    return out


# Characters a literal block scalar cannot hold as they are: YAML line breaks
# other than \n, and what a reader would refuse or change (control characters, BOM).
_NOT_IN_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def block_text(text: str, indent: str) -> str:
    """A text of several lines as a YAML value that keeps them as typed: a literal
    block (`|-`, each line at `indent`) when it can hold the text exactly (no
    control character, no space or line break at either end), else `scalar`.
    What follows the key's colon: " |-\\n    first line\\n    second line"."""
    if "\n" not in text or _NOT_IN_BLOCK.search(text) or text != text.strip() or any(line != line.rstrip(" \t") for line in text.split("\n")):
        return " " + scalar(text)
    return " |-\n" + "\n".join(f"{indent}{line}" if line else "" for line in text.split("\n"))
