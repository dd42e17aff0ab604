"""What a commit's hooks ask of git and write into the index: the first questions,
started together before the rest of git-blueprint is imported, and the stamped blobs'
way into the index (``hash-object``, ``update-index``), started early too.

Standard library only: this is the pre-commit hook's path.
"""

from __future__ import annotations

import contextlib
import os

from git_blueprint.errors import GitError
from git_blueprint.git.objects import CatFile
from git_blueprint.git.process import StartedGit, complaint, holds_index_lock, run_git, stop_all
from git_blueprint.git.rawdiff import Change, parse_raw_diff


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

    def stop(self) -> None:
        """Every question not answered yet ended now (the hook is failing)."""
        stop_all([self.where, self.staged, self.committer])
        self.objects.stop()

    def close(self) -> None:
        """Every process reaped, answered or not."""
        self.objects.close()
        for started in (self.where, self.staged, self.committer):
            started.result(check=False)


def work_tree_location(where: StartedGit | None = None) -> tuple[str, str] | None:
    """``(git folder, top of the work tree)``, absolute, from ``where`` (a started
    :data:`CommitQuestions.WHERE`) or by asking git now; None outside a work tree."""
    proc = (where or StartedGit(CommitQuestions.WHERE)).result(check=False)
    lines = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
    if proc.returncode != 0 or len(lines) < 2:
        return None
    return lines[0], lines[1]


def staged_changes(staged: StartedGit | None = None, cwd: str | None = None) -> list[Change]:
    """What the commit being made changes, from ``staged`` (a started
    :data:`CommitQuestions.STAGED`) or by asking git now."""
    return parse_raw_diff((staged or StartedGit(CommitQuestions.STAGED, cwd)).result().stdout)


class IndexWriter:
    """The git processes a stamp writes through, started with the hook's first questions:
    by the time the stamped text is ready, each has started and ``update-index`` has read
    the index (holding its lock from then on, as it would have to anyway). Closed without
    input, they write nothing."""

    __slots__ = ("_hasher", "_indexer")

    def __init__(self) -> None:
        # The staged blob is already what git's clean filter produced: store it unfiltered.
        self._hasher = StartedGit(
            ["hash-object", "-w", "--no-filters", "--stdin-paths"], stdin=True
        )
        self._indexer = StartedGit(["update-index", "-z", "--index-info"], stdin=True)

    def hash(self, git_dir: str, texts: list[str]) -> list[str]:
        """Each text stored as a blob; their object ids, in order. The texts pass through
        files in ``git_dir``, removed again."""
        if "\n" in git_dir:  # a folder --stdin-paths cannot name
            return [hash_text(git_dir, text) for text in texts]
        paths: list[str] = []
        try:
            for i, text in enumerate(texts):
                path = os.path.join(git_dir, f"blueprint-stamp-{os.getpid()}-{i}.tmp")
                paths.append(path)
                with open(path, "wb") as fh:
                    fh.write(text.encode("utf-8"))
            names = "".join(f"{path}\n" for path in paths).encode("utf-8", "surrogateescape")
            shas = self._hasher.result(names).stdout.decode().split()
        finally:
            for path in paths:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
        if len(shas) != len(texts):
            raise GitError(f"git hash-object gave {len(shas)} ids for {len(texts)} blobs")
        return shas

    def update_index(self, git_dir: str, entries: list[tuple[str, str, str]]) -> None:
        """``(mode, sha, path)`` entries into the index git gave the hook."""
        proc = self._indexer.result(_index_info(entries), check=False)
        _index_updated(git_dir, proc.returncode, proc.stderr)

    def close(self) -> None:
        """Whatever was not written is not: both processes end without input."""
        self._hasher.result(b"", check=False)
        self._indexer.result(b"", check=False)

    def stop(self) -> None:
        """Both processes ended now, whatever they were doing (the hook is failing)."""
        stop_all([self._hasher, self._indexer])


def hash_text(cwd: str, text: str) -> str:
    """``text`` stored as a blob, unfiltered; its object id."""
    proc = run_git(
        ["hash-object", "-w", "--no-filters", "--stdin"], cwd, input=text.encode("utf-8")
    )
    return proc.stdout.decode().strip()


def update_index_file(
    cwd: str, git_dir: str, index_file: str, entries: list[tuple[str, str, str]]
) -> None:
    """``(mode, sha, path)`` entries into the index file ``index_file``."""
    proc = run_git(
        ["update-index", "-z", "--index-info"],
        cwd,
        input=_index_info(entries),
        env={"GIT_INDEX_FILE": index_file},
        check=False,
    )
    _index_updated(git_dir, proc.returncode, proc.stderr)


def _index_info(entries: list[tuple[str, str, str]]) -> bytes:
    lines = "".join(f"{mode} {sha}\t{path}\0" for mode, sha, path in entries)
    return lines.encode("utf-8", "surrogateescape")


def _index_updated(git_dir: str, returncode: int, stderr: bytes) -> None:
    if returncode == 0:
        return
    if holds_index_lock(stderr):
        lock = os.path.join(git_dir, "index.lock")
        raise GitError(
            f"cannot stamp: another git process holds the index lock ({lock}); if none "
            "is running, remove that file and commit again"
        )
    raise GitError(f"git update-index: {complaint(stderr)}")
