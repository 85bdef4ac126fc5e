"""A worker reads its chunk of files first and looks up, in one query, every
entry they may need (checking.checker.Checker.look_ahead): each file is read
once, a chunk costs two queries whatever its size (its stat entries, then its
entries), and what it finds is what the files' own lookups would have found."""

from __future__ import annotations

import os

import pytest
from conftest import EXAMPLE_FILES, counted_calls
from test_cache import checker, targets_of

from tacli.checking import checker as checker_module
from tacli.io.cache import Cache
from tacli.reading import stored

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="a FIFO among the files")


def _chunk(make, monkeypatch, targets, work=None, also=()):
    """What _in_worker gives for `targets`, and the counted reads and queries."""
    worker = make()
    worker.also = also
    monkeypatch.setattr(checker_module, "_WORKER", worker)
    reads = counted_calls(monkeypatch, stored, "source_of")
    queries = counted_calls(monkeypatch, Cache, "get_many")
    found, keys, _ = checker_module._in_worker(work or checker_module._checked, targets)
    return found, keys, len(reads), len(queries)


def _findings(results) -> list:
    return [[(f.rule, f.line, f.column, f.message) for f in result.findings] for result in results]


@pytest.mark.parametrize("round_", ["cold", "warm"])
def test_a_chunk_is_read_once_and_looked_up_in_two_queries(tmp_path, monkeypatch, round_):
    targets = targets_of(EXAMPLE_FILES)
    if round_ == "warm":  # a second worker's chunk: the files' checks are kept, but not for this day's rules
        _chunk(lambda: checker(tmp_path / "cache"), monkeypatch, targets)
        monkeypatch.undo()
    found, keys, reads, queries = _chunk(lambda: checker(tmp_path / "cache"), monkeypatch, targets)
    assert reads == len(targets)
    assert queries == 2
    assert all(key is not None for key in keys)
    plain, _, _, _ = _chunk(lambda: checker(None), monkeypatch, targets)
    assert _findings(found) == _findings(plain)


def test_the_work_beside_the_check_is_looked_up_with_the_chunk(tmp_path, monkeypatch):
    from tacli.output.site import figures_work, pages_work

    targets = targets_of(EXAMPLE_FILES)
    also = (pages_work(), figures_work())
    _chunk(lambda: checker(tmp_path / "cache"), monkeypatch, targets, also=also)
    monkeypatch.undo()
    found, _, reads, queries = _chunk(lambda: checker(tmp_path / "cache"), monkeypatch, targets, checker_module._checked_and_kept, also)
    assert (reads, queries) == (len(targets), 2)
    pages = pages_work()
    worker = checker(tmp_path / "cache")
    kept = worker._probe_work(pages, [worker.source(target) for target in targets])
    assert all(item is not checker_module.MISSING for item in kept), "every engagement's pages were kept"


def test_files_that_cannot_be_read_are_left_to_their_own_pass(tmp_path, monkeypatch):
    folder = tmp_path / "files"
    folder.mkdir()
    for name in ("a.yaml", "gone.yaml"):
        (folder / name).write_bytes(EXAMPLE_FILES[0].read_bytes())
    os.mkfifo(folder / "pipe.yaml")
    targets = targets_of([folder])  # a.yaml, gone.yaml, pipe.yaml
    (folder / "gone.yaml").unlink()  # removed after it was listed
    found, _, _, _ = _chunk(lambda: checker(tmp_path / "cache"), monkeypatch, targets)
    plain, _, _, _ = _chunk(lambda: checker(None), monkeypatch, targets)
    assert _findings(found) == _findings(plain)
    assert found[1].findings and found[2].findings


def test_a_lookup_that_fails_leaves_each_file_to_its_own_pass(tmp_path, monkeypatch):
    """A failure while the chunk is looked up (a damaged cache, a bug) costs the
    look-ahead, not the chunk: every file is checked as without it."""
    targets = targets_of(EXAMPLE_FILES)
    worker = checker(tmp_path / "cache")
    monkeypatch.setattr(checker_module, "_WORKER", worker)
    real = Cache.get_many
    calls = []

    def fails_first(self, keys):
        calls.append(1)
        if len(calls) == 2:  # the look-ahead's (the first is the stat entries')
            raise RuntimeError("damaged")
        return real(self, keys)

    monkeypatch.setattr(Cache, "get_many", fails_first)
    found, keys, _ = checker_module._in_worker(checker_module._checked, targets)
    assert len(calls) > 2, "each file looked itself up"
    assert worker._sources_ahead == {} and worker._found_ahead == {}
    plain, _, _, _ = _chunk(lambda: checker(None), monkeypatch, targets)
    assert _findings(found) == _findings(plain)


def test_a_chunk_holds_a_bounded_number_of_bytes_read_ahead(tmp_path, monkeypatch):
    monkeypatch.setattr(checker_module, "LOOK_AHEAD_BYTES", 1)  # the first file alone goes over
    targets = targets_of(EXAMPLE_FILES)
    worker = checker(tmp_path / "cache")
    worker.look_ahead(checker_module._checked, targets)
    assert list(worker._sources_ahead) == targets[:1]
    worker._forget_ahead()
