"""The entry point of the `tacli` command: the typer app, and the last line of
defence that turns every exception into a one-line message and an exit code
(2 usage, 3 a bug in tacli; the traceback only when TACLI_DEBUG asks)."""

from __future__ import annotations

import atexit
import errno
import sys

from tacli.core.interrupt import listen, quiet_for_the_exit, quiet_from_now  # first: its last exit step then runs after those of all that is imported after it
from tacli.cli.app import app_for


def command() -> None:
    """The installed `tacli` (and `python -m tacli`): main, with Ctrl+C quiet
    from the moment the command ends. Set by main's exit hook only, the quiet
    handler came after Python had joined the threads (the worker pools'
    managers): a second Ctrl+C while they were joined killed tacli under its
    own "interrupted" message (exit -2, or a traceback). main alone leaves a
    program that calls it as it was."""
    main(quiet_at_the_end=True)


def main(quiet_at_the_end: bool = False) -> None:
    """Entry point: usage problems and unusable standards or configuration exit 2
    with their messages, each on one line; any other exception is a bug, exit 3,
    reported without a traceback unless TACLI_DEBUG or --traceback asks for it.
    With `quiet_at_the_end` (the installed command), Ctrl+C is quiet from the
    moment the command ends, handler to handler, with no moment between."""
    from tacli.core.collector import freeze_at_exit
    from tacli.io.writer import forget_written

    forget_written()
    freeze_at_exit()
    restore = listen()
    try:
        try:
            _run()
        except KeyboardInterrupt:  # a second Ctrl+C, while the first one's error was being reported
            _say_interrupted()
    finally:
        try:
            if quiet_at_the_end:
                restore(quiet_for_the_exit())
            else:
                restore()
            _ctrl_c_quiet_at_exit()
        except KeyboardInterrupt:  # a press in the moment the command ends: the exit code it gave stands
            pass


def _arguments_are_text(arguments: list[str]) -> None:
    """Refuse an argument that is not UTF-8 text (Python keeps its bytes as
    lone surrogates), unless it names a file that is there: typed in a
    terminal of another encoding, "é" would be written into a file as two
    meaningless escapes."""
    import os
    import re

    from tacli.core.outcome import UsageError

    for index, argument in enumerate(arguments):
        found = re.search("[\udc80-\udcff]+", argument)
        if not found:
            continue
        if argument.startswith("--") and "=" in argument:  # --out-dir=PATH
            value = argument.split("=", 1)[1]
        elif re.match(r"-[a-zA-Z].", argument):  # -oPATH
            value = argument[2:]
        else:
            value = argument
        if not os.path.lexists(value) and not os.path.lexists(argument):
            raw = "".join(f"\\x{ord(char) - 0xDC00:02x}" for char in found.group())
            before = arguments[index - 1] if index else ""
            shown = argument[:found.start()].split("=", 1)[0] if argument.startswith("--") else before if before.startswith("-") else ""
            where = f" in {shown}" if shown else ""
            raise UsageError(f"an argument{where} is not UTF-8 text (it holds the bytes {raw}): type it again in a terminal that writes UTF-8")


def _run() -> None:
    """The command, each way it can end turned into its message and exit code."""
    from tacli.core.findings import FindingsError
    from tacli.core.interrupt import pressed
    from tacli.core.outcome import EXIT_USAGE, UsageError
    from tacli.core.textformat import finding_line, visible
    from tacli.cli.terminal import Interrupted, error

    try:
        _arguments_are_text(sys.argv[1:])
        app_for(sys.argv[1:])(prog_name="tacli")
    except SystemExit as ended:
        if pressed() and ended.code != 130:  # Ctrl+C that something caught: the command went on, and may have ended on what it made of it
            _say_interrupted()
        raise
    except (KeyboardInterrupt, Interrupted):
        _say_interrupted()
    except UsageError as exc:
        if pressed():  # a library turned Ctrl+C into an error (pydantic-core: "should match pattern"): not the user's to fix
            _say_interrupted()
        for message in exc.messages:
            error(f"tacli: error: {visible(message)}")
        sys.exit(EXIT_USAGE)
    except FindingsError as exc:
        if pressed():
            _say_interrupted()
        for item in exc.findings:
            error(finding_line(item))
        error(f"tacli: error: {visible(exc.summary)}")
        sys.exit(EXIT_USAGE)
    except OSError as exc:
        if not _about_a_path_given(exc):
            _internal_error(exc)
        if pressed():
            _say_interrupted()
        from tacli.io.userfiles import explain

        if exc.filename is not None:
            error(f"tacli: error: {visible(str(exc.filename))}: {visible(explain(exc))}")
        else:  # a file of no name: a library's temporary one, as likely as the output
            import tempfile

            error(f"tacli: error: cannot write: {visible(exc.strerror or str(exc))}: free some space where the output goes, or in the temporary folder "
                  f"{visible(tempfile.gettempdir())} (TMPDIR names another)")
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        _internal_error(exc)


