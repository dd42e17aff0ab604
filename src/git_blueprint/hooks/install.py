"""Installing git-blueprint's hooks: into the configuration of the hook manager a
repository uses (husky, lefthook, the pre-commit framework: see ``managers``), or else as
shims where git looks for hooks (``git rev-parse --git-path hooks``, so ``core.hooksPath``
and linked worktrees are honoured). A hook that was there before is kept as
``<hook>.before-blueprint`` and still runs first. A hooks folder that every repository
shares (``core.hooksPath`` set outside this repository's config) or that git tracks is
written only when the user asks."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from git_blueprint.errors import UsageError
from git_blueprint.git.repo import Repo, config_origin, git_path, tracked_under
from git_blueprint.hooks import managers
from git_blueprint.hooks.managers import Edit, Found, Integration
from git_blueprint.hooks.shim import CLIENT_HOOKS as CLIENT_HOOKS
from git_blueprint.hooks.shim import SERVER_HOOKS as SERVER_HOOKS
from git_blueprint.hooks.shim import render_shim
from git_blueprint.store.transaction import Transaction
from git_blueprint.values import Record

MARKER = "# git-blueprint hook shim:"
BEFORE = ".before-blueprint"
REPLACED = ".replaced-by-blueprint"
# Where other tools move a hook they find in their way: lefthook (.old), the pre-commit
# framework (.legacy). A shim of git-blueprint's there is stale, and would run twice.
SET_ASIDE = (".old", ".legacy", BEFORE)


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


class HooksFolderRefused(UsageError):
    """The hooks folder is shared by every repository, or tracked: written only when asked."""


class Outcome(Record, frozen=True):
    """What installing or uninstalling did: ``manager`` is ``git`` for shims in the hooks
    folder (``states``), else the manager whose configuration was edited (``done``);
    ``todo`` is left for the user; ``manual``: nothing could be written, ``todo`` says what
    to add by hand."""

    manager: str
    folder: Path
    states: tuple[HookState, ...] = ()
    done: tuple[str, ...] = ()
    todo: tuple[str, ...] = ()
    manual: bool = False
    edited: bool = False  # a manager's configuration (or the hooks folder) was changed

    @property
    def wrote(self) -> bool:
        """Whether anything was written (``done`` also says what is already in place)."""
        changed = ("absent", "foreign", "unchanged")
        return any(s.action not in changed for s in self.states) or self.edited


def shared_folder(repo: Repo, folder: Path) -> str | None:
    """Why ``folder`` is every repository's, when ``core.hooksPath`` is set outside this
    repository's own config (``~/.gitconfig``, the system's, ``git -c``); else None."""
    origin = config_origin(repo.cwd, "core.hooksPath")
    if origin is None or origin[0] in ("local", "worktree"):
        return None
    scope, source, _ = origin
    source = source.removeprefix("file:") or "the command line"
    return (
        f"{folder}: core.hooksPath is set in {source} ({scope} config), so this hooks folder "
        "is shared by every repository: git-blueprint's hooks there would check commits in "
        "all of them, and uninstalling would take them out of all; use --allow-shared to "
        "install there anyway, or give this repository its own hooks folder "
        "(git config --local core.hooksPath .git/hooks)"
    )


def tracked_folder(repo: Repo, folder: Path) -> str | None:
    """Why ``folder`` is everyone's, when it is in the work tree and git tracks files in it."""
    if repo.root is None:
        return None
    try:
        inside = folder.resolve().relative_to(repo.root.resolve()).as_posix()
    except ValueError:
        return None
    tracked = tracked_under(repo.root, inside)
    if not tracked:
        return None
    return (
        f"{inside}: this hooks folder is tracked by git ({len(tracked)} file(s)): a hook "
        "written there names this machine's Python, which breaks the commits of whoever "
        "checks it out elsewhere; use --allow-tracked to write the portable form (it runs the "
        "bp found on PATH), or call 'bp hooks run HOOK \"$@\"' from your own tracked hooks"
    )


