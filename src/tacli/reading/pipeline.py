"""From a path on the command line to a usable engagement, in one place.

find -> read -> is it an engagement? -> validate -> usable, or blocked by the
findings that say why. `tacli check`, `tacli report`, the editing commands
and `new engagement` all go through here, so they never disagree about which
files are engagements and which can be used.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator, Optional

from tacli.core.findings import Finding
from tacli.core.outcome import UsageError


@dataclass(frozen=True)
class Target:
    """A file to read: where it is, how findings name it, and whether the user
    named it (a file found by a folder search may be another tool's YAML).
    `problem` says why a folder search could not read this path (a folder it
    cannot enter, a symbolic-link loop): the path is reported, never skipped."""

    path: Path
    name: str
    explicit: bool
    problem: Optional[str] = None

    def __hash__(self) -> int:
        # Equal targets have equal names; a name's hash is kept by the string,
        # where hashing the path object again cost a tenth of a warm run over 10,000 files.
        return hash(self.name)


@dataclass(frozen=True)
class Identity:
    """An engagement's id and where it is written, for the rules across files."""

    id: str
    position: tuple[int, int]


@dataclass
class FileResult:
    """What became of one file: its findings and, when it validated, its
    document (the data with positions), its engagement (the spec-derived
    model) and its identity."""

    name: str
    findings: list[Finding] = field(default_factory=list)
    document: Any = None  # yamlsource.Document
    engagement: Any = None
    identity: Optional[Identity] = None
    skipped: bool = False  # not an engagement, found by a folder search
    # An unusable file's engagement without the keys it should not have (a
    # misspelled duty id), for the rules of `tacli check` only: so that the file
    # shows all its findings at once. Reports, edits and pages never use it.
    checkable: Any = None

    @property
    def usable(self) -> bool:
        """Whether the file validated, so that the rules, reports and edits can use it."""
        return self.identity is not None

    def detached(self) -> "FileResult":
        """Without the document and the model, to send between processes."""
        return replace(self, document=None, engagement=None, checkable=None)


@dataclass(frozen=True)
class LeftOut:
    """A file a report, a page or a list cannot use, and why: the first finding
    that stops it (what to fix first), and its engagement id when it can be read
    (so that what tacli wrote for it before is not left standing as if current)."""

    name: str
    finding: Finding
    engagement_id: Optional[str] = None
    title: str = ""  # its title, when it can be read
    facilitator: str = ""  # who leads it, when it can be read: a list of what is due names them


def left_out(result: FileResult, problems: list[Finding]) -> LeftOut:
    """Why `result` is left out: the first of `problems` (its findings that stop
    it), with what can still be read of it (its id, title and facilitator)."""
    import re

    first = min(problems, key=Finding.sort_key)
    data = result.document.data if result.document is not None else None
    data = data if isinstance(data, dict) else {}
    given = data.get("id")
    engagement_id = given if isinstance(given, str) and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", given) else None
    provider = data.get("provider")
    facilitator = provider.get("facilitator") if isinstance(provider, dict) else None
    name = facilitator.get("name") if isinstance(facilitator, dict) else None
    title = data.get("title")
    return LeftOut(result.name, first, engagement_id, title if isinstance(title, str) else "", name if isinstance(name, str) else "")


def find_targets(paths: list[str], skip_other_yaml: bool = False, empty_ok: bool = False) -> list[Target]:
    """Files named directly, and *.yaml / *.yml under folders (hidden folders skipped).

    With `skip_other_yaml`, files named directly are skipped when they are not
    engagements, as in a folder search: for pre-commit and other tools that
    pass every YAML file they see. A path named that is not a regular file or
    a folder (a FIFO, a device) is a usage error: reading it could block. So is
    a folder named with no YAML file in it (a wrong path?), unless `empty_ok`:
    the configured engagements folder of a center that has none yet.
    """
    targets: list[Target] = []
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        mode = _mode_of(given)
        if stat.S_ISDIR(mode):
            found = sorted(_walk(path), key=lambda item: item[0])
            if not found and not empty_ok:
                raise UsageError(f"{given}: no engagement files (*.yaml, *.yml) in this folder")
            for file, problem in found:
                name = str(file)
                if name not in seen:
                    seen.add(name)
                    targets.append(Target(file, name, False, problem))
        elif stat.S_ISREG(mode):
            if given not in seen:
                seen.add(given)
                targets.append(Target(path, given, not skip_other_yaml))
        else:
            from tacli.io.userfiles import describe

            raise UsageError(f"{given}: {describe(path, mode)}, not a regular file: name engagement files or folders")
    return targets


def _mode_of(given: str) -> int:
    """The file type and mode of a path named on the command line, or a usage error."""
    try:
        return os.stat(given).st_mode
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ELOOP) and os.path.islink(given):
            problem = "a broken symbolic link (its target is missing, or the links form a loop)"
        elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
            problem = "no such file or folder"
        else:
            from tacli.io.userfiles import explain

            problem = f"cannot read it: {explain(exc)}"
        raise UsageError(f"{given}: {problem}") from None


