"""The files `tacli init` starts a folder of engagements with, and writing them
where nothing is yet.

Their text is shipped data, `templates/init/`: the configuration, the
engagements folder's README, `.gitignore`, the pre-commit configuration and
the CI pipelines of GitHub and GitLab. The pipelines and the pre-commit
configuration are those docs/ci.md shows, byte for byte (a test holds them
equal), with where tacli comes from and its pin filled in.

Nothing a user wrote is ever replaced: a file, a folder or a link at a path
is left as it is and said; nothing is written through a symbolic link inside
the folder; each file is written atomically, and only when nothing is there.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Optional

from tacli.core.paths import shipped

# What the shipped pipelines say until the user says where tacli comes from.
SOURCE_PLACEHOLDER = "https://YOUR-GIT-HOST/YOUR-GROUP/tacli.git"
PIN_PLACEHOLDER = "v0.1.0"

CONFIG_FILE = "tacli.toml"
README = "README.md"
GITHUB, GITLAB = "github", "gitlab"
CI_CHOICES = ("both", GITHUB, GITLAB, "none")
CI_FILES = {GITHUB: ".github/workflows/tacli.yml", GITLAB: ".gitlab-ci.yml"}
PRE_COMMIT_FILE = ".pre-commit-config.yaml"

# The shipped file of each file written, and what it is for, as `tacli init` says it.
STARTERS = {
    CONFIG_FILE: ("tacli.toml", "the settings (tacli config shows them)"),
    README: ("engagements-README.md", "where the engagement files go"),
    ".gitignore": ("gitignore", "what git leaves out"),
    PRE_COMMIT_FILE: ("pre-commit-config.yaml", "tacli's checks before each commit (pre-commit)"),
    CI_FILES[GITHUB]: ("github-workflow.yml", "tacli's checks on GitHub"),
    CI_FILES[GITLAB]: ("gitlab-ci.yml", "tacli's checks on GitLab"),
}
SCHEMA_ABOUT = "for editors: completion and checks as you type"

# The commented lines of the shipped tacli.toml that a value given to `tacli init` sets.
ME_LINE = '# me = "Your Name"'
STANDARDS_LINE = '# standards = "standards"'


@dataclass(frozen=True)
class Source:
    """Where CI and pre-commit install tacli from: a git repository, and the tag or commit pinned."""

    url: str = SOURCE_PLACEHOLDER
    rev: str = PIN_PLACEHOLDER

    @property
    def placeholder(self) -> bool:
        return self.url == SOURCE_PLACEHOLDER


@dataclass(frozen=True)
class NewFile:
    """A file to write: its path in the folder (with /), its text, and what it is for."""

    path: str
    text: str
    about: str


# What became of a file: written, or left as it was, and why.
WRITTEN, THERE, LINK, IN_THE_WAY, FAILED = "written", "there", "link", "in the way", "failed"


@dataclass(frozen=True)
class Placed:
    file: NewFile
    state: str
    reason: str = ""


def starter_text(name: str) -> str:
    """A shipped file of `templates/init/`, by its name there."""
    return (shipped("templates") / "init" / name).read_text(encoding="utf-8")


def toml_string(value: str) -> str:
    """`value` as a TOML basic string (JSON's escapes are TOML's; DEL is escaped too)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def settings_text(me: Optional[str] = None, standards: Optional[str] = None) -> str:
    """The shipped tacli.toml, with `me` and `standards` set when given (else left commented)."""
    text = starter_text(STARTERS[CONFIG_FILE][0])
    if me is not None:
        text = _uncommented(text, ME_LINE, f"me = {toml_string(me)}")
    if standards is not None:
        text = _uncommented(text, STANDARDS_LINE, f"standards = {toml_string(standards)}")
    return text


def _uncommented(text: str, commented: str, line: str) -> str:
    lines = text.split("\n")
    if lines.count(commented) != 1:
        raise RuntimeError(f"the shipped {CONFIG_FILE} should have the line {commented!r} once")
    return "\n".join(line if each == commented else each for each in lines)


