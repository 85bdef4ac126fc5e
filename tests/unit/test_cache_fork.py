"""A forked process's cache writes only what that process kept: entries its
parent had yet to write when it forked are the parent's to write, even when the
child's first use of the cache is a flush (a worker whose files could not be
read never looks anything up)."""

from __future__ import annotations

import os
import sqlite3

import pytest

from tacli.io.cache import Cache

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _keys(folder) -> set:
    with sqlite3.connect(folder / "cache.sqlite3") as connection:
        return {bytes(key) for (key,) in connection.execute("SELECT key FROM entries")}


def test_a_forked_child_that_only_flushes_writes_none_of_its_parents_pending_entries(tmp_path):
    cache = Cache(tmp_path)
    cache.get(b"o" * 20, None)  # the database opened in the parent
    cache.put(b"p" * 20, "test", "the parent's")  # not yet written when the child is forked
    pid = os.fork()
    if pid == 0:  # the child: its first use of the cache is a flush
        try:
            cache.flush()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert b"p" * 20 not in _keys(tmp_path)  # written by the child: written twice once the parent flushes
    cache.flush()
    assert b"p" * 20 in _keys(tmp_path)
