"""A bug inside tacli met on one file is an internal-error finding on that file:
every other file is still checked and reported, and the run exits 3 (2 is a
mistake in how tacli was run; CI tells them apart). TACLI_DEBUG=1 or
--traceback shows where a bug happened."""

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES

from tacli.checking.checker import PARALLEL_FROM

BROKEN = "little-acorns-oec-coaching.yaml"


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    """A bug is put into tacli's code here without changing its files, so the
    cache (keyed on those files) would serve what the code found before: off."""
    monkeypatch.setenv("TACLI_TEST_NO_CACHE", "1")  # tacli run by the tests then has TACLI_NO_CACHE=1 (conftest)
OTHER = "riverside-district-intensive.yaml"


def break_the_plan_checks_on(monkeypatch, name: str) -> None:
    """The plan checks raise on the engagement `name` only, as a bug would."""
    import tacli.checking.checks.plan as plan

    original = plan.check

    def broken(context):
        if context.document.path.endswith(name):
            raise RuntimeError("boom\nsecond line")
        yield from original(context)

    monkeypatch.setattr(plan, "check", broken)


def assert_only_the_broken_file_is_lost(done, broken_name: str) -> None:
    assert done.returncode == 3
    assert done.stderr == ""
    assert "Traceback" not in done.stdout
    lines = done.stdout.splitlines()
    [internal] = [line for line in lines if " internal-error " in line]
    assert internal == (
        f"{broken_name}:1:1: error internal-error internal error (RuntimeError: boom second line): "
        "this is a bug in tacli and the file was not checked; please report it with the file"
    )
    assert any(OTHER in line and " internal-error " not in line for line in lines), "the other file is still checked"


def test_a_bug_on_one_file_is_a_finding_on_it(run_tacli, monkeypatch):
    break_the_plan_checks_on(monkeypatch, BROKEN)
    done = run_tacli("check", "--today", "2026-11-22", str(EXAMPLES / BROKEN), str(EXAMPLES / OTHER))
    assert_only_the_broken_file_is_lost(done, str(EXAMPLES / BROKEN))


def test_a_bug_while_reading_is_a_finding_too(run_tacli, monkeypatch):
    import tacli.io.yamlsource as yamlsource

    original = yamlsource.load_bytes

    def broken(raw, name):
        if name.endswith(BROKEN):
            raise RuntimeError("boom\nsecond line")
        return original(raw, name)

    monkeypatch.setattr(yamlsource, "load_bytes", broken)
    done = run_tacli("check", "--today", "2026-11-22", str(EXAMPLES / BROKEN), str(EXAMPLES / OTHER))
    assert_only_the_broken_file_is_lost(done, str(EXAMPLES / BROKEN))


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="workers inherit the broken check only when forked")
def test_in_parallel_too(run_tacli, monkeypatch, tmp_path):
    for index in range(PARALLEL_FROM):
        text = (EXAMPLES / OTHER).read_text(encoding="utf-8").replace("id: riverside", f"id: riverside-{index:02d}", 1)
        (tmp_path / f"{index:02d}-{OTHER}").write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLES / BROKEN, tmp_path / BROKEN)
    break_the_plan_checks_on(monkeypatch, BROKEN)
    done = run_tacli("check", "--today", "2026-11-22", "--jobs", "2", ".", cwd=tmp_path)
    assert_only_the_broken_file_is_lost(done, BROKEN)
    assert done.stdout.splitlines()[-1].startswith(f"{PARALLEL_FROM + 1} files checked:")


def test_the_rule_cannot_be_ignored(run_tacli):
    done = run_tacli("check", "--ignore", "internal-error", str(EXAMPLES / OTHER))
    assert done.returncode == 2
    assert "'internal-error' cannot be ignored" in done.stderr


def test_report_exits_3_too_and_names_the_file(run_tacli, monkeypatch, tmp_path):
    break_the_plan_checks_on(monkeypatch, BROKEN)
    done = run_tacli("report", "--today", "2026-11-22", "--out-dir", str(tmp_path / "reports"), str(EXAMPLES / BROKEN), str(EXAMPLES / OTHER))
    assert done.returncode == 3 and "Traceback" not in done.stderr
    assert f"{EXAMPLES / BROKEN}:1:1: error internal-error" in done.stderr
    reports = tmp_path / "reports"  # the other file's reports are written; the summary names the file left out
    assert (reports / Path(OTHER).stem / "plan.md").is_file() and not (reports / Path(BROKEN).stem).exists()
    assert f"| {EXAMPLES / BROKEN} | 1 | internal error" in (reports / "summary.md").read_text(encoding="utf-8").replace("\\", "")


def test_with_tacli_debug_the_traceback_of_a_file_s_bug_is_on_standard_error(run_tacli, monkeypatch):
    break_the_plan_checks_on(monkeypatch, BROKEN)
    done = run_tacli("check", "--today", "2026-11-22", str(EXAMPLES / BROKEN), str(EXAMPLES / OTHER), env={"TACLI_DEBUG": "1"})
    assert done.returncode == 3
    assert f"tacli: internal error on {EXAMPLES / BROKEN}:" in done.stderr
    assert "Traceback (most recent call last)" in done.stderr and 'RuntimeError: boom' in done.stderr and "in broken" in done.stderr
    assert " internal-error " in done.stdout  # the finding is still reported where it always is


def break_the_check_command(monkeypatch) -> None:
    import tacli.commands.check as check

    def broken(options):
        raise ValueError("year 10000 is out of range")

    monkeypatch.setattr(check, "run", broken)


def test_a_bug_outside_any_file_exits_3_without_a_traceback_and_says_how_to_see_it(run_tacli, monkeypatch):
    break_the_check_command(monkeypatch)
    done = run_tacli("check", str(EXAMPLES / OTHER))
    assert done.returncode == 3 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "tacli: internal error: ValueError: year 10000 is out of range",
        "This is a bug in tacli. Please report it with the command you ran and the file it read. TACLI_DEBUG=1 (or tacli --traceback) shows where it happened.",
    ]


@pytest.mark.parametrize("how", [("--traceback",), ("TACLI_DEBUG",)])
def test_tacli_debug_or_traceback_prints_where_the_bug_happened(run_tacli, monkeypatch, how):
    break_the_check_command(monkeypatch)
    if how == ("--traceback",):
        done = run_tacli("--traceback", "check", str(EXAMPLES / OTHER))
    else:
        done = run_tacli("check", str(EXAMPLES / OTHER), env={"TACLI_DEBUG": "1"})
    assert done.returncode == 3
    assert done.stderr.startswith("Traceback (most recent call last):")
    assert "in broken" in done.stderr and "ValueError: year 10000 is out of range" in done.stderr
    assert done.stderr.splitlines()[-1] == "This is a bug in tacli. Please report it with the command you ran and the file it read."


def test_tacli_debug_0_is_off(run_tacli, monkeypatch):
    break_the_check_command(monkeypatch)
    done = run_tacli("check", str(EXAMPLES / OTHER), env={"TACLI_DEBUG": "0"})
    assert done.returncode == 3 and "Traceback" not in done.stderr
