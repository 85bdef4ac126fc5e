"""tacli's cache through the command line: every command and format gives the
same bytes with the cache cold, warm and off; --today changes what is due when
every file is cached; `tacli cache info` and `clear`; --no-cache and
TACLI_NO_CACHE write nothing; a damaged cache is ignored, with a note under
--verbose. The runs that need the cache turn it on (TACLI_NO_CACHE=0), so these
tests mean the same when the suite runs with it off (TACLI_TEST_NO_CACHE=1)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, EXAMPLE_FILES, counted_calls

TODAY = "2026-11-22"

EXAMPLE_NAMES = [path.name for path in EXAMPLE_FILES]

# Every command that reads engagement files, in each of its formats, on a copy of the examples.
COMMANDS = [
    *[("check", "engagements", "-f", name) for name in ("text", "json", "sarif", "github", "junit")],
    ("check", "engagements", "--select", "duty-*", "-f", "json"),
    ("check", "engagements", "--ignore", "duty-*"),
    ("check", "engagements", "--roster", "roster.yaml", "-f", "json"),
    *[("due", "engagements", "-f", name, "--facilitator", "") for name in ("text", "json", "csv", "ics")],
    *[("status", f"engagements/{name}", "-f", form) for name in EXAMPLE_NAMES for form in ("text", "json")],
    *[("export", "engagements", "--table", table, "-f", form) for table in ("engagements", "services", "duties", "findings") for form in ("csv", "json")],
    ("report", "engagements", "--out-dir", "reports"),
    ("report", "engagements", "--out-dir", "reports", "--check"),
    ("site", "engagements", "--out-dir", "site"),
    ("site", "engagements", "--out-dir", "site", "--check"),
]


def make_project(tmp_path) -> Path:
    """A project folder under `tmp_path`: the examples in engagements/, and their roster."""
    folder = tmp_path / "project"
    (folder / "engagements").mkdir(parents=True)
    for path in EXAMPLE_FILES:
        shutil.copy(path, folder / "engagements" / path.name)
    shutil.copy(EXAMPLES / "roster.yaml", folder / "roster.yaml")
    return folder


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def everything(run_tacli, folder: Path, env: dict, today: str = TODAY) -> dict:
    """What each command wrote (its streams, its exit code, the folders it wrote)."""
    for name in ("reports", "site"):
        shutil.rmtree(folder / name, ignore_errors=True)
    seen = {}
    for command in COMMANDS:
        result = run_tacli(*command, "--today", today, cwd=folder, env=env)
        seen[command] = (result.returncode, result.stdout, result.stderr)
    seen["reports"] = tree(folder / "reports")
    seen["site"] = tree(folder / "site")
    return seen


def test_every_command_gives_the_same_bytes_cold_warm_and_without_the_cache(run_tacli, project, tmp_path):
    cached = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"}
    off = {"TACLI_NO_CACHE": "1", "TACLI_CACHE_DIR": str(tmp_path / "unused")}
    without = everything(run_tacli, project, off)
    cold = everything(run_tacli, project, cached)
    warm = everything(run_tacli, project, cached)
    assert (tmp_path / "cache").exists() and not (tmp_path / "unused").exists()
    for key in without:
        assert cold[key] == without[key], key
        assert warm[key] == without[key], key
    assert without["reports"] and without["site"]


def test_today_changes_what_is_due_when_every_file_is_cached(run_tacli, project, tmp_path):
    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"}
    for day in ("2026-09-01", "2027-06-30"):
        run_tacli("check", "engagements", "--today", day, cwd=project, env=env)
        run_tacli("due", "engagements", "--facilitator", "", "--today", day, cwd=project, env=env)
    for command in (("due", "engagements", "--facilitator", "", "-f", "json"), ("check", "engagements", "-f", "json"), ("status", f"engagements/{EXAMPLE_NAMES[0]}")):
        early = run_tacli(*command, "--today", "2026-09-01", cwd=project, env=env)
        late = run_tacli(*command, "--today", "2027-06-30", cwd=project, env=env)
        assert early.stdout != late.stdout, command
        for day, result in (("2026-09-01", early), ("2027-06-30", late)):
            fresh = run_tacli(*command, "--today", day, "--no-cache", cwd=project, env=env)
            assert (result.returncode, result.stdout) == (fresh.returncode, fresh.stdout), (command, day)


def test_a_changed_file_is_read_again(run_tacli, project, tmp_path):
    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"}
    before = run_tacli("check", "engagements", "-f", "json", "--today", TODAY, cwd=project, env=env)
    path = project / "engagements" / EXAMPLE_NAMES[0]
    path.write_text(path.read_text(encoding="utf-8").replace("tacli: 1\n", "tacli: 1\nnot_a_key: 1\n", 1), encoding="utf-8")
    after = run_tacli("check", "engagements", "-f", "json", "--today", TODAY, cwd=project, env=env)
    assert before.stdout != after.stdout and "not_a_key" in after.stdout


def test_cache_info_and_clear(run_tacli, project, tmp_path):
    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"}
    empty = run_tacli("cache", "info", env=env)
    assert empty.returncode == 0 and "empty" in empty.stdout and str(tmp_path / "cache") in empty.stdout
    run_tacli("check", "engagements", "--today", TODAY, cwd=project, env=env)
    info = run_tacli("cache", "info", env=env)
    assert info.returncode == 0
    assert "each file's findings" in info.stdout and "each file's data, as read" in info.stdout
    assert all(len(line) <= 80 for line in info.stdout.splitlines()[1:])  # a person reads it at a terminal (the first line holds the folder)
    from tacli.commands.cache import KINDS

    listed = info.stdout.split("\n\n")[0].splitlines()[1:]
    assert listed and all(line.split("  ")[-1] in KINDS.values() for line in listed), info.stdout  # every kind in words, never its id
    off = run_tacli("cache", "info", env={**env, "TACLI_NO_CACHE": "1"})
    assert "TACLI_NO_CACHE" in off.stdout
    cleared = run_tacli("cache", "clear", env=env)
    assert cleared.returncode == 0 and "emptied" in cleared.stdout
    assert "was empty" in run_tacli("cache", "clear", env=env).stdout
    assert "empty" in run_tacli("cache", "info", env=env).stdout


def test_a_cache_that_cannot_be_emptied_says_so(run_tacli, tmp_path):
    (tmp_path / "cache" / "cache.sqlite3").mkdir(parents=True)  # not a file tacli can remove
    cleared = run_tacli("cache", "clear", env={"TACLI_CACHE_DIR": str(tmp_path / "cache")})
    assert cleared.returncode == 2 and "cannot be emptied" in cleared.stderr and "internal error" not in cleared.stderr
    assert cleared.stderr.rstrip().endswith("remove what is there yourself (tacli removes only its own files), or set TACLI_CACHE_DIR to another folder")
    info = run_tacli("cache", "info", env={"TACLI_CACHE_DIR": str(tmp_path / "cache")})
    assert info.returncode == 0 and "\nnot usable: " in info.stdout and "\nempty\n" not in info.stdout  # it said "empty"


@pytest.mark.parametrize("how", [("--no-cache",), ()])
def test_no_cache_writes_nothing(run_tacli, project, tmp_path, how):
    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0" if how else "1"}
    for command in (("check", "engagements"), ("due", "engagements"), ("report", "engagements", "--out-dir", "reports"), ("site", "engagements", "--out-dir", "site"), ("export", "engagements", "--table", "duties")):
        run_tacli(*command, *how, "--today", TODAY, cwd=project, env=env)
    assert not (tmp_path / "cache").exists()


def damage(cache: Path, data: bytes) -> None:
    """The database replaced by `data` (its log and index gone, as after a crash that lost them).
    The runs before were in this process: their connections are closed first (a
    connection left open would keep SQLite's view of the old file in this process)."""
    import gc

    gc.collect()
    for suffix in ("-wal", "-shm"):
        Path(str(cache / "cache.sqlite3") + suffix).unlink(missing_ok=True)
    (cache / "cache.sqlite3").write_bytes(data)


def test_a_damaged_cache_is_ignored_with_a_note_under_verbose(run_tacli, project, tmp_path):
    cache = tmp_path / "cache"
    env = {"TACLI_CACHE_DIR": str(cache), "TACLI_NO_CACHE": "0"}
    expected = run_tacli("check", "engagements", "-f", "json", "--today", TODAY, "--no-cache", cwd=project, env=env)
    run_tacli("check", "engagements", "--today", TODAY, cwd=project, env=env)
    damage(cache, os.urandom(16384))
    checked = run_tacli("check", "engagements", "-f", "json", "--today", TODAY, cwd=project, env=env)
    assert (checked.returncode, checked.stdout, checked.stderr) == (expected.returncode, expected.stdout, expected.stderr)
    damage(cache, b"garbage" * 1000)
    verbose = run_tacli("report", "engagements", "--out-dir", "reports", "--verbose", "--today", TODAY, cwd=project, env=env)
    assert "made anew" in verbose.stderr
    quiet = run_tacli("report", "engagements", "--out-dir", "reports", "--today", TODAY, cwd=project, env=env)
    assert "cache" not in quiet.stderr
    (cache / "cache.sqlite3").unlink()
    (cache / "cache.sqlite3").symlink_to(tmp_path / "elsewhere")
    verbose = run_tacli("site", "engagements", "--out-dir", "site", "--verbose", "--today", TODAY, cwd=project, env=env)
    assert "symbolic link" in verbose.stderr
    assert verbose.returncode == run_tacli("site", "engagements", "--out-dir", "site", "--no-cache", "--today", TODAY, cwd=project, env=env).returncode


def test_a_cache_folder_of_another_user_or_a_file_is_not_used(run_tacli, project, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    env = {"TACLI_CACHE_DIR": str(tmp_path / "file" / "cache"), "TACLI_NO_CACHE": "0"}
    expected = run_tacli("check", "engagements", "-f", "json", "--today", TODAY, "--no-cache", cwd=project)
    result = run_tacli("check", "engagements", "-f", "json", "--today", TODAY, cwd=project, env=env)
    assert (result.returncode, result.stdout) == (expected.returncode, expected.stdout)
    verbose = run_tacli("report", "engagements", "--out-dir", "reports", "--verbose", "--today", TODAY, cwd=project, env=env)
    assert "not used for this run" in verbose.stderr



@pytest.mark.parametrize("command", [("report", "--out-dir", "reports"), ("site", "--out-dir", "site")])
def test_a_fresh_report_or_site_reads_each_file_once(run_tacli, project, tmp_path, monkeypatch, command):
    """The reports and pages are rendered while the check has the file in hand
    (Checker.also): no file's reading is taken from the cache again for them."""
    from tacli.reading import stored

    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"}
    restored = counted_calls(monkeypatch, stored, "restored")
    result = run_tacli(command[0], "engagements", *command[1:], "--today", TODAY, cwd=project, env=env)
    assert result.returncode in (0, 1), result.stderr
    # The site's dashboard and annual pages too: from each engagement's part, worked out while it was in hand.
    assert restored == []
    restored.clear()
    again = run_tacli(command[0], "engagements", *command[1:], "--check", "--today", TODAY, cwd=project, env=env)
    assert again.returncode in (0, 1) and "not current" not in again.stdout, again.stdout
    assert restored == []  # everything kept: nothing read again, not even for the summary or the dashboard


def test_the_summary_after_one_file_changed_reworks_only_that_file(run_tacli, project, tmp_path, monkeypatch):
    from tacli.output.views import summary as views

    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"}
    assert run_tacli("report", "engagements", "--out-dir", "reports", "--today", TODAY, cwd=project, env=env).returncode in (0, 1)
    path = project / "engagements" / EXAMPLE_NAMES[0]
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    parts = counted_calls(monkeypatch, views, "summary_part")
    assert run_tacli("report", "engagements", "--out-dir", "reports", "--today", TODAY, cwd=project, env=env).returncode in (0, 1)
    assert len(parts) == 1
    summary = (project / "reports" / "summary.md").read_text(encoding="utf-8")
    fresh = run_tacli("report", "engagements", "--out-dir", "fresh", "--no-cache", "--today", TODAY, cwd=project, env=env)
    assert fresh.returncode in (0, 1)
    assert "Renamed" in summary and summary == (project / "fresh" / "summary.md").read_text(encoding="utf-8")


def test_the_summary_is_the_same_whatever_order_the_parts_come_in(run_tacli, project, tmp_path, monkeypatch):
    """The parts of the summary come from the cache in no set order
    (Checker.each_file): each waits until those before it are folded in."""
    from tacli.checking.checker import Checker

    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"}
    assert run_tacli("report", "engagements", "--out-dir", "reports", "--today", TODAY, cwd=project, env=env).returncode in (0, 1)
    (project / "reports" / "summary.md").unlink()
    path = project / "engagements" / EXAMPLE_NAMES[0]
    path.write_text(path.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")  # the summary is made again from the parts
    original, orders = Checker.each_file, []

    def backwards(self, targets, work, *args, **kwargs):
        chunks = [(indexes[at:at + 1], found[at:at + 1]) for indexes, found in original(self, targets, work, *args, **kwargs) for at in range(len(indexes))]
        if getattr(work, "kind", None) == "summary-part":
            orders.append([indexes[0] for indexes, _ in reversed(chunks)])
            chunks.reverse()
        yield from chunks

    monkeypatch.setattr(Checker, "each_file", backwards)
    assert run_tacli("report", "engagements", "--out-dir", "reports", "--today", TODAY, cwd=project, env=env).returncode in (0, 1)
    assert orders == [list(reversed(range(len(EXAMPLE_NAMES))))]
    fresh = run_tacli("report", "engagements", "--out-dir", "fresh", "--no-cache", "--today", TODAY, cwd=project, env=env)
    assert fresh.returncode in (0, 1)
    assert (project / "reports" / "summary.md").read_bytes() == (project / "fresh" / "summary.md").read_bytes()


def test_a_failure_while_the_file_is_in_hand_is_left_to_the_pass_that_needs_it(run_tacli, project, tmp_path, monkeypatch):
    """The work done beside the check (Checker.also) failing never becomes a
    finding on the file: the reports are rendered again in their own pass."""
    from tacli.output import reports

    env = {"TACLI_CACHE_DIR": str(tmp_path / "cache"), "TACLI_NO_CACHE": "0"}
    original, failed = reports._file_reports, []

    def failing_once(checker, target, *args):
        if target.name not in failed:
            failed.append(target.name)
            raise RuntimeError("broken beside the check")
        return original(checker, target, *args)

    monkeypatch.setattr(reports, "_file_reports", failing_once)
    result = run_tacli("report", "engagements", "--out-dir", "reports", "--today", TODAY, cwd=project, env=env)
    assert result.returncode in (0, 1) and "internal error" not in result.stdout + result.stderr
    assert len(failed) == len(EXAMPLE_NAMES)
    fresh = run_tacli("report", "engagements", "--out-dir", "fresh", "--no-cache", "--today", TODAY, cwd=project, env=env)
    assert fresh.returncode == result.returncode
    assert tree(project / "reports") == tree(project / "fresh")


@pytest.mark.parametrize("pause", [0, 0.2], ids=["at-once", "a-pause-between-the-pairs"])
def test_check_with_a_roster_reads_no_file_more_than_check_alone(run_tacli, project, tmp_path, monkeypatch, pause):
    """The roster's facts of each engagement are worked out in the check's own
    pass, while it has the file in hand (Checker.also), and kept in the cache:
    cold, each file is parsed once; warm, none is. The files are let settle
    first: one copied less than io.filestat.RACY_NS before the cold run is read
    again by the warm one (its stat cannot vouch for it), and whether that
    happened to the first pair of runs and not the second depended on the
    machine's speed (`pause` stands for a slow one)."""
    import time

    from tacli.io import filestat, userfiles, yamlsource
    from tacli.reading import pipeline

    time.sleep(filestat.RACY_NS / 1e9 + 0.05)

    read_bytes = counted_calls(monkeypatch, userfiles, "read_limited")
    monkeypatch.setattr(yamlsource, "read_limited", userfiles.read_limited)  # counted there too
    parsed = counted_calls(monkeypatch, pipeline, "read_target")

    def run(cache: str, *roster: str):
        read_bytes.clear()
        parsed.clear()
        env = {"TACLI_CACHE_DIR": str(tmp_path / cache), "TACLI_NO_CACHE": "0"}
        result = run_tacli("check", "engagements", *roster, "--today", TODAY, cwd=project, env=env)
        return (result.returncode, result.stdout, sorted(Path(call[0]).name for call in read_bytes if Path(call[0]).name in EXAMPLE_NAMES),
                sorted(call[0].name for call in parsed))

    alone = [run("alone"), run("alone")]
    time.sleep(pause)
    with_roster = [run("roster", "--roster", "roster.yaml"), run("roster", "--roster", "roster.yaml")]
    for (_, _, reads, _), (_, _, reads_alone, _) in zip(with_roster, alone):
        assert reads == reads_alone
    assert sorted(name.split("/")[-1] for name in with_roster[0][3]) == sorted(EXAMPLE_NAMES)
    assert with_roster[1][3] == []
    assert with_roster[1][:2] == with_roster[0][:2] and "roster-" in with_roster[0][1]


def test_a_cache_folder_that_is_a_file_is_said_not_usable(run_tacli, tmp_path):
    (tmp_path / "afile").write_text("mine\n", encoding="utf-8")
    for given in ("afile", "afile/x"):
        info = run_tacli("cache", "info", env={"TACLI_CACHE_DIR": str(tmp_path / given)})
        assert info.returncode == 0 and info.stdout.endswith(f"not usable: {tmp_path / 'afile'} is a file, not a folder: remove it, or set TACLI_CACHE_DIR to a folder\n"), info.stdout
