"""`tacli init [DIR]`: a folder of a center's own for its engagements, outside
tacli's code, ready for editors, git, pre-commit and CI.

It writes tacli.toml, engagements/ (with a README, so that git keeps it), the
editor schema, .gitignore, the pre-commit configuration and the CI pipelines
(write.project), and makes the folder a git repository when git is installed
and the folder is not in one already. What is already there is kept, never
replaced: a second run writes nothing and says so.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from tacli.core.outcome import EXIT_CLEAN, EXIT_USAGE, Outcome, UsageError
from tacli.core.textformat import visible

URL_FORM = re.compile(r"(?:https?|ssh|git|file)://[^\s\"'#\\]+")
REV_FORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/+-]*")
GIT_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class InitOptions:
    folder: str = "."
    me: Optional[str] = None  # written as `me` in tacli.toml
    ci: str = "both"  # both, github, gitlab or none
    tacli_url: Optional[str] = None  # where CI and pre-commit install tacli from (default: where this tacli came from, if known)
    tacli_rev: Optional[str] = None  # the tag or commit they pin
    git: bool = True  # git init, when git is installed and the folder is in no repository
    standards: Optional[str] = None  # the project's own standards folder: written in tacli.toml, and the schema's


def run(options: InitOptions) -> Outcome:
    from tacli.commands.config import load_config, schema_file, standards_setting
    from tacli.core.findings import FindingsError
    from tacli.core.paths import real_path, shown_path
    from tacli.io.configfile import find_config
    from tacli.standards.schema import schema_text
    from tacli.standards.spec import load_spec
    from tacli.write.project import CI_CHOICES, CONFIG_FILE, FAILED, GITHUB, GITLAB, THERE, WRITTEN, create, project_files, settings_text

    me = _name(options.me)
    if options.ci not in CI_CHOICES:
        raise UsageError(f"--ci {options.ci!r}: use one of {', '.join(CI_CHOICES)}")
    ci = {"both": (GITHUB, GITLAB), "none": ()}.get(options.ci, (options.ci,))
    source = tacli_source(options.tacli_url, options.tacli_rev)
    folder = Path(os.path.abspath(options.folder))
    shown = visible(shown_path(folder))
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{shown} is a file, not a folder: give a folder for the engagements (tacli init makes it when it does not exist)")
    code = tacli_code(folder)
    if code is not None:
        raise UsageError(f"{shown} is inside tacli's own code ({visible(str(code))}): keep your engagements in a folder of your own, e.g. tacli init ~/ta-work")

    # A folder inside a project (where it really is: a link is followed) is the project's
    # already; the folder's own configuration, if it has one, is kept and says where things go.
    folder = real_path(folder)
    try:
        own = find_config(folder)
    except FindingsError:
        if (folder / "pyproject.toml").is_file():
            raise  # the folder's own: it stops init, before anything is written
        own = None  # a broken pyproject.toml above: no project that tacli can use
    if own is not None and own.parent != folder:
        _refuse_a_project_inside(own, shown)
    own = own if folder.is_dir() else None
    config = load_config(folder, explicit=own, environ={}) if own is not None else None
    standards_folder, _ = standards_setting(options.standards, config or _no_config(folder))
    spec = load_spec(standards_folder, options.standards or str(standards_folder))

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the folder {shown}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write in {shown}: permission denied")

    notes: list[str] = []
    standards = _relative(options.standards, folder) if options.standards else None
    if standards is not None and not _inside(standards):
        notes.append(f"the standards folder {visible(options.standards)} is outside {shown}: CI and pre-commit see only what is in the repository, so copy it in and change `standards` in tacli.toml")
    settings = settings_text(me, standards)
    engagements, schema = folder / "engagements", folder / "engagement.schema.json"
    if own is not None:  # kept as it is (a tacli.toml is said to be kept, below)
        engagements, schema = config.engagements or engagements, schema_file(config)
        given = [option for option, differs in (("--me", me is not None and me != config.me),
                                                ("--standards", options.standards is not None and Path(os.path.abspath(options.standards)) != config.standards)) if differs]
        if own.name != CONFIG_FILE:
            settings = None
            notes.append(f"kept {visible(shown_path(own))}: its [tool.tacli] table is the configuration, so no {CONFIG_FILE} is written")
        if given:
            notes.append(f"{visible(shown_path(own))} is kept as it is: {' and '.join(given)} not written into it")
    inside = {}
    for what, path in (("engagements folder", engagements), ("schema file", schema)):
        relative = _relative(path, folder)
        if _inside(relative):
            inside[what] = relative
        else:
            notes.append(f"the {what} of {visible(shown_path(own))} is outside {shown}: tacli init writes only inside it")
    files = project_files(
        settings, inside.get("engagements folder"),
        (inside["schema file"], schema_text(spec)) if "schema file" in inside else None,
        ci, source,
    )
    placed = create(folder, files)
    git = _git(folder, shown) if options.git else None

    written = [item for item in placed if item.state == WRITTEN]
    failed = [item for item in placed if item.state == FAILED]
    if all(item.state == THERE for item in placed) and (git is None or not git.made):
        lines = [f"{shown} is already set up: every file tacli init writes is there, and nothing was written."]
        return Outcome(EXIT_CLEAN, "\n".join(lines + notes) + "\n")

    def path_of(item) -> str:
        return visible(shown_path(folder / item.file.path))

    width = max((len(path_of(item)) for item in written), default=0)
    lines = []
    for item in placed:
        if item.state == WRITTEN:
            lines.append(f"wrote {path_of(item):<{width}}  {item.file.about}")
        elif item.state == THERE:
            lines.append(f"kept {path_of(item)}: already there")
        elif item.state == FAILED:
            lines.append(f"could not write {path_of(item)}: {visible(item.reason)}")
        else:
            lines.append(f"skipped {path_of(item)}: {visible(item.reason)}")
    if git is not None:
        lines.append(git.line)
    lines += notes
    if written:
        lines += _next_steps(folder, shown, git, [item.file.path for item in written], source)
    if failed:
        problem = f"{len(failed)} file{'s' if len(failed) > 1 else ''} could not be written (above): the others are in place; run tacli init again once the cause is fixed"
        return Outcome(EXIT_USAGE, "\n".join(lines) + "\n", notes=[f"tacli: error: {problem}"])
    return Outcome(EXIT_CLEAN, "\n".join(lines) + "\n")


def _refuse_a_project_inside(config: Path, shown: str) -> None:
    """A UsageError: `shown` lies inside the project that `config` sets up. A
    second project there would take over every command run in it: its empty
    engagements folder checked instead of the files beside it ("no problems")."""
    from tacli.core.paths import shown_path

    project = visible(shown_path(config.parent))
    project = "the current folder" if project == "." else project
    raise UsageError(f"{shown} is inside the tacli project that {visible(shown_path(config))} sets up: tacli commands already work anywhere in {project}, "
                     f"so there is nothing to set up here; to start a separate project, run tacli init with a folder outside {project}")


def _no_config(folder: Path):
    from tacli.commands.config import Config

    return Config(folder=folder)


def _name(me: Optional[str]) -> Optional[str]:
    if me is None:
        return None
    if not me.strip():
        raise UsageError("--me: give your name as the engagement files write it, e.g. --me 'Dana Ruiz'")
    if any(ord(character) < 32 or ord(character) == 127 for character in me):
        raise UsageError(f"--me {visible(me)!r}: a name is one line of text, without control characters")
    return me


def tacli_source(url: Optional[str], rev: Optional[str]):
    """Where CI and pre-commit install tacli from: --tacli-url and --tacli-rev; else
    the git repository and commit this tacli was installed from, when pip recorded
    one that CI can reach; else the placeholders, to fill in."""
    from tacli import __version__
    from tacli.write.project import SOURCE_PLACEHOLDER, Source

    if rev is not None and not REV_FORM.fullmatch(rev):
        raise UsageError(f"--tacli-rev {visible(rev)!r}: give a tag or a commit of tacli's repository, e.g. v{__version__}")
    if url is None:
        installed = installed_source()
        if installed is not None:
            return Source(installed[0], rev or installed[1])
        return Source(SOURCE_PLACEHOLDER, rev or f"v{__version__}")
    url = url[len("git+"):] if url.startswith("git+") else url
    if not URL_FORM.fullmatch(url):
        raise UsageError(f"--tacli-url {visible(url)!r}: give the address of your center's tacli git repository, as https://host/group/tacli.git (and its tag with --tacli-rev)")
    return Source(url, rev or f"v{__version__}")


def installed_source() -> Optional[tuple[str, str]]:
    """The git repository and commit this tacli was installed from (pip's direct_url.json), when CI can reach it."""
    try:
        from importlib.metadata import distribution

        text = distribution("tacli").read_text("direct_url.json")
    except Exception:  # noqa: BLE001 - not installed by pip, or metadata unreadable: nothing to go by
        return None
    return source_from_direct_url(text) if text else None


def source_from_direct_url(text: str) -> Optional[tuple[str, str]]:
    """(url, commit) from the text of a direct_url.json (PEP 610) of a git install
    over https or ssh; None for any other install (a local folder or clone)."""
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("vcs_info"), dict) or not isinstance(data.get("url"), str):
        return None
    url, vcs = data["url"], data["vcs_info"]
    commit = vcs.get("commit_id")
    if vcs.get("vcs") != "git" or not isinstance(commit, str) or not REV_FORM.fullmatch(commit):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("https", "ssh") or parts.password or not URL_FORM.fullmatch(url):
        return None
    return url, commit


