"""The core of each command: options in, an Outcome out.

The command line (tacli.cli.app) parses arguments into an options object and
calls one function here; these functions wire the pipeline, the checks, the
reports and the edits together, and know nothing of the terminal. Every
command that reads the configuration shares a Session: the configuration,
the standards and the day to work as of.
"""

from __future__ import annotations

import os
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
    no_cache: bool = False  # --no-cache: read every file, keep nothing (TACLI_NO_CACHE does the same)


class Session:
    """What a command starts from, each part loaded when first asked for."""

    def __init__(self, options: CommonOptions = CommonOptions()):
        self.options = options

    @cached_property
    def config(self):
        """The configuration (commands.config), kept in tacli's cache under its file's bytes."""
        from tacli.commands.config import load_config

        return load_config(explicit=Path(self.options.config) if self.options.config else None, cache=self.cache)

    @cached_property
    def standards_folder(self) -> tuple[Path, str]:
        """The standards folder, and how to name it: --standards, else TACLI_STANDARDS,
        else `standards` of the configuration, else the shipped ones."""
        from tacli.commands.config import standards_setting
        from tacli.core.paths import shown_path

        folder, source = standards_setting(self.options.standards, self.config)
        from_file = self.config.standards is not None and source == self.config.source("standards")
        return folder, shown_path(folder, project=self.config.folder) if from_file else str(folder)

    @cached_property
    def spec(self):
        """The standards (standards_folder). Raises SpecError with every problem."""
        from tacli.standards.spec import load_spec

        return load_spec(*self.standards_folder)

    @cached_property
    def cache(self):
        """tacli's cache (tacli.io.cache), off with --no-cache or TACLI_NO_CACHE."""
        from tacli.io.cache import open_cache

        return open_cache(self.options.no_cache)

    @cached_property
    def cache_context(self) -> Optional[bytes]:
        """The part of every cache key that is not the file: tacli's code and the
        standards' files (None: the cache is off, or the standards cannot be read whole)."""
        if not self.cache.enabled:
            return None
        from tacli.io.cache import context_digest

        return context_digest(self.standards_folder[0])

    def checker(self, rules=None, today: Optional[date] = None):
        """A Checker of these standards as of today, through the cache; the
        standards are loaded only if a file is not in the cache."""
        from tacli.checking.checker import Checker

        context = self.cache_context
        return Checker(lambda: self.spec, today or self.today, rules, self.cache if context is not None else None, context)

    def cache_notes(self) -> list[str]:
        """What went wrong with the cache in this run (shown with --verbose)."""
        return list(self.cache.notes) if "cache" in self.__dict__ else []

    def with_cache_notes(self, outcome, verbose: bool):
        """`outcome` with, under --verbose, what went wrong with tacli's cache
        (ignored and made anew, or not used): the commands that have --verbose
        show them; `tacli cache info` says the same of the cache as it is."""
        from dataclasses import replace

        notes = self.cache_notes() if verbose else []
        return replace(outcome, notes=list(outcome.notes) + notes) if notes else outcome

    @cached_property
    def today(self) -> date:
        """--today (or TACLI_TODAY), else the real day. An empty one is refused,
        asked for only by the commands that work as of a day: an unset variable
        in CI must not make a run depend on the day it ran."""
        if self.options.today is None and os.environ.get("TACLI_TODAY") == "":
            raise UsageError("TACLI_TODAY is empty: set it to YYYY-MM-DD, or unset it to work as of today")
        return parse_date(self.options.today, self.options.today_name) if self.options.today is not None else date.today()

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

    def roster(self, given: Optional[str]):
        """The roster of the service area (reading.roster.Roster): --roster, else
        `roster` of the configuration, else None. Raises RosterError with every
        problem in it, once asked for."""
        if given is None and self.config.roster is None:
            return None
        from tacli.core.paths import shown_path
        from tacli.reading.roster import load_roster  # its model: imported only when there is a roster

        if given is not None:
            return load_roster(Path(given), given)
        return load_roster(self.config.roster, shown_path(self.config.roster, project=self.config.folder))

    def reports_folder(self, given: Optional[str]) -> Optional[str]:
        """--out-dir, else `reports` of the configuration."""
        from tacli.core.paths import shown_path

        if given is None and self.config.reports is not None:
            return shown_path(self.config.reports, project=self.config.folder)
        return given
