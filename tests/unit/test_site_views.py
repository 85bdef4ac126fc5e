"""The data the site's pages are drawn from: what an obligation asks in plain
words (tacli.domain.obligations), the figures per facilitator and the items of
a school year (tacli.domain.figures), and the dashboard's own rules that
site.js follows too (tacli.output.site): the month axis with its gaps, reach
against both lines, the counts above the list of items."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import EXAMPLES, TODAY

from tacli.domain.figures import FacilitatorFigures, Reach, combine, engagement_figures, item_counts
from tacli.domain.obligations import DUTIES, ENGAGEMENT_END, FIDELITY_REVIEW, REPORT, Obligation, obligations
from tacli.domain.reports import ReportCounts
from tacli.domain.school_years import school_year
from tacli.output.reports import load_engagements
from tacli.output.site import MONTH_GAP, framework_name, item_counts_text, month_rows, reach_standing, reach_view


@pytest.fixture(scope="module")
def examples(spec):
    loaded = load_engagements([str(EXAMPLES)], spec, TODAY)
    return {item.engagement.id: item for item in loaded.engagements}


def _obligation(kind=REPORT, due=date(2026, 11, 24), **facts) -> Obligation:
    base = {"engagement_id": "elm", "engagement_title": "Elm", "path": "elm.yaml", "facilitator": "Dana Ruiz", "engagement_facilitator": "Dana Ruiz"}
    return Obligation(kind, due, "what", "tacli x", **{**base, **facts})


# --- plain words ------------------------------------------------------------------


def test_every_obligation_of_the_examples_says_what_it_asks_without_a_command_or_a_file(spec, examples):
    seen = set()
    for item in examples.values():
        for obligation in obligations(spec, item.engagement, "examples/x.yaml", TODAY):
            seen.add(obligation.kind)
            for words in (obligation.plain(), obligation.plain(TODAY)):
                assert obligation.subject and obligation.action
                assert "tacli" not in words and ".yaml" not in words and "intensive." not in words and "--" not in words, words
                assert not words[0].islower() and words.endswith("."), words
    assert {REPORT, DUTIES, FIDELITY_REVIEW} <= seen


def test_plain_words_say_the_service_and_when(spec, examples):
    found = {o.plain(TODAY) for o in obligations(spec, examples["elm-street-data-teams"].engagement, "elm.yaml", TODAY)}
    assert "The TAST Report of “Check-in call with the principal” (2026-11-17) is due by 2026-11-24: complete it." in found
    assert ("The Follow Up duty “Review TAST report” of “Coaching the grade 3 data team” (2026-10-27) is overdue (due by 2026-11-17): "
            "do it and mark it done.") in found
    assert "6 Follow Up duties of “Check-in call with the principal” (2026-11-17) are due by 2026-11-24: do them and mark them done." in found
    review = next(o for o in obligations(spec, examples["riverside-district-intensive"].engagement, "r.yaml", TODAY) if o.kind == FIDELITY_REVIEW)
    assert review.plain(TODAY) == "The next fidelity review is due by 2026-12-23: hold it and record it."
    assert review.plain() == "The next fidelity review: hold it and record it."
    assert review.command == "add it to intensive.fidelity_reviews in r.yaml"  # the command stays, for the facilitator


def test_the_day_itself_and_the_engagement_end():
    due_today = _obligation(due=TODAY, subject="the TAST Report", action="complete it", service_id="s", service_date=date(2026, 11, 20), service_label="Visit")
    assert due_today.plain(TODAY) == "The TAST Report of “Visit” (2026-11-20) is due today (2026-11-22): complete it."
    end = _obligation(ENGAGEMENT_END, due=date(2027, 6, 30), subject="3 open items", action="close them before it ends")
    assert end.plain(TODAY) == "The engagement ends on 2027-06-30 with 3 open items: close them before it ends."
    assert end.plain() == "3 open items when the engagement ends: close them before it ends."
    assert _obligation().plain() == "What: record it."  # one made elsewhere, with no plain words: its `what`


def test_a_group_of_duties_counts_as_its_duties():
    group = _obligation(DUTIES, items=("a", "b", "c"))
    assert (group.size, group.count_text()) == (3, "3 duties")
    assert (_obligation(DUTIES, items=("a",)).count_text(), _obligation().count_text()) == ("1 duty", "1 report")
    counts = item_counts([group, _obligation(due=date(2026, 11, 1)), _obligation(DUTIES, due=date(2026, 11, 1), items=("x",))], TODAY)
    assert counts == {REPORT: (1, 0), DUTIES: (1, 3)}  # (overdue, due from today on), kinds in their order
    assert list(counts) == [REPORT, DUTIES]


# --- figures per facilitator, and the items of a school year ---------------------------


def test_facilitators_add_up_to_the_portfolio(spec, examples):
    every = [engagement_figures(spec, item.engagement, TODAY, path=item.name) for item in examples.values()]
    total = combine(spec, every)
    people = total.by_facilitator
    assert list(people) == ["Dana Ruiz", "Jordan Lee", "Keisha Brown", "Sam Okafor"]  # Maria Lopez asked for changes: Dana Ruiz owes the revision
    assert sum(p.services for p in people.values()) == total.services
    assert sum(p.hours for p in people.values()) == total.hours
    assert sum((p.reports for p in people.values()), ReportCounts()) == total.reports
    overdue = sum(o.size for o in total.items if o.overdue(TODAY))
    assert sum(p.overdue for p in people.values()) == overdue == 4
    assert people["Dana Ruiz"] == FacilitatorFigures(engagements=1, services=3, hours=9.0, reports=ReportCounts(2, 1, 1, 0, 1), overdue=4)


def test_a_facilitator_of_one_service_counts_the_engagement_once(spec, examples):
    item = examples["elm-street-data-teams"]
    engagement = item.engagement
    guest = engagement.services[0].model_copy(update={"facilitator": engagement.provider.facilitator.model_copy(update={"name": "Ann  Other"})})
    changed = engagement.model_copy(update={"services": [guest, *engagement.services[1:]]})
    years = [engagement_figures(spec, changed, TODAY, school_year=year) for year in engagement_figures(spec, changed, TODAY).school_years]
    total = combine(spec, years + [replace(engagement_figures(spec, changed, TODAY), engagement_id="again")])
    assert total.by_facilitator["Ann Other"].engagements == 2  # this engagement (its years once) and the copy
    assert total.by_facilitator["Ann Other"].services == 2 and total.by_facilitator["Dana Ruiz"].services == 4


def test_an_item_counts_in_its_services_school_year(spec, examples):
    item = examples["riverside-district-intensive"]
    whole = engagement_figures(spec, item.engagement, TODAY, path=item.name)
    by_year = {year: engagement_figures(spec, item.engagement, TODAY, school_year=year, path=item.name) for year in whole.school_years}
    assert sorted(o.uid for f in by_year.values() for o in f.items) == sorted(o.uid for o in whole.items)
    for year, figures in by_year.items():
        for obligation in figures.items:
            assert (school_year(obligation.service_date) if obligation.service_date else school_year(TODAY)) == year
    ended = whole.school_years[0]  # the engagement's own items in its last school year, once it is over
    from tacli.domain.figures import items_year

    assert items_year(_obligation(FIDELITY_REVIEW), (ended,), TODAY) == ended


# --- the dashboard's rules --------------------------------------------------------------


def test_months_run_on_with_short_gaps_and_break_at_long_ones():
    assert month_rows({}) == []
    assert month_rows({"2026-01": 2.0}) == [["2026-01", "2026-01", 2.0, 0]]
    assert month_rows({"2025-11": 1.0, "2026-02": 3.0}) == [
        ["2025-11", "2025-11", 1.0, 0], ["2025-12", "2025-12", 0, 0], ["2026-01", "2026-01", 0, 0], ["2026-02", "2026-02", 3.0, 0]]
    rows = month_rows({"2021-12": 2.5, "2025-07": 4.0})
    assert rows == [["2021-12", "2021-12", 2.5, 0], ["2022-01/2025-06", "2022-01 to 2025-06", None, 42], ["2025-07", "2025-07", 4.0, 0]]
    edge = {"2026-01": 1.0, f"2026-{MONTH_GAP + 2:02d}": 1.0}  # exactly MONTH_GAP months without: still drawn month by month
    assert [row[2] for row in month_rows(edge)] == [1.0] + [0] * MONTH_GAP + [1.0]


@pytest.mark.parametrize("reached, intended, target, minimum, parts", [
    (1150, 2400, 75.0, 60.0, [["below its own target", True], ["below the standards' minimum", True]]),
    (1560, 2400, 75.0, 60.0, [["below its own target", True], ["meets the standards' minimum", False]]),
    (1800, 2400, 75.0, 60.0, [["meets its own target", False], ["meets the standards' minimum", False]]),
    (1800, 2400, None, 60.0, [["meets the standards' minimum", False]]),
    (None, 2400, 75.0, 60.0, [["not counted yet", False]]),
    (None, None, None, None, []),
])
def test_reach_says_which_line_it_is_about(reached, intended, target, minimum, parts):
    assert reach_standing(reached, intended, target, minimum) == parts


def test_reach_names_both_lines(spec, examples):
    reach = engagement_figures(spec, examples["riverside-district-intensive"].engagement, TODAY).reach
    assert (reach.minimum_framework, reach.meets_target, reach.meets_minimum) == ("fixsen", False, False)
    view = reach_view(spec, reach)
    assert {key: view[key] for key in ("reached", "share", "target", "minimum", "source")} == {
        "reached": "1150 of 2400", "share": "47.9%", "target": "75%", "minimum": "60%", "source": "Fixsen et al., 2009"}
    assert framework_name(spec.frameworks["cali"]) == spec.frameworks["cali"].title  # no source in its title: the title
    assert reach_view(spec, None) is None
    assert Reach("x", 10, 8, 75.0, None).meets_target is True


def test_the_counts_above_the_list_add_up_to_its_rows():
    assert item_counts_text({}, 7) == "Nothing is overdue or due within 7 days."
    assert item_counts_text({REPORT: (0, 1), DUTIES: (3, 6)}, 7) == "Overdue: 3 duties. Due within 7 days: 1 report, 6 duties."
    assert item_counts_text({FIDELITY_REVIEW: (1, 0)}, 7) == "Overdue: 1 fidelity review. Nothing else is due within 7 days."
    assert item_counts_text({DUTIES: (0, 1)}, 7) == "Nothing is overdue. Due within 7 days: 1 duty."


# --- fidelity -------------------------------------------------------------------


def test_fidelity_scores_are_given_by_measure_first_and_latest(spec, examples):
    from tacli.output.views.common import Lookups
    from tacli.output.views.plan import plan_context

    item = next(item for item in examples.values() if item.engagement.intensive and item.engagement.intensive.fidelity_reviews)
    intensive = plan_context(spec, item, TODAY, Lookups(spec))["intensive"]
    reviews = sorted(item.engagement.intensive.fidelity_reviews, key=lambda review: review.date)
    assert [review["score"] for review in intensive["fidelity_reviews"]] == [None if r.score is None else f"{r.score:g}" for r in reviews]
    measures = list(dict.fromkeys(r.measure or "" for r in reviews if r.score is not None))
    assert [trend["measure"] or "" for trend in intensive["fidelity_scores"]] == measures
    for trend in intensive["fidelity_scores"]:
        scored = [r for r in reviews if (r.measure or "") == (trend["measure"] or "") and r.score is not None]
        assert trend["reviews"] == len(scored)
        assert (trend["first"]["date"], trend["latest"]["date"]) == (scored[0].date.isoformat(), scored[-1].date.isoformat())
