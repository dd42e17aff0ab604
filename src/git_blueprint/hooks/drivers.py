"""The diff and merge drivers git-blueprint writes into a repository's ``.git/config``
(``bp init``) and takes out again (``bp hooks uninstall``)."""

from __future__ import annotations

from git_blueprint.git.repo import Repo, config_value
from git_blueprint.hooks.install import current_python
from git_blueprint.store.transaction import Transaction


def driver_command(python: str, *args: str) -> str:
    """A command line git runs through the shell: the interpreter path is quoted."""
    import shlex

    return " ".join([shlex.quote(python), "-I", "-m", "git_blueprint._hook", *args])


# What git's configured drivers run: git-blueprint where it is installed; where it is gone
# (uninstalled, moved, its Python removed), git's own behaviour, with one line that says
# so — never "external diff died". Each is a shell function git calls with its arguments
# (git appends them to a diff or textconv command; a merge driver's are in the line).
_GONE = (
    "echo 'git-blueprint: its {what} driver cannot run ({python} is missing); git'\\''s own "
    "{what} instead (bp init restores the driver, git config --remove-section "
    "{section} removes it)' >&2"
)


def driver_settings(python: str) -> dict[str, str]:
    """What ``bp init`` writes into ``.git/config``. The diff command hands over to an
    external diff the caller asked for (``GIT_EXTERNAL_DIFF``, which ``git difftool`` sets
    and which git's own attribute lookup would otherwise override). The merge driver gets
    git's labels (``%S %X %Y``, git 2.44 and later; older git leaves them as they are)."""
    import shlex

    py = shlex.quote(python)
    run = f"{py} -I -m git_blueprint._hook"
    diff_gone = _GONE.format(what="diff", python=python.replace("'", ""), section="diff.blueprint")
    merge_gone = _GONE.format(
        what="merge", python=python.replace("'", ""), section="merge.blueprint"
    )
    return {
        "diff.blueprint.command": (
            "bp_diff() { "
            'if [ -n "${GIT_EXTERNAL_DIFF:-}" ]; then eval "$GIT_EXTERNAL_DIFF \\"\\$@\\""; '
            "return; fi; "
            f'if [ -x {py} ] && {run} diff-driver "$@"; then return 0; fi; {diff_gone}; '
            'if [ $# -eq 1 ]; then echo "* Unmerged path $1"; return 0; fi; '
            'git diff --no-ext-diff --no-index -- "$2" "$5"; return 0; }; bp_diff'
        ),
        "diff.blueprint.xfuncname": "^#+ .*$",
        "merge.blueprint.name": "git-blueprint: merge metadata by meaning, the rest as text",
        "merge.blueprint.driver": (
            f"bp_merge() {{ if [ -x {py} ] && {py} -I -c 'import git_blueprint._hook' "
            f'2>/dev/null; then exec {run} merge-driver "$@"; fi; {merge_gone}; '
            # a label git left as its placeholder (git before 2.44) names nothing; and no
            # placeholder letter may follow a % here, git would expand it
            'o=$7; b=$6; t=$8; case $o in %?|"") o=ours;; esac; '
            'case $b in %?|"") b=base;; esac; case $t in %?|"") t=theirs;; esac; '
            'git merge-file --marker-size="$4" -L "$o" -L "$b" -L "$t" "$2" "$1" "$3"; }; '
            "bp_merge %O %A %B %L %P %S %X %Y"
        ),
        "merge.blueprint.recursive": "text",
    }


# Settings an earlier git-blueprint wrote and this one takes out: the textconv outline,
# which made git blame, git log -S/-G and git apply read something other than the file.
RETIRED = ("diff.blueprint.textconv", "diff.blueprint.cachetextconv")


def uninstall_drivers(repo: Repo, tx: Transaction) -> list[str]:
    """Take git-blueprint's driver settings out of the repository's config (those that
    run it; a setting someone changed to something else stays); the keys removed."""
    removed: list[str] = []
    for key in (*driver_settings(current_python()), *RETIRED):
        value = config_value(repo.cwd, key, local=True)
        if value is None:
            continue
        ours = "git_blueprint._hook" in value or key.endswith(
            ("cachetextconv", "xfuncname", ".name", "recursive")
        )
        if ours:
            tx.unset_config(key)
            removed.append(key)
    return removed


def install_drivers(repo: Repo, tx: Transaction) -> list[str]:
    """Write the driver settings into the repository's config through ``tx``; returns the
    keys changed."""
    changed: list[str] = []
    for key, value in driver_settings(current_python()).items():
        if config_value(repo.cwd, key, local=True) == value:
            continue
        tx.set_config(key, value)
        changed.append(key)
    for key in RETIRED:
        retired = config_value(repo.cwd, key, local=True)
        if retired is not None and _retired_ours(key, retired):
            tx.unset_config(key)
            changed.append(key)
    return changed


def _retired_ours(key: str, value: str) -> bool:
    return "git_blueprint._hook" in value or key.endswith("cachetextconv")
