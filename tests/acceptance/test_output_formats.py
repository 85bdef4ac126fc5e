"""`tacli check --format text|json|sarif|github|junit [--output FILE]` through the
real command: exact output for text, json and github on a small fixture, and
the machine formats read back by their real consumers (the official SARIF
schema with jsonschema, junitparser) on the shipped examples."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, MINI_STANDARDS, ROOT, EXAMPLE_FILES

import tacli
from tacli.output.check_formats import CHECK_FORMATS
from tacli.checking.catalogue import ALL_RULES

MINI = ("--standards", str(MINI_STANDARDS.relative_to(ROOT)))
TODAY = ("--today", "2026-11-22")
FIXTURE = ("tests/data/formats", "tests/data/mini-engagement.yaml")
CHECK = ("check", *MINI, *TODAY, *FIXTURE)

ODD = "tests/data/formats/odd-key.yaml"
OPEN = "tests/data/formats/open-and-undocumented.yaml"
SOON = "tests/data/formats/warning-only.yaml"
ODD_MESSAGE = "unknown key 'progress: 50%, so far' in the top level: remove it, or use one of the known keys: tacli, id, title, tier, frameworks, recipient, provider, start, end, plan, services, intensive (and 4 more)."
OPEN_MESSAGE = "duty planning.facilitator.prepare-agenda for service 'first-visit' (2026-10-01) is open but due (Planning, Facilitator 1: \"Prepare the agenda\"): mark it done with a date and evidence, or not-applicable with a reason"
EVIDENCE_MESSAGE = ("duty planning.facilitator.prepare-agenda is done without evidence: say what shows it (a sign-in sheet, an agenda, an e-mail): "
                    f"tacli mark {OPEN} planning.facilitator.prepare-agenda --service second-visit --done --evidence 'what shows it'")
SOON_MESSAGE = f"Service Report for service 'late-visit' (2026-11-17) is due in 2 days (2026-11-24): write and complete it (tacli tast {SOON} --service late-visit --complete)"
SUMMARY = "4 files checked: 2 errors, 2 warnings in 3 files (1 YAML file without `tacli:` skipped)."

TEXT = (
    f"{ODD}:9:1: error schema-unknown-key {ODD_MESSAGE}\n"
    f"{OPEN}:33:7: error duty-open {OPEN_MESSAGE}\n"
    f"{OPEN}:45:7: warning duty-evidence {EVIDENCE_MESSAGE}\n"
    f"{SOON}:32:5: warning tast-due-soon {SOON_MESSAGE}\n"
    f"{SUMMARY}\n"
)

GITHUB = (
    f"::error file={ODD},line=9,col=1,title=tacli schema-unknown-key::{ODD_MESSAGE.replace('%', '%25')}\n"
    f"::error file={OPEN},line=33,col=7,title=tacli duty-open::{OPEN_MESSAGE}\n"
    f"::warning file={OPEN},line=45,col=7,title=tacli duty-evidence::{EVIDENCE_MESSAGE}\n"
    f"::warning file={SOON},line=32,col=5,title=tacli tast-due-soon::{SOON_MESSAGE}\n"
    f"{SUMMARY}\n"
)


def finding(path, line, column, rule, level, message):
    return {"path": path, "line": line, "column": column, "rule": rule, "level": level, "message": message}


JSON = {
    "version": "1",
    "tool": {"name": "tacli", "version": tacli.__version__},
    "today": "2026-11-22",
    "findings": [
        finding(ODD, 9, 1, "schema-unknown-key", "error", ODD_MESSAGE),
        finding(OPEN, 33, 7, "duty-open", "error", OPEN_MESSAGE),
        finding(OPEN, 45, 7, "duty-evidence", "warning", EVIDENCE_MESSAGE),
        finding(SOON, 32, 5, "tast-due-soon", "warning", SOON_MESSAGE),
    ],
    "checked": [ODD, OPEN, SOON, "tests/data/mini-engagement.yaml"],
    "skipped": ["tests/data/formats/notes.yml"],
    "summary": {"files_checked": 4, "files_skipped": 1, "files_with_findings": 3, "errors": 2, "warnings": 2, "infos": 0, "passed": False},
}


# exact output


def test_text_is_the_default_and_unchanged(run_tacli):
    default = run_tacli(*CHECK, cwd=ROOT)
    explicit = run_tacli(*CHECK, "--format", "text", cwd=ROOT)
    assert (default.returncode, default.stdout, default.stderr) == (1, TEXT, "")
    assert (explicit.returncode, explicit.stdout, explicit.stderr) == (1, TEXT, "")


def test_json_exact(run_tacli):
    result = run_tacli(*CHECK, "--format", "json", cwd=ROOT)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == json.dumps(JSON, indent=2, ensure_ascii=False) + "\n"


def test_github_exact(run_tacli):
    result = run_tacli(*CHECK, "-f", "github", cwd=ROOT)
    assert (result.returncode, result.stdout, result.stderr) == (1, GITHUB, "")


def test_github_is_chosen_in_github_actions(run_tacli):
    result = run_tacli(*CHECK, cwd=ROOT, env={"GITHUB_ACTIONS": "true"})
    assert (result.returncode, result.stdout) == (1, GITHUB)
    text = run_tacli(*CHECK, "--format", "text", cwd=ROOT, env={"GITHUB_ACTIONS": "true"})
    assert text.stdout == TEXT
    other = run_tacli(*CHECK, cwd=ROOT, env={"GITHUB_ACTIONS": "false"})
    assert other.stdout == TEXT


def test_github_actions_does_not_change_a_file_written_with_output(run_tacli, tmp_path):
    result = run_tacli(*CHECK, "--output", str(tmp_path / "check.txt"), cwd=ROOT, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert (tmp_path / "check.txt").read_text(encoding="utf-8") == TEXT


def test_github_paths_are_relative_to_the_workspace(run_tacli):
    result = run_tacli("check", "--standards", str(MINI_STANDARDS), *TODAY, "formats/open-and-undocumented.yaml", "-f", "github", cwd=DATA, env={"GITHUB_WORKSPACE": str(ROOT)})
    assert result.stdout.splitlines()[0].startswith(f"::error file={OPEN},line=33,col=7,")


def test_warnings_only_exit_0_in_every_format(run_tacli, tmp_path):
    for name in CHECK_FORMATS:
        result = run_tacli("check", *MINI, *TODAY, SOON, "--format", name, "-o", str(tmp_path / name), cwd=ROOT)
        assert result.returncode == 0, name


# the machine formats, read by their consumers


@pytest.fixture(scope="module")
def sarif_schema():
    return json.loads((DATA / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_on_the_examples_is_valid_and_complete(run_tacli, tmp_path, sarif_schema):
    import jsonschema

    out = tmp_path / "tacli.sarif"
    result = run_tacli("check", *TODAY, "examples", "--format", "sarif", "--output", str(out), cwd=ROOT)
    text_run = run_tacli("check", *TODAY, "examples", cwd=ROOT)
    assert result.returncode == text_run.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"wrote {out}: {text_run.stdout.splitlines()[-1]}\n"
    document = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(sarif_schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(document)

    (sarif_run,) = document["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.id for rule in ALL_RULES]
    assert all(rule["shortDescription"]["text"] and rule["defaultConfiguration"]["level"] in ("error", "warning", "note") for rule in rules)
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"
    expected = [line.split(" ", 3)[:3] for line in text_run.stdout.splitlines()[:-1]]
    assert len(sarif_run["results"]) == len(expected) > 0
    for result_item, (where, level, rule_id) in zip(sarif_run["results"], expected):
        path, line, column = where.rstrip(":").split(":")
        assert result_item["ruleId"] == rule_id == rules[result_item["ruleIndex"]]["id"]
        assert result_item["level"] == level
        location = result_item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": path, "uriBaseId": "%SRCROOT%"}
        assert location["region"] == {"startLine": int(line), "startColumn": int(column)}


def test_sarif_of_the_fixture_is_valid(run_tacli, sarif_schema):
    import jsonschema

    result = run_tacli(*CHECK, "--format", "sarif", cwd=ROOT)
    assert result.returncode == 1
    jsonschema.Draft4Validator(sarif_schema).validate(json.loads(result.stdout))


def test_json_and_github_on_the_examples_agree_with_text(run_tacli):
    text_run = run_tacli("check", *TODAY, "examples", cwd=ROOT)
    lines = text_run.stdout.splitlines()
    document = json.loads(run_tacli("check", *TODAY, "examples", "-f", "json", cwd=ROOT).stdout)
    as_text = [f"{f['path']}:{f['line']}:{f['column']}: {f['level']} {f['rule']} {f['message']}" for f in document["findings"]]
    assert as_text == lines[:-1]
    assert document["summary"]["passed"] is (text_run.returncode == 0)
    annotations = run_tacli("check", *TODAY, "examples", "-f", "github", cwd=ROOT).stdout.splitlines()
    assert len(annotations) == len(lines) and annotations[-1] == lines[-1]
    assert all(line.startswith(("::error file=examples/", "::warning file=examples/")) for line in annotations[:-1])


def test_junit_on_the_examples_reads_back(run_tacli, tmp_path):
    from junitparser import Failure, JUnitXml

    out = tmp_path / "reports" / "tacli.xml"  # the folder is created
    result = run_tacli("check", *TODAY, "examples", "--format", "junit", "-o", str(out), cwd=ROOT)
    assert result.returncode == 1
    text_run = run_tacli("check", *TODAY, "examples", cwd=ROOT)
    failing = {line.split(":")[0] for line in text_run.stdout.splitlines()[:-1] if " error " in line}
    xml = JUnitXml.fromfile(str(out))
    cases = {case.name: case for suite in xml for case in suite}
    assert sorted(cases) == sorted(f"examples/{path.name}" for path in EXAMPLE_FILES)
    for name, case in cases.items():
        failures = [r for r in case.result if isinstance(r, Failure)]
        assert bool(failures) == (name in failing), name
        for failure in failures:
            assert all(line.startswith(name + ":") for line in failure.text.strip().splitlines())
    suite = next(iter(xml))
    assert (suite.tests, suite.failures) == (len(cases), len(failing))


def test_junit_of_the_fixture(run_tacli, tmp_path):
    from junitparser import JUnitXml

    result = run_tacli(*CHECK, "--format", "junit", cwd=ROOT)
    (tmp_path / "junit.xml").write_text(result.stdout, encoding="utf-8")
    cases = {case.name: case for suite in JUnitXml.fromfile(str(tmp_path / "junit.xml")) for case in suite}
    assert list(cases) == [ODD, OPEN, SOON, "tests/data/mini-engagement.yaml"]
    assert [case.is_passed for case in cases.values()] == [False, False, True, True]
    assert "tast-due-soon" in cases[SOON].system_out


# --output, and mistakes


def test_output_writes_atomically_and_replaces(run_tacli, tmp_path):
    out = tmp_path / "check.json"
    out.write_text("old\n")  # a file tacli did not write: kept, unless --force
    refused = run_tacli(*CHECK, "--format", "json", "--output", str(out), cwd=ROOT)
    assert refused.returncode == 2 and "is a file tacli did not write" in refused.stderr and out.read_text() == "old\n"
    result = run_tacli(*CHECK, "--format", "json", "--output", str(out), "--force", cwd=ROOT)
    assert (result.returncode, result.stdout) == (1, "")
    assert json.loads(out.read_text(encoding="utf-8")) == JSON
    assert [p.name for p in tmp_path.iterdir()] == ["check.json"]  # no temporary file left
    again = run_tacli(*CHECK, "--format", "sarif", "--output", str(out), cwd=ROOT)  # tacli's own: replaced without --force
    assert again.returncode == 1 and '"name": "tacli"' in out.read_text(encoding="utf-8")


def test_output_that_cannot_be_written(run_tacli, tmp_path):
    (tmp_path / "file").write_text("x")
    result = run_tacli(*CHECK, "--output", str(tmp_path / "file" / "out.txt"), cwd=ROOT)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"tacli: error: --output {tmp_path / 'file' / 'out.txt'}: {tmp_path / 'file'} is a file, not a folder: give a file in a folder, or move it away\n"


def test_unknown_format(run_tacli):
    result = run_tacli(*CHECK, "--format", "jsn", cwd=ROOT)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", "tacli: error: unknown format 'jsn': did you mean 'json'?\n")


def test_help_names_every_format(run_tacli):
    result = run_tacli("check", "--help")
    for name in CHECK_FORMATS:
        assert name in result.stdout


# rule settings change every format and the exit code


def test_levels_and_ignore_change_the_exit_code(run_tacli, tmp_path):
    (tmp_path / "tacli.toml").write_text('ignore = ["duty-evidence"]\n[levels]\nduty-open = "warning"\ntast-due-soon = "info"\n', encoding="utf-8")
    (tmp_path / ".git").mkdir()
    target = str(DATA / "formats" / "open-and-undocumented.yaml")
    result = run_tacli("check", "--standards", str(MINI_STANDARDS), *TODAY, target, str(DATA / "formats" / "warning-only.yaml"), "-f", "github", cwd=tmp_path, env={"GITHUB_WORKSPACE": str(ROOT)})
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"::warning file={OPEN},line=33,col=7,title=tacli duty-open::{OPEN_MESSAGE}",
        f"::notice file={SOON},line=32,col=5,title=tacli tast-due-soon::{SOON_MESSAGE.replace(SOON, str(DATA / 'formats' / 'warning-only.yaml'))}",  # the command names the file as given
        "2 files checked: 1 warning, 1 info in 2 files.",
    ]


def test_a_warning_made_an_error_fails(run_tacli, tmp_path):
    (tmp_path / "tacli.toml").write_text('[levels]\ntast-due-soon = "error"\n', encoding="utf-8")
    (tmp_path / ".git").mkdir()
    result = run_tacli("check", "--standards", str(MINI_STANDARDS), *TODAY, str(DATA / "formats" / "warning-only.yaml"), "-f", "json", cwd=tmp_path)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert [f["level"] for f in document["findings"]] == ["error"] and document["summary"]["passed"] is False


def test_select_and_ignore_options(run_tacli):
    only = run_tacli(*CHECK, "--select", "duty-*", cwd=ROOT)
    assert [line.split()[2] for line in only.stdout.splitlines()[:-1]] == ["schema-unknown-key", "duty-open", "duty-evidence"]  # a file that cannot be read is always reported
    ignored = run_tacli(*CHECK, "--ignore", "duty-open,tast-due-soon", "--ignore", "duty-evidence", cwd=ROOT)
    assert [line.split()[2] for line in ignored.stdout.splitlines()[:-1]] == ["schema-unknown-key"]
    bad = run_tacli(*CHECK, "--ignore", "duty-opne", cwd=ROOT)
    assert (bad.returncode, bad.stdout, bad.stderr) == (2, "", "tacli: error: unknown rule 'duty-opne' in --ignore: did you mean 'duty-open'?\n")
    blocking = run_tacli(*CHECK, "--ignore", "schema-unknown-key", cwd=ROOT)
    assert blocking.returncode == 2 and "cannot be ignored" in blocking.stderr
    for empty in ("", ",", " , "):  # an unset variable in CI: every rule off would pass any file
        refused = run_tacli(*CHECK, "--select", empty, cwd=ROOT)
        assert (refused.returncode, refused.stdout) == (2, "") and "--select is empty: name the rules to check" in refused.stderr


def test_pre_commit_style_file_lists_skip_other_yaml(run_tacli):
    files = (OPEN, "tests/data/formats/notes.yml", ".pre-commit-hooks.yaml")
    strict = run_tacli("check", *MINI, *TODAY, *files, cwd=ROOT)
    assert " not-engagement " in strict.stdout
    skipping = run_tacli("check", *MINI, *TODAY, "--skip-other-yaml", *files, cwd=ROOT)
    assert skipping.stdout.splitlines()[-1] == "1 file checked: 1 error, 1 warning in 1 file (2 YAML files without `tacli:` skipped)."
