"""`tacli site` renders the pages of every engagement in a forked process while
it writes the engagements' own pages (commands.site.BACKGROUND_FROM,
core.background): the same files, the same messages, cache on or off; a file
tacli did not write at the dashboard's place still stops every page."""

from __future__ import annotations

import os

import pytest
from test_cache_cli import tree

from tacli.commands import site as site_command
from tacli.core import background

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")


@pytest.mark.parametrize("cache", ["on", "off"])
def test_the_site_is_the_same_with_the_portfolio_rendered_meanwhile(run_tacli, examples_project, monkeypatch, forks, cache):
    env = {"TACLI_CACHE_DIR": str(examples_project / "cache"), "TACLI_NO_CACHE": "0" if cache == "on" else "1"}
    args = ("site", "engagements", "--today", "2026-11-22", "-q", "--verbose")
    plain = run_tacli(*args, "--out-dir", "plain", cwd=examples_project, env=env)
    assert forks == []
    monkeypatch.setattr(site_command, "BACKGROUND_FROM", 1)
    meanwhile = run_tacli(*args, "--out-dir", "meanwhile", cwd=examples_project, env={**env, "TACLI_CACHE_DIR": str(examples_project / "cache2")})
    assert len(forks) == 1
    assert (meanwhile.returncode, meanwhile.stderr) == (plain.returncode, plain.stderr)
    assert meanwhile.stdout.replace("meanwhile", "plain") == plain.stdout
    assert tree(examples_project / "meanwhile") == tree(examples_project / "plain")
    again = run_tacli(*args, "--out-dir", "meanwhile", cwd=examples_project, env={**env, "TACLI_CACHE_DIR": str(examples_project / "cache2")})
    assert again.returncode == plain.returncode and "0 written" in again.stdout


def test_a_file_tacli_did_not_write_at_the_dashboard_s_place_stops_every_page(run_tacli, examples_project, monkeypatch, forks):
    runs = []
    for name, from_ in (("plain", site_command.BACKGROUND_FROM), ("meanwhile", 1)):
        monkeypatch.setattr(site_command, "BACKGROUND_FROM", from_)
        (examples_project / name).mkdir()
        (examples_project / name / "index.html").write_text("<p>my own page</p>\n", encoding="utf-8")
        runs.append(run_tacli("site", "engagements", "--today", "2026-11-22", "-q", "--out-dir", name, cwd=examples_project, env={"TACLI_CACHE_DIR": str(examples_project / name / ".." / f"cache-{name}")}))
        assert tree(examples_project / name) == {"index.html": b"<p>my own page</p>\n"}
    assert len(forks) == 1
    plain, meanwhile = runs
    assert plain.returncode == meanwhile.returncode == 2
    assert "not tacli's: plain/index.html" in plain.stderr
    assert meanwhile.stderr.replace("meanwhile", "plain") == plain.stderr


def test_a_write_that_fails_first_leaves_no_child_even_while_its_error_is_kept(examples_project, monkeypatch, forks, child_pids):
    """A caller in the same process (tacli serve, a test) may keep the error, and with it the write's frames."""
    import tacli.io.writer as writer
    from tacli.commands import CommonOptions
    from tacli.core.outcome import UsageError

    monkeypatch.setattr(site_command, "BACKGROUND_FROM", 1)
    monkeypatch.chdir(examples_project)
    monkeypatch.setenv("TACLI_CACHE_DIR", str(examples_project / "cache"))

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "stage_new", full)
    with pytest.raises(UsageError) as kept:
        site_command.run(site_command.SiteOptions(CommonOptions(today="2026-11-22"), ("engagements",), "out", quiet=True))
    assert "No space left on device" in str(kept.value)
    _nothing_left(child_pids, examples_project)


@pytest.mark.cache_on
def test_what_the_child_s_cache_noted_is_shown_with_verbose(run_tacli, examples_project, monkeypatch, forks):
    from tacli.io.cache import Cache

    real_flush = Cache.flush

    def flush(self):
        if background.in_a_child():
            self._note_once("a note made in the child")
        return real_flush(self)

    monkeypatch.setattr(Cache, "flush", flush)
    monkeypatch.setattr(site_command, "BACKGROUND_FROM", 1)
    done = run_tacli("site", "engagements", "--today", "2026-11-22", "-q", "--verbose", "--out-dir", "out", cwd=examples_project, env={"TACLI_CACHE_DIR": str(examples_project / "cache")})
    assert len(forks) == 1
    assert "tacli: cache: a note made in the child" in done.stdout + done.stderr