def tacli_code(folder: Path) -> Optional[Path]:
    """The folder of tacli's own code (its hooks manifest and package) that `folder` lies in, if any."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".pre-commit-hooks.yaml").is_file() and (candidate / "src" / "tacli" / "__init__.py").is_file():
            return candidate
    return None


def _relative(path, folder: Path) -> Optional[str]:
    """`path` relative to `folder`, with /; absolute on another drive."""
    absolute = os.path.abspath(path)
    try:
        return Path(os.path.relpath(absolute, folder)).as_posix()
    except ValueError:
        return Path(absolute).as_posix()


def _inside(relative: str) -> bool:
    """Whether a path relative to a folder (from _relative) lies in it."""
    return not (relative == ".." or relative.startswith("../") or Path(relative).is_absolute())


@dataclass(frozen=True)
class GitResult:
    line: str
    made: bool = False  # a new repository
    repository: bool = False  # the folder is in a repository now


def _git(folder: Path, shown: str) -> GitResult:
    """git init in `folder`, unless it is in a repository already or git is missing."""
    git = shutil.which("git")
    if git is None:
        return GitResult(f"git is not installed: {shown} is not a git repository yet (install git, then run `git init` in it)")
    environment = {key: value for key, value in os.environ.items() if key not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    environment["LC_ALL"] = "C"  # git's own words, to read them
    try:
        top = subprocess.run([git, "rev-parse", "--show-toplevel"], cwd=folder, env=environment, capture_output=True, text=True, timeout=GIT_TIMEOUT_SECONDS)
        if top.returncode == 0:
            return GitResult(f"{shown} is in the git repository {visible(top.stdout.strip())}: no new repository made", repository=True)
        if "not a git repository" not in top.stderr:
            return GitResult(f"git cannot tell whether {shown} is in a repository, so none was made: {visible(_first_line(top.stderr))}")
        made = subprocess.run([git, "init", "--quiet"], cwd=folder, env=environment, capture_output=True, text=True, timeout=GIT_TIMEOUT_SECONDS)
    except (OSError, subprocess.SubprocessError) as exc:
        return GitResult(f"git did not run, so {shown} is not a git repository yet: {visible(str(exc))}")
    if made.returncode != 0:
        return GitResult(f"git init failed, so {shown} is not a git repository yet: {visible(_first_line(made.stderr))}")
    return GitResult(f"made {shown} a git repository (git init)", made=True, repository=True)


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "no message")


def _next_steps(folder: Path, shown: str, git: Optional[GitResult], written: list[str], source) -> list[str]:
    from tacli.write.project import CI_FILES, PRE_COMMIT_FILE

    steps = []
    if folder != Path(os.path.abspath(Path.cwd())):
        steps.append((f"cd {shlex.quote(shown)}", ""))
    steps += [
        ("tacli new engagement", "start an engagement: in a terminal it asks for its title, recipient and the rest"),
        ("tacli due", "what is overdue and what falls due this week"),
        ("tacli report", "write the reports (CI checks that they are current)"),
    ]
    if git is not None and git.repository:
        steps.append(('git add . && git commit -m "Our engagements"', ""))
    if PRE_COMMIT_FILE in written and not source.placeholder:
        steps.append(("pre-commit install", "run tacli's checks before each commit (needs pre-commit)"))
    from tacli.core.wrap import fit

    width = max(len(command) for command, about in steps if about)
    lines = ["", "Next:"]
    for command, about in steps:  # what each does folded under its own column; the command whole
        lines += fit(f"  {command:<{width}}  {about}".rstrip(), 79, " " * (width + 4), keep=(command,))
    pipelines = [path for path in written if path == PRE_COMMIT_FILE or path in CI_FILES.values()]
    if pipelines and source.placeholder:
        lines += [""] + fit(
            f"Before CI and pre-commit can run: in {_listed(pipelines)}, replace {source.url} with the address"
            " of your center's tacli repository (tacli's docs/ci.md says how to pin it).", 79, "")
    return lines


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
