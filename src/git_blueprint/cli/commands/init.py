"""``bp init``: make a folder a blueprint repository; running it again changes nothing."""

from __future__ import annotations

import contextlib
from pathlib import Path

from git_blueprint.cli.output import Output
from git_blueprint.core.config import CONFIG_NAME, CONFIG_TEMPLATE
from git_blueprint.errors import BlueprintError, UsageError
from git_blueprint.git.repo import (
    Repo,
    find_repo,
    git_path,
    init,
    inside_work_tree,
    write_commit_graph,
)
from git_blueprint.store.config import load_config
from git_blueprint.store.transaction import Transaction
from git_blueprint.store.workspace import check_folder

ATTRIBUTES = ".gitattributes"


def attributes_line(folder: str) -> str:
    prefix = "" if folder in ("", ".") else f"{folder}/"
    return f"{prefix}**/*.md diff=blueprint merge=blueprint"


def _has_commit_graph(repo: Repo) -> bool:
    info = Path(git_path(repo.cwd, "objects/info"))
    return (info / "commit-graph").exists() or (info / "commit-graphs").is_dir()


def run_init(path: Path, out: Output) -> int:
    """Everything ``bp init`` sets up, through one transaction: whatever fails or stops it
    takes back what it did (the folder and the repository it made included)."""
    target = path.resolve()
    if target.exists() and not target.is_dir():
        raise UsageError(f"{path}: not a folder")
    if not target.exists():
        parent = _nearest_existing(target)
        if inside_work_tree(parent):
            top = find_repo(parent).work_tree
            raise UsageError(
                f"{path}: would be made inside the git repository {top.as_posix()}; run "
                "bp init there (or in a folder outside it)"
            )
    did: list[str] = []
    notes: list[str] = []  # what is left to the user
    with Transaction(target, lock=False) as tx:
        if not target.exists():
            tx.make_folder(target, str(path))
            did.append(f"created {path}")
        if not inside_work_tree(target):
            tx.made_repository(target / ".git")  # before: a git init cut short is undone too
            init(target)
            did.append("initialised a git repository")
        repo = find_repo(target)
        root = repo.work_tree
        tx.root = root
        _set_up(repo, root, tx, did, notes)

    where = root.as_posix()
    if did:
        for item in did:
            out.line(f"{item}")
        out.line(f"blueprint repository ready in {where}")
    else:
        out.line(f"{where} is already a blueprint repository; nothing to change")
    for note in notes:
        out.line(note)
    return 0


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _set_up(repo: Repo, root: Path, tx: Transaction, did: list[str], notes: list[str]) -> None:
    config_path = root / CONFIG_NAME
    if not config_path.exists():
        tx.write(config_path, CONFIG_NAME, CONFIG_TEMPLATE.encode())
        did.append(f"wrote {CONFIG_NAME}")
    config = load_config(root)

    folder = root / config.blueprints
    check_folder(root, folder, config.blueprints)  # never a folder out of the repository
    if not folder.is_dir():
        tx.make_folder(folder, f"{config.blueprints}/")
        did.append(f"created {config.blueprints}/")

    attributes = root / ATTRIBUTES
    wanted = attributes_line(config.blueprints)
    existing = attributes.read_bytes() if attributes.exists() else b""
    lines = existing.decode("utf-8", "replace").splitlines()
    if wanted not in (line.strip() for line in lines):
        eol = b"\r\n" if b"\r\n" in existing else b"\n"
        sep = b"" if not existing or existing.endswith((b"\n", b"\r")) else eol
        tx.write(attributes, ATTRIBUTES, existing + sep + wanted.encode() + eol)
        did.append(f"added '{wanted}' to {ATTRIBUTES}")

    from git_blueprint.hooks.drivers import install_drivers
    from git_blueprint.hooks.install import HooksFolderRefused, install_client

    if install_drivers(repo, tx):
        did.append("configured the blueprint diff and merge drivers in .git/config")

    try:
        outcome = install_client(repo, tx=tx)
    except HooksFolderRefused as refused:  # nothing written: the rest of the set-up stands
        notes.append(f"hooks not installed: {refused}")
    else:
        for state in outcome.states:
            if state.action == "chained":
                did.append(f"installed the {state.name} hook (the one that was there runs first)")
            elif state.action != "unchanged":
                did.append(f"{state.action} the {state.name} hook")
        if outcome.wrote:
            did += [f"{outcome.manager}: {line}" for line in outcome.done]
        notes += [line if line.startswith("    ") else f"to do: {line}" for line in outcome.todo]

    if repo.has_commits() and not _has_commit_graph(repo):
        # Changed-path Bloom filters make the path-limited history of bp log much faster.
        # Only faster reads: a commit-graph that cannot be written is no failure of init.
        with contextlib.suppress(BlueprintError):
            write_commit_graph(root)
            did.append("wrote a commit-graph with changed-path filters")
