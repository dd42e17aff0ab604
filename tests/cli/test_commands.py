"""The first commands a user meets, end to end in real repositories."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT, Runner, git, snapshot
from git_blueprint.core.config import CONFIG_TEMPLATE


def new(bp: Runner, repo: Path, title: str, *args: str) -> None:
    result = bp(repo, "new", title, *args)
    assert result.code == 0, result.err


def test_init_makes_a_repository_and_is_idempotent(tmp_path: Path, bp: Runner) -> None:
    result = bp(tmp_path, "init", "designs")
    assert result.code == 0, result.err
    root = tmp_path / "designs"
    assert (root / ".git").is_dir()
    assert (root / ".blueprint.yaml").read_text() == CONFIG_TEMPLATE
    assert (root / "blueprints").is_dir()
    assert (
        "blueprints/**/*.md diff=blueprint merge=blueprint"
        in (root / ".gitattributes").read_text().splitlines()
    )
    before = snapshot(root)
    again = bp(root, "init")
    assert again.code == 0
    assert "nothing to change" in again.out
    assert snapshot(root) == before


def test_init_keeps_existing_gitattributes_bytes(tmp_path: Path, bp: Runner) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitattributes").write_bytes(b"*.png binary\r\n*.txt text")
    assert bp(tmp_path, "init").code == 0
    data = (tmp_path / ".gitattributes").read_bytes()
    assert (
        data
        == b"*.png binary\r\n*.txt text\r\nblueprints/**/*.md diff=blueprint merge=blueprint\r\n"
    )


def test_init_keeps_an_existing_config(tmp_path: Path, bp: Runner) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".blueprint.yaml").write_text("blueprints: docs/designs\n")
    assert bp(tmp_path, "init").code == 0
    assert (tmp_path / ".blueprint.yaml").read_text() == "blueprints: docs/designs\n"
    assert (tmp_path / "docs" / "designs").is_dir()
    assert "docs/designs/**/*.md diff=blueprint" in (tmp_path / ".gitattributes").read_text()


def test_new_fills_title_status_stamp_and_commits_alone(repo: Path, bp: Runner) -> None:
    (repo / "other.txt").write_text("staged, not part of the blueprint commit\n")
    git(repo, "add", "other.txt")
    result = bp(repo, "new", "Payment Gateway")
    assert result.code == 0, result.err
    path = repo / "blueprints" / "payment-gateway.md"
    text = path.read_text()
    assert text.startswith("# Integration Blueprint: Payment Gateway\n\n## Purpose\n")
    assert text.endswith(
        "**Blueprint Status**: Draft\n**Last Updated**: 2026-11-27\n**Author**: Ada Lovelace\n\n\n"
    )
    assert git(repo, "log", "-1", "--format=%s").strip() == "payment-gateway: create (Draft)"
    committed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == ["blueprints/payment-gateway.md"]
    # The other file is still staged, not committed.
    assert git(repo, "status", "--porcelain").splitlines() == ["A  other.txt"]
    assert git(repo, "show", "HEAD:blueprints/payment-gateway.md") == text


def test_new_changes_only_title_and_metadata_of_the_template(repo: Path, bp: Runner) -> None:
    new(bp, repo, "Orders Sync", "--id", "team/orders", "--no-commit")
    template = (REPO_ROOT / "src/git_blueprint/templates/integration.md").read_text()
    made = (repo / "blueprints/team/orders.md").read_text()
    expected = (
        template.replace("[Integration Name]", "Orders Sync", 1)
        .replace("**Blueprint Status**: [Draft/Review/Approved]", "**Blueprint Status**: Draft")
        .replace("**Last Updated**: [Date]", "**Last Updated**: 2026-11-27")
        .replace("**Author**: [Name]", "**Author**: Ada Lovelace")
    )
    assert made == expected
    assert git(repo, "status", "--porcelain") == "?? blueprints/\n"


def test_new_in_an_empty_repository_makes_the_first_commit(tmp_path: Path, bp: Runner) -> None:
    git(tmp_path, "init", "-q")
    new(bp, tmp_path, "First")
    assert git(tmp_path, "log", "--format=%s").splitlines() == ["first: create (Draft)"]


def test_new_date_follows_committer_time_zone(
    repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-11-27T23:30:00-05:00")
    new(bp, repo, "Late", "--no-commit")
    assert "**Last Updated**: 2026-11-27" in (repo / "blueprints/late.md").read_text()


def test_new_uses_repository_template_and_initial_status(repo: Path, bp: Runner) -> None:
    (repo / ".blueprint.yaml").write_text("statuses: [Proposed, Accepted]\ninitial: Proposed\n")
    tpl = repo / ".blueprint" / "templates"
    tpl.mkdir(parents=True)
    (tpl / "adr.md").write_text("---\nstatus: x\nauthor: ''\n---\n# ADR: [Title]\n\n## Context\n")
    new(bp, repo, "Use Postgres", "--kind", "adr", "--no-commit")
    text = (repo / "blueprints/use-postgres.md").read_text()
    assert text == (
        "---\nstatus: Proposed\nauthor: 'Ada Lovelace'\nlast_updated: 2026-11-27\n---\n"
        "# ADR: Use Postgres\n\n## Context\n"
    )


def test_new_refuses_existing_and_bad_ids(repo: Path, bp: Runner) -> None:
    new(bp, repo, "Gateway")
    before = snapshot(repo)
    for args in (
        ["Gateway"],
        ["X", "--id", "../escape"],
        ["X", "--id", "/abs"],
        ["X", "--id", "Upper"],
        ["X", "--kind", "../../etc/passwd"],
        ["!!!"],
    ):
        result = bp(repo, "new", *args)
        assert result.code == 2, args
        assert result.err.count("\n") == 1 and result.err.startswith("git-blueprint: error: ")
    assert snapshot(repo) == before


def test_list_formats(repo: Path, bp: Runner) -> None:
    new(bp, repo, "Payment Gateway")
    new(bp, repo, "Orders Sync", "--id", "orders/sync")
    table = bp(repo, "list")
    assert table.code == 0
    assert table.out.splitlines() == [
        "ID               TITLE            STATUS  AUTHOR        UPDATED",
        "orders/sync      Orders Sync      Draft   Ada Lovelace  2026-11-27",
        "payment-gateway  Payment Gateway  Draft   Ada Lovelace  2026-11-27",
    ]
    data = json.loads(bp(repo, "list", "--format", "json").out)
    assert data["schema"] == "git-blueprint/list/1"
    assert data["blueprints"][1] == {
        "id": "payment-gateway",
        "path": "blueprints/payment-gateway.md",
        "title": "Integration Blueprint: Payment Gateway",
        "kind": "Integration Blueprint",
        "name": "Payment Gateway",
        "status": "Draft",
        "author": "Ada Lovelace",
        "last_updated": "2026-11-27",
    }
    md = bp(repo, "list", "--format", "markdown").out.splitlines()
    assert md[0] == "| ID | TITLE | STATUS | AUTHOR | UPDATED |"
    assert md[2] == "| orders/sync | Orders Sync | Draft | Ada Lovelace | 2026-11-27 |"
    assert bp(repo, "list", "--status", "review", "--format", "json").out.count('"id"') == 0
    assert bp(repo, "list", "--status", "DRAFT", "--format", "json").out.count('"id"') == 2
    bad = bp(repo, "list", "--status", "Done")
    assert bad.code == 2 and "Done" in bad.err


def test_list_colour_only_when_asked(
    repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    new(bp, repo, "Gateway")
    assert "\x1b[" not in bp(repo, "list").out
    coloured = bp(repo, "list", "--color", "always").out
    assert "\x1b[33mDraft\x1b[0m" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in bp(repo, "list", "--color", "auto").out


def test_show_text_and_json(repo: Path, bp: Runner) -> None:
    new(bp, repo, "Gateway")
    text = bp(repo, "show", "gateway")
    assert text.code == 0
    lines = text.out.splitlines()
    assert lines[0] == "Integration Blueprint: Gateway"
    assert lines[1] == "Draft · updated 2026-11-27 · by Ada Lovelace · blueprints/gateway.md"
    assert "  System: [System Name] (2)" in lines
    data = json.loads(bp(repo, "show", "blueprints/gateway.md", "--format", "json").out)
    assert data["schema"] == "git-blueprint/show/1"
    assert data["id"] == "gateway"
    assert data["metadata"]["status"] == {"value": "Draft", "line": 139}
    systems = data["nodes"][1]
    assert systems["key"] == "Integrated Systems"
    assert [c["key"] for c in systems["children"]] == ["[System Name]", "[System Name] (2)"]
    assert systems["children"][0]["fields"][0] == {
        "name": "Role",
        "key": "Role",
        "value": "[What role it plays]",
        "lines": [16, 16],
    }


def test_show_at_a_revision(repo: Path, bp: Runner) -> None:
    new(bp, repo, "Gateway")
    path = repo / "blueprints/gateway.md"
    path.write_text(path.read_text().replace("[System Name]", "Payments API", 1))
    now = json.loads(bp(repo, "show", "gateway", "--format", "json").out)
    then = json.loads(bp(repo, "show", "gateway", "--rev", "HEAD", "--format", "json").out)
    assert now["nodes"][1]["children"][0]["key"] == "Payments API"
    assert then["nodes"][1]["children"][0]["key"] == "[System Name]"
    missing = bp(repo, "show", "gateway", "--rev", "HEAD~1")
    assert missing.code == 2 and "HEAD~1:blueprints/gateway.md" in missing.err


def test_check_reports_problems_as_path_line_severity_rule(repo: Path, bp: Runner) -> None:
    new(bp, repo, "Gateway")
    ok = bp(repo, "check")
    assert ok.code == 0
    assert ok.out.splitlines() == [
        "blueprints/gateway.md:7: warning placeholder: [Describe the integration's purpose, "
        "what systems it connects, and why it's needed.] and 68 more not filled yet "
        "(needed before Review, Approved)"
    ]
    path = repo / "blueprints/gateway.md"
    path.write_text(path.read_text().replace("Status**: Draft", "Status**: Review"))
    failed = bp(repo, "check", "gateway")
    assert failed.code == 1
    lines = failed.out.splitlines()
    assert len(lines) == 69
    assert lines[0] == (
        "blueprints/gateway.md:7: error placeholder: [Describe the integration's purpose, "
        "what systems it connects, and why it's needed.] must be filled in Review"
    )
    assert (
        "blueprints/gateway.md:126: error placeholder: [Metric 1] must be filled in Review" in lines
    )
    data = json.loads(bp(repo, "check", "--format", "json").out)
    assert data["schema"] == "git-blueprint/check/1"
    assert data["errors"] == 69 and data["warnings"] == 0


def test_check_metadata_rules(repo: Path, bp: Runner) -> None:
    doc = repo / "blueprints" / "odd.md"
    doc.write_text(
        "# Odd\n\n## A\n\ntext\n\n## A\n\n**Blueprint Status**: Done\n**Last Updated**: 2026-13-01\n"
        "**Blueprint Status**: Draft\n"
    )
    result = bp(repo, "check", "odd")
    assert result.code == 1
    assert result.out.splitlines() == [
        "blueprints/odd.md:7: warning duplicate-key: 'A' repeats a sibling's key; it is compared as 'A (2)'",
        "blueprints/odd.md:9: warning duplicate-metadata: Blueprint Status is given again later; "
        "the last one counts",
        "blueprints/odd.md:10: error bad-date: '2026-13-01' is not a date written YYYY-MM-DD",
        "blueprints/odd.md:11: error missing-metadata: no Author (add '**Author**: …')",
    ]


def test_check_strict_fails_on_warnings(repo: Path, bp: Runner) -> None:
    new(bp, repo, "Gateway")
    assert bp(repo, "check", "--strict").code == 1


def test_reads_leave_every_byte(repo: Path, bp: Runner) -> None:
    new(bp, repo, "Gateway")
    path = repo / "blueprints/gateway.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n") + b"  ")
    os.chmod(path, 0o640)
    before = snapshot(repo)
    for args in (["list"], ["show", "gateway"], ["check"], ["show", "gateway", "--format", "json"]):
        assert bp(repo, *args).code in (0, 1)
    assert snapshot(repo) == before


def test_help_on_every_command_has_an_example(repo: Path, bp: Runner) -> None:
    commands = (
        "init",
        "new",
        "list",
        "show",
        "check",
        "stamp",
        "promote",
        "demote",
        "diff",
        "log",
        "verify",
        "hooks install",
        "hooks uninstall",
    )
    for command in commands:
        result = bp(repo, *command.split(), "--help")
        assert result.code == 0
        assert "Example: bp " in result.out, command


def test_unknown_option_is_one_line_exit_2(repo: Path, bp: Runner) -> None:
    result = bp(repo, "list", "--frobnicate")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "--frobnicate" in result.err and "bp list --help" in result.err


def test_console_script_runs_as_module_and_exits_cleanly(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "git_blueprint", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr
        == f"git-blueprint: error: {tmp_path}: not a git repository (run 'bp init' to make one)\n"
    )
    version = subprocess.run(
        [sys.executable, "-m", "git_blueprint", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.startswith("git-blueprint ")


def test_list_cache_follows_every_change(repo: Path, bp: Runner) -> None:
    import os
    import time

    new(bp, repo, "Gateway")
    path = repo / "blueprints/gateway.md"
    first = json.loads(bp(repo, "list", "--format", "json").out)["blueprints"][0]
    assert first["status"] == "Draft"
    assert (repo / ".git/blueprint-list.cache").exists()
    # A change of the same size within the same instant: the racy window re-reads it.
    path.write_text(path.read_text().replace("Status**: Draft", "Status**: Revie"))
    assert (
        json.loads(bp(repo, "list", "--format", "json").out)["blueprints"][0]["status"] == "Revie"
    )
    # An old, trusted entry is still replaced when the file's stat data changes.
    old = time.time() - 3600
    os.utime(path, (old, old))
    assert (
        json.loads(bp(repo, "list", "--format", "json").out)["blueprints"][0]["status"] == "Revie"
    )
    path.write_text(path.read_text().replace("Status**: Revie", "Status**: Review"))
    os.utime(path, (old + 1, old + 1))
    assert (
        json.loads(bp(repo, "list", "--format", "json").out)["blueprints"][0]["status"] == "Review"
    )
    path.unlink()
    assert json.loads(bp(repo, "list", "--format", "json").out)["blueprints"] == []


def test_check_ignore_others_skips_what_is_no_blueprint(drafted: Path, bp: Runner) -> None:
    """What a hook manager hands over (every staged Markdown file) is checked only where it
    is a blueprint of the configured folder."""
    (drafted / "README.md").write_text("# Readme\n")
    (drafted / "docs").mkdir()
    (drafted / "docs" / "notes.md").write_text("not a blueprint\n")
    plain = bp(drafted, "check", "README.md")
    assert plain.code == 2 and "not inside the blueprints folder" in plain.err
    only = bp(drafted, "check", "--ignore-others", "README.md", "docs/notes.md")
    assert only.code == 0 and "no blueprints among the files named" in only.err
    mixed = bp(drafted, "check", "--ignore-others", "README.md", "blueprints/gateway.md")
    assert mixed.code == 0 and "checked 1 blueprint" in mixed.err
    (drafted / ".blueprint.yaml").write_text("blueprints: designs\n")
    (drafted / "designs").mkdir()
    (drafted / "blueprints" / "gateway.md").rename(drafted / "designs" / "gateway.md")
    moved = bp(drafted, "check", "--ignore-others", "blueprints/x.md", "designs/gateway.md")
    assert moved.code == 0 and "checked 1 blueprint" in moved.err


def test_promote_judges_by_the_committed_rules(drafted: Path, bp: Runner) -> None:
    """An unstaged `.blueprint.yaml` that relaxes the rules does not relax `bp promote`."""
    config = drafted / ".blueprint.yaml"
    relaxed = re.sub(r"(?m)^require_complete:.*$", "require_complete: []", config.read_text())
    assert relaxed != config.read_text()
    config.write_text(relaxed)
    result = bp(drafted, "promote", "gateway")
    assert result.code == 1 and ": incomplete: " in result.err


def test_log_of_an_unknown_id_is_an_error(drafted: Path, bp: Runner) -> None:
    result = bp(drafted, "log", "no-such-id")
    assert result.code == 2
    assert (
        result.err == "git-blueprint: error: no-such-id: no such blueprint, now or in its history\n"
    )
    assert bp(drafted, "log", "gateway").code == 0
    git(drafted, "rm", "-q", "blueprints/gateway.md")
    git(drafted, "commit", "-q", "--no-verify", "-m", "remove")
    gone = bp(drafted, "log", "gateway", "--format", "json")  # in its history: shown
    assert gone.code == 0 and '"to": null' in gone.out


def test_new_with_custom_footer_labels_writes_one_footer(repo: Path, bp: Runner) -> None:
    """The template's footer takes the configured labels: one footer, 68 placeholders as
    with the default labels (it kept the template's footer too: 71)."""
    (repo / ".blueprint.yaml").write_text(
        "footer:\n  status: State\n  last_updated: Updated\n  author: Owner\n"
    )
    git(repo, "commit", "-q", "-am", "custom footer labels")
    assert bp(repo, "new", "Gateway").code == 0
    text = (repo / "blueprints" / "gateway.md").read_text()
    assert "**Blueprint Status**" not in text and "**Last Updated**" not in text
    assert text.count("**State**: Draft") == 1 and "**Owner**: Ada Lovelace" in text
    data = json.loads(bp(repo, "check", "gateway", "--format", "json").out)
    assert data["errors"] == 0
    placeholders = [p for p in data["problems"] if p["rule"] == "placeholder"]
    assert "and 68 more" in placeholders[0]["message"]


def test_list_as_markdown_shows_titles_as_written(repo: Path, bp: Runner) -> None:
    """A title with HTML, emphasis, a link, code or a pipe comes out of the Markdown table
    as the same text, never as markup (rendered by the CommonMark parser to check)."""
    from markdown_it import MarkdownIt

    title = "<b>Pay</b> *now* _or_ [later](x) `code` a|b & c #1"
    assert bp(repo, "new", title, "--id", "odd").code == 0
    table = bp(repo, "list", "--format", "markdown").out
    html = MarkdownIt("commonmark").enable("table").render(table)
    import html as html_lib

    cells = [html_lib.unescape(c.split("</td>")[0]) for c in html.split("<td>")[1:]]
    assert title in cells, (cells, table)
