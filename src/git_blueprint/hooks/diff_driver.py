"""The ``diff.blueprint.command`` driver that ``git diff`` runs for every blueprint: the
semantic diff of the file, then git's own patch of it, byte for byte what ``git diff
--no-ext-diff`` prints, so that ``git diff > p && git apply p`` still round-trips. The
semantic lines come before the ``diff --git`` header, where ``git apply`` reads nothing.

No textconv: ``git blame``, ``git log -S``/``-G``, ``git log -p`` and ``git show`` read
the file's own lines, as in plain git; ``bp log ID --patch`` is the semantic history.

Standard library only at the top: git runs the driver once per file. It always exits 0 —
anything else makes git itself stop — so every failure becomes a note in its output.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from git_blueprint.core.config import MetadataNames
from git_blueprint.core.semdiff import FileDiff, Side, diff_documents
from git_blueprint.errors import BlueprintError, UsageError, run_guarded
from git_blueprint.git.repo import color_wanted
from git_blueprint.store.documents import parse_blob

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
        stream.write(f"* Unmerged path {args[0]}\n")  # what git itself prints
        return
    if len(args) not in (7, 9):
        stream.write(f"git-blueprint: the diff driver takes 1, 7 or 9 arguments, not {len(args)}\n")
        return
    path, old_file, _old_hex, _old_mode, new_file = args[:5]
    new_path = args[7] if len(args) == 9 else path
    old_data = _read(old_file)
    new_data = _read(new_file)
    shaping = patch_options()
    color = driver_color(stream, shaping.color)
    if _later_file():
        stream.write("\n")
    stream.write(_semantic(old_data, new_data, path, new_path, color))
    stream.flush()
    stream.buffer.write(git_patch(args, color, shaping))  # a file's bytes as they are


def _semantic(
    old_data: bytes | None, new_data: bytes | None, path: str, new_path: str, color: bool
) -> str:
    """The semantic diff of one file, or one line saying why there is none."""
    try:
        names = _driver_names()
        old_doc = parse_blob(old_data, path, names)
        new_doc = parse_blob(new_data, new_path, names)
        changes = diff_documents(old_doc, new_doc)
    except BlueprintError as exc:  # a file that is no document still gets git's patch
        return f"git-blueprint: {_one_line(exc)}; no semantic diff\n"
    except Exception as exc:  # a bug: said to be one, and git's patch still shown
        if os.environ.get("GIT_BLUEPRINT_DEBUG"):
            raise
        return (
            f"git-blueprint: internal error: {type(exc).__name__}: {_one_line(exc)} — this is a "
            "bug; GIT_BLUEPRINT_DEBUG=1 shows where\n"
        )
    from git_blueprint.render.text import render_text

    diff = FileDiff(
        new_path,
        Side(None, None if old_data is None else path),
        Side(None, None if new_data is None else new_path),
        changes,
    )
    return render_text([diff], color)


# --- git's own patch of the file ----------------------------------------------------------

_BOLD, _RESET = "\x1b[1m", "\x1b[m"
_HUNK = re.compile(r"^((?:\x1b\[[0-9;]*m)*@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@(?:\x1b\[m)?)(.*)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def git_patch(args: list[str], color: bool, shaping: PatchOptions | None = None) -> bytes:
    """The patch ``git diff --no-ext-diff`` prints for the file git handed the driver: the
    header from git's own arguments (paths, modes, git's rename lines), the hunks from
    ``git diff --no-index`` of the two sides, each hunk's function line found with the
    ``diff.blueprint.xfuncname`` pattern in the old side, as git finds it."""
    path, old_file, _old_hex, old_mode, new_file, _new_hex, new_mode = args[:7]
    new_path = args[7] if len(args) == 9 else path
    renamed = args[8] if len(args) == 9 else ""
    shaping = shaping or patch_options()
    src, dst = shaping.prefixes
    old_name = DEV_NULL if old_file == DEV_NULL else f"{src}{path}"
    new_name = DEV_NULL if new_file == DEV_NULL else f"{dst}{new_path}"
    body = _hunks(old_file, new_file, color, shaping.options)
    header = [f"diff --git {src}{path} {dst}{new_path}"]
    if old_file == DEV_NULL:
        header.append(f"new file mode {new_mode}")
    elif new_file == DEV_NULL:
        header.append(f"deleted file mode {old_mode}")
    elif old_mode != new_mode:
        header += [f"old mode {old_mode}", f"new mode {new_mode}"]
    if renamed:  # git's own lines: similarity, rename from/to and the index line
        header += renamed.rstrip("\n").split("\n")
    elif body.index_line:
        same = old_file != DEV_NULL and new_file != DEV_NULL and old_mode == new_mode
        header.append(body.index_line + (f" {old_mode}" if same else ""))
    if body.binary:
        header.append(f"Binary files {old_name} and {new_name} differ")
    elif body.hunks:
        header += [f"--- {old_name}", f"+++ {new_name}"]
    if color:
        header = [f"{_BOLD}{line}{_RESET}" for line in header]
    text = "".join(f"{line}\n" for line in header) + "".join(_with_function(body.hunks, old_file))
    return text.encode("utf-8", "surrogateescape")


class _Hunks:
    __slots__ = ("binary", "hunks", "index_line")

    def __init__(self, index_line: str, hunks: list[str], binary: bool) -> None:
        self.index_line = index_line
        self.hunks = hunks
        self.binary = binary


def _hunks(old_file: str, new_file: str, color: bool, options: list[str]) -> _Hunks:
    """git's hunks of the two files, and its ``index`` line (the blob ids, abbreviated as
    git abbreviates them), from ``git diff --no-index``: no driver of its own, no textconv."""
    from git_blueprint.git.repo import diff_no_index

    shown = diff_no_index(old_file, new_file, color, options)
    lines = shown.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    index_line = ""
    binary = False
    for k, line in enumerate(lines):
        plain = _ANSI.sub("", line)
        if plain.startswith("index "):
            index_line = plain.split()[0] + " " + plain.split()[1]
        elif plain.startswith("Binary files "):
            binary = True
        elif plain.startswith("@@ "):
            return _Hunks(index_line, lines[k:], binary)
    return _Hunks(index_line, [], binary)


class PatchOptions:
    __slots__ = ("color", "options", "prefixes")

    def __init__(self, options: list[str], prefixes: tuple[str, str], color: bool | None) -> None:
        self.options = options
        self.prefixes = prefixes
        self.color = color  # --color / --no-color / --color-words; None: not said


# The options of `git diff` that shape a patch's hunks, which git hands an external diff
# none of: given to the command git runs, they are passed on to git's own diff of the file.
_FLAGS = frozenset(
    {
        "-w", "-b", "-a", "-W", "--text", "--minimal", "--patience", "--histogram",
        "--ignore-all-space", "--ignore-space-change", "--ignore-space-at-eol",
        "--ignore-cr-at-eol", "--ignore-blank-lines", "--indent-heuristic",
        "--no-indent-heuristic", "--function-context", "--word-diff", "--color-words",
        "--no-function-context",
    }
)  # fmt: skip
_VALUED = frozenset(
    {
        "--unified", "--inter-hunk-context", "--diff-algorithm", "--word-diff",
        "--word-diff-regex", "--color-words", "--anchored", "--ignore-matching-lines",
    }
)  # fmt: skip
_SEPARATE = frozenset({"--diff-algorithm", "--anchored", "--word-diff-regex", "-I"})
# The git commands whose options are a diff's (an alias or another command: git's defaults).
_DIFFING = frozenset({"diff", "log", "show", "whatchanged", "stash", "format-patch"})
_GLOBAL_WITH_VALUE = frozenset({"-c", "-C", "--git-dir", "--work-tree", "--namespace"})


def patch_options() -> PatchOptions:
    """The patch-shaping options (``-w``, ``-U5``, ``--word-diff``, …) and the prefixes
    (``-R``, ``--no-prefix``, ``--src-prefix``) of the git command that runs the driver,
    read from its arguments (:func:`git.process.calling_git`); git's defaults when they
    cannot be read."""
    from git_blueprint.git.process import calling_git

    args = calling_git()
    k = 1
    while k < len(args) and args[k].startswith("-"):  # git's own options, before the command
        k += 2 if args[k] in _GLOBAL_WITH_VALUE else 1
    options: list[str] = []
    src, dst, reverse = "a/", "b/", False
    color: bool | None = None
    if k >= len(args) or args[k] not in _DIFFING:
        return PatchOptions([], ("a/", "b/"), None)
    k += 1
    while k < len(args):
        arg = args[k]
        name, eq, value = arg.partition("=")
        if arg == "--":
            break
        if arg in _FLAGS or (eq and name in _VALUED):
            options.append(arg)
            if name == "--color-words":
                color = True
        elif name == "--color" and value in ("", "always", "never", "auto"):
            color = None if value == "auto" else value != "never"
        elif arg == "--no-color":
            color = False
        elif arg in _SEPARATE and k + 1 < len(args):
            options += [arg, args[k + 1]]
            k += 1
        elif arg.startswith("-U") or (arg.startswith("-I") and len(arg) > 2):
            options.append(arg)
        elif arg == "-R":
            reverse = True
        elif arg == "--no-prefix":
            src = dst = ""
        elif name == "--src-prefix" and eq:
            src = value
        elif name == "--dst-prefix" and eq:
            dst = value
        k += 1
    return PatchOptions(options, (dst, src) if reverse else (src, dst), color)


def _with_function(hunks: list[str], old_file: str) -> list[str]:
    """Each hunk header's function line as git finds it with ``diff.blueprint.xfuncname``:
    the last line above the hunk, in the old side, that the pattern matches (at most 80
    bytes, trailing blanks dropped). Without the setting, git's default stays."""
    pattern = _funcname_pattern()
    if pattern is None or not hunks:
        return hunks
    old_lines = [] if old_file == DEV_NULL else _old_lines(old_file)
    out = []
    for line in hunks:
        found = _HUNK.match(line.rstrip("\n"))
        if found is None:
            out.append(line)
            continue
        start = int(found.group(2)) - 1  # the hunk's first line, 0-based
        function = ""
        for candidate in reversed(old_lines[: max(start, 0)]):
            if pattern.search(candidate):
                function = candidate.rstrip()
                break
        function = function.encode("utf-8")[:80].decode("utf-8", "ignore")
        if function and "\x1b" in found.group(1):  # coloured as git colours it (func: normal)
            function = f"{_RESET}{function}{_RESET}"
        out.append(found.group(1) + (f" {function}" if function else "") + "\n")
    return out


