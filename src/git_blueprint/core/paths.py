"""Where blueprints are, as git names paths, and what makes a valid id.

Standard library only, with no ``pathlib``: the pre-commit hook decides with it which
staged paths are blueprints.
"""

from __future__ import annotations

import os
import re

from git_blueprint.core.config import Config
from git_blueprint.values import Record

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9-]*)*")
SUFFIX = ".md"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike


def is_valid_id(value: str) -> bool:
    return bool(ID_PATTERN.fullmatch(value))


class Layout(Record, frozen=True):
    """Where blueprints are, as git names paths: ``prefix`` is the blueprints folder with a
    final "/" ("" for the repository root). A folder that is a symbolic link to another
    folder of the repository is named by its target, which is what git tracks."""

    prefix: str

    @classmethod
    def of(cls, config: Config, root: str | PathLike[str] | None = None) -> Layout:
        folder = config.blueprints.strip("/")
        if folder in ("", "."):
            return cls("")
        if root is not None and os.path.islink(os.path.join(root, folder)):
            real = os.path.realpath(os.path.join(root, folder))
            real_root = os.path.realpath(root)
            inside = real_root.rstrip(os.sep) + os.sep
            if real.startswith(inside) and real != real_root:
                folder = os.path.relpath(real, real_root).replace(os.sep, "/")
        return cls(folder + "/")

    def is_blueprint(self, path: str) -> bool:
        return path.endswith(SUFFIX) and path.startswith(self.prefix)

    def blueprint_id(self, path: str) -> str:
        return path[len(self.prefix) : -len(SUFFIX)] if self.is_blueprint(path) else path

    def pathspec(self) -> list[str]:
        return [self.prefix] if self.prefix else []
