"""The repository and what git knows about it: where it is, who commits, and named
queries — each one git call with an argument list built here, answering a value or None.

Standard library only: the hooks import this module.
"""

from __future__ import annotations

import os
import re
import time

from git_blueprint.errors import GitError, NotARepository, UsageError
from git_blueprint.git.process import (
    StartedGit,
    complaint,
    git_text,
    judged_by,
    run_git,
    run_git_write,
)
from git_blueprint.values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from os import PathLike
    from pathlib import Path

    Cwd = str | PathLike[str] | None

_IDENT = re.compile(r"^(?P<name>.*?) <(?P<email>[^>]*)> (?P<ts>-?\d+) (?P<tz>[+-]\d{4})$")
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


class Identity(Record, frozen=True):
    """Who git records, and when: a name, an email, a Unix time and its time zone."""

    name: str
    email: str
    timestamp: int
    tz_offset: str  # "+0100"

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
        reason = complaint(proc.stderr)
        if "date" in reason:  # GIT_AUTHOR_DATE / GIT_COMMITTER_DATE that git cannot read
            variable = started.args[-1].replace("_IDENT", "_DATE")
            raise UsageError(f"{variable}: git cannot read the date: {reason}")
        raise UsageError(
            "git has no identity to stamp with: set user.name and user.email "
            f"(git config user.name 'Your Name'); git says: {reason}"
        )
    return parse_ident(proc.stdout.decode("utf-8", "replace"))


class Repo(Record, frozen=True):
    """A located repository: its work tree (None when bare) and its git folder."""

    root: Path | None
    git_dir: Path

    @property
    def work_tree(self) -> Path:
        if self.root is None:
            raise UsageError(f"{self.git_dir}: a bare repository has no work tree")
        return self.root

    def committer(self) -> Identity:
        """Who git will record as committer, and when (honours GIT_COMMITTER_DATE)."""
        return git_identity("GIT_COMMITTER_IDENT", self.cwd)

    @property
    def cwd(self) -> Path:
        """Where git runs for this repository: its work tree, or the git folder if bare."""
        return self.root or self.git_dir

    def has_commits(self) -> bool:
        return resolve_commit(self.cwd, "HEAD") is not None


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
        raise GitError(f"git rev-parse: {complaint(proc.stderr)}")
    return Repo(Path(lines[2]), Path(git_dir))


# --- named queries -------------------------------------------------------------------------


def resolve_commit(cwd: Cwd, rev: str) -> str | None:
    """The commit id ``rev`` names, or None when it names no commit. A revision that looks
    like an option names none."""
    if rev.startswith("-"):
        return None
    proc = run_git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
        cwd,
        check=False,
    )
    return proc.stdout.decode().strip() if proc.returncode == 0 else None


def commit_exists(cwd: Cwd, sha: str) -> bool:
    """Whether the object database holds commit ``sha`` (no ref needs to name it)."""
    return run_git(["cat-file", "-e", f"{sha}^{{commit}}"], cwd, check=False).returncode == 0


def read_blob(cwd: Cwd, rev: str | None, path: str) -> bytes | None:
    """The file ``path`` as committed in ``rev`` (``None``: as staged in the index), or
    None when it is not there."""
    spec = f":{path}" if rev is None else f"{rev}:{path}"
    proc = run_git(["cat-file", "blob", spec], cwd, check=False)
    return proc.stdout if proc.returncode == 0 else None


def short_id(cwd: Cwd, object_id: str) -> str:
    """The abbreviation git would show for ``object_id``."""
    proc = run_git(["rev-parse", "--short", object_id], cwd, check=False)
    return proc.stdout.decode().strip() or object_id[:7]


def merge_base(cwd: Cwd, a: str, b: str) -> str | None:
    """The best common ancestor of two commits, or None when they have none."""
    proc = run_git(["merge-base", a, b], cwd, check=False)
    return proc.stdout.decode().split()[0] if proc.returncode == 0 else None


def upstream(cwd: Cwd) -> str | None:
    """The current branch's upstream (``@{upstream}``) as a commit id, or None."""
    proc = run_git(["rev-parse", "--verify", "-q", "@{upstream}"], cwd, check=False)
    return proc.stdout.decode().strip() if proc.returncode == 0 else None


