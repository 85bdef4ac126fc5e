"""The annual figures as each engagement's part, then their sum (domain.annual:
annual_part, annual_sum), and the site's part of each engagement
(output.site_annual.portfolio_part), as tacli's cache keeps it: the sum of
kept parts is the figures `tacli report --kind annual` gives, on the shipped
examples, every school year, with and without the roster."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import EXAMPLES, TODAY

from tacli.domain.annual import AnnualPart, annual_figures, annual_part, annual_parts, annual_sum, part_years
from tacli.io.cache import dumps, loads
from tacli.output.site_annual import annual_years, portfolio_part, source_pages, year_figures

DAYS = [date(2021, 12, 31), date(2026, 10, 3), TODAY, date(2027, 8, 1)]


@pytest.fixture(scope="module")
def loaded(spec):
    from tacli.output.reports import load_engagements

    return load_engagements([str(EXAMPLES)], spec, TODAY).engagements


@pytest.fixture(scope="module")
def roster(spec):
    from tacli.reading.roster import load_roster

    return load_roster(EXAMPLES / "roster.yaml")


def _kept(part):
    """A part as it comes back from tacli's cache."""
    return loads(dumps(part))


def test_a_part_is_plain_data_the_cache_keeps(spec, loaded):
    for item in loaded:
        part = portfolio_part(spec, item, TODAY)
        assert _kept(part) == part
        assert part.annual and all(isinstance(found, AnnualPart) for found in part.annual.values())


@pytest.mark.parametrize("today", DAYS)
@pytest.mark.parametrize("with_roster", [False, True])
def test_the_sum_of_kept_parts_is_the_annual_figures(spec, loaded, roster, today, with_roster):
    found = roster if with_roster else None
    pairs = [(item.name, item.engagement) for item in loaded]
    parts = [_kept(portfolio_part(spec, item, today)) for item in loaded]
    by_year = year_figures(spec, loaded, today, found, parts)
    assert list(by_year) == annual_years(loaded, today)
    for year, figures in by_year.items():
        assert figures == annual_figures(spec, pairs, year, today, found)
    assert year_figures(spec, loaded, today, found) == by_year  # without kept parts: the same functions


def test_the_shipped_examples_have_figures_to_compare(spec, loaded, roster):
    """The comparison above is over figures that say something: hours, recipients, the roster's."""
    figures = year_figures(spec, loaded, TODAY, roster)["2026-27"]
    assert figures.value("hours") > 0 and figures.value("recipients_served") > 0 and figures.value("roster_served") > 0
    assert figures.value("reports_due") > 0 and figures.value("evaluation_forms_returned") > 0
    assert len(figures.files) == len(loaded)


@pytest.mark.parametrize("today", DAYS)
def test_a_year_without_a_part_is_the_empty_part(spec, loaded, today):
    every = {year for item in loaded for year in part_years(item.engagement, today)} | {"2019-20", "2024-25", "2030-31"}
    for item in loaded:
        kept = annual_parts(spec, item.name, item.engagement, today)
        for year in sorted(every):
            part = annual_part(spec, item.name, item.engagement, year, today)
            if year in kept:
                assert kept[year] == part
            else:
                assert part == AnnualPart(item.name, item.engagement.id)
                assert portfolio_part(spec, item, today).annual_part(year) == part


def test_parts_are_added_by_id_then_path_whatever_order_they_come_in(spec, loaded, roster):
    parts = [annual_part(spec, item.name, item.engagement, "2026-27", TODAY) for item in loaded]
    expected = annual_sum(spec, parts, "2026-27", TODAY, roster)
    assert annual_sum(spec, list(reversed(parts)), "2026-27", TODAY, roster) == expected
    # hours are floats: the sum adds them in (id, path) order, as the figures always did
    first = AnnualPart("a.yaml", "a", (("hours", "", 0.1),))
    second = AnnualPart("b.yaml", "b", (("hours", "", 1e16),))
    third = AnnualPart("c.yaml", "c", (("hours", "", -1e16),))
    assert (0.1 + 1e16) + -1e16 != (-1e16 + 1e16) + 0.1  # the order shows
    assert annual_sum(spec, [third, second, first], "2026-27", TODAY).value("hours") == round((0.1 + 1e16) + -1e16, 9)


def test_the_roster_is_matched_in_the_sum_not_in_the_part(spec, loaded, roster):
    """A part does not depend on the roster: kept once, it serves a run with or without one."""
    item = loaded[0]
    part = portfolio_part(spec, item, TODAY)
    alone = year_figures(spec, [item], TODAY, None, [part])
    with_roster = year_figures(spec, [item], TODAY, roster, [part])
    assert list(alone) == list(with_roster)
    assert any(figures.get("roster_recipients") is not None for figures in with_roster.values())
    assert all(figures.get("roster_recipients") is None for figures in alone.values())


def test_sources_from_parts_are_those_from_the_engagements(spec, loaded):
    parts = [portfolio_part(spec, item, TODAY) for item in loaded]
    page_of = "engagements/{}/index.html".format
    assert source_pages(loaded, page_of, parts) == source_pages(loaded, page_of)


def test_coverage_from_parts_is_that_from_the_engagements(spec, loaded, roster):
    from tacli.output.site import coverage_view

    parts = [portfolio_part(spec, item, TODAY) for item in loaded]
    assert coverage_view(roster, loaded, TODAY, parts) == coverage_view(roster, loaded, TODAY)
    renamed = [replace(part, title="Renamed " + part.title) for part in parts]
    assert coverage_view(roster, loaded, TODAY, renamed) != coverage_view(roster, loaded, TODAY) or not coverage_view(roster, loaded, TODAY)["unknown"]
