"""tacli's cache (tacli.io.cache, reading.stored, checking.checker): what keys an
entry, what a damaged or foreign cache becomes, and runs sharing one."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from conftest import EXAMPLE_FILES, TODAY

from tacli.io import cache as cache_module
from tacli.io.cache import Cache, digest, dumps, loads, tree_digest


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "cache"


def spec():
    from tacli.core.paths import shipped_standards
    from tacli.standards.spec import load_spec

    return load_spec(shipped_standards())


def checker(cache_folder: Path | None, today: date = TODAY, rules=None):
    from tacli.checking.checker import Checker

    return Checker(spec(), today, rules, Cache(cache_folder) if cache_folder is not None else None)


def targets_of(paths):
    from tacli.reading.pipeline import find_targets

    return find_targets([str(path) for path in paths])


def findings(result) -> list[tuple]:
    return [(item.path, item.line, item.column, item.rule, item.level, item.message) for item in result.findings]


def copies(tmp_path: Path, count: int = 3) -> list[Path]:
    folder = tmp_path / "engagements"
    folder.mkdir(exist_ok=True)
    paths = []
    for source in EXAMPLE_FILES[:count]:
        paths.append(folder / source.name)
        shutil.copy(source, paths[-1])
    return paths


# --- keys ----------------------------------------------------------------------


def test_the_digest_of_different_parts_differs():
    assert digest("ab", "c") != digest("a", "bc")
    assert digest(("a",), "b") != digest("a", "b")
    assert digest(b"a") != digest("a")
    assert digest(1) != digest("1")
    assert digest("a", None) == digest("a", None)
    with pytest.raises(TypeError):
        digest(object())


def test_the_key_of_a_file_changes_with_its_bytes_its_name_the_standards_and_tacli(tmp_path):
    from tacli.reading.pipeline import Target
    from tacli.reading.stored import file_key

    path = tmp_path / "a.yaml"
    target = Target(path, "a.yaml", True)
    context = digest("context", b"code", b"standards")
    key = file_key(context, target, b"tacli: 1\n")
    assert key == file_key(context, target, b"tacli: 1\n")
    assert key != file_key(context, target, b"tacli: 1\n#\n")
    assert key != file_key(context, Target(tmp_path / "b.yaml", "b.yaml", True), b"tacli: 1\n")
    assert key != file_key(context, Target(path, "a.yaml", explicit=False), b"tacli: 1\n")
    assert key != file_key(digest("context", b"code", b"other standards"), target, b"tacli: 1\n")
    assert key != file_key(digest("context", b"other code", b"standards"), target, b"tacli: 1\n")


def test_the_standards_digest_changes_with_any_file_of_them(tmp_path):
    from tacli.core.paths import shipped_standards

    standards = tmp_path / "standards"
    shutil.copytree(shipped_standards(), standards)
    before = tree_digest(standards)
    assert before == tree_digest(standards)
    some = sorted(standards.rglob("*.yaml"))[0]
    some.write_text(some.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert tree_digest(standards) != before
    (standards / "extra.yaml").write_text("x: 1\n", encoding="utf-8")
    assert tree_digest(standards) is not None


def test_standards_that_cannot_be_read_whole_are_not_cached(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    standards = tmp_path / "standards"
    standards.mkdir()
    os.mkfifo(standards / "pipe.yaml")
    assert tree_digest(standards) is None
    assert tree_digest(tmp_path / "missing") is None


def test_the_code_version_changes_with_tacli_version(monkeypatch):
    import tacli

    before = cache_module.code_version()
    monkeypatch.setattr(cache_module, "_CODE", [])
    monkeypatch.setattr(tacli, "__version__", tacli.__version__ + ".post1")
    assert cache_module.code_version() != before


def test_a_changed_file_is_read_again(tmp_path, folder):
    path = copies(tmp_path, 1)[0]
    first = checker(folder).check(targets_of([path]))
    path.write_text(path.read_text(encoding="utf-8").replace("tacli: 1\n", "tacli: 1\nunknown_key: 1\n", 1), encoding="utf-8")
    second = checker(folder).check(targets_of([path]))
    fresh = checker(None).check(targets_of([path]))
    assert findings(second) == findings(fresh) != findings(first)


def test_other_standards_are_not_served_the_findings_of_the_shipped_ones(tmp_path, folder):
    from tacli.checking.checker import Checker
    from tacli.core.paths import shipped_standards
    from tacli.standards.spec import load_spec

    path = copies(tmp_path, 1)[0]
    standards = tmp_path / "standards"
    shutil.copytree(shipped_standards(), standards)
    shipped = checker(folder).check(targets_of([path]))
    # the same standards under another name keep nothing of the shipped ones' entries
    other = Checker(load_spec(standards), TODAY, cache=Cache(folder)).check(targets_of([path]))
    assert findings(other) == findings(shipped)
    assert Checker(load_spec(standards), TODAY, cache=Cache(folder)).context != checker(folder).context


def test_the_configuration_is_applied_after_the_cache(tmp_path, folder):
    from tacli.checking.selection import RuleSettings

    path = copies(tmp_path, 1)[0]
    all_findings = checker(folder).check(targets_of([path]))
    assert all_findings.findings, "the example should have findings to select from"
    rule = all_findings.findings[0].rule
    ignored = checker(folder, rules=RuleSettings(disabled=frozenset({rule}))).check(targets_of([path]))
    assert rule not in {item.rule for item in ignored.findings}
    assert findings(ignored) == findings(checker(None, rules=RuleSettings(disabled=frozenset({rule}))).check(targets_of([path])))


def test_the_day_changes_the_dated_findings_of_a_cached_file(tmp_path, folder):
    paths = copies(tmp_path)
    for day in (date(2026, 9, 1), TODAY, date(2027, 6, 30), TODAY):
        cold = checker(None, day).check(targets_of(paths))
        warm = checker(folder, day).check(targets_of(paths))
        again = checker(folder, day).check(targets_of(paths))
        assert findings(cold) == findings(warm) == findings(again)
    assert findings(checker(folder, date(2026, 9, 1)).check(targets_of(paths))) != findings(checker(folder, date(2027, 6, 30)).check(targets_of(paths)))


def test_results_kept_with_the_document_are_those_without(tmp_path, folder):
    paths = copies(tmp_path)
    checker(folder).check(targets_of(paths))
    kept = checker(folder).check(targets_of(paths), keep=True)
    fresh = checker(None).check(targets_of(paths), keep=True)
    assert findings(kept) == findings(fresh)
    assert [file.engagement == other.engagement for file, other in zip(kept.files, fresh.files)] == [True] * len(paths)


# --- values --------------------------------------------------------------------


def test_values_come_back_as_they_were():
    from tacli.core.findings import Level

    value = {"a": [1, 2.5, None, "x"], "d": date(2026, 1, 2), "p": Path("a/b"), "l": Level.ERROR, "big": "x" * 20000}
    assert loads(dumps(value)) == value


def test_a_large_value_is_kept_compressed_and_comes_back_whole():
    value = {"rows": [{"id": f"svc-{n}", "date": date(2026, 1, 1 + n % 28), "note": "the same words " * 8} for n in range(300)]}
    blob = dumps(value)
    assert blob[:1] == b"l" and len(blob) < len(pickle.dumps(value, 5)) // 2
    assert loads(blob) == value
    assert dumps("small")[:1] == b"p"


def test_a_compressed_value_that_claims_a_huge_length_is_refused_before_any_is_allocated():
    import lz4.block

    forged = lz4.block.compress(b"x" * 9000)
    huge = (2**31 - 1).to_bytes(4, "little") + forged[4:]
    with pytest.raises(ValueError):
        loads(b"l" + huge)
    with pytest.raises(Exception):  # a damaged body: lz4 says so, the cache calls it a miss
        loads(b"l" + forged[:4] + b"\xff" * 20)


def test_a_value_that_names_a_function_is_refused():
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo owned",))

    blob = b"p" + pickle.dumps(Evil())
    with pytest.raises(pickle.UnpicklingError):
        loads(blob)
    with pytest.raises(ValueError):
        loads(b"?garbage")


@pytest.mark.parametrize("module, name", [("tacli.write.git", "subprocess.Popen"), ("tacli.write.git", "Path"), ("tacli.io.cache", "Cache.__class__")])
def test_a_value_that_names_a_class_through_a_tacli_module_is_refused(module, name):
    """A class a tacli module imports (or reaches by a dotted name) is not tacli's."""
    forged = b"\x80\x05" + pickle.dumps(module, 5)[2:-1] + pickle.dumps(name, 5)[2:-1] + b"\x93" + pickle.dumps(("true",), 5)[2:-1] + b"R."
    with pytest.raises(pickle.UnpicklingError):
        loads(b"p" + forged)


