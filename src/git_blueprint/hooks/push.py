"""The pre-push and pre-receive hooks: ``bp verify`` over what is being pushed, with the
rules read from the base of each pushed range (SPEC §6).
"""

from __future__ import annotations

import sys
from pathlib import Path

from git_blueprint.core.workflow import Violation, describe
from git_blueprint.errors import CheckFailed, GitError
from git_blueprint.git.log import between, not_on_remote
from git_blueprint.git.rawdiff import ZERO_SHAS
from git_blueprint.git.repo import absolute_git_dir, commit_exists, remote_default, resolve_commit
from git_blueprint.hooks.context import open_context


def _report_and_refuse(violations: list[Violation], what: str, judged: dict[str, str]) -> int:
    unique = {(v.commit, v.path, v.rule): v for v in violations}
    violations = list(unique.values())
    if not violations:
        return 0
    for line in describe(violations):
        sys.stderr.write(line + "\n")
    rules = ", ".join(f"{ref} by the rules of {base}" for ref, base in judged.items())
    raise CheckFailed(f"{what} refused: {len(violations)} workflow violation(s) ({rules})")


def _rules_named(base: str | None) -> str:
    return base[:12] if base is not None else "the defaults (the remote has no commits)"


def pre_push(args: list[str]) -> int:
    """``bp verify`` over what is being pushed: for each ref, the commits the remote lacks,
    judged by the rules of the remote's tip of that ref (a new ref: of the remote's default
    branch, as this clone last saw it; failing that, as committed in HEAD)."""
    from git_blueprint.history.verify import Verifier
    from git_blueprint.store.config import config_at

    ctx = open_context()
    remote = args[0] if args else "origin"
    violations: list[Violation] = []
    judged: dict[str, str] = {}
    root, git_dir = Path(ctx.root), Path(ctx.git_dir)
    for line in sys.stdin.read().splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        _, local_sha, remote_ref, remote_sha = parts
        if local_sha in ZERO_SHAS:
            continue  # a deletion pushes no commits
        if remote_sha not in ZERO_SHAS and commit_exists(ctx.root, remote_sha):
            base: str | None = remote_sha
            revisions = between(remote_sha, local_sha)
        else:
            base = remote_default(root, remote)
            revisions = not_on_remote(local_sha, remote)
        # Never the working file: with nothing of the remote's known, the rules committed
        # in HEAD (an unstaged edit of .blueprint.yaml changes nothing).
        config = config_at(root, base if base is not None else "HEAD")
        verifier = Verifier(root, git_dir, config, base, work_tree=root, cache_dir=git_dir)
        found = verifier.run(revisions)
        violations += found
        if found:
            known = _rules_named(base) if base is not None else "HEAD (the remote's unknown)"
            judged[remote_ref] = known
    return _report_and_refuse(violations, "push", judged)


def pre_receive() -> int:
    """On the server: for every pushed ref, the commits new to that ref — also those that
    came before on another branch, so that what a branch allowed itself is judged again
    where it lands — with the config and the allowed signers read from the ref's old tip
    (a new ref: the default branch's tip), never from the pushed commits. Works inside
    git's quarantine: nothing here writes a ref."""
    from git_blueprint.history.verify import Verifier
    from git_blueprint.store.config import config_at

    found_dir = absolute_git_dir()
    if found_dir is None:
        raise GitError("the pre-receive hook is not running inside a git repository")
    git_dir = Path(found_dir)
    cwd = Path.cwd()
    violations: list[Violation] = []
    judged: dict[str, str] = {}
    for line in sys.stdin.read().splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        old, new, ref = parts
        if new in ZERO_SHAS:
            continue  # a deleted ref brings no commits
        base: str | None = old if old not in ZERO_SHAS else resolve_commit(cwd, "HEAD")
        revisions = between(base, new) if base is not None else [new]
        verifier = Verifier(cwd, git_dir, config_at(cwd, base), base, cache_dir=git_dir)
        found = verifier.run(revisions)
        violations += [_on_ref(v, ref) for v in found]
        if found:
            judged[ref] = _rules_named(base)
    return _report_and_refuse(violations, "push", judged)


def _on_ref(v: Violation, ref: str) -> Violation:
    return Violation(
        v.rule, f"{v.path} ({ref})", v.message, v.fix, v.old_status, v.new_status, v.commit
    )
