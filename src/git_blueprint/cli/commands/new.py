"""``bp new``: a blueprint from a template, title filled, status initial, stamped, committed."""

from __future__ import annotations

from git_blueprint.cli.output import Output
from git_blueprint.core.metadata import set_fields
from git_blueprint.errors import BlueprintError, UsageError
from git_blueprint.git.repo import ignored_by, short_id
from git_blueprint.store.interrupts import checkpoint
from git_blueprint.store.templates import fill_title, load_template, relabel_footer, slugify
from git_blueprint.store.transaction import Transaction
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
    ignored = ignored_by(ws.root, target.rel)
    if ignored is not None:
        raise UsageError(
            f"{target.rel}: git ignores it ({ignored}); choose another id, or change that rule"
        )
    template, _ = load_template(ws.root, kind)
    ident = ws.repo.committer()
    status = ws.config.initial
    text = fill_title(relabel_footer(template, ws.config.names.footer), title)
    text = set_fields(
        text,
        {"status": status, "last_updated": ident.date, "author": ident.name},
        ws.config.names,
        f"template {kind}",
    )

    message = f"{blueprint_id}: create ({status})"
    with Transaction(ws.root, ws.repo.git_dir) as tx:
        tx.make_folder(target.path.parent, target.rel)
        tx.write(target.path, target.rel, text.encode("utf-8"))
        if not commit:
            out.line(f"created {target.rel} ({status})")
            return 0
        try:
            tx.stage([target.rel])
            checkpoint("new-added")
            # --only: the new file alone is committed; whatever else is staged stays staged.
            sha = tx.commit([target.rel], message, report=f"created {target.rel}")
        except BlueprintError as exc:
            if tx.landed is not None:
                raise
            raise BlueprintError(f"{target.rel}: not created, the commit failed: {exc}") from None
        # Reported inside the transaction: a signal now is held, and the report stands.
        out.line(f"created {target.rel} ({status}) in commit {short_id(ws.root, sha)}: {message}")
    return 0
