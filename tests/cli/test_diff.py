"""``bp diff`` in real git repositories, and the semantic diff inside git itself: the
``diff.blueprint.command`` driver (7-, 9- and 1-argument forms) under ``git diff``, which
prints the semantic diff and then git's own patch. (tests/hooks/test_git_contracts.py
holds git's side: blame, apply, pickaxe, difftool, conflicts.)"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO_ROOT, commit, git, write
from git_blueprint.cli.commands.diff import run_diff
from git_blueprint.cli.output import Output
from git_blueprint.core.document import parse_document
from git_blueprint.core.semdiff import diff_documents
from git_blueprint.errors import DocumentError, UsageError
from git_blueprint.hooks.diff_driver import run_diff_driver
from git_blueprint.hooks.drivers import driver_settings
from git_blueprint.hooks.main import main as hook_main

DATA = REPO_ROOT / "tests" / "data" / "diff"
BASE = (DATA / "base.md").read_text(encoding="utf-8")
REVIEW = (DATA / "review.md").read_text(encoding="utf-8")
GATEWAY = "blueprints/gateway.md"
HOURLY = "- **Frequency**: hourly"
REALTIME = "- **Frequency**: real-time"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository (no hooks, no drivers) with one committed blueprint; we are in it."""
    root = tmp_path / "work"
    root.mkdir()
    git(root, "init", "-q")
    (root / "blueprints").mkdir()
    (root / "README.md").write_text("# Not a blueprint\n")
    write(root, GATEWAY, BASE)
    commit(root, "base")
    monkeypatch.chdir(root)
    return root


def bp_diff(
    *revs: str,
    paths: tuple[str, ...] = (),
    cached: bool = False,
    no_index: bool = False,
    fmt: str = "json",
    exit_code: bool = False,
    ignore_metadata: bool = False,
) -> tuple[int, str]:
    stream = io.StringIO()
    code = run_diff(
        list(revs),
        list(paths),
        cached,
        no_index,
        fmt,
        "never",
        exit_code,
        ignore_metadata,
        Output("never", stdout=stream),
    )
    return code, stream.getvalue()


def files(*revs: str, **options: Any) -> list[dict[str, Any]]:
    _, out = bp_diff(*revs, **options)
    data = json.loads(out)
    assert data["schema"] == "git-blueprint/diff/1"
    return list(data["files"])


def expected(old: str | None, new: str | None) -> list[dict[str, Any]]:
    docs = [None if t is None else parse_document(t) for t in (old, new)]
    return [c.to_dict() for c in diff_documents(docs[0], docs[1])]


def short(root: Path, rev: str) -> str:
    return git(root, "rev-parse", "--short", rev).strip()


# --- bp diff ----------------------------------------------------------------------------


def test_working_tree_against_the_index(work: Path) -> None:
    write(work, GATEWAY, REVIEW)
    write(work, "README.md", "# Changed, but not a blueprint\n")
    assert files() == [
        {
            "path": GATEWAY,
            "old": {"rev": ":0", "path": GATEWAY},
            "new": {"rev": None, "path": GATEWAY},
            "changes": expected(BASE, REVIEW),
        }
    ]


def test_cached_is_the_index_against_head_or_a_revision(work: Path) -> None:
    staged = BASE.replace(HOURLY, REALTIME)
    write(work, GATEWAY, staged)
    git(work, "add", GATEWAY)
    write(work, GATEWAY, REVIEW)
    head = short(work, "HEAD")
    (entry,) = files(cached=True)
    assert entry["old"] == {"rev": head, "path": GATEWAY}
    assert entry["new"] == {"rev": ":0", "path": GATEWAY}
    assert entry["changes"] == expected(BASE, staged)
    (unstaged,) = files()
    assert unstaged["changes"] == expected(staged, REVIEW)
    (against_head,) = files("HEAD", cached=True)
    assert against_head == entry


def test_one_revision_against_the_working_tree_and_two_revisions(work: Path) -> None:
    first = short(work, "HEAD")
    write(work, GATEWAY, BASE.replace(HOURLY, REALTIME))
    commit(work, "real-time")
    write(work, GATEWAY, REVIEW)
    (entry,) = files("HEAD~1")
    assert entry["old"]["rev"] == first and entry["new"]["rev"] is None
    assert entry["changes"] == expected(BASE, REVIEW)
    (between,) = files("HEAD~1", "HEAD")
    assert between["new"]["rev"] == short(work, "HEAD")
    assert between["changes"] == expected(BASE, BASE.replace(HOURLY, REALTIME))
    assert files("HEAD~1..HEAD") == [between]
    assert files("HEAD~1...HEAD") == [between]


