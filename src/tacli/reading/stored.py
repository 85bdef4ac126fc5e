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

import os
from dataclasses import dataclass, field
from typing import Any, Optional

from tacli.reading.pipeline import FileResult, Identity, Target

READING = "reading"


@dataclass(frozen=True)
class Source:
    """A file's bytes as this run read them (once), and the key of what they yield
    (None: nothing of it is cached; the file is read as it always was)."""

    target: Target
    raw: Optional[bytes] = None
    key: Optional[bytes] = None


def source_of(target: Target, context: Optional[bytes]) -> Source:
    """`target`'s bytes and key. A file that cannot be read has none: reading it
    again reports why, as it always did."""
    if context is None or target.problem is not None:
        return Source(target)
    # As io.yamlsource.read_source reads it, without importing the YAML reader (a
    # file found in the cache is not parsed): what it refuses, reading reports.
    from tacli.io.userfiles import MAX_FILE_BYTES, FileTooLarge, NotRegularFile, read_limited

    try:
        raw = read_limited(target.path, MAX_FILE_BYTES)
    except (FileTooLarge, NotRegularFile, OSError):
        return Source(target)
    return Source(target, raw, file_key(context, target, raw))


def file_key(context: bytes, target: Target, raw: bytes) -> bytes:
    """What a file yields depends on its bytes, its name (findings carry it),
    whether it was named or found (a found file that is no engagement is
    skipped), and the `context`: tacli's code and the standards."""
    import hashlib

    path, name = os.fsencode(target.path), target.name.encode("utf-8", "surrogateescape")
    framed = b"file:%d:%d:%d:" % (len(path), len(name), target.explicit)
    return hashlib.sha256(b"".join((framed, context, path, name, hashlib.sha256(raw).digest()))).digest()[:20]


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
    from tacli.io.yamlsource import Document

    name = source.target.name
    if not item.has_document:
        return FileResult(name, list(item.findings), skipped=item.skipped)
    document = Document(name, item.data, None, list(item.problems), dict(item.positions), source.raw)
    engagement = checkable = None
    if item.identity is not None:
        engagement = models.engagement.model_validate(item.data)
    elif item.checkable:
        from tacli.reading.validation import checkable_without_unknown_keys

        checkable = checkable_without_unknown_keys(document, models, list(item.findings))
    return FileResult(name, list(item.findings), document, engagement, item.identity, item.skipped, checkable)


def read(source: Source, models, cache) -> FileResult:
    """The file of `source` read and validated: from the cache's reading when it
    has one, else from its bytes (and the reading kept)."""
    from tacli.reading.pipeline import read_target

    if source.key is None or cache is None:
        return read_target(source.target, models, source.raw)
    key = entry_key(source, READING)
    kept = cache.get(key, None)
    if isinstance(kept, Stored):
        return restored(kept, source, models)
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


def preload(items: list) -> None:
    """Read at once the LazyResults among `items` that know their checker and
    file: their readings looked up in the cache together."""
    lazy = [item for item in items if isinstance(item, LazyResult) and item._full is None and item._target is not None]
    if not lazy:
        return
    checker = lazy[0]._checker
    for item, full in zip(lazy, checker.read_many([item._target for item in lazy])):
        item._full = full


class LazyResult(FileResult):
    """A usable file's result whose document and engagement are read (from the
    cache's reading, else from the file) only when first asked for: reports and
    pages whose text the cache holds never need them. `load()` gives the file's
    FileResult; the findings are those of the check that found it usable."""

    def __init__(self, result: FileResult, load, checker=None, target=None):
        self._load, self._full = load, None
        self._checker, self._target = checker, target  # for preload: many read at once
        super().__init__(result.name, list(result.findings), identity=result.identity, skipped=result.skipped)

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
        return FileResult(self.name, list(self.findings), identity=self.identity, skipped=self.skipped)
