"""Installing and removing the hooks: another tool's hook is kept, set aside with --force,
and put back on uninstall."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import Runner, git
from git_blueprint.hooks.drivers import driver_settings
from support.worlds import FILLED


def test_uninstall_after_force_puts_the_replaced_hook_back(repo: Path, bp: Runner) -> None:
    """`bp hooks install --force` sets another tool's hook aside; `uninstall` puts it back
    (it left it disabled as `pre-commit.replaced-by-blueprint` and said only "removed")."""
    hooks = repo / ".git" / "hooks"
    (hooks / "pre-commit").unlink()
    (hooks / "pre-commit").write_text("#!/bin/sh\necho theirs\n")
    (hooks / "pre-commit").chmod(0o755)
    (hooks / "pre-commit.before-blueprint").write_text("#!/bin/sh\n")  # taken: --force needed
    assert bp(repo, "hooks", "install", "--force").code == 0
    assert (hooks / "pre-commit.replaced-by-blueprint").read_text() == "#!/bin/sh\necho theirs\n"
    (hooks / "pre-commit.before-blueprint").unlink()
    result = bp(repo, "hooks", "uninstall")
    assert result.code == 0
    assert "pre-commit: removed; the hook that --force had set aside" in result.out
    assert (hooks / "pre-commit").read_text() == "#!/bin/sh\necho theirs\n"
    assert not (hooks / "pre-commit.replaced-by-blueprint").exists()


def _filled_repo(repo: Path) -> Path:
    doc = repo / "blueprints" / "a.md"
    doc.write_text(FILLED)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "a")
    return doc


def test_drivers_whose_tool_is_gone_give_git_its_own_behaviour_back(repo: Path) -> None:
    """The drivers `bp init` configures, with their interpreter gone: `git diff`, `git log
    -p` and a merge behave as plain git, with one line saying why (they said "external diff
    died")."""
    doc = _filled_repo(repo)
    for key, value in driver_settings("/nonexistent/python").items():
        git(repo, "config", key, value)
    doc.write_text(FILLED.replace("Takes card payments", "Takes wallets"))
    shown = subprocess.run(["git", "diff"], cwd=repo, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert "-- **Role**: Takes card payments" in shown.stdout
    assert "+- **Role**: Takes wallets" in shown.stdout
    assert shown.stderr.count("git-blueprint: its diff driver cannot run") == 1
    git(repo, "commit", "-q", "-am", "wallets", "--no-verify")
    log = subprocess.run(["git", "log", "-p", "-1"], cwd=repo, capture_output=True, text=True)
    assert log.returncode == 0 and "+- **Role**: Takes wallets" in log.stdout
    git(repo, "checkout", "-q", "-b", "side")
    doc.write_text(doc.read_text().replace("Takes wallets", "Takes wallets and cards"))
    git(repo, "commit", "-q", "-am", "side", "--no-verify")
    git(repo, "checkout", "-q", "-")
    doc.write_text(doc.read_text().replace("Takes wallets", "Takes wallets only"))
    git(repo, "commit", "-q", "-am", "main", "--no-verify")
    merged = subprocess.run(
        ["git", "merge", "--no-verify", "-m", "m", "side"], cwd=repo, capture_output=True, text=True
    )
    assert merged.returncode == 1 and "CONFLICT" in merged.stdout
    text = doc.read_text()
    assert "<<<<<<< ours" in text and ">>>>>>> theirs" in text
    assert "git-blueprint: its merge driver cannot run" in merged.stderr


def test_uninstall_takes_the_drivers_out_and_init_puts_them_back(repo: Path, bp: Runner) -> None:
    assert git(repo, "config", "--get", "diff.blueprint.command")
    result = bp(repo, "hooks", "uninstall")
    assert result.code == 0 and "removed the blueprint diff and merge drivers" in result.out
    found = subprocess.run(
        ["git", "config", "--get-regexp", r"^(diff|merge)\.blueprint\."],
        cwd=repo,
        capture_output=True,
    )
    assert found.stdout == b""
    assert bp(repo, "init", ".").code == 0
    assert "git_blueprint._hook" in git(repo, "config", "--get", "merge.blueprint.driver")


def test_init_takes_out_the_textconv_an_earlier_version_wrote(repo: Path, bp: Runner) -> None:
    """An earlier git-blueprint configured a textconv outline, which made `git blame` and
    `git log -S` read something other than the file; `bp init` removes it and nothing
    else (the user's own settings in the section stay)."""
    earlier = 'bp_textconv() { python3 -I -m git_blueprint._hook textconv "$1"; }; bp_textconv'
    git(repo, "config", "diff.blueprint.textconv", earlier)
    git(repo, "config", "diff.blueprint.cachetextconv", "true")
    git(repo, "config", "diff.blueprint.wordRegex", "[^[:space:]]+")
    result = bp(repo, "init", ".")
    assert result.code == 0, result.err
    settings = git(repo, "config", "--local", "--get-regexp", r"^diff\.blueprint\.")
    assert "textconv" not in settings
    assert "diff.blueprint.wordregex [^[:space:]]+" in settings
    assert bp(repo, "init", ".").code == 0  # and again: nothing more to do
    assert git(repo, "config", "--local", "--get-regexp", r"^diff\.blueprint\.") == settings


def test_a_portable_shim_without_bp_stops_only_a_blueprint(repo: Path) -> None:
    """The shim of a tracked hooks folder names no interpreter; on a teammate's machine
    without `bp` it lets a commit of other files through and stops one that stages a
    blueprint, saying what to install (it told them to reinstall and uninstall)."""
    import os
    import shutil
    import sys

    from git_blueprint.hooks.shim import render_shim

    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(render_shim("pre-commit", ""))
    here = os.path.dirname(sys.executable)
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != here)
    assert shutil.which("bp", path=path) is None
    env = {**os.environ, "PATH": path}
    (repo / "x.txt").write_text("x")
    git(repo, "add", "x.txt")
    other = subprocess.run(
        ["git", "commit", "-qm", "x"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert other.returncode == 0, other.stderr
    (repo / "blueprints" / "a.md").write_text(FILLED)
    git(repo, "add", "-A")
    stopped = subprocess.run(
        ["git", "commit", "-qm", "a"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert stopped.returncode == 1
    assert stopped.stderr == (
        "git-blueprint: the pre-commit hook of this repository checks blueprints with bp, "
        "which is not on PATH: install git-blueprint (from where your team gets it) and try again\n"
    )
