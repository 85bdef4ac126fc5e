"""Shell completion of the values a command takes: ids read from the standards
and from the engagement file already on the command line, and the fixed
choices of options. The shell runs tacli for every Tab, so this reads YAML
without building the models (no pydantic) and a completion never fails
aloud: whatever cannot be read offers nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Optional

import typer

Candidates = list[tuple[str, str]]  # (value, what it is): zsh and fish show the second


def skip_value_conversion() -> None:
    """While the shell asks for completions, typer need not convert the values
    already typed: it builds a pydantic adapter for each parameter to do so, most
    of a Tab's time. The completers read them as the words they are."""
    try:
        from typer.core import _TyperParameter
    except ImportError:  # another typer: it converts, more slowly, and completion still works
        return
    _TyperParameter.process_value = lambda self, ctx, value: value


def _safe(complete: Callable) -> Callable:
    """A completer that offers nothing rather than print a traceback into the shell."""

    def completer(ctx: typer.Context, incomplete: str) -> Candidates:
        try:
            return [(value, help) for value, help in complete(ctx) if value.startswith(incomplete)]
        except Exception:  # noqa: BLE001 - a completion must never break the shell's line
            return []

    completer.__name__ = complete.__name__
    return completer


_READ: dict = {}  # (file, its stat key): its data, for the several looks of one Tab


def _read_yaml(path: Path):
    """A YAML file as plain data, read as `tacli check` reads it (bounded: a FIFO
    or a huge file gives nothing), a shell's `~` and `$VAR` expanded. A large
    engagement takes a while to parse and every Tab asks again, so its data is
    kept in tacli's cache (tacli.io.cache), under the file's bytes."""
    from tacli.io.cache import code_version, digest, file_digest
    from tacli.io.yamlsource import load_bytes, read_source

    real = Path(os.path.expandvars(os.path.expanduser(str(path))))
    facts = real.stat()
    memo = (real, f"{facts.st_mtime_ns}:{facts.st_size}:{facts.st_ino}")
    if memo in _READ:
        return _READ[memo]
    raw = read_source(real, str(path))
    cache = _cache()
    key = digest("completion", code_version(), file_digest(raw))
    data = cache.get(key, _NOTHING) if cache is not None else _NOTHING
    if data is _NOTHING:
        data = load_bytes(raw, str(path)).data
        if cache is not None:
            cache.put(key, "completion", data)
            cache.flush()
    _READ[memo] = data
    return data


_NOTHING = object()
_CACHES: list = []


def _cache():
    """tacli's cache (off with TACLI_NO_CACHE), opened once for a Tab."""
    from tacli.io.cache import Cache, cache_folder, turned_off

    where = (cache_folder(), not turned_off())
    if not _CACHES or _CACHES[0][0] != where:
        _CACHES[:] = [(where, Cache(*where))]
    cache = _CACHES[0][1]
    return cache if cache.enabled else None


def _standards_folder(ctx: typer.Context) -> Path:
    """Where the command will read its standards (--standards, TACLI_STANDARDS, the
    configuration file, the shipped ones), read without building the configuration's model."""
    from tacli.io.configfile import config_path, setting_path, standards_choice, tacli_table

    explicit = _given(ctx, "config_file")
    found = config_path(Path.cwd(), Path(explicit) if explicit else None)
    value = tacli_table(found).get("standards") if found is not None else None
    configured = (setting_path(found, value), str(found)) if isinstance(value, str) else None
    return standards_choice(_given(ctx, "standards"), configured)[0]


def _frameworks(ctx: typer.Context) -> list[dict]:
    folder = _standards_folder(ctx)
    found = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            data = _read_yaml(path)
        except Exception:  # noqa: BLE001
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found.append(data)
    return found


