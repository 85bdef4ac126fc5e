"""`tacli site` builds its dashboard's coverage and its annual pages from each
engagement's part (output.site.portfolio_work), kept in tacli's cache: the
site is byte for byte the one built without the cache, fresh, warm and after a
file changed; after one file changed only its part is worked out again, and no
engagement is read whole for the pages of the whole portfolio."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE_FILES, counted_calls
from test_cache_cli import make_project, tree

TODAY = "2026-11-22"
EXAMPLE_NAMES = [path.name for path in EXAMPLE_FILES]


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path)



def _site(run_tacli, project, tmp_path, out: str, *more: str, cache: bool = True):
    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"}
    result = run_tacli("site", "engagements", "--out-dir", out, "--today", TODAY, *more, *(() if cache else ("--no-cache",)), cwd=project, env=env)
    assert result.returncode in (0, 1), result.stderr
    return tree(project / out)


def _rename(project: Path, name: str) -> None:
    path = project / "engagements" / name
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")


@pytest.mark.parametrize("roster", [(), ("--roster", "roster.yaml")])
def test_the_site_is_the_same_with_and_without_the_cache(run_tacli, project, tmp_path, roster):
    fresh = _site(run_tacli, project, tmp_path, "fresh", *roster)
    assert any(path.startswith("annual/") for path in fresh)
    assert fresh == _site(run_tacli, project, tmp_path, "plain", *roster, cache=False)
    assert fresh == _site(run_tacli, project, tmp_path, "warm", *roster)
    _rename(project, EXAMPLE_NAMES[0])
    changed = _site(run_tacli, project, tmp_path, "changed", *roster)
    assert changed != fresh and any(b"Renamed " in text for path, text in changed.items() if path.startswith("annual/"))
    assert changed == _site(run_tacli, project, tmp_path, "changed-plain", *roster, cache=False)


def test_after_one_file_changed_only_its_part_is_worked_out_again(run_tacli, project, tmp_path, monkeypatch):
    from tacli.domain import annual
    from tacli.output import site
    from tacli.reading import stored

    parts = counted_calls(monkeypatch, site, "portfolio_part")
    years = counted_calls(monkeypatch, annual, "annual_part")
    restored = counted_calls(monkeypatch, stored, "restored")
    _site(run_tacli, project, tmp_path, "site", "--roster", "roster.yaml")
    assert sorted(Path(call[1].name).name for call in parts) == sorted(EXAMPLE_NAMES)  # fresh: each once, while the check had it in hand
    assert restored == []  # no engagement read whole again for the dashboard or the annual pages
    _rename(project, EXAMPLE_NAMES[0])
    parts.clear()
    years.clear()
    _site(run_tacli, project, tmp_path, "site", "--roster", "roster.yaml")
    assert [Path(call[1].name).name for call in parts] == [EXAMPLE_NAMES[0]]
    assert {Path(call[1]).name for call in years} == {EXAMPLE_NAMES[0]}  # the year's figures: only its parts again
    assert restored == []
    parts.clear()
    _site(run_tacli, project, tmp_path, "site")  # without the roster: the parts are the same, matched in the sum
    assert parts == []


def test_cache_info_names_the_parts(run_tacli, project, tmp_path):
    _site(run_tacli, project, tmp_path, "site")
    info = run_tacli("cache", "info", env={"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"})
    assert info.returncode == 0
    assert "each engagement's part of the annual pages" in info.stdout and "portfolio-part" not in info.stdout
