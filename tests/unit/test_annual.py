"""The annual figures of a school year (tacli.domain.annual), on the examples
and on variations of them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import EXAMPLES, TODAY, checker_for
from tacli.domain.annual import FIGURES, SHARES, annual_figures, school_year_label

ELM = EXAMPLES / "elm-street-data-teams.yaml"
RIVERSIDE = EXAMPLES / "riverside-district-intensive.yaml"


def engagement(text: str, name: str = "case.yaml"):
    from tacli.io.yamlsource import load_bytes

    checker = checker_for(None)
    result = checker.read_document(load_bytes(text.encode("utf-8"), name))
    assert result.usable, [f.message for f in result.findings]
    return name, result.engagement


def examples():
    return [engagement(path.read_text(encoding="utf-8"), f"examples/{path.name}") for path in sorted(EXAMPLES.glob("*.yaml")) if path.name != "roster.yaml"]


def roster():
    from tacli.reading.roster import load_roster

    return load_roster(EXAMPLES / "roster.yaml", "examples/roster.yaml")


def figures(pairs, year="2026-27", today=TODAY, with_roster=True):
    return annual_figures(checker_for(None).spec, pairs, year, today, roster() if with_roster else None)


def test_the_examples_figures_of_2026_27():
    found = figures(examples())
    assert found.value("engagements") == 3 and found.value("services") == 11
    assert found.value("engagements_by_level", "universal") == 1  # tier: universal, an alias of basic
    assert found.value("engagements_by_level", "targeted") == 1
    assert found.value("engagements_by_level", "intensive") == 1  # tier: sustained, an alias of intensive
    assert found.value("training_hours") + found.value("ta_hours") == found.value("hours")
    assert found.value("training_hours_by_mode", "on-site") + found.value("training_hours_by_mode", "virtual") == found.value("training_hours") == 9
    assert found.value("recipients_served") == 3 and found.value("roster_recipients") == 7
    assert found.get("roster_share_served").value == pytest.approx(3 / 7) and found.get("roster_share_served").count == 7
    assert found.value("reports_due") == 2 and found.value("reports_on_time") == 1 and found.value("reports_late") == 1
    assert found.value("reports_on_time_rate_by_month", "2026-09") == 1.0
    assert found.value("reports_on_time_rate_by_facilitator", "Dana Ruiz") == 0.5
    assert found.value("reports_approved") == 1 and found.value("reports_waiting_review") == 0  # the other waits for its facilitator:
    assert found.value("reports_changes_asked") == 1  # Maria Lopez asked for changes not yet resubmitted
    assert found.get("evaluation_mean", "quality").count == 84  # 17 + 5, 12 + 10, 14 + 15 + 11 forms rated
    assert found.value("evaluation_forms_returned") == 85
    assert found.value("outcome_engagements_by_level", "students") == 1
    assert found.value("outcome_entries_by_level", "use") == 2
    assert found.files == ("examples/elm-street-data-teams.yaml", "examples/hartford-data-webinars.yaml", "examples/little-acorns-oec-coaching.yaml",
                           "examples/riverside-district-intensive.yaml")


def test_every_figure_names_its_files_and_only_the_ones_it_came_from():
    found = figures(examples())
    assert {row.figure for row in found.figures} == set(FIGURES)
    for row in found.figures:
        if row.value:
            assert row.files, row
        elif row.figure not in SHARES:
            assert not row.files, row
        assert "examples/little-acorns-oec-coaching.yaml" not in row.files  # its services were in 2021
    assert found.get("engagements_by_level", "targeted").files == ("examples/elm-street-data-teams.yaml",)
    assert "examples/roster.yaml" in found.get("roster_share_served").files


def test_an_older_year_counts_its_own_services_and_evidence():
    found = figures(examples(), "2021-22")
    assert found.value("engagements") == 1 and found.value("engagements_by_level", "targeted") == 1
    assert found.value("hours") == 18.5
    assert found.value("outcome_entries_by_level", "use") == 1
    assert found.value("reports_due") == 0 and found.value("reports_on_time_rate") is None
    assert found.complete and found.through == date(2022, 6, 30)


def test_a_service_planned_after_today_is_not_counted_yet():
    text = ELM.read_text(encoding="utf-8")
    found = figures([engagement(text, "elm.yaml")], today=date(2026, 10, 1))
    assert found.value("services") == 1 and found.value("hours") == 6
    assert found.value("outcome_engagements_by_level", "learning") == 0
    assert not found.complete and found.through == date(2026, 10, 1)


def test_levels_come_from_the_tiers_and_their_aliases():
    text = ELM.read_text(encoding="utf-8").replace("tier: targeted", "tier: universal")
    found = figures([engagement(text, "elm.yaml")])
    assert found.value("engagements_by_level", "universal") == 1
    assert found.value("services_by_level", "universal") == 3
    assert [row.breakdown for row in found.breakdowns("engagements_by_level")] == ["universal", "targeted", "intensive"]


def test_a_recipient_served_by_two_engagements_counts_once():
    text = ELM.read_text(encoding="utf-8")
    second = text.replace("id: elm-street-data-teams", "id: elm-street-second").replace("title_i: true", "title_i: false")
    found = figures([engagement(text, "a.yaml"), engagement(second, "b.yaml")])
    assert found.value("engagements") == 2 and found.value("recipients_served") == 1
    assert found.get("recipients_served").files == ("a.yaml", "b.yaml")
    assert found.value("title_i_recipients_served") == 1  # the roster says Title I
    alone = figures([engagement(second, "b.yaml")], with_roster=False)
    assert alone.value("title_i_recipients_served") == 0 and alone.get("roster_recipients") is None


def test_without_a_roster_there_are_no_roster_figures():
    found = figures(examples(), with_roster=False)
    assert not [row for row in found.figures if row.figure.startswith("roster_")]
    assert found.roster is None and found.value("recipients_served") == 3


@pytest.mark.parametrize("given, label", [("2026-27", "2026-27"), ("2026-2027", "2026-27"), (" 1999-00 ", "1999-00"), ("1999-2000", "1999-00")])
def test_school_year_labels(given, label):
    assert school_year_label(given) == label


@pytest.mark.parametrize("given, said", [("2026", "could be the school year 2026-27 or 2025-26"), ("2026-28", "runs from July of one year"),
                                          ("next year", "not a school year"), ("2026-2028", "runs from July")])
def test_school_years_refused(given, said):
    with pytest.raises(ValueError, match=said):
        school_year_label(given)


def test_shares_are_of_their_count():
    found = figures(examples())
    for row in found.figures:
        if row.figure in SHARES and row.value is not None:
            assert 0 <= row.value <= 1 and row.count, row
    assert Path(ELM).exists()
