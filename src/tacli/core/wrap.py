"""Text for a terminal of a given width: words wrapped at spaces under a
hanging indent, never inside a word (an id, a path, a date), and commands to
copy kept whole on a line of their own.

Every place that folds text for a terminal (`tacli due`, `tacli status`, the
checklist of `tacli mark`) goes through `fit` and `command`; without a width
(not a terminal: a pipe, a file) a line is left as it is, one line a fact.
"""

from __future__ import annotations

import unicodedata
from typing import Optional, Sequence


def cells(text: str) -> int:
    """The columns `text` takes in a terminal: a wide character (CJK) two, a
    combining mark none, any other character one."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def hanging_indent(line: str) -> str:
    """The indent of a folded line's continuation: under the text after a list
    marker ("  3. ", "  - "), else two spaces more than the line's own."""
    stripped = line.lstrip(" ")
    lead = len(line) - len(stripped)
    marker = stripped.split(" ", 1)[0]
    if len(stripped) > len(marker) and (marker in ("-", "*", "·") or (marker.endswith(".") and marker[:-1].isdigit())):
        return " " * (lead + len(marker) + 1)
    return " " * (lead + 2)


def _words(line: str, keep: Sequence[str]) -> list[tuple[str, str]]:
    """(spaces before, word) of each word of `line`; a span of `keep` is one word."""
    kept = sorted({span for span in keep if span and " " in span and span in line}, key=len, reverse=True)
    words: list[tuple[str, str]] = []
    at, size = 0, len(line)
    while at < size:
        start = at
        while at < size and line[at] == " ":
            at += 1
        if at >= size:
            break
        spaces = line[start:at]
        end = at
        while end < size and line[end] != " ":
            span = next((span for span in kept if line.startswith(span, end)), None)
            end += len(span) if span is not None else 1  # a kept span, and what is glued to it: "(tacli check x)"
        words.append((spaces, line[at:end]))
        at = end
    return words


def fit(line: str, width: Optional[int], indent: Optional[str] = None, keep: Sequence[str] = ()) -> list[str]:
    """`line` as lines of `width` columns at most, broken only at spaces; each
    line after the first starts with `indent` (by default the hanging indent of
    `hanging_indent`). A word is never broken: one longer than the line stands
    whole on a line of its own, and so does each span of `keep` (a command
    quoted in the text). Without a width, the line as it is."""
    if width is None or cells(line) <= width:
        return [line]
    indent = hanging_indent(line) if indent is None else indent
    lead = line[: len(line) - len(line.lstrip(" "))]
    lines: list[str] = []
    current, used = lead, cells(lead)
    fresh = True  # nothing but the indent on the current line yet
    for spaces, word in _words(line, keep):
        size = cells(word)
        if fresh:
            current, used, fresh = current + word, used + size, False
        elif used + len(spaces) + size <= width:
            current, used = current + spaces + word, used + len(spaces) + size
        else:
            lines.append(current)
            current, used = indent + word, cells(indent) + size
    lines.append(current)
    return lines


def _arguments(command: str) -> list[str]:
    """The words of a shell command, a quoted one ('my school.yaml') whole."""
    words, current, quote, escaped = [], "", "", False
    for char in command:
        if escaped:
            current, escaped = current + char, False
        elif char == "\\" and quote != "'":
            current, escaped = current + char, True
        elif quote:
            current += char
            if char == quote:
                quote = ""
        elif char in "'\"":
            current, quote = current + char, char
        elif char == " ":
            if current:
                words.append(current)
            current = ""
        else:
            current += char
    if current:
        words.append(current)
    return words


def command(text: str, width: Optional[int], indent: str = "") -> str:
    """A command to copy: one line, never folded, so that it is copied and pasted
    whole. Where it is longer than a terminal's `width`, the terminal wraps it
    itself; spaces are added between its words (the shell reads any number of
    them as one) so that each row ends between two words, and each row after
    the first starts at `indent`: it reads as wrapped text, and is still one
    line. Without a width (not a terminal), `indent` and the command as it is."""
    line = indent + text
    if width is None or cells(line) <= width:
        return line
    words = _arguments(text)
    out, used = indent, cells(indent)  # used: the columns taken on the terminal's current row
    for number, word in enumerate(words):
        size = cells(word)
        if number == 0:
            out, used = out + word, used + size
            continue
        if used + 1 + size <= width:
            out, used = out + " " + word, used + 1 + size
            continue
        # spaces to the end of the row, then the indent: the terminal starts the next row with
        # the word; a row already full gets its one space at the start of the next
        fill = " " * (width - used) + indent if used < width or indent else " "
        start = cells(fill) - (width - used)
        if start + size <= width:
            out, used = out + fill + word, start + size
        else:  # too long for any row: it wraps where the terminal wraps it
            out, used = out + " " + word, (used + 1 + size - 1) % width + 1
    return out
