"""`tacli report` through the real command: output paths, determinism, --check,
template overrides, the sandbox, and escaping of what engagement files say."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLES, MINI_STANDARDS, ROOT

from tacli.write.output_files import MARKER, with_marker

TODAY = "2026-11-22"
ENV = {"TACLI_STANDARDS": str(MINI_STANDARDS), "TACLI_TODAY": TODAY}
MINI = DATA / "mini-engagement.yaml"
MINI_REPORTS = ["summary.md", "elm-school/first-visit-agenda.md", "elm-school/first-visit-tast.md", "elm-school/plan.md"]


@pytest.fixture
def tacli(run_tacli, tmp_path):
    def run(*args, **kwargs):
        return run_tacli(*args, cwd=kwargs.pop("cwd", tmp_path), env={**ENV, **kwargs.pop("env", {})}, **kwargs)

    return run


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- one report, many reports ----------------------------------------------


def test_one_report_goes_to_standard_output(tacli, engagement):
    result = tacli("report", engagement, "--kind", "plan")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Plan: Data use at Elm School\n\n- **Recipient:** Elm School (school)\n")
    assert result.stdout.endswith("\n") and not result.stdout.endswith("\n\n")
    assert result.stderr == ""


def test_one_service_report_is_picked_with_service(tacli, engagement):
    result = tacli("report", engagement, "--kind", "tast", "--service", "first-visit")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Service Report: site visits\n")
    assert "| 1 | Write the report, if needed | \u2713 Done | 2026-10-05 | report.md |" in result.stdout
    assert "- **Report due:** 2026-10-08 (7 days after the service)\n- **Completed:** 2026-10-05\n" in result.stdout


def test_several_reports_need_an_out_dir(tacli, engagement):
    result = tacli("report", engagement)
    assert result.returncode == 2
    assert "4 reports to render" in result.stderr and "give --out-dir DIR" in result.stderr


def test_no_report_of_the_kind_says_which_engagements_have_one(tacli):
    result = tacli("report", str(EXAMPLES / "hartford-data-webinars.yaml"), "--kind", "tast", env={"TACLI_STANDARDS": str(ROOT / "standards")})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "tacli: error: no tast report to render for the engagements given: a TAST report is for an engagement that lists a framework with a duty matrix and report (CALI), an agenda for each service\n"


def test_out_dir_follows_the_convention(tacli, engagement, tmp_path):
    result = tacli("report", engagement, "--out-dir", "reports", "--verbose")
    assert result.returncode == 0, result.stderr
    assert sorted(files_under(tmp_path / "reports")) == sorted(MINI_REPORTS)
    assert result.stdout.splitlines()[-1] == "4 reports in reports: 4 written, 0 unchanged."
    assert "wrote reports/elm-school/first-visit-tast.md" in result.stdout.splitlines()


@pytest.mark.parametrize("kinds, expected", [
    (["--kind", "summary"], ["summary.md"]),
    (["--kind", "tast,agenda"], ["elm-school/first-visit-agenda.md", "elm-school/first-visit-tast.md"]),
    (["-k", "plan", "-k", "summary"], ["elm-school/plan.md", "summary.md"]),
    (["--kind", "all"], MINI_REPORTS),
])
def test_kinds_choose_the_reports(tacli, engagement, tmp_path, kinds, expected):
    assert tacli("report", engagement, "--out-dir", "out", *kinds).returncode == 0
    assert sorted(files_under(tmp_path / "out")) == sorted(expected)


@pytest.mark.parametrize("args, message", [
    (["--kind", "tasts"], "unknown report kind 'tasts': did you mean 'tast'?"),
    (["--kind", ","], "--kind is empty"),
    (["--service", "second-visit", "--kind", "tast"], "no service 'second-visit' in the engagements given: did you mean 'first-visit'?"),
    (["--service", "first-visit", "--kind", "plan"], "--kind plan is not per service"),
    (["--check"], "--check compares with the reports on disk: give --out-dir DIR"),
    (["--prune"], "--prune deletes orphaned reports under --out-dir"),
    (["--today", "2026-13-01"], "--today '2026-13-01' is not a real date: give a day that exists"),
    (["--templates", "nowhere"], "--templates nowhere: no such folder"),
])
def test_usage_problems_exit_2(tacli, engagement, args, message):
    result = tacli("report", engagement, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_service_lists_the_known_ones_once(tacli):
    result = tacli("report", ROOT / "examples", "--service", "zzz", env={"TACLI_STANDARDS": str(ROOT / "standards")})
    assert result.returncode == 2
    assert re.search(r"no service 'zzz' in the engagements given: known: [^.]*\(and \d+ more\)\.\n$", result.stderr), result.stderr


def test_a_missing_path_is_a_usage_problem(tacli):
    result = tacli("report", "nowhere.yaml")
    assert (result.returncode, result.stderr) == (2, "tacli: error: nowhere.yaml: no such file or folder\n")


def test_folders_skip_yaml_files_that_are_not_engagements(tacli, engagement, tmp_path):
    (engagement.parent / "other.yaml").write_text("just: data\n")
    result = tacli("report", engagement.parent, "--kind", "summary")
    assert result.returncode == 0, result.stderr
    assert "1 engagement, 1 service, 3 hours." in result.stdout


# --- invalid engagements ---------------------------------------------------


def test_invalid_engagements_are_reported_like_check_and_left_out_of_the_reports(tacli, engagement, tmp_path):
    text = engagement.read_text()
    engagement.write_text(text.replace("mode: on-site", "mode: onsite").replace("hours: 3", "hourz: 3"))
    result = tacli("report", engagement.parent, "--out-dir", "reports")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("engagements/elm.yaml:") or lines[0].startswith(str(engagement.parent))
    assert re.search(r"elm\.yaml:\d+:\d+: error unknown-value unknown delivery mode 'onsite'", result.stderr)
    assert re.search(r"elm\.yaml:\d+:\d+: error schema-unknown-key unknown key 'hourz'", result.stderr)
    assert lines[-1] == "tacli: 1 engagement file is left out of the reports until fixed (the problems above; `tacli check` shows every finding)."
    summary = (tmp_path / "reports" / "summary.md").read_text(encoding="utf-8")
    assert "## Files left out" in summary and "elm.yaml" in summary and "unknown delivery mode 'onsite'" in summary
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["summary.md"]  # nothing of the broken file
    assert "Traceback" not in result.stderr


def test_one_broken_file_never_hides_the_others_reports(tacli, engagement, tmp_path):
    """Reports of the good files are written, the broken one's reports written
    before are removed (they would show it as it was), and the summary names it."""
    good = engagement.parent / "good.yaml"
    good.write_text(engagement.read_text().replace("id: elm-school", "id: good-school"))
    assert tacli("report", engagement.parent, "--out-dir", "reports").returncode == 0
    assert (tmp_path / "reports" / "elm-school" / "plan.md").is_file()
    engagement.write_text(engagement.read_text().replace("planning.facilitator.prepare-agenda:", "planning.facilitator.prepare-agend:"))
    checked = tacli("report", engagement.parent, "--out-dir", "reports", "--check")
    assert checked.returncode == 1 and "of a file that cannot be used now: reports/elm-school/plan.md" in checked.stdout
    result = tacli("report", engagement.parent, "--out-dir", "reports")
    assert result.returncode == 1
    assert (tmp_path / "reports" / "good-school" / "plan.md").is_file()
    assert not (tmp_path / "reports" / "elm-school").exists()
    summary = (tmp_path / "reports" / "summary.md").read_text(encoding="utf-8")
    assert "1 engagement file could not be used" in summary and "unknown duty id" in summary


def test_yaml_errors_stop_the_reports(tacli, engagement):
    engagement.write_text("tacli: 1\nid: [unclosed\n")
    result = tacli("report", engagement, "--kind", "summary")
    assert result.returncode == 1
    assert "error yaml-syntax" in result.stderr


def test_a_service_id_used_twice_stops_the_reports(tacli, engagement):
    text = engagement.read_text()
    service = text[text.index("  - id: first-visit"):]
    engagement.write_text(text + service.replace("2026-10-01", "2026-10-02"))
    result = tacli("report", engagement, "--kind", "summary")
    assert result.returncode == 1
    assert re.search(r"elm\.yaml:\d+:\d+: error duplicate-id service id 'first-visit' is already used by the 1st service", result.stderr)


def test_an_engagement_id_used_twice_stops_the_reports(tacli, engagement):
    shutil.copy(engagement, engagement.with_name("copy.yaml"))
    result = tacli("report", engagement.parent, "--kind", "summary")
    assert result.returncode == 1
    assert "error duplicate-id engagement id 'elm-school' is already used by" in result.stderr


def test_open_duties_and_overdue_reports_do_not_stop_the_reports(tacli, engagement):
    text = engagement.read_text().replace("      completed: 2026-10-05\n", "")
    text = text.replace("{status: done, date: 2026-09-30, evidence: agenda.pdf}", "{status: open}")
    engagement.write_text(text)
    result = tacli("report", engagement, "--kind", "tast")
    assert result.returncode == 0, result.stderr
    assert "> [!CAUTION]\n> **Overdue:** this report was due on 2026-10-08, 7 days after the service, and is not completed.\n" in result.stdout
    assert "- **Completed:** not yet (**overdue**)" in result.stdout
    assert "| 1 | Prepare the agenda | \u2610 Open |  |  |" in result.stdout
    assert "## Open items\n\n- \u2610 **Planning, Facilitator 1:** Prepare the agenda (by 2026-10-01)\n" in result.stdout
    summary = tacli("report", engagement, "--kind", "summary").stdout
    assert "| Data use at Elm School | site visits | 2026-10-01 | [Service Report](elm-school/first-visit-tast.md) | 2026-10-08 |" in summary


# --- determinism -----------------------------------------------------------


def test_the_same_input_gives_the_same_bytes(tacli, engagement, tmp_path):
    assert tacli("report", engagement, "--out-dir", "one").returncode == 0
    assert tacli("report", engagement, "--out-dir", "two", env={"TZ": "Asia/Tokyo", "LC_ALL": "C"}).returncode == 0
    assert files_under(tmp_path / "one") == files_under(tmp_path / "two")
    single = tacli("report", engagement, "--kind", "plan")
    assert single.stdout.encode("utf-8") == (tmp_path / "one" / "elm-school" / "plan.md").read_bytes()


def test_the_order_of_the_paths_does_not_matter(tacli, engagement, tmp_path):
    other = engagement.with_name("oak.yaml")
    other.write_text(engagement.read_text().replace("id: elm-school", "id: oak-school").replace("Elm School", "Oak School"))
    first = tacli("report", engagement, other, "--kind", "summary").stdout
    second = tacli("report", other, engagement, "--kind", "summary").stdout
    assert first == second
    assert first.index("Data use at Elm School") < first.index("Data use at Oak School")


def test_a_second_run_writes_nothing(tacli, engagement, tmp_path):
    assert tacli("report", engagement, "--out-dir", "reports").returncode == 0
    old = 1_000_000_000
    for path in (tmp_path / "reports").rglob("*.md"):
        os.utime(path, (old, old))
    again = tacli("report", engagement, "--out-dir", "reports")
    assert again.returncode == 0
    assert again.stdout == "4 reports in reports: 0 written, 4 unchanged.\n"
    assert all(p.stat().st_mtime == old for p in (tmp_path / "reports").rglob("*.md"))


def test_only_changed_reports_are_written(tacli, engagement, tmp_path):
    assert tacli("report", engagement, "--out-dir", "reports").returncode == 0
    engagement.write_text(engagement.read_text().replace("[Teachers use data]", "[Teachers use data weekly]"))
    again = tacli("report", engagement, "--out-dir", "reports", "--verbose")
    assert again.stdout.splitlines() == ["wrote reports/elm-school/plan.md", "4 reports in reports: 1 written, 3 unchanged."]
    assert "- Teachers use data weekly" in (tmp_path / "reports" / "elm-school" / "plan.md").read_text()


def test_no_report_holds_the_render_time_or_a_local_path(tacli, engagement, tmp_path):
    assert tacli("report", engagement, "--out-dir", "reports").returncode == 0
    for name, data in files_under(tmp_path / "reports").items():
        text = data.decode("utf-8")
        assert str(tmp_path) not in text, name
        assert TODAY not in text, name  # --today decides states, it is never printed
        assert "\r" not in text and text.endswith("\n") and not text.endswith("\n\n")
        assert not re.search(r"[ \t]$", text, re.M), name


# --- --check and orphans ---------------------------------------------------


def test_check_passes_when_the_reports_are_current(tacli, engagement):
    assert tacli("report", engagement, "--out-dir", "reports").returncode == 0
    result = tacli("report", engagement, "--out-dir", "reports", "--check")
    assert (result.returncode, result.stdout) == (0, "4 reports are current in reports.\n")


def test_check_lists_stale_missing_and_orphaned_reports(tacli, engagement, tmp_path):
    assert tacli("report", engagement, "--out-dir", "reports").returncode == 0
    reports = tmp_path / "reports"
    (reports / "elm-school" / "plan.md").write_text(with_marker("# an older plan\n"))
    (reports / "elm-school" / "first-visit-agenda.md").unlink()
    (reports / "elm-school" / "old-visit-tast.md").write_text(with_marker("# old\n"))
    (reports / "gone-school").mkdir()
    (reports / "gone-school" / "plan.md").write_text(with_marker("# gone\n"))
    (reports / "notes").mkdir()
    (reports / "notes" / "plan.md").write_text("# our own notes, named like a plan\n")
    (reports / "elm-school" / "notes.txt").write_text("not a report\n")
    (reports / "README.md").write_text("not a report either\n")
    result = tacli("report", engagement, "--out-dir", "reports", "--check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "stale: reports/elm-school/plan.md",
        "missing: reports/elm-school/first-visit-agenda.md",
        "orphaned: reports/elm-school/old-visit-tast.md",
        "orphaned: reports/gone-school/plan.md",
        "4 report files are not current in reports: run `tacli report ... --out-dir reports --prune` and commit the result.",
    ]
    assert result.stderr == "left alone: reports/notes/plan.md is named like a report but tacli did not write it: move it out of the reports folder, or delete it if it is not needed\n"
    # --check writes nothing
    assert (reports / "elm-school" / "plan.md").read_text() == with_marker("# an older plan\n")
    # writing repairs the stale and missing reports, and names the orphans
    written = tacli("report", engagement, "--out-dir", "reports")
    assert written.returncode == 0
    assert "orphaned: reports/gone-school/plan.md (no engagement produces it: delete it, or run again with --prune)" in written.stderr
    assert tacli("report", engagement, "--out-dir", "reports", "--check").returncode == 1
    pruned = tacli("report", engagement, "--out-dir", "reports", "--prune", "--verbose")
    assert "removed reports/gone-school/plan.md" in pruned.stdout.splitlines()
    assert pruned.stdout.splitlines()[-1].endswith(" removed.")
    assert "left alone: reports/notes/plan.md is named like a report but tacli did not write it" in pruned.stderr
    assert not (reports / "gone-school").exists()
    assert (reports / "notes" / "plan.md").read_text() == "# our own notes, named like a plan\n"
    assert (reports / "README.md").exists() and (reports / "elm-school" / "notes.txt").exists()
    assert tacli("report", engagement, "--out-dir", "reports", "--check").returncode == 0


def test_a_file_tacli_did_not_write_is_never_replaced(tacli, engagement, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "summary.md").write_text("# Our own summary, written by hand\n")
    refused = tacli("report", engagement, "--out-dir", "reports")
    assert refused.returncode == 2  # an output file it cannot write (docs/ci.md)
    assert refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "not tacli's: reports/summary.md (tacli did not write this file, so it will not replace it: move it away, or run again with --force)",
        "tacli: 1 report cannot be written: no reports written.",
    ]
    assert sorted(p.name for p in reports.iterdir()) == ["summary.md"]  # all or nothing
    assert (reports / "summary.md").read_text() == "# Our own summary, written by hand\n"
    checked = tacli("report", engagement, "--out-dir", "reports", "--check")
    assert checked.returncode == 1 and "not tacli's: reports/summary.md" in checked.stdout
    forced = tacli("report", engagement, "--out-dir", "reports", "--force", "--verbose")
    assert forced.returncode == 0 and "wrote reports/summary.md" in forced.stdout
    assert (reports / "summary.md").read_text().endswith(MARKER + "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_nothing_is_written_or_deleted_through_a_link_in_the_reports_folder(tacli, engagement, tmp_path):
    assert tacli("report", engagement, "--out-dir", "reports").returncode == 0
    reports = tmp_path / "reports"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "plan.md").write_text("precious\n")
    (reports / "elm-school" / "plan.md").unlink()
    (reports / "elm-school" / "plan.md").symlink_to(outside / "plan.md")
    victim = tmp_path / "victim.md"
    victim.write_text(with_marker("# looks like an orphan\n"))
    (reports / "gone").symlink_to(outside)
    (reports / "elm-school" / "old-tast.md").symlink_to(victim)
    refused = tacli("report", engagement, "--out-dir", "reports", "--prune")
    assert refused.returncode == 2
    assert "behind a link: reports/elm-school/plan.md" in refused.stderr
    assert (outside / "plan.md").read_text() == "precious\n" and victim.exists()
    (reports / "elm-school" / "plan.md").unlink()
    pruned = tacli("report", engagement, "--out-dir", "reports", "--prune")
    assert pruned.returncode == 0, pruned.stderr
    assert victim.exists() and (reports / "elm-school" / "old-tast.md").is_symlink() and (reports / "gone").is_symlink()


def test_a_failed_run_leaves_the_previous_reports(tacli, engagement, tmp_path, monkeypatch):
    """All or nothing: a write that fails part-way (a full disk) changes no report."""
    assert tacli("report", engagement, "--out-dir", "reports").returncode == 0
    reports = tmp_path / "reports"
    before = {path: path.read_bytes() for path in reports.rglob("*.md")}
    import tacli.io.writer as writer

    real_stage, calls = writer.stage, []

    def stage(path, text, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_stage(path, text, *args, **kwargs)

    monkeypatch.setattr(writer, "stage", stage)
    engagement.write_text(engagement.read_text().replace("title: Data use at Elm School", "title: Data use at Elm Street School"))
    failed = tacli("report", engagement, "--out-dir", "reports")
    assert failed.returncode == 2
    assert failed.stderr.startswith("tacli: error: cannot write reports/") and failed.stderr.endswith(": No space left on device; nothing there was changed\n")
    assert {path: path.read_bytes() for path in reports.rglob("*.md")} == before
    assert [p.name for p in reports.rglob("*") if p.name.startswith(".")] == []


def test_a_reports_folder_outside_the_project_is_refused_from_the_configuration(tacli, engagement, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    shutil.copy(engagement, project / "elm.yaml")
    (project / "tacli.toml").write_text('reports = "../elsewhere"\nengagements = "."\n')
    refused = tacli("report", cwd=project)
    assert refused.returncode == 2
    assert "lies outside the project folder" in refused.stderr and "give it with --out-dir" in refused.stderr
    assert not (tmp_path / "elsewhere").exists()
    given = tacli("report", "elm.yaml", "--out-dir", "../elsewhere", cwd=project)
    assert given.returncode == 0, given.stderr


def test_a_file_named_is_reported_to_standard_output_not_over_the_project_s_reports(tacli, engagement, tmp_path):
    """The configured reports folder holds the reports of the configured engagements
    folder (its summary covers them all): `tacli report FILE` does not write there."""
    project = tmp_path / "project"
    (project / "engagements").mkdir(parents=True)
    shutil.copy(engagement, project / "engagements" / "elm.yaml")
    (project / "engagements" / "oak.yaml").write_text(engagement.read_text().replace("id: elm-school", "id: oak-school"))
    (project / "tacli.toml").write_text('engagements = "engagements"\nreports = "reports"\n')
    assert tacli("report", cwd=project).returncode == 0
    before = files_under(project / "reports")
    one = tacli("report", "engagements/elm.yaml", "--kind", "plan", cwd=project)
    assert one.returncode == 0 and one.stdout.startswith("# Plan: ")  # as docs/reports.md says
    several = tacli("report", "engagements/elm.yaml", cwd=project)
    assert several.returncode == 2 and "`tacli report` with no file refreshes every report in reports" in several.stderr
    assert files_under(project / "reports") == before  # the summary still covers both
    assert tacli("report", "--check", cwd=project).returncode == 0


def test_check_only_looks_at_the_kinds_asked_for(tacli, engagement, tmp_path):
    assert tacli("report", engagement, "--out-dir", "reports", "--kind", "plan").returncode == 0
    assert tacli("report", engagement, "--out-dir", "reports", "--kind", "plan", "--check").returncode == 0
    (tmp_path / "reports" / "summary.md").write_text("# hand-made\n")
    assert tacli("report", engagement, "--out-dir", "reports", "--kind", "plan", "--check").returncode == 0
    assert tacli("report", engagement, "--out-dir", "reports", "--kind", "summary", "--check").returncode == 1


def test_check_with_a_service_does_not_look_for_orphans(tacli, engagement, tmp_path):
    assert tacli("report", engagement, "--out-dir", "reports").returncode == 0
    result = tacli("report", engagement, "--out-dir", "reports", "--service", "first-visit", "--check")
    assert (result.returncode, result.stdout) == (0, "2 reports are current in reports.\n")


def test_check_treats_a_crlf_checkout_as_current(tacli, engagement, tmp_path):
    assert tacli("report", engagement, "--out-dir", "reports").returncode == 0
    plan = tmp_path / "reports" / "elm-school" / "plan.md"
    plan.write_bytes(plan.read_bytes().replace(b"\n", b"\r\n"))
    assert tacli("report", engagement, "--out-dir", "reports", "--check").returncode == 0
    assert tacli("report", engagement, "--out-dir", "reports").stdout == "4 reports in reports: 0 written, 4 unchanged.\n"


def test_check_on_a_missing_folder_lists_every_report(tacli, engagement):
    result = tacli("report", engagement, "--out-dir", "nothing-yet", "--check")
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:-1]] == ["missing"] * 4


def test_out_dir_must_be_a_folder(tacli, engagement, tmp_path):
    (tmp_path / "file.md").write_text("x")
    result = tacli("report", engagement, "--out-dir", "file.md")
    assert (result.returncode, result.stderr) == (2, "tacli: error: --out-dir file.md is a file, not a folder\n")


# --- templates -------------------------------------------------------------


@pytest.fixture
def templates(tmp_path) -> Path:
    folder = tmp_path / "org-templates"
    folder.mkdir()
    return folder


def test_an_override_replaces_one_template_and_keeps_the_others(tacli, engagement, templates, tmp_path):
    (templates / "tast.md.j2").write_text(
        "# Capitol Region Education Council\n\n## {{ report.title }}: {{ service.label }} ({{ service.date }})\n\n"
        "{% for section in sections %}- {{ section.title }}: {{ section.entries|length }}\n{% endfor %}"
    )
    result = tacli("report", engagement, "--out-dir", "reports", "--templates", templates)
    assert result.returncode == 0, result.stderr
    tast = (tmp_path / "reports" / "elm-school" / "first-visit-tast.md").read_text()
    assert tast == with_marker("# Capitol Region Education Council\n\n## Service Report: site visits (2026-10-01)\n\n- Notes: 1\n")
    assert (tmp_path / "reports" / "elm-school" / "plan.md").read_text().startswith("# Plan: Data use at Elm School\n")


def test_a_template_that_is_not_utf8_is_named_with_what_to_do(tacli, engagement, templates, tmp_path):
    (templates / "plan.md.j2").write_bytes(b"# Plan \xff {{ engagement.title }}\n")
    result = tacli("report", engagement, "--out-dir", "reports", "--kind", "plan", "--templates", templates)
    assert result.returncode == 2
    assert f"{templates / 'plan.md.j2'}: the template is not UTF-8 text (byte 0xff at offset 7): save it as UTF-8" in result.stderr
    assert not (tmp_path / "reports").exists()


def test_a_template_changed_between_two_runs_in_one_process_is_the_one_used(tacli, engagement, templates, tmp_path):
    # run_tacli runs each command in this process, as a long-lived caller would
    for version in ("one", "two"):
        (templates / "plan.md.j2").write_text(f"# Plan {version}: {{{{ engagement.title }}}}\n")
        result = tacli("report", engagement, "--out-dir", "reports", "--kind", "plan", "--templates", templates)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "reports" / "elm-school" / "plan.md").read_text() == with_marker(f"# Plan {version}: Data use at Elm School\n")


def test_an_override_of_the_macros_changes_every_report(tacli, engagement, templates, tmp_path):
    shipped = (ROOT / "templates" / "_macros.md.j2").read_text()
    (templates / "_macros.md.j2").write_text(shipped.replace("{{ p.name }}{% if p.role %}", "{{ p.name|upper }}{% if p.role %}"))
    result = tacli("report", engagement, "--kind", "agenda", "--templates", templates)
    assert "- **Facilitator:** DANA RUIZ\n" in result.stdout


def test_templates_come_from_the_environment_too(tacli, engagement, templates):
    (templates / "plan.md.j2").write_text("# Our plan for {{ engagement.title }}\n")
    result = tacli("report", engagement, "--kind", "plan", env={"TACLI_TEMPLATES": str(templates)})
    assert result.stdout == with_marker("# Our plan for Data use at Elm School\n")


@pytest.mark.parametrize("body, message", [
    ("# Plan\n\n{{ engagement.titel }}\n", "plan.md.j2:3: undefined variable: 'dict object' has no attribute 'titel'"),
    ("# Plan\n{{ nothing }}\n", "plan.md.j2:2: undefined variable: 'nothing' is undefined"),
    ("# Plan\n{% if engagement.nothing %}x{% endif %}\n", "plan.md.j2:2: undefined variable"),
    ("# Plan\n{% for x in engagement.services %}\n", "plan.md.j2:2: template syntax error: Unexpected end of template"),
    ("# Plan\n\n{% include 'letterhead.md.j2' %}\n", "plan.md.j2:3: template 'letterhead.md.j2' not found"),
    ("# Plan\n{{ 1 / 0 }}\n", "plan.md.j2:2: the template failed: ZeroDivisionError"),
])
def test_template_errors_name_the_file_and_line(tacli, engagement, templates, tmp_path, body, message):
    (templates / "plan.md.j2").write_text(body)
    result = tacli("report", engagement, "--out-dir", "reports", "--templates", templates)
    assert result.returncode == 2
    assert result.stderr.startswith("tacli: error: ")
    assert message in result.stderr, result.stderr
    assert str(templates / "plan.md.j2") in result.stderr or "org-templates/plan.md.j2" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "reports").exists()  # nothing is written when any template fails


@pytest.mark.parametrize("expression", [
    "''.__class__.__mro__",
    "''.__class__.__mro__[1].__subclasses__()",
    "engagement.__class__",
    "cycler.__init__.__globals__",
    "lipsum.__globals__['os'].system('touch pwned')",
    "'{0.__class__}'.format(1)",
    "'{x.__class__}'.format_map({'x': 1})",
    "engagement.services.append(1)",
])
def test_the_sandbox_refuses_templates_that_reach_python(tacli, engagement, templates, tmp_path, expression):
    (templates / "plan.md.j2").write_text("# Plan\n\n{{ " + expression + " }}\n")
    result = tacli("report", engagement, "--kind", "plan", "--templates", templates)
    assert result.returncode == 2, result.stdout
    assert re.match(r"tacli: error: .*plan\.md\.j2:3: (the template was refused by the sandbox|undefined variable): ", result.stderr), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (tmp_path / "pwned").exists()


def test_a_template_linked_to_a_file_outside_its_folder_is_refused(tacli, engagement, templates, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password\n")
    try:
        (templates / "plan.md.j2").symlink_to(secret)
    except OSError:
        pytest.skip("no symbolic links here")
    result = tacli("report", engagement, "--kind", "plan", "--templates", templates)
    assert result.returncode == 2
    assert "is a link to a file outside" in result.stderr
    assert "password" not in result.stdout + result.stderr


# --- user text is data -----------------------------------------------------

NASTY = "Data | use <script>alert(1)</script> {{ 7*7 }} {% raw %} *bold* _it_ [link](http://x) `code` ~~gone~~ $x$ and $y$ &amp; #"


@pytest.fixture
def nasty(tmp_path) -> tuple[Path, Path]:
    """Standards with a record element (drawn as a flowchart) and an engagement whose
    every text field tries to break Markdown, Mermaid or Jinja."""
    standards = tmp_path / "standards"
    shutil.copytree(MINI_STANDARDS, standards)
    matrix = standards / "matrix.yaml"
    matrix.write_text(matrix.read_text().replace(
        "tiers:\n",
        "  - id: logic\n    title: Logic model\n    definition: How it works.\n    value: record\n    fields: [inputs, outcomes]\ntiers:\n",
    ).replace("    text: site visits\n", "    text: 'site \"visits\": #1; [a] {b} %%x%% <c> `d` & a long tail of words; more'\n"))
    text = MINI.read_text().replace('    agenda: [{time: "09:00", item: Data review}]\n', "")
    quoted = '"' + NASTY.replace('"', '\\"') + '"'
    text = text.replace("title: Data use at Elm School", f"title: {quoted}")
    text = text.replace("  goals: [Teachers use data]\n", (
        "  goals: [Teachers use data]\n"
        "  logic:\n"
        f"    inputs: [{quoted}, 'Section 2: a \"quoted\" %%{{init: {{}}}}%% end']\n"
        "    outcomes: []\n"
    ))
    text = text.replace("    topics: [data]\n", (
        "    topics: [data]\n"
        "    title: \"section 1: start; #1\"\n"
        "    agenda:\n"
        f"      - {{time: '9|10', item: {quoted}, outcome: \"two\\nlines\"}}\n"
        "    notes: |\n"
        "      # not a heading\n"
        "      - not a list\n"
        "      > not a quote\n"
        "      1. not a list either\n"
        "      ===\n"
        "      <!-- not a comment -->\n"
    ))
    text = text.replace("      notes: [Good session]\n", f"      notes: [{quoted}]\n")
    path = tmp_path / "nasty.yaml"
    path.write_text(text)
    return standards, path


def render_html(markdown_text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown_text)


def test_the_nasty_engagement_is_valid(run_tacli, nasty, tmp_path):
    standards, path = nasty
    result = run_tacli("check", path, env={"TACLI_STANDARDS": str(standards), "TACLI_TODAY": TODAY}, cwd=tmp_path)
    findings = result.stdout.splitlines()[:-1]
    assert [line.split()[2] for line in findings] == ["plan-element"], result.stdout  # only its empty outcomes


@pytest.mark.parametrize("kind", ["tast", "agenda", "plan", "summary"])
def test_user_text_shows_literally_and_keeps_the_structure(tacli, nasty, kind):
    standards, path = nasty
    result = tacli("report", path, "--kind", kind, env={"TACLI_STANDARDS": str(standards)})
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "49" not in text  # {{ 7*7 }} is data, not template code
    assert "{{ 7\\*7 }} {% raw %}" in text
    html = render_html(text)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }} {% raw %} *bold* _it_ [link](http://x) `code` ~~gone~~ $x$ and $y$ &amp;amp; #" in html
    assert "<em>" not in html and "<code>code</code>" not in html and "<del>" not in html and 'href="http://x"' not in html
    assert html.count("<h1>") == 1 and "<blockquote>\n<p>not a quote" not in html
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        header_cells = len(re.findall(r"<th[ >]", table))
        for row in re.findall(r"<tr>.*?</tr>", table.split("</thead>")[1], re.S):
            assert len(re.findall(r"<td[ >]", row)) == header_cells, row


def test_notes_keep_their_lines_without_becoming_markdown(tacli, nasty):
    standards, path = nasty
    text = tacli("report", path, "--kind", "tast", env={"TACLI_STANDARDS": str(standards)}).stdout
    notes = text.split("## Service notes\n\n")[1].split("\n\n## Duty checklist")[0] + "\n"
    assert notes == "\\# not a heading\\\n\\- not a list\\\n\\> not a quote\\\n1\\. not a list either\\\n\\===\\\n\\<!-- not a comment -->\n"
    html = render_html(notes)
    assert html == "<p># not a heading<br />\n- not a list<br />\n&gt; not a quote<br />\n1. not a list either<br />\n===<br />\n&lt;!-- not a comment --&gt;</p>\n"


def test_an_agenda_cell_keeps_its_pipe_and_loses_its_line_break(tacli, nasty):
    standards, path = nasty
    text = tacli("report", path, "--kind", "agenda", env={"TACLI_STANDARDS": str(standards)}).stdout
    row = next(line for line in text.splitlines() if line.startswith("| 9"))
    assert row.startswith("| 9\\|10 | Data \\| use \\<script>") and row.endswith(" | two lines |")


def test_mermaid_labels_are_escaped(tacli, nasty):
    standards, path = nasty
    plan = tacli("report", path, "--kind", "plan", env={"TACLI_STANDARDS": str(standards)}).stdout
    chart = plan.split("```mermaid\n")[1].split("```")[0]
    labels = re.findall(r'^\s+\w+\["(.*)"\]$', chart, re.M)
    assert "Section 2: a #quot;quoted#quot; #37;#37;#123;init: #123;#125;#125;#37;#37; end" in labels
    assert "Data | use #lt;script#gt;alert(1)#lt;/script#gt; #123;#123; 7*7 #125;#125; #123;% raw %#125; *bold* _it_ [link](http://x) #96;code#96; ~~gone~~ $x$ and $y$ #amp;amp; #35;" in labels
    for label in labels:
        assert '"' not in label and "%%" not in label and "<" not in label and "{" not in label
    assert re.search(r'f2_0\["Not recorded"\]', chart)
    summary = tacli("report", path, "--kind", "summary", env={"TACLI_STANDARDS": str(standards)}).stdout
    gantt = summary.split("```mermaid\ngantt\n")[1].split("```")[0]
    assert "  #115;ection 1#58; start#59; #35;1 :done, milestone, 2026-10-01, 0d\n" in gantt
    section = next(line for line in gantt.splitlines() if line.startswith("  section "))
    assert ":" not in section and ";" not in section.replace("#59;", "").replace("#58;", "").replace("#35;", "").replace("#lt;", "").replace("#gt;", "").replace("#123;", "").replace("#125;", "").replace("#96;", "").replace("#amp;", "").replace("#37;", "")
    pie = summary.split("```mermaid\npie")[1].split("```")[0]
    for line in pie.splitlines()[2:]:
        assert re.fullmatch(r'  "[^"%{}<>`]*" : [0-9.]+', line), line


# --- start-up --------------------------------------------------------------


def test_version_and_help_do_not_import_the_heavy_modules():
    code = (
        "import sys\n"
        "from tacli.cli import app as cli\n"
        "for args in (['--version'], ['--help']):\n"
        "    try:\n"
        "        cli.app(args, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'jinja2', 'pydantic', 'ruamel', 'markupsafe'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "[]", result.stdout + result.stderr


def test_a_service_at_the_end_of_the_calendar(tacli, tmp_path):
    """Its report is due on the last day there is: check and report both run."""
    text = MINI.read_text(encoding="utf-8").replace("date: 2026-10-01", "date: 9999-12-30").replace("end: 2027-06-30\n", "")
    text = "".join(line for line in text.splitlines(keepends=True) if "completed:" not in line and "follow-up." not in line)
    (tmp_path / "late.yaml").write_text(text, encoding="utf-8")
    checked = tacli("check", "--today", "9999-12-31", "late.yaml")
    assert checked.returncode == 0 and "tast-due-soon" in checked.stdout, checked.stderr
    reported = tacli("report", "--today", "9999-12-31", "--kind", "tast", "late.yaml")
    assert reported.returncode == 0, reported.stderr
    assert "9999-12-31" in reported.stdout


def test_a_run_prints_one_summary_line_unless_verbose(tacli, engagement, tmp_path):
    quiet = tacli("report", engagement, "--out-dir", "reports")
    assert (quiet.returncode, quiet.stdout) == (0, "4 reports in reports: 4 written, 0 unchanged.\n")
    (tmp_path / "reports" / "summary.md").unlink()
    loud = tacli("report", engagement, "--out-dir", "reports", "--verbose")
    assert loud.stdout.splitlines() == ["wrote reports/summary.md", "4 reports in reports: 1 written, 3 unchanged."]


@pytest.mark.parametrize("today, figure, revise_by", [
    ("2026-11-08", "| Reports to revise | 0 |", None),  # the changes are asked for on 2026-11-09: not yet
    ("2026-11-12", "| Reports to revise | 1 |", "| Maria Lopez | 2026-11-17 |"),
    ("2026-11-22", "| Reports to revise | 1 (1 overdue) |", "| Maria Lopez | 2026-11-17, overdue |"),
])
def test_the_summary_lists_the_reports_a_reviewer_sent_back_as_tacli_due_does(run_tacli, tmp_path, today, figure, revise_by):
    """A completed report with changes asked for (Maria Lopez, 2026-11-09) is the
    facilitator's to revise by its review's due day: the summary counts and lists
    it, as `tacli due` and the dashboard do, and says when it is overdue."""
    engagement = EXAMPLES / "elm-street-data-teams.yaml"
    summary = run_tacli("report", engagement, "--kind", "summary", "--today", today, cwd=tmp_path)
    assert summary.returncode == 0, summary.stderr
    assert figure in summary.stdout
    section = summary.stdout.split("## Reports to revise", 1)[1].split("\n## ", 1)[0]
    due = run_tacli("due", engagement, "--today", today, "--within", "30", cwd=tmp_path)
    if revise_by is None:
        assert section.strip() == "None." and "revise the TAST Report" not in due.stdout
        return
    assert "| Data Teams at Elm Street School | Coaching the grade 3 data team | 2026-10-27 | [TAST Report](" in section and revise_by in section
    assert "revise the TAST Report as Maria Lopez asked" in due.stdout


def test_a_report_completed_after_today_is_not_yet_sent_back_for_changes(run_tacli, tmp_path):
    """Its completion is dated after --today (check says so): it is a report to
    complete, not also one to revise, in tacli due, the dashboard and the summary."""
    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    assert text.count("completed: 2026-11-06") == 1
    (tmp_path / "elm.yaml").write_text(text.replace("completed: 2026-11-06", "completed: 2026-11-25"), encoding="utf-8")
    due = run_tacli("due", "elm.yaml", "--today", "2026-11-22", "--within", "30", cwd=tmp_path)
    assert "revise the TAST Report" not in due.stdout and "TAST Report" in due.stdout
    summary = run_tacli("report", "elm.yaml", "--kind", "summary", "--today", "2026-11-22", cwd=tmp_path)
    assert "| Reports to revise | 0 |" in summary.stdout


def test_a_file_where_a_folder_of_reports_goes_is_named_with_what_to_do(run_tacli, tmp_path):
    """It said "cannot write r1/elm-street-data-teams/...-agenda.md: File exists",
    of a file that does not exist."""
    (tmp_path / "r1").mkdir()
    (tmp_path / "r1" / "elm-street-data-teams").write_text("mine\n", encoding="utf-8")
    done = run_tacli("report", str(EXAMPLES), "--out-dir", "r1", "--today", "2026-11-22", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("tacli: error: r1/elm-street-data-teams is a file where a folder of what tacli writes goes (elm-street-data-teams/")
    assert done.stderr.endswith("): move it away, or write to another folder; nothing there was changed\n")
    assert sorted(path.name for path in (tmp_path / "r1").iterdir()) == ["elm-street-data-teams"]
    assert (tmp_path / "r1" / "elm-street-data-teams").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("command", ["report", "site"])
@pytest.mark.parametrize("out_dir, says", [
    ("/", "is the root of the file system"),
    ("engagements", "holds the engagement files read (engagements)"),
    (".", "holds the engagement files read (engagements)"),
])
def test_a_folder_that_is_not_one_of_their_own_is_refused_for_reports_and_pages(run_tacli, tmp_path, command, out_dir, says):
    """As root (a CI container), `--out-dir /` filled the root with reports and
    pages, and the engagements folder got them mixed in with the files read."""
    shutil.copytree(EXAMPLES, tmp_path / "engagements")
    done = run_tacli(command, "engagements", "--out-dir", out_dir, "--today", "2026-11-22", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"tacli: error: --out-dir {out_dir} {says}: choose a folder of their own"), done.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["engagements"]
    assert run_tacli(command, "engagements", "--out-dir", "out", "--today", "2026-11-22", cwd=tmp_path).returncode in (0, 1)


@pytest.mark.parametrize("command", ["report", "site"])
def test_an_out_dir_below_a_file_names_the_file(run_tacli, tmp_path, command):
    """It said "cannot write afile/x/...: Not a directory", naming neither the file in the way nor what to do."""
    (tmp_path / "afile").write_text("mine\n", encoding="utf-8")
    done = run_tacli(command, str(EXAMPLES), "--out-dir", "afile/x", "--today", "2026-11-22", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "tacli: error: --out-dir afile/x: afile is a file, not a folder: give a folder, or move it away\n")
