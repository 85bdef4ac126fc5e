"""Every read of a user file is bounded before it starts: special files are
refused without blocking, and no more than the limit plus one byte is read."""

from __future__ import annotations

import os
import socket
import sys

import pytest

from tacli.io.userfiles import FileTooLarge, NotRegularFile, describe, explain, read_limited

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, devices and sockets as files are POSIX")


def test_a_regular_file_is_read(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"tacli: 1\n")
    assert read_limited(path) == b"tacli: 1\n"


def test_an_empty_file_is_read(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"")
    assert read_limited(path) == b""


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 100)
    assert read_limited(path, limit=100) == b"x" * 100


def test_a_file_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 101)
    with pytest.raises(FileTooLarge) as raised:
        read_limited(path, limit=100)
    assert raised.value.size == 101
    assert str(raised.value) == "101 bytes, more than the 100 bytes tacli reads"


def test_a_fifo_is_refused_without_blocking(tmp_path, deadline):
    path = tmp_path / "engagement.yaml"
    os.mkfifo(path)
    with pytest.raises(NotRegularFile) as raised:
        read_limited(path)
    assert raised.value.what == "a FIFO (named pipe)"


def test_a_link_to_dev_zero_is_refused_before_reading(tmp_path, deadline):
    path = tmp_path / "engagement.yaml"
    path.symlink_to("/dev/zero")
    with pytest.raises(NotRegularFile) as raised:
        read_limited(path)
    assert raised.value.what == "a symbolic link to a character device (/dev/zero)"


def test_a_socket_is_refused(tmp_path, deadline):
    path = tmp_path / "s.yaml"
    if len(str(path)) > 100:
        pytest.skip("the path is too long for a socket address")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(NotRegularFile) as raised:
            read_limited(path)
        assert raised.value.what == "a socket"
    finally:
        server.close()


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(NotRegularFile) as raised:
        read_limited(tmp_path)
    assert str(raised.value) == "a folder, not a regular file"


def test_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_limited(tmp_path / "missing.yaml")


def test_a_broken_link_is_explained(tmp_path):
    path = tmp_path / "a.yaml"
    path.symlink_to("gone.yaml")
    with pytest.raises(FileNotFoundError) as raised:
        read_limited(path)
    assert explain(raised.value) == "a broken symbolic link: its target gone.yaml does not exist; fix the link or remove it"


def test_describe_names_what_a_path_is(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    assert describe(tmp_path / "fifo", os.stat(tmp_path / "fifo").st_mode) == "a FIFO (named pipe)"
    assert describe(tmp_path, os.stat(tmp_path).st_mode) == "a folder"
