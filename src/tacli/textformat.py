"""The default text format: one finding a line, as editors and CI parse it."""

from __future__ import annotations

from tacli.findings import Finding, Level


def finding_line(item: Finding) -> str:
    return f"{item.path}:{item.line}:{item.column}: {item.level.value} {item.rule} {item.message}"


def summary_line(findings: list[Finding], checked: int, skipped: int) -> str:
    counts = {level: 0 for level in Level}
    for item in findings:
        counts[item.level] += 1
    files = len({item.path for item in findings})
    noun = "file" if checked == 1 else "files"
    parts = [f"{counts[level]} {level.value}{'s' if counts[level] != 1 else ''}" for level in Level if counts[level]]
    if parts:
        text = f"{checked} {noun} checked: {', '.join(parts)} in {files} {'file' if files == 1 else 'files'}"
    else:
        text = f"{checked} {noun} checked: no problems"
    if skipped:
        text += f" ({skipped} YAML {'file' if skipped == 1 else 'files'} without `tacli:` skipped)"
    return text + "."
