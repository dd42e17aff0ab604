"""The merge driver in real `git merge`s: stamps merge to the later date, two different
statuses conflict, the body merges as git would."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import Runner, git
from git_blueprint.core.config import Config
from git_blueprint.core.merge import merge_texts
from git_blueprint.hooks.merge_driver import git_line_merge


@pytest.fixture
def base(repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-01-05T09:00:00+00:00")
    assert bp(repo, "new", "Gateway").code == 0
    return repo


def change(
    repo: Path, monkeypatch: pytest.MonkeyPatch, date: str, old: str, new: str, message: str
) -> None:
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{date}T10:00:00+00:00")
    p = repo / "blueprints/gateway.md"
    text = p.read_text()
    assert old in text
    text = re.sub(
        r"\*\*Last Updated\*\*: .*", f"**Last Updated**: {date}", text.replace(old, new, 1)
    )
    p.write_text(text)
    # Placeholders remain in Review here: this tests the merge driver, not the hooks.
    git(repo, "commit", "-q", "-a", "--no-verify", "-m", message)


def test_both_stamped_merge_cleanly_with_the_later_date(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(base, "checkout", "-q", "-b", "side")
    change(base, monkeypatch, "2026-03-01", "[What role it plays]", "Side role", "side")
    git(base, "checkout", "-q", "main")
    change(base, monkeypatch, "2026-02-01", "[How often]", "Hourly", "main")
    proc = subprocess.run(
        ["git", "merge", "-q", "--no-verify", "--no-edit", "side"],
        cwd=base,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    merged = git(base, "show", "HEAD:blueprints/gateway.md")
    assert "Side role" in merged and "Hourly" in merged
    assert "**Last Updated**: 2026-03-01\n" in merged
    assert "<<<<<<<" not in merged
    assert git(base, "status", "--porcelain") == ""


def test_two_different_statuses_conflict(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(base, "checkout", "-q", "-b", "side")
    change(base, monkeypatch, "2026-03-01", "Status**: Draft", "Status**: Review", "side")
    git(base, "checkout", "-q", "main")
    change(base, monkeypatch, "2026-02-01", "Status**: Draft", "Status**: Approved", "main")
    proc = subprocess.run(
        ["git", "merge", "-q", "--no-verify", "--no-edit", "side"],
        cwd=base,
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    text = (base / "blueprints/gateway.md").read_text()
    assert (
        "<<<<<<< HEAD\n**Blueprint Status**: Approved\n=======\n**Blueprint Status**: Review\n"
        ">>>>>>> side\n**Last Updated**: 2026-03-01\n"
    ) in text  # labelled as git labels its own conflicts
    assert "UU blueprints/gateway.md" in git(base, "status", "--porcelain")


def test_status_change_on_one_side_wins(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(base, "checkout", "-q", "-b", "side")
    change(base, monkeypatch, "2026-03-01", "Status**: Draft", "Status**: Review", "side")
    git(base, "checkout", "-q", "main")
    change(base, monkeypatch, "2026-04-01", "[How often]", "Hourly", "main")
    git(base, "merge", "-q", "--no-verify", "--no-edit", "side")
    merged = git(base, "show", "HEAD:blueprints/gateway.md")
    assert "**Blueprint Status**: Review\n**Last Updated**: 2026-04-01\n" in merged


def test_body_conflicts_stay_conflicts_and_keep_crlf() -> None:
    base = "# T\r\n\r\nline\r\n\r\n**Blueprint Status**: Draft\r\n**Last Updated**: 2026-01-01\r\n**Author**: A\r\n"
    ours = base.replace("line", "ours").replace("2026-01-01", "2026-02-01")
    theirs = base.replace("line", "theirs").replace("2026-01-01", "2026-03-01")
    merged, clean = merge_texts(base, ours, theirs, Config(), git_line_merge)
    assert not clean
    assert "<<<<<<< ours\r\nours\r\n=======\r\ntheirs\r\n>>>>>>> theirs\r\n" in merged
    assert "**Last Updated**: 2026-03-01\r\n" in merged


def test_author_changed_on_both_sides_takes_the_later_writer() -> None:
    base = "# T\n\n**Blueprint Status**: Draft\n**Last Updated**: 2026-01-01\n**Author**: A\n"
    ours = base.replace("**Author**: A", "**Author**: Ours").replace("01-01", "05-01")
    theirs = base.replace("**Author**: A", "**Author**: Theirs").replace("01-01", "03-01")
    merged, clean = merge_texts(base, ours, theirs, Config(), git_line_merge)
    assert clean
    assert merged == base.replace("**Author**: A", "**Author**: Ours").replace("01-01", "05-01")
