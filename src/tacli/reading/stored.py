"""A file's reading kept in tacli's cache (tacli.io.cache), and given back
without parsing the file again.

What is kept is what holds whatever the day: the file's data as plain Python
values, the findings of reading and validating it, its id and the positions
asked of it; and, for a file that was not read before, nothing. The pydantic
engagement is not kept: its model is made from the standards at run time, so
it cannot be pickled by reference, and unpickling its objects took longer than
validating the data again (0.38 ms against 0.29 ms for the 40 KB CALI
example), which the data needs anyway. Validating the kept data takes about a
fifth of reading the file (composing, converting and validating).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from stat import S_ISREG
from typing import Any, Optional

from tacli.core.outcome import UsageError
from tacli.io.filestat import settled
from tacli.io.filestat import signature as stat_signature
from tacli.reading.pipeline import FileResult, Identity, Target

READING = "reading"


STAT = "file-stat"  # a file's stat signature and the digest of its bytes, as a run read them


@dataclass(frozen=True)
class Source:
    """A file's bytes as this run read them (once), and the key of what they yield
    (None: nothing of it is cached; the file is read as it always was).

    A Source given its key by the stat shortcut (`shortcut`) has not read its
    bytes: `raw` is None, and `digest` is the digest of the bytes the key was
    made from. `bytes_of` reads them when they are needed, and `confirmed`
    gives the Source of the bytes read then (re-keyed if they changed)."""

    target: Target
    raw: Optional[bytes] = None
    key: Optional[bytes] = None
    digest: Optional[bytes] = None  # sha256 of the bytes
    signature: Optional[tuple] = None  # the stat taken before the bytes were read (read now) or that matched (shortcut)
    seen: int = 0  # time.time_ns() when the bytes were read (0: not read by this run)
    context: Optional[bytes] = None

    @property
    def shortcut(self) -> bool:
        return self.raw is None and self.key is not None and self.digest is not None


class SourceChanged(UsageError):
    """A file given its key by the stat shortcut whose bytes, read later in the
    run, are not those the key was made from: what was worked out from the
    key is dropped and the file read again. Where the run cannot do that (a
    file found usable by the check is no longer usable when its reports or
    pages are made), the command stops with this message (exit 2), naming the file."""

    def __init__(self, name: str):
        super().__init__(f"{name} changed while tacli was reading it: run the command again")
        self.args = (name,)  # as it is made: it crosses from a worker process pickled


def stat_key(target: Target, context: bytes) -> bytes:
    """The key of a file's stat entry: its absolute path and the context."""
    path = os.fspath(target.path)
    path = os.fsencode(path if os.path.isabs(path) else os.path.abspath(path))
    return hashlib.sha256(b"%s:%d:%s%s" % (STAT.encode("ascii"), len(context), context, path)).digest()[:20]


def source_of(target: Target, context: Optional[bytes], remembered: Any = None) -> Source:
    """`target`'s bytes and key. A file that cannot be read has none: reading it
    again reports why, as it always did.

    `remembered` is the file's stat entry (`stat_key`) as the cache held it: when
    the file's stat signature is the one it remembers, and the file had not
    changed too close to being read then (io.filestat.settled), the key is made from the
    remembered digest without reading the file (a shortcut Source)."""
    if context is None or target.problem is not None:
        return Source(target)
    try:
        info = os.stat(target.path)
    except OSError:
        return Source(target)
    if not S_ISREG(info.st_mode):
        return Source(target)
    signature = stat_signature(info)
    digest = _trusted(remembered, signature)
    if digest is not None:
        return Source(target, None, key_from_digest(context, target, digest), digest, signature, 0, context)
    seen = time.time_ns()
    raw = bytes_of(Source(target))
    if raw is None:
        return Source(target)
    digest = hashlib.sha256(raw).digest()
    return Source(target, raw, key_from_digest(context, target, digest), digest, signature, seen, context)


def _trusted(remembered: Any, signature: tuple) -> Optional[bytes]:
    """The remembered digest, if the entry is sound, its signature is `signature`
    and the file was not racy when it was read (else None: read the file)."""
    if not isinstance(remembered, tuple) or len(remembered) != 3:
        return None
    kept, digest, seen = remembered
    if not isinstance(kept, tuple) or kept != signature or not isinstance(digest, bytes) or len(digest) != 32:
        return None
    if type(seen) is not int or not settled(kept, seen):
        return None
    return digest


