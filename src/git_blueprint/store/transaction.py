"""One way to change a repository safely (SPEC §5, "All or nothing"): a command writes its
working files, stages paths and makes at most one commit inside a :class:`Transaction`;
whatever stops it before the commit lands — a git call that fails, another process's
``index.lock`` held too long, a signal — puts back exactly what was there (files, the
folders it made, the index entries), and checks that it did. Whether the commit landed is
read from git, never assumed: once it has, nothing is put back, and the command reports
it — a signal from the commit to the end of the transaction is held until then.

Standard library only: nothing slow to import.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from pathlib import Path

from git_blueprint.errors import BlueprintError, Interrupted, finished
from git_blueprint.git.process import SignalHold, seconds_from_env
from git_blueprint.git.repo import (
    add,
    commit_only,
    committed_since,
    git_path,
    index_entries,
    resolve_commit,
    restore_index_entries,
    set_config,
    unset_config,
)
from git_blueprint.store.atomic import atomic_write
from git_blueprint.store.interrupts import deferred_signals

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import TracebackType


class RestoreFailed(BlueprintError):
    """Putting the repository back failed: the message says what is left and what to do."""

    exit_code = 2


class Transaction:
    """The changes of one command, kept so that they can be put back: ``root`` is the work
    tree's top folder. Use it as a context manager; leaving it by an exception before
    :meth:`commit` landed undoes everything it changed, last change first. ``lock``: take
    the writer lock in ``git_dir`` (not before the repository exists, as in ``bp init``)."""

    def __init__(self, root: Path, git_dir: Path | str | None = None, *, lock: bool = True) -> None:
        self.root = root
        self.head: str | None = None
        self.landed: str | None = None
        self._report = ""
        self._undo: list[tuple[str, Callable[[], None]]] = []  # (what it puts back, how)
        self._files: set[str] = set()
        self._kept: list[Path] = []  # the second names of files as they were
        self._config: Path | None = None  # the git config file, once kept
        self._hold: SignalHold | None = None  # signals held from the commit to the end
        self._staged: dict[str, bytes] = {}
        self._unknown = False  # the commit's outcome could not be read: touch nothing
        self._lock = _WriterLock(root, git_dir) if lock else None

    def __enter__(self) -> Transaction:
        if self._lock is not None:
            self._lock.acquire()
            self.head = resolve_commit(self.root, "HEAD")  # read in turn, after the lock
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Signals are blocked while the transaction ends: held ones are no longer passed
        # to git (putting back must not be cut short), and none arrives half-way. One that
        # came meanwhile takes effect when they are unblocked, after the outcome is settled:
        # a command that is done is marked so first, and then the signal changes nothing.
        interrupted = False
        try:
            with deferred_signals():
                if self._hold is not None:
                    self._hold.stop()
                    interrupted = bool(self._hold.received)
                try:
                    self._exit(exc, interrupted)
                finally:
                    if self._lock is not None:
                        self._lock.release()
                if exc is None:
                    finished()  # done and reported: a signal now changes nothing
        except KeyboardInterrupt:
            if exc is None:
                return  # a signal after the work was done and reported
            raise

    def _exit(self, exc: BaseException | None, interrupted: bool) -> None:
        if exc is None or self._unknown or self.landed is not None:
            self._drop_kept()
            if self.landed is not None and isinstance(exc, KeyboardInterrupt):
                raise Interrupted(
                    f"interrupted after the commit landed: {self._report} in commit "
                    f"{self.landed[:10]}"
                ) from None
            return
        problems = self._put_back()
        if problems:
            what = f"{exc}" if isinstance(exc, BlueprintError) else "interrupted"
            raise RestoreFailed(f"{what}; and putting things back failed: {'; '.join(problems)}")
        self._drop_kept()
        if isinstance(exc, KeyboardInterrupt) or interrupted:
            raise Interrupted("interrupted; nothing changed") from None

    def _drop_kept(self) -> None:
        for keep in self._kept:
            _unlink(keep)
        self._kept.clear()

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
            self._undo.append((str(made), functools.partial(_remove_empty, made)))

    def write(self, path: Path, rel: str, data: bytes, mode: int | None = None) -> None:
        """Replace the working file ``rel`` atomically (with ``mode``, if given), keeping
        what was there."""
        self._keep(path, rel)
        atomic_write(path, data, rel)
        if mode is not None:
            os.chmod(path, mode)

    def move(self, src: Path, dst: Path) -> None:
        """``os.replace(src, dst)``, moved back on a rollback (``dst`` must be free)."""
        self._keep(dst, str(dst))
        os.replace(src, dst)
        self._undo.append((str(src), lambda: os.replace(dst, src)))

    def remove(self, path: Path, shown: str) -> None:
        """Delete a file, written back as it was on a rollback."""
        self._keep(path, shown)
        os.unlink(path)

    def set_config(self, key: str, value: str) -> None:
        """``git config --local KEY VALUE``; a rollback puts the config file back byte for
        byte (git rewrites it by a rename, so the file as it was keeps its second name)."""
        self._keep_config()
        set_config(self.root, key, value)

    def unset_config(self, key: str) -> None:
        """``git config --local --unset KEY``, the config file put back on a rollback."""
        self._keep_config()
        unset_config(self.root, key)

    def _keep_config(self) -> None:
        if self._config is None:
            self._config = Path(git_path(self.root, "config"))
            self._keep(self._config, ".git/config")

    def made_repository(self, git_dir: Path) -> None:
        """The command runs ``git init`` (``git_dir`` not there yet): a rollback removes
        the repository it made."""
        import shutil

        def remove() -> None:
            if os.path.lexists(git_dir):
                shutil.rmtree(git_dir)

        self._undo.append((str(git_dir), remove))

    def _keep(self, path: Path, shown: str) -> None:
        key = os.path.abspath(path)
        if key in self._files:
            return
        self._files.add(key)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            self._undo.append((shown, lambda: _unlink(path)))
            return
        except OSError as exc:
            raise BlueprintError(f"{shown}: cannot be read: {exc.strerror}") from None
        if not stat.S_ISREG(st.st_mode):
            return  # a link or a special file is moved, never rewritten: move() keeps it
        try:
            old = path.read_bytes()
        except OSError as exc:
            raise BlueprintError(f"{shown}: cannot be read: {exc.strerror}") from None
        mode = stat.S_IMODE(st.st_mode)
        # A second name for the file as it is (a hard link: no data written, so it is there
        # on a full disk too). An atomic write gives the path a new file and leaves this one
        # alone; putting it back is a rename, which needs no space either.
        keep = _link_aside(path)
        if keep is not None:
            self._kept.append(keep)
        self._undo.append((shown, lambda: _restore(path, old, mode, shown, keep)))

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
        failure: BlueprintError | None = None
        # git's answers decide the report: from here to the end of the transaction (the
        # command's report included) a signal is passed on to git and held; what it means
        # is decided once it is known whether the commit landed.
        if self._hold is None:
            self._hold = SignalHold().start()
        try:
            commit_only(self.root, rels, message, trailers, sign=sign)
        except BlueprintError as exc:
            failure = exc
        finally:
            self.landed = self._outcome(rels)
        if self.landed is not None:
            return self.landed  # git complained after the commit (a post-commit step): it stands
        if self._hold.received:
            raise KeyboardInterrupt  # git stopped by the signal passed on: nothing landed
        raise failure or BlueprintError("git commit succeeded, yet no commit of those files landed")

    def _outcome(self, rels: Sequence[str]) -> str | None:
        """Whether the commit landed, read from git; asked again when git fails to say. Not
        knowing is an error that touches nothing."""
        reason = ""
        for _ in range(3):
            try:
                return committed_since(self.root, self.head, rels)
            except BlueprintError as exc:
                reason = str(exc)
        self._unknown = True
        raise RestoreFailed(
            f"cannot tell whether the commit landed ({reason}); nothing was put back: see "
            "`git log -1` and `git status`"
        )

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
        for what, undo in reversed(self._undo):
            try:
                undo()
            except (OSError, BlueprintError) as exc:
                problems.append(f"{what}: could not be put back ({exc})")
        return problems


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: something else is in it now
        folder.rmdir()


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _restore(path: Path, old: bytes, mode: int, shown: str, keep: Path | None) -> None:
    """The file as it was: its second name renamed back, or its bytes written again.
    What is already as it was is not touched (a file that cannot be written may be
    unchanged)."""
    if keep is not None and os.path.exists(keep):
        if _read(path) == old and stat.S_IMODE(os.stat(path).st_mode) == mode:
            return  # the write never happened; `keep` is dropped with the others
        try:
            os.replace(keep, path)
            return
        except OSError as exc:
            raise BlueprintError(
                f"{shown}: cannot be put back ({exc.strerror}); the file as it was is kept "
                f"as {keep}: move it back over {shown}"
            ) from None
    if _read(path) != old:
        atomic_write(path, old, shown)
    if stat.S_IMODE(os.stat(path).st_mode) != mode:
        os.chmod(path, mode)


def _link_aside(path: Path) -> Path | None:
    """A hard link to ``path`` beside it (a hidden name), or None where the file system
    will not make one (the bytes kept in memory put it back then)."""
    for _ in range(8):
        keep = path.with_name(f".{path.name}.{os.urandom(6).hex()}.kept")
        try:
            os.link(path, keep)
        except FileExistsError:
            continue
        except OSError:
            return None
        return keep
    return None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


# How long a command waits for another git-blueprint command writing the same repository
# (SPEC §5): they take turns, each a fraction of a second. GIT_BLUEPRINT_WRITER_WAIT
# overrides it, in seconds.
WRITER_WAIT = 30.0


class _WriterLock:
    """One git-blueprint command writes a repository at a time: ``git add`` then
    ``git commit --only`` by two processes at once can lose an index entry (git reads the
    index before it locks it), and two commits race for HEAD. An advisory lock
    (``flock``) on ``blueprint-writer`` in the git folder, which the system releases
    whatever ends the process; git's own commands do not take it."""

    def __init__(self, root: Path, git_dir: Path | str | None) -> None:
        self.root = root
        self.git_dir = git_dir
        self._fd = -1

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on POSIX
            return
        import time

        folder = self.git_dir if self.git_dir is not None else git_path(self.root, ".")
        path = os.path.join(folder, "blueprint-writer")
        try:
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError:
            return  # a read-only git folder: git's own locks will say so
        wait = seconds_from_env("GIT_BLUEPRINT_WRITER_WAIT", WRITER_WAIT)
        deadline = time.monotonic() + wait
        pause = 0.01
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.release()
                    raise BlueprintError(
                        f"another git-blueprint command has been writing this repository for "
                        f"{wait:.0f} s ({path}); try again when it has finished"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.1)

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing releases the lock
            self._fd = -1
