"""Read a YAML file into plain Python data while keeping every node's position.

Engagement and standards files are read as YAML 1.2 with ruamel.yaml's C
composer: it is fast and keeps the line and column of every node, and because
it builds nodes rather than objects, no YAML tag can construct anything. The C
parser knows YAML 1.1 only, so a text it refuses is composed again by
ruamel.yaml's own parser in YAML 1.2 mode before anything is called a syntax
error, and U+0085, U+2028 and U+2029, line breaks in YAML 1.1 only, are
hidden from both parsers so that no position shifts. Problems that would
make the data ambiguous or dangerous (duplicate keys, tags, alias bombs, deep
nesting, huge numbers, characters YAML does not allow, bad encodings) are
reported as findings of their own, each at its position.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
import warnings
from pathlib import Path
from sys import intern
from typing import Any

from tacli.core.findings import Finding, Rule, finding
from tacli.io.userfiles import MAX_FILE_BYTES, FileTooLarge, NotRegularFile, explain, read_limited
from tacli.io.yaml_rules import (  # noqa: F401 - the reader's rules, also imported from here
    FILE_EMPTY, FILE_ENCODING, FILE_UNREADABLE, RULES, YAML_DUPLICATE_KEY, YAML_LIMITS, YAML_SYNTAX, YAML_TAG,
)

MAX_DEPTH = 64
MAX_VALUES = 200_000
MAX_INTEGER_DIGITS = 4300  # Python's own limit for turning text into an integer

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
# Characters outside YAML 1.2's c-printable, and the three the C reader (YAML 1.1)
# counts as line breaks; ASCII text is looked at in its bytes, which is faster.
_PRINTABLE_ASCII_OR_HIGH = bytes(b for b in range(256) if b in b"\t\n\r" or 0x20 <= b <= 0x7E or b >= 0x80)
_NOT_PRINTABLE_OR_YAML_1_1_BREAK = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_YAML_1_1_BREAKS = "\x85\u2028\u2029"
_PRIVATE_USE = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))


class YamlError(Exception):
    """The file cannot be turned into data at all; carries the one finding that says why."""

    def __init__(self, found: Finding):
        super().__init__(found.message)
        self.finding = found


class Document:
    """A file's data with the nodes it came from, to give positions to findings.

    A document kept in tacli's cache (reading.stored) has no nodes: its data,
    the positions asked of it when it was first read (`positions`), and its
    bytes (`source`), composed again only if a position it does not have is
    asked for. A document read from a file keeps the positions asked of it in
    `positions` when given a dict, so that they can be kept too."""

    __slots__ = ("path", "data", "_root", "problems", "positions", "source")

    def __init__(self, path: str, data: Any, root: Any = None, problems: list[Finding] | None = None,
                 positions: dict | None = None, source: bytes | None = None):
        self.path = path
        self.data = data
        self._root = root
        self.problems = problems if problems is not None else []
        self.positions = positions
        self.source = source

    @property
    def root(self):
        """The root node, composed again from `source` when the document came from the cache."""
        if self._root is None and self.source is not None:
            self._root = load_bytes(self.source, self.path).root
        return self._root

    def __eq__(self, other) -> bool:
        return isinstance(other, Document) and (self.path, self.data, self.problems) == (other.path, other.data, other.problems)

    __hash__ = None  # type: ignore[assignment]

    def locate(self, loc: tuple = ()) -> tuple[int, int]:
        """Line and column (from 1) of the value at `loc`, or of the nearest node above it.

        A mapping or sequence reached through a key is reported at its key, where
        a reader looks for it; a missing key at the mapping that lacks it.
        """
        kept = self.positions
        if kept is not None:
            found = kept.get((0, loc))
            if found is not None:
                return found
        node, key_node = self.root, None
        for part in loc:
            child, child_key = _child(node, part)
            if child is None:
                break
            node, key_node = child, child_key
        if key_node is not None and not _is_scalar(node):
            node = key_node
        mark = node.start_mark
        found = (mark.line + 1, mark.column + 1)
        if kept is not None:
            kept[(0, loc)] = found
        return found

    def locate_key(self, loc: tuple) -> tuple[int, int]:
        """Position of the key that ends `loc` (for unknown and duplicate keys)."""
        if not loc:
            return self.locate(loc)
        kept = self.positions
        if kept is not None:
            found = kept.get((1, loc))
            if found is not None:
                return found
        found = self._locate_key(loc)
        if kept is not None:
            kept[(1, loc)] = found
        return found

    def _locate_key(self, loc: tuple) -> tuple[int, int]:
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


_TAGS: dict = {}


@functools.cache
def _plain_resolver():
    """A resolver that only tells plain scalars apart, for both parsers.

    The stock resolver costs about a third of the composing time; tacli types
    plain scalars itself (YAML 1.2 core schema: null, bool, int, float, else
    text). Its processing version, 1.2, puts ruamel.yaml's own scanner in YAML
    1.2 mode (`:` and `?` inside flow collections, no YAML 1.1 line breaks).
    """
    from ruamel.yaml.nodes import ScalarNode, SequenceNode
    from ruamel.yaml.resolver import BaseResolver
    from ruamel.yaml.tag import Tag

    class PlainResolver(BaseResolver):
        processing_version = (1, 2)

        def __init__(self, version=None, loader=None, loadumper=None):
            super().__init__(loadumper or loader)

        def resolve(self, kind, value, implicit):
            if kind is ScalarNode:
                return _TAGS[_PLAIN] if implicit[0] else _TAGS[_STR]
            return _TAGS[_SEQ] if kind is SequenceNode else _TAGS[_MAP]

    for name in (_PLAIN, _STR, _SEQ, _MAP):  # shared, so each tag's text is worked out once
        _TAGS[name] = Tag(suffix=name)
        str(_TAGS[name])
    return PlainResolver


def _new_composer(pure: bool):
    """A composer with the plain resolver. ruamel.yaml's own parser is taken with
    its round-trip scanner: the safe one forgets, once the parser has taken a
    flow mapping's `:`, that a value follows, and so refuses YAML 1.2's `{a: :b}`
    (a plain scalar may start with `:` there), which ruamel's dumper writes."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt" if pure else "safe", pure=pure)
    yaml.Resolver = _plain_resolver()
    return yaml


