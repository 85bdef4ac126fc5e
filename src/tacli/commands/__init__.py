"""The core of each command: options in, an Outcome out.

The command line (tacli.cli.app) parses arguments into an options object and
calls one function here; these functions wire the pipeline, the checks, the
reports and the edits together, and know nothing of the terminal. Every
command that reads the configuration shares a Session: the configuration,
the standards and the day to work as of.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Callable, ContextManager, Optional

from tacli.core.dates import parse_date
from tacli.core.outcome import UsageError


def no_progress(total: int, label: str, enabled: bool = True) -> ContextManager[Callable[[], None]]:
    """A progress reporter that shows nothing: `done()` once per item, and no bar."""
    return nullcontext(lambda: None)


@dataclass(frozen=True)
class CommonOptions:
    """--config, --standards and --today, as given (None when not given)."""

    config: Optional[str] = None
    standards: Optional[str] = None
    today: Optional[str] = None
    # How a long run shows its progress: bar(total, label, enabled) -> a context
    # giving done(); the terminal's bar (tacli.cli.progress) when a person runs tacli.
    progress: Callable[..., ContextManager[Callable[[], None]]] = no_progress
    today_name: str = "--today"  # where `today` came from, for its messages: TACLI_TODAY when the variable gave it


class Session:
    """What a command starts from, each part loaded when first asked for."""

    def __init__(self, options: CommonOptions = CommonOptions()):
        self.options = options

    @cached_property
    def config(self):
        from tacli.commands.config import load_config

        return load_config(explicit=Path(self.options.config) if self.options.config else None)

    @cached_property
    def spec(self):
        """The standards: --standards, else TACLI_STANDARDS, else `standards` of the
        configuration, else the shipped ones. Raises SpecError with every problem."""
        from tacli.commands.config import standards_setting
        from tacli.core.paths import shown_path
        from tacli.standards.spec import load_spec

        folder, source = standards_setting(self.options.standards, self.config)
        from_file = self.config.standards is not None and source == self.config.source("standards")
        shown = shown_path(folder, project=self.config.folder) if from_file else str(folder)
        return load_spec(folder, shown)

    @cached_property
    def today(self) -> date:
        return parse_date(self.options.today, self.options.today_name, "not a date") if self.options.today else date.today()

    def engagement_paths(self, paths: Optional[list[str]]) -> list[str]:
        """The paths given, else the configured engagements folder, else the current folder."""
        from tacli.core.paths import shown_path

        if paths:
            return list(paths)
        config = self.config
        if config.engagements is None:
            return ["."]
        shown = shown_path(config.engagements, project=config.folder)
        if not config.engagements.is_dir():
            raise UsageError(f"the engagements folder {shown} ({config.source('engagements')}) does not exist")
        return [shown]

    def engagement_targets(self, paths: Optional[list[str]], skip_other_yaml: bool = False) -> list:
        """The files to read (reading.pipeline.find_targets) under the paths given, else
        the configured engagements folder, which may hold none yet (a new center's)."""
        from tacli.reading.pipeline import find_targets

        return find_targets(self.engagement_paths(paths), skip_other_yaml, empty_ok=not paths and self.config.engagements is not None)

    def nothing_yet(self, paths: Optional[list[str]], found: int) -> list[str]:
        """The note for a configured engagements folder that holds no engagement yet."""
        if paths or self.config.engagements is None or found:
            return []
        return [f"tacli: {self.engagement_paths(paths)[0]} holds no engagement file yet: `tacli new engagement TITLE` starts one"]

    def reports_folder(self, given: Optional[str]) -> Optional[str]:
        """--out-dir, else `reports` of the configuration."""
        from tacli.core.paths import shown_path

        if given is None and self.config.reports is not None:
            return shown_path(self.config.reports, project=self.config.folder)
        return given
