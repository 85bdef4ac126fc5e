"""Paths as a user reads and types them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional


def schema_reference(engagement_file: Path, schema: Path) -> str:
    """The `$schema=` value for an engagement file: the schema's path relative to the file's folder."""
    base = Path(os.path.abspath(engagement_file)).parent
    target = Path(os.path.abspath(schema))
    try:
        return Path(os.path.relpath(target, base)).as_posix()
    except ValueError:  # another drive
        return target.as_uri()


def shown_path(path: Path, cwd: Optional[Path] = None, project: Optional[Path] = None) -> str:
    """A path as a user would type it from the current folder.

    Relative when it lies below the current folder, or when both lie in the
    `project` folder (../engagements from a sub-folder); absolute otherwise."""
    absolute = os.path.abspath(path)
    here = os.path.abspath(cwd or Path.cwd())
    try:
        relative = os.path.relpath(absolute, here)
    except ValueError:  # another drive
        return str(path)
    if relative == ".." or relative.startswith(".." + os.sep):
        inside = project is not None and all(_inside(p, os.path.abspath(project)) for p in (absolute, here))
        if not inside:
            return Path(absolute).as_posix()
    return Path(relative).as_posix()


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def real_path(path) -> Path:
    """`path` with every link followed, as Path.resolve() gives it, except that a
    loop of links ends the search instead of raising: a user's folder may hold one."""
    return Path(os.path.realpath(path))


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path` lies in `folder` (links resolved)."""
    return _inside(os.path.realpath(path), os.path.realpath(folder))


def shipped(name: str) -> Path:
    """A folder tacli ships as data (`standards`, `templates`): inside the
    installed package, or the source tree's."""
    packaged = Path(__file__).parents[1] / "shipped" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / name


def shipped_standards() -> Path:
    """The standards folder inside the installed package, or the source tree's."""
    return shipped("standards")
