"""The stat shortcut of tacli's cache (reading.stored.source_of, Checker.prefetch):
a file whose stat signature is the one the cache remembers is given its key
without being read, unless it changed too close to being read (io.filestat.settled); whatever
the shortcut does, the results are those of a run without the cache."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import EXAMPLE_FILES, EXAMPLES, TODAY

from tacli.reading import stored

ELM = EXAMPLES / "elm-street-data-teams.yaml"


@pytest.fixture
def reads(monkeypatch):
    """The paths read through io.userfiles.read_limited (every engagement file's
    bytes come through it), by name."""
    from tacli.io import userfiles, yamlsource

    seen: list[str] = []
    original = userfiles.read_limited

    def counting(path, *args, **kwargs):
        seen.append(os.path.basename(str(path)))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(userfiles, "read_limited", counting)
    monkeypatch.setattr(yamlsource, "read_limited", counting)
    return seen


@pytest.fixture
def not_racy(monkeypatch):
    """Files written by the test count as settled at once (else each would be racy for a moment)."""
    from tacli.io import filestat

    monkeypatch.setattr(filestat, "RACY_NS", 0)
    monkeypatch.setattr(filestat, "COARSE_RACY_NS", 0)


def check(run_tacli, folder: Path, *args, env: dict | None = None):
    return run_tacli("check", "--today", TODAY.isoformat(), "--format", "json", *args, str(folder), cwd=folder.parent, env=env)


def settled(path: Path) -> None:
    """Let the file's timestamps fall behind the clock the next read sees (timestamps are coarse)."""
    time.sleep(0.05)


def test_an_unchanged_file_is_not_read_again(run_tacli, tmp_path, reads, not_racy):
    folder = tmp_path / "engagements"
    folder.mkdir()
    shutil.copy(ELM, folder / "elm.yaml")
    settled(folder / "elm.yaml")
    first = check(run_tacli, folder)
    assert "elm.yaml" in reads
    reads.clear()
    second = check(run_tacli, folder)
    assert reads.count("elm.yaml") == 0
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)


def test_the_shortcut_is_not_taken_without_a_stat_entry(run_tacli, tmp_path, reads, not_racy, monkeypatch):
    """The counter above can fail: without the entry, the second run reads the file."""
    monkeypatch.setattr(stored, "remembered_entry", lambda source: None)
    folder = tmp_path / "engagements"
    folder.mkdir()
    shutil.copy(ELM, folder / "elm.yaml")
    check(run_tacli, folder)
    reads.clear()
    check(run_tacli, folder)
    assert reads.count("elm.yaml") >= 1


