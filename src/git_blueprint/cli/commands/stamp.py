"""``bp stamp``: stamp working-tree blueprints by hand, as the pre-commit hook would."""

from __future__ import annotations

from git_blueprint.cli.output import Output
from git_blueprint.core.stamp import content_changed, stamp_text
from git_blueprint.git.repo import read_blob
from git_blueprint.store.atomic import atomic_write
from git_blueprint.store.workspace import BlueprintFile, Workspace, open_workspace, read_blueprint


def _committed(ws: Workspace, bp: BlueprintFile) -> str | None:
    data = read_blob(ws.root, "HEAD", bp.rel)
    return None if data is None else data.decode("utf-8", "replace")


def run_stamp(refs: list[str], out: Output) -> int:
    """Named blueprints are stamped unconditionally; with none named, every blueprint whose
    content differs from HEAD."""
    ws = open_workspace()
    who = ws.repo.committer()
    files = [ws.resolve(ref) for ref in refs] if refs else ws.all_files()
    stamped = 0
    for bp in files:
        text = read_blueprint(bp.path, bp.rel)
        if not refs and not content_changed(_committed(ws, bp), text, ws.config):
            continue
        result = stamp_text(text, who, ws.config, bp.rel)
        if result.changed:
            atomic_write(bp.path, result.text.encode("utf-8"), bp.rel)
            what = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result.values.items())
            out.line(f"stamped {bp.rel}: {what}")
            stamped += 1
    if not stamped:
        out.note("nothing to stamp")
    return 0
