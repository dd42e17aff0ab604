"""The merge driver (``merge.blueprint.driver``): git runs it for every merged blueprint;
it merges the metadata by meaning (:mod:`git_blueprint.core.merge`) and the rest with git's
own ``merge-file``.

Standard library only.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from git_blueprint.core.merge import merge_texts
from git_blueprint.errors import GitError
from git_blueprint.git.repo import merge_file
from git_blueprint.store.atomic import atomic_write
from git_blueprint.store.config import load_config_around


def git_line_merge(ours: str, base: str, theirs: str, marker_size: int) -> tuple[str, int]:
    with tempfile.TemporaryDirectory(prefix="bp-merge-") as tmp:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            p = Path(tmp) / name
            p.write_bytes(text.encode("utf-8"))
            paths.append(str(p))
        ours_file, base_file, theirs_file = paths
        merged, conflicts = merge_file(
            ours_file, base_file, theirs_file, marker_size, ("ours", "base", "theirs")
        )
    if conflicts < 0:
        raise GitError("git merge-file failed")
    return merged.decode("utf-8"), conflicts


def merge_driver(args: list[str]) -> int:
    """git's call: ``%O %A %B %L %P``. The result goes into %A; non-zero means conflict."""
    base_path, ours_path, theirs_path = (Path(a) for a in args[:3])
    marker_size = int(args[3]) if len(args) > 3 and args[3].isdigit() else 7
    try:
        texts = [p.read_bytes().decode("utf-8") for p in (base_path, ours_path, theirs_path)]
    except UnicodeDecodeError:
        texts = []
    if not texts:
        _, conflicts = merge_file(
            str(ours_path), str(base_path), str(theirs_path), marker_size, stdout=False
        )
        return 1 if conflicts != 0 else 0
    config = load_config_around(os.getcwd())
    merged, clean = merge_texts(texts[0], texts[1], texts[2], config, git_line_merge, marker_size)
    atomic_write(ours_path, merged.encode("utf-8"))
    return 0 if clean else 1
