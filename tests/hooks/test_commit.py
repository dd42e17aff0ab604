"""The pre-commit hook stamps the committed blob in every commit form, and afterwards the
working files and `git status` show exactly the changes the user had not staged."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import git_blueprint
from conftest import Runner, git
from git_blueprint.hooks.install import render_shim

EARLY = "2026-01-05T09:00:00+00:00"
STAMP = "**Last Updated**: 2026-11-27"
OLD_STAMP = "**Last Updated**: 2026-01-05"


@pytest.fixture
def hooked(drafted: Path) -> Path:
    """A repository with the hooks installed and one blueprint committed on an early date."""
    assert OLD_STAMP in (drafted / "blueprints/gateway.md").read_text()
    return drafted


def path_of(repo: Path) -> Path:
    return repo / "blueprints" / "gateway.md"


def edit(repo: Path, old: str, new: str) -> None:
    p = path_of(repo)
    data = p.read_bytes().decode()
    assert old in data
    p.write_bytes(data.replace(old, new, 1).encode())


def committed(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "show", f"{rev}:blueprints/gateway.md")


def commit(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["git", "commit", "-q", *args], cwd=repo, capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_plain_commit_stamps_and_keeps_unstaged_changes(hooked: Path) -> None:
    edit(hooked, "### System 1: [System Name]", "### System 1: Payments API")
    git(hooked, "add", "blueprints/gateway.md")
    edit(hooked, "[What role it plays]", "Unstaged role")
    commit(hooked, "-m", "fill")
    blob = committed(hooked)
    assert STAMP in blob and "Payments API" in blob and "Unstaged role" not in blob
    work = path_of(hooked).read_text()
    assert STAMP in work and "Unstaged role" in work
    # The only difference left is the one the user had not staged.
    assert git(hooked, "status", "--porcelain") == " M blueprints/gateway.md\n"
    assert work == blob.replace("[What role it plays]", "Unstaged role", 1)


def test_commit_all(hooked: Path) -> None:
    edit(hooked, "[What role it plays]", "Takes payments")
    commit(hooked, "-a", "-m", "fill")
    assert STAMP in committed(hooked)
    assert path_of(hooked).read_text() == committed(hooked)
    assert git(hooked, "status", "--porcelain") == ""


def test_commit_with_paths_updates_the_real_index_too(hooked: Path) -> None:
    edit(hooked, "[What role it plays]", "Takes payments")
    (hooked / "notes.txt").write_text("staged elsewhere\n")
    git(hooked, "add", "notes.txt")
    commit(hooked, "-m", "fill", "--", "blueprints/gateway.md")
    assert STAMP in committed(hooked)
    assert git(hooked, "status", "--porcelain") == "A  notes.txt\n"
    # The next commit must not revert the stamp.
    commit(hooked, "-m", "notes")
    assert STAMP in committed(hooked)


def test_amend(hooked: Path) -> None:
    edit(hooked, "[What role it plays]", "Takes payments")
    git(hooked, "add", "-A")
    commit(hooked, "--amend", "--no-edit")
    assert STAMP in committed(hooked)
    assert git(hooked, "rev-list", "--count", "HEAD") == "2\n"
    assert git(hooked, "status", "--porcelain") == ""


def test_first_commit_in_an_empty_repository(
    tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bp(tmp_path, "init").code == 0
    monkeypatch.setenv("GIT_COMMITTER_DATE", EARLY)
    assert bp(tmp_path, "new", "Gateway", "--no-commit").code == 0
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-11-27T10:00:00+00:00")
    git(tmp_path, "add", "-A")
    commit(tmp_path, "-m", "first")
    assert STAMP in committed(tmp_path)
    assert git(tmp_path, "status", "--porcelain") == ""


def test_intent_to_add_file_is_not_stamped_or_committed(hooked: Path) -> None:
    other = hooked / "blueprints" / "other.md"
    other.write_text(path_of(hooked).read_text())
    git(hooked, "add", "-N", "blueprints/other.md")
    edit(hooked, "[What role it plays]", "Takes payments")
    git(hooked, "add", "blueprints/gateway.md")
    before = other.read_bytes()
    commit(hooked, "-m", "fill")
    assert STAMP in committed(hooked)
    assert other.read_bytes() == before
    assert git(hooked, "status", "--porcelain") == " A blueprints/other.md\n"


def test_merge_commit_with_a_resolved_conflict(hooked: Path) -> None:
    git(hooked, "checkout", "-q", "-b", "side")
    edit(hooked, "[What role it plays]", "Side role")
    commit(hooked, "-a", "-m", "side")
    git(hooked, "checkout", "-q", "main")
    edit(hooked, "[What role it plays]", "Main role")
    commit(hooked, "-a", "-m", "main")
    proc = subprocess.run(
        ["git", "merge", "-q", "side"], cwd=hooked, capture_output=True, text=True
    )
    assert proc.returncode != 0
    text = path_of(hooked).read_text()
    start = text.index("<<<<<<<")
    end = text.index(">>>>>>> side\n") + len(">>>>>>> side\n")  # git's label for the branch
    path_of(hooked).write_text(text[:start] + "- **Role**: Both roles\n" + text[end:])
    git(hooked, "add", "blueprints/gateway.md")
    commit(hooked, "--no-edit")
    assert git(hooked, "rev-list", "--count", "--merges", "HEAD") == "1\n"
    assert "Both roles" in committed(hooked) and STAMP in committed(hooked)
    assert git(hooked, "status", "--porcelain") == ""


def test_clean_merge_keeps_the_branch_stamp_and_leaves_nothing_staged(
    hooked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(hooked, "checkout", "-q", "-b", "side")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-06-01T10:00:00+00:00")
    edit(hooked, "[What role it plays]", "Side role")
    commit(hooked, "-a", "-m", "side")
    git(hooked, "checkout", "-q", "main")
    (hooked / "other.txt").write_text("main moves on\n")
    git(hooked, "add", "other.txt")
    commit(hooked, "-m", "main")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-11-27T10:00:00+00:00")
    git(hooked, "merge", "-q", "--no-ff", "--no-edit", "side")
    assert "**Last Updated**: 2026-06-01" in committed(hooked)
    assert path_of(hooked).read_text() == committed(hooked)
    assert git(hooked, "status", "--porcelain") == ""


def test_clean_merge_is_refused_when_it_brings_an_error(hooked: Path) -> None:
    git(hooked, "checkout", "-q", "-b", "side")
    edit(hooked, "**Blueprint Status**: Draft", "**Blueprint Status**: Done")
    commit(hooked, "-a", "--no-verify", "-m", "side")
    git(hooked, "checkout", "-q", "main")
    (hooked / "other.txt").write_text("main moves on\n")
    git(hooked, "add", "other.txt")
    commit(hooked, "-m", "main")
    head = git(hooked, "rev-parse", "HEAD")
    proc = subprocess.run(
        ["git", "merge", "-q", "--no-ff", "--no-edit", "side"],
        cwd=hooked,
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "error unknown-status: 'Done'" in proc.stderr
    assert git(hooked, "rev-parse", "HEAD") == head


def test_crlf_file(hooked: Path) -> None:
    p = path_of(hooked)
    p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
    commit(hooked, "-a", "-m", "crlf")
    blob = git(hooked, "cat-file", "blob", "HEAD:blueprints/gateway.md")
    assert "**Last Updated**: 2026-11-27\r\n" in blob
    assert blob.count("\r\n") == blob.count("\n")
    assert p.read_bytes() == blob.encode()
    assert git(hooked, "status", "--porcelain") == ""


def test_front_matter_file(repo: Path) -> None:
    p = repo / "blueprints" / "adr.md"
    p.write_text(
        "---\ntitle: ADR\nstatus: Draft  # keep\nlast_updated: '2020-01-01'\nauthor: ''\n---\n# ADR: X\n\n## Context\n\nText.\n"
    )
    git(repo, "add", "-A")
    commit(repo, "-m", "adr")
    expected = "---\ntitle: ADR\nstatus: Draft  # keep\nlast_updated: '2026-11-27'\nauthor: 'Ada Lovelace'\n---\n# ADR: X\n\n## Context\n\nText.\n"
    assert git(repo, "show", "HEAD:blueprints/adr.md") == expected
    assert p.read_text() == expected


def test_metadata_only_change_keeps_its_date(hooked: Path) -> None:
    edit(hooked, "**Author**: Ada Lovelace", "**Author**: Grace Hopper")
    commit(hooked, "-a", "-m", "author")
    assert OLD_STAMP in committed(hooked)
    assert "Grace Hopper" in committed(hooked)


def test_working_line_that_differs_is_left_alone(hooked: Path) -> None:
    edit(hooked, "[What role it plays]", "Takes payments")
    git(hooked, "add", "-A")
    edit(hooked, OLD_STAMP, "**Last Updated**: 2030-01-01")
    proc = commit(hooked, "-m", "fill")
    assert "left as it is" in proc.stderr
    assert STAMP in committed(hooked)
    assert "**Last Updated**: 2030-01-01" in path_of(hooked).read_text()


def test_refuses_a_staged_blueprint_with_errors(hooked: Path) -> None:
    head = git(hooked, "rev-parse", "HEAD")
    edit(hooked, "**Blueprint Status**: Draft", "**Blueprint Status**: Finished")
    proc = commit(hooked, "-a", "-m", "bad", check=False)
    assert proc.returncode == 1
    # Reported once, by the workflow rule with its fix, not again by the lint.
    assert [line for line in proc.stderr.splitlines() if "unknown-status" in line] == [
        "blueprints/gateway.md: unknown-status: status 'Finished' is not one of Draft, "
        "Review, Approved"
    ]
    assert "    fix: set the status to one of Draft, Review, Approved" in proc.stderr
    assert "commit refused: 1 problem(s)" in proc.stderr
    assert git(hooked, "rev-parse", "HEAD") == head
    assert OLD_STAMP in path_of(hooked).read_text()


def test_the_writers_started_early_write_only_a_stamp(hooked: Path) -> None:
    """The hook starts `hash-object` and `update-index` before it knows whether it will
    stamp: a refused or stampless commit leaves the objects and the index as they were,
    and no temporary file or lock is left in the git folder."""
    git_dir = hooked / ".git"

    def state() -> tuple[str, bytes, list[str]]:
        extra = sorted(
            p.name for p in git_dir.iterdir() if "stamp" in p.name or p.suffix == ".lock"
        )
        return git(hooked, "count-objects"), (git_dir / "index").read_bytes(), extra

    edit(hooked, "**Blueprint Status**: Draft", "**Blueprint Status**: Finished")
    git(hooked, "add", "-A")
    before = state()
    proc = subprocess.run(
        [sys.executable, "-I", "-m", "git_blueprint._hook", "pre-commit"],
        cwd=hooked,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "commit refused" in proc.stderr
    assert state() == before and before[2] == []
    edit(hooked, "**Blueprint Status**: Finished", "**Blueprint Status**: Draft")
    edit(hooked, "[What role it plays]", "Takes payments")
    commit(hooked, "-a", "-m", "fill")
    assert STAMP in committed(hooked)
    assert state()[2] == []


def test_index_lock_held_by_another_process(hooked: Path) -> None:
    edit(hooked, "[What role it plays]", "Takes payments")
    git(hooked, "add", "-A")
    env = dict(os.environ)
    # Drive the hook directly, as git would, while another process holds the index lock.
    lock = hooked / ".git" / "index.lock"
    lock.write_text("")
    before = path_of(hooked).read_bytes()
    index_before = (hooked / ".git" / "index").read_bytes()
    proc = subprocess.run(
        [sys.executable, "-I", "-m", "git_blueprint._hook", "pre-commit"],
        cwd=hooked,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode != 0
    assert "another git process holds the index lock" in proc.stderr
    assert path_of(hooked).read_bytes() == before
    assert (hooked / ".git" / "index").read_bytes() == index_before
    lock.unlink()


def test_foreign_hook_is_kept_and_still_runs(repo: Path, bp: Runner) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    bp(repo, "hooks", "uninstall")
    hook.write_text('#!/bin/sh\necho foreign >> "$(git rev-parse --git-dir)/foreign.log"\n')
    hook.chmod(0o755)
    result = bp(repo, "hooks", "install")
    assert "pre-commit: installed; the hook that was there runs first" in result.out
    assert (
        (repo / ".git/hooks/pre-commit.before-blueprint")
        .read_text()
        .startswith("#!/bin/sh\necho foreign")
    )
    (repo / "x.txt").write_text("x")
    git(repo, "add", "x.txt")
    commit(repo, "-m", "x")
    assert (repo / ".git" / "foreign.log").read_text() == "foreign\n"
    assert bp(repo, "hooks", "install").out.startswith("pre-commit: already installed")
    bp(repo, "hooks", "uninstall")
    assert hook.read_text().startswith("#!/bin/sh\necho foreign")


def test_hooks_path_is_honoured(repo: Path, bp: Runner) -> None:
    bp(repo, "hooks", "uninstall")
    git(repo, "config", "core.hooksPath", ".githooks")
    result = bp(repo, "hooks", "install")
    assert f"hooks folder: {repo / '.githooks'}" in result.out
    assert (repo / ".githooks" / "pre-commit").exists()
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()


def test_shim_says_how_to_fix_a_missing_interpreter(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    text = hook.read_text()
    line = next(row for row in text.splitlines() if row.startswith("py='"))
    hook.write_text(text.replace(line, "py='/nonexistent/python'"))
    (repo / "x.txt").write_text("x")
    git(repo, "add", "x.txt")
    proc = commit(repo, "-m", "x", check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "git-blueprint: the pre-commit hook cannot find git-blueprint's Python "
        "(/nonexistent/python): reinstall git-blueprint and run 'bp hooks install', "
        "or run 'bp hooks uninstall'"
    )


def test_commit_msg_adds_trailers_for_a_status_change(hooked: Path) -> None:
    p = path_of(hooked)
    p.write_text(p.read_text().replace("[", "(").replace("]", ")"))
    commit(hooked, "-a", "-m", "fill everything")
    p.write_text(p.read_text().replace("Status**: Draft", "Status**: Review"))
    commit(hooked, "-a", "-m", "ready for review")
    body = git(hooked, "log", "-1", "--format=%B")
    assert body == "ready for review\n\nBlueprint: gateway\nBlueprint-Status: Draft -> Review\n\n"


def test_commit_msg_trailers_for_two_blueprints_with_the_same_move(repo: Path, bp: Runner) -> None:
    for name in ("alpha", "beta"):
        assert bp(repo, "new", name.title(), "--no-commit").code == 0
        p = repo / "blueprints" / f"{name}.md"
        p.write_text(p.read_text().replace("[", "(").replace("]", ")"))
    git(repo, "add", "-A")
    commit(repo, "-m", "two drafts")
    for name in ("alpha", "beta"):
        p = repo / "blueprints" / f"{name}.md"
        p.write_text(p.read_text().replace("Status**: Draft", "Status**: Review"))
    commit(repo, "-a", "-m", "both to review")
    body = git(repo, "log", "-1", "--format=%B")
    assert body == (
        "both to review\n\nBlueprint: alpha\nBlueprint-Status: Draft -> Review\n"
        "Blueprint: beta\nBlueprint-Status: Draft -> Review\n\n"
    )


def _logging_interpreter(repo: Path, tmp_path: Path) -> Path:
    """Point the pre-commit shim at a wrapper that logs each start of Python."""
    log = tmp_path / "python-starts.log"
    wrapper = tmp_path / "python"
    wrapper.write_text(f'#!/bin/sh\necho started >> "{log}"\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    hook = repo / ".git" / "hooks" / "pre-commit"
    text = hook.read_text()
    line = next(row for row in text.splitlines() if row.startswith("py='"))
    hook.write_text(text.replace(line, f"py='{wrapper}'"))
    return log


def test_commits_without_blueprints_do_not_start_python(hooked: Path, tmp_path: Path) -> None:
    log = _logging_interpreter(hooked, tmp_path)
    edit(hooked, "[What role it plays]", "Takes payments")
    commit(hooked, "-a", "-m", "blueprint")  # Python runs, and notes the folder
    assert log.read_text().count("started") == 1
    assert STAMP in committed(hooked)
    (hooked / ".git" / "blueprint-trailers").write_text("gateway\tDraft\tReview\n")  # stale
    (hooked / "notes.txt").write_text("no blueprint here\n")
    git(hooked, "add", "notes.txt")
    commit(hooked, "-m", "notes")
    assert log.read_text().count("started") == 1  # skipped
    assert not (hooked / ".git" / "blueprint-trailers").exists()
    assert git(hooked, "log", "-1", "--format=%B") == "notes\n\n"
    # A deletion under the folder is staged work: Python runs.
    git(hooked, "rm", "-q", "blueprints/gateway.md")
    commit(hooked, "-m", "delete")
    assert log.read_text().count("started") == 2


def test_a_changed_config_is_never_trusted_from_the_note(hooked: Path, tmp_path: Path) -> None:
    log = _logging_interpreter(hooked, tmp_path)
    (hooked / "x.txt").write_text("x\n")
    git(hooked, "add", "x.txt")
    commit(hooked, "-m", "x")  # `bp new`'s commit left the note: skipped
    assert not log.exists()
    (hooked / ".blueprint.yaml").write_text("blueprints: docs\n")
    (hooked / "docs").mkdir()
    (hooked / "docs" / "moved.md").write_text(
        path_of(hooked).read_text().replace("[What role it plays]", "R")
    )
    git(hooked, "add", "docs/moved.md", ".blueprint.yaml")
    commit(hooked, "-m", "a blueprint in the new folder")
    assert log.read_text().count("started") == 1
    # The commit is judged by HEAD's rules, where docs/ is no blueprints folder yet; once
    # the new config has landed, the next commit there is stamped.
    assert STAMP not in git(hooked, "show", "HEAD:docs/moved.md")
    moved = hooked / "docs" / "moved.md"
    moved.write_text(moved.read_text() + "\nMore about the role.\n")
    commit(hooked, "-a", "-m", "edit it there")
    assert STAMP in git(hooked, "show", "HEAD:docs/moved.md")


@pytest.mark.parametrize("form", ["plain", "all", "paths", "amend"])
def test_every_commit_form_of_other_files_skips_python(
    hooked: Path, tmp_path: Path, form: str
) -> None:
    """The shim finds the folder note beside whichever index git gives the hook:
    .git/index, .git/index.lock (-a) or .git/next-index-*.lock (<paths>)."""
    log = _logging_interpreter(hooked, tmp_path)
    (hooked / "notes.txt").write_text("one\n")
    git(hooked, "add", "notes.txt")
    commit(hooked, "-m", "notes")
    assert not log.exists()
    (hooked / "notes.txt").write_text("two\n")
    args = {
        "plain": ["-m", "more"],
        "all": ["-a", "-m", "more"],
        "paths": ["-m", "more", "notes.txt"],
        "amend": ["--amend", "-a", "-m", "more"],
    }[form]
    if form == "plain":
        git(hooked, "add", "notes.txt")
    commit(hooked, *args)
    assert not log.exists()
    assert git(hooked, "show", "HEAD:notes.txt") == "two\n"
    # The same forms with a blueprint staged do start it.
    edit(hooked, "[What role it plays]", "Takes payments")
    commit(hooked, "-a", "-m", "blueprint")
    assert log.read_text().count("started") == 1
    assert STAMP in committed(hooked)


def test_a_linked_worktree_keeps_its_own_note(hooked: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    git(hooked, "worktree", "add", "-q", "-b", "side", str(other))
    log = _logging_interpreter(hooked, tmp_path)  # the hooks folder is shared
    (other / "notes.txt").write_text("one\n")
    git(other, "add", "notes.txt")
    commit(other, "-m", "first in the worktree")  # no note in its git folder yet
    assert log.read_text().count("started") == 1
    worktree_git_dir = Path(git(other, "rev-parse", "--absolute-git-dir").strip())
    assert (worktree_git_dir / "blueprint-folder").read_text() == "blueprints/"
    (other / "notes.txt").write_text("two\n")
    commit(other, "-a", "-m", "second")
    assert log.read_text().count("started") == 1
    p = other / "blueprints" / "gateway.md"
    p.write_text(p.read_text().replace("[What role it plays]", "Takes payments", 1))
    commit(other, "-a", "-m", "blueprint in the worktree")
    assert log.read_text().count("started") == 2
    assert STAMP in git(other, "show", "HEAD:blueprints/gateway.md")


def test_installed_shim_starts_python_without_site_on_a_checked_path(
    hooked: Path, tmp_path: Path
) -> None:
    """`bp hooks install` records sys.path as `python -I` sees it, after proving that Python
    started with -S imports the hooks on it; the shim then skips the site module."""
    hook = hooked / ".git" / "hooks" / "pre-commit"
    text = hook.read_text()
    line = next(row for row in text.splitlines() if row.startswith("paths='"))
    paths = json.loads(line[len("paths='") : -1])
    assert paths[0] == os.path.dirname(os.path.dirname(os.path.abspath(git_blueprint.__file__)))
    assert any(p.endswith("site-packages") for p in paths)
    log = tmp_path / "argv.log"
    wrapper = tmp_path / "python"
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\0" "$@" > "{log}"\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    py_line = next(row for row in text.splitlines() if row.startswith("py='"))
    hook.write_text(text.replace(py_line, f"py='{wrapper}'"))
    edit(hooked, "[What role it plays]", "Takes payments")
    commit(hooked, "-a", "-m", "blueprint")
    assert STAMP in committed(hooked)
    argv = log.read_text().split("\0")
    assert argv[:3] == ["-I", "-S", "-c"] and argv[4] == "pre-commit"
    # A path that no longer holds the package (it was reinstalled elsewhere, say): the
    # site module is loaded after all, and the hook does its work.
    moved = json.dumps(["/nonexistent", *paths[1:]])
    hook.write_text(hook.read_text().replace(line, f"paths='{moved}'"))
    edit(hooked, "Takes payments", "Takes refunds")
    git(hooked, "commit", "-q", "--amend", "--no-edit", "--date=2026-01-05T09:00:00+00:00")
    commit(hooked, "-a", "-m", "again")
    assert "Takes refunds" in committed(hooked)


def test_a_path_the_fast_start_cannot_use_falls_back_to_the_site_module() -> None:
    assert "paths=''" in render_shim("pre-commit", "/usr/bin/python3", ["/it's/here"])
    assert 'paths=\'["/a", "/b"]\'' in render_shim("pre-commit", "/usr/bin/python3", ["/a", "/b"])
    assert "paths=''" in render_shim("pre-commit", "/usr/bin/python3", None)


def test_entering_review_with_placeholders_is_one_problem(hooked: Path) -> None:
    """`incomplete` names the placeholders left; `bp check`'s error for each of them is
    not printed again beside it."""
    edit(hooked, "**Blueprint Status**: Draft", "**Blueprint Status**: Review")
    proc = commit(hooked, "-a", "-m", "to Review", check=False)
    assert proc.returncode == 1
    assert "blueprints/gateway.md: incomplete: " in proc.stderr
    assert " error placeholder: " not in proc.stderr
    assert "commit refused: 1 problem(s)" in proc.stderr


def test_an_unstaged_config_neither_relaxes_nor_blocks_a_commit(hooked: Path) -> None:
    """The hook judges by `.blueprint.yaml` as committed in HEAD: an unstaged edit that
    relaxes it does not let an incomplete blueprint into Review, and an unstaged edit that
    breaks it does not block a commit of other files."""
    config = hooked / ".blueprint.yaml"
    relaxed = re.sub(r"(?m)^require_complete:.*$", "require_complete: []", config.read_text())
    assert relaxed != config.read_text()
    config.write_text(relaxed)
    edit(hooked, "**Blueprint Status**: Draft", "**Blueprint Status**: Review")
    git(hooked, "add", "blueprints/gateway.md")
    refused = commit(hooked, "-m", "to Review", check=False)
    assert refused.returncode == 1 and ": incomplete: " in refused.stderr
    git(hooked, "reset", "-q", "--hard")
    config.write_text("foo: bar\n")
    (hooked / "note.txt").write_text("a note\n")
    git(hooked, "add", "note.txt")
    commit(hooked, "-m", "a note")
    assert config.read_text() == "foo: bar\n"
