"""`tacli schema`: the JSON Schema editors use, checked by a real validator
(check-jsonschema) against the same files `tacli check` reads, so the two
agree on what is valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, MINI_STANDARDS, ROOT, Run, checker_for, run_in_process, EXAMPLE_FILES

MINI = ("--standards", str(MINI_STANDARDS))
TODAY = ("--today", "2026-11-22")
ENGAGEMENT_TEXT = (DATA / "mini-engagement.yaml").read_text(encoding="utf-8")
COMMITTED = ROOT / "engagement.schema.json"


def run_check_jsonschema(*args: str):
    """check-jsonschema's own command line, in this process (exit code, stdout, stderr)."""
    from click.testing import CliRunner

    from check_jsonschema import main

    done = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return Run(done.exit_code, done.stdout, done.stderr)


def check_jsonschema(schema: Path, *files: Path) -> Run:
    return run_check_jsonschema("--schemafile", str(schema), *map(str, files))


@pytest.fixture(scope="module")
def shipped_schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "engagement.schema.json"
    result = run_in_process("schema", "-o", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def mini_schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "engagement.schema.json"
    result = run_in_process("schema", *MINI, "-o", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_the_examples_are_valid_for_check_jsonschema(shipped_schema):
    examples = EXAMPLE_FILES
    assert examples
    result = check_jsonschema(shipped_schema, *examples)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_is_a_valid_2020_12_schema(shipped_schema):
    result = run_check_jsonschema("--check-metaschema", str(shipped_schema))
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(shipped_schema.read_text())["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_mini_engagement_is_valid_for_both(mini_schema, run_tacli):
    assert check_jsonschema(mini_schema, DATA / "mini-engagement.yaml").returncode == 0
    assert run_tacli("check", *MINI, *TODAY, str(DATA / "mini-engagement.yaml")).returncode == 0


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (("    hours: 3\n", "    hours: three\n"), "schema-type"),
        (("  name: Elm School\n", "  name: [Elm, School]\n"), "schema-type"),
        (("start: 2026-09-01\n", "start: 1 September 2026\n"), "schema-type"),
        (("tier: basic\n", "tier: basik\n"), "unknown-value"),
        (("      planning.facilitator.prepare-agenda:", "      planning.facilitator.prepare-agendas:"), "unknown-value"),
        (("plan:\n", "plans:\n"), "schema-unknown-key"),
        (("    mode: on-site\n", ""), "schema-required"),
    ],
    ids=["number", "text", "date", "tier", "duty-id", "unknown-key", "required"],
)
def test_a_wrong_file_is_rejected_by_both(mini_schema, run_tacli, tmp_path, change, rule):
    assert change[0] in ENGAGEMENT_TEXT
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(ENGAGEMENT_TEXT.replace(*change), encoding="utf-8")
    by_schema = check_jsonschema(mini_schema, wrong)
    by_tacli = run_tacli("check", *MINI, *TODAY, str(wrong))
    assert by_schema.returncode == 1, by_schema.stdout
    assert by_tacli.returncode == 1
    assert f" error {rule} " in by_tacli.stdout


def test_numbers_as_text_pass_both(mini_schema, run_tacli, tmp_path):
    # tacli reads `evidence: 16` as the text "16": so must the schema
    text = ENGAGEMENT_TEXT.replace("evidence: agenda.pdf", "evidence: 16").replace("title: Data use at Elm School", "title: 2026")
    path = tmp_path / "numbers.yaml"
    path.write_text(text, encoding="utf-8")
    assert check_jsonschema(mini_schema, path).returncode == 0
    assert run_tacli("check", *MINI, *TODAY, str(path)).returncode == 0


def test_editors_get_the_standards_words(mini_schema):
    from tacli.standards.spec import load_spec

    schema = json.loads(mini_schema.read_text(encoding="utf-8"))
    spec = load_spec(MINI_STANDARDS)
    duties = schema["$defs"]["Duties"]["properties"]
    for duty in spec.every("duties"):
        assert duty.text.rstrip(".") in duties[duty.id]["description"]
        assert duty.text.rstrip(".") in duties[duty.id]["markdownDescription"]
    assert duties["planning.facilitator.prepare-agenda"]["description"] == "Planning, Facilitator 1: Prepare the agenda. (Mini standards)"
    assert "Conditional (if needed)" in duties["follow-up.facilitator.write-report"]["description"]
    assert [s["label"] for s in schema["$defs"]["DutyRecord"]["defaultSnippets"]] == ["done", "not-applicable", "open"]
    assert schema["properties"]["tier"]["enumDescriptions"] == ["Basic", "Basic (another name for basic)", "Intensive"]
    assert schema["$defs"]["Plan"]["properties"]["goals"]["description"] == "Goals: What the work is for."


def test_vocabulary_values_carry_their_words(shipped_schema):
    from tacli.standards.spec import load_spec, shipped_standards

    schema = json.loads(shipped_schema.read_text(encoding="utf-8"))
    spec = load_spec(shipped_standards())
    service_type = schema["$defs"]["Service"]["properties"]["type"]
    assert service_type["enum"] == spec.ids("support_types")
    assert service_type["enumDescriptions"] == [item.label for item in spec.every("support_types")]
    topics = schema["$defs"]["Service"]["properties"]["topics"]["items"]
    assert len(topics["enumDescriptions"]) == len(topics["enum"]) == len(spec.ids("topics"))


def test_no_generated_titles_or_null_defaults(shipped_schema):
    text = shipped_schema.read_text(encoding="utf-8")
    schema = json.loads(text)
    assert set(schema) >= {"$schema", "title", "description", "$defs", "properties"}

    def walk(node, in_properties=False):
        if isinstance(node, dict):
            for key, value in node.items():
                if not in_properties:
                    assert key != "title" or node is schema, node
                    assert not (key == "default" and value is None), node
                walk(value, in_properties=(key in ("properties", "$defs") and not in_properties))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)
    assert "title" in schema["properties"]  # the engagement's own `title` key stays


