"""A blueprint repository as commands see it: the git repository, its config, and the
blueprints folder, with ids resolved safely (nothing escapes the folder)."""

from __future__ import annotations

import os
from pathlib import Path

from git_blueprint.core.config import Config
from git_blueprint.core.paths import SUFFIX, is_valid_id
from git_blueprint.errors import DocumentError, UsageError
from git_blueprint.git.repo import Repo, find_repo
from git_blueprint.store.config import blueprint_layout, load_config
from git_blueprint.values import Record


class BlueprintFile(Record, frozen=True):
    id: str
    path: Path  # absolute, inside the blueprints folder
    rel: str  # path relative to the repository root, with "/"


class Workspace(Record, frozen=True):
    repo: Repo
    config: Config

    @property
    def root(self) -> Path:
        return self.repo.work_tree

    @property
    def folder(self) -> Path:
        """The blueprints folder; when it is a symbolic link to a folder of the repository,
        that folder, so that paths are the ones git tracks."""
        prefix = blueprint_layout(self.config, self.root).prefix
        if not prefix:
            return self.root
        folder = self.root / prefix.rstrip("/")
        check_folder(self.root, folder, self.config.blueprints)
        return folder

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _real_folder(self) -> Path:
        return Path(os.path.realpath(self.folder))

    def _inside(self, path: Path, shown: str) -> None:
        real = Path(os.path.realpath(path))
        folder = self._real_folder()
        if real != folder and folder not in real.parents:
            raise UsageError(f"{shown}: outside the blueprints folder '{self.config.blueprints}'")

    def file_for_id(self, blueprint_id: str) -> BlueprintFile:
        """The file an id names, whether or not it exists yet."""
        if not is_valid_id(blueprint_id):
            raise UsageError(
                f"'{blueprint_id}': not a blueprint id (lowercase letters, digits and '-', "
                "with '/' between folders, e.g. payments/gateway)"
            )
        path = self.folder / f"{blueprint_id}{SUFFIX}"
        self._inside(path, blueprint_id)
        return BlueprintFile(blueprint_id, path, self.rel(path))

    def resolve(self, ref: str, *, must_exist: bool = True) -> BlueprintFile:
        """An id (``payments/gateway``) or a path to a file in the blueprints folder."""
        if ref.endswith(SUFFIX) or (os.sep in ref and Path(ref).exists()):
            return self._from_path(Path(ref), ref, must_exist)
        found = self.file_for_id(ref)
        if must_exist and not found.path.is_file():
            raise UsageError(f"'{ref}': no such blueprint ({found.rel} does not exist)")
        return found

    def _from_path(self, given: Path, shown: str, must_exist: bool = True) -> BlueprintFile:
        path = given if given.is_absolute() else Path.cwd() / given
        path = Path(os.path.normpath(path))
        folder = Path(os.path.normpath(self.folder))
        if folder not in path.parents:
            # A caller in a symlinked checkout may name the real path.
            real, real_folder = Path(os.path.realpath(path)), self._real_folder()
            if real_folder not in real.parents:
                raise UsageError(
                    f"{shown}: not inside the blueprints folder '{self.config.blueprints}'"
                )
            path = folder / real.relative_to(real_folder)
        if not path.exists():
            if must_exist or folder not in path.parents:
                raise UsageError(f"{shown}: no such file")
        else:
            self._inside(path, shown)
            if not path.is_file():
                raise UsageError(f"{shown}: not a regular file")
        rel_id = path.relative_to(folder).as_posix()[: -len(SUFFIX)]
        return BlueprintFile(rel_id, path, self.rel(path))

    def all_files(self, bad: list[tuple[str, str]] | None = None) -> list[BlueprintFile]:
        """Every ``*.md`` in the blueprints folder, sorted by id. Symlinked folders are not
        followed; a symlinked file pointing outside the folder is an error — or, given a
        ``bad`` list, put there as (path, reason) and left out, for the commands that
        report a bad file and go on with the others."""
        folder = self.folder
        if not folder.is_dir():
            return []
        base = self.rel(folder)
        found: list[BlueprintFile] = []
        _collect_files(self, str(folder), "", "" if base == "." else base + "/", found, bad)
        found.sort(key=lambda f: f.id)
        return found


