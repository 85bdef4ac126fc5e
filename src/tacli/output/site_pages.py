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

from typing import Callable, Optional

from tacli.write.output_files import Output

SITE = "site"


def pages_work(pages: Callable, templates: Optional[bytes], prepare: Callable):
    """Each engagement's pages (`pages(checker, target, templates)`) as a FileWork
    kept in the cache under the templates' digest (None: templates that cannot
    be read whole, nothing kept); `prepare(templates)` compiles them before
    worker processes are forked."""
    from tacli.checking.checker import FileWork

    return FileWork(pages, SITE, (templates,), prepare=prepare) if templates is not None else None


def cached_pages(loaded, ordered: list, outputs: list[Output], pages: Callable, templates: Optional[bytes], prepare: Callable, done: Optional[Callable[[], None]] = None) -> None:
    """Add to `outputs` every engagement's pages (`pages(checker, target,
    templates)`, a module-level function: worker processes receive it by
    name). `templates` is the digest of the site's templates (io.cache.tree_digest;
    None: nothing rendered is kept), which `prepare` compiles (pages_work);
    `done` is called as each engagement's are ready."""
    checker = loaded.checker
    targets = [loaded.targets[item.name] for item in ordered]
    work: Callable = pages_work(pages, templates, prepare) or pages
    for found in checker.map_files(targets, work, None if templates is not None else 1, done):
        outputs.extend(Output(kind, path, text) for kind, path, text in found)


def cached_portfolio(loaded, roster, portfolio_pages: Callable[[], list[Output]], templates: Optional[bytes]) -> tuple[Optional[list[Output]], Callable[[], list[Output]]]:
    """The pages of every engagement as the cache keeps them (None: not kept),
    and a function that makes them: `portfolio_pages()` (from each
    engagement's figures and part, kept in the cache: no engagement read
    whole), then keeps them (in a forked process, core.background, the child
    keeps what it made). `templates`: as for cached_pages."""
    from tacli.output.reports import portfolio_key
    from tacli.output.site_layout import roster_part

    cache = loaded.checker.cache
    key = portfolio_key(loaded, "site-portfolio", templates, roster_part(roster)) if templates is not None else None
    kept = cache.get(key, None) if key is not None else None

    def made() -> list[Output]:
        pages = portfolio_pages()
        if key is not None:
            cache.put(key, SITE, [(output.kind, output.path, output.text) for output in pages])
            cache.flush()
        return pages

    if isinstance(kept, list):
        return [Output(kind, path, text) for kind, path, text in kept], made
    return None, made
