"""`tacli new engagement`: write a new engagement file from the standards."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from tacli.commands import CommonOptions, Session
from tacli.core.outcome import EXIT_CLEAN, Outcome, UsageError
from tacli.write.scaffold import EngagementRequest
from tacli.core.textformat import visible


@dataclass(frozen=True)
class NewEngagementOptions:
    common: CommonOptions = field(default_factory=CommonOptions)
    request: EngagementRequest = field(default_factory=EngagementRequest)
    folder: Optional[str] = None
    output: Optional[str] = None
    force: bool = False
    dry_run: bool = False  # every check, nothing written (a form checks as the user types)


def engagement_target(config, options: NewEngagementOptions, engagement_id: str) -> Path:
    """The file a new engagement with the id `engagement_id` is written to
    (--output, else the id's): refused when it would lie outside its folder,
    or exists (without --force)."""
    from tacli.core.paths import real_path, shown_path

    folder = options.folder
    if folder is None:
        folder = shown_path(config.engagements, project=config.folder) if config.engagements else "engagements"
    target_folder = Path(folder)
    if target_folder.is_symlink() and not target_folder.exists():
        raise UsageError(f"--dir {folder} is a symbolic link that leads nowhere (a loop of links, or a target that is gone): give a folder")
    if target_folder.exists() and not target_folder.is_dir():
        raise UsageError(f"--dir {folder} is a file, not a folder: give a folder to write the engagement in")
    name = options.output or f"{engagement_id}.yaml"
    if options.output is not None and not (options.output.endswith((".yaml", ".yml")) and not Path(options.output).name.startswith(".")):  # as a folder search finds them: lower case
        raise UsageError(f"--output '{options.output}' is not named like an engagement file: give a name ending in .yaml or .yml, in lower case (a folder search finds engagements by it)")
    target = target_folder / name
    root = real_path(target_folder)
    if Path(name).is_absolute() or not (real_path(target).parent == root or root in real_path(target).parents):
        raise UsageError(f"--output '{name}' would write outside {folder}: give a file name inside it")
    if target.exists() and not options.force:
        raise UsageError(f"{target} already exists: choose another title, --id or --output, or overwrite it with --force")
    return target


def engagement_with_id(engagement_id: str, folders: list, replaced: Optional[Path] = None) -> Optional[str]:
    """An engagement file under `folders` whose top-level `id` is `engagement_id`,
    or None: found by its `id:` line, without reading the files whole.
    `replaced`: the file --force writes over, whose id goes with it."""
    from tacli.core.paths import shown_path
    from tacli.io.userfiles import MAX_FILE_BYTES
    from tacli.reading.pipeline import TACLI_LINE, find_targets

    wanted = re.compile(rb"(?m)^id[ \t]*:[ \t]*([\"']?)" + re.escape(engagement_id.encode()) + rb"\1[ \t]*(?:#.*)?\r?$")
    folders = [str(folder) for folder in dict.fromkeys(folders) if folder is not None and Path(folder).is_dir()]
    replaced_at = os.path.realpath(replaced) if replaced is not None else None
    for target in find_targets(folders, empty_ok=True) if folders else []:
        if target.problem is not None or os.path.realpath(target.path) == replaced_at:
            continue
        try:
            with open(target.path, "rb") as handle:
                text = handle.read(MAX_FILE_BYTES)
            if wanted.search(text) and TACLI_LINE.search(text):
                return shown_path(target.path)
        except OSError:
            continue
    return None


def id_taken(config, options: NewEngagementOptions, engagement_id: str, target: Path) -> Optional[str]:
    """The engagement file of the project (its engagements folder, and the folder
    written to) that has `engagement_id` already, other than the one --force
    replaces; None when there is none."""
    return engagement_with_id(engagement_id, [config.engagements or Path("engagements"), target.parent], target if options.force else None)


def run(options: NewEngagementOptions) -> Outcome:
    from tacli.checking.checker import Checker
    from tacli.commands.config import schema_file
    from tacli.core.paths import schema_reference, shown_path
    from tacli.write.scaffold import engagement_answers, engagement_text
    from tacli.io.yamlsource import load_bytes

    session = Session(options.common)
    today = session.today
    config = session.config
    spec = session.spec
    answers = engagement_answers(spec, options.request, today)
    target = engagement_target(config, options, answers.id)
    other = id_taken(config, options, answers.id, target)
    if other is not None:
        how = "another with --id" if options.request.id else "another title, or an id with --id"
        raise UsageError(f"the id '{answers.id}' is already the id of {visible(other)}, and reports are filed under it: give the engagement {how}")
    schema_path = schema_file(config)
    answers.schema_url = schema_reference(target, schema_path)
    text = engagement_text(spec, answers)
    scaffold = Checker(spec, today).read_document(load_bytes(text.encode("utf-8"), str(target)))
    if not scaffold.usable:
        raise RuntimeError(f"the scaffold is not a valid engagement: {scaffold.findings[0].message}")
    from tacli.io.writer import write_text

    if options.dry_run:
        return Outcome(EXIT_CLEAN, f"would write {visible(str(target))}\n")
    try:
        write_text(text, target)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    notes = []
    if not schema_path.exists():
        notes.append(f"note: editors validate it against {answers.schema_url}, which does not exist yet: write it with `tacli schema -o {shown_path(schema_path)}`")
    shown = visible(str(target))
    return Outcome(EXIT_CLEAN, f"wrote {shown}\nnext: tacli check {shown}\n", notes=notes)
