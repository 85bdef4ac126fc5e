"""Read a YAML file into plain Python data while keeping every node's position.

Engagement and standards files are read with ruamel.yaml's C composer: it is
fast and keeps the line and column of every node, and because it builds nodes
rather than objects, no YAML tag can construct anything. Problems that would
make the data ambiguous or dangerous (duplicate keys, tags, alias bombs, deep
nesting, bad encodings) are reported as findings of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tacli.findings import Finding, Level, Rule, finding
from tacli.userfiles import MAX_FILE_BYTES, FileTooLarge, NotRegularFile, explain, read_limited

MAX_DEPTH = 64
MAX_VALUES = 200_000

YAML_SYNTAX = Rule("yaml-syntax", Level.ERROR, "The file is not well-formed YAML (includes tabs used for indentation).")
YAML_DUPLICATE_KEY = Rule("yaml-duplicate-key", Level.ERROR, "A key appears twice in the same mapping.")
YAML_TAG = Rule("yaml-tag", Level.ERROR, "A YAML tag, merge key or complex key that a plain data file must not use.")
YAML_LIMITS = Rule("yaml-limits", Level.ERROR, "The file is too large, nested too deeply or expands aliases too far.")
FILE_ENCODING = Rule("file-encoding", Level.ERROR, "The file is not UTF-8 text.")
FILE_EMPTY = Rule("file-empty", Level.ERROR, "The file holds no YAML document.")
FILE_UNREADABLE = Rule("file-unreadable", Level.ERROR, "The file or folder cannot be read: not a regular file, no permission, a symbolic-link loop, a path too long.")

RULES = (YAML_SYNTAX, YAML_DUPLICATE_KEY, YAML_TAG, YAML_LIMITS, FILE_ENCODING, FILE_EMPTY, FILE_UNREADABLE)

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_PLAIN = "tacli:plain"
_DEEP_SCAN_FROM = 5000
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"),
                   "-.Inf": float("-inf"), "-.INF": float("-inf"), ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan")}
_NESTING_MARKS = re.compile(r"[-:?](?=[ \t\r\n])|[:\-?]\Z|[\[{]")


class YamlError(Exception):
    """The file cannot be turned into data at all; carries the one finding that says why."""

    def __init__(self, found: Finding):
        super().__init__(found.message)
        self.finding = found


@dataclass
class Document:
    """A file's data with the nodes it came from, to give positions to findings."""

    path: str
    data: Any
    root: Any
    problems: list[Finding] = field(default_factory=list)

    def locate(self, loc: tuple = ()) -> tuple[int, int]:
        """Line and column (from 1) of the value at `loc`, or of the nearest node above it.

        A mapping or sequence reached through a key is reported at its key, where
        a reader looks for it; a missing key at the mapping that lacks it.
        """
        node, key_node = self.root, None
        for part in loc:
            child, child_key = _child(node, part)
            if child is None:
                break
            node, key_node = child, child_key
        if key_node is not None and not _is_scalar(node):
            node = key_node
        mark = node.start_mark
        return mark.line + 1, mark.column + 1

    def locate_key(self, loc: tuple) -> tuple[int, int]:
        """Position of the key that ends `loc` (for unknown and duplicate keys)."""
        if not loc:
            return self.locate(loc)
        parent = self.root
        for part in loc[:-1]:
            parent, _ = _child(parent, part)
            if parent is None:
                return self.locate(loc[:-1])
        _, key_node = _child(parent, loc[-1])
        if key_node is None:
            return self.locate(loc)
        mark = key_node.start_mark
        return mark.line + 1, mark.column + 1


def _is_scalar(node) -> bool:
    return node.id == "scalar"


def _child(node, part):
    """The child node at `part` (a key or an index) and the key node that leads to it."""
    if node.id == "sequence":
        if isinstance(part, int) and 0 <= part < len(node.value):
            return node.value[part], None
    elif node.id == "mapping":
        for key, child in reversed(node.value):
            if key.id == "scalar" and key.value == str(part):
                return child, key
    return None, None


_yaml = None
_TAGS: dict = {}


def _composer():
    """ruamel.yaml's C parser and composer, with a resolver that only tells plain scalars apart.

    The stock resolver costs about a third of the composing time; tacli types
    plain scalars itself (YAML 1.2 core schema: null, bool, int, float, else text).
    """
    global _yaml
    if _yaml is None:
        from ruamel.yaml import YAML
        from ruamel.yaml.nodes import ScalarNode, SequenceNode
        from ruamel.yaml.resolver import BaseResolver
        from ruamel.yaml.tag import Tag

        class PlainResolver(BaseResolver):
            def __init__(self, version=None, loadumper=None):
                super().__init__(loadumper)

            def resolve(self, kind, value, implicit):
                if kind is ScalarNode:
                    return _TAGS[_PLAIN] if implicit[0] else _TAGS[_STR]
                return _TAGS[_SEQ] if kind is SequenceNode else _TAGS[_MAP]

        for name in (_PLAIN, _STR, _SEQ, _MAP):  # shared, so each tag's text is worked out once
            _TAGS[name] = Tag(suffix=name)
            str(_TAGS[name])
        _yaml = YAML(typ="safe", pure=False)
        _yaml.Resolver = PlainResolver
    return _yaml


