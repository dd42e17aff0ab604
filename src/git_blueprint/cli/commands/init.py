"""``bp init``: make a folder a blueprint repository; running it again changes nothing."""

from __future__ import annotations

from pathlib import Path

from git_blueprint.cli.output import Output
from git_blueprint.core.config import CONFIG_NAME, CONFIG_TEMPLATE
from git_blueprint.errors import UsageError
from git_blueprint.git.repo import (
    Repo,
    find_repo,
    git_path,
    init,
    inside_work_tree,
    write_commit_graph,
)
from git_blueprint.store.atomic import atomic_write
from git_blueprint.store.config import load_config

ATTRIBUTES = ".gitattributes"


def attributes_line(folder: str) -> str:
    prefix = "" if folder in ("", ".") else f"{folder}/"
    return f"{prefix}**/*.md diff=blueprint merge=blueprint"


def _has_commit_graph(repo: Repo) -> bool:
    info = Path(git_path(repo.cwd, "objects/info"))
    return (info / "commit-graph").exists() or (info / "commit-graphs").is_dir()


def run_init(path: Path, out: Output) -> int:
    target = path.resolve()
    if target.exists() and not target.is_dir():
        raise UsageError(f"{path}: not a folder")
    did: list[str] = []
    if not target.exists():
        target.mkdir(parents=True)
        did.append(f"created {path}")
    if not inside_work_tree(target):
        init(target)
        did.append("initialised a git repository")
    repo = find_repo(target)
    root = repo.work_tree

    config_path = root / CONFIG_NAME
    if not config_path.exists():
        atomic_write(config_path, CONFIG_TEMPLATE.encode(), CONFIG_NAME)
        did.append(f"wrote {CONFIG_NAME}")
    config = load_config(root)

    folder = root / config.blueprints
    if not folder.is_dir():
        folder.mkdir(parents=True)
        did.append(f"created {config.blueprints}/")

    attributes = root / ATTRIBUTES
    wanted = attributes_line(config.blueprints)
    existing = attributes.read_bytes() if attributes.exists() else b""
    lines = existing.decode("utf-8", "replace").splitlines()
    if wanted not in (line.strip() for line in lines):
        eol = b"\r\n" if b"\r\n" in existing else b"\n"
        sep = b"" if not existing or existing.endswith((b"\n", b"\r")) else eol
        atomic_write(attributes, existing + sep + wanted.encode() + eol, ATTRIBUTES)
        did.append(f"added '{wanted}' to {ATTRIBUTES}")

    from git_blueprint.hooks.install import CLIENT_HOOKS, install, install_drivers

    if install_drivers(repo):
        did.append("configured the blueprint diff and merge drivers in .git/config")

    for state in install(repo, CLIENT_HOOKS):
        if state.action == "chained":
            did.append(f"installed the {state.name} hook (the one that was there runs first)")
        elif state.action != "unchanged":
            did.append(f"{state.action} the {state.name} hook")

    if repo.has_commits() and not _has_commit_graph(repo):
        # Changed-path Bloom filters make the path-limited history of bp log much faster.
        write_commit_graph(root)
        did.append("wrote a commit-graph with changed-path filters")

    where = root.as_posix()
    if did:
        for item in did:
            out.line(f"{item}")
        out.line(f"blueprint repository ready in {where}")
    else:
        out.line(f"{where} is already a blueprint repository; nothing to change")
    return 0
