"""``bp check``: lint blueprints; exit 1 when any has an error (or a warning, with --strict)."""

from __future__ import annotations

from pathlib import Path

from git_blueprint.cli.output import Output
from git_blueprint.core.document import parse_document
from git_blueprint.core.lint import ERROR, Problem, check_document
from git_blueprint.errors import DocumentError, UsageError
from git_blueprint.store.workspace import (
    BlueprintFile,
    Workspace,
    open_workspace,
    read_blueprint,
    unreadable_summary,
)

FORMATS = ("text", "json")


def _in_folder(folder: Path, ref: str) -> bool:
    path = (Path.cwd() / ref).resolve()
    return path.suffix == ".md" and folder.resolve() in path.parents


def _named(ws: Workspace, refs: list[str], bad: list[tuple[str, str]]) -> list[BlueprintFile]:
    """The blueprints the arguments name: ids, files, and folders inside the blueprints
    folder (every blueprint under them)."""
    files: list[BlueprintFile] = []
    everything: list[BlueprintFile] | None = None
    walked: list[tuple[str, str]] = []
    for ref in refs:
        path = Path(ref)
        if path.is_dir():
            real = path.resolve()
            if real != ws.folder.resolve() and ws.folder.resolve() not in real.parents:
                raise UsageError(
                    f"{ref}: not inside the blueprints folder '{ws.config.blueprints}'"
                )
            if everything is None:
                everything = ws.all_files(walked)
            under = real.relative_to(ws.root.resolve()).as_posix() + "/"
            under = "" if under == "./" else under
            bad.extend(b for b in walked if b[0].startswith(under) and b not in bad)
            inside = [
                f
                for f in everything
                if real == f.path.parent.resolve() or real in f.path.resolve().parents
            ]
            files.extend(f for f in inside if f not in files)
        else:
            one = ws.resolve(ref)
            if one not in files:
                files.append(one)
    return files


def run_check(
    refs: list[str], strict: bool, fmt: str, out: Output, ignore_others: bool = False
) -> int:
    ws = open_workspace()
    if ignore_others:
        # Another tool hands over every staged Markdown file: those that are no blueprints
        # (outside the configured folder) are not this command's.
        refs = [ref for ref in refs if _in_folder(ws.folder, ref)]
        if not refs:
            out.note("no blueprints among the files named")
            return 0
    bad: list[tuple[str, str]] = []
    files = _named(ws, refs, bad) if refs else ws.all_files(bad)
    problems = [Problem(path, 1, ERROR, "unreadable", why) for path, why in bad]
    outside = len(bad)
    for bp in files:
        # A file that cannot be a blueprint is a problem of its own; the others go on.
        try:
            text = read_blueprint(bp.path, bp.rel)
        except DocumentError as exc:
            if refs:  # a file named on the command line is the user's input: exit 2
                raise
            why = str(exc).removeprefix(f"{bp.rel}: ")
            bad.append((bp.rel, why))
            problems.append(Problem(bp.rel, 1, ERROR, "unreadable", why))
            continue
        doc = parse_document(text, bp.rel, ws.config.names)
        problems.extend(check_document(doc, ws.config, bp.id))
    files_checked = len(files) + outside
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    failed = errors > 0 or (strict and warnings > 0)
    if fmt == "json":
        out.json(
            {
                "schema": "git-blueprint/check/1",
                "checked": files_checked,
                "errors": errors,
                "warnings": warnings,
                "problems": [p.to_dict() for p in problems],
            }
        )
        return _exit(failed, bad)
    for p in problems:
        severity = out.paint(p.severity, "red" if p.severity == ERROR else "yellow")
        out.line(f"{p.path}:{p.line}: {severity} {p.rule}: {p.message}")
    plural = "s" if files_checked != 1 else ""
    out.note(f"checked {files_checked} blueprint{plural}: {errors} error(s), {warnings} warning(s)")
    return _exit(failed, bad)


def _exit(failed: bool, bad: list[tuple[str, str]]) -> int:
    """1 for problems found; a file that cannot be read at all is bad input (2), reported
    after every other file was checked."""
    if bad:
        raise UsageError(unreadable_summary(bad))
    return 1 if failed else 0
