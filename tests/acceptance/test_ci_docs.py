"""The copy-paste material of docs/ci.md and docs/configuration.md works as
written, and .pre-commit-hooks.yaml is a valid pre-commit manifest."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

DOCS = ROOT / "docs"


def blocks(name: str, language: str) -> list[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.S | re.M)


def test_pipelines_are_yaml():
    from ruamel.yaml import YAML

    found = blocks("ci.md", "yaml")
    assert len(found) >= 3
    for block in found:
        YAML(typ="safe").load(block)
    workflow = YAML(typ="safe").load(found[0])
    steps = [step.get("run", step.get("uses")) for step in workflow["jobs"]["check"]["steps"]]
    assert "tacli check --format sarif --output tacli.sarif || [ $? -eq 1 ]" in steps
    assert "github/codeql-action/upload-sarif@v4" in steps and "tacli check" in steps
    assert 'pip install "$TACLI"' in steps and workflow["env"]["TACLI"].startswith("git+https://")
    assert workflow["permissions"] == {"contents": "read", "security-events": "write", "actions": "read"}
    gitlab = YAML(typ="safe").load(found[1])
    assert gitlab["check-engagements"]["artifacts"]["reports"]["junit"] == "tacli-junit.xml"
    assert "tacli" not in workflow and "tacli" not in gitlab  # a top-level `tacli:` would make tacli check read the file as an engagement


@pytest.mark.parametrize("index, shipped", [(0, "github-workflow.yml"), (1, "gitlab-ci.yml"), (2, "pre-commit-config.yaml")])
def test_the_files_tacli_init_writes_are_those_docs_show(index, shipped):
    """One text: the pipelines and the pre-commit configuration of docs/ci.md are
    the shipped files `tacli init` writes (its placeholders filled in), byte for byte."""
    from tacli.write.project import starter_text

    assert blocks("ci.md", "yaml")[index] == starter_text(shipped)


@pytest.mark.parametrize("index", [0, 1])
def test_configuration_examples_are_valid(tmp_path, index):
    from tacli.commands.config import load_config

    block = blocks("configuration.md", "toml")[index]
    (tmp_path / ".git").mkdir()
    name = "tacli.toml" if index == 0 else "pyproject.toml"
    (tmp_path / name).write_text(block, encoding="utf-8")
    config = load_config(tmp_path, environ={})
    assert config.file == tmp_path / name
    assert "duty-evidence" in config.rules.disabled


def test_pre_commit_manifest_is_valid():
    found = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    command = [found] if found else [sys.executable, "-m", "pre_commit"]
    result = subprocess.run(command + ["validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    from ruamel.yaml import YAML

    hooks = {hook["id"]: hook for hook in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["tacli-check"]["entry"] == "tacli check --skip-other-yaml"
    assert hooks["tacli-report"]["entry"] == "tacli report --check" and hooks["tacli-report"]["pass_filenames"] is False


@pytest.mark.slow
def test_the_documented_install_works_from_a_git_repository(tmp_path):
    """`pip install "git+URL@PIN"`, as docs/ci.md writes it, with this project
    committed in a repository of its own as the URL and its commit as the pin."""
    from ruamel.yaml import YAML

    documented = YAML(typ="safe").load(blocks("ci.md", "yaml")[0])["env"]["TACLI"]
    assert re.fullmatch(r"git\+https://[^@]+\.git@v[0-9.]+", documented)
    repo = tmp_path / "tacli"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".hypothesis", "build", "node_modules", ".*_cache"))
    git = ["git", "-c", "user.name=tests", "-c", "user.email=tests@example.org", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "tacli"], ["tag", "v0.1.0"]):
        subprocess.run([*git, *args], cwd=repo, check=True, capture_output=True)
    url = "git+" + repo.as_uri() + "@v0.1.0"
    target = tmp_path / "installed"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), url], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (target / "tacli" / "cli" / "main.py").is_file()
    assert (target / "tacli" / "shipped" / "standards").is_dir()
