"""The core of each command: options in, an Outcome out.

The command line (tacli.cli) parses arguments into an options object and
calls one function here; these functions wire the pipeline, the checks, the
reports and the edits together, and know nothing of the terminal. Every
command that reads the configuration shares a Session: the configuration,
the standards and the day to work as of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Optional

from tacli.outcome import UsageError


@dataclass(frozen=True)
class CommonOptions:
    """--config, --standards and --today, as given (None when not given)."""

    config: Optional[str] = None
    standards: Optional[str] = None
    today: Optional[str] = None


class Session:
    """What a command starts from, each part loaded when first asked for."""

    def __init__(self, options: CommonOptions = CommonOptions()):
        self.options = options

    @cached_property
    def config(self):
        from tacli.config import load_config

        return load_config(explicit=Path(self.options.config) if self.options.config else None)

    @cached_property
    def spec(self):
        """The standards: --standards, else TACLI_STANDARDS, else `standards` of the
        configuration, else the shipped ones. Raises SpecError with every problem."""
        from tacli.config import standards_setting
        from tacli.paths import shown_path
        from tacli.spec import load_spec

        folder, source = standards_setting(self.options.standards, self.config)
        from_file = self.config.standards is not None and source == self.config.source("standards")
        shown = shown_path(folder, project=self.config.folder) if from_file else str(folder)
        return load_spec(folder, shown)

    @cached_property
    def today(self) -> date:
        return parse_date(self.options.today, "--today", "not a date") if self.options.today else date.today()

    def engagement_paths(self, paths: Optional[list[str]]) -> list[str]:
        """The paths given, else the configured engagements folder, else the current folder."""
        from tacli.paths import shown_path

        if paths:
            return list(paths)
        config = self.config
        if config.engagements is None:
            return ["."]
        shown = shown_path(config.engagements, project=config.folder)
        if not config.engagements.is_dir():
            raise UsageError(f"the engagements folder {shown} ({config.source('engagements')}) does not exist")
        return [shown]

    def reports_folder(self, given: Optional[str]) -> Optional[str]:
        """--out-dir, else `reports` of the configuration."""
        from tacli.paths import shown_path

        if given is None and self.config.reports is not None:
            return shown_path(self.config.reports, project=self.config.folder)
        return given


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_date(value: str, name: str, problem: str = "not a real date") -> date:
    """A YYYY-MM-DD option value, or a usage error that names the option."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{name} '{value}' is {problem}: write YYYY-MM-DD") from None


def parse_day(value: str, name: str, today: date) -> date:
    """A day as a person types it: YYYY-MM-DD, today, yesterday, tomorrow,
    "3 days ago", "in 2 days", "last tuesday", "next friday" (from `today`)."""
    import re
    from datetime import timedelta

    words = " ".join(value.lower().split())
    relative = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if words in relative:
        return today + timedelta(days=relative[words])
    match = re.fullmatch(r"(\d{1,4}) days? ago|in (\d{1,4}) days?", words)
    if match:
        return today + timedelta(days=-int(match.group(1)) if match.group(1) else int(match.group(2)))
    match = re.fullmatch(r"(last|next) (\w+)", words)
    if match and match.group(2) in WEEKDAYS:
        step = -1 if match.group(1) == "last" else 1
        day = today + timedelta(days=step)
        while day.weekday() != WEEKDAYS.index(match.group(2)):
            day += timedelta(days=step)
        return day
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{name} '{value}' is not a date: write YYYY-MM-DD, or today, yesterday, '3 days ago', 'last tuesday'") from None


def choice(value: str, allowed, label: str) -> str:
    """`value` as it is written in `allowed` (in any case: TARGETED is targeted),
    else a usage error with a suggestion."""
    from tacli.suggest import did_you_mean, known_list

    if value in allowed:
        return value
    folded = {name.casefold(): name for name in allowed}
    if value.casefold() in folded:
        return folded[value.casefold()]
    hint = did_you_mean(value, allowed) or f" known: {known_list(allowed, 12)}."
    raise UsageError(f"unknown {label} '{value}':{hint}")


def plural(count: int, noun: str, nouns: Optional[str] = None) -> str:
    """"1 file", "2 files"."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"
