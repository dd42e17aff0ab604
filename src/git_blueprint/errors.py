"""The one exception root. Each error carries its exit code; the CLI prints it once."""

from __future__ import annotations


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


class CheckFailed(BlueprintError):
    """A check found problems that it has already reported (check, verify, a hook)."""

    exit_code = 1

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
