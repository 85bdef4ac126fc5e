"""tacli.toml through the real command: what `tacli config` shows, what
`tacli check` does with it, what wins over it, and its mistakes (exit 2, with
file, line and column)."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import DATA, MINI_STANDARDS

from tacli.checking.catalogue import ALL_RULES

TODAY = ("--today", "2026-11-22")
TOTAL = len(ALL_RULES)
ENGAGEMENT_TEXT = (DATA / "mini-engagement.yaml").read_text(encoding="utf-8")
OPEN = (DATA / "formats" / "open-and-undocumented.yaml").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    """A git repository with its own standards, two engagements and a tacli.toml."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(MINI_STANDARDS, root / "ta-standards")
    (root / "engagements").mkdir()
    (root / "engagements" / "elm.yaml").write_text(ENGAGEMENT_TEXT, encoding="utf-8")
    (root / "engagements" / "oak.yaml").write_text(OPEN.replace("id: elm-school", "id: oak-school"), encoding="utf-8")
    (root / "tacli.toml").write_text(
        "# tacli settings for the center\n"
        'standards = "ta-standards"\n'
        'engagements = "engagements"\n'
        'reports = "docs/reports"\n'
        'ignore = ["duty-evidence"]\n'
        "\n"
        "[levels]\n"
        'duty-open = "warning"\n',
        encoding="utf-8",
    )
    return root


def test_config_shows_each_value_and_its_source(run_tacli, project):
    result = run_tacli("config", cwd=project)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "configuration file: tacli.toml\n"
        "\n"
        "setting      value                   from\n"
        "standards    ta-standards            tacli.toml:2\n"
        "engagements  engagements             tacli.toml:3\n"
        "reports      docs/reports            tacli.toml:4\n"
        "roster       (not set)               default (none: no coverage; --roster FILE)\n"
        "schema       engagement.schema.json  default (next to the engagements folder)\n"
        "select       every rule              default\n"
        "ignore       duty-evidence           tacli.toml:5\n"
        "levels       duty-open=warning       tacli.toml:7\n"
        "me           (not set)               default (tacli due lists everyone)\n"
        "commit       false                   default (tacli serve does not commit)\n"
        "\n"
        f"rules: {TOTAL - 1} of {TOTAL} reported (`tacli rules` lists them)\n"
        "  not reported: duty-evidence\n"
        "  duty-open: warning (default error)\n"
    )


def test_config_from_a_sub_folder_and_options_that_win(run_tacli, project):
    (project / "engagements" / "2026").mkdir()
    result = run_tacli("config", "--standards", "elsewhere", cwd=project / "engagements" / "2026")
    lines = result.stdout.splitlines()
    assert lines[0] == "configuration file: ../../tacli.toml"
    assert lines[3].split() == ["standards", "elsewhere", "--standards"]
    assert lines[4].split() == ["engagements", "..", "../../tacli.toml:3"]
    by_variable = run_tacli("config", cwd=project, env={"TACLI_STANDARDS": "/srv/standards"})
    assert by_variable.stdout.splitlines()[3].split() == ["standards", "/srv/standards", "TACLI_STANDARDS"]


def test_config_json(run_tacli, project):
    result = run_tacli("config", "--json", cwd=project)
    described = json.loads(result.stdout)
    assert described["file"] == "tacli.toml"
    assert described["settings"]["reports"] == {"value": "docs/reports", "source": "tacli.toml:4"}
    assert described["rules"]["ignored"] == ["duty-evidence"]
    assert described["rules"]["levels"] == {"duty-open": {"level": "warning", "default": "error"}}


def test_config_without_a_file(run_tacli, tmp_path):
    (tmp_path / ".git").mkdir()
    result = run_tacli("config", cwd=tmp_path, env={"COLUMNS": "80"})
    assert result.returncode == 0
    assert result.stdout.startswith("configuration file: none (tacli.toml, or [tool.tacli] in pyproject.toml,\n  searched from the current folder up to the top of the git repository)\n")
    wide = run_tacli("config", cwd=tmp_path, env={"COLUMNS": "300"})  # a table, wherever tacli is installed
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in wide.stdout.splitlines()[2:10]}
    assert rows["engagements"] == [".", "default (the current folder)"]
    assert rows["schema"] == ["engagement.schema.json", "default"]
    assert rows["standards"][1] == "default (shipped with tacli)"


def test_check_uses_the_configuration(run_tacli, project):
    # no PATH: the engagements folder; the standards of the file; duty-evidence ignored; duty-open a warning
    result = run_tacli("check", *TODAY, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "engagements/oak.yaml:33:7: warning duty-open duty planning.facilitator.prepare-agenda for service 'first-visit' (2026-10-01) is open but due "
        "(Planning, Facilitator 1: \"Prepare the agenda\"): mark it done with a date and evidence, or not-applicable with a reason",
        "2 files checked: 1 warning in 1 file.",
    ]


def test_check_from_a_sub_folder_shows_paths_from_there(run_tacli, project):
    (project / "notes").mkdir()
    result = run_tacli("check", *TODAY, cwd=project / "notes")
    assert result.stdout.startswith("../engagements/oak.yaml:33:7: warning duty-open ")


def test_command_line_wins_over_the_file(run_tacli, project):
    strict = run_tacli("check", *TODAY, "--ignore", "tast-*", cwd=project)  # --ignore replaces the file's ignore
    assert strict.returncode == 0
    assert " warning duty-evidence " in strict.stdout
    path = run_tacli("check", *TODAY, "engagements/elm.yaml", cwd=project)
    assert path.stdout == "1 file checked: no problems.\n"
    other = run_tacli("check", *TODAY, "--standards", str(DATA / "nowhere"), cwd=project)
    assert other.returncode == 2 and f"the standards in {DATA / 'nowhere'} cannot be used" in other.stderr