def remote_default(cwd: Cwd, remote: str = "origin") -> str | None:
    """The tip of the remote's default branch as this clone last fetched it:
    ``REMOTE/HEAD``, or, where the clone never learnt it (a remote added by hand, a CI
    checkout), its ``main`` or ``master``."""
    for name in ("HEAD", "main", "master"):
        found = resolve_commit(cwd, f"refs/remotes/{remote}/{name}")
        if found is not None:
            return found
    return None


def is_shallow(cwd: Cwd) -> bool:
    proc = run_git(["rev-parse", "--is-shallow-repository"], cwd, check=False)
    return proc.stdout.strip() == b"true"


def shallow_commits(git_dir: str | PathLike[str]) -> set[str]:
    """The commits a shallow clone's history stops at (their parents are missing)."""
    try:
        with open(os.path.join(git_dir, "shallow")) as fh:
            return set(fh.read().split())
    except OSError:
        return set()


def git_path(cwd: Cwd, name: str) -> str:
    """The absolute path git uses for ``name`` in the git folder (``hooks``, ``index.lock``,
    ``objects/info``), honouring ``core.hooksPath`` and linked worktrees."""
    return git_text(["rev-parse", "--path-format=absolute", "--git-path", name], cwd)


def absolute_git_dir(cwd: Cwd = None) -> str | None:
    """The git folder of the repository around ``cwd``, or None outside any."""
    proc = run_git(["rev-parse", "--absolute-git-dir"], cwd, check=False)
    return proc.stdout.decode("utf-8", "surrogateescape").strip() if proc.returncode == 0 else None


def inside_work_tree(cwd: Cwd) -> bool:
    return run_git(["rev-parse", "--is-inside-work-tree"], cwd, check=False).returncode == 0


def config_value(cwd: Cwd, key: str, *, local: bool = False) -> str | None:
    """A config value as git reads it (``local``: from the repository's own file only);
    None when it is not set. A git that fails to say is an error, not "not set"."""
    scope = ["--local"] if local else []
    proc = run_git(["config", *scope, "--get", key], cwd, check=False)
    if proc.returncode == 0:
        return proc.stdout.decode("utf-8", "replace").rstrip("\n")
    if proc.returncode == 1 and not proc.stderr.strip():
        return None
    raise GitError(f"git config: {complaint(proc.stderr)}")


def config_origin(cwd: Cwd, key: str) -> tuple[str, str, str] | None:
    """Where the value git uses for ``key`` is set: ``(scope, origin, value)``, the scope
    being ``local``, ``worktree``, ``global``, ``system`` or ``command``; None when unset."""
    proc = run_git(
        ["config", "--show-scope", "--show-origin", "-z", "--get", key], cwd, check=False
    )
    if proc.returncode == 1 and not proc.stderr.strip():
        return None
    if proc.returncode != 0:
        raise GitError(f"git config: {complaint(proc.stderr)}")
    parts = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    if len(parts) < 3:
        raise GitError(f"git config: unexpected answer for {key}")
    return parts[0], parts[1], parts[2]


def tracked_under(cwd: Cwd, folder: str) -> list[str]:
    """The files git tracks under ``folder`` (a path inside the work tree)."""
    out = run_git(["ls-files", "-z", "--", top_pathspec(folder)], cwd).stdout
    return [name for name in out.decode("utf-8", "surrogateescape").split("\0") if name]


def config_flag(cwd: Cwd, key: str) -> bool:
    """A boolean config value, false when unset."""
    proc = run_git(["config", "--bool", key], cwd, check=False)
    return proc.stdout.strip() == b"true"


def unset_config(cwd: Cwd, key: str) -> None:
    """``git config --local --unset KEY``; a key that is not set is fine."""
    proc = run_git(["config", "--local", "--unset-all", key], cwd, check=False)
    if proc.returncode not in (0, 5):  # 5: the key was not set
        raise GitError(f"git config: {complaint(proc.stderr)}")


def set_config(cwd: Cwd, key: str, value: str) -> None:
    """Set ``key`` in the repository's own config file."""
    run_git(["config", "--local", key, value], cwd)


def color_wanted(cwd: Cwd, slot: str, tty: bool) -> bool:
    """git's own colour decision for ``slot`` (``color.diff``): ``color.ui``, ``git -c``,
    a pager git started and ``TERM=dumb`` included."""
    proc = run_git(
        ["config", "--get-colorbool", slot, "true" if tty else "false"], cwd, check=False
    )
    return proc.stdout.strip() == b"true"


