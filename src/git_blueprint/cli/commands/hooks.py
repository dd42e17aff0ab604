"""``bp hooks install`` / ``bp hooks uninstall``."""

from __future__ import annotations

from pathlib import Path

from git_blueprint.cli.output import Output
from git_blueprint.errors import UsageError
from git_blueprint.git.repo import find_repo
from git_blueprint.hooks.drivers import uninstall_drivers
from git_blueprint.hooks.install import (
    SERVER_HOOKS,
    HookState,
    Outcome,
    hooks_dir,
    install,
    install_client,
    uninstall,
    uninstall_client,
)
from git_blueprint.store.transaction import Transaction

WORDS = {
    "installed": "installed",
    "updated": "updated",
    "unchanged": "already installed",
    "chained": "installed; the hook that was there runs first ({name}.before-blueprint)",
    "replaced": "installed; the hook that was there is kept as {name}.replaced-by-blueprint",
    "removed": "removed",
    "restored": "removed; the hook that was there before is back",
    "restored-replaced": "removed; the hook that --force had set aside "
    "({name}.replaced-by-blueprint) is back",
    "absent": "not installed",
    "foreign": "not git-blueprint's; left alone",
}


def report(states: list[HookState], where: str, out: Output) -> None:
    for state in states:
        out.line(f"{state.name}: {WORDS[state.action].format(name=state.name)}")
    out.line(f"hooks folder: {where}")


MANAGER_CHOICES = ("auto", "git", "husky", "lefthook", "pre-commit")


def report_outcome(outcome: Outcome, out: Output) -> None:
    """What was written, then what is left to the user."""
    states = list(outcome.states)
    if outcome.done:  # a manager's files said it: the hook files that are not bp's are noise
        states = [s for s in states if s.action not in ("absent", "foreign")]
    if states or (outcome.manager == "git" and not outcome.done):
        report(states, str(outcome.folder), out)
    for line in outcome.done:
        out.line(f"{outcome.manager}: {line}" if outcome.manager != "git" else line)
    if outcome.manager != "git":
        out.line(
            f"hooks folder: {outcome.folder} ({outcome.manager}'s: git-blueprint writes no hook "
            "file there; the lines above run bp hooks run HOOK)"
        )
    for line in outcome.todo:
        out.line(line if line.startswith("    ") else f"to do: {line}")


def run_hooks_install(
    force: bool,
    server: bool,
    out: Output,
    *,
    allow_shared: bool = False,
    allow_tracked: bool = False,
    manager: str = "auto",
) -> int:
    """Exit 0 when installed; 1 when a manager's configuration could not be edited safely
    and the output says what to add by hand."""
    repo = find_repo()
    if server and repo.root is not None:
        raise UsageError(
            f"{repo.root}: --server installs the pre-receive hook in a bare repository "
            "(the one people push to)"
        )
    if not server and repo.root is None:
        raise UsageError(f"{repo.git_dir}: a bare repository takes the server hook: use --server")
    if server:
        folder = hooks_dir(repo)  # asked once, before anything is written
        report(install(repo, SERVER_HOOKS, force=force, folder=folder), str(folder), out)
        return 0
    outcome = install_client(
        repo, force=force, allow_shared=allow_shared, allow_tracked=allow_tracked, manager=manager
    )
    report_outcome(outcome, out)
    return 1 if outcome.manual else 0


def run_hooks_uninstall(out: Output, *, allow_shared: bool = False) -> int:
    repo = find_repo()
    with Transaction(Path(repo.cwd), lock=False) as tx:
        if repo.root is None:
            folder = hooks_dir(repo)
            outcome = Outcome("git", folder, tuple(uninstall(repo, SERVER_HOOKS, tx, folder)))
            drivers = []
        else:
            outcome = uninstall_client(repo, allow_shared=allow_shared, tx=tx)
            drivers = uninstall_drivers(repo, tx)
    report_outcome(outcome, out)
    if drivers:
        out.line(
            "removed the blueprint diff and merge drivers from .git/config "
            "(git diff, git log -p and merges are git's own again; bp init puts them back)"
        )
    return 0