def install_client(
    repo: Repo,
    *,
    force: bool = False,
    allow_shared: bool = False,
    allow_tracked: bool = False,
    manager: str = "auto",
    tx: Transaction | None = None,
) -> Outcome:
    """The client hooks, the way this repository takes them: into the configuration of the
    hook manager it uses (``manager``: ``auto`` finds it; ``git``: shims in the hooks folder
    whatever is there), else as shims in the hooks folder — refused (nothing written) when
    that folder is shared or tracked and the user did not say so. Everything is planned
    before anything is written, then written through ``tx`` (or a transaction of its own):
    all or nothing."""
    root = repo.work_tree
    folder = hooks_dir(repo)
    hooks = CLIENT_HOOKS
    chosen = choose_manager(root, folder, hooks, manager)
    shared = shared_folder(repo, folder)
    if chosen is None:
        if shared and not allow_shared:
            raise HooksFolderRefused(shared)
        tracked = tracked_folder(repo, folder)
        if tracked and not allow_tracked:
            raise HooksFolderRefused(tracked)
        states = install(repo, hooks, force=force, tx=tx, folder=folder, portable=bool(tracked))
        return Outcome("git", folder, tuple(states))
    integration = integrate(root, folder, chosen, hooks)
    with _own(tx, repo) as writes:
        if not integration.manual:
            apply(writes, integration.edits)
        # git-blueprint's own shims from before (chained, or moved aside by the manager)
        # would run bp a second time; the folder of every repository is left alone.
        states = [] if shared and not allow_shared else uninstall(repo, hooks, writes, folder)
    done = list(integration.done)
    cleaned = any(state.action not in ("absent", "foreign") for state in states)
    if cleaned:
        done.append(
            f"{folder}: took out git-blueprint's own hook files ({chosen.manager} runs bp now)"
        )
    edited = cleaned or (bool(integration.edits) and not integration.manual)
    return Outcome(
        chosen.manager, folder, (), tuple(done), integration.todo, integration.manual, edited
    )


def choose_manager(root: Path, folder: Path, hooks: tuple[str, ...], wanted: str) -> Found | None:
    """The hook manager to install into: the one found (``auto``), the one named, or none
    (``git``: shims in the hooks folder)."""
    if wanted == "git":
        return None
    found = managers.find_managers(root, folder, hooks)
    if wanted != "auto":
        named = [f for f in found if f.manager == wanted]
        if named:
            return named[0]
        if wanted == "husky":
            return Found("husky", root / ".husky", installed=False)
        raise UsageError(
            f"{root}: no configuration of {wanted} here (--manager {wanted}); "
            f"found: {', '.join(f.manager for f in found) or 'none'}"
        )
    if len(found) <= 1:
        return found[0] if found else None
    running = [f for f in found if f.installed]
    if len(running) == 1:
        return running[0]
    names = " and ".join(f.manager for f in found)
    raise UsageError(
        f"{root}: this repository has the configuration of {names}: say which runs its hooks "
        f"(--manager {'|'.join(f.manager for f in found)}, or --manager git for plain hooks)"
    )


def integrate(root: Path, folder: Path, found: Found, hooks: tuple[str, ...]) -> Integration:
    """The edits that put git-blueprint's hooks into ``found``'s configuration."""
    if found.manager == "husky":
        assert found.where is not None
        integration = managers.husky_install(root, found.where, hooks)
        if not found.installed:
            todo = (
                "husky's hooks are not installed in this clone yet: run npm install (or npx husky)"
            )
            return Integration(integration.manager, integration.edits, integration.done, (todo,))
        return integration
    if found.manager == "lefthook":
        if found.where is None:
            return Integration(
                "lefthook",
                todo=(
                    f"{folder}: lefthook's hooks are installed, but no lefthook.yml is here; "
                    "add this to your lefthook configuration:",
                    *("    " + line for line in managers.lefthook_snippet(hooks)),
                ),
                manual=True,
            )
        integration = managers.lefthook_install(root, found.where, hooks)
        if not found.installed and not integration.manual:
            todo = "lefthook's hooks are not installed in this clone yet: run lefthook install"
            return Integration(integration.manager, integration.edits, integration.done, (todo,))
        return integration
    types = managers.framework_installed_types(folder, hooks)
    if found.where is None:
        return Integration(
            "pre-commit",
            todo=(
                f"{folder}: the pre-commit framework's hooks are installed, but there is no "
                f"{managers.PRE_COMMIT_FILE}; add this to it:",
                *("    " + line for line in ["repos:", *managers.framework_repo_lines(hooks)]),
            ),
            manual=True,
        )
    return managers.framework_install(root, found.where, hooks, types)