def signature_of(cwd: Cwd, sha: str, allowed_signers: str) -> tuple[str, str, str]:
    """Commit ``sha``'s signature as git judges it against the allowed-signers file at that
    path: its state (``%G?``), the signer (``%GS``: for SSH the principal the key is listed
    under, for GPG the key's user id) and the key (``%GK``: for SSH the fingerprint
    ``SHA256:…``). An unsigned commit is ``("N", "", "")``."""
    proc = run_git(
        [*judged_by(allowed_signers), "log", "-1", "--format=%G?%x1f%GS%x1f%GK", sha],
        cwd,
        check=False,
    )
    fields = proc.stdout.decode("utf-8", "replace").strip().split("\x1f")
    state, signer, key = [*fields, "", "", ""][:3]
    return state or "N", signer, key


def first_parent(cwd: Cwd, sha: str) -> str | None:
    """The first parent of commit ``sha``; None for a root commit."""
    proc = run_git(["rev-parse", "--verify", "--quiet", f"{sha}^1"], cwd, check=False)
    return proc.stdout.decode().strip() or None


def renames_between(cwd: Cwd, old: str, new: str) -> bytes:
    """``diff-tree --raw -z -M`` between two commits (parse with
    :func:`~git_blueprint.git.rawdiff.parse_raw_diff`)."""
    return run_git(["diff-tree", "-z", "-r", "-M", "--raw", "--no-abbrev", old, new], cwd).stdout


def raw_diff(
    cwd: Cwd, revisions: Sequence[str], pathspecs: Sequence[str], *, cached: bool = False
) -> bytes:
    """``git diff --raw -z`` as ``git diff REVISIONS`` (``cached``: the index against the
    one revision) over ``pathspecs``, renames found, with no driver of anyone's
    (git-blueprint's own included) in the way."""
    return run_git(
        [
            "diff",
            "--raw",
            "-z",
            "--no-abbrev",
            "-M",
            "--no-ext-diff",
            "--no-textconv",
            "--no-relative",
            "--ignore-submodules",
            *(["--cached"] if cached else []),
            *revisions,
            "--",
            *pathspecs,
        ],
        cwd,
    ).stdout


def merge_file(
    ours: str,
    base: str,
    theirs: str,
    marker_size: int,
    labels: Sequence[str] = (),
    *,
    stdout: bool = True,
    favor: str | None = None,
) -> tuple[bytes, int]:
    """``git merge-file`` of three files: the merged text (``stdout``; else written into
    ``ours``) and the number of conflicts git reports (negative: git failed). ``favor``
    (``ours``, ``theirs``, ``union``) settles conflicting hunks that way, as ``-X`` does."""
    args = ["merge-file", f"--marker-size={marker_size}"]
    if favor in ("ours", "theirs", "union"):
        args.append(f"--{favor}")
    if stdout:
        args.insert(1, "-p")
    for label in labels:
        args += ["-L", label]
    proc = run_git([*args, ours, base, theirs], check=False)
    if proc.returncode > 127:
        return proc.stdout, -1
    return proc.stdout, proc.returncode


def unmerged_paths(cwd: Cwd, pathspecs: Sequence[str]) -> list[str]:
    """The paths the index holds unmerged (a conflict in progress), under ``pathspecs``,
    relative to the top of the work tree."""
    proc = run_git(["ls-files", "-u", "-z", "--full-name", "--", *pathspecs], cwd, check=False)
    paths = [
        rec.split("\t", 1)[1]
        for rec in proc.stdout.decode("utf-8", "surrogateescape").split("\0")
        if "\t" in rec
    ]
    return list(dict.fromkeys(paths))


def diff_no_index(old: str, new: str, color: bool, options: Sequence[str] = ()) -> bytes:
    """git's own patch of two files (``git diff --no-index``), with no external diff and no
    textconv, shaped by ``options`` (``-w``, ``-U5``, …): what a diff driver shows beside
    its own view."""
    proc = run_git(
        [
            "diff",
            "--no-index",
            "--no-ext-diff",
            "--no-textconv",
            "--color=always" if color else "--no-color",
            *options,
            "--",
            old,
            new,
        ],
        check=False,
    )
    return proc.stdout


