"""Rule names are stable and documented: every `bp check` rule in docs/format.md, every
workflow rule in docs/workflow.md, and the workflow tests exercise each of them."""

from __future__ import annotations

from conftest import REPO_ROOT
from git_blueprint.core import lint, workflow
from support.worlds import CASES


def test_check_rules_are_documented() -> None:
    text = (REPO_ROOT / "docs" / "format.md").read_text()
    assert [rule for rule in lint.RULES if f"| `{rule}` |" not in text] == []


def test_workflow_rules_are_documented_and_tested() -> None:
    text = (REPO_ROOT / "docs" / "workflow.md").read_text()
    assert [rule for rule in workflow.RULES if f"| `{rule}` |" not in text] == []
    assert set(CASES) == set(workflow.RULES)