def test_explicit_configuration(run_tacli, project, tmp_path):
    ci = tmp_path / "ci.toml"
    ci.write_text(f'standards = "{(project / "ta-standards").as_posix()}"\nselect = ["yaml-*"]\n', encoding="utf-8")
    by_option = run_tacli("check", *TODAY, "--config", str(ci), "engagements", cwd=project)
    by_variable = run_tacli("check", *TODAY, "engagements", cwd=project, env={"TACLI_CONFIG": str(ci)})
    assert by_option.stdout == by_variable.stdout == "2 files checked: no problems.\n"
    shown = run_tacli("config", "--config", str(ci), cwd=project)
    assert shown.stdout.splitlines()[0] == "configuration file: ../ci.toml"
    missing = run_tacli("check", "--config", "nope.toml", cwd=project)
    assert (missing.returncode, missing.stderr) == (2, "tacli: error: nope.toml: configuration file not found\n")


def test_missing_engagements_folder(run_tacli, project):
    shutil.rmtree(project / "engagements")
    result = run_tacli("check", *TODAY, cwd=project)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "tacli: error: the engagements folder engagements (tacli.toml:3) does not exist\n"


def test_broken_standards_named_in_the_file(run_tacli, project):
    (project / "tacli.toml").write_text('standards = "missing-standards"\n', encoding="utf-8")
    result = run_tacli("check", *TODAY, "engagements", cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "tacli: error: the standards in missing-standards cannot be used (1 problem)"


@pytest.mark.parametrize("command", [("check",), ("config",), ("schema",), ("standards", "list"), ("rules",)])
def test_a_mistake_in_the_file_stops_every_command_that_reads_it(run_tacli, project, command):
    (project / "tacli.toml").write_text('engagements = "engagements"\nignore = ["duty-evidense"]\nformat = "json"\n', encoding="utf-8")
    result = run_tacli(*command, cwd=project)
    if command == ("rules",):  # reads no configuration
        assert result.returncode == 0
        return
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "tacli.toml:2:11: error config-invalid unknown rule 'duty-evidense' in ignore: did you mean 'duty-evidence'?\n"
        "tacli.toml:3:1: error config-invalid unknown key 'format': remove it, or use one of the known keys: standards, engagements, reports, roster, schema, select, ignore, levels, me, commit.\n"
        "tacli: error: the configuration tacli.toml cannot be used (2 problems)\n"
    )


def test_pyproject_configuration(run_tacli, project):
    (project / "tacli.toml").unlink()
    (project / "pyproject.toml").write_text(
        '[project]\nname = "center-ta"\n\n[tool.tacli]\nstandards = "ta-standards"\nengagements = "engagements"\nlevels = { duty-open = "info", tast-due-son = "info" }\n',
        encoding="utf-8",
    )
    result = run_tacli("check", *TODAY, cwd=project)
    assert (result.returncode, result.stderr) == (
        2,
        "pyproject.toml:7:32: error config-invalid unknown rule 'tast-due-son' in levels: did you mean 'tast-due-soon'?\n"
        "tacli: error: the configuration pyproject.toml cannot be used (1 problem)\n",
    )
    (project / "pyproject.toml").write_text((project / "pyproject.toml").read_text().replace(', tast-due-son = "info"', ""), encoding="utf-8")
    result = run_tacli("check", *TODAY, cwd=project)
    assert result.returncode == 0
    assert [line.split()[1:3] for line in result.stdout.splitlines()[:-1]] == [["info", "duty-open"], ["warning", "duty-evidence"]]


def test_report_and_new_take_their_folders_from_the_configuration(run_tacli, tmp_path):
    from conftest import MINI_STANDARDS

    project = tmp_path / "project"
    (project / "work").mkdir(parents=True)
    (project / "tacli.toml").write_text(
        f'standards = "{MINI_STANDARDS.as_posix()}"\nengagements = "work"\nreports = "out"\n', encoding="utf-8"
    )
    new = run_tacli(
        "new", "engagement", "Data Use", "--recipient", "Elm", "--organization", "Center", "--facilitator", "Dana",
        "--frameworks", "mini", "--start", "2026-09-01", cwd=project,
    )
    assert new.returncode == 0, new.stderr
    assert (project / "work" / "data-use.yaml").is_file()
    written = run_tacli("report", "--today", "2026-11-22", cwd=project)
    assert written.returncode == 0, written.stderr
    assert (project / "out" / "data-use" / "plan.md").is_file()
    assert run_tacli("report", "--check", "--today", "2026-11-22", cwd=project).returncode == 0


def test_config_fits_80_columns_even_with_long_paths(run_tacli, tmp_path):
    deep = tmp_path / ("a-rather-long-folder-name-for-a-regional-center" * 2) / "engagements"
    deep.mkdir(parents=True)
    (deep.parent / "tacli.toml").write_text('engagements = "engagements"\nreports = "reports-for-the-board-of-education-2026"\nignore = ["duty-open"]\n')
    result = run_tacli("config", cwd=deep, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():  # a path longer than a line stays whole, on a line of its own
        assert len(line) <= 80 or " " not in line.strip().removeprefix("from ").removeprefix("engagements: ").removeprefix("reports: ").removeprefix("configuration file: "), line
    assert "engagements: " in result.stdout and "    from " in result.stdout


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="FIFOs are POSIX")
def test_a_configuration_that_is_not_a_file_is_said_not_passed_over(run_tacli, tmp_path):
    import os

    (tmp_path / ".git").mkdir()
    os.mkfifo(tmp_path / "tacli.toml")
    result = run_tacli("config", cwd=tmp_path)
    assert result.returncode == 2 and "it is a FIFO (named pipe), not a regular file" in result.stderr