def warm_up() -> None:
    """Import and set up the composer now (before worker processes fork), not on first use."""
    _composer()
    import ruamel.yaml.error  # noqa: F401


def load_path(path: Path, display: str | None = None) -> Document:
    """Read and compose `path`; raise YamlError when it cannot be turned into data."""
    name = display or str(path)
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except FileTooLarge as exc:
        raise YamlError(finding(YAML_LIMITS, name, (1, 1), f"file is {exc}: split the engagement into smaller files")) from None
    except NotRegularFile as exc:
        message = f"cannot read the file: it is {exc}: keep only regular files under a name that ends in .yaml or .yml"
        raise YamlError(finding(FILE_UNREADABLE, name, (1, 1), message)) from None
    except OSError as exc:
        raise YamlError(finding(FILE_UNREADABLE, name, (1, 1), f"cannot read the file: {explain(exc)}")) from None
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str) -> Document:
    text = _decode(raw, name)
    _check_depth(text, name)
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        root = _composer().compose(text)
    except MarkedYAMLError as exc:
        raise YamlError(_syntax_finding(exc, name, text)) from None
    except (YAMLError, RecursionError) as exc:
        raise YamlError(finding(YAML_SYNTAX, name, (1, 1), f"YAML syntax error: {exc}")) from None
    if root is None:
        raise YamlError(finding(FILE_EMPTY, name, (1, 1), "the file holds no YAML document: write the engagement as a mapping, or create one with `tacli new engagement`"))
    converter = _Converter(name)
    data = converter.convert(root)
    return Document(name, data, root, converter.problems)


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError(finding(FILE_ENCODING, name, (1, 1), "the file is UTF-16 text: save it as UTF-8"))
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw  # a UTF-8 BOM is allowed, and not a column
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        line_start = body.rfind(b"\n", 0, exc.start) + 1
        column = len(body[line_start:exc.start].decode("utf-8")) + 1  # in characters, as YAML positions are
        byte = body[exc.start]
        raise YamlError(finding(FILE_ENCODING, name, (line, column), f"the file is not UTF-8 text (byte 0x{byte:02x}): save it as UTF-8")) from None
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise YamlError(finding(FILE_ENCODING, name, (line, column), "the file holds a NUL character: it is binary, not YAML text"))
    return text