def uninstall_client(
    repo: Repo, *, allow_shared: bool = False, tx: Transaction | None = None
) -> Outcome:
    """git-blueprint's blocks taken out of every manager's configuration (each file byte for
    byte as before install) and its shims out of the hooks folder (the hooks they had
    chained put back); a shared hooks folder only when asked. All or none."""
    root = repo.work_tree
    folder = hooks_dir(repo)
    hooks = CLIENT_HOOKS
    scripts = {root / ".husky"}
    husky = managers.husky_scripts(root, folder)
    if husky is not None:
        scripts.add(husky)
    taken = [managers.husky_uninstall(root, where, hooks) for where in sorted(scripts)]
    taken += managers.lefthook_uninstall(root)
    taken.append(managers.framework_uninstall(root))
    shared = shared_folder(repo, folder)
    if shared and not allow_shared and _has_shims(folder, hooks):
        raise HooksFolderRefused(shared.replace("install there anyway", "uninstall there"))
    with _own(tx, repo) as writes:
        for integration in taken:
            apply(writes, integration.edits)
        states = uninstall(repo, hooks, writes, folder)
    done = tuple(line for integration in taken for line in integration.done)
    return Outcome("git", folder, tuple(states), done)


def apply(writes: Transaction, edits: tuple[Edit, ...]) -> None:
    for edit in edits:
        if edit.new is None:
            writes.remove(edit.path, edit.shown)
            continue
        writes.make_folder(edit.path.parent, edit.shown)
        writes.write(edit.path, edit.shown, edit.new, edit.mode)


def _has_shims(folder: Path, hooks: tuple[str, ...]) -> bool:
    return any(is_ours(folder / f"{name}{suffix}") for name in hooks for suffix in ("", *SET_ASIDE))


def install(
    repo: Repo,
    hooks: tuple[str, ...],
    force: bool = False,
    tx: Transaction | None = None,
    folder: Path | None = None,
    portable: bool = False,
) -> list[HookState]:
    """Every hook's shim into ``folder`` (the hooks folder git uses): each hook is looked
    at before any is written, and they are written through ``tx`` (a transaction of the
    caller's, or one of their own), so that either all are installed or none.
    ``portable``: the shims name no interpreter (they use the one of the ``bp`` on PATH),
    for a folder that is tracked. A shim of git-blueprint's that another tool had moved
    aside (``.old``, ``.legacy``) is taken out: it would run a second time."""
    folder = folder if folder is not None else hooks_dir(repo)
    python = "" if portable else current_python()
    paths = None if portable else fast_paths(python)
    plan: list[tuple[str, bytes, str]] = []  # (hook, shim, action)
    stale: list[Path] = []
    for name in hooks:
        path = folder / name
        stale += [folder / f"{name}{s}" for s in SET_ASIDE if is_ours(folder / f"{name}{s}")]
        shim = render_shim(name, python, paths).encode()
        action = "installed"
        if _present(path):
            if is_ours(path):
                action = "unchanged" if path.read_bytes() == shim else "updated"
            else:
                before = folder / f"{name}{BEFORE}"
                if _same_file(before, path) and before not in stale:
                    stale.append(before)  # set aside once, since written again by its tool
                if not force and _present(before) and before not in stale:
                    raise UsageError(
                        f"{path}: a hook of another tool is there, and {before.name} is taken "
                        "too; move one away, or use --force to replace the hook (it is kept "
                        f"as {name}{REPLACED})"
                    )
                action = "replaced" if force else "chained"
        plan.append((name, shim, action))
    with _own(tx, repo) as writes:
        writes.make_folder(folder, str(folder))
        for old in stale:
            writes.remove(old, str(old))
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
    all or none; so are its shims that another tool had moved aside."""
    folder = folder if folder is not None else hooks_dir(repo)
    plan: list[tuple[str, str]] = []
    stale: list[Path] = []
    for name in hooks:
        path = folder / name
        stale += [folder / f"{name}{s}" for s in SET_ASIDE if is_ours(folder / f"{name}{s}")]
        before = folder / f"{name}{BEFORE}"
        if not is_ours(path):
            if _present(path) and _same_file(before, path):
                stale.append(before)  # a copy set aside once, since written again by its tool
            plan.append((name, "absent" if not _present(path) else "foreign"))
        elif _present(before) and before not in stale:
            plan.append((name, "restored"))
        elif _present(folder / f"{name}{REPLACED}"):
            plan.append((name, "restored-replaced"))  # set aside by `install --force`
        else:
            plan.append((name, "removed"))
    with _own(tx, repo) as writes:
        for old in stale:
            writes.remove(old, str(old))
        for name, action in plan:
            path = folder / name
            if action == "restored":
                writes.move(folder / f"{name}{BEFORE}", path)
            elif action == "restored-replaced":
                writes.move(folder / f"{name}{REPLACED}", path)
            elif action == "removed":
                writes.remove(path, str(path))
    return [HookState(name, action) for name, action in plan]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.is_file() and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


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