def test_an_entry_whose_checksum_does_not_match_is_a_miss(folder):
    cache = Cache(folder)
    cache.put(b"k" * 20, "checked", [1, 2])
    cache.close()
    connection = sqlite3.connect(folder / cache_module.DATABASE)
    connection.execute("UPDATE entries SET value = ?", (dumps([1, 3]),))
    connection.commit()
    connection.close()
    cache = Cache(folder)
    assert cache.get(b"k" * 20, None) is None
    assert any("checksum" in note for note in cache.notes)


@pytest.mark.parametrize("column, value", [("value", "pabc"), ("value", 2**62), ("value", 2_000_000_000), ("used", "x"), ("checksum", 7), ("key", "text")])
def test_a_column_of_the_wrong_type_is_a_miss_and_never_expanded(folder, column, value):
    """SQLite keeps whatever type a damaged record gives a column: text where
    bytes were, or a number that bytes() would make gigabytes of."""
    cache = Cache(folder)
    cache.put(b"k" * 20, "checked", [1, 2])
    cache.close()
    connection = sqlite3.connect(folder / cache_module.DATABASE)
    if column == "key":
        connection.execute("INSERT INTO entries (key, kind, value, checksum, used) SELECT ?, kind, value, checksum, used FROM entries", (value,))
    else:
        connection.execute(f"UPDATE entries SET {column} = ?", (value,))
    connection.commit()
    connection.close()
    cache = Cache(folder)
    assert cache.get_many([b"k" * 20, "text"]) == ({} if column != "key" else {b"k" * 20: [1, 2]})
    assert column == "key" or any("damaged" in note for note in cache.notes)