def test_a_file_changed_with_its_size_and_mtime_kept_is_read_again(run_tacli, tmp_path, reads, not_racy):
    folder = tmp_path / "engagements"
    folder.mkdir()
    path = folder / "elm.yaml"
    shutil.copy(ELM, path)
    settled(path)
    before = check(run_tacli, folder)
    assert "2026-11-06" in before.stdout and "3 days after" in before.stdout
    info = os.stat(path)
    text = path.read_bytes()
    changed = text.replace(b"completed: 2026-11-06", b"completed: 2026-11-04", 1)
    assert changed != text and len(changed) == len(text)
    time.sleep(0.05)
    path.write_bytes(changed)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # the mtime set back: only the ctime says it changed
    assert (os.stat(path).st_size, os.stat(path).st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    settled(path)
    reads.clear()
    after = check(run_tacli, folder)
    assert "elm.yaml" in reads
    assert "3 days after" not in after.stdout and "1 day after" in after.stdout
    assert after.stdout == check(run_tacli, folder, "--no-cache").stdout


def test_a_racy_file_is_read_again(run_tacli, tmp_path, reads):
    """Changed as it was read (its time after the read's, whatever the clock's tick): its stat cannot vouch for its bytes."""
    folder = tmp_path / "engagements"
    folder.mkdir()
    shutil.copy(ELM, folder / "elm.yaml")
    ahead = time.time_ns() + 10**9
    os.utime(folder / "elm.yaml", ns=(ahead, ahead))
    check(run_tacli, folder)
    reads.clear()
    check(run_tacli, folder)
    assert "elm.yaml" in reads


def test_a_racy_entry_is_not_trusted_but_a_settled_one_is():
    from tacli.io import filestat

    signature = (1, 2, 300, 10 * 10**9, 10 * 10**9)
    digest = bytes(32)
    margin = filestat.COARSE_RACY_NS  # these times are whole seconds: a file system that keeps no more
    assert stored._trusted((signature, digest, 10 * 10**9 + margin + 1), signature) == digest
    assert stored._trusted((signature, digest, 10 * 10**9 + margin), signature) is None
    changed_ctime = signature[:4] + (11 * 10**9,)
    assert stored._trusted((signature, digest, 20 * 10**9), changed_ctime) is None
    for damaged in (None, (), (signature, digest), (signature, b"short", 20 * 10**9), (list(signature), digest, 20 * 10**9),
                    (signature, digest, "20"), "garbage"):
        assert stored._trusted(damaged, signature) is None


def test_a_file_that_changes_after_its_stat_is_keyed_from_its_bytes(tmp_path, not_racy):
    """A shortcut Source whose bytes, read later, are not those of its key is re-keyed (confirmed),
    and a document restored from it refuses to compose nodes from other bytes."""
    from tacli.reading.pipeline import find_targets

    path = tmp_path / "elm.yaml"
    shutil.copy(ELM, path)
    time.sleep(0.05)
    target = find_targets([str(path)])[0]
    context = b"context"
    read = stored.source_of(target, context)
    assert read.raw is not None and not read.shortcut
    shortcut = stored.source_of(target, context, stored.remembered_entry(read))
    assert shortcut.shortcut and shortcut.key == read.key
    assert stored.confirmed(shortcut).key == read.key
    path.write_bytes(path.read_bytes().replace(b"2026-11-06", b"2026-11-04", 1))  # after the stat
    real = stored.confirmed(shortcut)
    assert real.raw == path.read_bytes() and real.key == stored.file_key(context, target, real.raw) != read.key
    document = stored._lazy_document()("elm.yaml", {}, [], {}, shortcut)
    with pytest.raises(stored.SourceChanged):
        document.root


def test_results_are_the_same_with_the_shortcut_and_without_the_cache(run_tacli, tmp_path, reads, not_racy):
    folder = tmp_path / "engagements"
    folder.mkdir()
    for source in EXAMPLE_FILES:
        shutil.copy(source, folder / source.name)
    settled(folder)
    commands = [("check", "--format", "json"), ("check", "--format", "sarif"), ("check",), ("due", "--format", "json"), ("status",)]
    for command in commands:
        args = (*command, "--today", TODAY.isoformat(), str(folder))
        off = run_tacli(*args, "--no-cache", cwd=tmp_path)
        cold = run_tacli(*args, cwd=tmp_path)
        reads.clear()
        warm = run_tacli(*args, cwd=tmp_path)
        assert (cold.returncode, cold.stdout, cold.stderr) == (off.returncode, off.stdout, off.stderr), command
        assert (warm.returncode, warm.stdout, warm.stderr) == (off.returncode, off.stdout, off.stderr), command
    assert not [name for name in reads if name.endswith(".yaml") and name != "roster.yaml"]


def test_no_cache_keeps_no_stat_entry(run_tacli, tmp_path, not_racy):
    from conftest import tacli_cache

    folder = tmp_path / "engagements"
    folder.mkdir()
    shutil.copy(ELM, folder / "elm.yaml")
    cache_dir = tmp_path / "own-cache"
    check(run_tacli, folder, "--no-cache", env={"TACLI_CACHE_DIR": str(cache_dir)})
    assert not (cache_dir / "cache.sqlite3").exists()
    check(run_tacli, folder, env={"TACLI_CACHE_DIR": str(cache_dir)})
    info = run_tacli("cache", "info", env={"TACLI_CACHE_DIR": str(cache_dir)})
    assert "each file's size and times: unchanged, not read" in info.stdout
    assert tacli_cache() != cache_dir