def unreadable_summary(bad: list[tuple[str, str]]) -> str:
    """The one line that ends a command which went on past unreadable files
    (:meth:`Workspace.all_files` with a ``bad`` list)."""
    paths = ", ".join(path for path, _ in sorted(bad))
    return f"{len(bad)} file(s) could not be read as blueprints: {paths}"


def check_folder(root: Path, folder: Path, configured: str) -> None:
    """The blueprints folder may be missing (``bp new`` makes it), but never a file, nor
    lead out of the repository by a symbolic link (of itself or of a folder on the way):
    bp reads and writes only inside the repository it was asked to work in."""
    real = os.path.realpath(folder)
    real_root = os.path.realpath(root)
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise UsageError(
            f"{configured}: the blueprints folder leads out of the repository (a symbolic "
            f"link to {real}); bp works only inside the repository"
        )
    if os.path.lexists(folder) and not os.path.isdir(folder):
        raise UsageError(f"{configured}: the blueprints folder is not a folder")


def _collect_files(
    ws: Workspace,
    directory: str,
    sub: str,
    base: str,
    found: list[BlueprintFile],
    bad: list[tuple[str, str]] | None,
) -> None:
    """The blueprints in ``directory`` (``sub`` below the blueprints folder, which is
    ``base`` below the repository root), then in its folders: what ``os.walk`` without
    following links finds, in the same order, from the directory entries alone (no stat
    for a regular file, no ``Path`` but the one a blueprint keeps)."""
    try:
        with os.scandir(directory) as it:
            entries = list(it)
    except OSError:
        return  # os.walk skips a folder it cannot list
    folders = []
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not name.startswith("."):
                folders.append(name)
            continue
        if not name.endswith(SUFFIX) or name.startswith("."):
            continue
        rel_sub = sub + name
        rel = base + rel_sub
        path = Path(entry.path)
        if entry.is_symlink():
            try:
                ws._inside(path, rel)
            except UsageError as exc:
                if bad is None:
                    raise
                bad.append((rel, str(exc).removeprefix(f"{rel}: ")))
                continue
        try:
            is_file = entry.is_file()
        except OSError:
            is_file = path.is_file()  # its rules for a link that cannot be followed
        if is_file:
            found.append(BlueprintFile(rel_sub[: -len(SUFFIX)], path, rel))
    for name in sorted(folders):
        inner = os.path.join(directory, name)
        if not os.path.islink(inner):
            _collect_files(ws, inner, f"{sub}{name}/", base, found, bad)


def read_blueprint(path: Path, shown: str) -> str:
    """A blueprint's text; a one-line error naming the file when it cannot be one."""
    return read_blueprint_and_stat(path, shown)[0]


def read_blueprint_and_stat(path: Path, shown: str) -> tuple[str, os.stat_result]:
    """:func:`read_blueprint`, with the stat data of the file read.

    One open, one fstat and reads to the end (the open does not block on a FIFO); the
    errors are those of checking ``is_file()`` and then opening.
    """
    import stat

    from git_blueprint.core.content import MAX_DOCUMENT_BYTES, decode_document, too_large

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        try:
            regular = path.is_file()
        except OSError as stat_exc:
            raise DocumentError(f"{shown}: cannot be read: {stat_exc.strerror}") from None
        if not regular:
            raise DocumentError(f"{shown}: not a regular file") from None
        if isinstance(exc, FileNotFoundError):
            raise DocumentError(f"{shown}: no such file") from None
        raise DocumentError(f"{shown}: cannot be read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError(f"{shown}: not a regular file")
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise too_large(info.st_size, shown)
        # Up to one byte more than a blueprint may have, whatever the file grew to.
        left = MAX_DOCUMENT_BYTES + 1
        chunk = os.read(fd, min(info.st_size + 1, left))
        parts = [chunk]
        left -= len(chunk)
        while chunk and left > 0:
            chunk = os.read(fd, min(1 << 16, left))
            parts.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise DocumentError(f"{shown}: cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)
    data = parts[0] if len(parts) == 2 and not parts[1] else b"".join(parts)
    return decode_document(data, shown), info


def open_workspace(start: Path | None = None) -> Workspace:
    repo = find_repo(start)
    if repo.root is None:
        raise UsageError(f"{repo.git_dir}: a bare repository has no blueprints to work on")
    return Workspace(repo, load_config(repo.root, cache_dir=repo.git_dir))
