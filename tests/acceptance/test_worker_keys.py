"""What worker processes learn of the files they read is not lost: each worker
says which key it read each file under (checking.checker._in_worker), and the
parent's keys of the portfolio's pages and reports
(output.reports.portfolio_key) and its lookups of each engagement's pages use
them; and every file's stat entry is kept, the first a worker reads too, so the
next run works out no file again. The site is the same bytes as without the cache."""

from __future__ import annotations

import os

import pytest
from conftest import EXAMPLES, counted_calls
from test_cache_cli import tree

from tacli.checking.checker import PARALLEL_FROM

pytestmark = [
    pytest.mark.cache_on,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes inherit the counting only when forked"),
]

SOURCE = "little-acorns-oec-coaching.yaml"


@pytest.fixture
def folder(tmp_path):
    text = (EXAMPLES / SOURCE).read_text(encoding="utf-8")
    engagements = tmp_path / "engagements"
    engagements.mkdir()
    for number in range(PARALLEL_FROM + 2):  # enough for worker processes
        (engagements / f"{number:02d}.yaml").write_text(text.replace("id: little-acorns-oec-coaching", f"id: acorns-{number:02d}"), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("command", ["site", "report"])
def test_the_parent_reads_no_file_a_worker_read(run_tacli, folder, monkeypatch, command):
    from tacli.checking import checker
    from tacli.reading import stored

    monkeypatch.setattr(checker.os, "cpu_count", lambda: 2)
    reads = counted_calls(monkeypatch, stored, "source_of")  # in this process: the workers' calls are their own
    env = {"TACLI_CACHE_DIR": str(folder / "cache"), "TACLI_NO_CACHE": "0"}
    done = run_tacli(command, "engagements", "--out-dir", "out", "--today", "2026-11-22", "-q", cwd=folder, env=env)
    assert done.returncode in (0, 1), done.stderr
    assert reads == []
    plain = run_tacli(command, "engagements", "--out-dir", "plain", "--today", "2026-11-22", "-q", "--no-cache", cwd=folder, env=env)
    assert plain.returncode == done.returncode, plain.stderr
    assert tree(folder / "out") == tree(folder / "plain")


def test_every_file_a_worker_read_is_known_by_its_stat_the_next_run(run_tacli, folder, monkeypatch):
    """A forked worker's cache dropped what it kept before its first lookup:
    the first file of each worker had no stat entry, and the next run built the
    models (0.4 s) to work out those files again."""
    from tacli.checking import checker

    monkeypatch.setattr(checker.os, "cpu_count", lambda: 2)
    env = {"TACLI_CACHE_DIR": str(folder / "cache"), "TACLI_NO_CACHE": "0"}
    first = run_tacli("check", "engagements", "--today", "2026-11-22", cwd=folder, env=env)
    prepared = counted_calls(monkeypatch, checker.Checker, "prepare")
    read = counted_calls(monkeypatch, checker.Checker, "run_work")
    again = run_tacli("check", "engagements", "--today", "2026-11-22", cwd=folder, env=env)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)
    assert prepared == [] and read == []


def test_the_parent_compiles_the_portfolio_templates_while_the_workers_check(run_tacli, folder, monkeypatch):
    from tacli.checking import checker
    from tacli.output import site

    monkeypatch.setattr(checker.os, "cpu_count", lambda: 2)
    compiled = counted_calls(monkeypatch, site, "compile_portfolio_templates")
    env = {"TACLI_CACHE_DIR": str(folder / "cache"), "TACLI_NO_CACHE": "0"}
    done = run_tacli("site", "engagements", "--out-dir", "out", "--today", "2026-11-22", "-q", cwd=folder, env=env)
    assert done.returncode in (0, 1), done.stderr
    assert len(compiled) == 1
    again = run_tacli("site", "engagements", "--out-dir", "out", "--today", "2026-11-22", "-q", cwd=folder, env=env)
    assert again.returncode == done.returncode and len(compiled) == 1, "a run with every file kept starts no worker"