def _given(ctx: typer.Context, name: str) -> Optional[str]:
    """A value already on the command line. Click parses nothing of a command
    line that ends in an option still waiting for its value (`--service <Tab>`),
    so then the words the shell passed are read again here."""
    if ctx.params.get(name):
        return ctx.params[name]
    words = _words(ctx)
    if ctx.info_name not in words:
        return None
    options = {opt: param for param in ctx.command.params if param.param_type_name == "option" for opt in param.opts}
    positional = [param.name for param in ctx.command.params if param.param_type_name == "argument"]
    rest = words[words.index(ctx.info_name) + 1:]
    while rest:
        word = rest.pop(0)
        option = options.get(word.partition("=")[0])
        if option is not None:
            value = word.partition("=")[2] if "=" in word else (None if option.is_flag else (rest.pop(0) if rest else None))
            if option.name == name and value:
                return value
        elif not word.startswith("-") and positional:
            if positional.pop(0) == name:
                return word
    return None


def _words(ctx: typer.Context) -> list[str]:
    """The words the shell passed before the one being completed."""
    if "COMP_WORDS" in os.environ:  # bash
        return _split(os.environ["COMP_WORDS"])[: int(os.environ.get("COMP_CWORD", "0"))]
    return _split(os.environ.get("_TYPER_COMPLETE_ARGS", ""))[:-1]  # zsh, fish, PowerShell


def _split(line: str) -> list[str]:
    """Words as the shell split them; a quote still open is taken as closed."""
    import shlex

    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def _engagement(ctx: typer.Context) -> Optional[dict]:
    file = _given(ctx, "file")
    if not file:
        return None
    data = _read_yaml(Path(file))
    return data if isinstance(data, dict) else None


def _listed(ctx: typer.Context) -> list[dict]:
    """The frameworks the engagement on the command line lists (all of them when there is none)."""
    frameworks = _frameworks(ctx)
    engagement = _engagement(ctx)
    listed = engagement.get("frameworks") if engagement else None
    if isinstance(listed, list):
        return [f for f in frameworks if f["id"] in listed]
    return frameworks


def _items(frameworks: Iterable[dict], section: str) -> Candidates:
    out = []
    for framework in frameworks:
        for item in framework.get(section) or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                words = item.get("title") or item.get("text") or item.get("name") or ""
                out.append((item["id"], " ".join(str(words).split())[:70]))
    return out


def _services(ctx: typer.Context) -> list[dict]:
    engagement = _engagement(ctx) or {}
    return [s for s in engagement.get("services") or [] if isinstance(s, dict) and s.get("id") is not None]


@_safe
def service(ctx: typer.Context) -> Candidates:
    """The services of the engagement file, latest first (the order of
    domain.services.in_order, reversed: by date, then as the file gives them)."""
    listed = list(enumerate(_services(ctx)))
    services = [s for _, s in sorted(listed, key=lambda pair: (str(pair[1].get("date", "")), pair[0]), reverse=True)]
    return [(str(s["id"]), f"{s.get('date', '')} {s.get('title') or s.get('type') or ''}".strip()) for s in services]


@_safe
def duty(ctx: typer.Context) -> Candidates:
    """The duties of the engagement's frameworks; with --service, those still open in it."""
    duties = _items(_listed(ctx), "duties")
    chosen = _given(ctx, "service")
    record = next((s for s in _services(ctx) if str(s["id"]) == chosen), None) if chosen else None
    if record is not None:
        marked = record.get("duties") or {}
        reopening = bool(ctx.params.get("reopen")) or "--open" in _words(ctx)  # then the duties recorded, to open again

        def recorded(duty_id: str) -> bool:
            return isinstance(marked.get(duty_id), dict) and marked[duty_id].get("status") in ("done", "not-applicable")

        duties = [(id_, words) for id_, words in duties if recorded(id_) == reopening]
    already = set(ctx.params.get("duties") or ())
    return [item for item in duties if item[0] not in already]


@_safe
def stage(ctx: typer.Context) -> Candidates:
    return list(dict(_items(_listed(ctx), "stages")).items())


