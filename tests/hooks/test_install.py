"""Installing and removing the hooks: another tool's hook is kept, set aside with --force,
and put back on uninstall."""

from __future__ import annotations

from pathlib import Path

from conftest import Runner


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
