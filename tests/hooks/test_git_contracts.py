"""git keeps working as git in a repository made by ``bp init`` (SPEC §7): every command
here runs twice, with git-blueprint's drivers and in a clone that has none, and git's own
part of the answer is the same. The semantic diff is added before git's patch, never in
its place."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import Runner, git

GATEWAY = "blueprints/gateway.md"
FENCE = "```yaml\nfeed:\n  retries: 3\n```\n"


def run(cwd: Path, *args: str, input: bytes | None = None, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr.decode()}")
    return proc.stdout.decode("utf-8", "surrogateescape")


def patch_part(shown: str) -> str:
    """What ``git diff`` printed from each file's ``diff --git`` header on: the lines the
    semantic diff adds before each header taken out."""
    out: list[str] = []
    keep = False
    for line in shown.splitlines(keepends=True):
        if line.startswith("diff --git "):
            keep = True
        elif keep and not re.match(
            r"[-+ @\\]|index |old |new |deleted |similarity |rename |Binary ", line
        ):
            keep = False
        if keep:
            out.append(line)
    return "".join(out)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def history(drafted: Path) -> Path:
    """The blueprint through a few commits: a system named, a field filled, a fenced block
    added, then re-indented, then a paragraph rewrapped."""
    edit(drafted, GATEWAY, "### System 1: [System Name]", "### System 1: Ledger")
    git(drafted, "commit", "-q", "-a", "-m", "name the ledger")
    edit(drafted, GATEWAY, "- **Frequency**: [How often]", "- **Frequency**: hourly")
    git(drafted, "commit", "-q", "-a", "-m", "hourly")
    edit(drafted, GATEWAY, "## Data Flow\n", f"## Data Flow\n\n{FENCE}")
    git(drafted, "commit", "-q", "-a", "-m", "a fence")
    edit(drafted, GATEWAY, "  retries: 3\n", "retries: 3\n")
    git(drafted, "commit", "-q", "-a", "-m", "re-indent")
    return drafted


@pytest.fixture
def plain(history: Path, tmp_path: Path) -> Path:
    """A clone of the history: the same .gitattributes, none of the drivers."""
    clone = tmp_path / "plain"
    git(tmp_path, "clone", "-q", "--no-local", str(history), str(clone))
    assert run(clone, "config", "--get-regexp", "blueprint", check=False) == ""
    # The section headings as hunk context, which bp init also configures: the same here,
    # so that only the drivers differ.
    git(clone, "config", "diff.blueprint.xfuncname", "^#+ .*$")
    return clone


def test_the_drivers_are_configured_and_no_textconv(history: Path) -> None:
    config = run(history, "config", "--local", "--get-regexp", r"^(diff|merge)\.blueprint")
    assert "diff.blueprint.command" in config and "merge.blueprint.driver" in config
    assert "textconv" not in config


def test_blame_follows_the_files_own_lines(history: Path, plain: Path) -> None:
    lines = (history / GATEWAY).read_text().count("\n")
    assert run(history, "blame", "--porcelain", GATEWAY) == run(
        plain, "blame", "--porcelain", GATEWAY
    )
    last = run(history, "blame", "-L", f"{lines - 5},{lines}", GATEWAY)
    assert len(last.splitlines()) == 6
    assert run(history, "blame", "--porcelain", "-L", "16,16", GATEWAY) == run(
        plain, "blame", "--porcelain", "-L", "16,16", GATEWAY
    )
    # What an editor sends: the buffer on stdin. Nothing uncommitted, nothing blamed on it.
    contents = (history / GATEWAY).read_bytes()
    mine = run(history, "blame", "--contents", "-", GATEWAY, input=contents)
    assert "Not Committed Yet" not in mine
    assert mine == run(plain, "blame", "--contents", "-", GATEWAY, input=contents)


def test_log_p_show_and_pickaxe_read_the_file(history: Path, plain: Path) -> None:
    for args in (
        ["log", "-p", "--", GATEWAY],
        ["show", "HEAD"],
        ["log", "--format=%s", "-S", "System 1: Ledger"],
        ["log", "--format=%s", "-G", "Blueprint Status"],
        ["log", "--format=%s", "-S", "  retries: 3"],
    ):
        assert run(history, *args) == run(plain, *args), args
    assert run(history, "log", "--format=%s", "-S", "System 1: Ledger") == "name the ledger\n"
    # Whitespace inside a fence is a line of its own, as git shows any line.
    assert "-  retries: 3\n+retries: 3\n" in run(history, "show", "HEAD")


def test_a_rewrap_only_commit_shows_its_lines(history: Path) -> None:
    edit(
        history,
        GATEWAY,
        "**How systems integrate and communicate.**",
        "**How systems\nintegrate and communicate.**",
    )
    git(history, "commit", "-q", "-a", "--no-verify", "-m", "rewrap")
    shown = run(history, "show", "HEAD")
    assert f"diff --git a/{GATEWAY} b/{GATEWAY}" in shown
    assert "+**How systems\n+integrate and communicate.**\n" in shown
    diffed = run(history, "diff", "HEAD~1", "HEAD")
    assert "no semantic change" in diffed.split("diff --git")[0]
    assert patch_part(diffed) == run(history, "diff", "--no-ext-diff", "HEAD~1", "HEAD")


def test_git_diff_adds_the_semantic_diff_before_gits_own_patch(history: Path) -> None:
    edit(history, GATEWAY, "- **Frequency**: hourly", "- **Frequency**: real-time")
    (history / "README.md").write_text("# A readme\n")
    shown = run(history, "diff")
    semantic, _, _ = shown.partition("diff --git")
    assert (
        "~ Integration Methods › Data Integration › Frequency: [-hourly-]{+real-time+}" in semantic
    )
    assert patch_part(shown) == run(history, "diff", "--no-ext-diff")
    coloured = run(history, "-c", "color.diff=always", "diff")
    assert patch_part(re.sub(r"\x1b\[[0-9;]*m", "", coloured)) == run(
        history, "diff", "--no-ext-diff"
    )


@pytest.mark.parametrize(
    "case",
    ["new", "deleted", "mode", "mode-and-content", "renamed", "renamed-exactly", "range"],
)
def test_every_kind_of_change_is_gits_patch(history: Path, case: str) -> None:
    args = ["diff", "--cached", "-M"]
    if case == "new":
        (history / "blueprints/new.md").write_text("# New\n\nText.\n")
        git(history, "add", "blueprints/new.md")
    elif case == "deleted":
        git(history, "rm", "-q", GATEWAY)
    elif case in ("mode", "mode-and-content"):
        os.chmod(history / GATEWAY, 0o755)
        if case == "mode-and-content":
            edit(history, GATEWAY, "hourly", "daily")
        git(history, "add", GATEWAY)
    elif case.startswith("renamed"):
        git(history, "mv", GATEWAY, "blueprints/payments.md")
        if case == "renamed":
            edit(history, "blueprints/payments.md", "hourly", "daily")
        git(history, "add", "-A")
    elif case == "range":
        args = ["diff", "-M", "HEAD~3", "HEAD"]
    shown = run(history, *args)
    expected = run(history, *[args[0], "--no-ext-diff", *args[1:]])
    assert expected and patch_part(shown) == expected
    if case == "mode":
        assert "no semantic change" in shown and "old mode 100644\nnew mode 100755\n" in shown


def test_git_diff_into_git_apply_round_trips(history: Path) -> None:
    edit(history, GATEWAY, "- **Frequency**: hourly", "- **Frequency**: real-time")
    (history / "blueprints/second.md").write_text("# Second\n\n## Part\n\nText.\n")
    git(history, "add", "-N", "blueprints/second.md")
    (history / "README.md").write_text("# A readme\n")
    before = {p: (history / p).read_bytes() for p in (GATEWAY, "blueprints/second.md", "README.md")}
    patch = run(history, "diff").encode()
    git(history, "reset", "-q", "--hard")
    (history / "blueprints/second.md").unlink(missing_ok=True)  # reset drops it
    git(history, "apply", "--check", input=patch)
    git(history, "apply", input=patch)
    assert {p: (history / p).read_bytes() for p in before} == before
    # the same with --no-ext-diff, and for staged changes
    git(history, "add", "-A")
    staged = run(history, "diff", "--cached").encode()
    git(history, "reset", "-q", "--hard")
    git(history, "apply", "--index", input=staged)
    assert {p: (history / p).read_bytes() for p in before} == before


def diverge(
    repo: Path, old: str, side: str, main: str, paths: tuple[str, ...] = (GATEWAY,)
) -> None:
    """Branch ``side`` changes ``old`` to ``side`` in every one of ``paths``; ``main`` changes
    it to ``main``; main is checked out."""
    git(repo, "checkout", "-q", "-b", "side")
    for rel in paths:
        edit(repo, rel, old, side)
    git(repo, "commit", "-q", "-a", "--no-verify", "-m", side)
    git(repo, "checkout", "-q", "main")
    for rel in paths:
        edit(repo, rel, old, main)
    git(repo, "commit", "-q", "-a", "--no-verify", "-m", main)


def test_a_conflict_shows_its_markers_in_git_diff(history: Path) -> None:
    diverge(history, "- **Frequency**: hourly", "- **Frequency**: daily", "- **Frequency**: weekly")
    run(history, "merge", "side", check=False)
    shown = run(history, "diff")
    assert shown == run(history, "diff", "--no-ext-diff")
    assert "++<<<<<<< HEAD\n" in shown and "++=======\n" in shown and "++>>>>>>> side\n" in shown
    assert run(history, "diff", "--cached") == f"* Unmerged path {GATEWAY}\n"


def test_difftool_runs_the_users_tool(history: Path) -> None:
    edit(history, GATEWAY, "hourly", "daily")
    shown = run(history, "difftool", "-y", "-x", "echo TOOL")
    assert shown.startswith("TOOL ") and shown.count("TOOL") == 1
    assert "Frequency" not in shown
    # Any external diff the caller asks for is the caller's to run.
    proc = subprocess.run(
        ["git", "diff"],
        cwd=history,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_EXTERNAL_DIFF": "echo EXT"},
    )
    assert proc.stdout.startswith(f"EXT {GATEWAY} ")


def test_word_diff_and_stat_are_gits(history: Path) -> None:
    edit(history, GATEWAY, "hourly", "daily")
    for args in (
        ["diff", "--stat"],
        ["diff", "--numstat"],
        ["diff", "--name-status"],
        ["diff", "--check"],
    ):
        assert run(history, *args, check=False) == run(
            history, args[0], "--no-ext-diff", *args[1:], check=False
        )


# --- the merge driver labels and -X as git does ------------------------------------------------


def conflicting(repo: Path) -> None:
    """Two branches that change the same line of the blueprint and of a plain text file
    holding the same lines, and both statuses: git's own merge handles the text file."""
    text = (repo / GATEWAY).read_text()
    (repo / "notes.txt").write_text(text)
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "--no-verify", "-m", "notes")
    frequency = "- **Frequency**: "
    diverge(
        repo,
        f"{frequency}hourly",
        f"{frequency}daily",
        f"{frequency}weekly",
        (GATEWAY, "notes.txt"),
    )