@_safe
def role(ctx: typer.Context) -> Candidates:
    return list(dict(_items(_listed(ctx), "roles")).items())


@_safe
def support_type(ctx: typer.Context) -> Candidates:
    return _items(_listed(ctx), "support_types")


@_safe
def partner(ctx: typer.Context) -> Candidates:
    return _items(_frameworks(ctx), "partners")


@_safe
def framework(ctx: typer.Context) -> Candidates:
    return [(f["id"], " ".join(str(f.get("title", "")).split())) for f in _frameworks(ctx)]


@_safe
def tier(ctx: typer.Context) -> Candidates:
    out = []
    for id_, words in _items(_frameworks(ctx), "tiers"):
        out.append((id_, words))
    for framework in _frameworks(ctx):
        for item in framework.get("tiers") or []:
            for alias in item.get("aliases") or []:
                out.append((str(alias), f"the same as {item['id']}"))
    return out


@_safe
def report_section(ctx: typer.Context) -> Candidates:
    """`--add SECTION=`: the sections of the engagement's report."""
    out = []
    for framework in _listed(ctx):
        report = framework.get("report") or {}
        for section in report.get("sections") or []:
            out.append((f"{section['id']}=", str(section.get("title", ""))))
    return out


@_safe
def reviewer(ctx: typer.Context) -> Candidates:
    """`--review NAME`: the reviewers the engagement file lists. bash puts a
    value in the line as it is given, so there a space in a name is escaped
    (`Maria\\ Lopez`: one word); zsh and fish quote it themselves."""
    engagement = _engagement(ctx) or {}
    bash = os.environ.get("_TACLI_COMPLETE", "").endswith("bash")
    out = []
    for person in engagement.get("reviewers") or []:
        if isinstance(person, dict) and isinstance(person.get("name"), str) and person["name"].strip():
            name = " ".join(person["name"].split())
            out.append((name.replace(" ", "\\ ") if bash else name, str(person.get("role") or "")))
    return out


@_safe
def rating(ctx: typer.Context) -> Candidates:
    """`--rating QUALITY=`: what evaluation forms rate, in the standards, with their scale."""
    scale = next((f["rating_scale"] for f in _frameworks(ctx) if isinstance(f.get("rating_scale"), dict)), {})
    on = f" ({scale.get('min')} to {scale.get('max')})" if "min" in scale and "max" in scale else ""
    return [(f"{id_}=", f"{words}{on}") for id_, words in _items(_frameworks(ctx), "ratings")]


@_safe
def level(ctx: typer.Context) -> Candidates:
    """`--level`: the standards' levels of outcome evidence, lowest first."""
    return _items(_frameworks(ctx), "evidence_levels")


def comma_list(section_items: Callable[[typer.Context], Candidates]) -> Callable:
    """Completion of a comma-separated list (--topics a,b): the last item is completed."""

    def completer(ctx: typer.Context, incomplete: str) -> Candidates:
        head, _, last = incomplete.rpartition(",")
        try:
            chosen = set(head.split(",")) if head else set()
            return [(f"{head + ',' if head else ''}{value}", help) for value, help in section_items(ctx) if value.startswith(last) and value not in chosen]
        except Exception:  # noqa: BLE001
            return []

    return completer


topics = comma_list(lambda ctx: _items(_listed(ctx), "topics"))
frameworks = comma_list(lambda ctx: [(f["id"], " ".join(str(f.get("title", "")).split())) for f in _frameworks(ctx)])


def choices(module: str, name: str) -> Callable:
    """A completer of the fixed values named `name` in `module` (formats, modes,
    kinds), imported only when the shell asks."""

    def completer(incomplete: str) -> list[str]:
        import importlib

        values = getattr(importlib.import_module(module), name)
        return [value for value in values if value.startswith(incomplete)]

    return completer
