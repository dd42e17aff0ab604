"""This project's own blueprints are managed by the tool and must stay valid."""

from __future__ import annotations

import json

from conftest import REPO_ROOT, TEMPLATE_SECTIONS, Runner


def test_own_blueprints_pass_check_strictly(bp: Runner) -> None:
    result = bp(REPO_ROOT, "check", "--strict", "--format", "json")
    data = json.loads(result.out)
    assert data["problems"] == [] and result.code == 0
    assert data["checked"] >= 1


def test_own_integration_blueprint_is_complete(bp: Runner) -> None:
    shown = json.loads(bp(REPO_ROOT, "show", "git-blueprint", "--format", "json").out)
    assert shown["title"]["kind"] == "Integration Blueprint"
    assert shown["placeholders"] == []
    assert [n["key"] for n in shown["nodes"]] == TEMPLATE_SECTIONS
    systems = shown["nodes"][1]["children"]
    assert len(systems) >= 2
    assert all(len(s["fields"]) == 3 and all(f["value"] for f in s["fields"]) for s in systems)