def pinned(text: str, source: Source) -> str:
    """A shipped pipeline or pre-commit configuration with where tacli comes from and its pin:
    `git+URL@REV` for pip, `repo: URL` and `rev: REV` for pre-commit."""
    forms = [(f'"git+{SOURCE_PLACEHOLDER}@{PIN_PLACEHOLDER}"', f'"git+{source.url}@{source.rev}"'),
             (f"repo: {SOURCE_PLACEHOLDER}", f"repo: {source.url}"), (f"rev: {PIN_PLACEHOLDER}", f"rev: {source.rev}")]
    found = False
    for old, new in forms:
        if old in text:
            text, found = text.replace(old, new), True
    if not found:
        raise RuntimeError("a shipped pipeline should name where tacli comes from")
    return text


def project_files(settings: Optional[str], engagements: Optional[str], schema: Optional[tuple[str, str]], ci: tuple[str, ...], source: Source) -> list[NewFile]:
    """The files of a new folder of engagements, paths relative to it: the
    configuration's text (None: not written), the engagements folder (its
    README), the schema's path and text, the CI systems, and tacli's source."""
    files = []
    if settings is not None:
        files.append(NewFile(CONFIG_FILE, settings, STARTERS[CONFIG_FILE][1]))
    if engagements is not None:
        files.append(NewFile(f"{engagements}/{README}", starter_text(STARTERS[README][0]), STARTERS[README][1]))
    if schema is not None:
        files.append(NewFile(schema[0], schema[1], SCHEMA_ABOUT))
    for path in (".gitignore", PRE_COMMIT_FILE, *(CI_FILES[system] for system in ci)):
        name, about = STARTERS[path]
        text = starter_text(name)
        files.append(NewFile(path, text if path == ".gitignore" else pinned(text, source), about))
    return files


def create(folder: Path, files: list[NewFile]) -> list[Placed]:
    """Write each file under `folder` where nothing is yet, making the folders on
    its way; never through a symbolic link inside `folder`, never over anything."""
    return [_create(folder, file) for file in files]


def _create(folder: Path, file: NewFile) -> Placed:
    from tacli.io.writer import WriteRefused, create_atomically

    parts = PurePosixPath(file.path).parts
    on_the_way = folder
    for part in parts[:-1]:
        on_the_way = on_the_way / part
        relative = PurePosixPath(*Path(on_the_way).relative_to(folder).parts).as_posix()
        if on_the_way.is_symlink():
            return Placed(file, LINK, f"{relative} is a symbolic link: tacli does not write through links")
        if not on_the_way.exists():
            try:
                on_the_way.mkdir()
            except FileExistsError:
                pass
            except OSError as exc:
                return Placed(file, FAILED, f"cannot make the folder {relative}: {exc.strerror or exc}")
        if on_the_way.is_symlink() or not on_the_way.is_dir():
            what = "a symbolic link" if on_the_way.is_symlink() else "a file, not a folder"
            return Placed(file, LINK if on_the_way.is_symlink() else IN_THE_WAY, f"{relative} is {what}")
    target = folder / file.path
    state = _what_is_there(target)
    if state is not None:
        return Placed(file, *state)
    try:
        create_atomically(target, file.text)
    except FileExistsError:
        return Placed(file, *(_what_is_there(target) or (THERE, "")))
    except WriteRefused as exc:
        return Placed(file, LINK, str(exc))
    except OSError as exc:
        return Placed(file, FAILED, exc.strerror or str(exc))
    return Placed(file, WRITTEN)


def _what_is_there(path: Path) -> Optional[tuple[str, str]]:
    """None when nothing is at `path`; else what it is, as (state, reason)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return FAILED, exc.strerror or str(exc)
    if stat.S_ISLNK(mode):
        return LINK, "a symbolic link is there: tacli does not write through links"
    if stat.S_ISREG(mode):
        return THERE, "already there"
    if stat.S_ISDIR(mode):
        return IN_THE_WAY, "a folder is there"
    return IN_THE_WAY, "something that is not a file is there"
