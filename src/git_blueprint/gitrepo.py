"""The git layer: every git call goes through here, as an argument list, never a shell.

Standard library only: the hooks import this module.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from git_blueprint.errors import GitError, NotARepository, UsageError

_IDENT = re.compile(r"^(?P<name>.*?) <(?P<email>[^>]*)> (?P<ts>-?\d+) (?P<tz>[+-]\d{4})$")


def _complaint(stderr: bytes) -> str:
    """git's first meaningful line, without its ``fatal:``/``error:`` prefix."""
    for raw in stderr.decode("utf-8", "replace").splitlines():
        line = raw.strip()
        for prefix in ("fatal: ", "error: "):
            if line.startswith(prefix):
                return line[len(prefix) :]
        if line and not line.startswith(("hint:", "warning:")):
            return line
    return "git failed without a message"


def run_git(
    args: Sequence[str],
    cwd: Path | str | None = None,
    *,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git ARGS``; with ``check`` a failure raises :class:`GitError` with git's reason."""
    full_env = None
    if env is not None:
        full_env = dict(os.environ)
        full_env.update(env)
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=input,
            capture_output=True,
            env=full_env,
            check=False,
        )
    except FileNotFoundError as exc:
        raise UsageError("git is not installed or not on PATH") from exc
    if check and proc.returncode != 0:
        raise GitError(f"git {args[0]}: {_complaint(proc.stderr)}")
    return proc


def git_out(args: Sequence[str], cwd: Path | str | None = None) -> str:
    """stdout of a successful git call, decoded, without the final newline."""
    return run_git(args, cwd).stdout.decode("utf-8", "surrogateescape").rstrip("\n")


@dataclass(frozen=True, slots=True)
class Identity:
    name: str
    email: str
    timestamp: int
    tz_offset: str  # "+0100"

    @property
    def date(self) -> date:
        """The calendar date of the timestamp in the identity's own time zone."""
        sign = -1 if self.tz_offset.startswith("-") else 1
        minutes = sign * (int(self.tz_offset[1:3]) * 60 + int(self.tz_offset[3:5]))
        tz = timezone(timedelta(minutes=minutes))
        return datetime.fromtimestamp(self.timestamp, tz).date()


def parse_ident(raw: str) -> Identity:
    m = _IDENT.match(raw.strip())
    if not m:
        raise GitError(f"git gave an identity that cannot be read: {raw.strip()!r}")
    return Identity(m["name"], m["email"], int(m["ts"]), m["tz"])


@dataclass(frozen=True, slots=True)
class Repo:
    """A located repository: its work tree (None when bare) and its git folder."""

    root: Path | None
    git_dir: Path

    @property
    def work_tree(self) -> Path:
        if self.root is None:
            raise UsageError(f"{self.git_dir}: a bare repository has no work tree")
        return self.root

    def git(
        self, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        return run_git(args, self.root or self.git_dir, input=input, env=env)

    def out(self, *args: str) -> str:
        return git_out(args, self.root or self.git_dir)

    def committer(self) -> Identity:
        """Who git will record as committer, and when (honours GIT_COMMITTER_DATE)."""
        proc = run_git(["var", "GIT_COMMITTER_IDENT"], self.root or self.git_dir, check=False)
        if proc.returncode != 0:
            raise UsageError(
                "git has no identity to stamp with: set user.name and user.email "
                "(git config user.name 'Your Name')"
            )
        return parse_ident(proc.stdout.decode("utf-8", "replace"))

    def has_commits(self) -> bool:
        proc = run_git(
            ["rev-parse", "--verify", "-q", "HEAD^{commit}"], self.root or self.git_dir, check=False
        )
        return proc.returncode == 0


def find_repo(start: Path | str | None = None) -> Repo:
    """The repository containing ``start`` (default: the current folder)."""
    where = Path(start) if start is not None else Path.cwd()
    if not where.is_dir():
        raise UsageError(f"{where}: no such folder")
    proc = run_git(["rev-parse", "--is-bare-repository", "--absolute-git-dir"], where, check=False)
    if proc.returncode != 0:
        raise NotARepository(f"{where}: not a git repository (run 'bp init' to make one)")
    bare, git_dir = proc.stdout.decode("utf-8", "surrogateescape").splitlines()[:2]
    if bare == "true":
        return Repo(None, Path(git_dir))
    top = git_out(["rev-parse", "--show-toplevel"], where)
    return Repo(Path(top), Path(git_dir))
