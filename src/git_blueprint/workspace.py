"""A blueprint repository as commands see it: the git repository, its config, and the
blueprints folder, with ids resolved safely (nothing escapes the folder)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from git_blueprint.config import Config, load_config
from git_blueprint.errors import DocumentError, UsageError
from git_blueprint.gitrepo import Repo, find_repo
from git_blueprint.layout import ID_PATTERN, SUFFIX, Layout, is_valid_id

__all__ = ["ID_PATTERN", "SUFFIX", "BlueprintFile", "Layout", "Workspace", "is_valid_id"]


@dataclass(frozen=True, slots=True)
class BlueprintFile:
    id: str
    path: Path  # absolute, inside the blueprints folder
    rel: str  # path relative to the repository root, with "/"


@dataclass(frozen=True, slots=True)
class Workspace:
    repo: Repo
    config: Config

    @property
    def root(self) -> Path:
        return self.repo.work_tree

    @property
    def folder(self) -> Path:
        """The blueprints folder; when it is a symbolic link to a folder of the repository,
        that folder, so that paths are the ones git tracks."""
        prefix = Layout.of(self.config, self.root).prefix
        return self.root / prefix.rstrip("/") if prefix else self.root

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
            return self._from_path(Path(ref), ref)
        found = self.file_for_id(ref)
        if must_exist and not found.path.is_file():
            raise UsageError(f"'{ref}': no such blueprint ({found.rel} does not exist)")
        return found

    def _from_path(self, given: Path, shown: str) -> BlueprintFile:
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
            raise UsageError(f"{shown}: no such file")
        self._inside(path, shown)
        if not path.is_file():
            raise UsageError(f"{shown}: not a regular file")
        rel_id = path.relative_to(folder).as_posix()[: -len(SUFFIX)]
        return BlueprintFile(rel_id, path, self.rel(path))

    def all_files(self) -> list[BlueprintFile]:
        """Every ``*.md`` in the blueprints folder, sorted by id. Symlinked folders are not
        followed; a symlinked file pointing outside the folder is an error."""
        folder = self.folder
        if not folder.is_dir():
            return []
        found: list[BlueprintFile] = []
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                if not name.endswith(SUFFIX) or name.startswith("."):
                    continue
                path = Path(dirpath) / name
                rel = self.rel(path)
                if path.is_symlink():
                    self._inside(path, rel)
                if not path.is_file():
                    continue
                found.append(
                    BlueprintFile(path.relative_to(folder).as_posix()[: -len(SUFFIX)], path, rel)
                )
        found.sort(key=lambda f: f.id)
        return found


def read_blueprint(path: Path, shown: str) -> str:
    """A blueprint's text; a one-line error naming the file when it cannot be one."""
    from git_blueprint.text import MAX_DOCUMENT_BYTES, decode_document, too_large

    try:
        if not path.is_file():
            raise DocumentError(f"{shown}: not a regular file")
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_DOCUMENT_BYTES:
                raise too_large(size, shown)
            data = fh.read(MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        raise DocumentError(f"{shown}: no such file") from None
    except OSError as exc:
        raise DocumentError(f"{shown}: cannot be read: {exc.strerror}") from None
    return decode_document(data, shown)


def open_workspace(start: Path | None = None) -> Workspace:
    repo = find_repo(start)
    if repo.root is None:
        raise UsageError(f"{repo.git_dir}: a bare repository has no blueprints to work on")
    return Workspace(repo, load_config(repo.root))
