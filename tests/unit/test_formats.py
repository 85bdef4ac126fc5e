"""The output formats on findings made by hand: escaping, paths, levels, and
the structure each consumer reads. The real command on real files is in
tests/acceptance/test_output_formats.py."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tacli.checking.checker import CheckResult
from tacli.reading.pipeline import FileResult
from tacli.checking.selection import RuleSettings
from tacli.core.findings import Finding, Level
from tacli.output.check_formats import CHECK_FORMATS, CheckRun, Format, github_escape_data, github_escape_property
from tacli.checking.catalogue import ALL_RULES

TODAY = date(2026, 11, 22)


def run_of(findings, checked=None, skipped=(), settings=None, root: Path = Path("/project"), cwd: Path = Path("/project")) -> CheckRun:
    checked = checked if checked is not None else sorted({f.path for f in findings})
    files = [FileResult(name) for name in checked] + [FileResult(name, skipped=True) for name in skipped]
    result = CheckResult(files=files, findings=list(findings))
    return CheckRun(result, ALL_RULES, settings, TODAY, root=root, cwd=cwd, version="9.9.9")


def test_registry():
    assert list(CHECK_FORMATS) == ["text", "json", "sarif", "github", "junit"]
    for name, fmt in CHECK_FORMATS.items():
        assert isinstance(fmt, Format) and fmt.name == name and fmt.summary


# github


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("50% done", "50%25 done", "50%25 done"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("a: b, c", "a: b, c", "a%3A b%2C c"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_github_escaping(text, data, prop):
    assert github_escape_data(text) == data
    assert github_escape_property(text) == prop


def test_github_annotation_escapes_path_and_message():
    item = Finding("odd, name: 1.yaml", 3, 5, "schema-unknown-key", Level.ERROR, "unknown key '50%'\nsecond line")
    info = Finding("ok.yaml", 1, 1, "tast-due-soon", Level.INFO, "soon")
    text = CHECK_FORMATS["github"].render(run_of([item, info]))
    assert text.splitlines() == [
        "::error file=odd%2C name%3A 1.yaml,line=3,col=5,title=tacli schema-unknown-key::unknown key '50%25'\\nsecond line",
        "::notice file=ok.yaml,line=1,col=1,title=tacli tast-due-soon::soon",
        "2 files checked: 1 error, 1 info in 2 files.",
    ]


def test_github_paths_are_relative_to_the_workspace():
    inside = Finding("../engagements/elm.yaml", 1, 1, "duty-open", Level.ERROR, "open")
    outside = Finding("/elsewhere/oak.yaml", 1, 1, "duty-open", Level.ERROR, "open")
    text = CHECK_FORMATS["github"].render(run_of([inside, outside], root=Path("/project"), cwd=Path("/project/sub")))
    assert "file=engagements/elm.yaml," in text
    assert "file=/elsewhere/oak.yaml," in text


# sarif


def test_sarif_structure():
    findings = [
        Finding("engagements/elm street.yaml", 61, 7, "duty-open", Level.ERROR, "open"),
        Finding("engagements/elm street.yaml", 70, 5, "tast-due-soon", Level.INFO, "soon"),
        Finding("/elsewhere/oak.yaml", 2, 1, "duty-evidence", Level.WARNING, "no evidence"),
    ]
    document = json.loads(CHECK_FORMATS["sarif"].render(run_of(findings)))
    assert document["version"] == "2.1.0"
    (sarif_run,) = document["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "tacli" and driver["version"] == "9.9.9"
    assert [rule["id"] for rule in driver["rules"]] == [rule.id for rule in ALL_RULES]
    for descriptor, rule in zip(driver["rules"], ALL_RULES):
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[rule.level.value]
    assert sarif_run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///project/"}}
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    first, second, third = sarif_run["results"]
    assert driver["rules"][first["ruleIndex"]]["id"] == first["ruleId"] == "duty-open"
    assert first["level"] == "error" and second["level"] == "note" and third["level"] == "warning"
    location = first["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "engagements/elm%20street.yaml", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 61, "startColumn": 7}}
    assert third["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "file:///elsewhere/oak.yaml"}
    assert "ruleConfigurationOverrides" not in sarif_run["invocations"][0]


def test_sarif_records_what_the_configuration_changed():
    settings = RuleSettings(frozenset({"duty-evidence"}), {"tast-due-soon": Level.ERROR})
    document = json.loads(CHECK_FORMATS["sarif"].render(run_of([], settings=settings)))
    index = {rule.id: number for number, rule in enumerate(ALL_RULES)}
    assert document["runs"][0]["invocations"][0]["ruleConfigurationOverrides"] == [
        {"descriptor": {"id": "duty-evidence", "index": index["duty-evidence"]}, "configuration": {"enabled": False}},
        {"descriptor": {"id": "tast-due-soon", "index": index["tast-due-soon"]}, "configuration": {"level": "error"}},
    ]


def test_sarif_is_valid_against_the_official_schema():
    import jsonschema
    from conftest import DATA

    schema = json.loads((DATA / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    findings = [Finding("a.yaml", 1, 1, rule.id, rule.level, rule.summary) for rule in ALL_RULES]
    settings = RuleSettings(frozenset({"duty-evidence"}), {"tast-due-soon": Level.INFO})
    document = json.loads(CHECK_FORMATS["sarif"].render(run_of(findings, settings=settings)))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(document)


# json


def test_json_structure():
    findings = [Finding("a.yaml", 3, 7, "duty-open", Level.ERROR, "open — “quoted”"), Finding("b.yaml", 1, 1, "duty-evidence", Level.WARNING, "no evidence")]
    text = CHECK_FORMATS["json"].render(run_of(findings, checked=["a.yaml", "b.yaml", "c.yaml"], skipped=["mkdocs.yml"]))
    assert "“quoted”" in text  # UTF-8, not \u escapes
    document = json.loads(text)
    assert list(document) == ["version", "tool", "today", "findings", "checked", "skipped", "summary"]
    assert document["version"] == "1"
    assert document["findings"][0] == {"path": "a.yaml", "line": 3, "column": 7, "rule": "duty-open", "level": "error", "message": "open — “quoted”"}
    assert document["summary"] == {"files_checked": 3, "files_skipped": 1, "files_with_findings": 2, "errors": 1, "warnings": 1, "infos": 0, "passed": False}


# junit


def test_junit_one_case_per_file_and_failures_only_for_errors(tmp_path):
    from junitparser import Failure, JUnitXml

    findings = [
        Finding("a.yaml", 3, 7, "duty-open", Level.ERROR, "open <b> & \x01 \x1b[31m"),
        Finding("a.yaml", 9, 1, "duty-evidence", Level.WARNING, "no evidence"),
        Finding("b.yaml", 1, 1, "duty-evidence", Level.WARNING, "no evidence"),
    ]
    path = tmp_path / "junit.xml"
    path.write_text(CHECK_FORMATS["junit"].render(run_of(findings, checked=["a.yaml", "b.yaml", "c.yaml"])), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert len(suites) == 1
    cases = {case.name: case for case in suites[0]}
    assert list(cases) == ["a.yaml", "b.yaml", "c.yaml"]
    (failure,) = cases["a.yaml"].result
    assert isinstance(failure, Failure) and failure.type == "duty-open"
    assert failure.message == "1 error, 1 warning (the first at line 3: duty-open)"
    assert "a.yaml:3:7: error duty-open open <b> & \\x01 \\x1b[31m" in failure.text
    assert "a.yaml:9:1: warning duty-evidence no evidence" in failure.text
    assert cases["b.yaml"].is_passed and "duty-evidence" in cases["b.yaml"].system_out
    assert cases["c.yaml"].is_passed
    assert (suites[0].tests, suites[0].failures, suites[0].errors) == (3, 1, 0)


def test_the_terminal_view_groups_by_file_and_subject():
    import re

    from tacli.output.check_formats import TERMINAL, choose_format

    findings = [
        Finding("a.yaml", 3, 5, "duty-open", Level.ERROR, "long message", group="service s1 · Delivery duties open but due", short="Facilitator 1: Greet",
                hint="record them, in the checklist of: tacli mark {file} --service s1"),
        Finding("a.yaml", 4, 5, "duty-open", Level.ERROR, "long message", group="service s1 · Delivery duties open but due", short="Facilitator 2: Norms",
                hint="record them, in the checklist of: tacli mark {file} --service s1"),
        Finding("a.yaml", 9, 1, "duty-evidence", Level.WARNING, "no evidence"),
        Finding("b.yaml", 1, 1, "plan-element", Level.ERROR, "missing"),
    ]
    run = run_of(findings)
    coloured = TERMINAL.render(run)
    assert "\x1b[1;31merror\x1b[0m" in coloured and "\x1b[33mwarning\x1b[0m" in coloured
    plain = re.sub(r"\x1b\[[0-9;]*m", "", coloured).splitlines()
    assert plain[:7] == [
        "a.yaml  2 errors, 1 warning",
        "  error duty-open service s1 · Delivery duties open but due (2)",  # with its rule id, for `ignore` and `[levels]`
        "    3:5 Facilitator 1: Greet",
        "    4:5 Facilitator 2: Norms",
        "    record them, in the checklist of:",  # what to do about them, and the command, its file quoted for a shell
        "      tacli mark a.yaml --service s1",
        "  9:1 warning duty-evidence no evidence",
    ]
    assert "b.yaml  1 error" in plain and "long message" not in "\n".join(plain)
    assert plain[-1] == CHECK_FORMATS["text"].render(run).splitlines()[-1]  # the same summary line closes both
    assert any(line.startswith("most errors") for line in plain)
    assert choose_format("text", terminal=True) is CHECK_FORMATS["text"]  # asked for by name: the lines machines read
    assert choose_format(None, terminal=True) is TERMINAL
    assert choose_format(None, to_file=True, terminal=True) is CHECK_FORMATS["text"]
    assert choose_format("json", terminal=True) is CHECK_FORMATS["json"]


def test_the_terminal_view_gives_duties_open_at_one_place_in_the_standards_order():
    """Every duty of a service not recorded is found at one place: the groups and
    their duties come in the standards' order (Finding.rank: Planning before
    Delivery, Facilitator 1 before 2), not in the order of their messages."""
    import re

    from tacli.output.check_formats import TERMINAL

    def duty(stage: str, rank: tuple, short: str, message: str) -> Finding:
        return Finding("a.yaml", 7, 5, "duty-open", Level.ERROR, message, group=f"service s1 · {stage} duties open but due", short=short, rank=rank)

    findings = sorted([
        duty("Delivery", (1, 12), "Facilitator 2: Articulate", "duty delivery.facilitator.articulate ..."),
        duty("Delivery", (1, 11), "Facilitator 1: Establish norms", "duty delivery.facilitator.establish ..."),
        duty("Planning", (0, 1), "Facilitator 2: Communicate", "duty planning.facilitator.communicate ..."),
        duty("Planning", (0, 0), "Facilitator 1: Review", "duty planning.facilitator.review ..."),
        Finding("a.yaml", 2, 1, "plan-element", Level.ERROR, "missing", group="plan elements missing", short="Logic model"),
    ], key=Finding.sort_key)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", TERMINAL.render(run_of(findings))).splitlines()
    assert plain[1:9] == [
        "  error plan-element plan elements missing (1)",
        "    2:1 Logic model",
        "  error duty-open service s1 · Planning duties open but due (2)",
        "    7:5 Facilitator 1: Review",
        "    7:5 Facilitator 2: Communicate",
        "  error duty-open service s1 · Delivery duties open but due (2)",
        "    7:5 Facilitator 1: Establish norms",
        "    7:5 Facilitator 2: Articulate",
    ]


@pytest.mark.parametrize("text, shown", [
    ("plain text, accents é and emoji \U0001f600, tab\tkept", "plain text, accents é and emoji \U0001f600, tab\tkept"),
    ("a\nb\rc", "a\\nb\\rc"),
    ("\x00\x07\x1b[31m\x1f", "\\x00\\x07\\x1b[31m\\x1f"),
    ("del \x7f c1 \x80 \x85 \x9b \x9f", "del \\x7f c1 \\x80 \\x85 \\x9b \\x9f"),
    ("\u2028\u2029", "\\u2028\\u2029"),
    ("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069"),
])
def test_visible_shows_every_unsafe_character_as_an_escape(text, shown):
    from tacli.core.textformat import visible

    assert visible(text) == shown
    assert visible(shown) == shown


def test_json_text_escapes_the_unsafe_characters_and_reads_back_the_same():
    from tacli.core.textformat import json_text

    document = {"message": "a\n\x1b\x7f\x9b\u2028\u202e é", "list": [1, "x"]}
    text = json_text(document)
    assert json.loads(text) == document
    assert text == json.dumps(document, indent=2, ensure_ascii=False).replace("\x7f", "\\u007f").replace("\x9b", "\\u009b").replace("\u2028", "\\u2028").replace("\u202e", "\\u202e") + "\n"



def test_the_terminal_view_says_the_rules_wait_for_a_file_that_could_not_be_validated():
    """A file with only schema or YAML problems has had none of the standards'
    rules run: a person fixing the last typo would otherwise meet dozens of new
    findings as if the file had got worse."""
    import re

    from tacli.output.check_formats import TERMINAL

    note = "the standards' rules (duties, reports, plan) run once these are fixed"
    invalid = [Finding("a.yaml", 3, 8, "schema-type", Level.ERROR, "start should be a date")]
    checked = [*invalid, Finding("b.yaml", 9, 1, "duty-open", Level.ERROR, "open")]
    checked[0] = Finding("b.yaml", 3, 8, "schema-type", Level.ERROR, "start should be a date")
    shown = re.sub(r"\x1b\[[0-9;]*m", "", TERMINAL.render(run_of(invalid)))
    assert f"  {note}" in shown.splitlines()
    assert note not in re.sub(r"\x1b\[[0-9;]*m", "", TERMINAL.render(run_of(checked)))
