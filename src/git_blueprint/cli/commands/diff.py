"""``bp diff``, and the two git integrations of the semantic diff: the ``diff.blueprint.command``
driver that ``git diff`` runs for every blueprint, and the ``diff.blueprint.textconv`` filter
that ``git log -p`` and ``git show`` run.

Standard library only at the top: git runs the driver and the filter once per file.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from git_blueprint.cli.output import COLOR_CHOICES, Output, wants_color
from git_blueprint.core.config import MetadataNames
from git_blueprint.core.document import Document, parse_document
from git_blueprint.core.semdiff import FileDiff, Side, diff_documents
from git_blueprint.errors import DocumentError, UsageError
from git_blueprint.git.process import CatFile, parse_raw_diff, run_git
from git_blueprint.markdown.lines import decode_document
from git_blueprint.store.workspace import read_blueprint
from git_blueprint.values import replace

if TYPE_CHECKING:
    from git_blueprint.git.process import Change as RawEntry
    from git_blueprint.store.workspace import Workspace

FORMATS = ("text", "json", "markdown")
INDEX = ":0"  # the index as a revision: `git show :0:PATH` reads the staged blob
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
DEV_NULL = "/dev/null"
# Environment override of the driver's colour decision (git tells a driver nothing).
DRIVER_COLOR_ENV = "GIT_BLUEPRINT_COLOR"
_REGULAR_MODES = ("100644", "100755", "000000")


def run_diff(
    revs: list[str],
    paths: list[str],
    cached: bool,
    no_index: bool,
    fmt: str,
    color: str,
    exit_code: bool,
    ignore_metadata: bool,
    out: Output,
) -> int:
    """``bp diff``: the semantic diff of the blueprints that changed, like ``git diff``."""
    if fmt not in FORMATS:
        raise UsageError(f"--format: '{fmt}' is not one of {', '.join(FORMATS)}")
    if color not in COLOR_CHOICES:
        raise UsageError(f"--color: '{color}' is not one of {', '.join(COLOR_CHOICES)}")
    if no_index:
        if cached:
            raise UsageError("--cached: cannot be used with --no-index")
        files = [_no_index_diff([*revs, *paths])]
    else:
        files = _repo_diffs(revs, paths, cached, out)
    if ignore_metadata:
        files = _without_metadata(files)
    _print(files, fmt, wants_color(color, out.stdout), out)
    return 1 if exit_code and any(f.changes for f in files) else 0


def _without_metadata(files: list[FileDiff]) -> list[FileDiff]:
    """Metadata changes hidden; a file that changed in nothing else is left out altogether,
    as there is nothing of it to show."""
    kept: list[FileDiff] = []
    for diff in files:
        changes = [c for c in diff.changes if c.level != "metadata"]
        if changes or not diff.changes:
            kept.append(replace(diff, changes=changes))
    return kept


def _print(files: list[FileDiff], fmt: str, color: bool, out: Output) -> None:
    if fmt == "json":
        from git_blueprint.render.jsonout import diff_json

        out.json(diff_json(files))
    elif fmt == "markdown":
        from git_blueprint.render.markdown import render_markdown

        out.stdout.write(render_markdown(files))
    elif files:
        from git_blueprint.render.text import render_text

        out.stdout.write(render_text(files, color))


# --- reading documents ------------------------------------------------------------------


def parse_blob(data: bytes | None, shown: str, names: MetadataNames) -> Document | None:
    """A document from a file's bytes; None when the file does not exist on that side. An
    empty file is an empty document (a blueprint being written), not an error."""
    if data is None:
        return None
    text = "" if _is_blank(data) else decode_document(data, shown)
    return parse_document(text, shown, names)


def _is_blank(data: bytes) -> bool:
    return not data.removeprefix(b"\xef\xbb\xbf").strip()


def worktree_document(path: Path, shown: str, names: MetadataNames) -> Document:
    try:
        text = read_blueprint(path, shown)
    except DocumentError:
        # read_blueprint refuses an empty file; the diff shows one as an empty document.
        if path.is_file() and _is_blank(path.read_bytes()):
            text = ""
        else:
            raise
    return parse_document(text, shown, names)


# --- bp diff --no-index -------------------------------------------------------------------


def _no_index_diff(operands: list[str]) -> FileDiff:
    if len(operands) != 2:
        raise UsageError(f"--no-index: needs exactly two files, got {len(operands)}")
    names = _names_here()
    docs: list[Document | None] = []
    for operand in operands:
        if operand == DEV_NULL:
            docs.append(None)
            continue
        path = Path(operand)
        if not path.exists():
            raise UsageError(f"{operand}: no such file")
        docs.append(worktree_document(path, operand, names))
    old_name, new_name = operands
    old_path = None if old_name == DEV_NULL else old_name
    new_path = None if new_name == DEV_NULL else new_name
    return FileDiff(
        new_path or old_name,
        Side(None, old_path),
        Side(None, new_path),
        diff_documents(docs[0], docs[1]),
    )


def _names_here() -> MetadataNames:
    """The metadata names of the repository around the current folder, if any: a file
    compared with --no-index may live anywhere."""
    from git_blueprint.core.config import load_config
    from git_blueprint.errors import NotARepository
    from git_blueprint.git.process import find_repo

    try:
        repo = find_repo()
    except NotARepository:
        return MetadataNames()
    if repo.root is None:
        return MetadataNames()
    return load_config(repo.root, cache_dir=repo.git_dir).names


# --- bp diff [REV [REV]] [-- PATH...] -------------------------------------------------------


def _repo_diffs(revs: list[str], paths: list[str], cached: bool, out: Output) -> list[FileDiff]:
    from git_blueprint.store.workspace import open_workspace

    ws = open_workspace()
    revs, paths = _split_paths(revs, paths, ws)
    commits = _expand_revs(revs, ws)
    if len(commits) > 2:
        raise UsageError(f"{revs[2] if len(revs) > 2 else revs[-1]}: at most two revisions")
    if cached and len(commits) > 1:
        raise UsageError("--cached: takes at most one revision")
    if cached:
        old_rev = commits[0] if commits else _head_or_empty(ws)
        old, new = Side(_short(old_rev, ws), None), Side(INDEX, None)
        args = ["--cached", old_rev]
    elif not commits:
        old, new = Side(INDEX, None), Side(None, None)
        args = []
    elif len(commits) == 1:
        old, new = Side(_short(commits[0], ws), None), Side(None, None)
        args = [commits[0]]
    else:
        old, new = Side(_short(commits[0], ws), None), Side(_short(commits[1], ws), None)
        args = commits
    # Run where the user is, so that their paths mean what they mean to git; the default
    # pathspec is the blueprints folder from the top. Our own drivers stay off.
    pathspecs = paths or [f":(top){ws.config.blueprints}"]
    proc = run_git(
        [
            "diff",
            "--raw",
            "-z",
            "--no-abbrev",
            "-M",
            "--no-ext-diff",
            "--no-textconv",
            "--no-relative",
            "--ignore-submodules",
            *args,
            "--",
            *pathspecs,
        ],
        Path.cwd(),
    )
    entries = [e for e in parse_raw_diff(proc.stdout) if _is_blueprint(e, ws)]
    files: list[FileDiff] = []
    with contextlib.ExitStack() as stack:
        cat: CatFile | None = None
        for entry in entries:
            if entry.status == "U":
                out.note(f"{entry.path}: unmerged; resolve the conflict to see its diff")
                continue
            if not (entry.old_mode in _REGULAR_MODES and entry.new_mode in _REGULAR_MODES):
                continue  # symlinks and submodules are no documents
            if cat is None:
                cat = stack.enter_context(CatFile(ws.root))
            files.append(_entry_diff(entry, old, new, cat, ws))
    return files


def _entry_diff(entry: RawEntry, old: Side, new: Side, cat: CatFile, ws: Workspace) -> FileDiff:
    names = ws.config.names
    old_path = None if entry.status == "A" else entry.old_path
    new_path = None if entry.status == "D" else entry.path
    old_doc = new_doc = None
    if old_path is not None:
        old_doc = parse_blob(_blob(cat, entry.old_sha, old_path), _shown(old, old_path), names)
    if new_path is not None:
        if new.rev is None:
            new_doc = worktree_document(ws.root / new_path, new_path, names)
        else:
            data = _blob(cat, entry.new_sha, new_path)
            new_doc = parse_blob(data, _shown(new, new_path), names)
    return FileDiff(
        entry.path,
        replace(old, path=old_path),
        replace(new, path=new_path),
        diff_documents(old_doc, new_doc),
    )


def _blob(cat: CatFile, sha: str, path: str) -> bytes:
    data = cat.read(sha)
    if data is None:
        raise UsageError(f"{path}: blob {sha[:12]} is missing from the repository")
    return data


def _shown(side: Side, path: str) -> str:
    """How an error names a file: ``REV:PATH``, ``:0:PATH`` for the index, or the path."""
    return path if side.rev is None else f"{side.rev}:{path}"


def _is_blueprint(entry: RawEntry, ws: Workspace) -> bool:
    folder = ws.config.blueprints.strip("/")
    prefix = "" if folder in ("", ".") else folder + "/"
    return any(p.startswith(prefix) and p.endswith(".md") for p in (entry.old_path, entry.path))


def _split_paths(revs: list[str], paths: list[str], ws: Workspace) -> tuple[list[str], list[str]]:
    """As ``git diff`` does without ``--``: from the first argument that is no revision but
    names a file or folder, the arguments are paths (``bp diff blueprints/gateway.md``)."""
    for k, rev in enumerate(revs):
        if rev.startswith("-") or ".." in rev or _resolves(rev, ws):
            continue
        if os.path.lexists(rev):
            return revs[:k], [*revs[k:], *paths]
    return revs, paths


def _resolves(rev: str, ws: Workspace) -> bool:
    proc = run_git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
        ws.root,
        check=False,
    )
    return proc.returncode == 0


def _expand_revs(revs: list[str], ws: Workspace) -> list[str]:
    """Commit ids of the revisions given; ``A..B`` is A and B, ``A...B`` their merge base
    and B, as in ``git diff``."""
    out: list[str] = []
    for rev in revs:
        if not rev:
            raise UsageError("'': not a revision")
        if "..." in rev:
            left, right = rev.split("...", 1)
            right_id = _commit(right or "HEAD", rev, ws)
            base = run_git(
                ["merge-base", _commit(left or "HEAD", rev, ws), right_id], ws.root, check=False
            )
            if base.returncode != 0:
                raise UsageError(f"{rev}: the two revisions have no common ancestor")
            out += [base.stdout.decode().split()[0], right_id]
        elif ".." in rev:
            left, right = rev.split("..", 1)
            out += [_commit(left or "HEAD", rev, ws), _commit(right or "HEAD", rev, ws)]
        else:
            out.append(_commit(rev, rev, ws))
    return out


def _commit(rev: str, shown: str, ws: Workspace) -> str:
    if rev.startswith("-"):
        raise UsageError(f"'{shown}': not a revision")
    proc = run_git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
        ws.root,
        check=False,
    )
    if proc.returncode != 0:
        raise UsageError(
            f"'{shown}': unknown revision (not a commit here) or path not in the working tree"
        )
    return proc.stdout.decode().strip()


def _head_or_empty(ws: Workspace) -> str:
    """HEAD, or the empty tree on a branch with no commit yet (everything staged is new)."""
    return _commit("HEAD", "HEAD", ws) if ws.repo.has_commits() else EMPTY_TREE


def _short(object_id: str, ws: Workspace) -> str:
    proc = run_git(["rev-parse", "--short", object_id], ws.root, check=False)
    return proc.stdout.decode().strip() or object_id[:7]


# --- git's diff driver (diff.blueprint.command) -------------------------------------------


def run_diff_driver(args: list[str]) -> int:
    """What git runs for ``git diff`` on a file with ``diff=blueprint``.

    Arguments: ``path old-file old-hex old-mode new-file new-hex new-mode``, two more for a
    rename (new path, and git's "similarity index" lines), or the path alone for an
    unmerged file. Always returns 0: anything else makes git stop with "external diff
    died", so every failure becomes a note and a plain line diff.
    """
    stream = sys.stdout
    try:
        _drive(args, stream)
        stream.flush()
    except BrokenPipeError:
        _quiet_stdout()
    except (Exception, KeyboardInterrupt) as exc:
        with contextlib.suppress(Exception):
            stream.write(f"git-blueprint: the semantic diff failed ({_one_line(exc)})\n")
            stream.flush()
    return 0


def _drive(args: list[str], stream: TextIO) -> None:
    if len(args) == 1:
        stream.write(f"* Unmerged path {args[0]}\n")
        return
    if len(args) not in (7, 9):
        stream.write(f"git-blueprint: the diff driver takes 1, 7 or 9 arguments, not {len(args)}\n")
        return
    path, old_file, _old_hex, _old_mode, new_file = args[:5]
    new_path = args[7] if len(args) == 9 else path
    old_data = None if old_file == DEV_NULL else Path(old_file).read_bytes()
    new_data = None if new_file == DEV_NULL else Path(new_file).read_bytes()
    if _later_file():
        stream.write("\n")
    try:
        names = _driver_names()
        old_doc = parse_blob(old_data, path, names)
        new_doc = parse_blob(new_data, new_path, names)
        changes = diff_documents(old_doc, new_doc)
    except Exception as exc:  # a file that is no document still gets a diff
        stream.write(f"git-blueprint: {_one_line(exc)}; showing a line diff\n")
        stream.write(line_diff(old_data, new_data, path, new_path))
        return
    from git_blueprint.render.text import render_text

    diff = FileDiff(
        new_path,
        Side(None, None if old_data is None else path),
        Side(None, None if new_data is None else new_path),
        changes,
    )
    stream.write(render_text([diff], driver_color(stream)))


def _later_file() -> bool:
    """Whether git has shown another file before this one in the same diff: git numbers
    the files it hands to an external diff in ``GIT_DIFF_PATH_COUNTER``."""
    counter = os.environ.get("GIT_DIFF_PATH_COUNTER", "1")
    return counter.isdigit() and int(counter) > 1


def driver_color(stream: TextIO) -> bool:
    """Colour for the driver's output, which git sends through a pipe (its pager's).

    git tells an external diff nothing about colour, so the driver asks git the question
    git asks itself: ``git config --get-colorbool color.diff`` honours ``color.diff`` and
    ``color.ui`` (also from ``git -c``), a pager git started (``GIT_PAGER_IN_USE``) and
    ``TERM=dumb``. ``git diff --color``/``--no-color`` cannot be seen from here:
    ``GIT_BLUEPRINT_COLOR=always|never`` overrides, and ``NO_COLOR`` turns colour off.
    """
    choice = os.environ.get(DRIVER_COLOR_ENV, "auto").strip().lower()
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    proc = run_git(
        ["config", "--get-colorbool", "color.diff", "true" if tty else "false"], check=False
    )
    return proc.stdout.strip() == b"true"


def _driver_names() -> MetadataNames:
    """Metadata names from the repository's config; git runs drivers at the top of the work
    tree. A config that cannot be read must not stop ``git diff``: the defaults apply."""
    from git_blueprint.core.config import load_config_around
    from git_blueprint.errors import BlueprintError

    try:
        return load_config_around(Path.cwd()).names
    except BlueprintError:
        return MetadataNames()


def line_diff(old: bytes | None, new: bytes | None, old_path: str, new_path: str) -> str:
    """A plain unified diff, for a file the semantic diff cannot read."""
    import difflib

    if (old is not None and b"\0" in old) or (new is not None and b"\0" in new):
        return f"Binary files a/{old_path} and b/{new_path} differ\n"
    before = (old or b"").decode("utf-8", "replace").splitlines(keepends=True)
    after = (new or b"").decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(
        before,
        after,
        DEV_NULL if old is None else f"a/{old_path}",
        DEV_NULL if new is None else f"b/{new_path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _quiet_stdout() -> None:
    # The pager went away: the interpreter's final flush must not complain either.
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# --- git's textconv filter (diff.blueprint.textconv) --------------------------------------


def run_textconv(path: str) -> int:
    """What git runs for ``git log -p``/``git show`` on a blueprint: the file's outline (see
    :func:`render.text.outline`) on stdout. A file that is not a UTF-8 text document is
    printed unchanged. Always returns 0, so history can always be shown."""
    out = sys.stdout.buffer
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        sys.stderr.write(f"git-blueprint: {path}: cannot be read: {exc.strerror}\n")
        return 0
    try:
        doc = parse_blob(data, path, _driver_names())
        from git_blueprint.render.text import outline

        text = "" if doc is None or _is_blank(data) else outline(doc)
        result = text.encode("utf-8")
    except Exception:  # not UTF-8, binary, too large: git shows the bytes as they are
        result = data
    try:
        out.write(result)
        out.flush()
    except BrokenPipeError:
        _quiet_stdout()
    return 0