def test_without_lz4_a_large_value_is_not_kept_and_a_note_says_why(folder, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "lz4.block", None)  # import lz4.block: ImportError
    cache = Cache(folder)
    cache.put(b"k" * 20, "reading", "x" * 20000)
    cache.put(b"j" * 20, "checked", "small")
    cache.close()
    again = Cache(folder)
    assert again.get(b"k" * 20, None) is None and again.get(b"j" * 20) == "small"
    assert any("lz4" in note for note in cache.notes)


def test_a_value_that_cannot_be_read_is_a_miss(folder):
    from tacli.io.cache import _check

    cache = Cache(folder)
    cache.put(b"k" * 20, "checked", 1)
    cache.close()
    blob = b"p" + pickle.dumps(os.system)
    connection = sqlite3.connect(folder / cache_module.DATABASE)
    connection.execute("UPDATE entries SET value = ?, checksum = ?", (blob, _check(b"k" * 20, blob)))
    connection.commit()
    connection.close()
    cache = Cache(folder)
    assert cache.get(b"k" * 20, None) is None
    assert cache.notes


# --- a damaged, foreign or unusable cache ----------------------------------------


def filled(folder: Path) -> Path:
    cache = Cache(folder)
    cache.put(b"k" * 20, "checked", "value")
    cache.close()
    again = Cache(folder)
    assert again.get(b"k" * 20) == "value"
    again.release()
    return folder / cache_module.DATABASE


