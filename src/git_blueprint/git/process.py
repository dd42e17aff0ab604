"""The git layer: every git call goes through here, as an argument list, never a shell.

Standard library only: the hooks import this module.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Mapping, Sequence

from git_blueprint.errors import GitError, NotARepository, UsageError
from git_blueprint.values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

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


class StartedGit:
    """A git command already running: its answer is collected by :meth:`result`. The
    pre-commit hook starts the questions that do not depend on each other together, so
    that on two cores git answers while Python goes on."""

    __slots__ = ("args", "_done", "_proc")

    def __init__(
        self,
        args: Sequence[str],
        cwd: Path | str | None = None,
        *,
        stdin: bool = False,
        env: Mapping[str, str] | None = None,
    ) -> None:
        full_env = None
        if env is not None:
            full_env = dict(os.environ)
            full_env.update(env)
        self.args = list(args)
        self._done: subprocess.CompletedProcess[bytes] | None = None
        try:
            self._proc = subprocess.Popen(
                ["git", *args],
                cwd=cwd,
                stdin=subprocess.PIPE if stdin else None,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=full_env,
            )
        except FileNotFoundError as exc:
            raise UsageError("git is not installed or not on PATH") from exc

    def result(
        self, input: bytes | None = None, *, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        """Wait for git (after writing ``input``, when started with ``stdin``); with
        ``check`` a failure raises :class:`GitError` with git's reason. Asked again, it
        gives the same answer."""
        proc = self._done
        if proc is None:
            out, err = self._proc.communicate(input)
            proc = subprocess.CompletedProcess(["git", *self.args], self._proc.returncode, out, err)
            self._done = proc
        if check and proc.returncode != 0:
            raise GitError(f"git {self.args[0]}: {_complaint(proc.stderr)}")
        return proc


def run_git(
    args: Sequence[str],
    cwd: Path | str | None = None,
    *,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git ARGS``; with ``check`` a failure raises :class:`GitError` with git's reason."""
    started = StartedGit(args, cwd, stdin=input is not None, env=env)
    return started.result(input, check=check)


def git_out(args: Sequence[str], cwd: Path | str | None = None) -> str:
    """stdout of a successful git call, decoded, without the final newline."""
    return run_git(args, cwd).stdout.decode("utf-8", "surrogateescape").rstrip("\n")


class Identity(Record):
    """Who git records, and when: a name, an email, a Unix time and its time zone."""

    __slots__ = ("name", "email", "timestamp", "tz_offset")
    name: str
    email: str
    timestamp: int
    tz_offset: str  # "+0100"

    def __init__(self, name: str, email: str, timestamp: int, tz_offset: str) -> None:
        self.name = name
        self.email = email
        self.timestamp = timestamp
        self.tz_offset = tz_offset

    @property
    def date(self) -> str:
        """The calendar date of the timestamp in the identity's own time zone, as
        YYYY-MM-DD."""
        sign = -1 if self.tz_offset.startswith("-") else 1
        minutes = sign * (int(self.tz_offset[1:3]) * 60 + int(self.tz_offset[3:5]))
        day = time.gmtime(self.timestamp + minutes * 60)
        return f"{day.tm_year:04d}-{day.tm_mon:02d}-{day.tm_mday:02d}"


def parse_ident(raw: str) -> Identity:
    m = _IDENT.match(raw.strip())
    if not m:
        raise GitError(f"git gave an identity that cannot be read: {raw.strip()!r}")
    return Identity(m["name"], m["email"], int(m["ts"]), m["tz"])


def git_identity(variable: str, cwd: Path | str | None = None) -> Identity:
    """``git var GIT_COMMITTER_IDENT`` or ``GIT_AUTHOR_IDENT``: who git will record, and when
    (the environment's GIT_*_NAME/EMAIL/DATE included)."""
    return identity_of(StartedGit(["var", variable], cwd))


def identity_of(started: StartedGit) -> Identity:
    """The answer of a started ``git var GIT_*_IDENT``."""
    proc = started.result(check=False)
    if proc.returncode != 0:
        raise UsageError(
            "git has no identity to stamp with: set user.name and user.email "
            "(git config user.name 'Your Name')"
        )
    return parse_ident(proc.stdout.decode("utf-8", "replace"))