def _walk(folder: Path) -> Iterator[tuple[Path, Optional[str]]]:
    """The *.yaml and *.yml files under `folder`, and the paths the search could
    not go into, with why (a problem is reported, never skipped in silence).

    Hidden folders are skipped, and so is what the repository ignores: the
    `.gitignore` files of the folder, of the folders above it up to the
    repository's top, and of every folder below it (node_modules/, build/...).
    Symbolic links to folders are followed: a link that leads back to a folder
    above it is a loop, reported once, and a folder reached again by another
    link is searched only once (its files are checked under their first path).
    """
    from tacli.io.userfiles import explain

    searched: set[tuple[int, int]] = set()
    # a folder, the folders above it, and the ignore rules that apply in it
    stack: list[tuple[Path, frozenset, tuple]] = [(folder, frozenset(), _ignores_above(folder))]
    while stack:
        current, above, ignores = stack.pop()
        try:
            info = os.stat(current)
            identity = (info.st_dev, info.st_ino)
            if identity in above:
                yield current, f"a symbolic-link loop: the link leads back to {os.path.realpath(current)}, a folder that holds it: remove the link or point it at another folder"
                continue
            if identity in searched:
                continue
            searched.add(identity)
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            yield current, f"cannot search the folder: {explain(exc)}"
            continue
        here = _gitignore(current, entries)
        if here is not None:
            ignores = ignores + (here,)
        folders = []
        for entry in entries:
            path = current / entry.name
            is_yaml = os.path.splitext(entry.name)[1] in (".yaml", ".yml")
            hidden = entry.name.startswith(".")
            if hidden and not is_yaml:
                continue  # hidden folders, and hidden files that are not YAML
            try:
                is_folder = entry.is_dir()  # through symbolic links
            except OSError as exc:  # a link loop, a path too long
                yield path, f"cannot {'follow the symbolic link' if entry.is_symlink() else 'read it'}: {explain(exc)}"
                continue
            if (is_folder or is_yaml) and _ignored(path, is_folder, ignores):
                continue
            if is_folder:
                if not hidden:
                    folders.append((path, above | {identity}, ignores))
            elif is_yaml:
                yield path, None
        stack.extend(reversed(folders))


def _gitignore(folder: Path, entries) -> Optional[tuple]:
    """The ignore rules of `folder`'s own .gitignore, with the folder they are relative to."""
    if not any(entry.name == ".gitignore" for entry in entries):
        return None
    return _read_gitignore(folder)


def _read_gitignore(folder: Path) -> Optional[tuple]:
    import pathspec

    from tacli.io.userfiles import NotRegularFile, FileTooLarge, read_limited

    try:
        lines = read_limited(folder / ".gitignore", limit=1024 * 1024).decode("utf-8", "replace").splitlines()
    except (OSError, NotRegularFile, FileTooLarge):
        return None  # an ignore file tacli cannot read ignores nothing
    return (folder, pathspec.GitIgnoreSpec.from_lines(lines))


def _ignores_above(folder: Path) -> tuple:
    """The .gitignore rules of the folders above `folder`, up to the top of its
    git repository (the folder that holds `.git`); none outside a repository."""
    start = Path(os.path.abspath(folder))
    chain = [start, *start.parents]
    top = next((index for index, candidate in enumerate(chain) if (candidate / ".git").exists()), None)
    if top is None or top == 0:
        return ()
    found = [_read_gitignore(candidate) for candidate in reversed(chain[1 : top + 1])]
    return tuple(item for item in found if item is not None)


