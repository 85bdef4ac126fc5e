"""The views of what the site tells funders (tacli.output.site_annual, and
output.site's coverage and reports by month): every annual figure has its
place and its words, values are shown as the figures say them, and nothing is
counted here."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import EXAMPLES, TODAY

from tacli.domain.annual import FIGURES, SHARES, Figure
from tacli.domain.reports import ReportCounts
from tacli.output.site import coverage_view, report_month_rows
from tacli.output.site_annual import COUNTED_OVER, LABELS, SECTIONS, _over, annual_index_view, annual_view, annual_years, figure_text


@pytest.fixture(scope="module")
def loaded(spec):
    from tacli.output.reports import load_engagements

    return load_engagements([str(EXAMPLES)], spec, TODAY).engagements


def test_every_annual_figure_has_a_section_and_a_label():
    placed = [figure for _, _, ids in SECTIONS for figure in ids]
    assert sorted(placed) == sorted(FIGURES) and len(placed) == len(set(placed))
    assert set(LABELS) == set(FIGURES)
    assert set(COUNTED_OVER) <= set(FIGURES)


@pytest.mark.parametrize("figure, shown, over", [
    (Figure("hours", "", 121.5), "121.5", ""),
    (Figure("engagements", "", 3), "3", ""),
    (Figure("roster_share_served", "", 2 / 7, 7), "28.6%", "of 7 on the roster"),
    (Figure("reports_on_time_rate", "", None, 0), "–", "of 0 reports due"),
    (Figure("reports_on_time_rate_by_month", "2026-09", 1.0, 1), "100%", "of 1 report due"),
    (Figure("evaluation_mean", "quality", 4.6113, 40), "4.61", "over 40 forms"),
    (Figure("training_hours_by_mode", "virtual", 2.0), "2", ""),
])
def test_a_value_is_shown_as_the_figure_says_it(figure, shown, over):
    assert figure_text(figure) == shown
    assert _over(figure) == over
    assert (figure.figure in SHARES) == shown.endswith("%") or figure.value is None


def test_a_figure_the_page_does_not_know_still_shows(spec, loaded):
    from dataclasses import replace

    from tacli.domain.annual import annual_figures
    from tacli.output.views.common import Lookups

    found = annual_figures(spec, [(item.name, item.engagement) for item in loaded], "2026-27", TODAY)
    more = replace(found, figures=found.figures + (Figure("new_figure", "", 5, None, (loaded[0].name,)),))
    view = annual_view(spec, more, {}, Lookups(spec), ["2026-27"])
    assert view["sections"][-1]["title"] == "Other figures" and view["sections"][-1]["rows"][0]["value"] == "5"
    assert sum(len(section["rows"]) for section in view["sections"]) == len(more.figures)
    assert not any(section["id"] == "coverage" for section in annual_view(spec, found, {}, Lookups(spec), [])["sections"])  # no roster, no coverage


def test_the_years_are_those_with_a_service_held_newest_first(loaded):
    assert annual_years(loaded, TODAY) == ["2026-27", "2025-26", "2021-22"]
    assert annual_years(loaded, date(2021, 12, 31)) == ["2021-22"]
    assert annual_years(loaded, date(2000, 1, 1)) == []
    assert annual_index_view({}) == {"columns": [], "rows": []}


def test_reports_by_month_rows_keep_the_months_with_a_report_due():
    rows = report_month_rows({"2026-09": ReportCounts(due=2, on_time=1, late=1), "2026-10": ReportCounts(due_soon=1), "2026-11": ReportCounts(due=1, overdue=1)})
    assert rows == [["2026-09", 2, 1, 1, 0, 0.5], ["2026-11", 1, 0, 0, 1, 0.0]]


def test_coverage_needs_a_roster_and_counts_none_itself(loaded):
    from tacli.domain.coverage import coverage, served_among, served_by
    from tacli.reading.roster import load_roster

    assert coverage_view(None, loaded, TODAY) is None
    roster = load_roster(EXAMPLES / "roster.yaml")
    view = coverage_view(roster, loaded, TODAY)
    covered = coverage(roster, [served_by(item.name, item.engagement) for item in loaded], TODAY)
    for key, flag in (("served", None), ("title_i", "title_i"), ("in_need", "in_need_of_improvement"), ("priority", "priority")):
        count, among = served_among(covered, flag)
        assert view[key] == [count, among, count / among]
    assert [row["priority"] for row in view["unserved"]] == sorted((row["priority"] for row in view["unserved"]), reverse=True)
    assert view["unknown"] == [] and view["days"] == 365


def test_sections_name_the_framework_their_levels_and_ratings_come_from(spec, loaded):
    from tacli.domain.annual import annual_figures
    from tacli.output.views.common import Lookups

    found = annual_figures(spec, [(item.name, item.engagement) for item in loaded], "2026-27", TODAY)
    sources = {section["id"]: section["source"] for section in annual_view(spec, found, {}, Lookups(spec), ["2026-27"])["sections"]}
    assert "OSEP" in sources["levels"] and "OSEP" in sources["evaluations"] and "Guskey" in sources["outcomes"]
    assert sources["hours"] is None and sources["reports"] is None
