"""Properties of the edits that record a reviewer's decision, evaluation forms
and outcome evidence, over generated texts: a recorded value reads back
identical through tacli's reader and through ruamel.yaml's YAML 1.2 parser,
a successful edit only adds lines (or changes its own), and a refused one
leaves the file byte-identical.

The number of generated examples is small by default, to keep the suite
fast; set TACLI_HYPOTHESIS_EXAMPLES for a long run.
"""

from __future__ import annotations

import difflib
import os
import shutil

from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tacli.commands import CommonOptions
from tacli.commands.edits import EvaluationInput, NewOutcomeOptions, new_outcome
from tacli.commands.tast import TastOptions, run as tast
from tacli.core.outcome import UsageError
from tacli.io.yamlsource import load_bytes

COMMON = CommonOptions(today="2026-11-22")
PROPERTY = settings(
    max_examples=int(os.environ.get("TACLI_HYPOTHESIS_EXAMPLES", "15")), deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
texts = st.one_of(
    st.text(min_size=1, max_size=80),
    st.sampled_from(["yes", "~", "null", "a: b", "a #b", "- x", "[x]", "{x}", "'quoted'", '"double"', "2026-10-01", "1e5", "\u2028", "x\ny"]),
)


def _yaml12(text: str):
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


def _removed(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line.startswith("- ")]


def _edited(path, edit) -> tuple[str, str] | None:
    """The file's text before and after `edit()`, or None when the edit is
    refused, which must leave the file byte-identical."""
    before = path.read_bytes()
    try:
        edit()
    except UsageError:
        assert path.read_bytes() == before
        return None
    return before.decode("utf-8"), path.read_text(encoding="utf-8")


def _readings(path, text: str) -> tuple:
    """`text` as tacli's reader reads it and as ruamel.yaml's YAML 1.2 parser does."""
    return load_bytes(text.encode("utf-8"), str(path)).data, _yaml12(text)


def _elm(tmp_path, name: str):
    path = tmp_path / name
    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", path)
    return path


@PROPERTY
@given(note=texts, approve=st.booleans())
def test_a_decision_only_adds_its_line_and_its_note_reads_back(tmp_path, note, approve):
    path = _elm(tmp_path, f"review-{abs(hash((note, approve)))}.yaml")
    decision = {"note": note, "approve": True} if approve else {"request_changes": note}
    edited = _edited(path, lambda: tast(TastOptions(COMMON, str(path), "2026-09-29-data-teams-launch", review="Terry Walsh", **decision)))
    if edited is None:
        return
    before, after = edited
    assert _removed(before, after) == []
    for data in _readings(path, after):
        service = next(s for s in data["services"] if s["id"] == "2026-09-29-data-teams-launch")
        last = service["tast_report"]["reviews"][-1]
        assert last["reviewer"] == "Terry Walsh" and last["note"] == note.strip()
        assert last["decision"] == ("approved" if approve else "changes-requested")


@PROPERTY
@given(observed=texts, evidence=st.one_of(st.none(), texts), level=st.sampled_from(["reactions", "learning", "organization", "use", "students"]),
       day=st.sampled_from(["2026-09-01", "2026-10-27", "2026-11-22"]))
def test_outcome_evidence_only_adds_lines_and_reads_back(tmp_path, observed, evidence, level, day):
    path = _elm(tmp_path, f"outcome-{abs(hash((observed, evidence, level, day)))}.yaml")
    edited = _edited(path, lambda: new_outcome(NewOutcomeOptions(COMMON, str(path), level, day, observed, evidence)))
    if edited is None:
        return
    before, after = edited
    assert _removed(before, after) == []
    for data in _readings(path, after):
        entries = data["outcomes"]
        dates = [str(entry["date"]) for entry in entries]
        assert dates == sorted(dates)  # in date order
        assert any(entry["observed"] == observed.strip() and entry["level"] == level and entry.get("evidence") == (evidence.strip() if evidence else None) for entry in entries)


@PROPERTY
@given(comments=st.lists(texts, min_size=1, max_size=3), returned=st.integers(min_value=0, max_value=40), mean=st.floats(min_value=0, max_value=6, allow_nan=False))
def test_evaluation_forms_read_back_or_the_file_is_untouched(tmp_path, comments, returned, mean):
    path = _elm(tmp_path, f"forms-{abs(hash((tuple(comments), returned, mean)))}.yaml")
    given_ = EvaluationInput(requested=None, returned=returned, ratings=(f"quality={mean!r}",), comments=tuple(comments))
    edited = _edited(path, lambda: tast(TastOptions(COMMON, str(path), "2026-11-17-principal-call", evaluation=given_)))
    if edited is None:
        return
    assert 1 <= mean <= 5 and returned > 0  # on the scale, and the mean of some forms
    _, after = edited
    for data in _readings(path, after):
        forms = next(s for s in data["services"] if s["id"] == "2026-11-17-principal-call")["evaluation_forms"]
        assert forms["returned"] == returned and forms["ratings"]["quality"] == mean
        assert forms["comments"] == [c.strip() for c in comments]  # two participants may write the same words
