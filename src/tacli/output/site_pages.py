"""The site's pages through tacli's cache (tacli.io.cache): a page is rendered
again only when what it shows may have changed.

Each engagement's pages (its own, its services' TAST reports and agendas) are
kept under its file's key, the site's templates and the day (the pages say
what is due as of it), and rendered on every core when many are not kept; the
pages of every engagement (the dashboard, the annual report's) under every
usable file's key, the files left out, the roster, the templates and the day,
and worked out, when not kept, from each engagement's figures and part
(output.site.figures_work, portfolio_work), themselves kept under its file's
key and the day: after a few files change, only theirs are worked out again.
"""

from __future__ import annotations

import functools
from contextlib import closing
from typing import Callable, Iterator, Optional

from tacli.io.writer import Pieced
from tacli.write.output_files import Output

SITE = "site"


def pages_work(pages: Callable, templates: Optional[bytes], prepare: Callable):
    """Each engagement's pages (`pages(checker, target, templates)`) as a FileWork
    kept in the cache under the templates' digest (None: templates that cannot
    be read whole, nothing kept); `prepare(templates)` compiles them before
    worker processes are forked."""
    from tacli.checking.checker import FileWork

    return FileWork(pages, SITE, (templates,), prepare=prepare) if templates is not None else None


def cached_pages(loaded, ordered: list, pages: Callable, templates: Optional[bytes], prepare: Callable, done: Optional[Callable[[], None]] = None) -> Iterator[Output]:
    """Every engagement's pages (`pages(checker, target, templates)`, a
    module-level function: worker processes receive it by name), as each
    engagement's are ready (Checker.each_file: in no set order). `templates`
    is the digest of the site's templates (io.cache.tree_digest; None: nothing
    rendered is kept), which `prepare` compiles (pages_work); `done` is called
    as each engagement's are ready."""
    from tacli.checking.checker import LARGE_PROBE

    checker = loaded.checker
    targets = loaded.files(ordered)
    work: Callable = pages_work(pages, templates, prepare) or pages
    with closing(checker.each_file(targets, work, None if templates is not None else 1, done, LARGE_PROBE)) as chunks:
        for _, found in chunks:
            for each in found:
                for kind, path, text in each:
                    yield Output(kind, path, text)


PAGE_PIECE = 4 << 20  # bytes of a portfolio page kept under one key: a page of 50 MB is read back and written a piece at a time


class PortfolioPages:
    """The pages of every engagement (the dashboard, the annual pages) through
    tacli's cache, one page at a time: at 10,000 engagements they are some
    120 MB of HTML, twice that as Python text, so none is held longer than it
    takes to compare and write it. Each page is kept in pieces of PAGE_PIECE
    bytes, each under its own key, and read back a piece at a time as it is
    compared and written (io.writer.Pieced); the list of pages, under the key
    of what they are made from (every usable file's key, the files left out,
    the roster, the templates, the day: output.reports.portfolio_key).
    `render()` makes them one at a time (from each engagement's figures and
    part, kept in the cache: no engagement read whole)."""

    def __init__(self, render: Callable[[], Iterator[Output]], cache=None, key: Optional[bytes] = None):
        self.render, self.cache, self.key = render, cache, key
        self.spill = None  # without the cache: where a forked child leaves the pages (core.spill), opened before it starts

    @classmethod
    def through_the_cache(cls, loaded, roster, render: Callable[[], Iterator[Output]], templates: Optional[bytes]) -> "PortfolioPages":
        """The pages of `loaded`'s engagements and `roster`, kept in its checker's cache; `templates`: as for cached_pages."""
        from tacli.output.reports import portfolio_key
        from tacli.output.site_layout import roster_part

        key = portfolio_key(loaded, "site-portfolio", templates, roster_part(roster)) if templates is not None else None
        return cls(render, loaded.checker.cache, key)

    def kept(self) -> Optional[Iterator[Output]]:
        """The pages as the cache keeps them; None when it does not."""
        listed = self.cache.get(self.key, None) if self.key is not None else None
        return self._read(listed) if isinstance(listed, list) else None

    def made(self, listed: Optional[list] = None) -> Iterator[Output]:
        """The pages rendered, each kept as it is made (and added to `listed`:
        kind, path, bytes, pieces), then the list of them."""
        listed = [] if listed is None else listed
        for output in self.render():
            if self.key is not None:
                data = output.text.encode("utf-8")
                count = max(1, -(-len(data) // PAGE_PIECE))
                for index in range(count):
                    self.cache.put(self._piece_key(output.path, index), SITE, data[index * PAGE_PIECE:(index + 1) * PAGE_PIECE])
                self.cache.flush()  # one page at a time: the cache holds none waiting
                listed.append((output.kind, output.path, len(data), count))
                del data
            yield output
        if self.key is not None:
            self.cache.put(self.key, SITE, listed)
            self.cache.flush()

    def sent_from_a_child(self) -> tuple:
        """What a forked child (core.background) sends back once it has made the
        pages: their list when the cache took every one (the parent reads them
        there, a piece at a time); without the cache, their list in the spill
        the parent opened (`spill`: an anonymous file both share), a page read
        back at a time; else the pages themselves."""
        if self.key is None and self.spill is not None and self.spill.on_disk:
            listed = []
            for output in self.render():
                data = output.text.encode("utf-8")
                listed.append((output.kind, output.path, self.spill.append(data), len(data)))
                del data
            if self.spill.on_disk:
                return ("spilled", listed, self.spill.ends())
            return ("pages", [(kind, path, self.spill[number].decode("utf-8")) for kind, path, number, _ in listed])
        if self.key is None:
            return ("pages", [(output.kind, output.path, output.text) for output in self.made()])
        listed = []
        for _ in self.made(listed):
            pass
        return ("kept", listed)

    def received(self, sent: tuple) -> Iterator[Output]:
        """The pages a child sent (sent_from_a_child), one at a time."""
        how, pages, *more = sent
        if how == "kept":
            return self._read(pages)
        if how == "spilled":
            spill = self.spill
            spill.adopt(more[0])
            return (Output(kind, path, Pieced(size, functools.partial(_one_piece, spill, number))) for kind, path, number, size in pages)
        return (Output(kind, path, text) for kind, path, text in pages)

    def _read(self, listed: list) -> Iterator[Output]:
        """Each listed page from the cache, a piece at a time as it is compared
        and written; when one is gone (the cache cleared meanwhile), the pages
        are rendered again and the rest taken from those."""
        given = set()
        for entry in listed:
            if not (isinstance(entry, tuple) and len(entry) == 4):
                break
            kind, path, size, count = entry
            if len(self.cache.present(self._piece_key(path, index) for index in range(count))) != count:
                break
            given.add(path)
            yield Output(kind, path, Pieced(size, functools.partial(self._pieces, path, count)))
        else:
            return
        yield from (output for output in self.made() if output.path not in given)

    def _pieces(self, path: str, count: int) -> Iterator[bytes]:
        """A kept page's pieces; from the first that cannot be read (gone from the
        cache since it was listed), the rest of the page rendered again."""
        for index in range(count):
            piece = self.cache.get(self._piece_key(path, index), None)
            if not isinstance(piece, bytes):
                text = next(output.text for output in self.made() if output.path == path)
                yield text.encode("utf-8")[index * PAGE_PIECE:]
                return
            yield piece

    def _piece_key(self, path: str, index: int) -> bytes:
        from tacli.io.cache import digest

        return digest("site-portfolio-page", self.key, path, index)


def _one_piece(spill, number: int) -> Iterator[bytes]:
    yield spill[number]
