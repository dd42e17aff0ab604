"""Hostile input: nothing but the tool's own errors, no catastrophic backtracking, nothing
from a repository executed, nothing passed through a shell."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO_ROOT, Runner, git, snapshot
from git_blueprint.core.config import MetadataNames
from git_blueprint.core.document import parse_document
from git_blueprint.core.metadata import set_fields
from git_blueprint.core.summary import summarize
from git_blueprint.errors import BlueprintError
from git_blueprint.hooks.install import render_shim

HUGE = {
    "a 1 MB line": "# T\n" + "x" * 1_000_000 + "\n",
    "100,000 nested list markers": "- " * 100_000 + "x\n",
    "100,000 nested quote markers": "> " * 100_000 + "x\n",
    "10,000 headings": "".join(f"{'#' * (1 + i % 6)} Heading {i}\n" for i in range(10_000)),
    "100,000 open brackets": "[" * 100_000 + "\n",
    "100,000 emphasis runs": "*a" * 100_000 + "\n",
    "2,000 nesting list levels": "".join("  " * i + "- x\n" for i in range(2_000)),
    "100,000 backticks": "`" * 100_000 + "\n",
    "an unclosed HTML comment of 1 MB": "<!--" + "-" * 1_000_000,
}


@pytest.mark.parametrize("name", sorted(HUGE))
def test_pathological_documents_parse_in_bounded_time(name: str) -> None:
    """Run in a child with a deadline, so a regression shows up as a failure, not a hang."""
    code = (
        "import sys; from git_blueprint.core.document import parse_document;"
        "from git_blueprint.core.summary import summarize; from git_blueprint.core.config import MetadataNames;"
        "from git_blueprint.core.metadata import set_fields;"
        "t = sys.stdin.read(); parse_document(t); summarize(t, MetadataNames())\n"
        "from git_blueprint.errors import BlueprintError\n"
        "try:\n    set_fields(t, {'author': 'Ada'}, MetadataNames(), 'x')\n"
        "except BlueprintError:\n    pass\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], input=HUGE[name], text=True, capture_output=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_arbitrary_text_raises_nothing_but_our_errors(text: str) -> None:
    names = MetadataNames()
    parse_document(text)
    summarize(text, names)
    with contextlib.suppress(BlueprintError):
        set_fields(
            text,
            {"status": "Review", "author": 'O\'Neil: "#1"', "last_updated": "2026-11-27"},
            names,
            "x",
        )


def test_no_shell_anywhere_in_the_source() -> None:
    for path in (REPO_ROOT / "src").rglob("*.py"):
        text = path.read_text()
        assert "shell=True" not in text, path
        assert "os.system(" not in text and "os.popen(" not in text, path
        calls = re.findall(r"\beval\(|\bexec\(", text)
        if path.name == "values.py" and path.parent.name == "git_blueprint":
            # Record compiles each class's methods once; the source holds field names only,
            # and names that are not identifiers are refused (test_values).
            assert calls == ["exec("], path
        else:
            assert not calls, path


def test_shell_metacharacters_never_reach_a_shell(repo: Path, bp: Runner, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    title = f"Gate $(touch {marker}) `touch {marker}`; touch {marker} | \"quoted\" 'single'"
    result = bp(repo, "new", title, "--id", "gate")
    assert result.code == 0, result.err
    assert not marker.exists()
    text = (repo / "blueprints/gate.md").read_text()
    assert text.startswith(f"# Integration Blueprint: {title}\n")
    # A commit message full of metacharacters goes through the commit-msg hook untouched.
    p = repo / "blueprints/gate.md"
    p.write_text(p.read_text().replace("[What role it plays]", "Role"))
    message = f"edit $(touch {marker}) `id` ; rm -rf / && echo"
    git(repo, "commit", "-q", "-a", "-m", message)
    assert git(repo, "log", "-1", "--format=%s").strip() == message
    assert not marker.exists()


def test_shim_quotes_an_interpreter_path_with_spaces_and_dollars(tmp_path: Path) -> None:
    folder = tmp_path / "a dir $HOME `x` ;"
    folder.mkdir()
    fake = folder / "python"
    log = tmp_path / "args.log"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{log}"\n')
    fake.chmod(0o755)
    hook = tmp_path / "pre-commit"
    hook.write_text(render_shim("pre-commit", str(fake)))
    hook.chmod(0o755)
    (tmp_path / ".blueprint.yaml").write_text("")  # hooks act in a blueprint repository
    subprocess.run([str(hook), "arg with space"], check=True, cwd=tmp_path)
    assert log.read_text().splitlines() == [
        "-I",
        "-m",
        "git_blueprint._hook",
        "pre-commit",
        "arg with space",
    ]
    with pytest.raises(BlueprintError):
        render_shim("pre-commit", "/tmp/it's/python")


def test_nothing_in_config_or_templates_is_executed(repo: Path, bp: Runner, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (repo / ".blueprint.yaml").write_text(
        f'blueprints: !!python/object/apply:os.system ["touch {marker}"]\n'
    )
    before = snapshot(repo)
    result = bp(repo, "list")
    assert result.code == 2 and ".blueprint.yaml:1:" in result.err
    assert not marker.exists()
    assert snapshot(repo) == before
    (repo / ".blueprint.yaml").write_text("")
    templates = repo / ".blueprint" / "templates"
    templates.mkdir(parents=True)
    body = f"# Kind: [Name]\n\n$(touch {marker})\n{{{{ config }}}}\n<script>alert(1)</script>\n"
    (templates / "evil.md").write_text(body)
    assert bp(repo, "new", "X", "--kind", "evil", "--no-commit").code == 0
    assert not marker.exists()
    made = (repo / "blueprints/x.md").read_text()
    assert f"$(touch {marker})\n{{{{ config }}}}\n<script>alert(1)</script>\n" in made


def test_template_names_and_ids_that_try_traversal(repo: Path, bp: Runner) -> None:
    before = snapshot(repo)
    for args in (
        ["new", "X", "--kind", "../../../etc/passwd"],
        ["new", "X", "--kind", "/etc/passwd"],
        ["new", "X", "--id", "a/../../b"],
        ["new", "X", "--id", "a//b"],
        ["show", "../../etc/passwd"],
        ["log", "../x"],
        ["promote", "/etc/passwd.md"],
    ):
        result = bp(repo, *args)
        assert result.code == 2, args
        assert result.err.count("\n") == 1, args
    assert snapshot(repo) == before
    assert os.path.exists("/etc/passwd")  # nothing was touched outside either