def top_pathspec(path: str) -> str:
    """A pathspec for ``path`` from the top of the work tree, wherever git runs."""
    return f":(top){path}"


# --- what commands write ------------------------------------------------------------------


def init(cwd: Cwd) -> None:
    run_git(["init", "-q"], cwd)


def write_commit_graph(cwd: Cwd) -> None:
    """A commit graph with changed-path filters: path-limited ``git log`` gets faster."""
    run_git(["commit-graph", "write", "--reachable", "--changed-paths"], cwd)


def add(cwd: Cwd, paths: Sequence[str]) -> None:
    run_git_write(["add", "--", *paths], cwd)


def index_entries(cwd: Cwd, paths: Sequence[str]) -> bytes:
    """The index's entries for ``paths`` (``git ls-files -s -z``: mode, object, stage and
    path of each), as :func:`restore_index_entries` puts them back. ``cwd`` is the work
    tree's top folder."""
    specs = [f":(literal){p}" for p in paths]
    return run_git(["ls-files", "-s", "-z", "--", *specs], cwd).stdout


def restore_index_entries(cwd: Cwd, paths: Sequence[str], entries: bytes) -> None:
    """Make the index's entries for ``paths`` exactly ``entries`` (from
    :func:`index_entries`, conflict stages included): every path is taken out, then its
    entries put back. ``cwd`` is the work tree's top folder: the paths are from there."""
    run_git_write(["update-index", "--force-remove", "--", *paths], cwd)
    if entries:
        run_git_write(["update-index", "-z", "--index-info"], cwd, input=entries)


def ignored_by(cwd: Cwd, path: str) -> str | None:
    """The ignore rule that matches ``path`` (``.gitignore:3: drafts/``), or None."""
    proc = run_git(["check-ignore", "-v", "--no-index", "--", path], cwd, check=False)
    if proc.returncode != 0:
        return None
    source, _, _ = proc.stdout.decode("utf-8", "replace").partition("\t")
    return source.strip() or "an ignore rule"


def has_changes(cwd: Cwd, path: str) -> bool:
    """Whether ``path`` is staged or changed against HEAD, as ``git status`` sees it
    (through git's filters, so a checkout under ``core.autocrlf`` is unchanged)."""
    proc = run_git(["status", "--porcelain", "-z", "--", f":(top,literal){path}"], cwd)
    return bool(proc.stdout)


def differing_from(cwd: Cwd, rev: str, folder: str) -> set[str]:
    """The files under ``folder`` (from the top) whose working copy differs from ``rev``
    as git sees it — through its filters (``core.autocrlf``, ``eol``, clean filters) —
    and those git does not track yet (ignored ones aside)."""
    spec = top_pathspec(folder) if folder else ":(top)."
    changed = run_git(
        ["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", rev, "--", spec], cwd
    ).stdout
    new = run_git(
        ["ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", spec], cwd
    ).stdout
    return {p.decode("utf-8", "surrogateescape") for p in (changed + new).split(b"\0") if p}


def committed_since(cwd: Cwd, before: str | None, paths: Sequence[str]) -> str | None:
    """The newest commit on HEAD since ``before`` (None: an unborn HEAD's whole history)
    that changes one of ``paths``: whether a commit asked for landed, read from git. A
    git that fails to answer raises :class:`GitError`: not knowing is not "no"."""
    proc = run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd, check=False)
    if proc.returncode != 0:
        if proc.returncode == 1 and not proc.stderr.strip():
            return None  # an unborn branch: nothing landed
        raise GitError(f"git rev-parse: {complaint(proc.stderr)} (exit {proc.returncode})")
    head = proc.stdout.decode().strip()
    if head == before:
        return None
    span = [head] if before is None else [f"{before}..{head}"]
    specs = [top_pathspec(p) for p in paths]
    return git_text(["rev-list", "-1", *span, "--", *specs], cwd) or None


def commit_only(
    cwd: Cwd,
    paths: Sequence[str],
    message: str,
    trailers: Sequence[str] = (),
    *,
    sign: bool = False,
) -> None:
    """``git commit --only`` of ``paths``: the user's other staged changes stay staged, and
    their hooks and commit settings apply."""
    args = ["commit", "-q", "--only", "-m", message]
    for trailer in trailers:
        args += ["--trailer", trailer]
    if sign:
        args.append("-S")
    run_git_write([*args, "--", *paths], cwd)
