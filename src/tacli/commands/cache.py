"""`tacli cache info` and `tacli cache clear`: where tacli's cache is, what it
holds, and emptying it (tacli.io.cache)."""

from __future__ import annotations

from tacli.core.outcome import EXIT_CLEAN, Outcome

KINDS = {
    "checked": "files' findings",
    "reading": "files' data, as read",
    "rendered": "reports and pages",
    "plan": "what each file's reports are",
    "completion": "files read for shell completion",
    "standards": "standards, as loaded",
}


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / 2**20:.1f} MB"


def info() -> Outcome:
    from tacli.io.cache import NO_CACHE_ENV, cache_folder, turned_off

    from tacli.io.cache import Cache

    folder = cache_folder()
    if folder is None:
        return Outcome(EXIT_CLEAN, "tacli keeps no cache here: there is no user cache folder (set TACLI_CACHE_DIR to give one).\n")
    cache = Cache(folder)
    found = cache.info()
    lines = [f"cache: {found['folder']} ({_size(found['bytes'])})"]
    if turned_off():
        lines.append(f"off for every run: {NO_CACHE_ENV} is set")
    entries = found["entries"]
    if not entries:
        lines.append("empty")
    for kind, (count, size) in sorted(entries.items()):
        what = KINDS.get(kind.split(":")[0], kind)
        lines.append(f"  {kind:<18} {count:>9,} entries {_size(size or 0):>10}  {what}")
    lines.append("Entries are keyed on each file's bytes, the standards, tacli's code, and the day when a result depends on it;")
    lines.append("entries no run used for 30 days are removed. `tacli cache clear` empties it; --no-cache or TACLI_NO_CACHE=1 turns it off for a run.")
    return Outcome(EXIT_CLEAN, "".join(line + "\n" for line in lines), notes=list(cache.notes))


def clear() -> Outcome:
    from tacli.io.cache import Cache, cache_folder

    folder = cache_folder()
    if folder is None:
        return Outcome(EXIT_CLEAN, "tacli keeps no cache here: nothing to clear.\n")
    freed = Cache(folder).clear()
    if not freed:
        return Outcome(EXIT_CLEAN, f"the cache in {folder} was empty.\n")
    return Outcome(EXIT_CLEAN, f"emptied the cache in {folder} ({_size(freed)} freed).\n")