def test_schema_to_stdout_and_check(run_tacli, tmp_path):
    printed = run_tacli("schema", *MINI)
    assert printed.returncode == 0 and json.loads(printed.stdout)["$schema"]
    path = tmp_path / "engagement.schema.json"
    missing = run_tacli("schema", *MINI, "--check", "-o", str(path))
    assert (missing.returncode, missing.stdout) == (1, f"{path} does not exist: run `tacli schema -o {path}` and commit it.\n")
    assert run_tacli("schema", *MINI, "-o", str(path)).returncode == 0
    assert path.read_text(encoding="utf-8") == printed.stdout
    current = run_tacli("schema", *MINI, "--check", "-o", str(path))
    assert (current.returncode, current.stdout) == (0, f"{path} is current.\n")
    stale = run_tacli("schema", "--check", "-o", str(path))  # the shipped standards make another schema
    assert stale.returncode == 1 and "is not current" in stale.stdout
    assert run_tacli("schema", "--check").returncode == 2


def test_the_committed_schema_is_current(run_tacli):
    # the examples name ../engagement.schema.json, for editors in this repository
    for example in EXAMPLE_FILES:
        assert example.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../engagement.schema.json\n"), example
    result = run_tacli("schema", "--check", "-o", "engagement.schema.json", cwd=ROOT)
    assert result.returncode == 0, "regenerate it: tacli schema -o engagement.schema.json"


# tacli new engagement names the schema


NEW = ["new", "engagement", "Data Use at Elm", "--recipient", "Elm School", "--organization", "The Center", "--facilitator", "Dana Ruiz", "--start", "2026-09-01", "--frameworks", "mini"]


