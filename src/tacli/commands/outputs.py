"""The one rule for a file a user names with `-o`: tacli writes there only what
it may replace. Never an engagement file (one of the inputs or any other), a
configuration file, a folder, or through a symbolic link; a file tacli did not
write only with --force. Each command knows its own files by their first bytes
(`Recognizer`): an export's header, a calendar feed's PRODID, a report of
findings, the schema's title. An empty file holds nothing to lose.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Callable, Iterable, Optional

from tacli.core.outcome import UsageError

# The start of a file (at most this many bytes) as text -> whether tacli wrote it.
Recognizer = Callable[[Path, str], bool]
SIGNATURE_BYTES = 4096
CONFIGURATION_FILES = ("tacli.toml", "pyproject.toml")
_TACLI_JSON = re.compile(r'\{\s*"version": "\d+",\s*"tool": \{\s*"name": "tacli",')


def guard_output(given: str, output: Path, written_by_tacli: Recognizer, inputs: Iterable = (), force: bool = False, what: str = "the output") -> None:
    """Refuse, with a usage error that says what to do, to write `output` (`given`
    on the command line) over what a user wrote."""
    from tacli.core.paths import real_path
    from tacli.reading.pipeline import holds_engagement

    in_the_way = file_on_the_way(output.parent)
    if in_the_way is not None:
        raise UsageError(f"--output {given}: {in_the_way} is {_not_a_folder(in_the_way)}: give a file in a folder, or move it away")
    if output.is_symlink():
        raise UsageError(f"--output {given} is a symbolic link: tacli does not write through links; remove the link or choose another file")
    if output.is_dir():
        raise UsageError(f"--output {given} is a folder: give a file name")
    if output.name in CONFIGURATION_FILES:
        raise UsageError(f"--output {given} is a configuration file: write to another file")
    if output.exists() and not _regular(output):
        raise UsageError(f"--output {given} is not a regular file (a FIFO, a device): choose another file")
    engagement = "an engagement file" if real_path(output) in {real_path(getattr(item, "path", item)) for item in inputs} else holds_engagement(output)
    if engagement is not None:
        raise UsageError(f"--output {given} is {engagement}: tacli never replaces one, even with --force; write {what} to another file")
    if output.exists() and not force and not _ours(output, written_by_tacli):
        raise UsageError(f"--output {given} is a file tacli did not write: nothing was written; choose another file, or add --force to replace it")


def guard_out_dir(given: str, target: Path, read_from: Iterable) -> None:
    """Refuse, with what to do, a folder for reports or pages that is not one of
    their own: the file system's root, tacli's own code, or a folder that holds
    the engagement files read (`read_from`: the paths given, or the configured
    engagements folder), or lies above them: what tacli writes would be mixed
    with them, and a site's `engagements/` is the engagements folder itself."""
    import tacli
    from tacli.core.paths import real_path

    in_the_way = file_on_the_way(target)
    if in_the_way is not None:
        raise UsageError(f"--out-dir {given}: {in_the_way} is {_not_a_folder(in_the_way)}: give a folder, or move it away")
    real = real_path(target)
    if real.parent == real:
        raise UsageError(f"--out-dir {given} is the root of the file system: choose a folder of their own, e.g. --out-dir reports")
    package = real_path(Path(tacli.__file__).parent)
    if real == package or package in real.parents:
        raise UsageError(f"--out-dir {given} is inside tacli's own code: choose a folder of their own, e.g. --out-dir reports")
    for path in read_from:
        folder = real_path(path)
        folder = folder if folder.is_dir() else folder.parent
        if real == folder or real in folder.parents:
            raise UsageError(f"--out-dir {given} holds the engagement files read ({path}): choose a folder of their own beside them, e.g. --out-dir reports")


def file_on_the_way(folder: Path) -> Optional[Path]:
    """The nearest of `folder` and the folders above it that exists, when it is
    not a folder (a file, a FIFO): nothing can be made below it."""
    import os

    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            return None if candidate.is_dir() else candidate
    return None


def _not_a_folder(path: Path) -> str:
    """What `path` (found by file_on_the_way) is, in place of a folder."""
    if path.is_symlink() and not path.exists():
        return "a symbolic link that leads nowhere (a loop of links, or a target that is gone)"
    return "a file, not a folder"


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _ours(path: Path, written_by_tacli: Recognizer) -> bool:
    try:
        if path.stat().st_size == 0:
            return True
        with open(path, "rb") as handle:
            start = handle.read(SIGNATURE_BYTES)
    except OSError:
        return False
    return written_by_tacli(path, start.decode("utf-8", "replace").removeprefix("\ufeff"))


def tacli_json(start: str, key: str) -> bool:
    """A JSON document tacli writes: `{"version", "tool": {"name": "tacli"...}, ... key}`."""
    return bool(_TACLI_JSON.match(start)) and f'"{key}"' in start


def findings_report(path: Path, start: str) -> bool:
    """What `tacli check -o` writes, in any of its formats."""
    if tacli_json(start, "findings"):
        return True
    if '"$schema": "https://docs.oasis-open.org/sarif/' in start and '"name": "tacli"' in start:
        return True
    if '<testsuites name="tacli check"' in start:
        return True
    first = start.split("\n", 1)[0]
    if re.match(r"::(error|warning|notice) file=.*title=tacli ", first):
        return True
    return bool(re.match(r".+:\d+:\d+: (error|warning|info) [a-z0-9-]+ ", first) or re.match(r"\d+ files? checked: ", first))


def due_feed(path: Path, start: str) -> bool:
    """What `tacli due -o` writes, in any of its formats."""
    from tacli.output.due_feed import CSV_COLUMNS

    return (
        start.startswith("BEGIN:VCALENDAR") and "PRODID:-//tacli//" in start
        or tacli_json(start, "items")
        or start.split("\r\n", 1)[0].split("\n", 1)[0] == ",".join(CSV_COLUMNS)
        or start.startswith("Due by ")
    )


def schema_file(path: Path, start: str) -> bool:
    """What `tacli schema -o` writes."""
    return '"title": "tacli engagement' in start[:400]
