"""Bad input: a one-line error naming the file or argument, exit 2, no traceback, and
nothing on disk changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Runner, git, missing, snapshot

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def write_bytes(name: str, data: bytes) -> Callable[[Path], list[str]]:
    def setup(repo: Path) -> list[str]:
        path = repo / "blueprints" / f"{name}.md"
        path.write_bytes(data)
        return ["check", name]

    return setup


def write_config(text: str) -> Callable[[Path], list[str]]:
    def setup(repo: Path) -> list[str]:
        (repo / ".blueprint.yaml").write_text(text)
        return ["list"]

    return setup


def symlink_out(repo: Path) -> list[str]:
    outside = repo.parent / "secret.md"
    outside.write_text("# Secret\n")
    (repo / "blueprints" / "leak.md").symlink_to(outside)
    return ["show", "leak"]


def symlinked_folder_out(repo: Path) -> list[str]:
    outside = repo.parent / "elsewhere"
    outside.mkdir()
    (outside / "doc.md").write_text("# Doc\n")
    (repo / "blueprints" / "team").symlink_to(outside)
    return ["show", "team/doc"]


CASES: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "non-utf8": (
        write_bytes("latin", "# Café\n".encode("latin-1")),
        "blueprints/latin.md: not UTF-8",
    ),
    "binary": (
        write_bytes("image", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        "blueprints/image.md: binary file",
    ),
    "nul-byte": (
        write_bytes("nul", b"# Title\n\0\n"),
        "blueprints/nul.md: binary file (NUL byte at offset 8)",
    ),
    "empty": (write_bytes("empty", b""), "blueprints/empty.md: empty file"),
    "huge": (
        write_bytes("huge", b"# Big\n" + b"x" * (20 * 1024 * 1024)),
        "blueprints/huge.md: 20 MiB is larger",
    ),
    "dotdot-id": (lambda repo: ["show", "../secret"], "'../secret': not a blueprint id"),
    "dotdot-path": (
        lambda repo: ["show", "blueprints/../README.md"],
        "not inside the blueprints folder",
    ),
    "absolute-path": (
        lambda repo: ["show", "/etc/hostname.md"],
        "/etc/hostname.md: not inside the blueprints folder",
    ),
    "absolute-id": (lambda repo: ["new", "X", "--id", "/etc/x"], "'/etc/x': not a blueprint id"),
    "symlink-out": (symlink_out, "leak: outside the blueprints folder"),
    "symlinked-folder-out": (symlinked_folder_out, "team/doc: outside the blueprints folder"),
    "unknown-id": (
        lambda repo: ["show", "nope"],
        "'nope': no such blueprint (blueprints/nope.md does not exist)",
    ),
    "yaml-syntax": (
        write_config("statuses: [Draft, Review\ninitial: Draft\n"),
        ".blueprint.yaml:2: not valid YAML",
    ),
    "yaml-bomb": (
        write_config(BOMB),
        ".blueprint.yaml:1: YAML anchors and aliases are not allowed",
    ),
    "unknown-status": (
        write_config("statuses: [Draft, Review]\ntransitions:\n  Draft: [Approved]\n"),
        ".blueprint.yaml:3: transitions from Draft: 'Approved' is not one of statuses (Draft, Review)",
    ),
    "initial-not-a-status": (
        write_config("initial: Proposed\n"),
        ".blueprint.yaml:1: initial: 'Proposed' is not one of statuses",
    ),
    "config-unknown-key": (
        write_config("statuss: [A]\n"),
        ".blueprint.yaml:1: unknown key 'statuss'",
    ),
    "config-not-mapping": (
        write_config("- a\n- b\n"),
        ".blueprint.yaml:1: the config must be a mapping",
    ),
    "config-huge": (
        write_config("# " + "x" * 300_000 + "\n"),
        ".blueprint.yaml: larger than 256 KiB",
    ),
    "config-binary": (write_config("a: \0\n"), ".blueprint.yaml: contains a NUL byte"),
    "bad-format": (
        lambda repo: ["list", "--format", "xml"],
        "'xml' is not one of table, json, markdown",
    ),
    "unknown-template": (
        lambda repo: ["new", "X", "--kind", "nope"],
        "'nope': no such template (available: integration)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input(case: str, repo: Path, bp: Runner) -> None:
    setup, expected = CASES[case]
    args = setup(repo)
    before = snapshot(repo)
    head = git(repo, "rev-parse", "HEAD")
    result = bp(repo, *args)
    assert result.code == 2, (result.out, result.err)
    assert result.err.startswith("git-blueprint: error: ")
    assert result.err.count("\n") == 1, result.err
    assert expected in result.err
    assert "Traceback" not in result.err
    assert result.out == ""
    assert snapshot(repo) == before
    assert git(repo, "rev-parse", "HEAD") == head


def test_outside_a_git_repository(tmp_path: Path) -> None:
    """Through the real console script: no traceback, one line, exit 2."""
    script = Path(sys.executable).parent / "bp"
    for args in (["list"], ["new", "X"], ["show", "x"], ["check"]):
        proc = subprocess.run(
            [str(script), *args], cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 2, args
        assert proc.stderr == (
            f"git-blueprint: error: {tmp_path}: not a git repository (run 'bp init' to make one)\n"
        )
    assert list(tmp_path.iterdir()) == []


def test_non_utf8_through_the_console_script(repo: Path) -> None:
    (repo / "blueprints" / "bad.md").write_bytes(b"# Caf\xe9\n")
    script = Path(sys.executable).parent / "bp"
    proc = subprocess.run(
        [str(script), "list"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "git-blueprint: warning: blueprints/bad.md: not UTF-8 (byte 0xe9 at offset 5); "
        "left out\n"
        "git-blueprint: error: 1 file(s) could not be read as blueprints: blueprints/bad.md\n"
    )


def test_debug_shows_a_traceback(repo: Path, bp: Runner) -> None:
    (repo / "blueprints" / "bad.md").write_bytes(b"\xff")
    result = bp(repo, "--debug", "check", "bad")
    assert result.code == 2
    assert "Traceback" in result.err
    assert result.err.rstrip().endswith(
        "git-blueprint: error: blueprints/bad.md: not UTF-8 (byte 0xff at offset 0)"
    )


def test_no_identity_is_a_clear_error(
    repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL"):
        monkeypatch.delenv(key)
    monkeypatch.setenv("EMAIL", "")
    git(repo, "config", "user.useConfigOnly", "true")
    before = snapshot(repo)
    result = bp(repo, "new", "Gateway")
    assert result.code == 2
    assert "set user.name and user.email" in result.err
    assert snapshot(repo) == before


def test_unreadable_file(repo: Path, bp: Runner) -> None:
    path = repo / "blueprints" / "locked.md"
    path.write_text("# Locked\n")
    path.chmod(0)
    if os.geteuid() != 0:
        result = bp(repo, "list")
        code, err = result.code, result.err
    else:
        # root reads any file; in a user namespace of its own it is nobody, and the file
        # (owned by an identity that namespace does not map) is unreadable as for anyone
        if shutil.which("unshare") is None:
            missing("unshare (util-linux), to run a command as nobody")
        proc = subprocess.run(
            ["unshare", "--user", sys.executable, "-m", "git_blueprint", "list"],
            cwd=repo,
            capture_output=True,
            text=True,
        )
        code, err = proc.returncode, proc.stderr
    assert code == 2 and "blueprints/locked.md: cannot be read" in err, err
