"""What every hook knows of the repository it runs in, and the notes the pre-commit hook
leaves in the git folder for its shim and for the commit-msg shim.

Standard library only: the pre-commit hook's path.
"""

from __future__ import annotations

import contextlib
import os

from git_blueprint.core.config import CONFIG_NAME, Config
from git_blueprint.core.paths import Layout
from git_blueprint.core.workflow import Actor
from git_blueprint.errors import BlueprintError, GitError
from git_blueprint.git.index import staged_changes, work_tree_location
from git_blueprint.git.rawdiff import Change
from git_blueprint.git.repo import git_identity
from git_blueprint.store.atomic import atomic_write
from git_blueprint.store.config import blueprint_layout, config_of, read_config_file
from git_blueprint.values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from git_blueprint.git.objects import CatFile
    from git_blueprint.git.process import StartedGit


class HookContext(Record, frozen=True):
    """The repository a hook runs in: its work tree's root and git folder (absolute), its
    config and where its blueprints are."""

    root: str
    git_dir: str
    config_bytes: bytes | None  # .blueprint.yaml as read, None without one
    config: Config
    layout: Layout

    def is_blueprint(self, path: str) -> bool:
        return self.layout.is_blueprint(path)

    def blueprint_id(self, path: str) -> str:
        return self.layout.blueprint_id(path)


def open_context(where: StartedGit | None = None, objects: CatFile | None = None) -> HookContext:
    """The hook's repository, from ``where`` (a started ``git rev-parse`` of
    :data:`CommitQuestions.WHERE`) or by asking git now.

    With ``objects`` (a commit's hook), the rules are ``.blueprint.yaml`` as committed in
    HEAD — the base the commit is judged against, never the working file, which an
    unstaged edit could relax — or, for a repository's first commit, as staged. Without,
    the working file."""
    location = work_tree_location(where)
    if location is None:
        raise GitError("the hook is not running inside a git work tree")
    git_dir, root = location
    if objects is None:
        data = read_config_file(root)
    else:
        data = objects.read(f"HEAD:{CONFIG_NAME}")
        if data is None and objects.read("HEAD") is None:  # no commit yet
            data = objects.read(f":{CONFIG_NAME}")
    config = config_of(data, cache_dir=git_dir)
    return HookContext(root, git_dir, data, config, blueprint_layout(config, root))


def staged_blueprint_changes(ctx: HookContext, staged: StartedGit | None = None) -> list[Change]:
    """Blueprints this commit adds, modifies, renames or deletes, from ``staged`` (a started
    ``git diff`` of :data:`CommitQuestions.STAGED`) or by asking git now."""
    return [
        c
        for c in staged_changes(staged, ctx.root)
        if ctx.is_blueprint(c.path) or ctx.is_blueprint(c.old_path)
    ]


def merge_parents(ctx: HookContext) -> list[str]:
    """The other parents of the merge being made: MERGE_HEAD when a conflicted merge is
    concluded; during a clean merge's pre-merge-commit git has not written MERGE_HEAD yet,
    but names each merged commit in a ``GITHEAD_<sha>`` variable."""
    try:
        with open(os.path.join(ctx.git_dir, "MERGE_HEAD")) as fh:
            return fh.read().split()
    except OSError:
        return sorted(key[len("GITHEAD_") :] for key in os.environ if key.startswith("GITHEAD_"))


def author() -> Actor:
    """The author git will record for this commit: git exports GIT_AUTHOR_NAME and
    GIT_AUTHOR_EMAIL to the pre-commit hook; ``git var`` answers otherwise."""
    name, email = os.environ.get("GIT_AUTHOR_NAME"), os.environ.get("GIT_AUTHOR_EMAIL")
    if name is not None and email is not None:
        return Actor(name, email)
    ident = git_identity("GIT_AUTHOR_IDENT")
    return Actor(ident.name, ident.email)


TRAILERS_FILE = "blueprint-trailers"


FOLDER_NOTE = "blueprint-folder"


def note_folder(ctx: HookContext) -> None:
    """Leave the blueprints folder, and the config it came from, for the pre-commit shim:
    with them it can see in one git call that a commit stages no blueprint, and skip
    starting Python (a commit of other files then costs milliseconds, not tens of them)."""
    note = os.path.join(ctx.git_dir, FOLDER_NOTE)
    copy = f"{note}.config"
    config = ctx.config_bytes
    prefix = ctx.layout.prefix.encode("utf-8", "surrogateescape")
    if (_read_or_none(note) or b"", _read_or_none(copy)) == (prefix, config):
        return
    try:
        _unlink(note)  # no note while the two files disagree
        if not prefix or b"\n" in prefix:
            # The whole repository (every commit needs the hook), or a folder name the
            # shim cannot read back: no note, and the shim always starts Python.
            return
        if config is None:
            _unlink(copy)
        else:
            atomic_write(copy, config, copy)
        atomic_write(note, prefix, note)
    except (BlueprintError, OSError):
        _unlink(note)  # without a valid note the shim always starts Python


def _read_or_none(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def record_moves(ctx: HookContext, moves: list[tuple[str, str, str]]) -> None:
    """Leave the commit's status moves for the commit-msg hook, which turns them into
    trailers (in its shim, src/git_blueprint/hooks/shim.sh), and removes the file when there
    are none."""
    marker = os.path.join(ctx.git_dir, TRAILERS_FILE)
    if not moves:
        _unlink(marker)
        return
    atomic_write(marker, "".join(f"{i}\t{a}\t{b}\n" for i, a, b in moves).encode("utf-8"))
