"""Where blueprints are, as git names paths, and what makes a valid id.

Standard library only, with no ``pathlib``: the pre-commit hook decides with it which
staged paths are blueprints.
"""

from __future__ import annotations

import re

from git_blueprint.values import Record

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9-]*)*")
SUFFIX = ".md"


def is_valid_id(value: str) -> bool:
    return bool(ID_PATTERN.fullmatch(value))


class Layout(Record, frozen=True):
    """Where blueprints are, as git names paths: ``prefix`` is the blueprints folder with a
    final "/" ("" for the repository root)."""

    prefix: str

    @classmethod
    def of(cls, folder: str) -> Layout:
        """The layout of a blueprints folder as git names it (``config.blueprints``, or the
        folder a link there points to: :func:`git_blueprint.store.config.blueprint_layout`)."""
        folder = folder.strip("/")
        return cls("" if folder in ("", ".") else folder + "/")

    def is_blueprint(self, path: str) -> bool:
        return path.endswith(SUFFIX) and path.startswith(self.prefix)

    def blueprint_id(self, path: str) -> str:
        return path[len(self.prefix) : -len(SUFFIX)] if self.is_blueprint(path) else path

    def pathspec(self) -> list[str]:
        return [self.prefix] if self.prefix else []
