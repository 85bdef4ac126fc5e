"""A folder of the user's templates through tacli's cache: what the cache does
not hold is rendered in one child process for every engagement
(FileWork.together), not one an engagement, and a warm run renders nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE_FILES

TODAY = "2026-11-22"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path):
    """The examples in engagements/, and a folder `mine` of the user's templates: a plan."""
    from tacli.output import isolation

    if not isolation.CAN_ISOLATE:
        pytest.skip("no child processes here: the user's templates render in this process")
    project = tmp_path / "project"
    (project / "engagements").mkdir(parents=True)
    for path in EXAMPLE_FILES:
        shutil.copy(path, project / "engagements" / path.name)
    (project / "mine").mkdir()
    (project / "mine" / "plan.md.j2").write_text("# {{ engagement.title }}\n", encoding="utf-8")
    return project


def test_a_user_s_templates_render_every_engagement_in_one_child_process(run_tacli, project, tmp_path, monkeypatch):
    from tacli.output import isolation

    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"}
    children: list = []
    original = isolation.run_isolated
    monkeypatch.setattr(isolation, "run_isolated", lambda *args, **kwargs: children.append(args) or original(*args, **kwargs))

    command = ("report", "engagements", "--out-dir", "reports", "--templates", "mine", "--today", TODAY)
    assert run_tacli(*command, cwd=project, env=env).returncode in (0, 1)
    assert len(children) == 2  # every engagement's reports, then the summary
    children.clear()
    again = run_tacli(*command, "--check", cwd=project, env=env)
    assert again.returncode in (0, 1) and "are current" in again.stdout, again.stdout
    assert children == []
    fresh = run_tacli("report", "engagements", "--out-dir", "fresh", "--templates", "mine", "--today", TODAY, "--no-cache", cwd=project, env=env)
    assert fresh.returncode in (0, 1)
    assert tree(project / "reports") == tree(project / "fresh")


def test_the_rendering_bar_moves_as_the_child_sends_each_engagements_reports(project, monkeypatch):
    """The bar counts each engagement as its last report comes back from the
    child, not all of them once the child is done (it sat at 0 for the whole
    render: some 8 s at 1,000 engagements)."""
    from contextlib import contextmanager

    from tacli.commands import CommonOptions
    from tacli.commands import report as report_command
    from tacli.output import isolation

    monkeypatch.chdir(project)
    monkeypatch.setenv("TACLI_NO_CACHE", "1")
    steps: dict[str, int] = {}

    @contextmanager
    def recording(total: int, label: str, enabled: bool = True):
        steps[label] = 0
        yield lambda: steps.__setitem__(label, steps[label] + 1)

    counted: list = []  # the bar's count as each result arrives, and when the child is done
    original = isolation.run_isolated

    def watched(work, items, seconds, memory, received=None):
        def arrived():
            received()
            counted.append(steps["rendering"])

        results = original(work, items, seconds, memory, arrived if received is not None else None)
        counted.append(("returned", steps["rendering"]))
        return results

    monkeypatch.setattr(isolation, "run_isolated", watched)
    options = report_command.ReportOptions(CommonOptions(today=TODAY, progress=recording), ("engagements",), ("plan",), out_dir="reports", templates="mine")
    report_command.run(options)
    engagements = len(EXAMPLE_FILES)
    assert counted == [*range(1, engagements + 1), ("returned", engagements)]  # one plan an engagement: each counted as it came back
    assert steps["rendering"] == engagements
