"""``bp hooks install`` / ``bp hooks uninstall``."""

from __future__ import annotations

from git_blueprint.gitrepo import find_repo
from git_blueprint.hooks import CLIENT_HOOKS, HookState, hooks_dir, install, uninstall
from git_blueprint.output import Output

WORDS = {
    "installed": "installed",
    "updated": "updated (new interpreter path)",
    "unchanged": "already installed",
    "chained": "installed; the hook that was there runs first ({name}.before-blueprint)",
    "replaced": "installed; the hook that was there is kept as {name}.replaced-by-blueprint",
    "removed": "removed",
    "restored": "removed; the hook that was there before is back",
    "absent": "not installed",
    "foreign": "not git-blueprint's; left alone",
}


def report(states: list[HookState], where: str, out: Output) -> None:
    for state in states:
        out.line(f"{state.name}: {WORDS[state.action].format(name=state.name)}")
    out.line(f"hooks folder: {where}")


def run_hooks_install(force: bool, out: Output) -> int:
    repo = find_repo()
    states = install(repo, CLIENT_HOOKS, force=force)
    report(states, str(hooks_dir(repo)), out)
    return 0


def run_hooks_uninstall(out: Output) -> int:
    repo = find_repo()
    states = uninstall(repo, CLIENT_HOOKS)
    report(states, str(hooks_dir(repo)), out)
    return 0