def damage_truncated(database: Path) -> None:
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 3 or 10])


def damage_garbage(database: Path) -> None:
    database.write_bytes(os.urandom(8192))


def damage_header(database: Path) -> None:
    data = bytearray(database.read_bytes())
    data[100:4096] = os.urandom(3996)
    database.write_bytes(bytes(data))


def damage_other_database(database: Path) -> None:
    database.unlink()
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE entries (key, kind, value, checksum, used)")
    connection.commit()
    connection.close()


def damage_symlink(database: Path) -> None:
    elsewhere = database.parent.parent / "elsewhere.sqlite3"
    shutil.copy(database, elsewhere)
    database.unlink()
    database.symlink_to(elsewhere)


@pytest.mark.parametrize("damage", [damage_truncated, damage_garbage, damage_header, damage_other_database, damage_symlink])
def test_a_damaged_database_is_ignored_and_made_anew(folder, tmp_path, damage):
    for suffix in ("-wal", "-shm"):
        Path(str(filled(folder)) + suffix).unlink(missing_ok=True)
    database = folder / cache_module.DATABASE
    damage(database)
    cache = Cache(folder)
    assert cache.get(b"k" * 20, None) in (None, "value")  # never a wrong value, never an exception
    cache.put(b"j" * 20, "checked", "new")
    cache.close()
    assert Cache(folder).get(b"j" * 20, None) == "new"
    assert cache.notes, "a damaged cache is noted"
    assert not database.is_symlink()
    if damage is damage_symlink:
        assert (tmp_path / "elsewhere.sqlite3").exists(), "the file behind the link is left alone"


def test_a_database_of_the_previous_format_is_made_anew(folder):
    database = filled(folder)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA user_version = 1")  # zlib values, SHA-256 checksums
    connection.commit()
    connection.close()
    cache = Cache(folder)
    assert cache.get(b"k" * 20, None) is None
    assert any("another format" in note for note in cache.notes)
    cache.put(b"j" * 20, "checked", "new")
    cache.close()
    assert Cache(folder).get(b"j" * 20, None) == "new"


def test_a_damaged_database_gives_the_same_findings(tmp_path, folder):
    paths = copies(tmp_path)
    checker(folder).check(targets_of(paths))
    damage_garbage(folder / cache_module.DATABASE)
    for suffix in ("-wal", "-shm"):
        Path(str(folder / cache_module.DATABASE) + suffix).unlink(missing_ok=True)
    cache = Cache(folder)
    from tacli.checking.checker import Checker

    result = Checker(spec(), TODAY, cache=cache).check(targets_of(paths))
    assert findings(result) == findings(checker(None).check(targets_of(paths)))
    assert any("made anew" in note for note in cache.notes)


def test_a_database_of_another_user_is_not_trusted(folder, monkeypatch):
    if not hasattr(os, "getuid"):
        pytest.skip("no user ids here")
    filled(folder)
    uid = os.getuid()
    real_lstat = os.lstat

    def lstat(path, *args, **kwargs):
        info = real_lstat(path, *args, **kwargs)
        if str(path).endswith(cache_module.DATABASE):
            return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, uid + 1, info.st_gid, info.st_size, info.st_atime, info.st_mtime, info.st_ctime))
        return info

    monkeypatch.setattr(os, "lstat", lstat)
    cache = Cache(folder)
    assert cache.get(b"k" * 20, None) is None
    assert any("another user" in note for note in cache.notes)


def test_a_folder_of_another_user_is_not_used(folder, monkeypatch):
    if not hasattr(os, "getuid"):
        pytest.skip("no user ids here")
    filled(folder)
    monkeypatch.setattr(os, "getuid", lambda: 12345678)
    cache = Cache(folder)
    assert cache.get(b"k" * 20, None) is None
    cache.put(b"j" * 20, "checked", 1)
    cache.flush()
    assert not cache.enabled
    assert any("another user" in note for note in cache.notes)


