"""A YAML syntax error in plain words, at the place a person must fix.

The parsers say what they expected ("expected <block end>, but found
'<block mapping start>'") and where they noticed it, which is often a line or
more after the mistake. `explain` reads the two places a parser's error gives
(the problem, and the context it was parsing), looks at the text there, and
says what is wrong and what to do, in one line, at the earlier place when that
is the cause: the line with the missing colon, the bracket or quote that is
never closed, the line indented unlike its neighbours. What it does not
recognise keeps the parser's words, with the usual causes named.
"""

from __future__ import annotations

import re
from typing import Optional

Position = tuple[int, int]  # line and column, from 0, as the parsers' marks give them

_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_OPENERS = {"[": "]", "{": "}"}
_KEY_VALUE = re.compile(r"\s*(?:-\s+)?[^\s#'\"][^#]*?:(?:\s+\S|\s*$)")  # key: value, or key: with the value below
_BLOCK_TEXT = re.compile(r".*:\s*[|>][-+0-9]*\s*(?:#.*)?$")  # key: | (or >), its text below


def _lines(text: str) -> list[str]:
    return _LINE_BREAKS.split(text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _above(lines: list[str], line: int) -> Optional[int]:
    """The nearest line above `line` with something on it (not blank, not a comment)."""
    for number in range(min(line, len(lines)) - 1, -1, -1):
        if _content(lines[number]):
            return number
    return None


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


class _Scan:
    """Where the quoted texts and the flow brackets of a YAML text open and close,
    read as the scanner reads them (a quote opens a text only where a value
    starts; `it's` is plain text), far enough to tell what was left open."""

    def __init__(self, lines: list[str], stop: Position):
        self.quotes: list[tuple[Position, Position, str]] = []  # (opened, closed, the quote)
        self.open_brackets: list[tuple[Position, str]] = []
        self.open_quote: Optional[tuple[Position, str]] = None
        quote, opened = "", (0, 0)
        for number, line in enumerate(lines):
            if number > stop[0]:
                break
            column, size = 0, len(line)
            while column < size and (number, column) < stop:
                char = line[column]
                if quote:
                    if char == "\\" and quote == '"':
                        column += 2
                        continue
                    if char == quote:
                        if quote == "'" and line[column + 1:column + 2] == "'":
                            column += 2
                            continue
                        self.quotes.append((opened, (number, column), quote))
                        quote = ""
                    column += 1
                    continue
                before = line[:column].rstrip()
                if char == "#" and (column == 0 or line[column - 1] in " \t"):
                    break
                if char in "'\"" and (not before or before[-1] in ":-[{,?"):
                    quote, opened = char, (number, column)
                elif char in _OPENERS and (not before or before[-1] in ":-[{,?"):
                    self.open_brackets.append(((number, column), char))
                elif char in "]}" and self.open_brackets and _OPENERS[self.open_brackets[-1][1]] == char:
                    self.open_brackets.pop()
                column += 1
        if quote:
            self.open_quote = (opened, quote)


def explain(problem: str, context: str, problem_at: Optional[Position], context_at: Optional[Position], text: str) -> tuple[Position, str]:
    """The place to fix (line and column from 0) and what to do there, in one line,
    for a parser's error: its `problem` and `context` (one line each) and their marks."""
    lines = _lines(text)
    at = problem_at or context_at or (0, 0)
    line = lines[at[0]] if at[0] < len(lines) else ""
    char = line[at[1]] if at[1] < len(line) else ""
    found = re.search(r"(?:found|got) '([^']*)'", problem)
    found = found.group(1) if found else ""

    if "\t" in problem or "tab" in problem or char == "\t":
        return at, "a tab character indents this line: indent with spaces, never tabs"
    if "incompatible YAML document" in problem or "version" in problem and "%YAML" in text:
        return (0, 0), "the file names a YAML version tacli does not read (%YAML): delete that line; engagement files are YAML 1.2"
    if "another document" in problem or "expected <document start>" in problem:
        return at, "a second YAML document starts here: an engagement file is one document; delete this line (--- or ...)"
    if "undefined alias" in problem:
        name = problem.split("undefined alias", 1)[1].strip()
        return at, f"a value that starts with * names an anchor (&) that is not there ({name}): put the value in quotes"
    if "quoted scalar" in context and ("end of stream" in problem or "document" in problem):
        opened = context_at or at
        ran_on = _ran_on(lines, opened)
        if ran_on is not None:  # the quote the parser names opens after the close of one left open lines above
            return _ran_on_message(ran_on)
        quote = lines[opened[0]][opened[1]] if opened[0] < len(lines) and opened[1] < len(lines[opened[0]]) else '"'
        return opened, f"this {quote} is never closed: end the text with another {quote}"
    if "escape" in problem and "double-quoted" in context:
        return at, "a backslash in double quotes starts an escape: write \\\\ for a backslash, or put the text in single quotes"
    if "block scalar" in context:
        return context_at or at, "after | or > only a comment may follow on its line: write the text on the lines below, indented, or put a value that starts with | or > in quotes"
    if "anchor" in context or "alias" in context or "tag" in context:
        start = context_at or at
        sign = lines[start[0]][start[1]] if start[0] < len(lines) and start[1] < len(lines[start[0]]) else char
        return start, f"a value cannot start with {sign} (YAML reads it as an {'anchor' if sign == '&' else 'alias' if sign == '*' else 'tag'}): put the value in quotes"
    if "sequence entries are not allowed" in problem:
        return at, "a list cannot start on the line of its key: put each item on a line of its own below it, indented, starting with - (or put the value in quotes)"
    if "flow" in context:
        return _flow(problem, context, at, context_at, lines)
    if "could not find expected ':'" in problem:
        return _missing_colon(context_at or at, lines)
    if "mapping values are not allowed" in problem:
        return _colon_where_not_allowed(at, lines)
    if "cannot start any token" in problem and char:
        return at, f"a value cannot start with {char}: put the value in quotes"
    if "expected <block end>" in problem or "did not find expected key" in problem or "did not find expected '-'" in problem:
        return _block_end(found or char, at, lines)
    return _unknown(problem, context, at, context_at)


def _flow(problem: str, context: str, at: Position, context_at: Optional[Position], lines: list[str]) -> tuple[Position, str]:
    """A [list] or {mapping} written on a line: never closed, or a comma missing."""
    scan = _Scan(lines, at)
    if "sequence" in context or "mapping" in context:
        opener = "[" if "sequence" in context else "{"
        opened = context_at or at
    elif scan.open_brackets:
        opened, opener = scan.open_brackets[-1]
    else:
        return _unknown(problem, context, at, context_at)
    closer = _OPENERS[opener]
    if "<stream end>" in problem or "end of stream" in problem or opened[0] < at[0]:
        return opened, f"this {opener} is never closed: end it with {closer} after its last item, on this line"
    return at, f"a comma or the closing {closer} is missing here: separate the items with commas (put an item with spaces or commas of its own in quotes)"


def _missing_colon(key: Position, lines: list[str]) -> tuple[Position, str]:
    """A line the scanner took for a key that never got its colon."""
    line = lines[key[0]] if key[0] < len(lines) else ""
    start = (key[0], _indent(line))
    above = _above(lines, key[0])
    if above is not None and _BLOCK_TEXT.match(lines[above]) and _indent(line) <= _indent(lines[above]):
        return start, f"the text of `{lines[above].strip()}` must be indented more than its key: indent this line (and the text after it) by {_spaces(_indent(lines[above]) + 2)}"
    colon = line.find(": ", _indent(line))
    if colon - _indent(line) > 1024 or (colon < 0 and line.rstrip().endswith(":") and len(line.strip()) > 1025):  # YAML reads a key on one line only up to 1,024 characters
        return start, "this key is longer than the 1,024 characters YAML allows a key: shorten it (a long text goes after the colon, as a value)"
    glued = re.match(r"\s*(?:-\s+)?([^\s:#'\"]+):(\S.*)", line)
    if glued:
        return (key[0], line.index(":", _indent(line)) + 1), f"a space is missing after the colon: write `{glued.group(1)}: {glued.group(2).strip()}`"
    words = line.strip().split(None, 1)
    if len(words) == 2 and re.fullmatch(r"(?:-\s+)?[A-Za-z0-9_.-]+", words[0]):
        return start, f"a colon is missing after the key: write `{words[0]}: {words[1]}`"
    return start, "a colon is missing: write `key: value`, with a space after the colon (or, if this line continues the text above, put that text in quotes)"


def _colon_where_not_allowed(at: Position, lines: list[str]) -> tuple[Position, str]:
    """A colon the scanner met inside a value: a value with `: ` in it, a line
    indented under a value (its text continued), or a key above without its colon."""
    line = lines[at[0]] if at[0] < len(lines) else ""
    key = re.match(r"(\s*(?:-\s+)?)([^\s#'\"][^:#]*?):\s+", line)
    if key and key.end() <= at[1]:  # a key and its value, and another colon in the value
        value = line[key.end():].split(" #")[0].rstrip()
        quoted = f'"{value}"' if '"' not in value and "\\" not in value else "'" + value.replace("'", "''") + "'"
        if "." in key.group(2) and re.match(r"[a-z_][a-z0-9_.-]*: ", value):  # a duty's record (its key a dotted id) whose braces were left out, or text
            return (at[0], key.end()), f"this value holds a colon and a space: if it is a record, put it in braces, as in `{key.group(2)}: {{{value}}}`; if it is text, in quotes, as in `{key.group(2)}: {quoted}`"
        return (at[0], key.end()), f"this value holds a colon and a space: put it in quotes, as in `{key.group(2)}: {quoted}` (or write its keys on the lines below, indented)"
    above = _above(lines, at[0])
    if above is not None:
        over = lines[above]
        if _indent(line) > _indent(over) and _KEY_VALUE.match(over) and not over.rstrip().endswith(":"):
            keys_at = _indent(over) + (len(over.lstrip()) - len(over.lstrip()[1:].lstrip()) if over.lstrip().startswith("-") else 0)
            return (at[0], _indent(line)), f"this line is indented more than the line above it ({_spaces(_indent(line))}, not {keys_at}): line it up with the keys above it (or, if it continues the value above, put that value in quotes)"
        if _indent(line) == _indent(over) and ":" not in over.split(" #")[0]:
            return _missing_colon((above, _indent(over)), lines)
    return (at[0], _indent(line)), "a colon where YAML does not expect one: put the value in quotes, or check that this line is indented as the lines above it"


def _ran_on(lines: list[str], at: Position) -> Optional[tuple[Position, Position, str]]:
    """The quoted text closed just before `at` (nothing but spaces between), if it
    was opened on an earlier line: a quote left open, its text run on to here."""
    quotes = _Scan(lines, at).quotes
    if quotes:
        opened, closed, _ = quotes[-1]
        if closed[0] == at[0] > opened[0] and not lines[at[0]][closed[1] + 1:at[1]].strip():
            return quotes[-1]
    return None


def _ran_on_message(span: tuple[Position, Position, str]) -> tuple[Position, str]:
    (opened, closed, quote) = span
    return opened, f"this {quote} is not closed on its line, so the text runs on to line {closed[0] + 1}: close it on this line with another {quote}"


def _block_end(found: str, at: Position, lines: list[str]) -> tuple[Position, str]:
    """Something where a block's next key (or its end) should be."""
    line = lines[at[0]] if at[0] < len(lines) else ""
    if found in ("]", "}"):
        return at, f"this {found} closes nothing: delete it, or open it with {'[' if found == ']' else '{'} where its list begins"
    if line[:at[1]].strip():  # after something on the line: more text where the line should end
        before = line[:at[1]].rstrip()
        if before[-1:] in ("'", '"'):
            ran_on = _ran_on(lines, (at[0], len(before)))
            if ran_on is not None:  # closed by the quote just before, the text after it left over
                return _ran_on_message(ran_on)
            if before[-1] == "'" and line[len(before):at[1]] == "" and line[at[1]:at[1] + 1].isalpha():  # 'it's'
                return (at[0], len(before) - 1), "an apostrophe inside '...' ends the text early: write it twice ('it''s'), or put the value in double quotes"
            return at, "text follows the closing quote: put the whole value in quotes (inside '...', write a ' twice)"
        return at, "more text where a key was expected: put the value in quotes, or start a new key on a line of its own"
    mine = _indent(line)
    item = line.lstrip().startswith("-")
    levels: list[int] = []
    number = at[0]
    while True:
        number = _above(lines, number)
        if number is None:
            break
        over = lines[number]
        if item and not over.lstrip().startswith("-"):
            if _indent(over) < mine:
                break
            continue
        if not levels or _indent(over) < levels[-1]:
            levels.append(_indent(over))
    start = (at[0], mine)
    if item and levels:
        return start, f"this list item is indented {_spaces(mine)}, the items above it {levels[0]}: line up the - of the items of one list"
    if item:
        return start, "a list item (-) among the keys of a mapping: indent it under its key, or write it as `key: value`"
    if levels:
        shown = " or ".join(str(level) for level in levels[:3])
        return start, f"this line is indented differently from the lines above it ({_spaces(mine)}, not {shown}): line it up with the keys it belongs with"
    return start, "this line is indented differently from the lines above it: line it up with the keys it belongs with"


def _unknown(problem: str, context: str, at: Position, context_at: Optional[Position]) -> tuple[Position, str]:
    """An error not recognised: the parser's words, and where to look."""
    words = problem or "the YAML cannot be read here"
    if context and context_at is not None and context_at != at:
        words += f" ({context} at line {context_at[0] + 1}, column {context_at[1] + 1})"
    elif context:
        words += f" ({context})"
    return at, f"{words}: look here or just above for a bracket or quote never closed, a missing colon, or uneven indentation"
