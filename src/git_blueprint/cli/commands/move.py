"""``bp promote`` / ``bp demote``: move a blueprint's status along an allowed transition and
commit that change alone, with its trailers."""

from __future__ import annotations

from git_blueprint.cli.output import Output
from git_blueprint.core.config import Config
from git_blueprint.core.metadata import set_fields
from git_blueprint.core.workflow import Actor, Version, check_change, describe, next_status
from git_blueprint.errors import BlueprintError, CheckFailed, UsageError
from git_blueprint.git.repo import git_identity, has_changes, read_blob, short_id
from git_blueprint.store.atomic import atomic_write
from git_blueprint.store.config import config_at
from git_blueprint.store.interrupts import checkpoint
from git_blueprint.store.transaction import Transaction
from git_blueprint.store.workspace import open_workspace, read_blueprint

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def _target(
    config: Config, rel: str, blueprint_id: str, current: str, forward: bool, to: str | None
) -> str:
    """The status to move to: ``--to``, or where the command goes by itself. Whether that
    move is allowed is the workflow rules' question, not this one's."""
    if to is None:
        found = next_status(config, current, forward)
        if found is None:
            way = "forward" if forward else "back"
            raise UsageError(f"{rel}: {current} has no allowed move {way}")
        return found
    target = config.canonical_status(to)
    if target is None:
        raise UsageError(f"--to '{to}': not one of {', '.join(config.statuses)}")
    if target == current:
        raise UsageError(f"{rel}: already {current}")
    order = config.statuses.index
    if forward and order(target) < order(current):
        raise UsageError(
            f"{rel}: {target} comes before {current}; use `bp demote {blueprint_id} --to {target}`"
        )
    if not forward and order(target) > order(current):
        raise UsageError(
            f"{rel}: {target} comes after {current}; use `bp promote {blueprint_id} --to {target}`"
        )
    return target


def _signing(root: Path, config: Config, actor: Actor) -> Actor:
    """The actor with the signature ``-S`` is about to give the commit, where its key can
    be known beforehand (judged by HEAD's allowed signers, as verify will judge it);
    unknown (None) otherwise, and left for ``bp verify`` to judge."""
    from git_blueprint.history.signers import signed_actor, signer_to_be

    signer = signer_to_be(root, "HEAD", config.allowed_signers)
    return actor if signer is None else signed_actor(actor, signer)


def run_move(
    ref: str, forward: bool, to: str | None, message: str | None, commit: bool, out: Output
) -> int:
    ws = open_workspace()
    bp = ws.resolve(ref)
    root = ws.root
    # Judged as the pre-commit hook judges the commit: by the rules committed in HEAD, not
    # by a working `.blueprint.yaml` an unstaged edit could relax.
    config = config_at(root, "HEAD")
    verb = "promote" if forward else "demote"
    text = read_blueprint(bp.path, bp.rel)
    head = read_blob(root, "HEAD", bp.rel)
    if head is None:
        raise UsageError(f"{bp.rel}: not committed yet; commit it first (bp new does)")
    # As git sees it, through its filters: a clean checkout under core.autocrlf is clean.
    staged = read_blob(root, None, bp.rel)
    if (staged != head or head != text.encode("utf-8")) and has_changes(root, bp.rel):
        raise UsageError(
            f"{bp.rel}: has uncommitted changes; commit them first, so that the status "
            "change is committed alone"
        )
    head_text = head.decode("utf-8", "surrogateescape")
    old = Version.of(bp.rel, head_text, config)
    current = old.status(config)
    if current is None:
        raise UsageError(
            f"{bp.rel}: status '{old.raw_status}' is not one of {', '.join(config.statuses)}"
        )
    target = _target(config, bp.rel, bp.id, current, forward, to)
    when = ws.repo.committer().date
    values = {"status": target, "last_updated": when}
    # The working file keeps its own bytes (line endings as checked out); the rules judge
    # the version git will commit, HEAD's with the same fields set.
    new_text = set_fields(text, values, config.names, bp.rel)
    judged = Version.of(bp.rel, set_fields(head_text, values, config.names, bp.rel), config)
    move = f"{current} -> {target}"
    # Judged as the pre-commit hook judges the commit this would make: its author, and the
    # signature `-S` gives it below (with --no-commit the signature is not known yet).
    ident = git_identity("GIT_AUTHOR_IDENT", root)
    actor = Actor(ident.name, ident.email)
    if commit and target in config.signed:
        actor = _signing(root, config, actor)
    violations = check_change(old, judged, config, actor, bp.id)
    if violations:
        for line in describe(violations):
            out.stderr.write(line + "\n")
        raise CheckFailed(
            f"{bp.rel}: not {verb}d ({move}): {len(violations)} workflow rule(s) broken; "
            "nothing changed"
        )
    if not commit:
        atomic_write(bp.path, new_text.encode("utf-8"), bp.rel)
        out.line(f"{bp.rel}: {move} (not committed)")
        return 0
    trailers = [f"Blueprint: {bp.id}", f"Blueprint-Status: {move}"]
    # The file changes only for the commit: whatever stops it (a refused hook, Ctrl-C),
    # the file is put back as it was, unless git says the commit landed.
    with Transaction(root, ws.repo.git_dir) as tx:
        tx.write(bp.path, bp.rel, new_text.encode("utf-8"))
        checkpoint("move-written")
        try:
            landed = tx.commit(
                [bp.rel],
                message or f"{bp.id}: {move}",
                trailers,
                sign=target in config.signed,
                report=f"{bp.rel}: {move}",
            )
        except BlueprintError as exc:
            if tx.landed is not None:
                raise
            raise BlueprintError(f"{bp.rel}: not {verb}d, the commit failed: {exc}") from None
        checkpoint("move-committed")
        # Reported inside the transaction: a signal now is held, and the report stands.
        out.line(f"{bp.rel}: {move} in commit {short_id(root, landed)}")
    return 0
