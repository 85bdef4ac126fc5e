"""Output formats of `tacli check`, one class each, in a registry by name.

A format turns the result of a check run (findings, the files checked and
skipped, the rule catalogue and what the configuration changed in it) into
text. Adding a format is one class and one entry in CHECK_FORMATS.
docs/output-formats.md describes each format; its structure is a public
interface. The terminal's view is a format too (TERMINAL), chosen by
`choose_format` when the text goes to a terminal that takes colour.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional, Sequence
from urllib.parse import quote

from tacli import __version__
from tacli.checking.checker import CheckResult
from tacli.core.findings import Finding, Level, Rule

JSON_VERSION = "1"
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"


@dataclass(frozen=True)
class CheckRun:
    """What a format needs to know about one run of `tacli check`."""

    result: CheckResult
    rules: Sequence[Rule]
    settings: Optional[object] = None  # config.RuleSettings: what select, ignore and levels changed
    today: Optional[date] = None
    root: Path = field(default_factory=Path.cwd)  # where relative paths are anchored (SARIF, GitHub)
    cwd: Path = field(default_factory=Path.cwd)  # the folder the finding paths are relative to
    version: str = __version__

    def counts(self, findings: Optional[Sequence[Finding]] = None) -> dict[Level, int]:
        counts = {level: 0 for level in Level}
        for item in self.result.findings if findings is None else findings:
            counts[item.level] += 1
        return counts

    def by_file(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for item in self.result.findings:
            grouped.setdefault(item.path, []).append(item)
        return grouped

    def relative(self, path: str) -> Optional[str]:
        """`path` relative to `root`, with forward slashes; None when it lies outside."""
        absolute = os.path.normpath(os.path.join(os.path.abspath(self.cwd), path))
        try:
            relative = os.path.relpath(absolute, os.path.abspath(self.root))
        except ValueError:  # another drive
            return None
        if relative == ".." or relative.startswith(".." + os.sep) or os.path.isabs(relative):
            return None
        return Path(relative).as_posix()

    def absolute(self, path: str) -> Path:
        return Path(os.path.normpath(os.path.join(os.path.abspath(self.cwd), path)))


class Format:
    """One output format. `render` returns the whole output, ending in a newline."""

    name = ""
    summary = ""

    def render(self, run: CheckRun) -> str:
        raise NotImplementedError


class TextFormat(Format):
    """One finding a line, `path:line:column: level rule message`, and a summary.

    The format editors and people read; tacli's default."""

    name = "text"
    summary = "one finding a line (path:line:column: level rule message) and a summary; the default"

    def render(self, run: CheckRun) -> str:
        from tacli.core.textformat import finding_line, summary_line

        lines = [finding_line(item) for item in run.result.findings]
        lines.append(summary_line(run.result.findings, len(run.result.checked), len(run.result.skipped)))
        return "\n".join(lines) + "\n"


class JsonFormat(Format):
    """A documented, stable JSON document (version "1"): findings, files and a summary."""

    name = "json"
    summary = 'a JSON document (format version "1"): findings, files checked and skipped, a summary'

    def render(self, run: CheckRun) -> str:
        from tacli.core.textformat import json_text

        counts = run.counts()
        result = run.result
        document = {
            "version": JSON_VERSION,
            "tool": {"name": "tacli", "version": run.version},
            "today": run.today.isoformat() if run.today else None,
            "findings": [
                {
                    "path": item.path,
                    "line": item.line,
                    "column": item.column,
                    "rule": item.rule,
                    "level": item.level.value,
                    "message": item.message,
                }
                for item in result.findings
            ],
            "checked": list(result.checked),
            "skipped": list(result.skipped),
            "summary": {
                "files_checked": len(result.checked),
                "files_skipped": len(result.skipped),
                "files_with_findings": len({item.path for item in result.findings}),
                "errors": counts[Level.ERROR],
                "warnings": counts[Level.WARNING],
                "infos": counts[Level.INFO],
                "passed": counts[Level.ERROR] == 0,
            },
        }
        return json_text(document)


SARIF_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


