"""The pre-commit hooks of .pre-commit-hooks.yaml, installed and run by pre-commit.

pre-commit installs a hook repository at a commit, so the project is copied
into a temporary git repository and committed there (with whatever is not
committed yet in the working tree). A center's repository names it in its
`.pre-commit-config.yaml`, as the docs say; pre-commit builds a virtual
environment and installs tacli into it from that commit, with its
dependencies from the package index. The environment is built once for the
test run (one PRE_COMMIT_HOME, shared by pytest-xdist's workers), and is still
slow to build, hence the `slow` mark (`pytest -m "not slow"` leaves it out; the
default run keeps it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, MINI_STANDARDS, ROOT, run_in_process

pytestmark = pytest.mark.slow

PROJECT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "standards", "templates")


def pre_commit_command() -> list[str]:
    found = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    return [found] if found else [sys.executable, "-m", "pre_commit"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=tacli tests", "-c", "user.email=tests@example.org", "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    """A folder that every process of this test run shares: pytest-xdist's workers
    may run these tests at once, and the hook repository and PRE_COMMIT_HOME made
    here once let them build the hooks' environment once. pre-commit locks its
    own store while it installs, so they may use it at the same time."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / "pre-commit-shared"
    with FileLock(str(root / "pre-commit-shared.lock")):
        if not (folder / "made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            _commit_the_project(folder / "tacli-hooks")
            (folder / "home").mkdir()
            (folder / "made").touch()
    return folder


def _commit_the_project(repo: Path) -> None:
    """This project, committed in a repository of its own."""
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            repo.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "tacli as it is now")


@pytest.fixture(scope="module")
def environment(shared):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TACLI_", "GITHUB_", "PRE_COMMIT", "GIT_"))}
    env.update({"PRE_COMMIT_HOME": str(shared / "home"), "TACLI_TODAY": "2026-11-22", "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"})
    return env


@pytest.fixture(scope="module")
def hook_repo(shared) -> Path:
    return shared / "tacli-hooks"


def head(repo: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def user_repo(tmp_path, hook_repo):
    """A center's repository: its standards, two engagements, a file of another tool."""
    repo = tmp_path / "center"
    repo.mkdir()
    shutil.copytree(MINI_STANDARDS, repo / "ta-standards")
    (repo / "engagements").mkdir()
    shutil.copy2(DATA / "mini-engagement.yaml", repo / "engagements" / "elm.yaml")
    open_text = (DATA / "formats" / "open-and-undocumented.yaml").read_text(encoding="utf-8")
    (repo / "engagements" / "oak.yaml").write_text(open_text.replace("id: elm-school", "id: oak-school"), encoding="utf-8")
    (repo / "mkdocs.yml").write_text("site_name: Center TA\n", encoding="utf-8")
    (repo / "tacli.toml").write_text('standards = "ta-standards"\nengagements = "engagements"\nreports = "reports"\n', encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo.as_posix()}\n    rev: {head(hook_repo)}\n    hooks:\n      - id: tacli-check\n      - id: tacli-report\n",
        encoding="utf-8",
    )
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    return repo


def run_hook(user_repo: Path, environment: dict, hook: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        pre_commit_command() + ["run", hook, "--all-files"],
        cwd=user_repo, env=environment, capture_output=True, text=True, timeout=900,
    )


def test_tacli_check_hook(user_repo, environment):
    failing = run_hook(user_repo, environment, "tacli-check")
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "engagements/oak.yaml:33:7: error duty-open " in output
    assert "mkdocs.yml" not in output  # another tool's YAML is skipped, not reported
    # mkdocs.yml, .pre-commit-config.yaml and the three standards files are skipped
    assert "2 files checked: 1 error, 1 warning in 1 file (5 YAML files without `tacli:` skipped)." in output
    (user_repo / "engagements" / "oak.yaml").unlink()
    git(user_repo, "add", "-A")
    passing = run_hook(user_repo, environment, "tacli-check")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "tacli check" in passing.stdout and "Passed" in passing.stdout


def test_tacli_report_hook(user_repo, environment):
    (user_repo / "engagements" / "oak.yaml").unlink()
    written = run_in_process("report", "engagements", "--out-dir", "reports", cwd=user_repo, env=environment)
    assert written.returncode == 0, written.stderr
    git(user_repo, "add", "-A")
    current = run_hook(user_repo, environment, "tacli-report")
    assert current.returncode == 0, current.stdout + current.stderr
    elm = user_repo / "engagements" / "elm.yaml"
    elm.write_text(elm.read_text(encoding="utf-8").replace("title: Data use at Elm School", "title: Data use at Elm Street School"), encoding="utf-8")
    git(user_repo, "add", "-A")
    stale = run_hook(user_repo, environment, "tacli-report")
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "stale: reports/" in stale.stdout


def test_the_hooks_of_a_folder_tacli_init_made(tmp_path, hook_repo, environment):
    """`tacli init` with this project's hook repository and commit as tacli's
    source: pre-commit runs both hooks as the folder's own configuration says,
    from the first engagement to its committed reports."""
    done = run_in_process("init", "center", "--me", "Dana Ruiz", "--tacli-url", hook_repo.as_uri(), "--tacli-rev", head(hook_repo), cwd=tmp_path, env=environment)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "center"
    new = ("new", "engagement", "Oak Hill data teams", "--recipient", "Oak Hill School", "--organization", "Central RESC", "--facilitator", "Dana Ruiz", "--tier", "targeted", "--start", "2026-12-01")
    assert run_in_process(*new, cwd=folder, env=environment).returncode == 0
    if not (folder / ".git").exists():
        git(folder, "init", "-q")
    git(folder, "add", "-A")
    first = subprocess.run(pre_commit_command() + ["run", "--all-files"], cwd=folder, env=environment, capture_output=True, text=True, timeout=900)
    output = first.stdout + first.stderr
    assert first.returncode == 1, output
    assert "1 file checked: 6 errors, 1 warning in 1 file" in output  # tacli-check: the new file's open plan
    assert "missing: reports/oak-hill-data-teams/plan.md" in output  # tacli-report: no report written yet
    assert run_in_process("report", cwd=folder, env=environment).returncode == 0
    git(folder, "add", "-A")
    reports = run_hook(folder, environment, "tacli-report")
    assert reports.returncode == 0, reports.stdout + reports.stderr