@pytest.mark.parametrize(
    "option", [[], ["-X", "ours"], ["-X", "theirs"], ["-Xtheirs"], ["--strategy-option=ours"]]
)
def test_the_merge_driver_resolves_and_labels_as_git(history: Path, option: list[str]) -> None:
    conflicting(history)
    proc = subprocess.run(
        ["git", "merge", "--no-edit", "--no-verify", *option, "side"],
        cwd=history,
        capture_output=True,
        text=True,
    )
    blueprint = (history / GATEWAY).read_text()
    notes = (history / "notes.txt").read_text()
    assert blueprint == notes  # the body merged exactly as git merged the same lines
    if option:
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "<<<<<<<" not in blueprint
        favored = "weekly" if "ours" in "".join(option) else "daily"
        assert f"- **Frequency**: {favored}\n" in blueprint
    else:
        assert proc.returncode == 1
        assert "<<<<<<< HEAD\n" in blueprint and ">>>>>>> side\n" in blueprint


def test_a_status_conflict_takes_the_favoured_side(drafted: Path, bp: Runner) -> None:
    status = "**Blueprint Status**: "
    diverge(drafted, f"{status}Draft", f"{status}Review", f"{status}Deprecated")
    proc = subprocess.run(
        ["git", "merge", "--no-edit", "--no-verify", "side"],
        cwd=drafted,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert (
        "<<<<<<< HEAD\n**Blueprint Status**: Deprecated\n=======\n**Blueprint Status**: Review\n>>>>>>> side\n"
        in (drafted / GATEWAY).read_text()
    )
    git(drafted, "merge", "--abort")
    proc = subprocess.run(
        ["git", "merge", "--no-edit", "--no-verify", "-X", "theirs", "side"],
        cwd=drafted,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "**Blueprint Status**: Review\n" in (drafted / GATEWAY).read_text()


@pytest.mark.parametrize(
    "options",
    [
        ["-w"],
        ["-U1"],
        ["--unified=0", "--ignore-blank-lines"],
        ["-R"],
        ["--word-diff"],
        ["--color-words"],
        ["--color=always"],
        ["--color=always", "-R", "--histogram"],
        ["--no-prefix"],
        ["--diff-algorithm", "patience", "--src-prefix=x/", "--dst-prefix=y/"],
    ],
)
def test_options_that_shape_gits_patch_reach_it(history: Path, options: list[str]) -> None:
    """git hands an external diff none of its options: the driver reads them from the git
    command that runs it, so git's part of the output is what git prints with them."""
    edit(history, GATEWAY, "- **Frequency**: hourly", "- **Frequency**:   daily\n")
    shown = run(history, "diff", *options)
    expected = run(history, "diff", "--no-ext-diff", *options)
    header = next(m.start() for m in re.finditer(r"(\x1b\[1m)?diff --git ", shown))
    assert expected and shown[header:] == expected
    assert "Frequency" in shown[:header]  # and the semantic diff before it
