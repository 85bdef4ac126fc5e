"""The installed `tacli` command, in a process of its own: the few runs that
prove the console script, its imports and its streams work outside pytest.
Everything else runs the same command line in-process (conftest.run_in_process)."""

from __future__ import annotations

from conftest import EXAMPLES, ROOT, run_installed

TODAY = ("--today", "2026-11-22")


def test_version_and_help():
    version = run_installed("--version")
    assert version.returncode == 0 and version.stdout.startswith("tacli ")
    helped = run_installed("--help")
    assert helped.returncode == 0
    for command in ("check", "report", "new", "mark"):
        assert command in helped.stdout


def test_check_the_examples():
    done = run_installed("check", *TODAY, "examples", cwd=ROOT)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[-1].startswith("3 files checked: ")
    assert "Traceback" not in done.stderr


def test_one_report_to_standard_output():
    done = run_installed("report", *TODAY, "--kind", "plan", str(EXAMPLES / "little-acorns-oec-coaching.yaml"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# ")


def test_new_engagement_then_mark_a_duty(tmp_path):
    made = run_installed(
        "new", "engagement", "Data Use at Oak", "--recipient", "Oak School", "--organization", "The Center",
        "--facilitator", "Sam Park", "--start", "2026-09-01", "--service-date", "2026-10-01", "--service-type", "site-visit",
        *TODAY, cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    path = tmp_path / "engagements" / "data-use-at-oak.yaml"
    marked = run_installed("mark", str(path), "planning.facilitator.prepare-learning-agenda", "--done", "--date", "2026-09-30", "--evidence", "Agenda sent", *TODAY)
    assert marked.returncode == 0, marked.stderr
    assert "planning.facilitator.prepare-learning-agenda: {status: done, date: 2026-09-30, evidence: Agenda sent}" in path.read_text(encoding="utf-8")


def test_a_missing_file_is_a_usage_error(tmp_path):
    done = run_installed("check", "no-such-file.yaml", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "tacli: error: no-such-file.yaml: no such file or folder\n"
