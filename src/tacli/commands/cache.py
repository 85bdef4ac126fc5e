"""`tacli cache info` and `tacli cache clear`: where tacli's cache is, what it
holds, and emptying it (tacli.io.cache)."""

from __future__ import annotations

from tacli.core.outcome import EXIT_CLEAN, Outcome

# What each kind of entry holds, as `tacli cache info` names it (the kinds the
# cache is written with: checking.checker, output.reports, output.site_pages,
# cli.completion, commands.config; "work:KIND" is a FileWork's result).
KINDS = {
    "checked": "each file's findings",
    "reading": "each file's data, as read",
    "file-stat": "each file's size and times: unchanged, not read",
    "rendered": "the summary report",
    "site": "the dashboard and annual pages",
    "outputs-seen": "report and site folders found current: unchanged, not read",
    "work:rendered": "each engagement's reports",
    "work:site": "each engagement's pages",
    "work:summary-part": "each engagement's part of the summary",
    "work:site-figures": "each engagement's figures on the dashboard",
    "work:portfolio-part": "each engagement's part of the annual pages",
    "work:roster-facts": "each engagement's recipient, for the roster's coverage",
    "work:due": "what each file owes (tacli due)",
    "work:export": "each file's rows (tacli export)",
    "completion": "files read for shell completion",
    "config": "the configuration file, as checked",
}


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / 2**20:.1f} MB"


def info() -> Outcome:
    from tacli.io.cache import NO_CACHE_ENV, UNUSED_DAYS, Cache, cache_folder, turned_off

    folder = cache_folder()
    if folder is None:
        return Outcome(EXIT_CLEAN, "tacli keeps no cache here: there is no user cache folder (set TACLI_CACHE_DIR to give one).\n")
    from tacli.commands.outputs import file_on_the_way

    in_the_way = file_on_the_way(folder)
    if in_the_way is not None:
        return Outcome(EXIT_CLEAN, f"cache: {folder}\nnot usable: {in_the_way} is a file, not a folder: remove it, or set TACLI_CACHE_DIR to a folder\n")
    cache = Cache(folder)
    found = cache.info()
    lines = [f"cache: {found['folder']} ({_size(found['bytes'])})"]
    if turned_off():
        lines.append(f"off for every run: {NO_CACHE_ENV} is set")
    entries = found["entries"]
    if not entries and cache.notes:  # what stops it from being used, not "empty"
        lines.append(f"not usable: {cache.notes[-1].removeprefix('tacli: ')}")  # the last says where it stands
    elif not entries:
        lines.append("empty")
    for kind, (count, size) in sorted(entries.items()):
        what = KINDS.get(kind, kind)
        lines.append(f"  {count:>9,} {'entry' if count == 1 else 'entries':<7} {_size(size or 0):>10}  {what}")
    lines += [
        "",
        "An entry is kept under each file's bytes, the standards, tacli's code,",
        f"and the day when a result depends on it; one no run used for {UNUSED_DAYS} days",
        "is removed. `tacli cache clear` empties the cache; --no-cache or",
        "TACLI_NO_CACHE=1 turns it off for one run.",
    ]
    return Outcome(EXIT_CLEAN, "".join(line + "\n" for line in lines), notes=list(cache.notes) if entries else [])


def clear() -> Outcome:
    from tacli.io.cache import Cache, cache_folder

    folder = cache_folder()
    if folder is None:
        return Outcome(EXIT_CLEAN, "tacli keeps no cache here: nothing to clear.\n")
    try:
        freed = Cache(folder).clear()
    except OSError as exc:  # a file there that is not the user's to remove, or a folder by its name
        from tacli.core.outcome import UsageError
        from tacli.io.userfiles import explain

        where = f" ({exc.filename})" if exc.filename else ""
        raise UsageError(f"the cache in {folder} cannot be emptied{where}: {explain(exc)}: remove what is there yourself (tacli removes only its own files), or set TACLI_CACHE_DIR to another folder") from None
    if not freed:
        return Outcome(EXIT_CLEAN, f"the cache in {folder} was empty.\n")
    return Outcome(EXIT_CLEAN, f"emptied the cache in {folder} ({_size(freed)} freed).\n")
