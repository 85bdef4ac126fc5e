"""A large page (the dashboard of 10,000 engagements is some 40 MB) is compared
with its file and written a piece at a time, so neither its bytes nor the
file's are held whole beside its text: the standing found, and the bytes
written, are those of the whole text at once."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tacli.io.writer as writer
import tacli.write.output_files as output_files
from tacli.write.output_files import MARKER, Output, compare, with_marker, write_outputs

TEXTS = st.text(alphabet=st.sampled_from("ab\n\r é☐—\U0001F600"), max_size=60)


def in_pieces(data: bytes, size: int = 4) -> writer.Pieced:
    """`data` as a page read back from the cache a piece at a time (pieces may cut a character)."""
    return writer.Pieced(len(data), lambda: (data[start:start + size] for start in range(0, len(data), size)))


def standing(tmp_path, text: str, on_disk: bytes | None, large: bool, as_bytes: bool = False, as_pieces: bool = False) -> str:
    folder = tmp_path / (("large" if large else "small") + ("-bytes" if as_bytes else "") + ("-pieces" if as_pieces else ""))
    folder.mkdir(exist_ok=True)
    if on_disk is not None:
        (folder / "e").mkdir(exist_ok=True)
        (folder / "e" / "page.md").write_bytes(on_disk)
    data = with_marker(text).encode("utf-8")
    output = Output("plan", "e/page.md", in_pieces(data) if as_pieces else data if as_bytes else with_marker(text))
    found = compare([output], folder, ("plan",), orphans=False)
    return next(name for name in ("current", "stale", "missing", "foreign", "linked") if getattr(found, name))


@settings(max_examples=150, deadline=None)
@given(text=TEXTS, other=TEXTS, how=st.sampled_from(["same", "other", "crlf", "not tacli's", "longer", "shorter"]))
def test_a_large_text_stands_as_the_whole_text_would(tmp_path_factory, text, other, how):
    tmp_path = tmp_path_factory.mktemp("pages")
    encoded = with_marker(text).encode("utf-8")
    on_disk = {
        "same": encoded,
        "other": with_marker(other).encode("utf-8"),
        "crlf": encoded.replace(b"\n", b"\r\n"),
        "not tacli's": other.encode("utf-8"),
        "longer": encoded + b"more\n" + MARKER.encode("utf-8") + b"\n",
        "shorter": encoded[: len(encoded) // 2] + MARKER.encode("utf-8"),
    }[how]
    whole = standing(tmp_path, text, on_disk, large=False)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(output_files, "LARGE_TEXT", 0)  # every text is large
        patched.setattr(writer, "ENCODED_PIECE", 3)  # and taken three characters at a time
        assert standing(tmp_path, text, on_disk, large=True) == whole
        assert standing(tmp_path, text, on_disk, large=True, as_bytes=True) == whole, "a page read back from the cache as bytes"
        assert standing(tmp_path, text, on_disk, large=True, as_pieces=True) == whole, "a page read back a piece at a time"
    assert standing(tmp_path, text, on_disk, large=False, as_bytes=True) == whole
    assert standing(tmp_path, text, on_disk, large=False, as_pieces=True) == whole


@pytest.mark.parametrize("on_disk", ["current", "stale", "with CRLF line endings"])
def test_a_large_page_is_compared_a_piece_at_a_time(tmp_path, monkeypatch, on_disk):
    text = with_marker("é☐ page\n" * 400_000)  # 3.6 million characters
    write_outputs([Output("plan", "e/page.md", text)], tmp_path, ("plan",))
    assert (tmp_path / "e" / "page.md").read_bytes() == text.encode("utf-8")
    if on_disk == "stale":
        (tmp_path / "e" / "page.md").write_bytes(text.replace("page", "pages", 1).encode("utf-8"))
    elif on_disk != "current":
        (tmp_path / "e" / "page.md").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    monkeypatch.setattr(writer, "ENCODED_PIECE", 65536)
    page = Output("plan", "e/page.md", text)
    tracemalloc.start()
    try:
        found = compare([page], tmp_path, ("plan",))
        held = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (found.stale if on_disk == "stale" else found.current) == ["e/page.md"]
    size = len(text.encode("utf-8"))
    assert held < size / 4, f"{held} bytes held at most for a page of {size}: neither its bytes nor the file's whole"


@pytest.mark.parametrize("new", [True, False])
@pytest.mark.parametrize("given", ["text", "bytes", "pieces"])
def test_a_text_is_written_a_piece_at_a_time_with_its_characters_whole(tmp_path, monkeypatch, new, given):
    monkeypatch.setattr(writer, "ENCODED_PIECE", 5)
    text = "é☐—\U0001F600 a line\n" * 50
    data = {"text": text, "bytes": text.encode("utf-8"), "pieces": in_pieces(text.encode("utf-8"), 7)}[given]
    target = tmp_path / "page.md"
    if not new:
        target.write_text("old\n", encoding="utf-8")
    staged = writer.stage_new(str(target), data) if new else writer.stage(target, data)
    writer.commit(staged)
    assert target.read_bytes() == text.encode("utf-8")