def _old_lines(path: str) -> list[str]:
    try:
        return Path(path).read_bytes().decode("utf-8", "surrogateescape").split("\n")
    except OSError:
        return []


def _funcname_pattern() -> re.Pattern[str] | None:
    from git_blueprint.git.repo import config_value

    try:
        value = config_value(None, "diff.blueprint.xfuncname")
    except BlueprintError:
        return None
    if not value:
        return None
    try:
        return re.compile(value)
    except re.error:
        return None


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


def driver_color(stream: TextIO, said: bool | None = None) -> bool:
    """Colour for the driver's output, which git sends through a pipe (its pager's).

    git tells an external diff nothing about colour. ``GIT_BLUEPRINT_COLOR=always|never``
    decides first; then what the git command was told (``said``: ``--color``,
    ``--no-color``, ``--color-words``, read from its arguments); then ``NO_COLOR`` turns
    colour off; else the driver asks git the question git asks itself: ``git config
    --get-colorbool color.diff`` honours ``color.diff`` and ``color.ui`` (also from ``git
    -c``), a pager git started (``GIT_PAGER_IN_USE``) and ``TERM=dumb``.
    """
    choice = os.environ.get(DRIVER_COLOR_ENV, "auto").strip().lower()
    if choice in ("always", "never"):
        return choice == "always"
    if said is not None:
        return said
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


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
