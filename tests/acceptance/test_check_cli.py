"""The real `tacli` command on files: exit codes, usage errors, folder search,
--today / TACLI_TODAY, --standards / TACLI_STANDARDS, the other commands, and
parallel checking. Paths are given relative to the folder the command runs in,
so outputs can be compared exactly."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import DATA, MINI_STANDARDS, ROOT

import tacli
from tacli.checking.catalogue import ALL_RULES

MINI = ("--standards", str(MINI_STANDARDS))
TODAY = ("--today", "2026-11-22")
ENGAGEMENT = DATA / "mini-engagement.yaml"
ENGAGEMENT_TEXT = ENGAGEMENT.read_text(encoding="utf-8")


def assert_usage_error(result, message: str) -> None:
    """Exit 2, nothing on stdout, and one line on stderr."""
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"tacli: error: {message}\n"


# exit codes


def test_clean_file_exits_0(run_tacli):
    result = run_tacli("check", *MINI, *TODAY, "tests/data/mini-engagement.yaml", cwd=ROOT)
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 file checked: no problems.\n", "")


def test_warnings_only_exit_0(run_tacli):
    result = run_tacli("check", *MINI, *TODAY, "tests/golden/duty-evidence.yaml", cwd=ROOT)
    assert result.returncode == 0
    assert result.stdout.endswith("1 file checked: 1 warning in 1 file.\n")


def test_errors_exit_1(run_tacli):
    result = run_tacli("check", *MINI, *TODAY, "tests/golden/duty-open.yaml", cwd=ROOT)
    assert result.returncode == 1
    assert result.stdout.endswith("1 file checked: 1 error in 1 file.\n")


def test_errors_and_warnings_in_several_files(run_tacli, tmp_path):
    for name in ("duty-open", "duty-evidence"):  # the golden cases share one engagement id: give each its own
        text = (ROOT / "tests" / "golden" / f"{name}.yaml").read_text(encoding="utf-8")
        (tmp_path / f"{name}.yaml").write_text(text.replace("id: elm-school\n", f"id: {name}\n"), encoding="utf-8")
    shutil.copy(DATA / "mini-engagement.yaml", tmp_path / "clean.yaml")
    result = run_tacli("check", *MINI, *TODAY, "duty-open.yaml", "duty-evidence.yaml", "clean.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "3 files checked: 1 error, 1 warning in 2 files."


# usage errors: exit 2, one line, no traceback


def test_missing_path(run_tacli, tmp_path):
    result = run_tacli("check", *MINI, *TODAY, "no-such-file.yaml", cwd=tmp_path)
    assert_usage_error(result, "no-such-file.yaml: no such file or folder")


def test_missing_path_among_good_ones(run_tacli):
    result = run_tacli("check", *MINI, *TODAY, "tests/data/mini-engagement.yaml", "tests/data/nope", cwd=ROOT)
    assert_usage_error(result, "tests/data/nope: no such file or folder")


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_broken_symbolic_link_is_named_as_such(run_tacli, tmp_path):
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    (tmp_path / "gone.yaml").symlink_to("nowhere.yaml")
    for name in ("a.yaml", "gone.yaml"):
        result = run_tacli("check", *MINI, *TODAY, name, cwd=tmp_path)
        assert_usage_error(result, f"{name}: a broken symbolic link (its target is missing, or the links form a loop)")


def test_folder_without_yaml_files(run_tacli, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("not YAML\n")
    result = run_tacli("check", *MINI, *TODAY, "notes", cwd=tmp_path)
    assert_usage_error(result, "notes: no engagement files (*.yaml, *.yml) in this folder")


def test_folder_with_yaml_only_in_hidden_folders(run_tacli, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.yaml").write_text(ENGAGEMENT_TEXT)
    result = run_tacli("check", *MINI, *TODAY, ".", cwd=tmp_path)
    assert_usage_error(result, ".: no engagement files (*.yaml, *.yml) in this folder")


@pytest.mark.parametrize("value", ["yesterday", "22/11/2026"])
def test_invalid_today(run_tacli, value):
    result = run_tacli("check", *MINI, "--today", value, "tests/data/mini-engagement.yaml", cwd=ROOT)
    assert_usage_error(result, f"--today '{value}' is not a date: write YYYY-MM-DD")


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30"])
def test_today_written_as_yyyy_mm_dd_but_not_in_the_calendar(run_tacli, value):
    result = run_tacli("check", *MINI, "--today", value, "tests/data/mini-engagement.yaml", cwd=ROOT)
    assert_usage_error(result, f"--today '{value}' is not a real date: give a day that exists, as YYYY-MM-DD")


def test_invalid_jobs(run_tacli):
    result = run_tacli("check", *MINI, *TODAY, "--jobs", "0", "tests/data/mini-engagement.yaml", cwd=ROOT)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# folder search


@pytest.fixture
def folder(tmp_path):
    """Engagements among other YAML files, in sub-folders and a hidden folder."""
    root = tmp_path / "engagements"
    (root / "2026").mkdir(parents=True)
    (root / ".drafts").mkdir()
    (root / "2026" / "elm.yaml").write_text(ENGAGEMENT_TEXT)
    (root / "2026" / "oak.yml").write_text(ENGAGEMENT_TEXT.replace("id: elm-school", "id: oak-school").replace("hours: 3", "hours: 30"))
    (root / "2026" / "broken.yaml").write_text("tacli: 1\nid: [broken\n")
    (root / "config.yaml").write_text("editor: vim\n")
    (root / "list.yml").write_text("- one\n- two\n")
    (root / ".drafts" / "draft.yaml").write_text("tacli: 1\nid: [unfinished\n")
    (root / "notes.txt").write_text("tacli: 1\n")
    return root


def test_folder_search_skips_other_yaml_and_hidden_folders(run_tacli, folder):
    result = run_tacli("check", *MINI, *TODAY, "engagements", cwd=folder.parent)
    assert result.returncode == 1
    assert result.stdout == (
        "engagements/2026/broken.yaml:2:5: error yaml-syntax this [ is never closed: end it with ] after its last item, on this line\n"
        "engagements/2026/oak.yml:29:12: error schema-type the hours of service 'first-visit' should be less than or equal to 24 (found 30)\n"
        "3 files checked: 2 errors in 2 files (2 YAML files without `tacli:` skipped).\n"
    )


def test_folder_search_from_the_current_folder(run_tacli, folder):
    (folder / "2026" / "broken.yaml").unlink()
    (folder / "2026" / "oak.yml").unlink()
    result = run_tacli("check", *MINI, *TODAY, cwd=folder)
    assert (result.returncode, result.stdout) == (0, "1 file checked: no problems (2 YAML files without `tacli:` skipped).\n")


def test_folder_search_skips_other_yaml_that_uses_tags_or_merge_keys(run_tacli, folder):
    # YAML of other tools is not an engagement, whatever features of YAML it uses
    (folder / "mkdocs.yml").write_text("site_name: Docs\nemoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    (folder / "docker-compose.yml").write_text("x-base: &base\n  image: python\nservices:\n  web:\n    <<: *base\n")
    (folder / "2026" / "broken.yaml").unlink()
    (folder / "2026" / "oak.yml").unlink()
    result = run_tacli("check", *MINI, *TODAY, cwd=folder)
    assert (result.returncode, result.stdout) == (0, "1 file checked: no problems (4 YAML files without `tacli:` skipped).\n")


def test_engagement_with_a_yaml_problem_is_not_skipped(run_tacli, folder):
    (folder / "2026" / "elm.yaml").write_text(ENGAGEMENT_TEXT.replace("tier: basic\n", "tier: basic\ntier: intensive\n"))
    (folder / "2026" / "broken.yaml").unlink()
    (folder / "2026" / "oak.yml").unlink()
    result = run_tacli("check", *MINI, *TODAY, cwd=folder)
    assert result.returncode == 1
    assert result.stdout == (
        "2026/elm.yaml:5:1: error yaml-duplicate-key duplicate key 'tier' (first at line 4): keep one of them\n"
        "1 file checked: 1 error in 1 file (2 YAML files without `tacli:` skipped).\n"
    )


def test_named_non_engagement_file_is_reported(run_tacli, folder):
    result = run_tacli("check", *MINI, *TODAY, "config.yaml", cwd=folder)
    assert result.returncode == 1
    assert result.stdout == (
        "config.yaml:1:1: error not-engagement not an engagement file: add `tacli: 1` as its first line, or create one with `tacli new engagement`\n"
        "1 file checked: 1 error in 1 file.\n"
    )


def test_file_in_a_hidden_folder_named_explicitly_is_checked(run_tacli, folder):
    result = run_tacli("check", *MINI, *TODAY, ".drafts/draft.yaml", cwd=folder)
    assert result.returncode == 1
    assert result.stdout.startswith(".drafts/draft.yaml:2:5: error yaml-syntax ")


# --today and TACLI_TODAY


def test_tacli_today(run_tacli):
    # the report of tast-due-soon.yaml is due on 2026-11-24
    args = ("check", *MINI, "tests/golden/tast-due-soon.yaml")
    soon = run_tacli(*args, cwd=ROOT, env={"TACLI_TODAY": "2026-11-22"})
    late = run_tacli(*args, cwd=ROOT, env={"TACLI_TODAY": "2026-11-25"})
    assert (soon.returncode, late.returncode) == (0, 1)
    assert " warning tast-due-soon " in soon.stdout
    assert " error tast-overdue " in late.stdout and "1 day ago" in late.stdout


def test_today_option_wins_over_tacli_today(run_tacli):
    result = run_tacli("check", *MINI, *TODAY, "tests/golden/tast-due-soon.yaml", cwd=ROOT, env={"TACLI_TODAY": "2026-11-25"})
    assert result.returncode == 0
    assert " warning tast-due-soon " in result.stdout


def test_invalid_tacli_today(run_tacli):
    result = run_tacli("check", *MINI, "tests/data/mini-engagement.yaml", cwd=ROOT, env={"TACLI_TODAY": "soon"})
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "'soon' is not a date" in result.stderr


# --standards and TACLI_STANDARDS


@pytest.fixture
def broken_standards(tmp_path):
    folder = tmp_path / "standards"
    shutil.copytree(MINI_STANDARDS, folder)
    matrix = folder / "matrix.yaml"
    text = matrix.read_text(encoding="utf-8")
    matrix.write_text(text.replace("    due: service-date\n", "    due: service-date\n    when: before\n", 1), encoding="utf-8")
    return folder


def test_broken_standards(run_tacli, broken_standards):
    result = run_tacli("check", "--standards", "standards", *TODAY, str(ENGAGEMENT), cwd=broken_standards.parent)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "standards/matrix.yaml:12:5: error spec-invalid unknown key 'when' in a standards file: see docs/standards-format.md for the keys each section takes\n"
        "tacli: error: the standards in standards cannot be used (1 problem)\n"
    )


def test_missing_standards_folder(run_tacli, tmp_path):
    result = run_tacli("check", "--standards", "nowhere", *TODAY, str(ENGAGEMENT), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "nowhere:1:1: error spec-invalid standards folder not found: give an existing folder with --standards or TACLI_STANDARDS",
        "tacli: error: the standards in nowhere cannot be used (1 problem)",
    ]


def test_a_standards_folder_that_cannot_be_listed_is_a_finding_not_a_crash(run_tacli, tmp_path, monkeypatch):
    standards = tmp_path / "standards"
    shutil.copytree(MINI_STANDARDS, standards)
    for owner, name in ((os, "scandir"), (os, "listdir"), (Path, "iterdir")):  # however it is listed (by the cache's digest too)
        def refused(path=".", real=getattr(owner, name)):
            if os.path.abspath(path) == str(standards):
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(owner, name, refused)
    result = run_tacli("check", "--standards", "standards", *TODAY, str(ENGAGEMENT), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "standards:1:1: error spec-invalid cannot list the standards folder: Permission denied: give read permission to the user who runs tacli",
        "tacli: error: the standards in standards cannot be used (1 problem)",
    ]


def test_tacli_standards(run_tacli, broken_standards):
    good = run_tacli("check", *TODAY, "tests/data/mini-engagement.yaml", cwd=ROOT, env={"TACLI_STANDARDS": str(MINI_STANDARDS)})
    assert (good.returncode, good.stdout) == (0, "1 file checked: no problems.\n")
    bad = run_tacli("check", *TODAY, "tests/data/mini-engagement.yaml", cwd=ROOT, env={"TACLI_STANDARDS": str(broken_standards)})
    assert bad.returncode == 2
    assert " spec-invalid unknown key 'when' " in bad.stderr


def test_standards_option_wins_over_tacli_standards(run_tacli, broken_standards):
    result = run_tacli("check", *MINI, *TODAY, "tests/data/mini-engagement.yaml", cwd=ROOT, env={"TACLI_STANDARDS": str(broken_standards)})
    assert (result.returncode, result.stdout) == (0, "1 file checked: no problems.\n")


# no traceback, whatever the input


def test_no_traceback_for_all_bad_inputs_at_once(run_tacli):
    result = run_tacli("check", *MINI, *TODAY, "tests/golden", cwd=ROOT)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    # not-engagement.yaml, the rosters of the roster-* cases, and the standards files of spec-invalid/ and standards/*/
    assert result.stdout.splitlines()[-1].endswith("(17 YAML files without `tacli:` skipped).")


def test_deep_nesting_does_not_crash_the_interpreter(run_tacli, tmp_path):
    (tmp_path / "deep.yaml").write_text("[" * 100_000 + "]" * 100_000)
    result = run_tacli("check", *MINI, *TODAY, "deep.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("deep.yaml:1:65: error yaml-limits values are nested more than 64 levels deep")
    assert result.stderr == ""


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(run_tacli, tmp_path):
    path = tmp_path / "locked.yaml"
    path.write_text(ENGAGEMENT_TEXT)
    path.chmod(0)
    try:
        result = run_tacli("check", *MINI, *TODAY, "locked.yaml", cwd=tmp_path)
    finally:
        path.chmod(0o644)
    assert result.returncode == 1
    assert result.stdout.startswith("locked.yaml:1:1: error file-unreadable cannot read the file: Permission denied: give read permission to the user who runs tacli\n")


# other commands


def test_version(run_tacli):
    result = run_tacli("--version")
    assert (result.returncode, result.stdout) == (0, f"tacli {tacli.__version__}\n")


def test_rules_lists_every_rule(run_tacli):
    result = run_tacli("rules")
    assert result.returncode == 0
    first_words = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    for rule in ALL_RULES:
        assert rule.id in first_words
        assert any(line.split()[:2] == [rule.id, rule.level.value] for line in result.stdout.splitlines() if line.strip())


def test_standards_list(run_tacli):
    result = run_tacli("standards", "list", *MINI)
    assert result.returncode == 0
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "Mini standards" in rows["mini"]
    assert "Plain planning" in rows["plain"]


def test_standards_show(run_tacli):
    result = run_tacli("standards", "show", "mini", *MINI)
    assert result.returncode == 0
    assert result.stdout.startswith("Mini standards [mini]\n")
    for text in ("\nplanning.facilitator.prepare-agenda\n", "Prepare the agenda", "clarity", "Also: universal.", "hours_cap"):
        assert text in result.stdout


def test_standards_show_explains_each_reading_at_80_columns(run_tacli):
    """Every note that explains how a number or term was read is shown, and no id is broken."""
    from tacli.standards.spec import load_spec, shipped_standards

    spec = load_spec(shipped_standards())
    for framework in spec.frameworks.values():
        shown = run_tacli("standards", "show", framework.id, env={"COLUMNS": "80"}).stdout
        assert all(len(line) <= 80 for line in shown.splitlines())
        lines = set(shown.splitlines())
        for duty in framework.duties:
            assert duty.id in lines  # whole, on a line of its own
        notes = [item.note for section in ("stages", "duties", "terms", "assumptions", "conditions", "eligibility") for item in getattr(framework, section) if item.note]
        notes += [limit.note for limit in framework.limits.values() if limit.note] + ([framework.report.note] if framework.report and framework.report.note else [])
        flat = " ".join(shown.split())
        for note in notes:
            assert " ".join(note.split()) in flat, note

def test_standards_show_unknown_framework(run_tacli):
    result = run_tacli("standards", "show", "mni", *MINI)
    assert_usage_error(result, "unknown framework 'mni': did you mean 'mini'?")


def test_standards_show_with_broken_standards(run_tacli, broken_standards):
    result = run_tacli("standards", "show", "mini", "--standards", str(broken_standards))
    assert result.returncode == 2
    assert "spec-invalid" in result.stderr and "Traceback" not in result.stderr


def test_the_set_up_commands_with_the_shipped_standards(run_tacli, tmp_path):
    shown = run_tacli("standards", "show", "cali", env={"COLUMNS": "80"})
    assert shown.returncode == 0 and "follow-up.facilitator.complete-tast-report" in shown.stdout
    listed = run_tacli("standards", "list")
    assert listed.returncode == 0 and {line.split()[0] for line in listed.stdout.splitlines() if line.strip()} >= {"cali", "csde", "dunst", "fixsen", "oec"}, listed.stdout
    rules = run_tacli("rules")
    assert rules.returncode == 0 and "duty-open" in rules.stdout
    schema = run_tacli("schema", "-o", tmp_path / "engagement.schema.json")
    assert schema.returncode == 0 and (tmp_path / "engagement.schema.json").is_file()
    config = run_tacli("config", cwd=tmp_path, env={"COLUMNS": "80"})
    # Each line fits 80 columns, but a path longer than that (an install deep in a
    # temporary folder), which stands on a line of its own, unbroken, to be copied.
    assert config.returncode == 0 and all(len(line) <= 80 or " " not in line.strip() for line in config.stdout.splitlines()), config.stdout


# parallel checking


def test_parallel_check_gives_the_same_output(run_tacli, tmp_path):
    for number in range(60):
        text = ENGAGEMENT_TEXT.replace("id: elm-school", f"id: elm-school-{number:02d}")
        if number % 7 == 0:  # a coaching session over the coaching cap
            text = text.replace("hours: 3", "hours: 11").replace("type: visit", "type: coaching").replace("mode: on-site", "mode: virtual")
        if number % 11 == 0:
            text = text.replace("{status: done, date: 2026-09-30, evidence: agenda.pdf}", "{status: done, date: 2026-09-30}")
        (tmp_path / f"engagement-{number:02d}.yaml").write_text(text)
    one = run_tacli("check", *MINI, *TODAY, "--jobs", "1", ".", cwd=tmp_path)
    many = run_tacli("check", *MINI, *TODAY, "--jobs", "4", ".", cwd=tmp_path)
    default = run_tacli("check", *MINI, *TODAY, ".", cwd=tmp_path)
    assert one.returncode == many.returncode == default.returncode == 1
    assert one.stdout == many.stdout == default.stdout
    assert one.stdout.splitlines()[-1] == "60 files checked: 9 errors, 6 warnings in 14 files."
    assert many.stderr == ""


# the checks come from the standards, not from code


def test_a_duty_added_to_the_standards_is_checked(run_tacli, tmp_path):
    standards = tmp_path / "standards"
    shutil.copytree(MINI_STANDARDS, standards)
    matrix = standards / "matrix.yaml"
    text = matrix.read_text(encoding="utf-8")
    duty = (
        "  - id: planning.facilitator.book-room\n"
        "    stage: planning\n"
        "    role: facilitator\n"
        '    number: "2"\n'
        "    text: Book a room\n"
    )
    matrix.write_text(text.replace("duties:\n", "duties:\n" + duty, 1), encoding="utf-8")
    result = run_tacli("check", "--standards", str(standards), *TODAY, "mini-engagement.yaml", cwd=DATA)
    assert result.returncode == 1
    assert result.stdout == (
        "mini-engagement.yaml:32:5: error duty-open duty planning.facilitator.book-room for service 'first-visit' (2026-10-01) "
        'is not recorded but due (Planning, Facilitator 2: "Book a room"): mark it done with a date and evidence, or not-applicable with a reason\n'
        "1 file checked: 1 error in 1 file.\n"
    )
    # a service that has not happened yet owes nothing
    planned = ENGAGEMENT_TEXT[: ENGAGEMENT_TEXT.index("    duties:\n")]
    (tmp_path / "planned.yaml").write_text(planned, encoding="utf-8")
    early = run_tacli("check", "--standards", str(standards), "--today", "2026-09-30", "planned.yaml", cwd=tmp_path)
    assert (early.returncode, early.stdout) == (0, "1 file checked: no problems.\n")


def test_engagement_ids_shared_across_files(run_tacli, tmp_path):
    """Reports are filed under the engagement id, so two files may not share one; also when checked in parallel."""
    text = (DATA / "mini-engagement.yaml").read_text(encoding="utf-8")
    for index in range(50):
        engagement_id = "elm-school" if index in (7, 31) else f"elm-school-{index:02d}"
        (tmp_path / f"e{index:02d}.yaml").write_text(text.replace("id: elm-school\n", f"id: {engagement_id}\n"), encoding="utf-8")
    args = ["check", "--standards", MINI_STANDARDS, "--today", "2026-11-22", tmp_path]
    serial, parallel = run_tacli(*args, "--jobs", "1"), run_tacli(*args, "--jobs", "2")
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout
    assert serial.stdout.splitlines() == [
        f"{tmp_path}/e31.yaml:2:5: error duplicate-id engagement id 'elm-school' is already used by {tmp_path}/e07.yaml: give each engagement its own id (reports are filed under it)",
        "50 files checked: 1 error in 1 file.",
    ]


@pytest.mark.parametrize("output", ["tests/data/mini-engagement.yaml", "examples/little-acorns-oec-coaching.yaml"])
def test_the_output_is_never_an_engagement_file(run_tacli, output):
    """`check FILE -o FILE` would replace the engagement with its findings."""
    before = (ROOT / output).read_bytes()
    result = run_tacli("check", *MINI, *TODAY, "tests/data/mini-engagement.yaml", "-o", output, cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr == f"tacli: error: --output {output} is an engagement file: tacli never replaces one, even with --force; write the findings to another file\n"
    assert (ROOT / output).read_bytes() == before


def test_temporary_files_of_a_killed_edit_are_never_checked(run_tacli, tmp_path):
    """An edit killed between writing its temporary file and renaming it leaves
    `.tacli-<name>-XXXX.tmp` beside the engagement: a folder search passes it by."""
    shutil.copy(DATA / "mini-engagement.yaml", tmp_path / "elm.yaml")
    (tmp_path / ".tacli-elm.yaml-k2j4f9.tmp").write_text((DATA / "mini-engagement.yaml").read_text(encoding="utf-8")[:200], encoding="utf-8")
    result = run_tacli("check", *MINI, *TODAY, str(tmp_path))
    assert (result.returncode, result.stdout) == (0, "1 file checked: no problems.\n")
