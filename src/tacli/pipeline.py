"""From a path on the command line to a usable engagement, in one place.

find -> read -> is it an engagement? -> validate -> usable, or blocked by the
findings that say why. `tacli check`, `tacli report`, the editing commands
and `new engagement` all go through here, so they never disagree about which
files are engagements and which can be used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional

from tacli.findings import Finding
from tacli.outcome import UsageError


@dataclass(frozen=True)
class Target:
    """A file to read: where it is, how findings name it, and whether the user
    named it (a file found by a folder search may be another tool's YAML)."""

    path: Path
    name: str
    explicit: bool


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

    @property
    def usable(self) -> bool:
        """Whether the file validated, so that the rules, reports and edits can use it."""
        return self.identity is not None

    def detached(self) -> "FileResult":
        """Without the document and the model, to send between processes."""
        return replace(self, document=None, engagement=None)


def find_targets(paths: list[str], skip_other_yaml: bool = False) -> list[Target]:
    """Files named directly, and *.yaml / *.yml under folders (hidden folders skipped).

    With `skip_other_yaml`, files named directly are skipped when they are not
    engagements, as in a folder search: for pre-commit and other tools that
    pass every YAML file they see.
    """
    targets: list[Target] = []
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = [p for p in _walk(path) if p.suffix in (".yaml", ".yml")]
            if not found:
                raise UsageError(f"{given}: no engagement files (*.yaml, *.yml) in this folder")
            for file in sorted(found):
                name = str(file)
                if name not in seen:
                    seen.add(name)
                    targets.append(Target(file, name, False))
        elif path.exists():
            if given not in seen:
                seen.add(given)
                targets.append(Target(path, given, not skip_other_yaml))
        elif path.is_symlink():
            raise UsageError(f"{given}: a broken symbolic link (its target is missing, or the links form a loop)")
        else:
            raise UsageError(f"{given}: no such file or folder")
    return targets


def _walk(folder: Path):
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            yield Path(root) / name


def is_engagement(data: Any) -> bool:
    """Whether data claims to be an engagement (a folder search skips other YAML files)."""
    return isinstance(data, dict) and "tacli" in data


def read_target(target: Target, models) -> FileResult:
    """Read and validate one file."""
    from tacli.yamlsource import YamlError, load_path

    try:
        document = load_path(target.path, target.name)
    except YamlError as exc:
        return FileResult(target.name, [exc.finding])
    return read_document(document, models, explicit=target.explicit)


def read_document(document, models, explicit: bool = True) -> FileResult:
    """Validate a document already read. A document found by a folder search that
    is not an engagement is skipped: other tools' YAML (mkdocs.yml with tags,
    docker-compose.yml with merge keys) is not ours to judge."""
    from tacli.validation import validate

    if not explicit and not is_engagement(document.data):
        return FileResult(document.path, skipped=True)
    if document.problems:
        return FileResult(document.path, list(document.problems), document)
    engagement, findings = validate(document, models)
    identity = Identity(engagement.id, document.locate(("id",))) if engagement is not None else None
    return FileResult(document.path, findings, document, engagement, identity)