def test_paths_limit_the_diff(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(work, "blueprints/other.md", BASE)
    commit(work, "other")
    write(work, GATEWAY, REVIEW)
    write(work, "blueprints/other.md", BASE.replace(HOURLY, REALTIME))
    assert [f["path"] for f in files()] == [GATEWAY, "blueprints/other.md"]
    assert [f["path"] for f in files(paths=("blueprints/other.md",))] == ["blueprints/other.md"]
    monkeypatch.chdir(work / "blueprints")
    assert [f["path"] for f in files(paths=("gateway.md",))] == [GATEWAY]
    # Without "--", an argument that is no revision but a file is a path, as in git diff.
    assert [f["path"] for f in files("gateway.md")] == [GATEWAY]
    assert [f["path"] for f in files("HEAD", "gateway.md")] == [GATEWAY]


def test_added_deleted_and_renamed_blueprints(work: Path) -> None:
    git(work, "mv", GATEWAY, "blueprints/payments.md")
    write(work, "blueprints/new.md", REVIEW)
    git(work, "add", "-A")
    by_path = {f["path"]: f for f in files(cached=True)}
    renamed = by_path["blueprints/payments.md"]
    assert renamed["old"]["path"] == GATEWAY and renamed["changes"] == []
    added = by_path["blueprints/new.md"]
    assert added["old"]["path"] is None and added["changes"] == expected(None, REVIEW)
    git(work, "commit", "-q", "-m", "moved")
    git(work, "rm", "-q", "blueprints/new.md")
    (deleted,) = files(cached=True)
    assert deleted["new"]["path"] is None and deleted["changes"] == expected(REVIEW, None)


def test_no_index_compares_two_files_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(BASE)
    (tmp_path / "b.md").write_text(REVIEW)
    code, out = bp_diff("a.md", "b.md", no_index=True, exit_code=True)
    assert code == 1
    (entry,) = json.loads(out)["files"]
    assert entry["old"] == {"rev": None, "path": "a.md"}
    assert entry["changes"] == expected(BASE, REVIEW)
    (created,) = files("/dev/null", "b.md", no_index=True)
    assert created["changes"] == expected(None, REVIEW)
    with pytest.raises(UsageError, match="two files"):
        bp_diff("a.md", no_index=True)
    with pytest.raises(UsageError, match=r"nothing\.md: no such file"):
        bp_diff("a.md", "nothing.md", no_index=True)


def test_exit_code(work: Path) -> None:
    assert bp_diff(exit_code=True)[0] == 0
    write(work, GATEWAY, BASE.replace("\n", "\r\n"))
    code, out = bp_diff(exit_code=True, fmt="text")
    assert code == 0
    assert out == (
        f"{GATEWAY} (index → working tree)\n"
        "no semantic change (whitespace, wrapping or line endings only)\n"
    )
    write(work, GATEWAY, BASE.replace(HOURLY, REALTIME))
    assert bp_diff(exit_code=True)[0] == 1
    assert bp_diff()[0] == 0


def test_ignore_metadata_hides_metadata_but_not_the_status(work: Path) -> None:
    stamped = BASE.replace("2026-01-05", "2026-02-01").replace("Ada Lovelace", "Grace Hopper")
    write(work, GATEWAY, stamped)
    assert [c["level"] for c in files()[0]["changes"]] == ["metadata", "metadata"]
    assert files(ignore_metadata=True) == []  # nothing of it left to show
    assert bp_diff(exit_code=True, ignore_metadata=True)[0] == 0
    write(work, GATEWAY, stamped.replace("Status**: Draft", "Status**: Review"))
    (entry,) = files(ignore_metadata=True)
    assert [c["level"] for c in entry["changes"]] == ["status"]


def test_text_and_markdown_formats(work: Path) -> None:
    write(work, GATEWAY, REVIEW)
    _, text = bp_diff(fmt="text")
    assert text.startswith(f"{GATEWAY} (index → working tree)\nStatus Draft → Review; ")
    assert "  ~ Data Flow › Orders Sync › Frequency: [-hourly-]{+real-time+}\n" in text
    _, markdown = bp_diff(fmt="markdown")
    assert markdown.startswith("## Blueprint changes\n\n### `blueprints/gateway.md`")
    assert "**Status: Draft → Review**" in markdown
    write(work, GATEWAY, BASE)
    assert bp_diff(fmt="text") == (0, "")


def test_bad_arguments_are_usage_errors(work: Path) -> None:
    with pytest.raises(UsageError, match="--format"):
        bp_diff(fmt="yaml")
    with pytest.raises(
        UsageError, match=r"'nope': unknown revision .* or path not in the working tree"
    ):
        bp_diff("nope")
    with pytest.raises(UsageError, match="'--output=x': not a revision"):
        bp_diff("--output=x")
    with pytest.raises(UsageError, match="--cached: takes at most one revision"):
        bp_diff("HEAD", "HEAD", cached=True)
    with pytest.raises(UsageError, match="at most two revisions"):
        bp_diff("HEAD", "HEAD", "HEAD")


def test_a_blueprint_that_is_not_utf8_is_an_error_naming_it(work: Path) -> None:
    (work / GATEWAY).write_bytes(b"# Caf\xe9\n")
    with pytest.raises(DocumentError, match=r"blueprints/gateway\.md: not UTF-8"):
        bp_diff()


def test_an_unborn_branch_diffs_the_index_against_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path, GATEWAY, BASE)
    git(tmp_path, "add", "-A")
    monkeypatch.chdir(tmp_path)
    (entry,) = files(cached=True)
    assert entry["old"] == {"rev": "HEAD", "path": None}  # HEAD, where nothing is yet
    assert entry["changes"] == expected(None, BASE)


