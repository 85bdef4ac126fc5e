"""The annual pages name, under each figure, the files it came from: as many
items as the figure's count of files says, each a link to its engagement's page
(or the roster), each item rendered once for all the rows and pages that name
it (output.site.with_source_items)."""

from __future__ import annotations

import re

from conftest import EXAMPLES, ROOT, counted_calls

LISTS = re.compile(r'<summary>(\d+) files?</summary><ul>\n(.*?)</ul></details>', re.S)
ITEM = re.compile(r'<li>(?:<a href="\.\./engagements/[^"]+\.html">[^<]+</a>|The roster of the service area) <span class="file">[^<]+</span></li>\n')


def test_each_figure_lists_its_files_each_rendered_once(run_tacli, tmp_path, monkeypatch):
    from jinja2 import Template

    renders = counted_calls(monkeypatch, Template, "render")
    done = run_tacli("site", "examples", "--roster", "examples/roster.yaml", "--out-dir", tmp_path / "site", "--today", "2026-11-22", "--no-cache", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    pages = sorted((tmp_path / "site" / "annual").glob("*-*.html"))
    assert pages
    listed = 0
    for page in pages:
        lists = LISTS.findall(page.read_text(encoding="utf-8"))
        assert lists
        for count, items in lists:
            assert len(ITEM.findall(items)) == int(count) and ITEM.sub("", items) == ""
            listed += int(count)
    engagements = len(list(EXAMPLES.glob("*.yaml"))) - 1  # the roster is no engagement
    items = [call for call in renders if len(call) >= 1 and getattr(call[0], "name", "") == "_source_item.html.j2"]
    assert listed > len(items) and len(items) <= (engagements + 1) * len(pages)