def test_a_folder_open_to_others_is_closed_or_not_used(folder):
    if not hasattr(os, "getuid"):
        pytest.skip("no modes here")
    filled(folder)
    os.chmod(folder, 0o777)
    cache = Cache(folder)
    assert cache.get(b"k" * 20, None) == "value"
    assert not os.stat(folder).st_mode & 0o022, "tacli closes its own folder to others"


def _modes(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mode & 0o777 for path in [folder, *folder.iterdir()]}


@pytest.mark.parametrize("earlier", [False, True], ids=["new", "made-by-an-earlier-tacli"])
def test_only_the_user_can_read_the_cache(tmp_path, earlier):
    if not hasattr(os, "getuid"):
        pytest.skip("no modes here")
    folder = tmp_path / "made" / "cache"
    umask = os.umask(0o022)  # the usual one: what it creates, others could read
    try:
        if earlier:  # a cache whose files took the umask's permissions
            filled(folder)
            cache = Cache(folder)
            cache.put(b"j" * 20, "checked", "other")
            cache.flush()  # its -wal and -shm exist while it is open
            for path in [folder, *folder.iterdir()]:
                os.chmod(path, 0o755 if path.is_dir() else 0o644)
            cache.release()
        cache = Cache(folder)
        assert cache.get(b"k" * 20, None) == ("value" if earlier else None)
        cache.put(b"l" * 20, "checked", "more")
        cache.flush()
        modes = _modes(folder)
        cache.close()
    finally:
        os.umask(umask)
    assert {f"{cache_module.DATABASE}-wal", f"{cache_module.DATABASE}-shm"} <= set(modes), modes
    assert all(mode == 0o600 for name, mode in modes.items() if name != "cache"), modes
    if not earlier:
        assert modes["cache"] == 0o700  # the folder tacli makes; one that was there is only closed to others' writing


def test_a_read_only_cache_is_not_used_and_changes_nothing(tmp_path, folder):
    if not hasattr(os, "getuid") or os.getuid() == 0:
        pytest.skip("root writes anywhere")
    paths = copies(tmp_path)
    folder.mkdir(mode=0o500)
    try:
        cache = Cache(folder)
        from tacli.checking.checker import Checker

        result = Checker(spec(), TODAY, cache=cache).check(targets_of(paths))
        assert findings(result) == findings(checker(None).check(targets_of(paths)))
        assert cache.notes and not cache.enabled
    finally:
        os.chmod(folder, 0o700)


