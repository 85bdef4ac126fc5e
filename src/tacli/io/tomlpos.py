"""Where keys and values are written in a TOML file, by line and column.

tomllib gives values without positions; a configuration problem must name its
line and column, so this reads the text again: table headers, `key =` lines
(dotted keys included), and inline tables and arrays after them.
"""

from __future__ import annotations

import re
import sys
from typing import Optional


class TomlError(Exception):
    """The text is not valid TOML, at a line and column (from 1)."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")


def parse(text: str) -> dict:
    """The TOML document in `text`; raise TomlError at the line and column tomllib names."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc.args[0]) if exc.args else str(exc)
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        found = _TOML_POSITION.search(message)
        if found:
            line, column = line or int(found.group(1)), column or int(found.group(2))
            message = message[: found.start()]
        elif _TOML_END.search(message):
            lines = text.split("\n")
            line, column = len(lines), len(lines[-1]) + 1
            message = _TOML_END.sub("", message)
        message = getattr(exc, "msg", None) or message
        line, column = line or 1, column or 1
        advice = _advice(message, text.split("\n"), line, column)
        raise TomlError(line, column, f"not valid TOML: {message}" + (f": {advice}" if advice else "")) from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        line, column = _too_deep(text)
        raise TomlError(line, column, f"arrays or tables nested more than {DEEPEST} deep: a configuration needs a few levels; write it flatter") from None


