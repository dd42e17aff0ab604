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


def git_line_merge(
    ours: str,
    base: str,
    theirs: str,
    marker_size: int,
    labels: tuple[str, str, str] = ("ours", "base", "theirs"),
    favor: str | None = None,
) -> tuple[str, int]:
    """git's own three-way line merge (``git merge-file``), with git's labels (ours, base,
    theirs) on the markers and ``favor`` (``ours``/``theirs``/``union``) as git's ``-X``."""
    with tempfile.TemporaryDirectory(prefix="bp-merge-") as tmp:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            p = Path(tmp) / name
            p.write_bytes(text.encode("utf-8"))
            paths.append(str(p))
        ours_file, base_file, theirs_file = paths
        merged, conflicts = merge_file(
            ours_file, base_file, theirs_file, marker_size, labels, favor=favor
        )
    if conflicts < 0:
        raise GitError("git merge-file failed")
    return merged.decode("utf-8"), conflicts


def merge_driver(args: list[str]) -> int:
    """git's call: ``%O %A %B %L %P %S %X %Y``. The result goes into %A; non-zero means
    conflict."""
    base_path, ours_path, theirs_path = (Path(a) for a in args[:3])
    marker_size = int(args[3]) if len(args) > 3 and args[3].isdigit() else 7
    labels = side_labels(args[5:8])
    favor = git_favor()
    try:
        texts = [p.read_bytes().decode("utf-8") for p in (base_path, ours_path, theirs_path)]
    except UnicodeDecodeError:
        texts = []
    if not texts:
        _, conflicts = merge_file(
            str(ours_path),
            str(base_path),
            str(theirs_path),
            marker_size,
            labels,
            stdout=False,
            favor=favor,
        )
        return 1 if conflicts != 0 else 0
    config = load_config_around(os.getcwd())

    def line_merge(ours: str, base: str, theirs: str, size: int) -> tuple[str, int]:
        return git_line_merge(ours, base, theirs, size, labels, favor)

    merged, clean = merge_texts(
        texts[0], texts[1], texts[2], config, line_merge, marker_size, (labels[0], labels[2]), favor
    )
    atomic_write(ours_path, merged.encode("utf-8"))
    return 0 if clean else 1


def side_labels(given: list[str]) -> tuple[str, str, str]:
    """The labels for the conflict markers (ours, base, theirs), as git would write them.

    git 2.44 and later hands them over (``%X``, ``%S``, ``%Y``); older git leaves the
    placeholders as they are. Then ours is ``HEAD`` and theirs the branch ``git merge``
    named in ``GITHEAD_<id>`` (the name git's own merge writes); where there is no such
    name, ``ours``, ``base`` and ``theirs``."""
    base_label, ours_label, theirs_label = [*given, "", "", ""][:3]

    def usable(label: str) -> bool:
        return bool(label) and not (len(label) == 2 and label.startswith("%"))

    if usable(ours_label) and usable(theirs_label):
        return ours_label, base_label if usable(base_label) else "base", theirs_label
    heads = [v for k, v in os.environ.items() if k.startswith("GITHEAD_") and v]
    if len(heads) == 1:
        return "HEAD", "base", heads[0]
    return "ours", "base", "theirs"


def git_favor() -> str | None:
    """``ours``/``theirs`` when the git command that runs this merge was given ``-X ours``
    or ``-X theirs`` (``--strategy-option``). git passes no such option to a merge driver,
    so it is read from that command's own arguments; None when there is none or they
    cannot be read."""
    from git_blueprint.git.process import calling_git

    args = calling_git()
    favor = None
    k = 1
    while k < len(args):
        arg = args[k]
        if arg == "--":
            break
        value = None
        if arg in ("-X", "--strategy-option") and k + 1 < len(args):
            value = args[k + 1]
            k += 1
        elif arg.startswith("--strategy-option="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-X") and len(arg) > 2:
            value = arg[2:]
        if value in ("ours", "theirs"):
            favor = value  # the last one given wins, as in git
        k += 1
    return favor