class SarifFormat(Format):
    """SARIF 2.1.0, for GitHub code scanning and other static-analysis viewers.

    Every rule is listed with its description and default level; results
    point at the rule by id and index. Paths are relative URIs against
    %SRCROOT% (the repository: $GITHUB_WORKSPACE, else the current folder);
    a file outside it gets an absolute file: URI. Columns count characters."""

    name = "sarif"
    summary = "SARIF 2.1.0, for GitHub code scanning (upload with github/codeql-action/upload-sarif)"

    def render(self, run: CheckRun) -> str:
        from tacli.core.textformat import json_text

        index = {rule.id: number for number, rule in enumerate(run.rules)}
        driver = {
            "name": "tacli",
            "version": run.version,
            "semanticVersion": run.version,
            "rules": [self._rule(rule) for rule in run.rules],
        }
        results = [self._result(run, item, index) for item in run.result.findings]
        invocation: dict = {"executionSuccessful": True}
        overrides = self._overrides(run, index)
        if overrides:
            invocation["ruleConfigurationOverrides"] = overrides
        sarif_run: dict = {
            "tool": {"driver": driver},
            "invocations": [invocation],
            "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(run.root)}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }
        if run.today:
            sarif_run["properties"] = {"today": run.today.isoformat()}
        document = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [sarif_run]}
        return json_text(document)

    @staticmethod
    def _rule(rule: Rule) -> dict:
        return {
            "id": rule.id,
            "name": _pascal(rule.id),
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.summary},
            "defaultConfiguration": {"level": SARIF_LEVELS[rule.level]},
            "help": {
                "text": f"{rule.summary} `tacli rules` lists every rule; docs/rules.md explains them.",
                "markdown": f"{rule.summary}\n\n`tacli rules` lists every rule; docs/rules.md explains them.",
            },
            "properties": {"tags": ["tacli", rule.id.split("-")[0]]},
        }

    @staticmethod
    def _result(run: CheckRun, item: Finding, index: dict[str, int]) -> dict:
        relative = run.relative(item.path)
        if relative is not None:
            location = {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}
        else:
            location = {"uri": run.absolute(item.path).as_uri()}
        result = {"ruleId": item.rule}
        if item.rule in index:
            result["ruleIndex"] = index[item.rule]
        result.update(
            {
                "level": SARIF_LEVELS[item.level],
                "message": {"text": item.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": location,
                            "region": {"startLine": item.line, "startColumn": item.column},
                        }
                    }
                ],
            }
        )
        return result

    @staticmethod
    def _overrides(run: CheckRun, index: dict[str, int]) -> list:
        settings = run.settings
        if settings is None:
            return []
        overrides = []
        for rule in run.rules:
            descriptor = {"id": rule.id, "index": index[rule.id]}
            if rule.id in settings.disabled:
                overrides.append({"descriptor": descriptor, "configuration": {"enabled": False}})
            elif rule.id in settings.levels:
                overrides.append({"descriptor": descriptor, "configuration": {"level": SARIF_LEVELS[settings.levels[rule.id]]}})
        return overrides


