"""The semantic diff as JSON: ``git-blueprint/diff/1`` (docs/diff.md)."""

from __future__ import annotations

from typing import Any

from git_blueprint.core.semdiff import FileDiff

SCHEMA = "git-blueprint/diff/1"


def diff_json(files: list[FileDiff]) -> dict[str, Any]:
    """One JSON document for every file; a file whose changes are only whitespace is listed
    with no changes, so that a reader can tell it was looked at."""
    return {"schema": SCHEMA, "files": [f.to_dict() for f in files]}