def _check_depth(text: str, name: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before the C composer recurses into it.

    Every level of nesting needs one indicator (`:`, `-`, `?`, `[` or `{`), so a
    file with few of them cannot be deep enough to hurt the composer (the
    converter then measures depth itself); only when the count is high are the
    parser's events walked first.
    """
    rough = text.count(":") + text.count("-") + text.count("?") + text.count("[") + text.count("{")
    if rough < _DEEP_SCAN_FROM or len(_NESTING_MARKS.findall(text)) < _DEEP_SCAN_FROM:
        return
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    depth = 0
    try:
        for event in _composer().parse(text):
            kind = type(event).__name__
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlError(
                        finding(YAML_LIMITS, name, (mark.line + 1, mark.column + 1), f"values are nested more than {MAX_DEPTH} levels deep: an engagement file needs far fewer")
                    )
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except MarkedYAMLError as exc:
        raise YamlError(_syntax_finding(exc, name, text)) from None
    except YAMLError as exc:
        raise YamlError(finding(YAML_SYNTAX, name, (1, 1), f"YAML syntax error: {exc}")) from None


def _char_at(text: str, mark) -> str:
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _syntax_finding(exc, name: str, text: str = "") -> Finding:
    mark = exc.problem_mark or exc.context_mark
    position = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (exc.problem or "").strip()
    # The C scanner says "found character that cannot start any token" for a
    # tab that starts a line, without naming it: look at the character itself.
    if "tab" not in problem and _char_at(text, mark) == "\t":
        problem = "found a tab character that cannot start any token"
    if "tab" in problem:
        return finding(YAML_SYNTAX, name, position, f"YAML syntax error: {problem}: indent with spaces, never tabs")
    message = f"YAML syntax error: {problem}" if problem else "YAML syntax error"
    if exc.context and exc.context_mark and exc.context_mark is not mark:
        message += f" ({exc.context} at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
    elif exc.context:
        message += f" ({exc.context})"
    return finding(YAML_SYNTAX, name, position, message)


def _plain(text: str):
    """The value of a plain scalar under the YAML 1.2 core schema; dates stay text."""
    if not text or text[0] in "0123456789+-.~nNtTfF":
        if text in _NULLS:
            return None
        if text in _BOOLS:
            return _BOOLS[text]
        if _INT_RE.fullmatch(text):
            return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
        if _FLOAT_RE.fullmatch(text):
            return float(text)
        if text in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[text]
    return text


class _Converter:
    """Turns composed nodes into dicts, lists and scalars, noting what must not pass.

    Aliased nodes are converted once and shared, so an alias bomb costs no more
    than its text; the size it would expand to is counted on the way and refused
    above MAX_VALUES, before anything walks the expanded data.
    """

    def __init__(self, name: str):
        self.name = name
        self.problems: list[Finding] = []
        self.done: dict[int, tuple[Any, int]] = {}
        self.active: set[int] = set()

    def convert(self, root):
        result, size = self._value(root, 1)
        if size > MAX_VALUES:
            raise YamlError(
                finding(YAML_LIMITS, self.name, (1, 1), f"aliases expand the file to more than {MAX_VALUES:,} values: remove the repeated aliases")
            )
        return result

    def _value(self, node, depth: int):
        """(value, number of values it expands to) for a node."""
        key = id(node)
        known = self.done.get(key)
        if known is not None:
            return known
        kind, ctag = node.id, node.ctag
        if kind == "scalar":
            done = (_plain(node.value) if ctag is _TAGS[_PLAIN] else self._scalar(node), 1)
            self.done[key] = done
            return done
        if depth > MAX_DEPTH:
            mark = node.start_mark
            raise YamlError(finding(YAML_LIMITS, self.name, (mark.line + 1, mark.column + 1), f"values are nested more than {MAX_DEPTH} levels deep: an engagement file needs far fewer"))
        if key in self.active:
            mark = node.start_mark
            raise YamlError(finding(YAML_TAG, self.name, (mark.line + 1, mark.column + 1), "an alias refers to the value that contains it: remove the recursive alias"))
        self.active.add(key)
        if kind == "sequence" and ctag is _TAGS[_SEQ]:
            result, size = [], 1
            for item in node.value:
                value, count = self._value(item, depth + 1)
                result.append(value)
                size += count
        elif kind == "mapping" and ctag is _TAGS[_MAP]:
            result, size = self._mapping(node, depth)
        else:
            self._tag_problem(node)
            result, size = None, 1
        self.active.discard(key)
        done = (result, min(size, MAX_VALUES + 1))
        self.done[key] = done
        return done

    def _mapping(self, node, depth: int):
        result: dict = {}
        size = 1
        for key_node, value_node in node.value:
            if key_node.id != "scalar":
                self._problem(YAML_TAG, key_node, "a key must be a plain value, not a mapping or a list")
                continue
            key = key_node.value
            if key == "<<" and (key_node.ctag is _TAGS[_PLAIN] or key_node.tag == _TAG + "merge"):
                self._problem(YAML_TAG, key_node, "merge keys (<<) are not supported: write the keys out")
                continue
            if key in result:
                first = next(k for k, _ in node.value if k.id == "scalar" and k.value == key)
                self._problem(YAML_DUPLICATE_KEY, key_node, f"duplicate key '{key}' (first at line {first.start_mark.line + 1}): keep one of them")
                continue
            value, count = self._value(value_node, depth + 1)
            result[key] = value
            size += count + 1
        return result, size

    def _scalar(self, node):
        """A scalar with an explicit tag (!!str, !!int...) or quotes; other tags are problems."""
        tag, text = node.tag, node.value
        if tag == _STR or tag == _TIMESTAMP:
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return text.lower() == "true"
        if tag == _INT:
            try:
                return int(text.replace("_", ""), 0)
            except ValueError:
                try:
                    return int(text.replace("_", ""), 10)
                except ValueError:
                    return text
        if tag == _FLOAT:
            lowered = text.lower().replace("_", "")
            if lowered.endswith((".inf", ".nan")):
                return float(lowered.lstrip(".").replace(".", ""))
            try:
                return float(lowered)
            except ValueError:
                return text
        self._tag_problem(node)
        return text

    def _tag_problem(self, node) -> None:
        shown = node.tag.replace(_TAG, "!!")
        self._problem(YAML_TAG, node, f"YAML tag '{shown}' is not allowed: engagement files hold plain text, numbers, dates, lists and mappings; remove the tag")

    def _problem(self, rule: Rule, node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(finding(rule, self.name, (mark.line + 1, mark.column + 1), message))
