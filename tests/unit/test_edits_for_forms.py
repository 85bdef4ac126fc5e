"""What the edit path gives a form (tacli serve) beyond the command line: a
change refused when the file is no longer the one shown (its digest), a dry
run that checks and writes nothing, the plan's elements set in place, a whole
file's text replaced (refused with every finding when invalid), and the
warning of a not-applicable duty the standards make unconditional."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from conftest import EXAMPLES, TODAY, run_in_process
from tacli.commands import CommonOptions
from tacli.commands.edits import MarkOptions, PlanOptions, TextOptions, mark, plan, same_line_endings, save_text
from tacli.write.edit import ChangedOnDisk, EditError, InvalidEdit, digest

COMMON = CommonOptions(today=TODAY.isoformat())
ELM = "elm-street-data-teams.yaml"
SERVICE = "2026-11-17-principal-call"


@pytest.fixture
def elm(tmp_path, monkeypatch) -> Path:
    shutil.copy(EXAMPLES / ELM, tmp_path / ELM)
    monkeypatch.chdir(tmp_path)
    return tmp_path / ELM


def data_of(path: Path):
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_an_edit_made_from_an_older_copy_is_refused_and_writes_nothing(elm):
    shown = digest(elm.read_bytes())
    elm.write_text(elm.read_text(encoding="utf-8") + "# a note from another editor\n", encoding="utf-8")
    before = elm.read_bytes()
    options = MarkOptions(COMMON, ELM, ("follow-up.facilitator.debrief-with-director",), SERVICE, done=True, expected=shown)
    with pytest.raises(ChangedOnDisk, match="changed on disk since it was shown"):
        mark(options)
    assert elm.read_bytes() == before
    mark(MarkOptions(COMMON, ELM, ("follow-up.facilitator.debrief-with-director",), SERVICE, done=True, expected=digest(before)))
    assert elm.read_bytes() != before


def test_a_dry_run_checks_as_the_edit_does_and_writes_nothing(elm):
    before = elm.read_bytes()
    mark(MarkOptions(COMMON, ELM, ("follow-up.facilitator.debrief-with-director",), SERVICE, done=True, dry_run=True))
    with pytest.raises(EditError, match="before its service"):
        mark(MarkOptions(COMMON, ELM, ("follow-up.facilitator.debrief-with-director",), SERVICE, done=True, date="2026-11-01", dry_run=True))
    assert elm.read_bytes() == before


def test_marking_an_unconditional_duty_not_applicable_warns(elm):
    outcome = mark(MarkOptions(COMMON, ELM, ("follow-up.facilitator.debrief-with-director",), SERVICE, na="the director was away"))
    assert any("not conditional in the standards" in note and "duty-not-conditional" in note for note in outcome.notes)


def test_the_plan_elements_are_set_in_place_keeping_the_rest(elm):
    before = elm.read_text(encoding="utf-8")
    logic = {"inputs": ["Facilitator time (10 days)", "State test and CFA results", "Common planning periods"],
             "activities": ["Data team launch training"], "outputs": [], "outcomes": ["Instruction: adjusted # from data"]}
    plan(PlanOptions(COMMON, ELM, (("logic_model", logic), ("fit_assessments", "First line.\n\nSecond paragraph."))))
    after = elm.read_text(encoding="utf-8")
    data = data_of(elm)["plan"]
    assert data["logic_model"] == logic
    assert data["fit_assessments"] == "First line.\n\nSecond paragraph."
    assert "    inputs: [Facilitator time (10 days), \"State test and CFA results\", Common planning periods]\n" in after  # unchanged: as written
    assert before.splitlines()[:30] == after.splitlines()[:30]
    assert run_in_process("check", "--today", TODAY.isoformat(), ELM, cwd=elm.parent).returncode in (0, 1)
    with pytest.raises(EditError, match="nothing changed"):
        plan(PlanOptions(COMMON, ELM, (("logic_model", logic),)))


def test_the_plan_of_a_new_engagement_is_filled_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    made = run_in_process("new", "engagement", "Oak Hill data teams", "--recipient", "Oak Hill School", "--organization", "CREC",
                          "--facilitator", "Dana Ruiz", "--tier", "targeted", "--start", "2026-09-01", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    file = "engagements/oak-hill-data-teams.yaml"
    people = [{"name": "Dana Ruiz", "title": "RESC facilitator", "role": "facilitator", "responsibilities": ["Plan the sessions", "Coach"], "contribution": "Builds capacity"},
              {"name": "Grade 3 team", "role": "participants", "responsibilities": ["Bring data"]}]
    values = (("objectives_and_goals", {"objectives": ["Teams meet every two weeks"], "goals": ["Reading up 10 points"]}),
              ("intervention_practices", ["Data teams", "true"]),
              ("fit_assessments", "It fits the school plan."),
              ("logic_model", {"inputs": ["Time"], "activities": ["Training"], "outputs": ["Teams"], "outcomes": ["Better reading"]}),
              ("ta_resources", ["Guide"]),
              ("staff_roles", people))
    plan(PlanOptions(COMMON, file, values))
    data = data_of(tmp_path / file)["plan"]
    assert data["intervention_practices"] == ["Data teams", "true"]
    assert data["fit_assessments"] == "It fits the school plan."
    assert data["staff_roles"][1] == {"name": "Grade 3 team", "role": "participants", "responsibilities": ["Bring data"]}
    assert data["logic_model"]["outcomes"] == ["Better reading"]
    text = (tmp_path / file).read_text(encoding="utf-8")
    assert "# Logic Model or Theory of Change:" in text  # the definitions written above each element stay
    checked = run_in_process("check", "--today", TODAY.isoformat(), "--select", "plan-*", file, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout


@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12), min_size=1, max_size=4))
def test_a_text_of_several_lines_reads_back_as_typed(tmp_path_factory, lines):
    from tacli.io.yamlsource import load_bytes
    from tacli.io.yamltext import block_text

    text = "\n".join(lines)
    document = load_bytes(f"plan:\n  fit:{block_text(text, '    ')}\nother: 1\n".encode("utf-8"), "t.yaml")
    assert document.data["plan"]["fit"] == text
    assert document.data["other"] == 1


def test_a_whole_text_is_refused_with_every_finding_when_invalid(elm):
    before = elm.read_bytes()
    broken = elm.read_text(encoding="utf-8").replace("tier: targeted", "tier: tarketed").replace("mode: on-site", "mode: onsite", 1)
    with pytest.raises(InvalidEdit) as refused:
        save_text(TextOptions(COMMON, ELM, broken))
    assert len(refused.value.findings) >= 2
    assert {finding.line for finding in refused.value.findings} >= {broken.splitlines().index("tier: tarketed") + 1}
    assert elm.read_bytes() == before


def test_a_whole_text_keeps_the_file_s_line_endings_and_fixes_a_file(elm):
    text = elm.read_text(encoding="utf-8")
    elm.write_text(text.replace("tier: targeted", "tier: tarketed"), encoding="utf-8")  # a file to fix
    typed = text.replace("\n", "\r\n")  # as a browser's text area sends it
    save_text(TextOptions(COMMON, ELM, typed, expected=digest(elm.read_bytes())))
    assert elm.read_text(encoding="utf-8") == text
    assert same_line_endings("a\r\nb\n", "x\r\ny\r\n") == "a\r\nb\r\n"
