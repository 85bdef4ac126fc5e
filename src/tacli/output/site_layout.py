"""Where `tacli site` puts its files, and how it knows them for its own: the
folder's layout, the marker each kind of file ends with, and the key a
folder found current is remembered under. Apart from the site's rendering,
so that a `site --check` whose folder is remembered imports none of it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from tacli.core.paths import shipped
from tacli.write.output_files import Layout

_SAYS = "Written by tacli site from the engagement files: change them, not this file; tacli rewrites it."
HTML_MARKER = f"<!-- {_SAYS} -->"
CODE_MARKER = f"/* {_SAYS} */"
TEXT_MARKER = f"-- {_SAYS}"
_MARKERS = {".html": HTML_MARKER, ".css": CODE_MARKER, ".js": CODE_MARKER, ".txt": TEXT_MARKER}

DASHBOARD = "index.html"
ASSETS_FOLDER = "assets"
ENGAGEMENTS_FOLDER = "engagements"
ANNUAL_INDEX = "annual.html"
ANNUAL_FOLDER = "annual"


def existing_site_files(out_dir: Path) -> list[str]:
    """Regular files (links not followed) where the site puts its own: the
    dashboard, the assets folder, the engagement pages and the annual report's.
    Listed with os.scandir, which tells each entry's type without a `stat`: a
    site holds some 10 files an engagement."""
    found = []
    for name in (DASHBOARD, ANNUAL_INDEX):
        if (out_dir / name).is_file() and not (out_dir / name).is_symlink():
            found.append(name)
    found += [f"{ASSETS_FOLDER}/{name}" for name in _listed(out_dir / ASSETS_FOLDER, files=True)]
    for engagement in _listed(out_dir / ENGAGEMENTS_FOLDER, files=False):
        found += [f"{ENGAGEMENTS_FOLDER}/{engagement}/{name}" for name in _listed(out_dir / ENGAGEMENTS_FOLDER / engagement, files=True)]
    found += [f"{ANNUAL_FOLDER}/{name}" for name in _listed(out_dir / ANNUAL_FOLDER, files=True)]
    return found


def _listed(folder: Path, files: bool) -> list[str]:
    """The names in `folder` (not itself a link) of its regular files named like
    the site's (`files`), or of its folders; links are neither; sorted."""
    if folder.is_symlink() or not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        return sorted(
            entry.name for entry in entries
            if (entry.is_file(follow_symlinks=False) and os.path.splitext(entry.name)[1] in _MARKERS if files else entry.is_dir(follow_symlinks=False))
        )


def site_folders(out_dir: Path) -> list[str]:
    """The folders existing_site_files lists (those that are folders, not links)."""
    found = [""] + [name for name in (ASSETS_FOLDER, ENGAGEMENTS_FOLDER, ANNUAL_FOLDER) if (out_dir / name).is_dir() and not (out_dir / name).is_symlink()]
    return found + [f"{ENGAGEMENTS_FOLDER}/{name}" for name in _listed(out_dir / ENGAGEMENTS_FOLDER, files=False)]


SITE_LAYOUT = Layout(tuple(sorted(set(_MARKERS.values()))), existing_site_files, site_folders)


def site_templates() -> Path:
    """The site's shipped templates."""
    return shipped("templates") / "site"


def site_check_key(loaded, roster, out_dir) -> Optional[bytes]:
    """The key a site's folder found current is remembered under
    (write.output_files.SeenState): what its pages are made from, and where it is."""
    from tacli.io.cache import tree_digest
    from tacli.output.reports import portfolio_key

    templates = tree_digest(site_templates())
    return portfolio_key(loaded, "site-seen", templates, roster_part(roster), os.path.abspath(out_dir)) if templates is not None else None


def roster_part(roster) -> str:
    """What of the roster (reading.roster.Roster) a key holds: its data, not its
    document (whose repr is an object's address, new each run: a site checked
    with a roster was never found remembered)."""
    if roster is None:
        return "None"
    return repr((roster.path, roster.area, roster.no_service_days, roster.recipients))
