"""Byte strings kept in an anonymous temporary file instead of memory, each
read back by its number: what a command gathers from every file of a
state's portfolio before it can write it in order (an export's rows) stays
on disk, so memory does not grow with the portfolio.

The file has no name (tempfile.TemporaryFile): nothing is left behind, even
when tacli is killed. Where no temporary file can be made or written (no
writable temporary folder, a full disk), the rest is kept in memory: a
spill can make a run leaner, never make it fail.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Sequence


class Spill(Sequence):
    """Byte strings appended one after another (`append` gives each one's
    number), read back by number as from a list (`spill[number]`, slices,
    iteration); `taken(numbers)` reads some of them in another order."""

    def __init__(self) -> None:
        self._file = None
        self._failed = False
        self._ends = array("q")  # where each item kept in the file ends in it
        self._memory: list[bytes] = []  # the items after the file failed, or all of them when none could be made

    def __len__(self) -> int:
        return len(self._ends) + len(self._memory)

    def append(self, data: bytes) -> int:
        """Keep `data`; its number."""
        number = len(self)
        if not self._memory and not self._failed and self._kept_in_file(data):
            return number
        self._memory.append(data)
        return number

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._item(number) for number in range(len(self))[index]]
        return self._item(range(len(self))[index])  # a list's IndexError, and its negative numbers

    def __iter__(self):
        return (self._item(number) for number in range(len(self)))

    def taken(self, numbers: list[int]) -> "Taken":
        return Taken(self, numbers)

    def opened(self) -> bool:
        """Whether the file is there (made now if not): a forked child that
        appends to it leaves its items there for the parent (`ends`, `adopt`)."""
        if not self._failed and self._file is None:
            try:
                self._handle()
            except OSError:
                self._failed = True
        return self.on_disk

    @property
    def on_disk(self) -> bool:
        """Every item is in the file (none kept in memory since it failed)."""
        return self._file is not None and not self._failed and not self._memory

    def ends(self) -> list[int]:
        """Where each item ends in the file: what a forked child that appended
        them sends its parent (`adopt`)."""
        return self._ends.tolist()

    def adopt(self, ends: list[int]) -> None:
        """The items a forked child appended to this spill's file (`ends`)."""
        self._ends = array("q", ends)

    def _item(self, number: int) -> bytes:
        if number >= len(self._ends):
            return self._memory[number - len(self._ends)]
        start = self._ends[number - 1] if number else 0
        self._file.seek(start)
        size = self._ends[number] - start
        parts = []
        while size:  # an unbuffered read may give fewer bytes than asked
            part = self._file.read(size)
            if not part:
                raise OSError(f"the temporary file ends {size} bytes short of an item")
            parts.append(part)
            size -= len(part)
        return b"".join(parts)

    def close(self) -> None:
        """The file closed (and so removed): the spill holds nothing after."""
        file, self._file = self._file, None
        if file is not None:
            try:
                file.close()
            except OSError:
                pass
        self._ends, self._memory = array("q"), []

    def __del__(self) -> None:  # the spill of a finished command: its file goes with it
        file = self.__dict__.get("_file")
        if file is not None:
            try:
                file.close()
            except OSError:
                pass

    def _kept_in_file(self, data: bytes) -> bool:
        """`data` written to the file now, every byte (unbuffered: a full disk
        says so here, not at a later flush that nothing could answer)."""
        try:
            handle = self._handle()
            end = self._ends[-1] if self._ends else 0
            handle.seek(end)
            view = memoryview(data)
            while view:
                written = handle.write(view)
                if not written:
                    raise OSError("the temporary file took nothing")
                view = view[written:]
        except (OSError, ValueError):
            self._failed = True  # what the file holds already is read back from it
            return False
        self._ends.append(end + len(data))
        return True

    def _handle(self):
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="tacli-spill-", buffering=0)
        return self._file



class Taken(Sequence):
    """Some of a spill's items, in the order of `numbers`, read as from a list."""

    def __init__(self, spill: Spill, numbers: list[int]) -> None:
        self._spill, self._numbers = spill, numbers

    def __len__(self) -> int:
        return len(self._numbers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._spill[number] for number in self._numbers[index]]
        return self._spill[self._numbers[index]]

    def __iter__(self):
        return (self._spill[number] for number in self._numbers)
