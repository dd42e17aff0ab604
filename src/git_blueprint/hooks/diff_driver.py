"""The two git integrations of the semantic diff: the ``diff.blueprint.command`` driver
that ``git diff`` runs for every blueprint, and the ``diff.blueprint.textconv`` filter that
``git log -p`` and ``git show`` run.

Standard library only at the top: git runs the driver and the filter once per file. Both
always exit 0 — anything else makes git itself stop — so every failure becomes a note in
their output.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from git_blueprint.core.config import MetadataNames
from git_blueprint.core.semdiff import FileDiff, Side, diff_documents
from git_blueprint.errors import BlueprintError, UsageError, run_guarded, say
from git_blueprint.git.repo import color_wanted
from git_blueprint.store.documents import is_blank, parse_blob

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

DEV_NULL = "/dev/null"
# Environment override of the driver's colour decision (git tells a driver nothing).
DRIVER_COLOR_ENV = "GIT_BLUEPRINT_COLOR"


def run_diff_driver(args: list[str]) -> int:
    """What git runs for ``git diff`` on a file with ``diff=blueprint``.

    Arguments: ``path old-file old-hex old-mode new-file new-hex new-mode``, two more for a
    rename (new path, and git's "similarity index" lines), or the path alone for an
    unmerged file. Always returns 0: anything else makes git stop with "external diff
    died", so every failure becomes a note and a plain line diff.
    """
    stream = sys.stdout

    def drive() -> int:
        _drive(args, stream)
        stream.flush()
        return 0

    return run_guarded(drive, label="semantic diff", stream=stream, always=0)


def _drive(args: list[str], stream: TextIO) -> None:
    if len(args) == 1:
        stream.write(f"* Unmerged path {args[0]}\n")
        return
    if len(args) not in (7, 9):
        stream.write(f"git-blueprint: the diff driver takes 1, 7 or 9 arguments, not {len(args)}\n")
        return
    path, old_file, _old_hex, _old_mode, new_file = args[:5]
    new_path = args[7] if len(args) == 9 else path
    old_data = _read(old_file)
    new_data = _read(new_file)
    if _later_file():
        stream.write("\n")
    try:
        names = _driver_names()
        old_doc = parse_blob(old_data, path, names)
        new_doc = parse_blob(new_data, new_path, names)
        changes = diff_documents(old_doc, new_doc)
    except BlueprintError as exc:  # a file that is no document still gets a diff
        stream.write(f"git-blueprint: {_one_line(exc)}; showing a line diff\n")
        stream.write(line_diff(old_data, new_data, path, new_path))
        return
    except Exception as exc:  # a bug: said to be one, and git's diff still shown
        if os.environ.get("GIT_BLUEPRINT_DEBUG"):
            raise
        stream.write(
            f"git-blueprint: internal error: {type(exc).__name__}: {_one_line(exc)} — this is a "
            "bug; GIT_BLUEPRINT_DEBUG=1 shows where; showing a line diff\n"
        )
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


def _read(path: str) -> bytes | None:
    if path == DEV_NULL:
        return None
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read: {exc.strerror}") from None


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
    return color_wanted(None, "color.diff", tty)


def _driver_names() -> MetadataNames:
    """Metadata names from the repository's config; git runs drivers at the top of the work
    tree. A config that cannot be read must not stop ``git diff``: the defaults apply."""
    from git_blueprint.store.config import load_config_around

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


# --- git's textconv filter (diff.blueprint.textconv) --------------------------------------


def run_textconv(path: str) -> int:
    """What git runs for ``git log -p``/``git show`` on a blueprint: the file's outline (see
    :func:`render.text.outline`) on stdout. A file that is not a UTF-8 text document is
    printed unchanged. Always returns 0, so history can always be shown."""

    def convert() -> int:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise UsageError(f"{path}: cannot be read: {exc.strerror}") from None
        try:
            doc = parse_blob(data, path, _driver_names())
            from git_blueprint.render.text import outline

            text = "" if doc is None or is_blank(data) else outline(doc)
            result = text.encode("utf-8")
        except BlueprintError:  # not UTF-8, binary, too large: git shows the bytes as they are
            result = data
        except Exception as exc:  # a bug: said to be one, and the bytes shown as they are
            if os.environ.get("GIT_BLUEPRINT_DEBUG"):
                raise
            say(f"textconv: {path}: internal error: {type(exc).__name__}: {exc} — this is a bug")
            result = data
        sys.stdout.buffer.write(result)
        sys.stdout.flush()
        return 0

    return run_guarded(convert, label="textconv", always=0)
