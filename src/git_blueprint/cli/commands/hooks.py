"""``bp hooks install`` / ``bp hooks uninstall``."""

from __future__ import annotations

from pathlib import Path

from git_blueprint.cli.output import Output
from git_blueprint.errors import UsageError
from git_blueprint.git.repo import find_repo
from git_blueprint.hooks.drivers import uninstall_drivers
from git_blueprint.hooks.install import (
    CLIENT_HOOKS,
    SERVER_HOOKS,
    HookState,
    hooks_dir,
    install,
    uninstall,
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


def run_hooks_install(force: bool, server: bool, out: Output) -> int:
    repo = find_repo()
    if server and repo.root is not None:
        raise UsageError(
            f"{repo.root}: --server installs the pre-receive hook in a bare repository "
            "(the one people push to)"
        )
    if not server and repo.root is None:
        raise UsageError(f"{repo.git_dir}: a bare repository takes the server hook: use --server")
    folder = hooks_dir(repo)  # asked once, before anything is written
    states = install(repo, SERVER_HOOKS if server else CLIENT_HOOKS, force=force, folder=folder)
    report(states, str(folder), out)
    return 0


def run_hooks_uninstall(out: Output) -> int:
    repo = find_repo()
    folder = hooks_dir(repo)
    with Transaction(Path(repo.cwd), lock=False) as tx:
        states = uninstall(
            repo, SERVER_HOOKS if repo.root is None else CLIENT_HOOKS, tx=tx, folder=folder
        )
        drivers = uninstall_drivers(repo, tx) if repo.root is not None else []
    report(states, str(folder), out)
    if drivers:
        out.line(
            "removed the blueprint diff and merge drivers from .git/config "
            "(git diff, git log -p and merges are git's own again; bp init puts them back)"
        )
    return 0
