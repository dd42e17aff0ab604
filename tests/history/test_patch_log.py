"""``bp log ID --patch``: a blueprint's history as semantic diffs, in one process — every
commit git's own ``git log --follow`` lists, each with what ``bp diff PARENT COMMIT`` says
of it."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Runner, git

GATEWAY = "blueprints/gateway.md"


def edit(root: Path, rel: str, old: str, new: str, message: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    git(root, "commit", "-q", "-a", "-m", message)


def test_every_version_with_its_semantic_diff(drafted: Path, bp: Runner) -> None:
    edit(drafted, GATEWAY, "### System 1: [System Name]", "### System 1: Ledger", "ledger")
    (drafted / "README.md").write_text("# Other files do not count\n")
    git(drafted, "add", "README.md")
    git(drafted, "commit", "-q", "-m", "readme")
    git(drafted, "mv", GATEWAY, "blueprints/payments.md")
    git(drafted, "commit", "-q", "-m", "rename")
    edit(
        drafted,
        "blueprints/payments.md",
        "- **Frequency**: [How often]",
        "- **Frequency**: hourly",
        "hourly",
    )

    result = bp(drafted, "log", "payments", "--patch", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["schema"] == "git-blueprint/log/1" and data["id"] == "payments"
    commits = git(drafted, "log", "--follow", "--format=%H", "--", "blueprints/payments.md").split()
    versions = data["versions"]
    assert [v["commit"] for v in versions] == commits[::-1]
    assert [v["subject"] for v in versions][1:] == ["ledger", "rename", "hourly"]
    for v in versions[1:]:
        sha = v["commit"]
        path = v["diff"]["path"]
        old = v["diff"]["old"]["path"]
        said = bp(drafted, "diff", "--format", "json", f"{sha}~1", sha, "--", old, path)
        (expected,) = json.loads(said.out)["files"]
        assert v["diff"]["changes"] == expected["changes"], v["subject"]
    assert versions[0]["diff"]["old"]["path"] is None  # the commit that made it
    assert versions[2]["diff"]["old"]["path"] == GATEWAY  # the rename, under its old name

    text = bp(drafted, "log", "payments", "-p")
    assert text.code == 0
    blocks = text.out.split("\ncommit ")
    assert len(blocks) == 4
    assert "  → Integrated Systems › [System Name] (2): renamed to 'Ledger'" in blocks[1]
    assert f"{GATEWAY} → blueprints/payments.md" in blocks[2] and "no semantic change" in blocks[2]
    assert (
        "~ Integration Methods › Data Integration › Frequency: [-[How often]-]{+hourly+}"
        in blocks[3]
    )


def test_patch_needs_one_blueprint_that_exists(drafted: Path, bp: Runner) -> None:
    assert bp(drafted, "log", "--patch").code == 2
    missing = bp(drafted, "log", "nothing-here", "--patch")
    assert missing.code == 2 and "nothing-here: no such blueprint" in missing.err
    assert "Traceback" not in missing.err