_KEY = re.compile(r"\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")
_TABLE = re.compile(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def _advice(message: str, lines: list[str], line: int, column: int) -> str:
    """What to do about tomllib's `message` at `line`:`column`, for the common
    mistakes of a person editing tacli.toml by hand ("" when there is no more
    to say than tomllib's words)."""
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    key = _KEY.match(here)
    heading = _TABLE.match(here)
    name = key.group(1) if key else heading.group(1) if heading else "key"
    if message == "Invalid value":
        value = re.split(r"[,\]}#]", here[column - 1:], maxsplit=1)[0].strip()
        if value.lower() in ("true", "false", "yes", "no", "on", "off"):
            written = "true" if value.lower() in ("true", "yes", "on") else "false"
            return f"write true or false in lower case, without quotes, as in `{name} = {written}`"
        if value and not value.startswith(("\"", "'", "[", "{")):
            whole = key is not None and here[key.end():].lstrip().startswith(value)  # the whole value, after `key =`
            quoted = _quoted(value)
            return f"put text in quotes, as in `{name} = {quoted}`" if whole else f"put text in quotes, as in `{quoted}`"
        return "write text in quotes, a number as it is, true or false, or a list in [ ]"
    if message.startswith("Cannot overwrite a value"):
        table_start = max((number for number, text in enumerate(lines[:line - 1]) if _TABLE.match(text)), default=-1) + 1  # its table's keys
        first = next((number for number, text in enumerate(lines[table_start:line - 1], table_start + 1) if (found := _KEY.match(text)) and found.group(1) == name), None)
        if heading is not None:
            first = next((number for number, text in enumerate(lines[:line - 1], 1) if (found := _KEY.match(text)) and found.group(1) == name), None)
            at = f" (set at line {first})" if first is not None else ""
            return f"'{name}' is given a value{at} and is a table here: keep one of them"
        if key and first is not None:
            return f"the key '{name}' is already set at line {first}: keep one of them"
        return f"'{name}' is given a value twice, or a value and a table: keep one of them"
    if message.startswith("Cannot declare") and message.endswith("twice"):
        table = _TABLE.match(here)
        first = next((number for number, text in enumerate(lines[:line - 1], 1) if table and (found := _TABLE.match(text)) and found.group(1) == table.group(1)), None)
        if first is not None:
            return f"the table [{table.group(1)}] is already begun at line {first}: write its keys there, once"
        return "a table is declared twice: write its keys under one heading"
    if message.startswith("Expected '=' after a key"):
        return "write each setting as `key = value`, with text in quotes, as in `me = \"Dana Ruiz\"`"
    if message.startswith("Expected newline or end of document"):
        return "one `key = value` a line: put text in quotes, and begin a comment after it with #"
    if message.startswith(("Invalid hex value", "Unescaped '\\'", "Invalid escape")) or ("\\" in here and message.startswith("Illegal character")):
        return "a backslash in text between double quotes starts an escape: in a path write / instead, or put the text in single quotes, as in 'C:\\Users\\dana'"
    if message.startswith("Illegal character") and here.count('"') % 2 == 1:
        return 'a " is never closed on its line: end the text with another "'
    if message.startswith("Unclosed array"):
        return "a [ is never closed: end the list with ]"
    return ""


def _quoted(value: str) -> str:
    """`value` as a TOML string: in double quotes, or single ones when it holds a double quote."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


DEEPEST = 100  # nesting reported as too deep, where it passes this many levels (tomllib itself stops at the interpreter's recursion limit)


def _too_deep(text: str) -> tuple[int, int]:
    """Where the nesting of arrays and inline tables passes DEEPEST levels (strings and comments skipped), else 1:1."""
    depth, quote, line, column = 0, "", 1, 0
    in_comment = escaped = False
    for char in text:
        column += 1
        if char == "\n":
            line, column, in_comment = line + 1, 0, False
            continue
        if in_comment:
            continue
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':  # an escape in a basic string: the next character is its own
                escaped = True
            elif char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char == "#":
            in_comment = True
        elif char in "[{":
            depth += 1
            if depth > DEEPEST:
                return line, column
        elif char in "]}":
            depth -= 1
    return 1, 1


_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY_PART = rf"(?:{_BARE}|{_QUOTED})"
_KEY_LINE = re.compile(rf"^(\s*)({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_HEADER = re.compile(rf"^\s*\[\[?\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*\]\]?")
_PART = re.compile(_KEY_PART)


def _key_token(key: str) -> str:
    """A regular expression for `key` written as a TOML key: quoted, or bare."""
    quoted = r'"' + re.escape(key) + r'"|\'' + re.escape(key) + r"'"
    return quoted + (r"|(?<![\w-])" + re.escape(key) + r"(?![\w-])" if re.fullmatch(_BARE, key) else "")


def _parts(dotted: str) -> tuple[str, ...]:
    out = []
    for match in _PART.finditer(dotted):
        part = match.group(0)
        if part[:1] in "\"'":
            part = part[1:-1]
        out.append(part)
    return tuple(out)


class Locator:
    """Lines and columns (from 1) of keys and values in TOML text.

    tomllib gives values without positions, so this reads the text again: table
    headers, `key =` lines (dotted keys included), and inline tables and arrays
    after them. It is a locator, not a parser: when it cannot tell, it answers
    the nearest enclosing position it knows."""

    def __init__(self, text: str, table: tuple[str, ...]):
        self.text = text
        self.lines = text.split("\n")
        self.table = table
        self.offsets = []
        at = 0
        for line in self.lines:
            self.offsets.append(at)
            at += len(line) + 1
        # (full key path, line index, column index) of every header and key line
        self.entries: list[tuple[tuple[str, ...], int, int]] = []
        current: tuple[str, ...] = ()
        for index, line in enumerate(self.lines):
            header = _HEADER.match(line)
            if header and not _KEY_LINE.match(line):
                current = _parts(header.group(1))
                self.entries.append((current, index, line.index("[")))
                continue
            key = _KEY_LINE.match(line)
            if key:
                self.entries.append((current + _parts(key.group(2)), index, len(key.group(1))))

    def _position(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset)
        return line + 1, offset - self.offsets[line] + 1

    def table_position(self) -> tuple[int, int]:
        for path, line, column in self.entries:
            if path[: len(self.table)] == self.table:
                return line + 1, column + 1
        return 1, 1

    def _entry(self, path: tuple[str, ...]) -> Optional[tuple[int, int]]:
        for full, line, column in self.entries:
            if full == path:
                return line, column
        return None

    def key_position(self, key: str) -> tuple[int, int]:
        found = self._entry(self.table + (key,))
        if found:
            return found[0] + 1, found[1] + 1
        for full, line, column in self.entries:  # a dotted key or sub-table under it: levels.x = ..., [levels]
            if full[: len(self.table) + 1] == self.table + (key,):
                return line + 1, column + 1
        return self.table_position()

    def value_position(self, key: str) -> tuple[int, int]:
        """The start of the value after `key =`."""
        found = self._entry(self.table + (key,))
        if not found:
            return self.key_position(key)
        line, column = found
        text = self.lines[line]
        equals = text.find("=", column)
        if equals < 0:  # a table heading ([[key]], [key]): the value is the table
            return line + 1, column + 1
        rest = text[equals + 1:]
        return line + 1, equals + 1 + (len(rest) - len(rest.lstrip())) + 1

    def string_position(self, key: str, value: str) -> tuple[int, int]:
        """Where the text `value` is written in the value of `key` (an array of strings)."""
        found = self._entry(self.table + (key,))
        if not found:
            return self.key_position(key)
        line, column = found
        start = self.offsets[line] + column
        end = self._value_end(start)
        pattern = re.compile(r'"' + re.escape(value) + r'"|\'' + re.escape(value) + r"'")
        match = pattern.search(self.text, start, end)
        return self._position(match.start()) if match else (line + 1, column + 1)

    def nested_key_position(self, key: str, sub: str) -> tuple[int, int]:
        """Where `sub` is written as a key of the table `key` ([levels] sub = ..., levels.sub = ..., levels = {sub = ...})."""
        found = self._entry(self.table + (key, sub))
        if found:
            line, column = found
            text = self.lines[line]
            match = re.search(_key_token(sub), text[column:])
            return line + 1, column + (match.start() if match else 0) + 1
        inline = self._entry(self.table + (key,))
        if inline:
            line, column = inline
            start = self.offsets[line] + column
            end = self._value_end(start)
            pattern = re.compile(r"(?:" + _key_token(sub) + r")\s*=")
            match = pattern.search(self.text, start + len(key), end)
            if match:
                return self._position(match.start())
        return self.key_position(key)

    def nested_value_position(self, key: str, sub: str) -> tuple[int, int]:
        line, column = self.nested_key_position(key, sub)
        offset = self.offsets[line - 1] + column - 1
        equals = self.text.find("=", offset)
        if equals < 0:
            return line, column
        after = equals + 1
        while after < len(self.text) and self.text[after] in " \t":
            after += 1
        return self._position(after)

    def _value_end(self, start: int) -> int:
        """Roughly where the value that starts on the line at `start` ends: the next key line or header."""
        line = self.text.count("\n", 0, start)
        for _full, index, _column in self.entries:
            if index > line:
                return self.offsets[index]
        return len(self.text)