@functools.cache
def _composer():
    """ruamel.yaml's C parser (YAML 1.1, fast) and composer, with the plain resolver."""
    return _new_composer(pure=False)


def _composer_1_2():
    """ruamel.yaml's own parser in YAML 1.2 mode, with the plain resolver: a new
    one each time, as a parse that failed half-way may leave state behind.
    About 16 times slower than the C parser. Its composer recurses in Python
    and its scanner looks up to 1,024 characters ahead at every level of flow
    nesting, so it stops a little past MAX_DEPTH: a line of a hundred thousand
    `[` costs it about a second, not minutes."""
    yaml = _new_composer(pure=True)
    yaml.max_depth = MAX_DEPTH + 2
    return yaml


@functools.cache
def _c_loader():
    """ruamel.yaml's C parser with the plain resolver, as one class made once.

    ruamel.yaml's own `compose` makes a new class for every file and a loader
    that refers to itself, which only the cyclic garbage collector frees: with
    it paused (checking pauses it) each file's text and nodes stayed in memory,
    80 KB a file. This loader holds no reference to itself."""
    try:
        from _ruamel_yaml import CParser
    except ImportError:  # pragma: no cover - the other build of the C library
        from ruamel.yaml.cyaml import CParser

    from tacli.io.yaml_nodes import quicker_constructors

    quicker_constructors()
    resolver = _plain_resolver()

    class Loader(CParser, resolver):  # type: ignore[misc, valid-type]
        # The C composer calls these two for every node, to follow the paths
        # of path resolvers; the plain resolver has none, and a C-level no-op
        # (a dict's get, and int) spares a Python call a node.
        descend_resolver = {}.get
        ascend_resolver = int

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            resolver.__init__(self)

    return Loader


