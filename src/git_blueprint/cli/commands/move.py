"""``bp promote`` / ``bp demote``: move a blueprint's status along an allowed transition and
commit that change alone, with its trailers."""

from __future__ import annotations

import contextlib

from git_blueprint.cli.output import Output
from git_blueprint.core.config import Config
from git_blueprint.core.metadata import set_fields
from git_blueprint.core.workflow import Actor, Version, same_person
from git_blueprint.errors import BlueprintError, UsageError
from git_blueprint.git.process import run_git
from git_blueprint.git.repo import git_identity
from git_blueprint.store.atomic import atomic_write
from git_blueprint.store.interrupts import checkpoint, deferred_signals
from git_blueprint.store.workspace import open_workspace, read_blueprint


def next_status(config: Config, current: str, forward: bool) -> str | None:
    """Promote: the first allowed status later in ``statuses``; demote: the nearest allowed
    earlier one."""
    order = {s: i for i, s in enumerate(config.statuses)}
    allowed = config.transitions.get(current, ())
    here = order[current]
    if forward:
        later = [s for s in allowed if order[s] > here]
        return min(later, key=lambda s: order[s]) if later else None
    earlier = [s for s in allowed if order[s] < here]
    return max(earlier, key=lambda s: order[s]) if earlier else None


def run_move(
    ref: str, forward: bool, to: str | None, message: str | None, commit: bool, out: Output
) -> int:
    ws = open_workspace()
    config = ws.config
    bp = ws.resolve(ref)
    root = ws.root
    verb = "promote" if forward else "demote"
    text = read_blueprint(bp.path, bp.rel)
    head = run_git(["cat-file", "blob", f"HEAD:{bp.rel}"], root, check=False)
    if head.returncode != 0:
        raise UsageError(f"{bp.rel}: not committed yet; commit it first (bp new does)")
    staged = run_git(["cat-file", "blob", f":{bp.rel}"], root, check=False)
    if head.stdout != staged.stdout or head.stdout != text.encode("utf-8"):
        raise UsageError(
            f"{bp.rel}: has uncommitted changes; commit them first, so that the status "
            "change is committed alone"
        )
    current_version = Version.of(bp.rel, text, config)
    raw = current_version.raw_status
    current = current_version.status(config)
    if current is None:
        raise UsageError(f"{bp.rel}: status '{raw}' is not one of {', '.join(config.statuses)}")
    if to is not None:
        target = config.canonical_status(to)
        if target is None:
            raise UsageError(f"--to '{to}': not one of {', '.join(config.statuses)}")
    else:
        found = next_status(config, current, forward)
        if found is None:
            way = "forward" if forward else "back"
            raise UsageError(f"{bp.rel}: {current} has no allowed move {way}")
        target = found
    allowed = config.transitions.get(current, ())
    if target == current:
        raise UsageError(f"{bp.rel}: already {current}")
    if target not in allowed:
        raise UsageError(
            f"{bp.rel}: {current} -> {target} is not allowed "
            f"(from {current}: {', '.join(allowed) or 'nowhere'})"
        )

    ident = git_identity("GIT_AUTHOR_IDENT", root)
    if target in config.four_eyes and same_person(
        current_version.author, Actor(ident.name, ident.email)
    ):
        raise UsageError(
            f"{bp.rel}: you ({ident.name}) are its Author; someone else must {verb} it to {target}"
        )
    if target in config.require_complete:
        left = current_version.placeholder_count(config)
        if left:
            raise UsageError(
                f"{bp.rel}: {left} placeholder(s) left; fill them before {target} "
                f"(bp check {bp.id} lists them)"
            )

    when = ws.repo.committer().date
    new_text = set_fields(text, {"status": target, "last_updated": when}, config.names, bp.rel)
    move = f"{current} -> {target}"
    if not commit:
        atomic_write(bp.path, new_text.encode("utf-8"), bp.rel)
        out.line(f"{bp.rel}: {move} (not committed)")
        return 0
    args = [
        "commit",
        "-q",
        "--only",
        "-m",
        message or f"{bp.id}: {move}",
        "--trailer",
        f"Blueprint: {bp.id}",
        "--trailer",
        f"Blueprint-Status: {move}",
    ]
    if target in config.signed:
        args.append("-S")
    # The file changes only for the commit: whatever stops it (a refused hook, Ctrl-C),
    # the file is put back as it was.
    try:
        atomic_write(bp.path, new_text.encode("utf-8"), bp.rel)
        checkpoint("move-written")
        run_git([*args, "--", bp.rel], root)
        checkpoint("move-committed")
    except BaseException as exc:
        committed = run_git(["cat-file", "blob", f"HEAD:{bp.rel}"], root, check=False).stdout
        if committed != new_text.encode("utf-8"):
            with deferred_signals(), contextlib.suppress(BlueprintError):
                atomic_write(bp.path, text.encode("utf-8"), bp.rel)
        if isinstance(exc, BlueprintError):
            raise BlueprintError(f"{bp.rel}: not {verb}d, the commit failed: {exc}") from None
        raise
    sha = run_git(["rev-parse", "--short", "HEAD"], root).stdout.decode().strip()
    out.line(f"{bp.rel}: {move} in commit {sha}")
    return 0