def _ignored(path: Path, is_folder: bool, ignores: tuple) -> bool:
    """Whether git would ignore `path`: the deepest .gitignore that says anything
    about it decides, as in git (a `!pattern` there brings it back)."""
    if not ignores:
        return False
    absolute = Path(os.path.abspath(path))
    decision = False
    for base, spec in ignores:
        try:
            relative = absolute.relative_to(os.path.abspath(base)).as_posix()
        except ValueError:
            continue
        result = spec.check_file(relative + ("/" if is_folder else ""))
        if result.include is not None:
            decision = result.include
    return decision


def is_engagement(data: Any) -> bool:
    """Whether data claims to be an engagement (a folder search skips other YAML files)."""
    return isinstance(data, dict) and "tacli" in data


def holds_engagement(path: Path) -> Optional[str]:
    """What the file at `path` is, when it holds an engagement, which an output
    must never replace (None: it does not): one that reads as an engagement,
    or, when it cannot be read as YAML now (a typo, a merge half done), a .yaml
    or .yml file or one with a `tacli:` line, as an engagement being written has."""
    from tacli.io.yamlsource import YamlError, load_path

    if not path.is_file():
        return None
    try:
        return "an engagement file" if is_engagement(load_path(path).data) else None
    except YamlError:
        if path.suffix.lower() in (".yaml", ".yml") or _has_tacli_line(path):
            return "a YAML file that does not read as YAML now (an engagement being written may not)"
        return None


# An engagement's `tacli:` line, found in its bytes without reading it as YAML.
TACLI_LINE = re.compile(rb"(?m)^(?:\xef\xbb\xbf)?tacli[ \t]*:")


def _has_tacli_line(path: Path) -> bool:
    from tacli.io.userfiles import MAX_FILE_BYTES

    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES)  # an engagement is no longer
    except OSError:  # what it holds is not known, so it is kept
        return True
    return TACLI_LINE.search(raw) is not None


def read_target(target: Target, models, raw: Optional[bytes] = None) -> FileResult:
    """Read and validate one file (`raw`: its bytes, when they were read already).
    The document keeps its bytes and the positions asked of it, for the cache."""
    from tacli.core.findings import finding
    from tacli.io.yamlsource import FILE_UNREADABLE, YamlError, load_bytes, read_source

    if target.problem is not None:
        return FileResult(target.name, [finding(FILE_UNREADABLE, target.name, (1, 1), target.problem)])
    try:
        raw = read_source(target.path, target.name) if raw is None else raw
        document = load_bytes(raw, target.name)
    except YamlError as exc:
        return FileResult(target.name, [_not_yaml(target) or exc.finding])
    document.source, document.positions = raw, {}
    result = read_document(document, models, explicit=target.explicit)
    if not result.usable and not is_engagement(document.data) and _not_yaml(target):
        return FileResult(target.name, [_not_yaml(target)], document)
    return result


def _not_yaml(target: Target) -> Optional[Finding]:
    """The finding for a file named that is not a YAML file (a README.md given to
    status by mistake): that it is not an engagement, rather than advice on YAML."""
    from tacli.core.findings import finding
    from tacli.reading.file_rules import NOT_ENGAGEMENT

    if target.path.suffix.lower() in (".yaml", ".yml"):
        return None
    return finding(NOT_ENGAGEMENT, target.name, (1, 1), "not an engagement file: engagement files are YAML files (*.yaml) that start with `tacli: 1`; `tacli new engagement` writes one")


def read_document(document, models, explicit: bool = True) -> FileResult:
    """Validate a document already read. A document found by a folder search that
    is not an engagement is skipped: other tools' YAML (mkdocs.yml with tags,
    docker-compose.yml with merge keys) is not ours to judge."""
    from tacli.reading.validation import checkable_without_unknown_keys, validate

    if not explicit and not is_engagement(document.data):
        return FileResult(document.path, skipped=True)
    if document.problems:
        return FileResult(document.path, list(document.problems), document)
    engagement, findings = validate(document, models)
    if engagement is None:
        return FileResult(document.path, findings, document, checkable=checkable_without_unknown_keys(document, models, findings))
    return FileResult(document.path, findings, document, engagement, Identity(engagement.id, document.locate(("id",))))
