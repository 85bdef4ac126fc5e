"""Properties of what edits write, over generated values and restyled files:
every value reads back identical, through tacli's reader and through
ruamel.yaml's YAML 1.2 parser; a successful edit changes only its own lines;
a refused edit leaves the file byte-identical.

The number of generated examples is small by default, to keep the suite
fast; set TACLI_HYPOTHESIS_EXAMPLES for a long run.
"""

from __future__ import annotations

import difflib
import io
import math
import os
from datetime import date

import pytest
from conftest import MINI_ENGAGEMENT, MINI_STANDARDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tacli.commands import CommonOptions
from tacli.commands.edits import MarkOptions, NewServiceOptions, mark, new_service
from tacli.core.outcome import UsageError
from tacli.io.yamlsource import load_bytes
from tacli.io.yamltext import flow_list, flow_mapping, id_scalar, scalar

COMMON = CommonOptions(standards=str(MINI_STANDARDS), today="2026-11-22")
PROPERTY = settings(
    max_examples=int(os.environ.get("TACLI_HYPOTHESIS_EXAMPLES", "15")), deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _yaml12(text: str):
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


def _same(a, b) -> bool:
    return (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)) or a == b


values = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8")),
    st.sampled_from(["yes", "No", "~", "null", "0o17", "1e5", ".inf", "2026-10-01", "a: b", "a #b", "- x", "[x]", "{x}", "Sign-in sheet\n", "\x85", "\u2028"]),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
)


@PROPERTY
@given(value=values)
def test_every_written_value_reads_back_identical(value):
    expected = value.isoformat() if isinstance(value, date) else value
    for text, read in (
        (f"k: {scalar(value)}\n", lambda data: data["k"]),
        (f"k: {flow_mapping({'v': value, 'w': 1})}\n", lambda data: data["k"].get("v")),
        (f"k: {flow_list([value, 1])}\n", lambda data: data["k"][0]),
        (f"- {scalar(value)}\n", lambda data: data[0]),
    ):
        assert _same(read(load_bytes(text.encode("utf-8"), "case.yaml").data), expected), text
        loaded = read(_yaml12(text))
        assert _same(loaded.isoformat() if isinstance(loaded, date) else loaded, expected), text


@PROPERTY
@given(value=st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,3}", fullmatch=True) | st.sampled_from(["0o17", "0x1f", "1e3", "1e-3", "2026", "2026-11-17", "0b101", "null", "true", "inf", "nan", "2026-11-17-call"]))
def test_every_id_written_reads_back_as_text_to_yaml_1_2_and_1_1_readers(value):
    """Ids are written plain (2026-11-17-call), but quoted where some reader
    would take them for a number, a word or a date (--id 0o17 was written
    plain and read back as 15)."""
    import yaml

    text = f"id: {id_scalar(value)}\n"
    assert load_bytes(text.encode("utf-8"), "case.yaml").data["id"] == value, text
    assert _yaml12(text)["id"] == value, text
    assert yaml.safe_load(text)["id"] == value, text  # YAML 1.1, as many editors and tools read it
    assert id_scalar(value) == value or not value[:1].isalpha() or value in ("null", "true", "inf", "nan"), text  # plain where it can be


def _restyled(indent: int, dash: int, flow_records: bool) -> str:
    """The mini engagement written with other indentation, and duty records in flow or block style."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=indent, sequence=indent + dash, offset=dash)
    data = yaml.load(MINI_ENGAGEMENT)
    if not flow_records:
        for record in data["services"][0]["duties"].values():
            record.fa.set_block_style()
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


styles = st.tuples(st.sampled_from([2, 3, 4]), st.sampled_from([0, 2]), st.booleans())
evidence = st.text(min_size=1, max_size=80).filter(lambda text: text.strip())


def _changed(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]


@PROPERTY
@given(style=styles, text=evidence)
def test_mark_changes_only_its_own_lines_and_its_value_reads_back(tmp_path, style, text):
    path = tmp_path / f"e-{style[0]}-{style[1]}-{style[2]}.yaml"
    before = _restyled(*style)
    path.write_text(before, encoding="utf-8")
    mark(MarkOptions(COMMON, str(path), ("planning.facilitator.prepare-agenda",), done=True, date="2026-09-30", evidence=text))
    after = path.read_text(encoding="utf-8")
    changed = _changed(before, after)
    assert changed, "the record changed"
    assert all("prepare-agenda" in line or "evidence" in line or "date:" in line or "status:" in line or line.strip() in "+-" for line in changed), changed
    data = load_bytes(after.encode("utf-8"), str(path)).data
    record = data["services"][0]["duties"]["planning.facilitator.prepare-agenda"]
    assert record["evidence"] == text and record["status"] == "done"
    assert _yaml12(after)["services"][0]["duties"]["planning.facilitator.prepare-agenda"]["evidence"] == text
    assert {k: v for k, v in data.items() if k != "services"} == {k: v for k, v in load_bytes(before.encode("utf-8"), "b").data.items() if k != "services"}


@PROPERTY
@given(style=styles, title=st.text(min_size=1, max_size=60).filter(lambda text: text.strip()), hours=st.floats(min_value=0, max_value=24, allow_nan=False))
def test_a_new_service_only_adds_lines_and_reads_back(tmp_path, style, title, hours):
    path = tmp_path / f"s-{style[0]}-{style[1]}-{style[2]}.yaml"
    before = _restyled(*style)
    path.write_text(before, encoding="utf-8")
    new_service(NewServiceOptions(COMMON, str(path), "2026-10-20", "visit", hours=hours, id="second-visit", title=title))
    after = path.read_text(encoding="utf-8")
    assert all(line.startswith("+") for line in _changed(before, after))
    service = next(s for s in load_bytes(after.encode("utf-8"), str(path)).data["services"] if s["id"] == "second-visit")
    assert service["title"] == title and service["hours"] == hours
    assert next(s for s in _yaml12(after)["services"] if s["id"] == "second-visit")["title"] == title


@PROPERTY
@given(
    style=styles,
    duty=st.one_of(st.just("planning.facilitator.prepare-agenda"), st.text(max_size=40)),
    service=st.one_of(st.none(), st.just("first-visit"), st.text(max_size=20)),
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
)
def test_a_refused_edit_leaves_the_file_byte_identical(tmp_path, style, duty, service, day):
    path = tmp_path / f"r-{style[0]}-{style[1]}-{style[2]}.yaml"
    path.write_text(_restyled(*style), encoding="utf-8")
    before = path.read_bytes()
    try:
        mark(MarkOptions(COMMON, str(path), (duty,), service=service, done=True, date=day.isoformat(), evidence="x"))
    except UsageError:
        assert path.read_bytes() == before
    else:
        assert duty == "planning.facilitator.prepare-agenda" and service in (None, "first-visit") and day <= date(2026, 11, 22)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("style", [(2, 0, True), (4, 2, False), (3, 2, True)])
def test_restyled_files_are_valid_engagements(style):
    from conftest import findings_of

    assert findings_of(_restyled(*style)) == []