# What a path given can do that tacli cannot help: a name too long for the file
# system, a loop of links, a file where a folder should be, no permission, a
# read-only or full disk. Said as a usage error (exit 2) with the path, wherever
# in a command it was met, not as a bug in tacli.
_PATH_ERRNOS = frozenset({errno.ENAMETOOLONG, errno.ELOOP, errno.ENOTDIR, errno.EACCES, errno.EPERM, errno.EROFS})
# A full disk, or a file over the size the system allows: whatever file it was
# (a library's temporary one has no name to give).
_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _about_a_path_given(exc: OSError) -> bool:
    return exc.errno in _SPACE_ERRNOS or (exc.errno in _PATH_ERRNOS and exc.filename is not None)


def _internal_error(exc: BaseException) -> None:
    """A bug in tacli: said as one, exit 3."""
    from tacli.core.interrupt import pressed
    from tacli.core.outcome import EXIT_INTERNAL, debugging
    from tacli.core.textformat import visible
    from tacli.cli.terminal import error

    if _from_ctrl_c(exc) or pressed():  # Ctrl+C met where Python wraps it (a class being made, on an import that came late)
        _say_interrupted()
    if debugging():
        import traceback

        traceback.print_exc()
    hint = "" if debugging() else " TACLI_DEBUG=1 (or tacli --traceback) shows where it happened."
    error(
        f"tacli: internal error: {type(exc).__name__}: {visible(str(exc))}\n"
        f"This is a bug in tacli. Please report it with the command you ran and the file it read.{hint}"
    )
    sys.exit(EXIT_INTERNAL)


def _say_interrupted() -> None:
    from tacli.cli.terminal import error
    from tacli.core.interrupt import reporting

    reporting()
    error(f"\ntacli: {interrupted()}")
    sys.exit(130)


def _ctrl_c_quiet_at_exit() -> None:
    """Once the command has ended, its message printed and its files written,
    Ctrl+C during Python's exit steps (logging's, the cache's, the worker
    pool's) would print an ignored exception: the first is let pass, the
    exit code kept; a second stops the process at once (130), should a step
    hang. Set when the process exits, not now, and only over Python's own
    handler: a process started with Ctrl+C ignored, or a program that runs
    tacli inside it with a handler of its own, keeps it. Registered last, so
    that it runs first."""
    atexit.unregister(quiet_from_now)
    atexit.register(quiet_from_now)


def _from_ctrl_c(exc: BaseException) -> bool:
    """Whether `exc` was raised by, or while handling, a KeyboardInterrupt: Python
    3.11 wraps one raised in a class's making (a descriptor's __set_name__, as
    a dataclass's fields have) in a RuntimeError, so Ctrl+C during an import
    surfaced as a bug."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return False


def interrupted() -> str:
    """What Ctrl+C left: nothing written, or the files written, each whole (every
    write is atomic, and a set of reports or pages is put in place all or none)."""
    from tacli.core.textformat import plural, visible
    from tacli.io.writer import files_written, stdout_cut_short

    count, first = files_written()
    cut = " (standard output holds part of what was being written there)" if stdout_cut_short() else ""
    if not count:
        return f"interrupted: no file was written{cut}" if cut else "interrupted: nothing was written"
    names = ", ".join(visible(str(path)) for path in first) + (f" and {count - len(first)} more" if count > len(first) else "")
    return f"interrupted after writing {plural(count, 'file')}, each in full ({names}){cut}: run the command again to make sure all are current"
