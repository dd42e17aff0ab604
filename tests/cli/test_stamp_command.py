"""`bp stamp` by hand, and the shipped hook shims."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT, Runner, git
from git_blueprint.hooks.install import CLIENT_HOOKS, SERVER_HOOKS, render_shim


def test_stamp_changed_blueprints_only(drafted: Path, bp: Runner) -> None:
    assert bp(drafted, "new", "Other").code == 0  # stamped today already, unchanged since
    p = drafted / "blueprints/gateway.md"
    p.write_text(p.read_text().replace("[What role it plays]", "Takes payments"))
    result = bp(drafted, "stamp")
    assert result.code == 0
    assert result.out == "stamped blueprints/gateway.md: last updated 2026-11-27\n"
    assert "**Last Updated**: 2026-11-27" in p.read_text()
    again = bp(drafted, "stamp")
    assert again.out == "" and "nothing to stamp" in again.err


def test_stamp_named_blueprint_even_unchanged(drafted: Path, bp: Runner) -> None:
    result = bp(drafted, "stamp", "gateway")
    assert result.out == "stamped blueprints/gateway.md: last updated 2026-11-27\n"
    assert git(drafted, "diff", "--stat").strip().startswith("blueprints/gateway.md | 2")


def test_stamp_author_last_mode(drafted: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    (drafted / ".blueprint.yaml").write_text("stamp:\n  author: last\n")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Grace Hopper")
    result = bp(drafted, "stamp", "gateway")
    assert "author Grace Hopper" in result.out
    text = (drafted / "blueprints/gateway.md").read_text()
    assert "**Author**: Grace Hopper" in text


def test_stamp_author_keep_mode_fills_only_a_placeholder(
    drafted: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = drafted / "blueprints/gateway.md"
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Grace Hopper")
    bp(drafted, "stamp", "gateway")
    assert "**Author**: Ada Lovelace" in p.read_text()
    p.write_text(p.read_text().replace("**Author**: Ada Lovelace", "**Author**: [Name]"))
    bp(drafted, "stamp", "gateway")
    assert "**Author**: Grace Hopper" in p.read_text()


def test_shipped_shims_are_the_template_without_an_interpreter() -> None:
    for hook in (*CLIENT_HOOKS, *SERVER_HOOKS):
        shipped = (REPO_ROOT / "hooks" / hook).read_text()
        assert shipped == render_shim(hook, "")
        assert (REPO_ROOT / "hooks" / hook).stat().st_mode & 0o111


def test_pre_commit_framework_manifest() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} >= {"blueprint-check", "blueprint-verify"}
    for h in hooks:
        assert h["entry"].split()[0] == "bp"
        assert h["language"] == "python"
        assert "files" not in h  # the configured folder decides, not a fixed pattern
    by_id = {h["id"]: h for h in hooks}
    assert by_id["blueprint-check"]["entry"] == "bp check --ignore-others"
    assert by_id["blueprint-verify"]["stages"] == ["pre-push"]