# --- the diff driver, called as git calls it ------------------------------------------------


def semantic_and_patch(out: str) -> tuple[str, str]:
    semantic, header, patch = out.partition("diff --git ")
    return semantic, header + patch


def test_driver_seven_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(BASE)
    new.write_text(REVIEW)
    sha = "1" * 40
    args = [GATEWAY, str(old), sha, "100644", str(new), "0" * 40, "100644"]
    assert run_diff_driver(args) == 0
    semantic, patch = semantic_and_patch(capsys.readouterr().out)
    assert semantic == (DATA / "base-review.txt").read_text().replace(
        f"{GATEWAY} (1a2b3c4 → working tree)", GATEWAY
    )
    index = git(tmp_path, "hash-object", str(old))[:7], git(tmp_path, "hash-object", str(new))[:7]
    assert patch.startswith(
        f"diff --git a/{GATEWAY} b/{GATEWAY}\nindex {index[0]}..{index[1]} 100644\n"
        f"--- a/{GATEWAY}\n+++ b/{GATEWAY}\n@@ "
    )
    assert (
        "\n-**Blueprint Status**: Draft\n" in patch and "\n+**Blueprint Status**: Review\n" in patch
    )
    assert (
        run_diff_driver([GATEWAY, "/dev/null", "0" * 40, "0000000", str(new), sha, "100644"]) == 0
    )
    semantic, patch = semantic_and_patch(capsys.readouterr().out)
    assert semantic.startswith(f"{GATEWAY} (new file)\nStatus Review set; ")
    assert patch.startswith(
        f"diff --git a/{GATEWAY} b/{GATEWAY}\nnew file mode 100644\nindex 0000000..{index[1]}\n"
        f"--- /dev/null\n+++ b/{GATEWAY}\n@@ -0,0 +1,"
    )


