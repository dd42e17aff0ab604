"""The git environments users really have: each one commits a blueprint edit through the
hooks and checks that the committed blob is stamped and nothing else changed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import Runner, git

STAMP = "**Last Updated**: 2026-11-27"
EARLY = "2026-01-05T09:00:00+00:00"


def commit(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        ["git", "commit", "-q", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert proc.returncode == 0, proc.stderr
    return proc


def new_blueprint(bp: Runner, repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    monkeypatch.setenv("GIT_COMMITTER_DATE", EARLY)
    result = bp(repo, "new", "Gateway", *args)
    assert result.code == 0, result.err
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-11-27T10:00:00+00:00")


def edit(path: Path) -> None:
    data = path.read_bytes()
    assert b"[What role it plays]" in data
    path.write_bytes(data.replace(b"[What role it plays]", b"Takes payments", 1))


def test_linked_worktree(
    repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    new_blueprint(bp, repo, monkeypatch)
    wt = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", "-b", "feature", str(wt))
    edit(wt / "blueprints/gateway.md")
    commit(wt, "-a", "-m", "in a worktree")
    assert STAMP in git(wt, "show", "HEAD:blueprints/gateway.md")
    assert git(wt, "status", "--porcelain") == ""
    assert bp(wt, "verify").code == 0


def test_hooks_path_repository_commits_stamped(
    repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    bp(repo, "hooks", "uninstall")
    git(repo, "config", "core.hooksPath", ".hooks")
    assert bp(repo, "hooks", "install").code == 0
    new_blueprint(bp, repo, monkeypatch)
    edit(repo / "blueprints/gateway.md")
    commit(repo, "-a", "-m", "edit")
    assert STAMP in git(repo, "show", "HEAD:blueprints/gateway.md")


def test_submodule_containing_blueprints(
    tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bp(tmp_path, "init", "designs").code == 0
    designs = tmp_path / "designs"
    git(designs, "add", "-A")
    git(designs, "commit", "-q", "-m", "set up")
    super_repo = tmp_path / "super"
    git(tmp_path, "init", "-q", str(super_repo))
    git(
        super_repo,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(designs),
        "designs",
    )
    sub = super_repo / "designs"
    assert bp(sub, "init").code == 0  # installs hooks in .git/modules/designs/hooks
    assert (super_repo / ".git/modules/designs/hooks/pre-commit").exists()
    new_blueprint(bp, sub, monkeypatch)
    edit(sub / "blueprints/gateway.md")
    commit(sub, "-a", "-m", "edit in the submodule")
    assert STAMP in git(sub, "show", "HEAD:blueprints/gateway.md")
    assert git(sub, "status", "--porcelain") == ""


def test_sha256_repository(tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q", "--object-format=sha256")
    assert bp(tmp_path, "init").code == 0
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "set up")
    new_blueprint(bp, tmp_path, monkeypatch)
    edit(tmp_path / "blueprints/gateway.md")
    commit(tmp_path, "-a", "-m", "edit")
    assert STAMP in git(tmp_path, "show", "HEAD:blueprints/gateway.md")
    assert len(git(tmp_path, "rev-parse", "HEAD").strip()) == 64
    assert bp(tmp_path, "verify").code == 0
    assert bp(tmp_path, "log", "gateway").code == 0


@pytest.mark.parametrize("setup", ["autocrlf", "eol-attribute"])
def test_line_ending_conversion_stamps_what_the_clean_filter_produces(
    setup: str, repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    if setup == "autocrlf":
        git(repo, "config", "core.autocrlf", "true")
    else:
        attrs = repo / ".gitattributes"
        attrs.write_text(attrs.read_text() + "*.md text eol=crlf\n")
        git(repo, "add", ".gitattributes")
        git(repo, "commit", "-q", "-m", "eol")
    new_blueprint(bp, repo, monkeypatch)
    path = repo / "blueprints/gateway.md"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    edit(path)
    commit(repo, "-a", "-m", "edit with CRLF in the working tree")
    blob = subprocess.run(
        ["git", "cat-file", "blob", "HEAD:blueprints/gateway.md"],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout
    assert b"\r\n" not in blob  # what the clean filter makes of the CRLF file
    assert b"**Last Updated**: 2026-11-27\n" in blob
    work = path.read_bytes()
    assert b"**Last Updated**: 2026-11-27\r\n" in work and work.count(b"\n") == work.count(b"\r\n")
    assert git(repo, "status", "--porcelain") == ""


def test_detached_head(repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    new_blueprint(bp, repo, monkeypatch)
    git(repo, "checkout", "-q", "--detach")
    edit(repo / "blueprints/gateway.md")
    commit(repo, "-a", "-m", "detached")
    assert STAMP in git(repo, "show", "HEAD:blueprints/gateway.md")


def test_paths_with_spaces_and_non_ascii(
    repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_blueprint(bp, repo, monkeypatch, "--no-commit")
    folder = repo / "blueprints" / "Équipe Paiements"
    folder.mkdir()
    target = folder / "Passerelle été.md"
    (repo / "blueprints/gateway.md").rename(target)
    git(repo, "add", "-A")
    commit(repo, "-m", "add")
    edit(target)
    commit(repo, "-a", "-m", "edit")
    blob = git(repo, "show", "HEAD:blueprints/Équipe Paiements/Passerelle été.md")
    assert STAMP in blob
    assert git(repo, "status", "--porcelain") == ""
    listed = bp(repo, "list", "--format", "json")
    assert "Équipe Paiements/Passerelle été" in listed.out
    assert bp(repo, "show", "blueprints/Équipe Paiements/Passerelle été.md").code == 0


def test_blueprints_folder_that_is_a_symlink(
    tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "docs" / "designs").mkdir(parents=True)
    (tmp_path / "blueprints").symlink_to("docs/designs")
    assert bp(tmp_path, "init").code == 0
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "set up")
    new_blueprint(bp, tmp_path, monkeypatch)
    assert git(tmp_path, "ls-files", "docs/designs") == "docs/designs/gateway.md\n"
    edit(tmp_path / "docs/designs/gateway.md")
    commit(tmp_path, "-a", "-m", "edit")
    assert STAMP in git(tmp_path, "show", "HEAD:docs/designs/gateway.md")
    assert bp(tmp_path, "verify").code == 0
    assert bp(tmp_path, "list").out.count("gateway") == 1


def test_git_dir_and_work_tree_set_by_the_caller(
    repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    new_blueprint(bp, repo, monkeypatch)
    edit(repo / "blueprints/gateway.md")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"GIT_DIR": str(repo / ".git"), "GIT_WORK_TREE": str(repo)}
    commit(elsewhere, "-a", "-m", "from elsewhere", env=env)
    assert STAMP in git(repo, "show", "HEAD:blueprints/gateway.md")
    assert git(repo, "status", "--porcelain") == ""


def test_cherry_pick_and_rebase_in_progress(
    repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_blueprint(bp, repo, monkeypatch)
    git(repo, "checkout", "-q", "-b", "side")
    edit(repo / "blueprints/gateway.md")
    commit(repo, "-a", "-m", "side edit")
    side = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "main")
    (repo / "other.txt").write_text("x\n")
    git(repo, "add", "other.txt")
    commit(repo, "-m", "main moves")
    git(repo, "cherry-pick", side)  # runs no pre-commit hook: the picked blob as it was
    assert git(repo, "show", "HEAD:blueprints/gateway.md") == git(
        repo, "show", f"{side}:blueprints/gateway.md"
    )
    git(repo, "checkout", "-q", "side")
    git(repo, "rebase", "-q", "main")
    assert STAMP in git(repo, "show", "HEAD:blueprints/gateway.md")
    # An edit stop in a rebase: the amend runs the hooks, which behave.
    proc = subprocess.run(
        ["git", "rebase", "-q", "-i", "HEAD~1"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_SEQUENCE_EDITOR": "sed -i 's/^pick/edit/'"},
    )
    assert proc.returncode == 0, proc.stderr
    p = repo / "blueprints/gateway.md"
    p.write_text(p.read_text().replace("[What it's responsible for]", "Charges cards", 1))
    git(repo, "add", "-A")
    commit(repo, "--amend", "--no-edit")
    git(repo, "rebase", "--continue")
    assert "Charges cards" in git(repo, "show", "HEAD:blueprints/gateway.md")
    assert git(repo, "status", "--porcelain") == ""
    assert bp(repo, "verify").code == 0


def test_where_commands_find_the_repository(repo: Path, tmp_path: Path, bp: Runner) -> None:
    """One `git rev-parse` locates the repository from anywhere a command can be run."""
    from git_blueprint.errors import GitError, NotARepository
    from git_blueprint.git.repo import find_repo

    top = find_repo(repo)
    assert (top.root, top.git_dir) == (repo, repo / ".git")
    (repo / "blueprints" / "deep").mkdir(parents=True)
    assert find_repo(repo / "blueprints" / "deep") == top
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    assert (find_repo(bare).root, find_repo(bare).git_dir) == (None, bare)
    with pytest.raises(GitError, match="work tree"):
        find_repo(repo / ".git")
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(NotARepository):
        find_repo(outside)
    assert bp(outside, "list").code == 2
    assert "bare repository" in bp(bare, "list").err
