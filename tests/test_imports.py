"""The hot path imports nothing heavy: the hooks, the drivers and `bp list`'s reader load
only the standard library (PyYAML only for a config file or front matter), and the CLI
loads Typer and nothing else heavy until a command needs it."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import TEMPLATE

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
            "import git_blueprint._hook, git_blueprint.hookrun, git_blueprint.merge, "
            "git_blueprint.verify, git_blueprint.timeline, git_blueprint.stamp"
        )
        == set()
    )


def test_fast_reader_needs_no_markdown_library() -> None:
    code = (
        "from git_blueprint.summary import summarize\nfrom git_blueprint.config import MetadataNames\n"
        f"summarize(open({str(TEMPLATE)!r}).read(), MetadataNames())"
    )
    assert loaded(code) == set()


def test_cli_loads_typer_only() -> None:
    assert loaded("import git_blueprint.cli") == {"typer"}
