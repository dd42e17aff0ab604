"""``bp diff``: the semantic diff of the blueprints that changed, with ``git diff``'s
arguments (the drivers git runs are in :mod:`git_blueprint.hooks.diff_driver`)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from git_blueprint.cli.output import COLOR_CHOICES, Output, wants_color
from git_blueprint.core.config import MetadataNames
from git_blueprint.core.document import Document
from git_blueprint.core.semdiff import FileDiff, Side, diff_documents
from git_blueprint.errors import UsageError
from git_blueprint.git.objects import CatFile
from git_blueprint.git.rawdiff import parse_raw_diff
from git_blueprint.git.repo import (
    EMPTY_TREE,
    merge_base,
    raw_diff,
    resolve_commit,
    short_id,
    top_pathspec,
    unmerged_paths,
)
from git_blueprint.hooks.diff_driver import DEV_NULL
from git_blueprint.store.config import blueprint_layout
from git_blueprint.store.documents import parse_blob, worktree_document
from git_blueprint.values import replace

if TYPE_CHECKING:
    from git_blueprint.git.rawdiff import Change as RawEntry
    from git_blueprint.store.workspace import Workspace

FORMATS = ("text", "json", "markdown")
INDEX = ":0"  # the index as a revision: `git show :0:PATH` reads the staged blob
_REGULAR_MODES = ("100644", "100755", "000000")


def run_diff(
    revs: list[str],
    paths: list[str],
    cached: bool,
    no_index: bool,
    fmt: str,
    color: str,
    exit_code: bool,
    ignore_metadata: bool,
    out: Output,
) -> int:
    """``bp diff``: the semantic diff of the blueprints that changed, like ``git diff``."""
    if fmt not in FORMATS:
        raise UsageError(f"--format: '{fmt}' is not one of {', '.join(FORMATS)}")
    if color not in COLOR_CHOICES:
        raise UsageError(f"--color: '{color}' is not one of {', '.join(COLOR_CHOICES)}")
    if no_index:
        if cached:
            raise UsageError("--cached: cannot be used with --no-index")
        one = _no_index_diff([*revs, *paths])
        files = [one] if one is not None else []  # the same bytes: nothing, as git says
        unmerged: list[str] = []
    else:
        files, unmerged = repo_diffs(revs, paths, cached, out)
    if ignore_metadata:
        files = _without_metadata(files)
    _print(files, fmt, wants_color(color, out.stdout), out, unmerged)
    return 1 if exit_code and (unmerged or any(f.changes for f in files)) else 0


def _without_metadata(files: list[FileDiff]) -> list[FileDiff]:
    """Metadata changes hidden; a file that changed in nothing else is left out altogether,
    as there is nothing of it to show."""
    kept: list[FileDiff] = []
    for diff in files:
        changes = [c for c in diff.changes if c.level != "metadata"]
        if changes or not diff.changes:
            kept.append(replace(diff, changes=changes))
    return kept


def _print(files: list[FileDiff], fmt: str, color: bool, out: Output, unmerged: list[str]) -> None:
    if fmt == "json":
        from git_blueprint.render.jsonout import diff_json

        data = diff_json(files)
        if unmerged:
            data["unmerged"] = unmerged
        out.json(data)
    elif fmt == "markdown":
        from git_blueprint.render.markdown import render_markdown

        out.stdout.write(render_markdown(files))
    elif files:
        from git_blueprint.render.text import render_text

        out.stdout.write(render_text(files, color))


# --- reading documents ------------------------------------------------------------------


# --- bp diff --no-index -------------------------------------------------------------------


def _no_index_diff(operands: list[str]) -> FileDiff | None:
    if len(operands) != 2:
        raise UsageError(f"--no-index: needs exactly two files, got {len(operands)}")
    names = _names_here()
    docs: list[Document | None] = []
    for operand in operands:
        if operand == DEV_NULL:
            docs.append(None)
            continue
        path = Path(operand)
        if not path.exists():
            raise UsageError(f"{operand}: no such file")
        docs.append(worktree_document(path, operand, names))
    old_name, new_name = operands
    if DEV_NULL not in operands and Path(old_name).read_bytes() == Path(new_name).read_bytes():
        return None
    old_path = None if old_name == DEV_NULL else old_name
    new_path = None if new_name == DEV_NULL else new_name
    return FileDiff(
        new_path or old_name,
        Side(None, old_path),
        Side(None, new_path),
        diff_documents(docs[0], docs[1]),
    )


def _names_here() -> MetadataNames:
    """The metadata names of the repository around the current folder, if any: a file
    compared with --no-index may live anywhere."""
    from git_blueprint.errors import NotARepository
    from git_blueprint.git.repo import find_repo
    from git_blueprint.store.config import load_config

    try:
        repo = find_repo()
    except NotARepository:
        return MetadataNames()
    if repo.root is None:
        return MetadataNames()
    return load_config(repo.root, cache_dir=repo.git_dir).names


# --- bp diff [REV [REV]] [-- PATH...] -------------------------------------------------------


def repo_diffs(
    revs: list[str], paths: list[str], cached: bool, out: Output
) -> tuple[list[FileDiff], list[str]]:
    """The blueprints that ``bp diff REV… -- PATH…`` compares, each with its changes, and
    the paths left out because they are unmerged (a conflict in progress: git lists them
    once as unmerged and again against a stage)."""
    from git_blueprint.store.workspace import open_workspace

    ws = open_workspace()
    revs, paths = _split_paths(revs, paths, ws)
    commits = _expand_revs(revs, ws)
    if len(commits) > 2:
        raise UsageError(f"{revs[2] if len(revs) > 2 else revs[-1]}: at most two revisions")
    if cached and len(commits) > 1:
        raise UsageError("--cached: takes at most one revision")
    if cached:
        old_rev = commits[0] if commits else _head_or_empty(ws)
        # On a branch with no commit yet the old side is HEAD, where nothing is yet: named
        # so, not by the empty tree's id.
        shown = "HEAD" if old_rev == EMPTY_TREE else _short(old_rev, ws)
        old, new = Side(shown, None), Side(INDEX, None)
        args = [old_rev]
    elif not commits:
        old, new = Side(INDEX, None), Side(None, None)
        args = []
    elif len(commits) == 1:
        old, new = Side(_short(commits[0], ws), None), Side(None, None)
        args = [commits[0]]
    else:
        old, new = Side(_short(commits[0], ws), None), Side(_short(commits[1], ws), None)
        args = commits
    # Run where the user is, so that their paths mean what they mean to git; the default
    # pathspec is the blueprints folder from the top. Our own drivers stay off.
    pathspecs = paths or [top_pathspec(ws.config.blueprints)]
    data = raw_diff(Path.cwd(), args, pathspecs, cached=cached)
    layout = blueprint_layout(ws.config, ws.root)
    entries = [
        e
        for e in parse_raw_diff(data)
        if layout.is_blueprint(e.path) or layout.is_blueprint(e.old_path)
    ]
    files: list[FileDiff] = []
    # Unmerged paths are said to be so and not diffed, whatever the sides (their stages and
    # the markers in the working file are no version of the document).
    unmerged = (
        [p for p in unmerged_paths(Path.cwd(), pathspecs) if layout.is_blueprint(p)]
        if len(commits) < 2
        else []
    )
    for path in unmerged:
        out.note(f"{path}: unmerged; resolve the conflict to see its diff")
    with contextlib.ExitStack() as stack:
        cat: CatFile | None = None
        for entry in entries:
            if entry.path in unmerged:
                continue
            if not (entry.old_mode in _REGULAR_MODES and entry.new_mode in _REGULAR_MODES):
                continue  # symlinks and submodules are no documents
            if cat is None:
                cat = stack.enter_context(CatFile(ws.root))
            files.append(_entry_diff(entry, old, new, cat, ws))
    return files, unmerged


def _entry_diff(entry: RawEntry, old: Side, new: Side, cat: CatFile, ws: Workspace) -> FileDiff:
    names = ws.config.names
    old_path = None if entry.status == "A" else entry.old_path
    new_path = None if entry.status == "D" else entry.path
    old_doc = new_doc = None
    if old_path is not None:
        old_doc = parse_blob(_blob(cat, entry.old_sha, old_path), _shown(old, old_path), names)
    if new_path is not None:
        if new.rev is None:
            new_doc = worktree_document(ws.root / new_path, new_path, names)
        else:
            data = _blob(cat, entry.new_sha, new_path)
            new_doc = parse_blob(data, _shown(new, new_path), names)
    return FileDiff(
        entry.path,
        replace(old, path=old_path),
        replace(new, path=new_path),
        diff_documents(old_doc, new_doc),
    )


def _blob(cat: CatFile, sha: str, path: str) -> bytes:
    data = cat.read(sha)
    if data is None:
        raise UsageError(f"{path}: blob {sha[:12]} is missing from the repository")
    return data


def _shown(side: Side, path: str) -> str:
    """How an error names a file: ``REV:PATH``, ``:0:PATH`` for the index, or the path."""
    return path if side.rev is None else f"{side.rev}:{path}"


def _split_paths(revs: list[str], paths: list[str], ws: Workspace) -> tuple[list[str], list[str]]:
    """As ``git diff`` does without ``--``: from the first argument that is no revision but
    names a file or folder, the arguments are paths (``bp diff blueprints/gateway.md``)."""
    for k, rev in enumerate(revs):
        if rev.startswith("-") or ".." in rev or _resolves(rev, ws):
            continue
        if os.path.lexists(rev):
            return revs[:k], [*revs[k:], *paths]
    return revs, paths


def _resolves(rev: str, ws: Workspace) -> bool:
    return resolve_commit(ws.root, rev) is not None


def _expand_revs(revs: list[str], ws: Workspace) -> list[str]:
    """Commit ids of the revisions given; ``A..B`` is A and B, ``A...B`` their merge base
    and B, as in ``git diff``."""
    out: list[str] = []
    for rev in revs:
        if not rev:
            raise UsageError("'': not a revision")
        if "..." in rev:
            left, right = rev.split("...", 1)
            right_id = _commit(right or "HEAD", rev, ws)
            base = merge_base(ws.root, _commit(left or "HEAD", rev, ws), right_id)
            if base is None:
                raise UsageError(f"{rev}: the two revisions have no common ancestor")
            out += [base, right_id]
        elif ".." in rev:
            left, right = rev.split("..", 1)
            out += [_commit(left or "HEAD", rev, ws), _commit(right or "HEAD", rev, ws)]
        else:
            out.append(_commit(rev, rev, ws))
    return out


def _commit(rev: str, shown: str, ws: Workspace) -> str:
    if rev.startswith("-"):
        raise UsageError(f"'{shown}': not a revision")
    found = resolve_commit(ws.root, rev)
    if found is None:
        raise UsageError(
            f"'{shown}': unknown revision (not a commit here) or path not in the working tree"
        )
    return found


def _head_or_empty(ws: Workspace) -> str:
    """HEAD, or the empty tree on a branch with no commit yet (everything staged is new)."""
    return _commit("HEAD", "HEAD", ws) if ws.repo.has_commits() else EMPTY_TREE


def _short(object_id: str, ws: Workspace) -> str:
    return short_id(ws.root, object_id)
