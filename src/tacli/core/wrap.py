"""Text for a terminal of a given width: words wrapped at spaces under a
hanging indent, never inside a word (an id, a path, a date), and commands to
copy kept whole on a line of their own.

Every place that folds text for a terminal (`tacli due`, `tacli status`, the
checklist of `tacli mark`) goes through `fit` and `command`, and so does
`fold`, which fits any command's text and messages as the command line writes
them to a terminal (tacli.cli.terminal.finish, the error lines, the questions);
without a width (not a terminal: a pipe, a file) a line is left as it is, one
line a fact.
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


_ESCAPES = None


def _shown(line: str) -> str:
    """`line` as a terminal shows it: without its colour codes (ESC [ ... m)."""
    global _ESCAPES
    if "\x1b" not in line:
        return line
    if _ESCAPES is None:
        import re

        _ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
    return _ESCAPES.sub("", line)


_COMMANDS = ("tacli ", "git ", "pre-commit ", "pip ", "pipx ")


def _is_command(text: str) -> bool:
    return text.startswith(_COMMANDS)


def _column(line: str) -> Optional[tuple[str, int]]:
    """A line laid out in columns ("wrote tacli.toml    the settings ..."): its
    first column's text and where the text after it starts; else None."""
    stripped = line.lstrip(" ")
    lead = len(line) - len(stripped)
    gap = stripped.find("  ")
    if gap <= 0:
        return None
    start = gap
    while start < len(stripped) and stripped[start] == " ":
        start += 1
    if start >= len(stripped):
        return None
    return stripped[:gap], cells(line[: lead + start])


def _spans(line: str) -> list[str]:
    """The commands quoted in a sentence, to be kept whole: `between backquotes`,
    and one in parentheses or ending the sentence after a colon, from `tacli`."""
    spans: list[str] = []
    at = line.find("`")
    while at != -1:
        end = line.find("`", at + 1)
        if end == -1:
            break
        spans.append(line[at : end + 1])
        at = line.find("`", end + 1)
    for opening in ("(", ": "):
        at = line.find(opening)
        while at != -1:
            start = at + len(opening)
            if _is_command(line[start:]):
                end = line.find(")", start) if opening == "(" else len(line)
                if end != -1:
                    spans.append(line[start:end])
            at = line.find(opening, at + 1)
    return spans


def fold(text: str, width: Optional[int], keep: Sequence[str] = ()) -> str:
    """A command's text for a terminal of `width` columns, each line fitted:
    a line that fits, and any line already laid out for this width, as it is;
    a command to copy (a line that is one: "  tacli mark x.yaml --service s")
    by `command`; a line in columns continued under its second column (its first
    whole); any other at spaces under a hanging indent, the commands quoted in
    it whole (`_spans`), and each span of `keep`. Without a width (a pipe, a
    file), the text as it is: one line a message."""
    if width is None or not text:
        return text
    out = []
    for line in text.split("\n"):
        shown = _shown(line)
        if cells(shown) <= width or shown != line:  # fits; or coloured, so laid out by what coloured it
            out.append(line)
            continue
        stripped = line.lstrip(" ")
        lead = line[: len(line) - len(stripped)]
        if _is_command(stripped):
            plain = " ".join(_arguments(stripped))
            if command(plain, width, lead) == line or "  " not in stripped:  # already laid out by `command`, or one to lay out
                out.append(command(plain, width, lead))
                continue
        columns = _column(line)
        if columns is not None and columns[1] <= width // 2:
            first, start = columns
            out += fit(line, width, " " * start, keep=[span for span in (first, *_spans(line), *keep) if cells(span) <= width - start])
            continue
        indent = hanging_indent(line)
        out += fit(line, width, indent, keep=[span for span in (*_spans(line), *keep) if cells(span) <= width - len(indent)])
    return "\n".join(out)