def _c_compose(text: str):
    """The root node of `text` by the C parser (YAML 1.1), or None for no document."""
    loader = _c_loader()(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def warm_up() -> None:
    """Import and set up the composer now (before worker processes fork), not on first use."""
    _composer()
    _c_loader()
    import ruamel.yaml.error  # noqa: F401


def load_path(path: Path, display: str | None = None) -> Document:
    """Read and compose `path`; raise YamlError when it cannot be turned into data."""
    name = display or str(path)
    return load_bytes(read_source(path, name), name)


def read_source(path: Path, name: str) -> bytes:
    """The bytes of `path` (a regular file, MAX_FILE_BYTES at most); YamlError when it cannot be read."""
    try:
        return read_limited(path, MAX_FILE_BYTES)
    except FileTooLarge as exc:
        raise YamlError(finding(YAML_LIMITS, name, (1, 1), f"file is {exc}: split the engagement into smaller files")) from None
    except NotRegularFile as exc:
        message = f"cannot read the file: it is {exc}: keep only regular files under a name that ends in .yaml or .yml"
        raise YamlError(finding(FILE_UNREADABLE, name, (1, 1), message)) from None
    except OSError as exc:
        raise YamlError(finding(FILE_UNREADABLE, name, (1, 1), f"cannot read the file: {explain(exc)}")) from None


def load_bytes(raw: bytes, name: str) -> Document:
    text, yaml_1_1_breaks = _decode(raw, name)
    restore = None
    if yaml_1_1_breaks:
        text, restore = _hide_yaml_1_1_breaks(text)
    root = _compose(text, name, restore, c_parser=not yaml_1_1_breaks or restore is not None)
    if root is None:
        raise YamlError(finding(FILE_EMPTY, name, (1, 1), "the file holds no YAML document: write the engagement as a mapping, or create one with `tacli new engagement`"))
    if restore is not None:
        _restore(root, restore)
    converter = _Converter(name)
    data = converter.convert(root, tree="&" not in text)
    return Document(name, data, root, converter.problems)


def _hide_yaml_1_1_breaks(text: str) -> tuple[str, dict | None]:
    """`text` with U+0085, U+2028 and U+2029 replaced, and the table that puts them back.

    YAML 1.2 reads them as ordinary characters, but both parsers take them for
    line breaks (YAML 1.1): later lines would be numbered wrong, a comment
    would end early, a value would be folded. Each becomes a private-use
    character the text does not hold, one character for one, so every
    position stays where it was; values and messages get them back. A text
    that holds every private-use character is returned as it is, with no
    table: the YAML 1.2 parser alone reads it, with the right positions.
    """
    present = set(text)
    free = (char for char in map(chr, itertools.chain(*_PRIVATE_USE)) if char not in present)
    stand_ins = list(itertools.islice(free, len(_YAML_1_1_BREAKS)))
    if len(stand_ins) < len(_YAML_1_1_BREAKS):
        return text, None
    return text.translate(dict(zip(map(ord, _YAML_1_1_BREAKS), stand_ins))), dict(zip(map(ord, stand_ins), _YAML_1_1_BREAKS))


def _restore(root, restore: dict) -> None:
    """Put the characters `_hide_yaml_1_1_breaks` replaced back into every scalar (and key)."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.id == "scalar":
            node.value = node.value.translate(restore)
        elif node.id == "sequence":
            stack.extend(node.value)
        else:
            for key, value in node.value:
                stack += (key, value)


def _compose(text: str, name: str, restore: dict | None = None, c_parser: bool = True):
    """The root node of `text` as YAML 1.2, with exact positions.

    The C parser composes nearly every file; a text it refuses, or one it
    must not read (`c_parser` false), is composed by ruamel.yaml's own parser
    in YAML 1.2 mode, whose verdict and positions are the ones reported.
    `restore` puts hidden characters back into the messages of syntax errors.
    """
    from ruamel.yaml.error import YAMLError

    refused = None
    if c_parser:
        try:
            _check_depth(text, name, _composer())
            return _c_compose(text)
        except (YAMLError, RecursionError) as exc:
            refused = exc  # YAML 1.1 only: the YAML 1.2 parser decides
    try:
        return _compose_1_2(text, name)
    except YamlError:
        raise
    except (YAMLError, RecursionError) as exc:
        raise YamlError(_syntax_finding(exc, name, text, restore)) from None
    except Exception:
        if refused is None:
            raise
        # ruamel.yaml's own parser failed where the C parser found a syntax
        # error (a `%YAML 1.3` directive trips an assertion): report that error.
        raise YamlError(_syntax_finding(refused, name, text, restore)) from None


def _compose_1_2(text: str, name: str):
    """Compose with ruamel.yaml's own parser. Nesting too deep stops its composer
    (at its depth limit, or at Python's recursion limit) before the converter
    can say where: the parser's events tell, and stop at the first level too deep."""
    from ruamel.yaml import composer

    too_deep = (RecursionError, getattr(composer, "MaxDepthExceededError", RecursionError))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # YAML 1.2 lets an anchor be defined again
            return _composer_1_2().compose(text)
    except too_deep:
        _check_depth(text, name, _composer_1_2(), always=True)
        raise


def _decode(raw: bytes, name: str) -> tuple[str, bool]:
    """The text of the file, and whether it holds characters YAML 1.1 takes for line breaks."""
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
    if text.isascii() and not body.translate(None, _PRINTABLE_ASCII_OR_HIGH):
        return text, False
    yaml_1_1_breaks = False
    for match in _NOT_PRINTABLE_OR_YAML_1_1_BREAK.finditer(text):
        if match.group() in _YAML_1_1_BREAKS:
            yaml_1_1_breaks = True
            continue
        raise YamlError(finding(FILE_ENCODING, name, _position(text, match.start()), _character_message(match.group())))
    return text, yaml_1_1_breaks


def _character_message(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char == "\x00":
        return f"the file holds a NUL character ({code}): it is binary, not YAML text"
    what = "control character" if unicodedata.category(char) == "Cc" else "character"
    return f"the file holds the {what} {code}, which YAML does not allow: delete it, or write it as \\u{ord(char):04x} inside double quotes"


def _position(text: str, at: int) -> tuple[int, int]:
    """Line and column (from 1) of the character at `at`; CR, LF and CRLF end lines, as in YAML."""
    before = text[:at]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, at - line_start + 1


def _check_depth(text: str, name: str, yaml, always: bool = False) -> None:
    """Refuse nesting deeper than MAX_DEPTH before the composer recurses into it.

    Every level of nesting needs one indicator (`:`, `-`, `?`, `[` or `{`), so a
    file with few of them cannot be deep enough to hurt the C composer (the
    converter then measures depth itself); only when the count is high, or
    `always`, are the parser's events walked first. A syntax error met on the
    way is the caller's to handle.
    """
    if not always:
        rough = text.count(":") + text.count("-") + text.count("?") + text.count("[") + text.count("{")
        if rough < _DEEP_SCAN_FROM or len(_NESTING_MARKS.findall(text)) < _DEEP_SCAN_FROM:
            return
    depth = 0
    for event in yaml.parse(text):
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


def _one_line(text: str) -> str:
    """A parser's message on one line: its line breaks and indentation become single spaces."""
    return " ".join(text.split())


def _unhidden(message: str, restore: dict | None) -> str:
    """A parser's message with the characters `_hide_yaml_1_1_breaks` replaced put
    back, as themselves or as the escapes repr() shows them as."""
    for stand_in, char in (restore or {}).items():
        message = message.replace(repr(chr(stand_in))[1:-1], repr(char)[1:-1])
    return message.translate(restore or {})


def _syntax_finding(exc, name: str, text: str = "", restore: dict | None = None) -> Finding:
    """A parser's error as a finding in one line, in plain words, at the place to
    fix (tacli.io.yaml_syntax.explain)."""
    if not hasattr(exc, "problem_mark"):  # no position: a RecursionError, a YAMLError without marks
        return finding(YAML_SYNTAX, name, (1, 1), _unhidden(_one_line(f"YAML syntax error: {exc}"), restore))
    from tacli.io.yaml_syntax import explain

    def at(mark):
        return (mark.line, mark.column) if mark is not None else None

    problem = _unhidden(_one_line(exc.problem or ""), restore)
    context = _unhidden(_one_line(getattr(exc, "context", None) or ""), restore)
    (line, column), message = explain(problem, context, at(exc.problem_mark), at(getattr(exc, "context_mark", None)), text)
    return finding(YAML_SYNTAX, name, (line + 1, column + 1), message.translate(restore or {}))


class _TooManyDigits(Exception):
    """An integer longer than MAX_INTEGER_DIGITS: Python refuses to convert it (and it would take long)."""

    def __init__(self, digits: int):
        super().__init__(digits)
        self.digits = digits


def _integer(text: str, base: int) -> int:
    digits = len(text.lstrip("+-"))
    if digits > MAX_INTEGER_DIGITS:
        raise _TooManyDigits(digits)
    return int(text, base)


def _plain(text: str):
    """The value of a plain scalar under the YAML 1.2 core schema; dates stay text."""
    if not text or text[0] in "0123456789+-.~nNtTfF":
        if text in _NULLS:
            return None
        if text in _BOOLS:
            return _BOOLS[text]
        if _INT_RE.fullmatch(text):
            return _integer(text, 0 if text[:2] in ("0o", "0x") else 10)
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
        self.aliased = False  # whether an alias was expanded

    def convert(self, root, tree: bool = False):
        """The data of `root`; `tree`: the text holds no anchor, so no node is
        reached twice and none need be looked up (a fifth of the time)."""
        result, size = (self._tree if tree else self._value)(root, 1)
        if size > MAX_VALUES:
            if self.aliased:
                message = f"aliases expand the file to more than {MAX_VALUES:,} values: remove the repeated aliases"
            else:
                message = f"the file holds more than {MAX_VALUES:,} values: an engagement needs far fewer; split it into smaller files"
            raise YamlError(finding(YAML_LIMITS, self.name, (1, 1), message))
        return result

    def _value(self, node, depth: int):
        """(value, number of values it expands to) for a node."""
        key = id(node)
        known = self.done.get(key)
        if known is not None:
            self.aliased = True
            return known
        kind, ctag = node.id, node.ctag
        if kind == "scalar":
            done = (self._scalar_value(node), 1)
            self.done[key] = done
            return done
        if depth > MAX_DEPTH:
            self._too_deep(node)
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
            result, size = self._mapping(node, depth, self._value)
        else:
            self._tag_problem(node)
            result, size = None, 1
        self.active.discard(key)
        done = (result, min(size, MAX_VALUES + 1))
        self.done[key] = done
        return done

    def _tree(self, node, depth: int):
        """_value for a text without anchors: the same values, problems and
        sizes, without noting each node converted."""
        kind = node.id
        if kind == "scalar":
            return self._scalar_value(node), 1
        if depth > MAX_DEPTH:
            self._too_deep(node)
        ctag = node.ctag
        if kind == "sequence" and ctag is _TAGS[_SEQ]:
            result, size = [], 1
            for item in node.value:
                if item.id == "scalar":
                    result.append(self._scalar_value(item))
                    size += 1
                else:
                    value, count = self._tree(item, depth + 1)
                    result.append(value)
                    size += count
        elif kind == "mapping" and ctag is _TAGS[_MAP]:
            result, size = self._mapping(node, depth, self._tree)
        else:
            self._tag_problem(node)
            result, size = None, 1
        return result, min(size, MAX_VALUES + 1)

    def _scalar_value(self, node):
        plain = _TAGS[_PLAIN]
        try:
            return _plain(node.value) if node.ctag is plain else self._scalar(node)
        except _TooManyDigits as exc:
            self._problem(YAML_LIMITS, node, f"the number is {exc.digits:,} digits long, more than the {MAX_INTEGER_DIGITS:,} tacli reads: shorten it, or quote it if it is text")
            return node.value

    def _too_deep(self, node):
        mark = node.start_mark
        raise YamlError(finding(YAML_LIMITS, self.name, (mark.line + 1, mark.column + 1), f"values are nested more than {MAX_DEPTH} levels deep: an engagement file needs far fewer"))

    def _mapping(self, node, depth: int, convert):
        result: dict = {}
        size = 1
        tree = convert == self._tree  # no node is reached twice: a scalar needs no call of its own
        for key_node, value_node in node.value:
            if key_node.id != "scalar":
                self._problem(YAML_TAG, key_node, "a key must be a plain value, not a mapping or a list")
                continue
            key = intern(key_node.value)  # one object for each key name: a kept reading pickles and loads it once (loading twice as fast)
            if key == "<<" and (key_node.ctag is _TAGS[_PLAIN] or key_node.tag == _TAG + "merge"):
                self._problem(YAML_TAG, key_node, "merge keys (<<) are not supported: write the keys out")
                continue
            if key in result:
                first = next(k for k, _ in node.value if k.id == "scalar" and k.value == key)
                self._problem(YAML_DUPLICATE_KEY, key_node, f"duplicate key '{key}' (first at line {first.start_mark.line + 1}): keep one of them")
                continue
            if tree and value_node.id == "scalar":
                result[key] = self._scalar_value(value_node)
                size += 2
                continue
            value, count = convert(value_node, depth + 1)
            result[key] = value
            size += count + 1
        return result, size

    def _scalar(self, node):
        """A scalar with an explicit tag (!!str, !!int...) or quotes; other tags are problems."""
        tag, text = node.tag, node.value
        if tag == _STR and node.style == ">":
            # ruamel.yaml's round-trip scanner (the YAML 1.2 parser) marks each
            # fold of a folded scalar with U+0007; no file can hold that
            # character (file-encoding), so each one is such a mark.
            return text.replace("\a", "")
        if tag == _STR or tag == _TIMESTAMP:
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return text.lower() == "true"
        if tag == _INT:
            digits = text.replace("_", "")
            for base in (0, 10):  # 0 reads the 0x and 0o prefixes, 10 leading zeros
                try:
                    return _integer(digits, base)
                except ValueError:
                    pass
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