def remembered_entry(source: Source) -> Optional[tuple]:
    """What the stat entry of a Source that read its bytes holds (None: nothing to keep)."""
    if source.raw is None or source.key is None or source.signature is None or source.digest is None:
        return None
    return (source.signature, source.digest, source.seen)


def bytes_of(source: Source) -> Optional[bytes]:
    """The file's bytes: those read already, else read now (None: they cannot be
    read). As io.yamlsource.read_source reads them, without importing the YAML
    reader (a file found in the cache is not parsed): what it refuses, reading reports."""
    if source.raw is not None:
        return source.raw
    from tacli.io.userfiles import MAX_FILE_BYTES, FileTooLarge, NotRegularFile, read_limited

    try:
        return read_limited(source.target.path, MAX_FILE_BYTES)
    except (FileTooLarge, NotRegularFile, OSError):
        return None


def confirmed(source: Source) -> Source:
    """A Source with its bytes: a shortcut Source reads them, keeping its key
    when they are the bytes it was made from, else keyed from the bytes read
    (or no key when they cannot be read: reading the file reports why)."""
    if not source.shortcut:
        return source
    seen = time.time_ns()
    raw = bytes_of(source)
    if raw is None or source.context is None:
        return Source(source.target)
    digest = hashlib.sha256(raw).digest()
    if digest == source.digest:
        return Source(source.target, raw, source.key, digest, source.signature, seen, source.context)
    # Changed since its stat: the stat taken before these bytes is unknown, so none is kept.
    return Source(source.target, raw, key_from_digest(source.context, source.target, digest), digest, None, seen, source.context)


def file_key(context: bytes, target: Target, raw: bytes) -> bytes:
    """What a file yields depends on its bytes, its name (findings carry it),
    whether it was named or found (a found file that is no engagement is
    skipped), and the `context`: tacli's code and the standards."""
    return key_from_digest(context, target, hashlib.sha256(raw).digest())


def key_from_digest(context: bytes, target: Target, digest: bytes) -> bytes:
    """`file_key` of the bytes whose sha256 is `digest`."""
    path, name = os.fsencode(target.path), target.name.encode("utf-8", "surrogateescape")
    framed = b"file:%d:%d:%d:" % (len(path), len(name), target.explicit)
    return hashlib.sha256(b"".join((framed, context, path, name, digest))).digest()[:20]


def entry_key(source: Source, kind: str, *parts) -> bytes:
    """The key of an entry of `kind` about the file of `source` (with `parts`: a day, options)."""
    assert source.key is not None
    if not parts:
        import hashlib

        return hashlib.sha256(b"%s:%s" % (kind.encode("ascii"), source.key)).digest()[:20]
    from tacli.io.cache import digest

    return digest(kind, source.key, *parts)


@dataclass
class Stored:
    """What reading a file yielded, for the cache."""

    findings: list
    skipped: bool = False
    has_document: bool = False
    data: Any = None
    problems: list = field(default_factory=list)
    identity: Optional[Identity] = None
    checkable: bool = False
    positions: dict = field(default_factory=dict)


def stored(result: FileResult, findings: list) -> Stored:
    """`result` as the cache keeps it; `findings` are its reading's (before any rule ran)."""
    document = result.document
    if document is None:
        return Stored(list(findings), result.skipped)
    return Stored(list(findings), result.skipped, True, document.data, list(document.problems), result.identity,
                  result.checkable is not None, dict(document.positions or {}))


def restored(item: Stored, source: Source, models) -> FileResult:
    """The FileResult `item` was made from: the engagement validated again from
    the kept data (the same data, the same models: the same engagement), the
    document's nodes composed again from the bytes only if a position that was
    not kept is asked for."""
    name = source.target.name
    if not item.has_document:
        return FileResult(name, list(item.findings), skipped=item.skipped)
    if source.shortcut:  # the bytes read only if the nodes are composed, and checked then
        document = _lazy_document()(name, item.data, list(item.problems), dict(item.positions), source)
    else:
        from tacli.io.yamlsource import Document

        document = Document(name, item.data, None, list(item.problems), dict(item.positions), source.raw)
    engagement = checkable = None
    if item.identity is not None:
        engagement = models.engagement.model_validate(item.data)
    elif item.checkable:
        from tacli.reading.validation import checkable_without_unknown_keys

        checkable = checkable_without_unknown_keys(document, models, list(item.findings))
    return FileResult(name, list(item.findings), document, engagement, item.identity, item.skipped, checkable)


