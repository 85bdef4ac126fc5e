"""Report files under the reports folder: what is current, stale, missing or
orphaned, and writing the ones that changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tacli.domain import report_kind, report_path
from tacli.report import Output


def existing_reports(out_dir: Path, kinds: tuple[str, ...]) -> list[str]:
    """Files under `out_dir` whose paths follow the convention for `kinds`."""
    if not out_dir.is_dir():
        return []
    found = []
    summary = report_path("summary")
    candidates = [summary] if (out_dir / summary).is_file() else []
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        candidates.extend(f"{folder.name}/{f.name}" for f in sorted(folder.iterdir()) if f.is_file() and f.suffix == ".md")
    for path in candidates:
        if report_kind(path) in kinds:
            found.append(path)
    return found


def _same(path: Path, text: str) -> bool:
    """Whether the file holds `text`; line endings alone (a CRLF checkout) do not count."""
    try:
        current = path.read_bytes()
    except OSError:
        return False
    return current.replace(b"\r\n", b"\n") == text.encode("utf-8")


@dataclass
class Comparison:
    current: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.stale or self.missing or self.orphaned)


def compare(outputs: list[Output], out_dir: Path, kinds: tuple[str, ...], orphans: bool = True) -> Comparison:
    """What on disk differs from `outputs`; orphans are convention files no output produces."""
    result = Comparison()
    for output in outputs:
        target = out_dir / output.path
        if not target.is_file():
            result.missing.append(output.path)
        elif _same(target, output.text):
            result.current.append(output.path)
        else:
            result.stale.append(output.path)
    if orphans:
        produced = {output.path for output in outputs}
        result.orphaned = [path for path in existing_reports(out_dir, kinds) if path not in produced]
    return result


def write_outputs(outputs: list[Output], out_dir: Path, kinds: tuple[str, ...], prune: bool = False, orphans: bool = True) -> Comparison:
    """Write the outputs that differ from the disk (atomically), leave the others
    untouched; with `prune`, delete orphans. Returns what was found before writing."""
    from tacli.writer import write_atomically

    result = compare(outputs, out_dir, kinds, orphans)
    changed = set(result.stale) | set(result.missing)
    for output in outputs:
        if output.path in changed:
            target = out_dir / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, output.text)
    if prune:
        for path in result.orphaned:
            target = out_dir / path
            target.unlink()
            if target.parent != out_dir and not any(target.parent.iterdir()):
                target.parent.rmdir()
    return result