GITHUB_COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def github_escape_data(text: str) -> str:
    """Escape a workflow command's message, as GitHub's toolkit does (escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """Escape a workflow command's property value (escapeProperty): also ':' and ','."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubFormat(Format):
    """GitHub Actions workflow commands: one annotation a finding, on its line.

    Chosen when GITHUB_ACTIONS=true and no --format is given. Paths are made
    relative to $GITHUB_WORKSPACE, where GitHub looks for them."""

    name = "github"
    summary = "GitHub Actions annotations (::error file=...,line=...,col=...::...); the default when GITHUB_ACTIONS=true"

    def render(self, run: CheckRun) -> str:
        from tacli.core.textformat import summary_line, visible

        lines = []
        for item in run.result.findings:
            # escapes first: no ESC, C1 or bidirectional character reaches the log raw
            path = visible(run.relative(item.path) or run.absolute(item.path).as_posix())
            properties = ",".join(
                f"{name}={github_escape_property(value)}"
                for name, value in (("file", path), ("line", str(item.line)), ("col", str(item.column)), ("title", f"tacli {item.rule}"))
            )
            lines.append(f"::{GITHUB_COMMANDS[item.level]} {properties}::{github_escape_data(visible(item.message))}")
        lines.append(summary_line(run.result.findings, len(run.result.checked), len(run.result.skipped)))
        return "\n".join(lines) + "\n"


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped: show them as \\xNN."""
    return _XML_UNSAFE.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


class JunitFormat(Format):
    """JUnit XML: one test case per engagement file checked.

    A file with an error fails, and its failure lists every finding of the
    file; a file with only warnings passes, its findings in system-out. So
    the test report agrees with the exit code."""

    name = "junit"
    summary = "JUnit XML, one test case per engagement file (GitLab, Jenkins, Azure and other CI test reports)"

    def render(self, run: CheckRun) -> str:
        import xml.etree.ElementTree as ET

        from tacli.core.textformat import finding_line

        grouped = run.by_file()
        files = list(run.result.checked)
        failures = sum(1 for path in files if any(item.level is Level.ERROR for item in grouped.get(path, ())))
        counts = {"tests": str(len(files)), "failures": str(failures), "errors": "0", "skipped": "0"}
        suites = ET.Element("testsuites", {"name": "tacli check", **counts})
        suite = ET.SubElement(suites, "testsuite", {"name": "tacli check", **counts})
        if run.today:
            properties = ET.SubElement(suite, "properties")
            ET.SubElement(properties, "property", {"name": "today", "value": run.today.isoformat()})
        for path in files:
            findings = grouped.get(path, [])
            case = ET.SubElement(suite, "testcase", {"classname": "tacli check", "name": _xml_text(path), "file": _xml_text(path)})
            text = _xml_text("\n".join(finding_line(item) for item in findings))
            errors = [item for item in findings if item.level is Level.ERROR]
            if errors:
                first = errors[0]
                message = f"{_count_text(run.counts(findings))} (the first at line {first.line}: {first.rule})"
                failure = ET.SubElement(case, "failure", {"message": _xml_text(message), "type": first.rule})
                failure.text = text + "\n"
            elif findings:
                out = ET.SubElement(case, "system-out")
                out.text = text + "\n"
        ET.indent(suites, space="  ")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _count_text(counts: dict[Level, int]) -> str:
    parts = [f"{counts[level]} {level.value}{'s' if counts[level] != 1 else ''}" for level in Level if counts[level]]
    return ", ".join(parts) or "no problems"


def _pascal(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.split("-"))


def _directory_uri(folder: Path) -> str:
    uri = Path(os.path.abspath(folder)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


class TerminalFormat(Format):
    """For a person at a terminal: findings grouped by file, then by what they
    are about (a service's open duties of one stage), one short line each, and a
    closing summary table. Machines get `text`, whose lines never change."""

    name = "terminal"
    summary = "findings grouped by file and service, with a summary table, when standard output is a terminal"
    STYLES = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.INFO: "cyan"}
    MOST = 5  # files named in the summary's "most errors"

    def render(self, run: CheckRun) -> str:
        import io
        import shutil

        from rich.console import Console

        width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 160))
        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=True, color_system="standard", highlight=False, width=width)
        for path, findings in run.by_file().items():
            self._file(console, path, findings, run)
        self._summary(console, run)
        return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())

    def _counts(self, run: CheckRun, findings) -> str:
        counts = run.counts(findings)
        return ", ".join(f"{counts[level]} {level.value}{'s' if counts[level] != 1 else ''}" for level in Level if counts[level])

    def _file(self, console, path: str, findings, run: CheckRun) -> None:
        from rich.text import Text

        from tacli.checking.blocking import BLOCKING_RULE_IDS
        from tacli.core.textformat import visible

        header = Text(visible(path), style="bold")
        header.append(f"  {self._counts(run, findings)}", style="dim")
        console.print(header)
        groups: dict[str, list[Finding]] = {}
        order: list[tuple[str, Finding]] = []
        for item in findings:
            if item.group:
                if item.group not in groups:
                    order.append(("group", item))
                groups.setdefault(item.group, []).append(item)
            else:
                order.append(("one", item))
        where = max(len(f"{item.line}:{item.column}") for item in findings)
        for members in groups.values():
            members.sort(key=lambda member: member.rank)  # the standards' order (Finding.rank), not the messages'
        slots = [at for at, (kind, _) in enumerate(order) if kind == "group"]
        placed = sorted((order[at] for at in slots), key=lambda entry: ((entry[1].line, entry[1].column), groups[entry[1].group][0].rank))
        for at, entry in zip(slots, placed):  # the groups at one place in the standards' order too
            order[at] = entry
        for kind, item in order:
            if kind == "one":
                self._line(console, item, f"{item.rule} {visible(item.message)}", indent=2, where=where)
                continue
            members = groups[item.group]
            self._title(console, item, f"{item.rule} {visible(item.group)} ({len(members)})")
            for member in members:
                self._line(console, member, visible(member.short or member.message), indent=4, where=where, level=False)
            if item.hint:
                self._hint(console, visible(item.hint.replace("{file}", shlex.quote(path))))
        if all(item.rule in BLOCKING_RULE_IDS for item in findings):  # the file was not read or validated: no rule of the standards ran
            console.print(Text("  the standards' rules (duties, reports, plan) run once these are fixed", style="dim"))
        console.print()

    def _title(self, console, item: Finding, title: str) -> None:
        """A group's `level title` two spaces in, folded at spaces under a hanging indent."""
        from rich.text import Text

        from tacli.core.wrap import fit

        level = item.level.value
        for number, row in enumerate(fit(f"  {level} {title}", console.width, "    ")):
            shown = Text()
            if number == 0:
                shown.append("  ")
                shown.append(level, style=self.STYLES[item.level])
                row = row[2 + len(level):]
            shown.append(row)
            console.print(shown, soft_wrap=True)

    def _hint(self, console, hint: str) -> None:
        """What to do about a group, folded under it, and its command (after
        ": tacli ") on a line of its own, kept whole to copy (core.wrap.command)."""
        from rich.text import Text

        from tacli.core.wrap import command, fit

        advice, _, rest = hint.partition(": tacli ")
        for row in fit("    " + advice + (":" if rest else ""), console.width, "    "):
            console.print(Text(row, style="dim"), soft_wrap=True)
        if rest:
            console.print(Text(command("tacli " + rest, console.width, "      ")), soft_wrap=True)

    def _line(self, console, item: Finding, text: str, indent: int, where: int, level: bool = True) -> None:
        """`line:col  [level]  text` in aligned columns, wrapped under its text."""
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=indent - 1)
        grid.add_column(no_wrap=True, style="dim", width=where)
        if level:
            grid.add_column(no_wrap=True, width=len("warning"))
        grid.add_column(overflow="fold")
        cells = [Text(""), Text(f"{item.line}:{item.column}")]
        if level:
            cells.append(Text(item.level.value, style=self.STYLES[item.level]))
        cells.append(Text(text))
        grid.add_row(*cells)
        console.print(grid)

    def _summary(self, console, run: CheckRun) -> None:
        from rich.table import Table
        from rich.text import Text

        from tacli.core.textformat import summary_line, visible

        findings = run.result.findings
        counts = run.counts()
        table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
        table.add_column(style="bold")
        table.add_column(justify="right")
        table.add_column()
        files = run.by_file()
        table.add_row("files", str(len(run.result.checked)), f"{len(files)} with findings" if files else "")
        for level in Level:
            if level is Level.INFO and not counts[level]:
                continue
            table.add_row(f"{level.value}s", Text(str(counts[level]), style=self.STYLES[level] if counts[level] else ""), "")
        console.print(table)
        erring = sorted(((sum(1 for item in items if item.level is Level.ERROR), path) for path, items in files.items()), key=lambda pair: (-pair[0], pair[1]))
        erring = [(count, path) for count, path in erring if count][: self.MOST]
        if len(files) > 1 and erring:
            console.print(Text("most errors", style="bold"))
            for count, path in erring:
                console.print(Text(f"  {count:>4}  {visible(path)}"))
        console.print(Text(summary_line(findings, len(run.result.checked), len(run.result.skipped)), style="bold"))


CHECK_FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in (TextFormat(), JsonFormat(), SarifFormat(), GithubFormat(), JunitFormat())}
TERMINAL = TerminalFormat()


def choose_format(name: Optional[str], to_file: bool = False, terminal: bool = False) -> Format:
    """The format asked for; by default text, or GitHub annotations in a GitHub
    workflow when writing to standard output. Text for a terminal is in colour."""
    if name is None:
        if os.environ.get("GITHUB_ACTIONS") == "true" and not to_file:
            return CHECK_FORMATS["github"]
        if terminal and not to_file:
            return TERMINAL  # a person reads it; `--format text` keeps the lines for machines
        name = "text"
    if name not in CHECK_FORMATS:
        from tacli.core.outcome import UsageError
        from tacli.core.suggest import did_you_mean

        hint = did_you_mean(name, CHECK_FORMATS) or f" use one of {', '.join(CHECK_FORMATS)}."
        raise UsageError(f"unknown format '{name}':{hint}")
    return CHECK_FORMATS[name]