class Repo(Record):
    """A located repository: its work tree (None when bare) and its git folder."""

    __slots__ = ("root", "git_dir")
    root: Path | None
    git_dir: Path

    def __init__(self, root: Path | None, git_dir: Path) -> None:
        self.root = root
        self.git_dir = git_dir

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
        return git_identity("GIT_COMMITTER_IDENT", self.root or self.git_dir)

    def has_commits(self) -> bool:
        proc = run_git(
            ["rev-parse", "--verify", "-q", "HEAD^{commit}"], self.root or self.git_dir, check=False
        )
        return proc.returncode == 0


def find_repo(start: Path | str | None = None) -> Repo:
    """The repository containing ``start`` (default: the current folder)."""
    from pathlib import Path

    where = Path(start) if start is not None else Path.cwd()
    if not where.is_dir():
        raise UsageError(f"{where}: no such folder")
    # One question: git prints each answer in turn, and stops at --show-toplevel where
    # there is no work tree (a bare repository, or inside the git folder).
    proc = run_git(
        ["rev-parse", "--is-bare-repository", "--absolute-git-dir", "--show-toplevel"],
        where,
        check=False,
    )
    lines = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) < 2:
        raise NotARepository(f"{where}: not a git repository (run 'bp init' to make one)")
    bare, git_dir = lines[:2]
    if bare == "true":
        return Repo(None, Path(git_dir))
    if proc.returncode != 0 or len(lines) < 3:
        raise GitError(f"git rev-parse: {_complaint(proc.stderr)}")
    return Repo(Path(lines[2]), Path(git_dir))


ZERO_SHAS = {"0" * 40, "0" * 64}


class Change(Record):
    """One entry of ``git diff --raw -z``."""

    __slots__ = ("status", "old_mode", "new_mode", "old_sha", "new_sha", "old_path", "path")
    status: str  # A, M, D, R, C, T (score dropped)
    old_mode: str
    new_mode: str
    old_sha: str
    new_sha: str
    old_path: str
    path: str

    def __init__(
        self,
        status: str,
        old_mode: str,
        new_mode: str,
        old_sha: str,
        new_sha: str,
        old_path: str,
        path: str,
    ) -> None:
        self.status = status
        self.old_mode = old_mode
        self.new_mode = new_mode
        self.old_sha = old_sha
        self.new_sha = new_sha
        self.old_path = old_path
        self.path = path


def parse_raw_diff(data: bytes) -> list[Change]:
    """Entries of ``git diff --raw -z`` output (renames and copies carry two paths)."""
    parts = data.decode("utf-8", "surrogateescape").split("\0")
    out: list[Change] = []
    i = 0
    while i < len(parts) and parts[i]:
        meta = parts[i].lstrip(":").split(" ")
        status = meta[4][0]
        if status in "RC":
            old_path, path = parts[i + 1], parts[i + 2]
            i += 3
        else:
            old_path = path = parts[i + 1]
            i += 2
        out.append(Change(status, meta[0], meta[1], meta[2], meta[3], old_path, path))
    return out


class CatFile:
    """One ``git cat-file --batch`` process for many objects."""

    def __init__(self, cwd: Path | str | None, env: Mapping[str, str] | None = None) -> None:
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        self._proc = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=full_env,
        )

    def read(self, spec: str) -> bytes | None:
        """The object's content, or None when it does not exist."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
        self._proc.stdin.flush()
        header = self._proc.stdout.readline()
        if not header or header.endswith(b" missing\n") or header.endswith(b" ambiguous\n"):
            return None
        size = int(header.split()[2])
        data = self._proc.stdout.read(size + 1)
        return data[:size]

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._proc.wait()

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CommitQuestions:
    """What the pre-commit hook asks git before it knows anything: where the repository
    is, what the commit stages and who commits, with a ``cat-file`` ready for the blobs.
    The hook's entry point starts them all before it imports the rest of git-blueprint,
    so that on two cores git answers while Python loads."""

    # Paths come from the top folder wherever git runs. ``git diff --cached``, unlike
    # ``diff-index``, leaves out intent-to-add entries that are not committed.
    WHERE = ("rev-parse", "--absolute-git-dir", "--show-toplevel")
    STAGED = ("diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-ext-diff", "-M")

    __slots__ = ("committer", "objects", "staged", "where")

    def __init__(self) -> None:
        self.where = StartedGit(self.WHERE)
        self.staged = StartedGit(self.STAGED)
        self.committer = StartedGit(["var", "GIT_COMMITTER_IDENT"])
        self.objects = CatFile(None)

    def close(self) -> None:
        """Every process reaped, answered or not."""
        self.objects.close()
        for started in (self.where, self.staged, self.committer):
            started.result(check=False)
