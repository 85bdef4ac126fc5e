"""The summary's view folded one engagement at a time (views.summary.SummaryFold):
the same view whatever order the parts come in, the same figures as
`combine`, no part kept once folded, and what it lists kept packed (Packed)
yet read by templates as a list."""

from __future__ import annotations

import gc
import random
import weakref
from dataclasses import dataclass

import pytest
from conftest import EXAMPLES, TODAY

from tacli.domain.figures import Totals, combine, engagement_figures
from tacli.output.templates import Renderer
from tacli.output.views.common import Lookups, Packed, pack
from tacli.output.views.summary import SummaryFold, summary_context, summary_part


@pytest.fixture(scope="module")
def examples(spec):
    from tacli.output.reports import load_engagements

    return load_engagements([str(EXAMPLES)], spec, TODAY).engagements


@pytest.fixture(scope="module")
def parts(spec, examples):
    lookups = Lookups(spec)
    return [summary_part(spec, item, TODAY, lookups) for item in examples]


def test_the_view_is_the_same_whatever_order_the_parts_come_in(spec, examples, parts):
    lookups = Lookups(spec)
    expected = Renderer().render("summary", summary_context(spec, examples, TODAY, lookups))
    for seed in range(5):
        shuffled = list(parts)
        random.Random(seed).shuffle(shuffled)
        assert Renderer().render("summary", summary_context(spec, examples, TODAY, lookups, (), shuffled)) == expected


def test_the_view_lists_every_engagement_in_the_summarys_order(spec, examples, parts):
    context = summary_context(spec, examples, TODAY, Lookups(spec), (), list(reversed(parts)))
    ids = [str(row["engagement"]["id"]) for row in context["engagements"]]
    assert ids == sorted(str(item.engagement.id) for item in examples)
    assert all(len(row["stages"]) == len(context["stages"]) for row in context["engagements"])
    assert all("_start" not in entry and all("_date" not in event for event in entry["services"]) for entry in context["timeline"])
    assert len(context["timeline"]) == sum(1 for part in parts if part["timeline"] is not None)


def test_figures_added_one_at_a_time_are_combines(spec, examples):
    figures = [engagement_figures(spec, item.engagement, TODAY) for item in examples] * 3  # an engagement given more than once counts once
    totals = Totals(spec)
    for item in figures:
        totals.add(item)
    assert totals.portfolio() == combine(spec, figures)
    assert combine(spec, figures).engagements == len(examples)
    assert Totals(spec).portfolio() == combine(spec, [])


@dataclass
class _Tracked:
    """A part's figures, that a weak reference can follow."""

    figures: object

    def __getattr__(self, name):
        return getattr(self.figures, name)


def test_a_part_is_not_kept_once_folded(spec, parts):
    fold, watched = SummaryFold(spec), []
    for part in parts:
        tracked = _Tracked(part["figures"])
        watched.append(weakref.ref(tracked))
        fold.add({**part, "figures": tracked})
        del tracked
    gc.collect()
    assert [ref for ref in watched if ref() is not None] == []
    assert fold.context(Lookups(spec))["totals"]["engagements"] == len(parts)


ITEMS = [{"id": "a", "n": 1}, {"id": "b", "n": 2}, {"id": "c", "n": 3}]


def test_packed_reads_like_a_list():
    packed = Packed([pack(item) for item in ITEMS])
    assert len(packed) == 3 and bool(packed) and not Packed([])
    assert list(packed) == ITEMS and packed == ITEMS and packed == Packed([pack(item) for item in ITEMS])
    assert packed[0] == ITEMS[0] and packed[-1] == ITEMS[-1] and packed[1:] == ITEMS[1:]
    assert ITEMS[1] in packed and list(reversed(packed)) == ITEMS[::-1]
    with pytest.raises(IndexError):
        packed[3]
    packed[0]["n"] = 99  # a template that changes what it read changes no later read
    assert packed[0] == ITEMS[0]


def test_packed_shapes_each_item_as_it_is_read():
    packed = Packed([pack(item) for item in ITEMS], lambda item: {**item, "double": item["n"] * 2})
    assert [item["double"] for item in packed] == [2, 4, 6]
    assert packed[-1]["double"] == 6


@pytest.mark.parametrize("sandboxed", [False, True], ids=["shipped", "sandboxed"])
def test_templates_use_packed_as_a_list(sandboxed):
    from jinja2 import Environment
    from jinja2.sandbox import SandboxedEnvironment

    environment = (SandboxedEnvironment if sandboxed else Environment)()
    template = environment.from_string(
        "{{ rows|length }} {{ (rows|first).id }} {{ (rows|last).id }} {{ rows[1].id }}"
        " {% for row in rows %}{{ row.id }}{{ loop.index }}{% endfor %}"
        " {{ rows|sort(attribute='n', reverse=true)|map(attribute='id')|join }} {{ rows|selectattr('n', 'gt', 1)|list|length }}"
        " {% if rows %}some{% endif %}{% if empty %}none{% endif %}"
    )
    rows = Packed([pack(item) for item in ITEMS])
    assert template.render(rows=rows, empty=Packed([])) == "3 a c b a1b2c3 cba 2 some"


def test_a_users_template_prints_joins_adds_and_dumps_packed_as_a_list(tmp_path):
    """Printing a Packed list (metered as a list is), `+` and `tojson` give what the list gives."""
    from tacli.output.templates import MARKDOWN, make_environment
    from tacli.output.template_limits import text_size

    rows, plain = Packed([pack(item) for item in ITEMS]), list(ITEMS)
    (tmp_path / "t.md.j2").write_text("{{ rows }}|{{ (rows + [1])|length }}|{{ ([0] + rows)|length }}|{{ rows|tojson }}|{{ rows|join(',', attribute='id') }}", encoding="utf-8")
    environment = make_environment([tmp_path], MARKDOWN)
    template = environment.get_template("t.md.j2")
    assert template.render(rows=rows) == template.render(rows=plain)
    assert text_size(rows) == text_size(plain)


def test_packed_answers_what_a_list_answers_and_refuses_what_it_refuses(tmp_path):
    from tacli.output.templates import MARKDOWN, make_environment

    rows, plain = Packed([pack(item) for item in ITEMS]), list(ITEMS)
    assert rows * 2 == plain * 2 and 2 * rows == 2 * plain and rows.copy() == plain
    assert (rows < rows, rows <= plain, rows > [], rows >= plain) == (False, True, True, True)
    for other in ("ab", (1, 2)):
        with pytest.raises(TypeError):
            rows + other
    (tmp_path / "t.md.j2").write_text("{{ rows|pprint }}|{{ (rows * 2)|length }}|{{ rows.copy()|length }}", encoding="utf-8")
    template = make_environment([tmp_path], MARKDOWN).get_template("t.md.j2")
    assert template.render(rows=rows) == template.render(rows=plain)