def test_driver_nine_arguments_for_a_rename(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(BASE)
    new.write_text(BASE.replace(HOURLY, REALTIME))
    message = (
        "similarity index 98%\nrename from blueprints/a.md\nrename to blueprints/b.md\n"
        "index 1111111..2222222 100644\n"
    )
    args = ["blueprints/a.md", str(old), "1" * 40, "100644", str(new), "2" * 40, "100644"]
    assert run_diff_driver([*args, "blueprints/b.md", message]) == 0
    semantic, patch = semantic_and_patch(capsys.readouterr().out)
    assert semantic == (
        "blueprints/a.md → blueprints/b.md\n"
        "Orders Sync Frequency hourly → real-time\n"
        "  ~ Data Flow › Orders Sync › Frequency: [-hourly-]{+real-time+}\n"
    )
    assert patch.startswith(
        f"diff --git a/blueprints/a.md b/blueprints/b.md\n{message}"
        "--- a/blueprints/a.md\n+++ b/blueprints/b.md\n@@ "
    )
    assert f"\n-{HOURLY}\n+{REALTIME}\n" in patch
    # With the section headings as hunk context, a hunk names the node it is in, as git does.
    git(tmp_path, "init", "-q", "ctx")
    git(tmp_path / "ctx", "config", "diff.blueprint.xfuncname", "^#+ .*$")
    with pytest.MonkeyPatch.context() as m:
        m.chdir(tmp_path / "ctx")
        assert run_diff_driver([*args, "blueprints/b.md", message]) == 0
    assert " @@ ### Flow 1: Orders Sync\n" in capsys.readouterr().out


def test_driver_one_argument_and_nonsense(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_diff_driver([GATEWAY]) == 0
    assert capsys.readouterr().out == f"* Unmerged path {GATEWAY}\n"
    assert run_diff_driver(["a", "b"]) == 0
    assert "takes 1, 7 or 9 arguments" in capsys.readouterr().out
    assert run_diff_driver([GATEWAY, "/nonexistent/x", ".", ".", "/dev/null", ".", "."]) == 0
    assert "cannot be read" in capsys.readouterr().out


def test_a_file_that_is_no_document_still_gets_gits_patch(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_bytes(b"# Caf\xe9\nline\n")
    new.write_bytes(b"# Cafe\nline\n")
    assert (
        run_diff_driver([GATEWAY, str(old), "1" * 40, "100644", str(new), "2" * 40, "100644"]) == 0
    )
    out = capsysbinary.readouterr().out.decode("utf-8", "surrogateescape")
    assert out.startswith(
        f"git-blueprint: {GATEWAY}: not UTF-8 (byte 0xe9 at offset 5); no semantic diff\n"
        f"diff --git a/{GATEWAY} b/{GATEWAY}\n"
    )
    assert (
        f"--- a/{GATEWAY}\n+++ b/{GATEWAY}\n" in out and "-# Caf\udce9\n+# Cafe\n" in out
    )  # the bytes as they are
    new.write_bytes(b"\0binary")
    assert (
        run_diff_driver([GATEWAY, str(old), "1" * 40, "100644", str(new), "2" * 40, "100644"]) == 0
    )
    assert (
        capsysbinary.readouterr()
        .out.decode()
        .endswith(f"Binary files a/{GATEWAY} and b/{GATEWAY} differ\n")
    )


def test_a_bug_in_the_driver_says_so_and_still_shows_the_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import git_blueprint.hooks.diff_driver as driver

    def broken(*args: object) -> None:
        raise ValueError("no such case")

    monkeypatch.setattr(driver, "diff_documents", broken)
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text("# A\n\nline\n")
    new.write_text("# A\n\nline two\n")
    args = [GATEWAY, str(old), "1" * 40, "100644", str(new), "2" * 40, "100644"]
    assert run_diff_driver(args) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "git-blueprint: internal error: ValueError: no such case — this is a bug; "
        "GIT_BLUEPRINT_DEBUG=1 shows where\n"
    )
    assert "-line\n+line two\n" in out
    monkeypatch.setenv("GIT_BLUEPRINT_DEBUG", "1")
    assert run_diff_driver(args) == 0  # git is never stopped, even while debugging
    out = capsys.readouterr().out
    assert "Traceback (most recent call last):" in out and "ValueError: no such case" in out


# --- inside git ----------------------------------------------------------------------------------


@pytest.fixture
def wired(work: Path) -> Path:
    """The repository with the drivers configured the way `bp init` configures them."""
    (work / ".gitattributes").write_text("*.md diff=blueprint\n")
    for key, value in driver_settings(sys.executable).items():
        git(work, "config", key, value)
    commit(work, "attributes")
    return work


def run(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode("utf-8")


def test_git_diff_shows_the_semantic_diff(wired: Path) -> None:
    write(wired, GATEWAY, BASE.replace(HOURLY, REALTIME))
    semantic, patch = semantic_and_patch(run(wired, "diff"))
    assert semantic == (
        f"{GATEWAY}\n"
        "Orders Sync Frequency hourly → real-time\n"
        "  ~ Data Flow › Orders Sync › Frequency: [-hourly-]{+real-time+}\n"
    )
    assert patch == run(wired, "diff", "--no-ext-diff")
    coloured = run(wired, "-c", "color.diff=always", "diff")
    assert "\x1b[31mhourly\x1b[0m" in coloured and "[-hourly-]" not in coloured
    assert f"\x1b[1mdiff --git a/{GATEWAY} b/{GATEWAY}\x1b[m\n" in coloured
    # The README has the attribute too but parses as a document with a title: still no crash.
    write(wired, "README.md", "# Not a blueprint, changed\n")
    assert "title" in run(wired, "diff", "--", "README.md")
    # Files after the first are set apart by a blank line, as git numbers them for us.
    both = run(wired, "diff")
    assert both.startswith("README.md\n") and f"\n\n{GATEWAY}\n" in both


def test_git_diff_renames_and_unmerged_paths(wired: Path) -> None:
    git(wired, "mv", GATEWAY, "blueprints/payments.md")
    write(wired, "blueprints/payments.md", BASE.replace(HOURLY, REALTIME))
    git(wired, "add", "-A")
    assert run(wired, "diff", "--cached", "-M").startswith(
        f"{GATEWAY} → blueprints/payments.md\nOrders Sync Frequency hourly → real-time\n"
    )
    git(wired, "commit", "-q", "-m", "rename")
    git(wired, "checkout", "-q", "-b", "other")
    write(wired, "blueprints/payments.md", BASE.replace(HOURLY, "- **Frequency**: daily"))
    commit(wired, "daily")
    git(wired, "checkout", "-q", "-")
    write(wired, "blueprints/payments.md", BASE.replace(HOURLY, "- **Frequency**: weekly"))
    commit(wired, "weekly")
    subprocess.run(["git", "merge", "-q", "other"], cwd=wired, capture_output=True, check=False)
    assert run(wired, "diff", "--cached") == "* Unmerged path blueprints/payments.md\n"


def test_git_log_shows_the_files_lines(wired: Path) -> None:
    write(wired, GATEWAY, BASE.replace("### System 2: Ledger", "### System 5: Ledger"))
    commit(wired, "renumber")
    write(wired, GATEWAY, BASE.replace(HOURLY, REALTIME))
    commit(wired, "real-time")
    log = run(wired, "log", "-p", "--format=commit %s", "-2", "--", GATEWAY)
    assert log == run(
        wired, "log", "-p", "--no-ext-diff", "--format=commit %s", "-2", "--", GATEWAY
    )
    realtime, renumber = log.split("commit renumber\n")
    assert "-### System 2: Ledger\n+### System 5: Ledger\n" in renumber
    assert f"\n-{HOURLY}\n+{REALTIME}\n" in realtime
    # With diff.blueprint.xfuncname, a hunk names the node it is in.
    assert "@@ ### Flow 1: Orders Sync\n" in realtime


def test_a_textconv_an_earlier_version_configured_shows_the_file(
    tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = tmp_path / "doc.md"
    for data in (BASE.encode(), b"# Caf\xe9\n\x00\xff", b""):
        doc.write_bytes(data)
        assert hook_main(["textconv", str(doc)], settle=False) == 0
        assert capfdbinary.readouterr().out == data


def test_the_diff_modules_import_only_the_standard_library() -> None:
    heavy = {"typer", "click", "rich", "markdown_it", "deepdiff", "git", "ruamel", "yaml"}
    probe = (
        "import sys, git_blueprint.hooks.diff_driver, git_blueprint.core.semdiff, "
        "git_blueprint.render.text, git_blueprint.render.markdown, git_blueprint.render.jsonout\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    proc = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert set(proc.stdout.split()) & heavy == set()


def test_an_emptied_blueprint_is_an_empty_document(work: Path) -> None:
    write(work, GATEWAY, "\ufeff\n")
    (entry,) = files()
    assert entry["new"]["path"] == GATEWAY
    assert entry["changes"] == expected(BASE, "")
    write(work, GATEWAY, BASE)
    assert bp_diff(fmt="markdown") == (0, "## Blueprint changes\n\nNo blueprint changed.\n")


def test_an_unmerged_blueprint_is_reported_and_not_diffed(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """During a conflict the file is named as unmerged and never diffed: its stages and
    the markers in the working file are no version of the document (it was diffed against
    `:0`, a stage that does not exist, markers read as text)."""
    git(work, "checkout", "-q", "-b", "side")
    write(work, GATEWAY, BASE.replace(HOURLY, "- **Frequency**: daily"))
    commit(work, "daily")
    git(work, "checkout", "-q", "-")
    write(work, GATEWAY, BASE.replace(HOURLY, "- **Frequency**: weekly"))
    commit(work, "weekly")
    subprocess.run(["git", "merge", "-q", "side"], cwd=work, capture_output=True, check=False)
    assert "<<<<<<<" in (work / GATEWAY).read_text()
    capsys.readouterr()
    for revs, cached in (((), False), (("HEAD",), False), ((), True)):
        code, out = bp_diff(*revs, cached=cached, exit_code=True)
        assert json.loads(out) == {
            "schema": "git-blueprint/diff/1",
            "files": [],
            "unmerged": [GATEWAY],
        }
        assert code == 1  # as git diff --exit-code says of a conflict
        err = capsys.readouterr().err
        assert err.count(f"{GATEWAY}: unmerged; resolve the conflict to see its diff") == 1
        code, out = bp_diff(*revs, cached=cached, fmt="text")
        assert out == "" and code == 0
        assert "unmerged" in capsys.readouterr().err
    # Two commits are no conflict: their diff is shown.
    assert files("HEAD~1", "HEAD")[0]["path"] == GATEWAY
