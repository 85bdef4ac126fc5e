"""The portfolio's key figures (tacli.domain.figures): what they count on the examples,
that they add up under any selection, and that their rules come from the
standards (training, the reach minimum) and the domain (school years)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date

import pytest
from conftest import EXAMPLES, TODAY

from tacli.domain.school_years import school_year, school_year_dates, school_years
from tacli.domain.figures import DutyCounts, ReportCounts, combine, engagement_figures, portfolio
from tacli.output.reports import load_engagements
from tacli.standards.spec import SpecError, load_spec, shipped_standards


@pytest.fixture(scope="module")
def examples(spec):
    loaded = load_engagements([str(EXAMPLES)], spec, TODAY)
    items, problems = loaded.engagements, loaded.problems
    assert not problems
    return {item.engagement.id: item.engagement for item in items}


def _figures(spec, engagements, **kwargs):
    return [engagement_figures(spec, e, TODAY, **kwargs) for _, e in sorted(engagements.items())]


# --- school years -------------------------------------------------------------


@pytest.mark.parametrize("day, year", [
    (date(2026, 7, 1), "2026-27"),
    (date(2027, 6, 30), "2026-27"),
    (date(2026, 6, 30), "2025-26"),
    (date(1999, 12, 31), "1999-00"),
])
def test_school_year_runs_july_to_june(day, year):
    assert school_year(day) == year


def test_school_years_spanned():
    assert school_years(date(2025, 7, 1), date(2027, 7, 1)) == ["2025-26", "2026-27", "2027-28"]
    assert school_years(date(2026, 9, 1), date(2026, 10, 1)) == ["2026-27"]
    assert school_years(date(2026, 9, 1), date(2026, 8, 1)) == []
    assert school_year_dates("2026-27") == (date(2026, 7, 1), date(2027, 6, 30))
    assert all(school_year(day) == "2026-27" for day in school_year_dates("2026-27"))


# --- training and technical assistance -------------------------------------------


def test_training_is_what_the_standards_call_training(spec):
    assert spec.training_support_types == {"professional-development", "training"}
    for item in spec.every("support_types"):
        assert item.counts_as in ("training", "technical-assistance") and item.note, item.id


def test_counts_as_belongs_to_support_types_only(tmp_path):
    folder = tmp_path / "standards"
    shutil.copytree(shipped_standards(), folder)
    path = folder / "csde.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    ref: Types of support, bullet 4, topic 1\n", "    ref: Types of support, bullet 4, topic 1\n    counts_as: training\n"), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(folder)
    assert "only support types do" in str(caught.value.findings[0].message)


# --- the examples' figures ---------------------------------------------------------


def test_examples_key_figures(spec, examples):
    total = combine(spec, _figures(spec, examples, path="x.yaml"))
    assert (total.engagements, total.recipients, total.title_i_recipients, total.services) == (4, 4, 3, 33)
    assert (total.hours, total.training_hours, total.ta_hours, total.title_i_hours) == (125.0, 21.0, 104.0, 106.5)
    assert total.title_i_share == pytest.approx(106.5 / 125)
    assert total.reports == ReportCounts(due=2, on_time=1, late=1, overdue=0, due_soon=1)
    assert total.reports.on_time_rate == 0.5 and total.reports.overdue == 0
    assert total.hours_by_partner == {"resc": 9.0, "serc": 97.5, "": 18.5}
    assert list(total.hours_by_support_type) == [t for t in spec.ids("support_types") if t in total.hours_by_support_type]
    assert sum(total.hours_by_support_type.values()) == total.hours == sum(total.hours_by_month.values())
    assert list(total.hours_by_month) == sorted(total.hours_by_month)
    assert [d.stage for d in total.duties] == ["planning", "delivery", "follow-up"]
    assert total.duties[0] == DutyCounts("planning", done=36, not_applicable=3, open=0)


def test_coaching_against_the_cap(spec, examples):
    figures = engagement_figures(spec, examples["little-acorns-oec-coaching"], TODAY)
    assert (figures.coaching.cap, figures.coaching.counted, figures.coaching.over) == (21.0, 16.5, False)
    assert figures.hours == 18.5  # the training hours do not count against the cap
    assert engagement_figures(spec, examples["elm-street-data-teams"], TODAY).coaching is None


def test_reach_against_the_standards_minimum(spec, examples, tmp_path):
    reach = engagement_figures(spec, examples["riverside-district-intensive"], TODAY).reach
    assert (reach.intended, reach.reached, reach.minimum_percent) == (2400, 1150, 60.0)
    assert reach.percent == pytest.approx(1150 * 100 / 2400) and reach.meets_minimum is False
    folder = tmp_path / "standards"
    shutil.copytree(shipped_standards(), folder)
    fixsen = folder / "fixsen.yaml"
    text = fixsen.read_text(encoding="utf-8")
    assert "  reach_min_percent:\n    value: 60\n" in text
    fixsen.write_text(text.replace("  reach_min_percent:\n    value: 60\n", "  reach_min_percent:\n    value: 40\n"), encoding="utf-8")
    other = load_spec(folder)
    items = load_engagements([str(EXAMPLES / "riverside-district-intensive.yaml")], other, TODAY).engagements
    reach = engagement_figures(other, items[0].engagement, TODAY).reach
    assert (reach.minimum_percent, reach.meets_minimum) == (40.0, True)


def test_dimensions_for_the_filters(spec, examples):
    figures = engagement_figures(spec, examples["riverside-district-intensive"], TODAY)
    assert figures.school_years == ("2025-26", "2026-27", "2027-28")
    assert figures.facilitators == ("Keisha Brown",)
    assert (figures.partner, figures.tier, figures.intensive) == ("serc", "intensive", True)


def test_items_are_the_obligations_overdue_or_due_soon(spec, examples):
    figures = engagement_figures(spec, examples["elm-street-data-teams"], TODAY, path="elm.yaml")
    assert figures.items and all((item.due - TODAY).days <= 7 for item in figures.items)
    assert all("elm.yaml" in item.command for item in figures.items)


# --- adding up -------------------------------------------------------------------


def test_school_years_add_up_to_the_whole(spec, examples):
    whole = combine(spec, _figures(spec, examples))
    years = [engagement_figures(spec, e, TODAY, school_year=y) for e in examples.values() for y in engagement_figures(spec, e, TODAY).school_years]
    by_year = combine(spec, years)
    assert (by_year.engagements, by_year.recipients, by_year.services, by_year.hours) == (whole.engagements, whole.recipients, whole.services, whole.hours)
    assert (by_year.reports, by_year.duties, by_year.hours_by_month, by_year.coaching, by_year.reach) == (whole.reports, whole.duties, whole.hours_by_month, whole.coaching, whole.reach)
    assert by_year.items == whole.items
    one_year = combine(spec, [f for f in years if f.school_year == "2025-26"])
    assert one_year.hours == sum(v for k, v in whole.hours_by_month.items() if "2025-07" <= k <= "2026-06")


def test_a_recipient_served_twice_counts_once(spec, examples):
    first = engagement_figures(spec, examples["elm-street-data-teams"], TODAY)
    second = replace(first, engagement_id="elm-street-again")
    total = combine(spec, [first, second])
    assert (total.engagements, total.recipients, total.hours) == (2, 1, 2 * first.hours)


def test_nothing_to_combine(spec):
    total = combine(spec, [])
    assert (total.engagements, total.recipients, total.hours, total.title_i_share, total.reports.on_time_rate) == (0, 0, 0, None, None)


def test_portfolio_is_combine_of_every_engagement(spec, examples):
    assert portfolio(spec, examples.values(), TODAY) == combine(spec, _figures(spec, examples))


def test_figures_are_data_not_text(spec, examples):
    from tacli.core.markdown import Text

    figures = engagement_figures(spec, examples["elm-street-data-teams"], TODAY)
    values = [figures.engagement_id, figures.title, *figures.facilitators, *figures.hours_by_topic]
    assert not any(isinstance(value, Text) for value in values)


# --- reports on time per month --------------------------------------------------------


def test_reports_per_month_count_each_report_in_its_services_month(spec, examples):
    from tacli.domain.reports import report_month

    total = combine(spec, _figures(spec, examples))
    assert total.reports_by_month == {
        "2026-09": ReportCounts(due=1, on_time=1),
        "2026-10": ReportCounts(due=1, late=1),
        "2026-11": ReportCounts(due_soon=1),
    }
    assert sum(total.reports_by_month.values(), ReportCounts()) == total.reports
    assert [total.reports_by_month[m].on_time_rate for m in total.reports_by_month] == [1.0, 0.0, None]
    engagement = examples["elm-street-data-teams"]
    assert {report_month(s) for s in engagement.services} >= set(total.reports_by_month)


def test_reports_per_month_add_up_over_school_years(spec, examples):
    for engagement in examples.values():
        whole = engagement_figures(spec, engagement, TODAY)
        parts = [engagement_figures(spec, engagement, TODAY, school_year=year) for year in whole.school_years]
        assert combine(spec, parts).reports_by_month == combine(spec, [whole]).reports_by_month
        for part in parts:
            assert all(school_year(date(int(m[:4]), int(m[5:]), 1)) == part.school_year for m in part.reports_by_month)


def test_a_service_thousands_of_years_ahead_costs_each_year_one_shared_list_of_years(spec, examples):
    """An engagement with no end yet (9999-12-31) and one service dated years
    ahead (a slip of the year) spans that many school years. The site works
    out its figures for each of them: each holding its own list of every year
    made time and memory grow with the square of the years (with 9999, `tacli
    site` filled 1.4 GB and was killed); the years' figures now share the list.
    Here 2626: 600 years, quick either way."""
    from tacli.output.reports import FileResult
    from tacli.output.site import engagement_years

    engagement = examples["hartford-data-webinars"]
    last = max(engagement.services, key=lambda service: service.date)
    far = engagement.model_copy(update={
        "end": date(9999, 12, 31),
        "services": [*[s for s in engagement.services if s is not last], last.model_copy(update={"date": date(2626, 11, 10)})],
    })
    full, by_year = engagement_years(spec, FileResult("far.yaml", [], engagement=far), TODAY)
    assert len(full.school_years) > 600 and full.school_years[-1] == "2627-28"
    assert len(by_year) == len(full.school_years)
    assert all(part.school_years is full.school_years for part in by_year)
    assert sum(part.services for part in by_year) == full.services and by_year[full.school_years.index("2626-27")].services == 1
