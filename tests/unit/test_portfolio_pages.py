"""The pages of every engagement (the dashboard, the annual pages) go through
tacli's cache one page at a time: each is kept under its own key as it is
made and read back as UTF-8 bytes, so a run holds one of them at a time; a
child that made them sends back their list, not their text; a page gone
from the cache meanwhile is made again, with the same bytes."""

from __future__ import annotations

from tacli.io.cache import Cache
from tacli.output.site_pages import PortfolioPages
from tacli.write.output_files import Output

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
    return [(page.kind, page.path, page.text if isinstance(page.text, bytes) else page.text.encode("utf-8")) for page in pages]


def test_pages_made_are_kept_one_by_one_and_read_back_as_bytes(tmp_path):
    cache, rendered = Cache(tmp_path / "cache"), Rendered()
    first = pages_of(cache, rendered)
    assert first.kept() is None
    made = first.made()
    assert next(made) == PAGES[0] and rendered.made == ["index.html"], "each page is made when it is asked for"
    assert list(made) == PAGES[1:]
    kept = pages_of(Cache(tmp_path / "cache"), Rendered()).kept()
    assert kept is not None
    read = list(kept)
    assert all(isinstance(page.text, bytes) for page in read)
    assert as_bytes(read) == as_bytes(PAGES)


def test_a_child_sends_the_list_of_pages_it_kept_not_their_text(tmp_path):
    cache = Cache(tmp_path / "cache")
    sent = pages_of(cache, Rendered()).sent_from_a_child()
    assert sent == ("kept", [(page.kind, page.path) for page in PAGES])
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
    real_get = pages.cache.get
    monkeypatch.setattr(pages.cache, "get", lambda key, default=None: default if key == pages._page_key("annual.html") else real_get(key, default))  # gone meanwhile
    rest = list(kept)
    assert as_bytes([first, *rest]) == as_bytes(PAGES), "every page once, with the same bytes"
    assert again.made == [page.path for page in PAGES], "made again, the one given already left out"