def test_new_engagement_names_the_schema_next_to_its_folder(run_tacli, tmp_path):
    (tmp_path / ".git").mkdir()
    done = run_tacli(*NEW, *MINI, *TODAY, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "engagements" / "data-use-at-elm.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../engagement.schema.json\n")
    assert done.stderr == "note: editors validate it against ../engagement.schema.json, which does not exist yet: write it with `tacli schema -o engagement.schema.json`\n"
    assert run_tacli("schema", *MINI, "-o", "engagement.schema.json", cwd=tmp_path).returncode == 0
    assert check_jsonschema(tmp_path / "engagement.schema.json", tmp_path / "engagements" / "data-use-at-elm.yaml").returncode == 0
    again = run_tacli(*NEW, *MINI, *TODAY, "--dir", "engagements/2026", "--id", "data-use-at-elm-2026", cwd=tmp_path)  # an id of its own
    assert again.stderr == ""  # the schema of the project, in the current folder
    nested = (tmp_path / "engagements" / "2026" / "data-use-at-elm-2026.yaml").read_text(encoding="utf-8")
    assert nested.startswith("# yaml-language-server: $schema=../../engagement.schema.json\n")


def test_new_engagement_follows_the_configuration(run_tacli, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "tacli.toml").write_text(f'standards = "{MINI_STANDARDS.as_posix()}"\nengagements = "ta/engagements"\n', encoding="utf-8")
    done = run_tacli(*NEW, *TODAY, "--dir", "ta/engagements/2026", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "ta" / "engagements" / "2026" / "data-use-at-elm.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../engagement.schema.json\n")
    (tmp_path / "tacli.toml").write_text(f'standards = "{MINI_STANDARDS.as_posix()}"\nschema = "schemas/ta.json"\n', encoding="utf-8")
    done = run_tacli(*NEW, *TODAY, "--force", cwd=tmp_path)
    text = (tmp_path / "engagements" / "data-use-at-elm.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/ta.json\n")
    assert "tacli schema -o schemas/ta.json" in done.stderr


def _agreement_cases():
    cases = [(path, None) for path in EXAMPLE_FILES]
    cases += [(path, MINI_STANDARDS) for path in sorted((ROOT / "tests" / "golden").glob("*.yaml"))]
    cases.append((DATA / "mini-engagement.yaml", MINI_STANDARDS))
    return cases


def _tacli_reading(path, standards):
    from tacli.reading.pipeline import Target, read_target

    return read_target(Target(path, str(path), True), checker_for(standards).models)


def _readable_yaml(result) -> bool:
    return not any(item.rule.startswith(("yaml-", "file-")) for item in result.findings)


@pytest.fixture(scope="module")
def rejected_by_the_schema(shipped_schema, mini_schema) -> set[str]:
    """The files check-jsonschema rejects: one run for each schema over all its
    files (those whose YAML tacli reads: an alias bomb is not the schema's business)."""
    rejected = set()
    for schema, standards in ((shipped_schema, None), (mini_schema, MINI_STANDARDS)):
        files = [path for path, used in _agreement_cases() if used == standards and _readable_yaml(_tacli_reading(path, used))]
        output = check_jsonschema(schema, *files).stdout
        rejected.update(str(path) for path in files if f"{path}::" in output)
    return rejected


@pytest.mark.parametrize("path, standards", _agreement_cases(), ids=lambda value: value.name if hasattr(value, "name") and value.suffix else "")
def test_check_and_the_schema_agree_on_what_is_valid(path, standards, rejected_by_the_schema):
    """A file tacli finds valid, editors and schema validators find valid, and the reverse.
    Files whose YAML tacli refuses (tags, duplicate keys, syntax) are left out: that is not the schema's business."""
    result = _tacli_reading(path, standards)
    if not _readable_yaml(result):
        pytest.skip("YAML that tacli refuses before any schema")
    assert (str(path) not in rejected_by_the_schema) == result.usable, [item.message for item in result.findings]


def test_an_empty_services_key_is_no_services_for_both(mini_schema, tmp_path, run_tacli):
    path = tmp_path / "e.yaml"
    text = ENGAGEMENT_TEXT.split("services:")[0] + "services:\n"
    path.write_text(text, encoding="utf-8")
    assert run_tacli("check", *MINI, *TODAY, str(path)).returncode == 0
    assert check_jsonschema(mini_schema, path).returncode == 0
