"""``bp new``: a blueprint from a template, title filled, status initial, stamped, committed."""

from __future__ import annotations

import contextlib

from git_blueprint.cli.output import Output
from git_blueprint.core.metadata import set_fields
from git_blueprint.errors import BlueprintError, UsageError
from git_blueprint.git.repo import add, commit_only, read_blob, short_id, unstage_new
from git_blueprint.store.atomic import atomic_write
from git_blueprint.store.interrupts import checkpoint, deferred_signals
from git_blueprint.store.templates import fill_title, load_template, slugify
from git_blueprint.store.workspace import open_workspace


def run_new(title: str, kind: str, blueprint_id: str | None, commit: bool, out: Output) -> int:
    title = " ".join(title.split())
    if not title:
        raise UsageError("the title is empty")
    ws = open_workspace()
    if blueprint_id is None:
        blueprint_id = slugify(title)
        if not blueprint_id:
            raise UsageError(f"'{title}': no id can be made from this title; give one with --id")
    target = ws.file_for_id(blueprint_id)
    if target.path.exists() or target.path.is_symlink():
        raise UsageError(f"'{blueprint_id}': {target.rel} already exists")
    template, _ = load_template(ws.root, kind)
    ident = ws.repo.committer()
    status = ws.config.initial
    text = fill_title(template, title)
    text = set_fields(
        text,
        {"status": status, "last_updated": ident.date, "author": ident.name},
        ws.config.names,
        f"template {kind}",
    )

    target.path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target.path, text.encode("utf-8"), target.rel)
    if not commit:
        out.line(f"created {target.rel} ({status})")
        return 0
    message = f"{blueprint_id}: create ({status})"
    root = ws.root
    try:
        add(root, [target.rel])
        checkpoint("new-added")
        # --only: the new file alone is committed; whatever else is staged stays staged.
        commit_only(root, [target.rel], message)
    except BaseException as exc:
        if read_blob(root, "HEAD", target.rel) is None:  # not committed: leave nothing behind
            with deferred_signals():
                with contextlib.suppress(BlueprintError):
                    unstage_new(root, [target.rel])
                with contextlib.suppress(OSError):
                    target.path.unlink()
        if isinstance(exc, BlueprintError):
            raise BlueprintError(f"{target.rel}: not created, the commit failed: {exc}") from None
        raise
    sha = short_id(root, "HEAD")
    out.line(f"created {target.rel} ({status}) in commit {sha}: {message}")
    return 0
