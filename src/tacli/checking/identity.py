"""Ids that must be unique: a service's within its engagement, an engagement's among the files checked together.

The across-file rule runs on every check of more than one file, also when
every file's own findings come from the cache: it lives apart from the
checks, which import the standards' models, so a warm run need not import them.
"""

from __future__ import annotations

from tacli.core.findings import Level, Rule, finding

DUPLICATE_ID = Rule("duplicate-id", Level.ERROR, "Two services of an engagement, or two engagement files checked together, share one id.")


def across_files(results):
    """Engagement ids shared by files checked together: reports are filed under
    the id, so the second file to use one is told to change it."""
    first_with_id: dict[str, str] = {}
    for result in results:
        identity = result.identity
        if identity is None:
            continue
        if identity.id in first_with_id:
            yield finding(
                DUPLICATE_ID, result.name, identity.position,
                f"engagement id '{identity.id}' is already used by {first_with_id[identity.id]}: give each engagement its own id (reports are filed under it)",
            )
        else:
            first_with_id[identity.id] = result.name
