"""The pages of every engagement (the dashboard, the annual pages) go through
tacli's cache one page at a time: each is kept in pieces as it is made and
read back a piece at a time as it is compared and written, so a run holds a
piece of one of them at a time; a child that made them sends back their
list, not their text; a page gone from the cache meanwhile, or a piece of
it, is made again, with the same bytes."""

from __future__ import annotations

import pytest

from tacli.io.cache import Cache
from tacli.io.writer import Pieced
from tacli.output import site_pages
from tacli.output.site_pages import PortfolioPages
from tacli.write.output_files import Output, _utf8

PAGES = [Output("dashboard", "index.html", "<p>dashboard ☐</p>\n" * 50), Output("annual", "annual.html", "<p>years</p>\n"), Output("annual", "annual/2026-27.html", "<p>é</p>\n" * 20)]


class Rendered:
    """render() for PortfolioPages, counting the pages made, and when each is made."""

    def __init__(self):
        self.made: list[str] = []

    def __call__(self):
        for page in PAGES:
            self.made.append(page.path)
            yield page


def pages_of(cache: Cache, rendered: Rendered) -> PortfolioPages:
    return PortfolioPages(rendered, cache, b"k" * 20)


def as_bytes(pages) -> list[tuple[str, str, bytes]]:
    return [(page.kind, page.path, _utf8(page.text)) for page in pages]


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch):
    monkeypatch.setattr(site_pages, "PAGE_PIECE", 100)  # the dashboard is 1,050 bytes: 11 pieces


def test_pages_made_are_kept_one_by_one_and_read_back_a_piece_at_a_time(tmp_path):
    cache, rendered = Cache(tmp_path / "cache"), Rendered()
    first = pages_of(cache, rendered)
    assert first.kept() is None
    made = first.made()
    assert next(made) == PAGES[0] and rendered.made == ["index.html"], "each page is made when it is asked for"
    assert list(made) == PAGES[1:]
    again = pages_of(Cache(tmp_path / "cache"), Rendered())
    read, got = [], []
    real_get = again.cache.get
    again.cache.get = lambda key, default=None: got.append(key) or real_get(key, default)
    kept = again.kept()
    assert kept is not None
    got.clear()
    read = list(kept)
    assert got == [], "no piece read until the page is compared or written"
    assert all(isinstance(page.text, Pieced) and len(page.text) == len(original.text.encode("utf-8")) for page, original in zip(read, PAGES))
    pieces = list(read[0].text.pieces())
    assert len(pieces) == 11 and all(len(piece) <= 100 for piece in pieces) and len(got) == 11
    assert as_bytes(read) == as_bytes(PAGES)
    assert as_bytes(read) == as_bytes(PAGES), "each reading from the start"


def test_a_child_sends_the_list_of_pages_it_kept_not_their_text(tmp_path):
    cache = Cache(tmp_path / "cache")
    sent = pages_of(cache, Rendered()).sent_from_a_child()
    sizes = [len(page.text.encode("utf-8")) for page in PAGES]
    assert sent == ("kept", [(page.kind, page.path, size, -(-size // 100)) for page, size in zip(PAGES, sizes)])
    assert as_bytes(pages_of(Cache(tmp_path / "cache"), Rendered()).received(sent)) == as_bytes(PAGES)


def test_without_the_cache_a_child_sends_the_pages(tmp_path):
    sent = PortfolioPages(Rendered()).sent_from_a_child()
    assert sent[0] == "pages"
    assert list(PortfolioPages(Rendered()).received(sent)) == PAGES


def test_a_page_gone_from_the_cache_meanwhile_is_made_again(tmp_path, monkeypatch):
    cache = Cache(tmp_path / "cache")
    list(pages_of(cache, Rendered()).made())
    again = Rendered()
    pages = pages_of(Cache(tmp_path / "cache"), again)
    kept = pages.kept()
    first = next(kept)
    real_present = pages.cache.present
    gone = pages._piece_key("annual.html", 0)
    monkeypatch.setattr(pages.cache, "present", lambda keys: real_present(keys) - {gone})  # gone meanwhile
    rest = list(kept)
    assert as_bytes([first, *rest]) == as_bytes(PAGES), "every page once, with the same bytes"
    assert again.made == [page.path for page in PAGES], "made again, the one given already left out"


def test_a_piece_gone_from_the_cache_while_a_page_is_read_is_made_again(tmp_path, monkeypatch):
    cache = Cache(tmp_path / "cache")
    list(pages_of(cache, Rendered()).made())
    again = Rendered()
    pages = pages_of(Cache(tmp_path / "cache"), again)
    dashboard = next(pages.kept())
    real_get = pages.cache.get
    gone = pages._piece_key("index.html", 4)
    monkeypatch.setattr(pages.cache, "get", lambda key, default=None: default if key == gone else real_get(key, default))
    assert _utf8(dashboard.text) == PAGES[0].text.encode("utf-8")
    assert again.made == ["index.html"], "the pages made again until the one read"


def test_a_list_of_another_shape_is_made_again(tmp_path):
    cache = Cache(tmp_path / "cache")
    pages = pages_of(cache, Rendered())
    cache.put(pages.key, site_pages.SITE, [("dashboard", "index.html")])
    cache.flush()
    again = Rendered()
    assert as_bytes(pages_of(Cache(tmp_path / "cache"), again).kept()) == as_bytes(PAGES)
    assert again.made == [page.path for page in PAGES]
