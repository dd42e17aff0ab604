"""`bp diff` through the CLI, and `git diff` / `git log -p` in a repository made by
`bp init`, which show the semantic form."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Runner, git


def filled_and_changed(drafted: Path) -> Path:
    path = drafted / "blueprints/gateway.md"
    path.write_text(
        path.read_text().replace("### System 1: [System Name]", "### System 1: Payments API")
    )
    git(drafted, "commit", "-q", "-a", "-m", "name the system")
    path.write_text(
        path.read_text().replace("- **Frequency**: [How often]", "- **Frequency**: hourly")
    )
    return path


def test_bp_diff_working_tree_revisions_and_paths(drafted: Path, bp: Runner) -> None:
    filled_and_changed(drafted)
    work = bp(drafted, "diff")
    assert work.code == 0
    assert "Frequency" in work.out and "hourly" in work.out
    assert bp(drafted, "diff", "--exit-code").code == 1
    data = json.loads(
        bp(drafted, "diff", "--format", "json", "HEAD~1", "HEAD", "--", "blueprints/gateway.md").out
    )
    assert data["schema"] == "git-blueprint/diff/1"
    changes = data["files"][0]["changes"]
    # The template's two "[System Name]"s are keyed "[System Name]" and "[System Name] (2)";
    # naming the first leaves the second as the one keyed "[System Name]".
    assert changes == [
        {
            "op": "renamed",
            "level": "node",
            "path": ["Integrated Systems", "[System Name] (2)"],
            "new_key": "Payments API",
        },
        {
            "op": "moved",
            "level": "node",
            "path": ["Integrated Systems", "[System Name]"],
            "old_index": 0,
            "new_index": 1,
        },
        {
            "op": "changed",
            "level": "metadata",
            "path": [],
            "name": "last_updated",
            "old": "2026-01-05",
            "new": "2026-11-27",
        },
    ]
    assert bp(drafted, "diff", "--exit-code", "HEAD", "--", "blueprints/nothing-here.md").code == 0
    md = bp(drafted, "diff", "--format", "markdown")
    assert md.code == 0 and "Frequency" in md.out and "hourly" in md.out


def test_git_diff_shows_the_semantic_form_and_log_the_lines(drafted: Path) -> None:
    filled_and_changed(drafted)
    shown = git(drafted, "diff")
    semantic, _, patch = shown.partition("diff --git ")
    assert "Frequency" in semantic and "[-[How often]-]{+hourly+}" in semantic
    assert "@@" not in semantic and "@@" in patch  # git's own hunks follow
    log = git(drafted, "log", "-p", "-1")
    assert "+### System 1: Payments API" in log  # the file's own lines


def test_drivers_read_the_config_through_its_cache(drafted: Path) -> None:
    """git runs the diff driver once per file: they read `.blueprint.yaml`
    through the cache in the git folder, as the hooks do, and follow what it says."""
    config = drafted / ".blueprint.yaml"
    config.write_text(
        config.read_text() + "\nfooter:\n  status: State\n  last_updated: Updated\n  author: By\n"
    )
    path = drafted / "blueprints/gateway.md"
    text = path.read_text()
    for old, new in (
        ("Blueprint Status**", "State**"),
        ("Last Updated**", "Updated**"),
        ("Author**", "By**"),
    ):
        text = text.replace(old, new)
    path.write_text(text)
    git(drafted, "commit", "-q", "-a", "--no-verify", "-m", "relabel")
    cache = drafted / ".git" / "blueprint-config.cache"
    cache.unlink(missing_ok=True)
    path.write_text(text.replace("**State**: Draft", "**State**: Review"))
    shown = git(drafted, "diff")
    assert "~ status: Draft → Review" in shown  # "State" is the status, as configured
    assert cache.exists()  # written by the driver