_LAZY: list = []


def _lazy_document():
    """Document whose bytes (`source`) a shortcut Source reads when first asked
    for, checked against the digest its key was made from (SourceChanged if they
    are not those bytes). Made on first use: a warm run need not import the YAML reader."""
    if _LAZY:
        return _LAZY[0]
    from tacli.io.yamlsource import Document

    class ShortcutDocument(Document):
        __slots__ = ("_shortcut", "_bytes")

        def __init__(self, path: str, data: Any, problems: list, positions: dict, shortcut: Source):
            self._shortcut, self._bytes = shortcut, None
            super().__init__(path, data, None, problems, positions, None)

        @property
        def source(self):
            shortcut = self._shortcut
            if self._bytes is None and shortcut is not None:
                checked = confirmed(shortcut)
                if checked.raw is None or checked.key != shortcut.key:
                    raise SourceChanged(shortcut.target.name)
                self._bytes, self._shortcut = checked.raw, None
            return self._bytes

        @source.setter
        def source(self, value) -> None:
            self._bytes = value

        def __reduce__(self):  # as a plain Document (its bytes read)
            return (Document, (self.path, self.data, None, self.problems, self.positions, self.source))

    _LAZY.append(ShortcutDocument)
    return ShortcutDocument


def read(source: Source, models, cache) -> FileResult:
    """The file of `source` read and validated: from the cache's reading when it
    has one, else from its bytes (and the reading kept). A shortcut Source reads
    its bytes only when the reading is not kept (and is keyed from them)."""
    from tacli.reading.pipeline import read_target

    if source.key is None or cache is None:
        return read_target(source.target, models, source.raw)
    key = entry_key(source, READING)
    kept = cache.get(key, None)
    if isinstance(kept, Stored):
        return restored(kept, source, models)
    if source.shortcut:
        real = confirmed(source)
        if real.key != source.key:
            return read(real, models, cache)
        source = real
    result = read_target(source.target, models, source.raw)
    cache.put(key, READING, stored(result, result.findings))
    return result


def read_many(sources: list[Source], models, cache) -> list[FileResult]:
    """`read` of each source, their kept readings looked up together."""
    from tacli.reading.pipeline import read_target

    keys = [entry_key(source, READING) if source.key is not None and cache is not None else None for source in sources]
    found = cache.get_many(key for key in keys if key is not None) if cache is not None else {}
    results = []
    for source, key in zip(sources, keys):
        kept = found.get(key) if key is not None else None
        if isinstance(kept, Stored):
            results.append(restored(kept, source, models))
        elif key is None:
            results.append(read_target(source.target, models, source.raw))
        else:
            results.append(read(source, models, cache))
    return results


class LazyResult(FileResult):
    """A usable file's result whose document and engagement are read (from the
    cache's reading, else from the file) only when first asked for: reports and
    pages whose text the cache holds never need them. `load()` gives the file's
    FileResult. It keeps none of the check's findings: what reports and pages
    say of a usable file comes from the file, and its findings, some 1.3 KB
    an engagement, were held for nothing (13 MB at 10,000 engagements)."""

    def __init__(self, result: FileResult, load):
        self._load, self._full = load, None
        super().__init__(result.name, [], identity=result.identity, skipped=result.skipped)

    def _part(self, name: str):
        if self._full is None:
            self._full = self._load()
        return getattr(self._full, name)

    def _keep(name: str):  # noqa: N805 - builds the properties below
        def get(self):
            return self.__dict__[name] if name in self.__dict__ else self._part(name)

        def put(self, value):
            if value is not None:
                self.__dict__[name] = value

        return property(get, put)

    document = _keep("document")
    engagement = _keep("engagement")
    checkable = _keep("checkable")
    del _keep

    def detached(self) -> FileResult:
        return FileResult(self.name, [], identity=self.identity, skipped=self.skipped)
