"""What the commands say where a user goes wrong or looks for help: each message names
what is wrong (the date, the revision, the folder), and each help ends with an example."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Runner, git
from git_blueprint.core.config import Config
from git_blueprint.core.workflow import Actor, Version, check_change
from support.worlds import FILLED


def test_a_date_git_cannot_read_is_named(
    repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_COMMITTER_DATE", "garbage")
    result = bp(repo, "new", "Gateway")
    assert result.code == 2
    assert result.err.startswith("git-blueprint: error: GIT_COMMITTER_DATE: git cannot read")
    assert not (repo / "blueprints" / "gateway.md").exists()


def test_a_revision_that_names_nothing_is_named(repo: Path, bp: Runner) -> None:
    (repo / "blueprints" / "x.md").write_text(FILLED)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "x")
    shown = bp(repo, "show", "x", "--rev", "nope")
    assert shown.code == 2 and shown.err == "git-blueprint: error: 'nope': not a revision here\n"
    missing = bp(repo, "show", "x", "--rev", "HEAD~1")
    assert missing.code == 2 and "no such blueprint at that revision" in missing.err
    verified = bp(repo, "verify", "nope")
    assert verified.code == 2 and "'nope' is not a commit here" in verified.err
    assert "shallow" not in verified.err  # a full clone: no hint about fetching history


def test_check_takes_a_folder(repo: Path, bp: Runner) -> None:
    sub = repo / "blueprints" / "payments"
    sub.mkdir()
    (sub / "gateway.md").write_text(FILLED)
    (repo / "blueprints" / "other.md").write_text("# Other\n")
    result = bp(repo, "check", "blueprints/payments", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["checked"] == 1
    outside = bp(repo, "check", str(repo.parent))
    assert outside.code == 2 and "not inside the blueprints folder" in outside.err


def test_every_help_ends_with_an_example(bp: Runner, tmp_path: Path) -> None:
    for args in ([], ["hooks"], ["diff"], ["log"], ["verify"], ["new"], ["check"]):
        shown = bp(tmp_path, *args, "--help")
        assert shown.code == 0
        assert "Example: bp" in shown.out, args
    diff_help = bp(tmp_path, "diff", "--help").out
    example = diff_help[diff_help.index("Example:") :].split("\n")[0]
    assert example.index("--format") < example.index(" -- ")  # options before the paths
    for command in ("log", "verify"):
        assert "--color" in bp(tmp_path, command, "--help").out


def test_the_program_names_itself(tmp_path: Path) -> None:
    scripts = Path(sys.executable).parent
    for argv, name in (
        ([str(scripts / "git-blueprint")], "git-blueprint"),
        ([str(scripts / "bp")], "bp"),
        ([sys.executable, "-m", "git_blueprint"], "python -m git_blueprint"),
    ):
        proc = subprocess.run([*argv, "--help"], capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 0
        assert proc.stdout.startswith(f"Usage: {name} "), proc.stdout[:80]


def test_a_frozen_blueprint_that_is_deleted_reads_well() -> None:
    old = Version.of("blueprints/x.md", FILLED.replace("Draft", "Approved"), Config())
    (violation,) = check_change(old, None, Config(), Actor("Grace Hopper"), "x")
    assert "is Approved, and a blueprint in Approved cannot be deleted" in violation.message
    assert " a Approved" not in violation.message
