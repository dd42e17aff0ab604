"""SIGINT and SIGTERM at every step of a stamp, a promote and a new: afterwards the
repository is in the old state or the new one — never a half-written file, a stale lock, or
an index that disagrees with the working tree in a way the user did not make."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import git, run_with_file_limit
from support.worlds import FILLED

STAMP_POINTS = {
    "stamp-before-write": "old",
    "stamp-hashed": "old",
    "stamp-index-written": "new",
    "stamp-done": "new",
}
SIGNALS = ["SIGINT", "SIGTERM"]


def leftovers(repo: Path) -> list[str]:
    found = [p.name for p in (repo / "blueprints").iterdir() if p.name.startswith(".")]
    found += [p.name for p in (repo / ".git").glob("*.lock")]
    return found


@pytest.mark.parametrize("sig", SIGNALS)
@pytest.mark.parametrize("point", sorted(STAMP_POINTS))
def test_interrupted_stamp(point: str, sig: str, drafted: Path) -> None:
    path = drafted / "blueprints/gateway.md"
    staged = path.read_text().replace("[What role it plays]", "Takes payments", 1)
    path.write_text(staged)
    git(drafted, "add", "-A")
    work = staged.replace("[How often]", "Hourly (not staged)", 1)
    path.write_text(work)
    head = git(drafted, "rev-parse", "HEAD")
    proc = subprocess.run(
        ["git", "commit", "-q", "-m", "edit"],
        cwd=drafted,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_BLUEPRINT_INTERRUPT_AT": f"{point}:{sig}"},
    )
    assert proc.returncode != 0
    assert "interrupted" in proc.stderr
    assert git(drafted, "rev-parse", "HEAD") == head
    assert leftovers(drafted) == []
    index = git(drafted, "show", ":blueprints/gateway.md")
    now = path.read_text()
    if STAMP_POINTS[point] == "old":
        assert index == staged and now == work
    else:
        stamp = ("**Last Updated**: 2026-01-05", "**Last Updated**: 2026-11-27")
        assert index == staged.replace(*stamp) and now == work.replace(*stamp)
    # Whichever state it is, the user's own unstaged change is the only other difference.
    diff = git(drafted, "diff", "--no-ext-diff", "--no-textconv").splitlines()
    changed = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-- **Frequency**: [How often]", "+- **Frequency**: Hourly (not staged)"]


def run_bp(cwd: Path, *args: str, point: str, sig: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "git_blueprint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_BLUEPRINT_INTERRUPT_AT": f"{point}:{sig}"},
    )


@pytest.mark.parametrize("sig", SIGNALS)
@pytest.mark.parametrize(("point", "state"), [("move-written", "old"), ("move-committed", "new")])
def test_interrupted_promote(point: str, state: str, sig: str, repo: Path) -> None:
    path = repo / "blueprints/gateway.md"
    path.write_text(FILLED)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "filled")
    head = git(repo, "rev-parse", "HEAD")
    before = path.read_text()
    proc = run_bp(repo, "promote", "gateway", point=point, sig=sig)
    if state == "old":
        assert proc.returncode == 130, proc.stderr
        assert proc.stderr.strip().splitlines()[-1] in (
            "git-blueprint: error: interrupted",  # before the transaction began
            "git-blueprint: error: interrupted; nothing changed",  # put back
        )
    else:  # once the commit has landed the signal is held: the command ends as it reports
        assert proc.returncode == 0, proc.stderr
        sha = git(repo, "rev-parse", "--short", "HEAD").strip()
        assert proc.stdout == f"blueprints/gateway.md: Draft -> Review in commit {sha}\n"
    assert leftovers(repo) == []
    assert git(repo, "status", "--porcelain") == ""
    if state == "old":
        assert git(repo, "rev-parse", "HEAD") == head
        assert path.read_text() == before
    else:
        assert git(repo, "rev-parse", "HEAD~1") == head
        assert "**Blueprint Status**: Review" in path.read_text()


@pytest.mark.parametrize("sig", SIGNALS)
def test_interrupted_new(sig: str, repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    proc = run_bp(repo, "new", "Gateway", point="new-added", sig=sig)
    assert proc.returncode == 130, proc.stderr
    assert git(repo, "rev-parse", "HEAD") == head
    assert not (repo / "blueprints/gateway.md").exists()
    assert git(repo, "status", "--porcelain") == ""
    assert leftovers(repo) == []


def test_full_disk_fails_cleanly_with_the_file_untouched(drafted: Path) -> None:

    path = drafted / "blueprints/gateway.md"
    path.write_text(path.read_text().replace("[What role it plays]", "Takes payments", 1))
    before = path.read_bytes()

    proc = run_with_file_limit([sys.executable, "-m", "git_blueprint", "stamp"], drafted, 1024)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("git-blueprint: error: blueprints/gateway.md: cannot be written")
    assert path.read_bytes() == before
    assert leftovers(drafted) == []