def _order(monkeypatch, forks) -> list:
    """What starts first: the child (the pages of every engagement) or the taking of each engagement's pages."""
    from tacli.output import site_pages

    events = []
    real_pages = site_pages.cached_pages

    def pages(*args, **kwargs):
        events.append(("pages", len(forks)))
        return real_pages(*args, **kwargs)

    monkeypatch.setattr(site_pages, "cached_pages", pages)
    monkeypatch.setattr(site_command, "BACKGROUND_FROM", 1)
    return events


@pytest.mark.cache_on
def test_a_fresh_site_starts_its_child_before_it_takes_each_engagement_s_pages(run_tacli, examples_project, monkeypatch, forks):
    events = _order(monkeypatch, forks)
    done = run_tacli("site", "engagements", "--today", "2026-11-22", "-q", "--out-dir", "out", cwd=examples_project, env={"TACLI_CACHE_DIR": str(examples_project / "cache")})
    assert done.returncode in (0, 1), done.stderr
    assert events == [("pages", 1)] and len(forks) == 1


@pytest.mark.cache_on
def test_a_site_whose_pages_are_still_to_render_starts_its_child_after_them(run_tacli, examples_project, monkeypatch, forks):
    """After `tacli check`, the files' findings are kept but not their pages: rendering them may take the workers, and every core."""
    env = {"TACLI_CACHE_DIR": str(examples_project / "cache")}
    run_tacli("check", "engagements", "--today", "2026-11-22", "-q", cwd=examples_project, env=env)
    events = _order(monkeypatch, forks)
    done = run_tacli("site", "engagements", "--today", "2026-11-22", "-q", "--out-dir", "out", cwd=examples_project, env=env)
    assert done.returncode in (0, 1), done.stderr
    assert events == [("pages", 0)] and len(forks) == 1


@pytest.mark.cache_on
def test_a_failure_while_taking_the_engagements_pages_leaves_no_child(examples_project, monkeypatch, forks, child_pids):
    from tacli.commands import CommonOptions
    from tacli.output import site_pages

    monkeypatch.setattr(site_command, "BACKGROUND_FROM", 1)
    monkeypatch.chdir(examples_project)
    monkeypatch.setenv("TACLI_CACHE_DIR", str(examples_project / "cache"))
    monkeypatch.setenv("TACLI_NO_CACHE", "0")  # also in the suite's pass with the cache off: the test is about the cache

    def fails(*args, **kwargs):
        raise RuntimeError("the cache went away")

    monkeypatch.setattr(site_pages, "cached_pages", fails)
    with pytest.raises(RuntimeError):
        site_command.run(site_command.SiteOptions(CommonOptions(today="2026-11-22"), ("engagements",), "out", quiet=True))
    _nothing_left(child_pids, examples_project)


@pytest.mark.cache_on
def test_files_checked_under_another_folder_have_no_pages_kept_so_the_child_starts_after_them(run_tacli, examples_project, monkeypatch, forks):
    """A cache restored into another folder (CI): each file's findings are found
    under its bytes and name, so it is not read, and its pages are not made with
    the check: rendering them may take the workers."""
    import shutil

    env = {"TACLI_CACHE_DIR": str(examples_project / "cache")}
    run_tacli("check", "engagements", "--today", "2026-11-22", "-q", cwd=examples_project, env=env)
    moved = examples_project / "moved"
    shutil.copytree(examples_project / "engagements", moved / "engagements")
    events = _order(monkeypatch, forks)
    done = run_tacli("site", "engagements", "--today", "2026-11-22", "-q", "--out-dir", "out", cwd=moved, env=env)
    assert done.returncode in (0, 1), done.stderr
    assert events == [("pages", 0)] and len(forks) == 1


def _nothing_left(child_pids: list, examples_project) -> None:
    """The child started, and was stopped and reaped; no file was written."""
    assert child_pids and child_pids[0] > 0
    with pytest.raises(ChildProcessError):
        os.waitpid(child_pids[0], os.WNOHANG)  # reaped: not running, not a zombie
    assert not (examples_project / "out").exists()
