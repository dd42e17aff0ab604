"""``bp stamp``: stamp working-tree blueprints by hand, as the pre-commit hook would."""

from __future__ import annotations

from git_blueprint.cli.output import Output
from git_blueprint.core.stamp import content_changed, stamp_text
from git_blueprint.git.repo import differing_from, read_blob, resolve_commit
from git_blueprint.store.transaction import Transaction
from git_blueprint.store.workspace import BlueprintFile, Workspace, open_workspace, read_blueprint


def _committed(ws: Workspace, bp: BlueprintFile) -> str | None:
    data = read_blob(ws.root, "HEAD", bp.rel)
    return None if data is None else data.decode("utf-8", "replace")


def run_stamp(refs: list[str], out: Output) -> int:
    """Named blueprints are stamped unconditionally; with none named, every blueprint whose
    content differs from HEAD (as git sees it, through its filters). Every file is read
    and stamped before any is written; then all are written, or none."""
    ws = open_workspace()
    who = ws.repo.committer()
    files = [ws.resolve(ref) for ref in refs] if refs else ws.all_files()
    if not refs and files and resolve_commit(ws.root, "HEAD") is not None:
        differing = differing_from(ws.root, "HEAD", ws.rel(ws.folder))
        files = [bp for bp in files if bp.rel in differing]
    planned = []
    for bp in files:
        text = read_blueprint(bp.path, bp.rel)
        if not refs and not content_changed(_committed(ws, bp), text, ws.config):
            continue
        result = stamp_text(text, who, ws.config, bp.rel)
        if result.changed:
            planned.append((bp, result))
    with Transaction(ws.root, ws.repo.git_dir) as tx:
        for bp, result in planned:
            tx.write(bp.path, bp.rel, result.text.encode("utf-8"))
    for bp, result in planned:
        what = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result.values.items())
        out.line(f"stamped {bp.rel}: {what}")
    if not planned:
        out.note("nothing to stamp")
    return 0
