"""Property: random staged and unstaged edits to one blueprint, then `git commit`. The
committed blob is the staged content plus the stamp; the working file is the user's content
plus the same stamp where that is safe, and otherwise the user's content untouched. A
refused commit changes nothing. Never a lost byte."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import git
from git_blueprint.core.config import Config
from git_blueprint.core.metadata import set_fields
from git_blueprint.core.stamp import content_changed, stamp_text
from git_blueprint.git.repo import parse_ident

BASE_DATE = "2026-01-05T09:00:00+00:00"
LINES = [
    "",
    "Some prose about the integration.",
    "- **Role**: Gateway",
    "### System 3: Fraud Service",
    "**Last Updated**: 1999-01-01",
    "**Author**: Someone Else",
    "**Blueprint Status**: Draft",
    "```",
    "---",
    "trailing space  ",
    "\ttabbed",
    "[A placeholder]",
]
Edit = tuple[str, float, str]
edits = st.lists(
    st.tuples(
        st.sampled_from(["replace", "insert", "delete"]),
        # Half the edits land within the last lines, next to the footer.
        st.one_of(st.floats(0, 1), st.floats(0.93, 1)),
        st.one_of(st.sampled_from(LINES), st.text("abc XYZ*:[]#-", max_size=20)),
    ),
    max_size=4,
)


def apply(text: str, ops: list[Edit]) -> str:
    lines = text.split("\n")
    for op, where, new in ops:
        i = min(int(where * len(lines)), len(lines) - 1)
        if op == "replace":
            lines[i] = new
        elif op == "insert":
            lines.insert(i, new)
        elif len(lines) > 1:
            del lines[i]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def base_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from conftest import REPO_ROOT  # noqa: F401 - the package under test is importable

    root = tmp_path_factory.mktemp("prop") / "repo"
    env_date = {"GIT_COMMITTER_DATE": BASE_DATE}
    run_bp(root.parent, ["init", "repo"], {})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "set up")
    run_bp(root, ["new", "Gateway"], env_date)
    return root, git(root, "rev-parse", "HEAD").strip()


def run_bp(cwd: Path, args: list[str], env: dict[str, str]) -> None:
    import os
    import sys

    full = dict(os.environ, **env)
    proc = subprocess.run(
        [sys.executable, "-m", "git_blueprint", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(staged_ops=edits, unstaged_ops=edits)
def test_commit_stamps_without_losing_a_byte(
    base_repo: tuple[Path, str], staged_ops: list[Edit], unstaged_ops: list[Edit]
) -> None:
    root, base_commit = base_repo
    git(root, "reset", "-q", "--hard", base_commit)
    path = root / "blueprints" / "gateway.md"
    base = path.read_text()
    staged = apply(base, staged_ops)
    work = apply(staged, unstaged_ops)
    path.write_text(staged)
    git(root, "add", "blueprints/gateway.md")
    path.write_text(work)
    head = git(root, "rev-parse", "HEAD")
    proc = subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", "edit"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        # Refused: nothing changed anywhere.
        assert "commit refused" in proc.stderr
        assert git(root, "rev-parse", "HEAD") == head
        assert git(root, "show", ":blueprints/gateway.md") == staged
        assert path.read_text() == work
        return
    config = Config()
    who = parse_ident("Ada Lovelace <ada@example.com> 1795773600 +0000")  # the pinned date
    expected_blob = staged
    values: dict[str, str] = {}
    if content_changed(base, staged, config):
        result = stamp_text(staged, who, config, "gateway.md")
        expected_blob, values = result.text, result.values
    assert git(root, "show", "HEAD:blueprints/gateway.md") == expected_blob
    assert git(root, "show", ":blueprints/gateway.md") == expected_blob
    now = path.read_text()
    if work == staged:
        assert now == expected_blob
    elif now != work:
        # The stamp was mirrored: exactly the same values set, nothing else touched.
        assert now == set_fields(work, values, config.names, "gateway.md")
