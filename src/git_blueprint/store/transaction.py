"""One way to change a repository safely (SPEC §5, "All or nothing"): a command writes its
working files, stages paths and makes at most one commit inside a :class:`Transaction`;
whatever stops it before the commit lands — a git call that fails, another process's
``index.lock`` held too long, a signal — puts back exactly what was there (files, the
folders it made, the index entries), and checks that it did. Whether the commit landed is
read from git, never assumed: once it has, nothing is put back, and an interrupted
command says what landed.

Standard library only: nothing slow to import.
"""

from __future__ import annotations

import contextlib
import os

from git_blueprint.errors import BlueprintError, Interrupted
from git_blueprint.git.repo import (
    add,
    commit_only,
    committed_since,
    index_entries,
    resolve_commit,
    restore_index_entries,
)
from git_blueprint.store.atomic import atomic_write
from git_blueprint.store.interrupts import deferred_signals

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path
    from types import TracebackType


class RestoreFailed(BlueprintError):
    """Putting the repository back failed: the message says what is left and what to do."""

    exit_code = 2


class Transaction:
    """The changes of one command, kept so that they can be put back: ``root`` is the work
    tree's top folder. Use it as a context manager; leaving it by an exception before
    :meth:`commit` landed restores everything it changed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.head = resolve_commit(root, "HEAD")
        self.landed: str | None = None
        self._report = ""
        self._files: dict[str, tuple[Path, bytes | None]] = {}
        self._folders: list[Path] = []
        self._staged: dict[str, bytes] = {}

    def __enter__(self) -> Transaction:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            return
        if self.landed is not None:
            if isinstance(exc, KeyboardInterrupt):
                raise Interrupted(
                    f"interrupted after the commit landed: {self._report} in commit "
                    f"{self.landed[:10]}"
                ) from None
            return
        with deferred_signals():
            problems = self._put_back()
        if problems:
            what = f"{exc}" if isinstance(exc, BlueprintError) else "interrupted"
            raise RestoreFailed(f"{what}; and putting things back failed: {'; '.join(problems)}")

    # --- what a command changes ----------------------------------------------------------

    def make_folder(self, folder: Path, shown: str) -> None:
        """``folder`` and its missing parents, each taken away again on a rollback;
        ``shown`` names what it is made for in an error."""
        missing: list[Path] = []
        at = folder
        while not at.exists() and at != at.parent:
            missing.append(at)
            at = at.parent
        if not at.is_dir():
            raise BlueprintError(f"{shown}: cannot be written: {at} is not a folder")
        for made in reversed(missing):
            try:
                made.mkdir()
            except OSError as exc:
                raise BlueprintError(f"{shown}: cannot be written: {exc.strerror}") from None
            self._folders.append(made)

    def write(self, path: Path, rel: str, data: bytes) -> None:
        """Replace the working file ``rel`` atomically, keeping what was there."""
        if rel not in self._files:
            try:
                old: bytes | None = path.read_bytes()
            except FileNotFoundError:
                old = None
            except OSError as exc:
                raise BlueprintError(f"{rel}: cannot be read: {exc.strerror}") from None
            self._files[rel] = (path, old)
        atomic_write(path, data, rel)

    def stage(self, rels: Sequence[str]) -> None:
        """``git add`` of ``rels``, their index entries kept to be put back."""
        for rel in rels:
            if rel not in self._staged:
                self._staged[rel] = index_entries(self.root, [rel])
        add(self.root, list(rels))

    def commit(
        self,
        rels: Sequence[str],
        message: str,
        trailers: Sequence[str] = (),
        *,
        sign: bool = False,
        report: str = "",
    ) -> str:
        """``git commit --only`` of ``rels``; the commit id. Afterwards — done, failed or
        interrupted — whether it landed is read from git. ``report`` says what the commit
        does, for an interrupted command's last line."""
        self._report = report or message
        try:
            commit_only(self.root, rels, message, trailers, sign=sign)
        finally:
            self.landed = committed_since(self.root, self.head, rels)
        if self.landed is None:
            raise BlueprintError("git commit succeeded but no commit of those files landed")
        return self.landed

    # --- putting back --------------------------------------------------------------------

    def _put_back(self) -> list[str]:
        """Everything as it was; what could not be put back, each with what to do."""
        problems: list[str] = []
        if self._staged:
            rels = list(self._staged)
            before = b"".join(self._staged.values())
            try:
                if index_entries(self.root, rels) != before:
                    restore_index_entries(self.root, rels, before)
                ok = index_entries(self.root, rels) == before
            except BlueprintError as exc:
                ok, reason = False, str(exc)
            else:
                reason = "the index still differs"
            if not ok:
                shown = " ".join(rels)
                problems.append(
                    f"{shown}: the index could not be put back ({reason}); check "
                    f"`git status -- {shown}` and use `git restore --staged -- {shown}`"
                )
        for rel, (path, old) in self._files.items():
            try:
                if old is None:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(path)
                elif _read(path) != old:
                    atomic_write(path, old, rel)
            except (OSError, BlueprintError) as exc:
                problems.append(f"{rel}: could not be put back ({exc})")
        for folder in reversed(self._folders):
            with contextlib.suppress(OSError):  # not empty: something else is in it now
                folder.rmdir()
        return problems


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
