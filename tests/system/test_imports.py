"""The hot path imports nothing heavy: the hooks, the drivers and `bp list`'s reader load
only the standard library (PyYAML only for a config file or front matter), and the CLI
loads Typer and nothing else heavy until a command needs it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT, TEMPLATE, git

HEAVY = {"typer", "click", "rich", "markdown_it", "deepdiff", "git", "ruamel", "pydantic", "yaml"}


def loaded(code: str) -> set[str]:
    probe = (
        f"{code}\nimport sys, json\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(HEAVY)!r}))))"
    )
    proc = subprocess.run(
        [sys.executable, "-I", "-c", probe], capture_output=True, text=True, check=True
    )
    return set(json.loads(proc.stdout.splitlines()[-1]))


def test_hook_entry_points_load_only_the_standard_library() -> None:
    assert (
        loaded(
            "import git_blueprint._hook, git_blueprint.hooks.commit, git_blueprint.hooks.merge_driver, "
            "git_blueprint.history.verify, git_blueprint.history.timeline, git_blueprint.core.stamp"
        )
        == set()
    )


def test_fast_reader_needs_no_markdown_library() -> None:
    code = (
        "from git_blueprint.core.summary import summarize\nfrom git_blueprint.core.config import MetadataNames\n"
        f"summarize(open({str(TEMPLATE)!r}).read(), MetadataNames())"
    )
    assert loaded(code) == set()


def test_document_structure_needs_no_markdown_library() -> None:
    """The model's blocks come from the standard-library scanner; markdown-it is loaded for
    inline Markdown only, when placeholders are asked for."""
    parse = (
        "from git_blueprint.core.document import parse_document\n"
        f"doc = parse_document(open({str(TEMPLATE)!r}).read())\n"
        "assert doc.nodes\n"
    )
    assert loaded(parse) == set()
    assert loaded(parse + "assert doc.placeholders\n") == {"markdown_it"}
    filled = (
        "from git_blueprint.core.document import parse_document\n"
        "assert parse_document('# T\\n\\n## A\\n- **Key**: value\\n').placeholders == []\n"
    )
    assert loaded(filled) == set()  # no square brackets: nothing for markdown-it to parse


def test_the_markdown_room_imports_only_the_standard_library_errors_and_values() -> None:
    room = REPO_ROOT / "src" / "git_blueprint" / "markdown"
    allowed = {"git_blueprint.errors", "git_blueprint.values"}
    stdlib = set(sys.stdlib_module_names)
    for path in sorted(room.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                ok = (
                    name.split(".")[0] in stdlib
                    or name in allowed
                    or name.startswith("git_blueprint.markdown.")
                )
                assert ok, f"{path.name} imports {name}"


def test_cli_loads_typer_only() -> None:
    assert loaded("import git_blueprint.cli.app") == {"typer"}


# What a commit of a blueprint would pay for, were the pre-commit hook to import it: each is
# a millisecond or more (dataclasses, with inspect, about 12), and none is needed there.
NOT_ON_THE_COMMIT_PATH = {
    "dataclasses",
    "inspect",
    "typing",
    "pathlib",
    "json",
    "hashlib",
    "_hashlib",
    "tempfile",
    "datetime",
    "yaml",
    "git_blueprint.core.document",
    "git_blueprint.store.workspace",
    "git_blueprint.history.facts",
}


def imported_by_hook(repo: Path, hook: str) -> set[str]:
    """Every module the hook imported while it ran, from ``python -X importtime``."""
    proc = subprocess.run(
        [sys.executable, "-I", "-X", "importtime", "-m", "git_blueprint._hook", hook],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    assert "git_blueprint.hooks.commit" in names, proc.stderr
    return names


def test_a_commit_that_stamps_imports_nothing_it_can_do_without(drafted: Path) -> None:
    """The whole pre-commit run of a stamping commit, not only the module's import: a stamp
    written to the index and mirrored into the working file, the config read from its cache."""
    path = drafted / "blueprints" / "gateway.md"
    edited = path.read_text().replace("[What role it plays]", "Takes payments", 1)
    path.write_text(edited)
    git(drafted, "add", "-A")
    imported_by_hook(drafted, "pre-commit")  # fills the config cache, if it was empty
    path.write_text(edited)
    git(drafted, "add", "-A")
    names = imported_by_hook(drafted, "pre-commit")
    assert "**Last Updated**: 2026-11-27" in git(drafted, "show", ":blueprints/gateway.md")
    assert "**Last Updated**: 2026-11-27" in path.read_text()
    assert names & NOT_ON_THE_COMMIT_PATH == set()
