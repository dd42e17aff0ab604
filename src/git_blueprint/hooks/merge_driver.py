"""The merge driver (``merge.blueprint.driver``): git's own three-way merge for the body,
and a metadata merge that knows what the values mean — the later ``Last Updated`` wins, an
author change on one side wins, and two different statuses are a conflict.

Standard library only: git runs it for every merged blueprint.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from git_blueprint.core.config import Config, load_config_around
from git_blueprint.core.metadata import FIELDS, Metadata, set_fields
from git_blueprint.core.summary import summarize
from git_blueprint.errors import BlueprintError
from git_blueprint.git.process import run_git
from git_blueprint.store.atomic import atomic_write


@dataclass(frozen=True, slots=True)
class MetaMerge:
    values: dict[str, str]
    status_conflict: tuple[str, str] | None  # (ours, theirs)


def _three_way(base: str | None, ours: str | None, theirs: str | None) -> str | None:
    if ours == theirs or theirs is None:
        return ours
    if ours is None or ours == base:
        return theirs
    if theirs == base:
        return ours
    return None  # both changed it, differently


def merge_metadata(base: Metadata, ours: Metadata, theirs: Metadata, config: Config) -> MetaMerge:
    def status(meta: Metadata) -> str | None:
        value = meta.value("status")
        return None if value is None else (config.canonical_status(value) or value)

    values: dict[str, str] = {}
    conflict: tuple[str, str] | None = None
    s_base, s_ours, s_theirs = status(base), status(ours), status(theirs)
    merged_status = _three_way(s_base, s_ours, s_theirs)
    if merged_status is None:
        assert s_ours is not None and s_theirs is not None
        conflict = (s_ours, s_theirs)
    else:
        values["status"] = merged_status

    d_ours, d_theirs = ours.value("last_updated"), theirs.value("last_updated")
    dates = [d for d in (d_ours, d_theirs) if d]
    if dates:
        values["last_updated"] = max(dates)

    a_base, a_ours, a_theirs = base.value("author"), ours.value("author"), theirs.value("author")
    author = _three_way(a_base, a_ours, a_theirs)
    if author is None:  # both sides changed it: the side that wrote last
        author = a_theirs if (d_theirs or "") > (d_ours or "") else a_ours
    if author is not None:
        values["author"] = author
    return MetaMerge(values, conflict)


def _with_base_metadata(text: str, side: Metadata, base: Metadata, config: Config) -> str:
    """The side's text with its metadata values set back to the base's, so that git's line
    merge sees no metadata change on either side and the body merges on its own."""
    values = {
        name: base_value
        for name in FIELDS
        if (base_value := base.value(name)) is not None and side.value(name) is not None
    }
    try:
        return set_fields(text, values, config.names, "merge")
    except BlueprintError:  # a side the metadata writer cannot handle: merge it as it is
        return text


def _merge_file(ours: str, base: str, theirs: str, marker_size: int) -> tuple[str, int]:
    with tempfile.TemporaryDirectory(prefix="bp-merge-") as tmp:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            p = Path(tmp) / name
            p.write_bytes(text.encode("utf-8"))
            paths.append(str(p))
        proc = run_git(
            [
                "merge-file",
                "-p",
                f"--marker-size={marker_size}",
                "-L",
                "ours",
                "-L",
                "base",
                "-L",
                "theirs",
                *paths,
            ],
            check=False,
        )
    if proc.returncode < 0 or proc.returncode > 127:
        raise RuntimeError("git merge-file failed")
    return proc.stdout.decode("utf-8"), proc.returncode


def _status_conflict_block(text: str, config: Config, conflict: tuple[str, str], size: int) -> str:
    """The status line replaced by a conflict block offering both statuses."""
    summary = summarize(text, config.names)
    field = summary.metadata.fields.get("status")
    if field is None:
        return text
    src = summary.src
    i = field.line
    line_start = src.starts[i]
    content_end = src.content_start(i) + len(src.lines[i])
    before, after = text[line_start : field.start], text[field.end : content_end]
    eol = src.ending(i) or src.dominant_ending()
    block = (
        f"{'<' * size} ours{eol}{before}{conflict[0]}{after}{eol}"
        f"{'=' * size}{eol}{before}{conflict[1]}{after}{eol}{'>' * size} theirs{eol}"
    )
    return text[:line_start] + block + text[content_end + len(src.ending(i)) :]


def merge_texts(
    base: str, ours: str, theirs: str, config: Config, marker_size: int = 7
) -> tuple[str, bool]:
    """``(merged text, clean)``."""
    m_base = summarize(base, config.names).metadata
    m_ours = summarize(ours, config.names).metadata
    m_theirs = summarize(theirs, config.names).metadata
    meta = merge_metadata(m_base, m_ours, m_theirs, config)
    merged, conflicts = _merge_file(
        _with_base_metadata(ours, m_ours, m_base, config),
        base,
        _with_base_metadata(theirs, m_theirs, m_base, config),
        marker_size,
    )
    try:
        merged = set_fields(merged, meta.values, config.names, "merge")
    except BlueprintError:
        return merged, False
    if meta.status_conflict is not None:
        merged = _status_conflict_block(merged, config, meta.status_conflict, marker_size)
        return merged, False
    return merged, conflicts == 0


def merge_driver(args: list[str]) -> int:
    """git's call: ``%O %A %B %L %P``. The result goes into %A; non-zero means conflict."""
    base_path, ours_path, theirs_path = (Path(a) for a in args[:3])
    marker_size = int(args[3]) if len(args) > 3 and args[3].isdigit() else 7
    try:
        texts = [p.read_bytes().decode("utf-8") for p in (base_path, ours_path, theirs_path)]
    except UnicodeDecodeError:
        texts = []
    if not texts:
        proc = run_git(
            [
                "merge-file",
                f"--marker-size={marker_size}",
                str(ours_path),
                str(base_path),
                str(theirs_path),
            ],
            check=False,
        )
        return 1 if proc.returncode != 0 else 0
    config = load_config_around(os.getcwd())
    merged, clean = merge_texts(texts[0], texts[1], texts[2], config, marker_size)
    atomic_write(ours_path, merged.encode("utf-8"))
    return 0 if clean else 1
