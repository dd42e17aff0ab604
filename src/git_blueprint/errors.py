"""The one exception root, each error with its exit code, and the one boundary that turns
what an entry point raises into a line and an exit code (:func:`run_guarded`): the CLI,
the hooks and the git drivers all run inside it.

Standard library only: every room imports this module.
"""

from __future__ import annotations

import contextlib
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO


class BlueprintError(Exception):
    """A failure to report as one line on stderr, ending the command with ``exit_code``."""

    exit_code = 2


class UsageError(BlueprintError):
    """The user's input or environment is wrong: bad arguments, unknown id, bad config."""

    exit_code = 2


class DocumentError(BlueprintError):
    """A blueprint cannot be read: not UTF-8, binary, too large, not a regular file."""

    exit_code = 2


class ConfigError(BlueprintError):
    """``.blueprint.yaml`` is not valid; the message names the file and line."""

    exit_code = 2


class GitError(BlueprintError):
    """git refused or failed; the message carries git's own first line of complaint."""

    exit_code = 2


class NotARepository(UsageError):
    """The command needs a git repository and there is none here."""


class ForgeError(BlueprintError):
    """A forge's web API (GitHub, GitLab) could not be reached, or refused a request; the
    message says what the token or the job lacks."""

    exit_code = 2


class Interrupted(BlueprintError):
    """A signal stopped the command after part of it had landed; the message says what."""

    exit_code = 130


class CheckFailed(BlueprintError):
    """A check found problems that it has already reported (check, verify, a hook)."""

    exit_code = 1

    def __init__(self, message: str = "") -> None:
        super().__init__(message)


# --- the one error boundary ---------------------------------------------------------------

PROG = "git-blueprint"


def say(message: str, stream: TextIO | None = None) -> None:
    """One line for the user, ``git-blueprint: MESSAGE``, on stderr unless told otherwise."""
    (stream or sys.stderr).write(f"{PROG}: {message}\n")


def _raise_interrupt(signum: int, frame: object) -> None:
    import signal

    raise KeyboardInterrupt(signal.Signals(signum).name)


def interrupt_on_termination() -> None:
    """Let SIGTERM and SIGHUP unwind like Ctrl-C, so cleanup code runs for them too."""
    import signal

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_interrupt)


_FINISHED = [False]  # whether the running command has done its work and reported it


def finished() -> None:
    """The command's work is done and reported (a transaction that committed, its report
    printed): a signal from now on changes nothing — the boundary exits 0, not 130."""
    _FINISHED[0] = True


def _settle() -> None:
    """The process has said how its command ended: signals are ignored until it exits
    (while Python shuts down, SIGTERM would kill it and turn a success into exit 143)."""
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)


def _quiet_stdout() -> None:
    # The reader went away (`bp list | head`, a pager closed): the interpreter's final
    # flush must not complain either.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def run_guarded(
    body: Callable[[], int | None],
    *,
    label: str,
    debug: bool = False,
    rerun: str = "with GIT_BLUEPRINT_DEBUG=1",
    stream: TextIO | None = None,
    always: int | None = None,
    settle: bool = False,
) -> int:
    """Run an entry point — a command, a hook, a driver — and turn whatever it raises into
    one line ``git-blueprint: LABEL: …`` and an exit code (SPEC §5): a
    :class:`BlueprintError` its own code, Ctrl-C, SIGTERM and SIGHUP 130, a reader that
    went away 0, anything else 3, "a bug", with how to get the traceback (``rerun``).

    ``debug`` (or ``GIT_BLUEPRINT_DEBUG`` set) shows tracebacks. ``stream`` is where the
    line goes (stderr by default; a diff driver's own output is where git shows it).
    ``always`` is the exit code whatever happens, for a driver whose failure would stop
    git itself. ``settle``: the process ends after this (an entry point): from the moment
    the command is done, signals are ignored."""
    debug = debug or bool(os.environ.get("GIT_BLUEPRINT_DEBUG"))
    _FINISHED[0] = False
    code: int
    try:
        interrupt_on_termination()  # inside: a signal while it is being set is reported too
        code = int(body() or 0)
    except BlueprintError as exc:
        if debug:
            _print_traceback(stream)
        if str(exc):
            say(f"{label}: {exc}", stream)
        code = exc.exit_code or 1
    except KeyboardInterrupt:
        if _FINISHED[0]:
            code = 0  # done and reported before the signal came
        else:
            out = stream or sys.stderr
            if out.isatty():  # after the ^C the terminal echoed
                out.write("\n")
            say(f"{label}: interrupted", stream)
            code = 130
    except BrokenPipeError:
        _quiet_stdout()
        code = 0
    except Exception as exc:
        if debug:
            _print_traceback(stream)
        say(
            f"{label}: internal error: {type(exc).__name__}: {exc} — this is a bug; please "
            f"report it with the output of the same command run {rerun}",
            stream,
        )
        code = 3
    if settle:
        _settle()
    return code if always is None else always


def _print_traceback(stream: TextIO | None) -> None:
    import traceback

    (stream or sys.stderr).write(traceback.format_exc())
