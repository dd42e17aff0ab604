"""Commands that write, where part of the work cannot be done: everything is checked
before anything is written, "changed" is decided through git's own filters, and the
blueprints folder never leads out of the repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import Runner, git, run_with_file_limit, snapshot
from support.worlds import FILLED


def state(root: Path) -> tuple[object, ...]:
    return (
        git(root, "status", "--porcelain", "-uall"),
        git(root, "ls-files", "-s"),
        git(root, "rev-parse", "HEAD"),
        snapshot(root),
    )


def test_stamp_checks_every_file_before_writing_any(repo: Path, bp: Runner) -> None:
    folder = repo / "blueprints"
    (folder / "good.md").write_text(FILLED)
    (folder / "bad.md").write_bytes(b"# Bad\n\n\xff\xfe not UTF-8\n")
    before = state(repo)
    result = bp(repo, "stamp", "good", "bad")
    assert result.code == 2
    assert result.err.startswith("git-blueprint: error: blueprints/bad.md: ")
    assert state(repo) == before
    assert bp(repo, "stamp", "good").code == 0  # the good one alone is stamped
    assert "2026-11-27" in (folder / "good.md").read_text()


def test_a_write_that_fails_part_way_puts_the_earlier_files_back(repo: Path) -> None:
    """`bp stamp a b` where `b` cannot be written (past the file-size limit, as on a full
    disk): `a`, written first, is put back as it was."""

    folder = repo / "blueprints"
    (folder / "a.md").write_text(FILLED)
    (folder / "b.md").write_text(FILLED + "\nPadding.\n" * 2000)  # about 22 KB
    before = state(repo)

    # Writes past 8 KiB fail (EFBIG): `a` fits, `b` does not.
    argv = [sys.executable, "-m", "git_blueprint", "stamp", "a", "b"]
    proc = run_with_file_limit(argv, repo, 8192)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("git-blueprint: error: blueprints/b.md: cannot be written")
    assert state(repo) == before


def test_a_clean_checkout_under_autocrlf_is_unchanged(
    tmp_path: Path, repo: Path, bp: Runner
) -> None:
    (repo / "blueprints" / "gateway.md").write_text(FILLED)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "filled")
    clone = tmp_path / "crlf"
    git(tmp_path, "clone", "-q", "-c", "core.autocrlf=true", str(repo), str(clone))
    assert b"\r\n" in (clone / "blueprints" / "gateway.md").read_bytes()
    stamped = bp(clone, "stamp")
    assert stamped.code == 0 and "nothing to stamp" in stamped.err
    assert git(clone, "status", "--porcelain") == ""
    promoted = bp(clone, "promote", "gateway")
    assert promoted.code == 0, promoted.err
    assert git(clone, "status", "--porcelain") == ""
    committed = git(clone, "cat-file", "blob", "HEAD:blueprints/gateway.md")
    assert "\r" not in committed and "**Blueprint Status**: Review" in committed
    assert b"\r\n" in (clone / "blueprints" / "gateway.md").read_bytes()
    # A real change is still one.
    doc = clone / "blueprints" / "gateway.md"
    doc.write_bytes(doc.read_bytes().replace(b"Takes card payments", b"Takes wallets"))
    assert bp(clone, "promote", "gateway").code == 2


def test_a_blueprints_folder_leading_out_of_the_repository_is_refused(
    tmp_path: Path, repo: Path, bp: Runner
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "theirs.md").write_text(FILLED)
    folder = repo / "blueprints"
    folder.rmdir()
    folder.symlink_to(elsewhere)
    for args in (("new", "Gateway"), ("list",), ("stamp",), ("check",), ("init", ".")):
        result = bp(repo, *args)
        assert result.code == 2, (args, result.err)
        assert "the blueprints folder leads out of the repository" in result.err, args
    assert sorted(p.name for p in elsewhere.iterdir()) == ["theirs.md"]
    assert (elsewhere / "theirs.md").read_text() == FILLED


def test_a_blueprints_path_that_is_a_file_is_refused(repo: Path, bp: Runner) -> None:
    folder = repo / "blueprints"
    folder.rmdir()
    folder.write_text("not a folder\n")
    before = state(repo)
    for args in (("new", "Gateway"), ("list",)):
        result = bp(repo, *args)
        assert result.code == 2, (args, result.err)
        assert (
            result.err
            == "git-blueprint: error: blueprints: the blueprints folder is not a folder\n"
        )
    assert state(repo) == before


def test_a_failed_new_leaves_no_folder_behind(repo: Path, bp: Runner) -> None:
    (repo / ".gitignore").write_text("blueprints/drafts/\n")
    git(repo, "add", ".gitignore")
    git(repo, "commit", "-q", "-m", "ignore drafts")
    before = state(repo)
    result = bp(repo, "new", "X", "--id", "drafts/x")
    assert result.code == 2
    assert result.err == (
        "git-blueprint: error: blueprints/drafts/x.md: git ignores it "
        "(.gitignore:1:blueprints/drafts/); choose another id, or change that rule\n"
    )
    assert not (repo / "blueprints" / "drafts").exists()
    assert state(repo) == before


def test_the_index_of_a_failed_new_is_put_back(repo: Path, bp: Runner) -> None:
    """A pre-commit hook that refuses: the new file is taken out of the index and the
    working tree again, and what the user had staged stays staged."""
    (repo / "notes.txt").write_text("mine\n")
    git(repo, "add", "notes.txt")
    hooks = Path(git(repo, "rev-parse", "--git-path", "hooks").strip())
    hook = (repo / hooks if not hooks.is_absolute() else hooks) / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'refused by policy' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = state(repo)
    result = bp(repo, "new", "Gateway")
    assert result.code == 2
    assert "not created, the commit failed" in result.err
    assert state(repo) == before
    assert subprocess.run(["git", "fsck", "--no-progress"], cwd=repo).returncode == 0


def test_list_and_check_report_a_bad_file_and_go_on(tmp_path: Path, repo: Path, bp: Runner) -> None:
    folder = repo / "blueprints"
    (folder / "good.md").write_text(FILLED)
    (folder / "empty.md").write_text("")
    (folder / "binary.md").write_bytes(b"# X\n\xff\n")
    (tmp_path / "outside.md").write_text(FILLED)
    (folder / "link.md").symlink_to(tmp_path / "outside.md")

    listed = bp(repo, "list", "--format", "json")
    assert listed.code == 2, listed.err  # every other file listed, then bad input said
    data = json.loads(listed.out)
    assert [r["id"] for r in data["blueprints"]] == ["empty", "good"]  # empty: being written
    assert [u["path"] for u in data["unreadable"]] == ["blueprints/binary.md", "blueprints/link.md"]
    assert listed.err.splitlines() == [
        "git-blueprint: warning: blueprints/binary.md: not UTF-8 (byte 0xff at offset 4); left out",
        "git-blueprint: warning: blueprints/link.md: outside the blueprints folder 'blueprints';"
        " left out",
        "git-blueprint: error: 2 file(s) could not be read as blueprints: "
        "blueprints/binary.md, blueprints/link.md",
    ]
    table = bp(repo, "list")
    assert table.code == 2 and "Payment Gateway" in table.out

    checked = bp(repo, "check", "--format", "json")
    assert checked.code == 2
    report = json.loads(checked.out)
    unreadable = {p["path"]: p["message"] for p in report["problems"] if p["rule"] == "unreadable"}
    assert set(unreadable) == {
        "blueprints/binary.md",
        "blueprints/empty.md",
        "blueprints/link.md",
    }
    assert report["checked"] == 4
    assert not any(
        p["path"] == "blueprints/good.md" and p["severity"] == "error" for p in report["problems"]
    )


def test_init_of_a_new_folder_inside_a_repository_is_refused(repo: Path, bp: Runner) -> None:
    """`bp init sub/dir` inside an existing repository: it made an empty `sub/dir` and set
    up the repository around it. Now refused, nothing made."""
    before = state(repo)
    result = bp(repo, "init", "sub/dir")
    assert result.code == 2
    assert "would be made inside the git repository" in result.err
    assert not (repo / "sub").exists()
    assert state(repo) == before


def test_diff_names_what_it_compares(tmp_path: Path, bp: Runner) -> None:
    """`bp diff --no-index f f` of the same bytes shows nothing, as `git diff` does (it said
    "whitespace, wrapping or line endings only"); `--cached` on a branch with no commit
    names HEAD as the old side, not the empty tree's id."""
    same = tmp_path / "same.md"
    same.write_text(FILLED)
    result = bp(tmp_path, "diff", "--no-index", str(same), str(same))
    assert result.code == 0 and result.out == ""
    assert bp(tmp_path, "init", "fresh").code == 0
    fresh = tmp_path / "fresh"
    (fresh / "blueprints" / "a.md").write_text(FILLED)
    git(fresh, "add", "-A")
    data = json.loads(bp(fresh, "diff", "--cached", "--format", "json").out)
    assert data["files"][0]["old"] == {"rev": "HEAD", "path": None}
