"""A bug inside tacli met on one file is an internal-error finding on that file:
every other file is still checked and reported, and the run exits 2."""

import shutil

import pytest
from conftest import EXAMPLES

from tacli.checking.checker import PARALLEL_FROM

BROKEN = "little-acorns-oec-coaching.yaml"
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
    assert done.returncode == 2
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


def test_report_exits_2_too_and_names_the_file(run_tacli, monkeypatch, tmp_path):
    break_the_plan_checks_on(monkeypatch, BROKEN)
    done = run_tacli("report", "--today", "2026-11-22", "--out-dir", str(tmp_path / "reports"), str(EXAMPLES / BROKEN), str(EXAMPLES / OTHER))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{EXAMPLES / BROKEN}:1:1: error internal-error" in done.stderr
    assert not (tmp_path / "reports").exists()
