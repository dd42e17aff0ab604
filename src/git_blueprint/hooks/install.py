"""Installing the hook shims where git looks for hooks (``git rev-parse --git-path hooks``,
so ``core.hooksPath`` and linked worktrees are honoured). A hook that was there before is
kept as ``<hook>.before-blueprint`` and still runs first."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from git_blueprint.errors import UsageError
from git_blueprint.git.repo import Repo, git_path
from git_blueprint.store.transaction import Transaction
from git_blueprint.values import Record

CLIENT_HOOKS = ("pre-commit", "pre-merge-commit", "commit-msg", "pre-push")
SERVER_HOOKS = ("pre-receive",)
MARKER = "# git-blueprint hook shim:"
BEFORE = ".before-blueprint"
REPLACED = ".replaced-by-blueprint"


def shim_template() -> str:
    return (resources.files("git_blueprint.hooks") / "shim.sh").read_text(encoding="utf-8")


def render_shim(hook: str, python: str, paths: list[str] | None = None) -> str:
    """The shim for ``hook``, starting ``python``; with ``paths`` (see :func:`fast_paths`)
    it starts Python with -S and that ``sys.path``."""
    if "'" in python or "\n" in python:
        raise UsageError(
            f"{python}: an interpreter path with quotes or line breaks cannot be used in a hook"
        )
    import json

    literal = json.dumps(paths) if paths else ""  # a Python list literal
    if "'" in literal:
        literal = ""
    return (
        shim_template()
        .replace("@HOOK@", hook)
        .replace("@PYTHON@", python)
        .replace("@PATHS@", literal)
    )


_FAST_PATHS: dict[str, list[str] | None] = {}


def fast_paths(python: str) -> list[str] | None:
    """``sys.path`` as ``python -I`` sees it, with the folder that holds this package first,
    when Python started with -S and that path does import the hooks and PyYAML; else None
    (the shim then starts Python with its site module, as usual)."""
    if python in _FAST_PATHS:  # asked once per process
        return _FAST_PATHS[python]
    import json

    import git_blueprint
    from git_blueprint.git.process import run_program

    _FAST_PATHS[python] = None
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(git_blueprint.__file__)))
    probe = "import sys, json; print(json.dumps(sys.path))"
    seen = run_program([python, "-I", "-c", probe], timeout=60)
    if seen is None:
        return None
    try:
        found = json.loads(seen)
    except ValueError:
        return None
    paths = [package_parent, *(p for p in found if p and p != package_parent)]
    check = (
        f"import sys; sys.path[:] = {json.dumps(paths)}; "
        "import git_blueprint._hook, git_blueprint.hooks.commit, yaml"
    )
    if run_program([python, "-I", "-S", "-c", check], timeout=60) is None:
        return None
    _FAST_PATHS[python] = paths
    return paths


def current_python() -> str:
    return os.path.abspath(sys.executable)


def hooks_dir(repo: Repo) -> Path:
    path = Path(git_path(repo.cwd, "hooks"))
    return path


def is_ours(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(256)
    except OSError:
        return False
    return MARKER.encode() in head


class HookState(Record, frozen=True):
    name: str
    action: str  # installed, updated, unchanged, chained, replaced, removed, restored, absent


def install(
    repo: Repo,
    hooks: tuple[str, ...],
    force: bool = False,
    tx: Transaction | None = None,
    folder: Path | None = None,
) -> list[HookState]:
    """Every hook's shim into ``folder`` (the hooks folder git uses): each hook is looked
    at before any is written, and they are written through ``tx`` (a transaction of the
    caller's, or one of their own), so that either all are installed or none."""
    folder = folder if folder is not None else hooks_dir(repo)
    python = current_python()
    paths = fast_paths(python)
    plan: list[tuple[str, bytes, str]] = []  # (hook, shim, action)
    for name in hooks:
        path = folder / name
        shim = render_shim(name, python, paths).encode()
        action = "installed"
        if _present(path):
            if is_ours(path):
                action = "unchanged" if path.read_bytes() == shim else "updated"
            else:
                before = folder / f"{name}{BEFORE}"
                if not force and _present(before):
                    raise UsageError(
                        f"{path}: a hook of another tool is there, and {before.name} is taken "
                        "too; move one away, or use --force to replace the hook (it is kept "
                        f"as {name}{REPLACED})"
                    )
                action = "replaced" if force else "chained"
        plan.append((name, shim, action))
    with _own(tx, repo) as writes:
        writes.make_folder(folder, str(folder))
        for name, shim, action in plan:
            path = folder / name
            if action == "unchanged":
                continue
            if action in ("replaced", "chained"):
                suffix = REPLACED if action == "replaced" else BEFORE
                writes.move(path, folder / f"{name}{suffix}")
            writes.write(path, str(path), shim, 0o755)
    return [HookState(name, action) for name, _, action in plan]


def uninstall(
    repo: Repo, hooks: tuple[str, ...], tx: Transaction | None = None, folder: Path | None = None
) -> list[HookState]:
    """Every shim of git-blueprint's taken out (the hook that was there before put back),
    all or none."""
    folder = folder if folder is not None else hooks_dir(repo)
    plan: list[tuple[str, str]] = []
    for name in hooks:
        path = folder / name
        if not is_ours(path):
            plan.append((name, "absent" if not path.exists() else "foreign"))
        elif _present(folder / f"{name}{BEFORE}"):
            plan.append((name, "restored"))
        elif _present(folder / f"{name}{REPLACED}"):
            plan.append((name, "restored-replaced"))  # set aside by `install --force`
        else:
            plan.append((name, "removed"))
    with _own(tx, repo) as writes:
        for name, action in plan:
            path = folder / name
            if action == "restored":
                writes.move(folder / f"{name}{BEFORE}", path)
            elif action == "restored-replaced":
                writes.move(folder / f"{name}{REPLACED}", path)
            elif action == "removed":
                writes.remove(path, str(path))
    return [HookState(name, action) for name, action in plan]


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


@contextlib.contextmanager
def _own(tx: Transaction | None, repo: Repo) -> Iterator[Transaction]:
    """The caller's transaction, or one of this installation's own."""
    if tx is not None:
        yield tx
        return
    with Transaction(Path(repo.cwd), lock=False) as own:
        yield own
