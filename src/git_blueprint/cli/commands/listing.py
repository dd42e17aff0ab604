"""``bp list``: one row a blueprint — id, title, status, author, last updated."""

from __future__ import annotations

import os
from typing import Any

from git_blueprint.cli.output import Output, status_style, table
from git_blueprint.core.config import MetadataNames
from git_blueprint.core.content import split_title
from git_blueprint.core.summary import summarize
from git_blueprint.errors import DocumentError, UsageError
from git_blueprint.store.listcache import ListCache, Row
from git_blueprint.store.workspace import (
    BlueprintFile,
    open_workspace,
    read_blueprint_and_stat,
    unreadable_summary,
)

FORMATS = ("table", "json", "markdown")


def _md_cell(value: str) -> str:
    """A table cell that shows ``value`` as it is: Markdown's punctuation escaped (no
    emphasis, link or code made of a title), HTML as text, one line."""
    out = []
    for ch in " ".join(value.split()):
        if ch == "<":
            out.append("&lt;")
        elif ch == "&":
            out.append("&amp;")
        elif ch in "\\`*_[]|#~!>":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _row(bp: BlueprintFile, cache: ListCache, names: MetadataNames) -> Row:
    """The file's row, from the cache while its stat data is unchanged."""
    if bp.rel in cache.entries:
        try:
            st = os.stat(bp.path)
        except OSError:
            st = None
        if st is not None:
            row = cache.get(bp.rel, st)
            if row is not None:
                return row
    # Not cached (a cold run), or changed: the stat data of the file as read.
    text, st = read_blueprint_and_stat(bp.path, bp.rel)
    summary = summarize(text, names)
    meta = summary.metadata
    row = (summary.title, meta.value("status"), meta.value("author"), meta.value("last_updated"))
    cache.put(bp.rel, st, row)
    return row


def run_list(status: str | None, fmt: str, out: Output) -> int:
    ws = open_workspace()
    config = ws.config
    wanted: str | None = None
    if status is not None:
        wanted = config.canonical_status(status)
        if wanted is None:
            raise UsageError(
                f"--status '{status}': not one of the statuses ({', '.join(config.statuses)})"
            )
    rows: list[dict[str, Any]] = []
    cache = ListCache(ws.repo.git_dir, config.names)
    present: set[str] = set()
    bad: list[tuple[str, str]] = []
    files = ws.all_files(bad)
    for bp in files:
        present.add(bp.rel)
        try:
            row = _row(bp, cache, config.names)
        except DocumentError as exc:
            if not bp.path.exists() or os.path.getsize(bp.path) != 0:
                bad.append((bp.rel, str(exc).removeprefix(f"{bp.rel}: ")))
                continue
            row = (None, None, None, None)  # empty: a blueprint being written
        title, raw_status, author, updated = row
        canonical = config.canonical_status(raw_status) if raw_status is not None else None
        if wanted is not None and canonical != wanted:
            continue
        kind, name = split_title(title) if title is not None else (None, None)
        rows.append(
            {
                "id": bp.id,
                "path": bp.rel,
                "title": title,
                "kind": kind,
                "name": name,
                "status": canonical or raw_status,
                "author": author,
                "last_updated": updated,
            }
        )
    cache.save(present)
    # A file that cannot be read is reported and left out; the others are listed.
    bad.sort()
    for path, why in bad:
        out.warn(f"{path}: {why}; left out")
    if fmt == "json":
        out.json(
            {
                "schema": "git-blueprint/list/1",
                "blueprints": rows,
                "unreadable": [{"path": path, "reason": why} for path, why in bad],
            }
        )
        return _exit(bad)
    header = ["ID", "TITLE", "STATUS", "AUTHOR", "UPDATED"]
    cells = [
        [r["id"], r["name"] or "", r["status"] or "", r["author"] or "", r["last_updated"] or ""]
        for r in rows
    ]
    if fmt == "markdown":
        out.line("| " + " | ".join(header) + " |")
        out.line("|" + "---|" * len(header))
        for line in cells:
            out.line("| " + " | ".join(_md_cell(c) for c in line) + " |")
        return _exit(bad)
    if not rows and not bad:
        what = f" in status {wanted}" if wanted else ""
        out.note(f"no blueprints{what} in {config.blueprints}/")
        return 0
    if not rows:
        return _exit(bad)

    def paint(column: int, cell: str) -> str:
        if column == 2:
            return out.paint(cell, *status_style(cell, config.statuses))
        return cell

    lines = table(cells, header, paint)
    out.line(out.paint(lines[0], "bold"))
    for text in lines[1:]:
        out.line(text)
    return _exit(bad)


def _exit(bad: list[tuple[str, str]]) -> int:
    """Every readable blueprint was listed; a file that could not be read is bad input
    (exit 2), said once at the end."""
    if bad:
        raise UsageError(unreadable_summary(bad))
    return 0
