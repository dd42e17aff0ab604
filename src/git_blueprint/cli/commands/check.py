"""``bp check``: lint blueprints; exit 1 when any has an error (or a warning, with --strict)."""

from __future__ import annotations

from pathlib import Path

from git_blueprint.cli.output import Output
from git_blueprint.core.document import parse_document
from git_blueprint.core.lint import ERROR, Problem, check_document
from git_blueprint.store.workspace import open_workspace, read_blueprint

FORMATS = ("text", "json")


def _in_folder(folder: Path, ref: str) -> bool:
    path = (Path.cwd() / ref).resolve()
    return path.suffix == ".md" and folder.resolve() in path.parents


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
    files = [ws.resolve(ref) for ref in refs] if refs else ws.all_files()
    problems: list[Problem] = []
    for bp in files:
        doc = parse_document(read_blueprint(bp.path, bp.rel), bp.rel, ws.config.names)
        problems.extend(check_document(doc, ws.config, bp.id))
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    failed = errors > 0 or (strict and warnings > 0)
    if fmt == "json":
        out.json(
            {
                "schema": "git-blueprint/check/1",
                "checked": len(files),
                "errors": errors,
                "warnings": warnings,
                "problems": [p.to_dict() for p in problems],
            }
        )
        return 1 if failed else 0
    for p in problems:
        severity = out.paint(p.severity, "red" if p.severity == ERROR else "yellow")
        out.line(f"{p.path}:{p.line}: {severity} {p.rule}: {p.message}")
    plural = "s" if len(files) != 1 else ""
    out.note(f"checked {len(files)} blueprint{plural}: {errors} error(s), {warnings} warning(s)")
    return 1 if failed else 0
