"""tacli.toml and [tool.tacli]: finding the file, reading it, and every mistake
in it reported at its line and column; the rule settings it makes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tacli.commands.config import Config, load_config, schema_file, standards_setting
from tacli.commands.config_model import settings_table
from tacli.io.configfile import ConfigError, find_config
from tacli.core.findings import Finding, Level
from tacli.core.outcome import UsageError
from tacli.core.paths import schema_reference, shown_path
from tacli.checking.catalogue import ALL_RULES, BLOCKING_RULE_IDS
from tacli.checking.selection import RuleSettings, parse_rule_list

RULES_BY_ID = {rule.id: rule for rule in ALL_RULES}


def blocking_rules():
    return BLOCKING_RULE_IDS


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(folder: Path, text: str, name: str = "tacli.toml") -> list[str]:
    """Each problem as `line:column: message`, for a config file with `text`."""
    write(folder / name, text)
    with pytest.raises(ConfigError) as caught:
        load_config(folder, environ={})
    assert {p.rule for p in caught.value.findings} == {"config-invalid"}
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.findings]


@pytest.fixture
def project(tmp_path):
    """A git repository, so the upward search stops inside tmp_path."""
    (tmp_path / ".git").mkdir()
    return tmp_path


# finding the file


def test_no_config_gives_defaults(project):
    config = load_config(project, environ={})
    assert config.file is None and config.folder == project
    assert (config.standards, config.engagements, config.reports, config.schema) == (None, None, None, None)
    assert config.rules is None
    assert config.source("engagements") == "default"


def test_config_is_found_upward_and_paths_are_relative_to_it(project):
    write(project / "tacli.toml", 'standards = "my-standards"\nengagements = "engagements"\nreports = "docs/reports"\n')
    deep = project / "engagements" / "2026"
    deep.mkdir(parents=True)
    config = load_config(deep, environ={})
    assert config.file == project / "tacli.toml"
    assert config.standards == project / "my-standards"
    assert config.engagements == project / "engagements"
    assert config.reports == project / "docs" / "reports"
    assert config.source("reports").endswith("tacli.toml:3")


def test_search_stops_at_the_top_of_a_git_repository(tmp_path):
    write(tmp_path / "tacli.toml", 'ignore = ["duty-evidence"]\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_config(repo) is None
    assert load_config(repo, environ={}).file is None


def test_pyproject_tool_tacli(project):
    write(project / "pyproject.toml", """
        [project]
        name = "centre-ta"

        [tool.tacli]
        engagements = "engagements"
        ignore = ["duty-evidence"]

        [tool.tacli.levels]
        tast-due-soon = "info"
    """)
    config = load_config(project, environ={})
    assert config.file == project / "pyproject.toml"
    assert config.engagements == project / "engagements"
    assert config.rules.disabled == {"duty-evidence"}
    assert config.rules.levels == {"tast-due-soon": Level.INFO}
    assert config.source("levels").endswith("pyproject.toml:9")


def test_pyproject_without_tool_tacli_is_passed_over(tmp_path):
    write(tmp_path / "tacli.toml", 'engagements = "e"\n')
    sub = tmp_path / "sub"
    write(sub / "pyproject.toml", '[project]\nname = "tacli-like"\n[tool.black]\nline-length = 100\n')
    assert find_config(sub) == tmp_path / "tacli.toml"


def test_tacli_toml_and_pyproject_in_one_folder_is_an_error(project):
    write(project / "tacli.toml", "")
    write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.tacli]\nengagements = "e"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(project, environ={})
    (problem,) = caught.value.findings
    assert (problem.line, problem.column) == (4, 1)
    assert "keep one of them" in problem.message


def test_explicit_file_and_tacli_config_variable(project, tmp_path):
    shared = write(tmp_path / "shared" / "ci.toml", 'ignore = ["tast-due-soon"]\nstandards = "std"\n')
    by_argument = load_config(project, explicit=shared, environ={})
    by_variable = load_config(project, environ={"TACLI_CONFIG": str(shared)})
    assert by_argument.file == by_variable.file == shared
    assert by_argument.standards == tmp_path / "shared" / "std"
    with pytest.raises(UsageError) as caught:
        load_config(project, explicit=project / "nope.toml", environ={})
    assert str(caught.value).endswith("nope.toml: configuration file not found")


def test_empty_file_is_a_valid_configuration(project):
    write(project / "tacli.toml", "# nothing yet\n")
    config = load_config(project, environ={})
    assert config.file == project / "tacli.toml" and config.engagements is None


# mistakes, at their line and column


def test_unknown_key(project):
    assert problems(project, 'engagements = "e"\ningore = ["duty-evidence"]\n') == [
        "2:1: unknown key 'ingore': did you mean 'ignore'?",
    ]


def test_unknown_rule_ids_in_a_multi_line_list(project):
    assert problems(project, """
        select = [
            "duty-open",
            "dutty-evidence",
            "fixsen-*",
            "nosuch-*",
        ]
    """) == [
        "4:5: unknown rule 'dutty-evidence' in select: did you mean 'duty-evidence'?",
        "6:5: unknown pattern 'nosuch-*' in select: `tacli rules` lists every rule id.",
    ]


def test_levels_in_a_table(project):
    assert problems(project, """
        [levels]
        tast-due-soon = "info"
        fixsen-contact-gap = "fatal"
        "duty-opn" = "warning"
        duty-evidence = "off"
    """) == [
        "4:22: unknown level 'fatal' for rule 'fixsen-contact-gap': use one of error, warning, info.",
        "5:1: unknown rule 'duty-opn' in levels: did you mean 'duty-open'?",
        "6:17: level 'off' for rule 'duty-evidence': to turn a rule off, add it to ignore",
    ]


def test_levels_inline_and_dotted(project):
    assert problems(project, 'levels = { tast-due-soon = "info", duty-opn = "warning" }\n') == [
        "1:36: unknown rule 'duty-opn' in levels: did you mean 'duty-open'?",
    ]
    assert problems(project, 'levels.tast-due-soon = "info"\nlevels.duty-opn = "warning"\n') == [
        "2:8: unknown rule 'duty-opn' in levels: did you mean 'duty-open'?",
    ]


def test_levels_in_pyproject(project):
    assert problems(project, """
        [project]
        name = "x"

        [tool.tacli.levels]
        tast-due-son = "info"
    """, name="pyproject.toml") == [
        "6:1: unknown rule 'tast-due-son' in levels: did you mean 'tast-due-soon'?",
    ]


def test_wrong_types(project):
    assert problems(project, 'standards = 3\nselect = "duty-open"\nlevels = ["duty-open"]\nreports = ""\n') == [
        "1:13: standards should be a path, written as text (e.g. standards = \"standards\")",
        "2:10: select should be a list of rule ids, e.g. select = [\"duty-evidence\"] (`tacli rules` lists them)",
        "3:10: levels should be a table of rule ids and levels, e.g. [levels] tast-due-soon = \"info\"",
        "4:11: reports should be a path, written as text (e.g. reports = \"reports\")",
    ]


def test_not_toml(project):
    assert problems(project, 'engagements = "e"\nignore = ["duty-evidence"\n') == ["3:1: not valid TOML: Unclosed array: a [ is never closed: end the list with ]"]
    assert problems(project, 'engagements = e\n') == ['1:15: not valid TOML: Invalid value: put text in quotes, as in `engagements = "e"`']


def test_not_utf8(project):
    (project / "tacli.toml").write_bytes(b'engagements = "caf\xe9"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(project, environ={})
    problem = caught.value.findings[0]
    assert (problem.line, problem.column, problem.message) == (1, 19, "the configuration is not UTF-8 text")


@pytest.mark.parametrize("rule_id", sorted(blocking_rules() & set(RULES_BY_ID)))
def test_a_rule_that_stops_checking_cannot_be_ignored_or_downgraded(project, rule_id):
    found = problems(project, f'ignore = ["{rule_id}"]\n[levels]\n{rule_id} = "warning"\n')
    assert found[0].startswith(f"1:11: '{rule_id}' cannot be ignored: {rule_id} stops a file from being checked")
    assert found[1] == f"3:1: the level of '{rule_id}' cannot be changed: it stops a file from being checked, so it is always an error"


def test_blocking_rules_are_those_that_stop_a_file_from_being_checked():
    assert {"yaml-syntax", "schema-type", "not-engagement", "unknown-value"} <= blocking_rules()
    assert not {"duty-open", "tast-overdue", "fixsen-reach", "coaching-hours"} & blocking_rules()


def test_every_problem_is_reported_at_once(project):
    found = problems(project, 'colour = true\nselect = ["x"]\nignore = ["y"]\n')
    assert [line.split(":")[0] for line in found] == ["1", "2", "3"]


# rule settings


def test_patterns_select_and_ignore(project):
    write(project / "tacli.toml", 'select = ["fixsen-*", "duty-open"]\nignore = ["fixsen-contact-gap"]\n')
    config = load_config(project, environ={})
    reported = {rule.id for rule in ALL_RULES if rule.id not in config.rules.disabled}
    assert reported == {r.id for r in ALL_RULES if r.id.startswith("fixsen-") and r.id != "fixsen-contact-gap"} | {"duty-open"} | (blocking_rules() & set(RULES_BY_ID))


@pytest.mark.parametrize("text, where", [
    ("x = " + "[" * 1000 + "]" * 1000 + "\n", "1:105"),
    ('# [[[[\nname = "[{["\ny = ' + "{a=" * 600 + "1" + "}" * 600 + "\n", "3:305"),
    ('note = "say \\"' + "[" * 110 + '"\nx = ' + "[" * 600 + "]" * 600 + "\n", "2:105"),
])
def test_nesting_too_deep_for_the_toml_reader_is_a_located_problem(project, text, where):
    assert problems(project, text) == [f"{where}: arrays or tables nested more than 100 deep: a configuration needs a few levels; write it flatter"]


def test_an_empty_select_is_a_problem_not_every_rule_off(project):
    assert problems(project, "select = []\n") == ["1:1: select is empty: name the rules to check (`tacli rules` lists them), or leave it out to check every rule"]


def test_a_pattern_over_blocking_and_other_rules_changes_only_the_others(project):
    write(project / "tacli.toml", 'ignore = ["*"]\n')
    config = load_config(project, environ={})
    assert config.rules.disabled == {rule.id for rule in ALL_RULES} - blocking_rules()


def test_a_level_equal_to_the_default_changes_nothing(project):
    write(project / "tacli.toml", '[levels]\nduty-open = "error"\n')
    assert load_config(project, environ={}).rules.levels == {}


def test_rule_settings_apply_to_findings():
    settings = RuleSettings(frozenset({"duty-evidence"}), {"tast-due-soon": Level.ERROR, "duty-open": Level.WARNING})
    findings = [
        Finding("a.yaml", 1, 1, "duty-open", Level.ERROR, "open"),
        Finding("a.yaml", 2, 1, "duty-evidence", Level.WARNING, "no evidence"),
        Finding("a.yaml", 3, 1, "tast-due-soon", Level.WARNING, "soon"),
        Finding("a.yaml", 4, 1, "tast-overdue", Level.ERROR, "late"),
    ]
    assert [(f.rule, f.level) for f in settings.apply(findings)] == [
        ("duty-open", Level.WARNING),
        ("tast-due-soon", Level.ERROR),
        ("tast-overdue", Level.ERROR),
    ]


def test_the_checker_applies_the_settings(project):
    from conftest import DATA, MINI_STANDARDS, TODAY

    from tacli.checking.checker import Checker
    from tacli.reading.pipeline import find_targets
    from tacli.standards.spec import load_spec

    targets = find_targets([str(DATA / "formats" / "open-and-undocumented.yaml")])
    spec = load_spec(MINI_STANDARDS)
    plain = Checker(spec, TODAY).check(targets)
    assert [(f.rule, f.level) for f in plain.findings] == [("duty-open", Level.ERROR), ("duty-evidence", Level.WARNING)]
    settings = RuleSettings(frozenset({"duty-evidence"}), {"duty-open": Level.WARNING})
    changed = Checker(spec, TODAY, settings).check(targets)
    assert [(f.rule, f.level) for f in changed.findings] == [("duty-open", Level.WARNING)]


def test_command_line_rule_options_replace_the_file(project):
    write(project / "tacli.toml", 'ignore = ["duty-evidence"]\nselect = ["duty-*"]\n')
    config = load_config(project, environ={})
    changed = config.with_rule_options(select=None, ignore=["tast-due-soon"])
    assert "duty-evidence" not in changed.rules.disabled and "tast-due-soon" in changed.rules.disabled
    assert "tast-overdue" in changed.rules.disabled  # select of the file still applies
    assert changed.source("ignore") == "--ignore" and changed.source("select").endswith("tacli.toml:2")
    with pytest.raises(UsageError) as caught:
        config.with_rule_options(select=["duty-opne"])
    assert caught.value.messages == ("unknown rule 'duty-opne' in --select: did you mean 'duty-open'?",)


def test_parse_rule_list():
    assert parse_rule_list(None) is None
    assert parse_rule_list(["duty-open, tast-*", "fixsen-reach", ""]) == ["duty-open", "tast-*", "fixsen-reach"]


# paths


def test_standards_precedence(tmp_path):
    config = Config(folder=tmp_path, standards=tmp_path / "from-file", sources={"standards": "tacli.toml:1"})
    assert standards_setting("opt", config, {"TACLI_STANDARDS": "env"}) == (Path("opt"), "--standards")
    assert standards_setting(None, config, {"TACLI_STANDARDS": "env"}) == (Path("env"), "TACLI_STANDARDS")
    assert standards_setting(None, config, {}) == (tmp_path / "from-file", "tacli.toml:1")
    folder, source = standards_setting(None, Config(folder=tmp_path), {})
    assert source == "default (shipped with tacli)" and (folder / "cali.yaml").is_file()


def test_schema_file_sits_next_to_the_engagements_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert schema_file(Config(folder=tmp_path / "elsewhere")) == tmp_path / "engagement.schema.json"  # no file: the current folder
    assert schema_file(Config(file=tmp_path / "p" / "tacli.toml", folder=tmp_path / "p")) == tmp_path / "p" / "engagement.schema.json"
    configured = Config(folder=tmp_path, engagements=tmp_path / "ta" / "engagements")
    assert schema_file(configured) == tmp_path / "ta" / "engagement.schema.json"
    explicit = Config(folder=tmp_path, engagements=tmp_path / "ta" / "engagements", schema=tmp_path / "schemas" / "ta.json")
    assert schema_file(explicit) == tmp_path / "schemas" / "ta.json"


def test_schema_reference_is_relative_to_the_engagement_file(tmp_path):
    schema = tmp_path / "engagement.schema.json"
    assert schema_reference(tmp_path / "engagements" / "elm.yaml", schema) == "../engagement.schema.json"
    assert schema_reference(tmp_path / "engagements" / "2026" / "elm.yaml", schema) == "../../engagement.schema.json"
    assert schema_reference(tmp_path / "elm.yaml", schema) == "engagement.schema.json"


def test_shown_path(tmp_path):
    project = tmp_path / "project"
    sub = project / "sub"
    assert shown_path(project / "engagements", cwd=project) == "engagements"
    assert shown_path(project / "engagements", cwd=sub, project=project) == "../engagements"
    assert shown_path(project / "engagements", cwd=sub) == (project / "engagements").as_posix()


# the documentation


def test_the_documented_keys_are_the_model():
    from conftest import ROOT

    assert settings_table() in (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")


# kept in tacli's cache


def cache_in(folder: Path):
    from tacli.io.cache import Cache

    return Cache(folder)


def test_a_configuration_kept_in_the_cache_is_the_one_read(project, tmp_path, monkeypatch):
    """Read once through the cache, then from it: the same configuration as without
    a cache, paths, sources, the rules a selection makes and all, and no model built."""
    monkeypatch.chdir(project)
    write(project / "tacli.toml", 'standards = "std"\nengagements = "engagements"\nme = "Dana Ruiz"\nselect = ["duty-*", "tast-late"]\nignore = ["duty-evidence"]\n\n[levels]\nduty-open = "warning"\n')
    uncached = load_config(project, environ={})
    first = load_config(project, environ={}, cache=cache_in(tmp_path / "cache"))
    import tacli.commands.config_model as model

    def no_model(*args, **kwargs):
        raise AssertionError("the configuration was checked again")

    monkeypatch.setattr(model, "check_settings", no_model)
    kept = load_config(project, environ={}, cache=cache_in(tmp_path / "cache"))
    assert first == uncached and kept == uncached
    assert kept.rules == uncached.rules and kept.rules.levels == {"duty-open": Level.WARNING}
    assert kept.source("select") == uncached.source("select") == "tacli.toml:4"


def test_a_changed_configuration_is_read_again(project, tmp_path, monkeypatch):
    monkeypatch.chdir(project)
    cache = tmp_path / "cache"
    write(project / "tacli.toml", 'ignore = ["duty-evidence"]\n')
    assert load_config(project, environ={}, cache=cache_in(cache)).ignore == ("duty-evidence",)
    write(project / "tacli.toml", 'ignore = ["tast-late"]\n')
    assert load_config(project, environ={}, cache=cache_in(cache)).ignore == ("tast-late",)
    write(project / "tacli.toml", 'ignore = ["tast-lat"]\n')  # now wrong: its finding, as without a cache, every time
    for _ in range(2):
        with pytest.raises(ConfigError) as caught:
            load_config(project, environ={}, cache=cache_in(cache))
        assert [(p.line, p.column, p.message) for p in caught.value.findings] == [(1, 11, "unknown rule 'tast-lat' in ignore: did you mean 'tast-late'?")]


def test_a_kept_configuration_depends_on_its_place_and_the_current_folder(project, tmp_path, monkeypatch):
    """The same bytes elsewhere, or read from another folder: paths relative to the
    file, sources shown from where tacli runs, never those kept for the other."""
    cache = tmp_path / "cache"
    text = 'engagements = "engagements"\n'
    write(project / "a" / "tacli.toml", text)
    write(project / "b" / "tacli.toml", text)
    (project / "a" / "sub").mkdir()
    monkeypatch.chdir(project / "a")
    assert load_config(project / "a", environ={}, cache=cache_in(cache)).source("engagements") == "tacli.toml:1"
    monkeypatch.chdir(project / "a" / "sub")
    config = load_config(project / "a", environ={}, cache=cache_in(cache))
    assert config == load_config(project / "a", environ={})
    assert config.source("engagements") == "../tacli.toml:1"
    assert load_config(project / "b", environ={}, cache=cache_in(cache)).engagements == project / "b" / "engagements"


def test_a_run_with_its_configuration_in_the_cache_imports_no_pydantic(project, tmp_path):
    import subprocess
    import sys

    write(project / "tacli.toml", 'engagements = "engagements"\nignore = ["duty-evidence"]\n')
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tacli.commands.config import load_config\n"
        "from tacli.io.cache import Cache\n"
        f"config = load_config(Path({str(project)!r}), environ={{}}, cache=Cache(Path({str(tmp_path / 'cache')!r})))\n"
        "print(config.ignore, 'pydantic' in sys.modules)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=project) for _ in range(2)]
    assert [run.stdout.strip() for run in runs] == ["('duty-evidence',) True", "('duty-evidence',) False"], [run.stderr for run in runs]


def test_whether_a_pyproject_configures_tacli_is_kept_under_its_bytes(project, tmp_path, monkeypatch):
    import tacli.io.configfile as configfile

    monkeypatch.chdir(project)
    cache = tmp_path / "cache"
    write(project / "pyproject.toml", '[project]\nname = "x"\n\n[project.scripts]\ntacli = "tacli.cli.main:main"\n')
    assert load_config(project, environ={}, cache=cache_in(cache)).file is None
    parse = configfile._parse

    def not_again(text, path):
        raise AssertionError("parsed again")

    monkeypatch.setattr(configfile, "_parse", not_again)
    assert load_config(project, environ={}, cache=cache_in(cache)).file is None
    monkeypatch.setattr(configfile, "_parse", parse)
    write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.tacli]\nengagements = "engagements"\n')
    config = load_config(project, environ={}, cache=cache_in(cache))
    assert config.file == project / "pyproject.toml" and config.engagements == project / "engagements"
    write(project / "pyproject.toml", '[project]\nname = "tacli"\n\n[tool.tacli\n')  # not TOML: said every time
    for _ in range(2):
        with pytest.raises(ConfigError) as caught:
            load_config(project, environ={}, cache=cache_in(cache))
        assert [(p.line, p.column) for p in caught.value.findings] == [(4, 12)]


@pytest.mark.parametrize("text, found", [
    ("[[levels]]\na = 1\n", ['1:1: levels should be a table of rule ids and levels, e.g. [levels] tast-due-soon = "info"']),
    ("[[me]]\n", ['1:1: me should be a name, written as text (e.g. me = "Dana Ruiz")']),
    ("select = [[]]\n", ['1:10: select should be a list of rule ids, e.g. select = ["duty-evidence"] (`tacli rules` lists them)']),
    ('ignore = ["duty-evidence", {a = 1}]\n', ['1:10: ignore should be a list of rule ids, e.g. ignore = ["duty-evidence"] (`tacli rules` lists them)']),
])
def test_a_table_heading_or_a_list_item_of_the_wrong_kind_is_a_located_finding(project, text, found):
    """Each was an internal error: a heading has no `=` to find the value after,
    and a list with one item of the wrong kind failed again once the others were read."""
    assert problems(project, text) == found


def test_a_windows_path_whose_backslashes_make_escapes_is_told_what_happened(project):
    """`"C:\\new"` is valid TOML: C:, a line break, ew. The path was taken, and
    the standards folder then not found, with nothing about tacli.toml."""
    found = problems(project, 'standards = "C:\\new"\n')
    assert found == ["1:13: standards is 'C:\\new', which holds a line break, a tab or another control character: in text between double quotes a backslash "
                     "starts an escape (\\n is a line break); in a path write / instead, or put the text in single quotes, as in standards = 'C:\\Users\\dana'"]
    write(project / "tacli.toml", "standards = 'C:\\new'\n")  # single quotes: the backslash is a backslash
    assert str(load_config(project, environ={}).standards).endswith("C:\\new")
