"""The default text format: one finding a line, as editors and CI parse it;
and `visible`, which keeps any text that came from a user on its line.

Engagement values, file names and configuration are user text: a value such as
"x\\n::error file=...::" would start a line that a GitHub Actions runner reads
as a workflow command, an ESC sequence would repaint a terminal, and a
bidirectional control would reorder what a reviewer reads. Every text output
shows those characters as escapes instead.
"""

from __future__ import annotations

import json
import re
from typing import Iterator, Optional

from tacli.core.findings import Finding, Level

# The characters that change how a terminal, a CI log or an editor shows the
# text around them: C0 controls but tab, DEL, C1 controls (U+009B is CSI in
# 8-bit terminals), the line and paragraph separators, and the bidirectional
# embeddings, overrides and isolates; and a lone surrogate (a YAML "\\ud800"),
# which no UTF-8 output can hold; and U+FFFE and U+FFFF, which are not
# characters: XML (a workbook's cells, a JUnit report) cannot hold them.
_UNSAFE_BEYOND_C0 = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f{_UNSAFE_BEYOND_C0}]")
_UNSAFE_IN_JSON = re.compile(f"[{_UNSAFE_BEYOND_C0}]")  # json.dumps escapes the C0 controls itself
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def visible(text: str) -> str:
    """`text` with every unsafe character shown as an escape (`\\n`, `\\x1b`,
    `\\u202e`): one line that shows what it holds. Ordinary text is unchanged."""
    if text.isprintable():  # the common case, checked at C speed: none of them is printable
        return text
    return _UNSAFE.sub(_escape, text)


_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> list[list[str]]:
    """Text written with blank lines between paragraphs, as its paragraphs, each
    the lines the writer typed (blank lines left out, any line ending read as
    one): the one way a note becomes paragraphs, in a report and on a page."""
    chunks = _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n").strip())
    found = []
    for chunk in chunks:
        lines = [line for line in chunk.split("\n") if line.strip()]
        if lines:
            found.append(lines)
    return found


def json_text(document) -> str:
    """`document` as indented UTF-8 JSON, with the unsafe characters inside its
    strings written as \\uXXXX escapes: the same data to a JSON reader."""
    return "".join(json_pieces(document))


JSON_PIECES_AT_ONCE = 4096  # the encoder's pieces joined before they are handed on (json_pieces)


def json_pieces(document) -> Iterator[str]:
    """json_text of `document`, a piece at a time as the encoder makes it (a
    list in it may make its items as they are taken: an export's rows). The
    pieces are json.dumps's (the same encoder, indented), each escaped as
    json_text escapes it: the unsafe characters are single characters."""
    batch: list[str] = []
    for piece in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(document):
        batch.append(piece)
        if len(batch) == JSON_PIECES_AT_ONCE:
            yield _json_safe("".join(batch))
            batch.clear()
    yield _json_safe("".join(batch)) + "\n"


def _json_safe(text: str) -> str:
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def location(item: Finding) -> str:
    """`path:line:column` of a finding."""
    return f"{visible(item.path)}:{item.line}:{item.column}"


def finding_line(item: Finding) -> str:
    return f"{location(item)}: {item.level.value} {item.rule} {visible(item.message)}"


def summary_line(findings: list[Finding], checked: int, skipped: int) -> str:
    counts = {level: 0 for level in Level}
    for item in findings:
        counts[item.level] += 1
    files = len({item.path for item in findings})
    noun = "file" if checked == 1 else "files"
    parts = [f"{counts[level]} {level.value}{'s' if counts[level] != 1 else ''}" for level in Level if counts[level]]
    if parts:
        text = f"{checked} {noun} checked: {', '.join(parts)} in {files} {'file' if files == 1 else 'files'}"
    else:
        text = f"{checked} {noun} checked: no problems"
    if skipped:
        text += f" ({skipped} YAML {'file' if skipped == 1 else 'files'} without `tacli:` skipped)"
    return text + "."


def plural(count: int, noun: str, nouns: Optional[str] = None) -> str:
    """"1 file", "2 files"."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def ordinal(number: int) -> str:
    """A place counted from one, as a reader says it: "1st", "2nd", "3rd", "11th", "22nd"."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"
