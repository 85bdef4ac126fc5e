"""A standards folder's own mistakes, each at its file, line and column: the
references the rules read (a report's duty, a duty's record, the support types
and modes a limit or condition counts, a term's dates)."""

from __future__ import annotations

import shutil

import pytest
from conftest import MINI_STANDARDS

from tacli.standards.spec import SpecError, load_spec


def problems(tmp_path, old: str, new: str) -> list[tuple[int, int, str]]:
    folder = tmp_path / "standards"
    shutil.copytree(MINI_STANDARDS, folder)
    matrix = folder / "matrix.yaml"
    text = matrix.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    matrix.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(folder)
    return [(f.line, f.column, f.message) for f in caught.value.findings if f.path.endswith("matrix.yaml")]


def test_the_mini_standards_load():
    spec = load_spec(MINI_STANDARDS)
    assert spec.frameworks["mini"].report.duty == "follow-up.facilitator.write-report"


def test_a_report_naming_a_duty_that_is_not_there(tmp_path):
    assert problems(tmp_path, "  duty: follow-up.facilitator.write-report", "  duty: follow-up.facilitator.write-it") == [
        (45, 9, "the report names duty 'follow-up.facilitator.write-it', which this file's duties do not define"),
    ]


def test_a_duty_recorded_in_an_unknown_place(tmp_path):
    found = problems(tmp_path, "    recorded_in: service.agenda", "    recorded_in: agenda")
    assert found[0][2] == "duty 'planning.facilitator.prepare-agenda' is recorded in 'agenda': write service.<key> or engagement.<key>.<key> (docs/standards-format.md)"


def test_a_limit_counting_an_unknown_support_type(tmp_path):
    found = problems(tmp_path, "    support_types: [coaching]\n  reach_min_percent", "    support_types: [coching]\n  reach_min_percent")
    assert [message for _, _, message in found] == ["support type 'coching' is defined by no framework"]


def test_a_condition_with_an_unknown_mode(tmp_path):
    found = problems(tmp_path, "    modes: [virtual]", "    modes: [zoom]")
    assert [message for _, _, message in found] == ["unknown delivery mode 'zoom': the modes are on-site, virtual, telephone"]


def test_a_term_ending_before_it_starts(tmp_path):
    found = problems(tmp_path, "    ends: 2026-12-31", "    ends: 2026-08-31")
    assert [message for _, _, message in found] == ["term 'autumn-2026' needs both starts and ends, the first on or before the last"]


def test_an_unknown_due_rule(tmp_path):
    found = problems(tmp_path, "    due: engagement-end", "    due: whenever")
    assert "whenever" in found[0][2] or "due" in found[0][2]


@pytest.mark.parametrize("text, said", [
    ("", "the file holds no YAML document: write the framework as a mapping of its keys (docs/standards-format.md)"),
    ("zz: " + "[" * 100 + "]" * 100 + "\n", "a standards file needs far fewer"),
])
def test_the_reader_s_words_for_a_standards_file_are_not_an_engagement_s(tmp_path, text, said):
    """A center's data person editing its standards was told to run `tacli new engagement`."""
    folder = tmp_path / "standards"
    shutil.copytree(MINI_STANDARDS, folder)
    (folder / "broken.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(folder)
    messages = [item.message for item in caught.value.findings]
    assert any(said in message for message in messages), messages
    assert not any("engagement" in message for message in messages), messages