def test_a_cache_folder_that_is_a_file_is_not_used(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    cache = Cache(tmp_path / "file")
    assert cache.get(b"k" * 20, None) is None
    assert cache.notes and not cache.enabled


def test_no_cache_keeps_nothing(tmp_path, folder, monkeypatch):
    from tacli.io.cache import open_cache, turned_off

    monkeypatch.setenv("TACLI_CACHE_DIR", str(folder))
    monkeypatch.setenv("TACLI_NO_CACHE", "1")
    assert turned_off()
    cache = open_cache()
    assert not cache.enabled
    from tacli.checking.checker import Checker

    Checker(spec(), TODAY, cache=cache).check(targets_of(copies(tmp_path)))
    assert not folder.exists()
    monkeypatch.setenv("TACLI_NO_CACHE", "0")
    assert not turned_off() and turned_off(no_cache=True)


def test_clear_removes_the_database(folder):
    filled(folder)
    cache = Cache(folder)
    assert cache.info()["entries"]["checked"][0] == 1
    assert Cache(folder).clear() > 0
    assert not (folder / cache_module.DATABASE).exists()
    assert Cache(folder).clear() == 0


# --- pruning ---------------------------------------------------------------------


def _aged(folder: Path, ages: dict[bytes, int], size: int = 1000) -> None:
    """Entries of `size` bytes, each last used `ages[key]` days ago, in a cache pruned last yesterday."""
    cache = Cache(folder)
    for key in ages:
        cache.put(key, "test", os.urandom(size))  # random bytes: not compressed smaller
    cache.flush()
    cache.close()
    today = cache_module._day()
    connection = sqlite3.connect(folder / cache_module.DATABASE)
    with connection:
        for key, age in ages.items():
            connection.execute("UPDATE entries SET used = ? WHERE key = ?", (today - age, key))
        connection.execute("UPDATE meta SET value = ? WHERE name = 'pruned'", (str(today - 1),))
    connection.close()


def _pruned(folder: Path) -> set[bytes]:
    """The keys left once a run flushes the cache (which prunes it, once a day)."""
    cache = Cache(folder)
    cache.put(b"new-entry-of-this-run", "test", b"x")
    cache.flush()
    cache.close()
    connection = sqlite3.connect(folder / cache_module.DATABASE)
    left = {key for (key,) in connection.execute("SELECT key FROM entries")} - {b"new-entry-of-this-run"}
    connection.close()
    return left


def test_entries_no_run_used_for_30_days_are_removed(folder):
    _aged(folder, {b"29-days": 29, b"30-days": 30, b"31-days": 31, b"today": 0})
    assert _pruned(folder) == {b"29-days", b"30-days", b"today"}


def test_over_its_size_the_cache_drops_the_days_used_longest_ago_first(folder, monkeypatch):
    """A day at a time, the oldest first, until it fits; yesterday's and today's
    entries stay (a daily run's own). The half used longest ago went before,
    whatever their days: a large portfolio's warm entries among them."""
    ages = {b"%d-days-%d" % (age, n): age for age in (0, 1, 2, 5, 9) for n in range(3)}
    _aged(folder, ages, size=1000)
    monkeypatch.setattr(cache_module, "MAX_BYTES", 9 * 1000 + 500)
    assert _pruned(folder) == {key for key, age in ages.items() if age <= 2}


def test_today_and_yesterday_stay_over_its_size_unless_they_alone_are_over(folder, monkeypatch):
    ages = {b"%d-days-%d" % (age, n): age for age in (0, 1, 7) for n in range(4)}
    _aged(folder, ages, size=1000)
    monkeypatch.setattr(cache_module, "MAX_BYTES", 8 * 1000 + 500)
    assert _pruned(folder) == {key for key, age in ages.items() if age <= 1}
    _aged(folder, {b"more-today-%d" % n: 0 for n in range(8)}, size=1000)  # 16 entries of today and yesterday: over
    assert len(_pruned(folder)) == 8


# --- runs sharing one cache ------------------------------------------------------


def _fill(folder: str, paths: list[str], day: str, queue) -> None:
    try:
        from tacli.checking.checker import Checker

        result = Checker(spec(), date.fromisoformat(day), cache=Cache(Path(folder))).check(targets_of(paths), jobs=1)
        queue.put(findings(result))
    except BaseException as exc:  # noqa: BLE001 - told to the test
        queue.put(repr(exc))


def test_two_processes_filling_the_cache_at_once_both_get_the_right_findings(tmp_path, folder):
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs fork")
    paths = []
    for index in range(24):  # enough files that the two runs' writes meet
        source = EXAMPLE_FILES[index % len(EXAMPLE_FILES)]
        target = tmp_path / "many" / f"e{index:02d}.yaml"
        target.parent.mkdir(exist_ok=True)
        shutil.copy(source, target)
        paths.append(str(target))
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    runs = [context.Process(target=_fill, args=(str(folder), paths, TODAY.isoformat(), queue)) for _ in range(2)]
    for run in runs:
        run.start()
    results = [queue.get(timeout=120) for _ in runs]
    for run in runs:
        run.join(30)
    expected = findings(checker(None).check(targets_of(paths)))
    assert results == [expected, expected]
    assert findings(checker(folder).check(targets_of(paths))) == expected
    assert Cache(folder).info()["entries"]["checked"][0] == len(paths)
