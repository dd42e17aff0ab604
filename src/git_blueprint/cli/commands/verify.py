"""``bp verify [RANGE]``: the workflow rules over every commit of a range."""

from __future__ import annotations

import os

from git_blueprint.cli.output import Output, Progress
from git_blueprint.core.workflow import describe
from git_blueprint.errors import UsageError
from git_blueprint.git.log import between
from git_blueprint.git.repo import (
    Repo,
    find_repo,
    is_shallow,
    merge_base,
    remote_default,
    resolve_commit,
    upstream,
)
from git_blueprint.history.progress import silent
from git_blueprint.history.verify import Verifier
from git_blueprint.store.config import config_at

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

FORMATS = ("text", "json")


def default_range(repo: Repo) -> str | None:
    """``@{upstream}..HEAD`` when the branch has an upstream, else all of HEAD's history;
    None in a repository without commits."""
    if resolve_commit(repo.cwd, "HEAD") is None:
        return None
    return "@{upstream}..HEAD" if upstream(repo.cwd) is not None else "HEAD"


def range_base(repo: Repo, spec: str, out: Output | None = None) -> tuple[list[str], str | None]:
    """Revision arguments for git log, and the range's base commit (A of A..B) if any.

    A base given as a commit id that is gone from a full clone (the old tip of a branch
    pushed with ``--force``, as CI names it) is replaced by the merge base of B with the
    default branch, and ``out`` is told so; in a shallow clone a missing commit is an
    error that says how to fetch it."""
    cwd = repo.cwd
    if "..." in spec:
        raise UsageError(f"'{spec}': use A..B (the commits of B that A lacks)")
    if ".." in spec:
        left, right = spec.split("..", 1)
        left, right = left or "HEAD", right or "HEAD"
        tip = _resolve(cwd, right, spec)
        if left.strip("0") == "" and len(left) in (40, 64):
            return _new_ref(cwd, right, tip, out)
        found = resolve_commit(cwd, left)
        if found is None:
            found = _instead_of_a_lost_base(cwd, left, tip, spec, out)
        return between(found, right), found
    _resolve(cwd, spec, spec)
    return [spec], None


def _instead_of_a_lost_base(cwd: Path, left: str, tip: str, spec: str, out: Output | None) -> str:
    full_id = len(left) in (40, 64) and all(c in "0123456789abcdef" for c in left.lower())
    if is_shallow(cwd) or not full_id:
        _resolve(cwd, left, spec)  # raises: a name that names nothing, or fetch the history
    default = remote_default(cwd)
    fallback = merge_base(cwd, default, tip) if default is not None else None
    if fallback == tip:
        raise UsageError(
            f"'{spec}': '{left}' is not a commit here (a force push?) and {tip[:12]} is on "
            "the default branch itself, so what the push replaced cannot be told; verify "
            "from the last commit you trust: bp verify <commit>..HEAD"
        )
    if fallback is None:
        raise UsageError(
            f"'{spec}': '{left}' is not a commit here — after a force push the old tip is "
            "gone; name a base that exists, such as the merge base with the default branch "
            "(bp verify $(git merge-base origin/main HEAD)..HEAD)"
        )
    if out is not None:
        out.note(
            f"'{left}' is not a commit here (a force push?); verifying from the merge base "
            f"with the default branch, {fallback[:12]}, instead"
        )
    return fallback


def _new_ref(cwd: Path, right: str, tip: str, out: Output | None) -> tuple[list[str], str | None]:
    """``0000…..TIP``, as CI names a ref pushed for the first time: the commits since the
    merge base with the default branch, by its rules; the whole history of TIP when there
    is no default branch to part from (or TIP is on it)."""
    default = remote_default(cwd)
    base = merge_base(cwd, default, tip) if default is not None else None
    if base is None or base == tip:
        return [right], None
    if out is not None:
        out.note(f"a new ref: verifying from the merge base with the default branch, {base[:12]}")
    return between(base, right), base


def _resolve(cwd: Path, rev: str, spec: str) -> str:
    found = resolve_commit(cwd, rev)
    if found is None:
        hint = (
            " (in a shallow clone, fetch the full history: git fetch --unshallow; in CI, "
            "fetch-depth: 0)"
            if is_shallow(cwd)
            else ""
        )
        raise UsageError(f"'{spec}': '{rev}' is not a commit here{hint}")
    return found


def pushed_range() -> str | None:
    """What the pre-commit framework's pre-push stage is pushing, from the variables it
    sets (``PRE_COMMIT_FROM_REF``: the remote's tip, ``PRE_COMMIT_TO_REF``: the pushed
    commit); None outside it."""
    to_ref = os.environ.get("PRE_COMMIT_TO_REF", "").strip()
    if not to_ref:
        return None
    from_ref = os.environ.get("PRE_COMMIT_FROM_REF", "").strip()
    return f"{from_ref}..{to_ref}" if from_ref and from_ref.strip("0") else to_ref


def _tip_of(cwd: Path, revisions: list[str]) -> str:
    """The commit a whole-history range ends at."""
    return resolve_commit(cwd, revisions[0]) or revisions[0]


def run_verify(spec: str | None, fmt: str, out: Output) -> int:
    repo = find_repo()
    spec = spec or pushed_range() or default_range(repo)
    if spec is None:
        if fmt == "json":
            out.json(
                {"schema": "git-blueprint/verify/1", "range": None, "commits": 0, "violations": []}
            )
        else:
            out.note("nothing to verify: the repository has no commits")
        return 0
    revisions, base = range_base(repo, spec, out)
    cwd = repo.cwd
    # A whole history has no base: the rules committed at its tip, never the working
    # file (an unstaged edit of .blueprint.yaml must not relax a check).
    rules_from = base or _tip_of(cwd, revisions)
    config = config_at(cwd, rules_from)
    verifier = Verifier(
        cwd, repo.git_dir, config, base, work_tree=repo.root, cache_dir=repo.git_dir
    )
    violations = verifier.run(revisions, Progress if fmt != "json" else silent)
    if fmt == "json":
        out.json(
            {
                "schema": "git-blueprint/verify/1",
                "range": spec,
                "commits": verifier.checked,
                "rules_from": rules_from,
                "violations": [v.to_dict() for v in violations],
            }
        )
    else:
        for line in describe(violations):
            out.line(line if line.startswith(" ") else out.paint(line, "red"))
        rules = (
            f"the rules of {rules_from[:12]}"
            if base
            else f"the rules committed at {rules_from[:12]}"
        )
        out.note(
            f"verified {verifier.checked} commit(s) that change blueprints in {spec}, by "
            f"{rules}: {len(violations)} violation(s)"
        )
    return 1 if violations else 0
