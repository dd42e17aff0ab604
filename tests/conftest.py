"""Fixtures: real git repositories in temporary folders, pinned identities and dates, and a
HOME that nothing can write to outside the test's own folder."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from git_blueprint.cli.app import run

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
TEMPLATE = REPO_ROOT / "src" / "git_blueprint" / "templates" / "integration.md"

# The sections of the Integration Blueprint template, in order.
TEMPLATE_SECTIONS = [
    "Purpose",
    "Integrated Systems",
    "Integration Methods",
    "Data Flow",
    "Integration Points",
    "Failure Modes",
    "Performance Considerations",
    "Monitoring Points",
]

ADA = {"GIT_AUTHOR_NAME": "Ada Lovelace", "GIT_AUTHOR_EMAIL": "ada@example.com"}
PINNED_DATE = "2026-11-27T10:00:00+00:00"


@pytest.fixture(autouse=True)
def git_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    for key in list(os.environ):
        if key.startswith("GIT_") or key in ("NO_COLOR", "EMAIL"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Ada Lovelace")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "ada@example.com")
    monkeypatch.setenv("GIT_AUTHOR_DATE", PINNED_DATE)
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Ada Lovelace")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "ada@example.com")
    monkeypatch.setenv("GIT_COMMITTER_DATE", PINNED_DATE)
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")


def missing(what: str) -> None:
    """Skip a test for lack of ``what`` on a developer's machine; in CI (``CI=true``) fail
    instead, so that a green CI run never hides a test that did not run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is missing; CI must provide it")
    pytest.skip(f"{what} is missing")


def run_with_file_limit(
    argv: list[str], cwd: Path, max_bytes: int
) -> subprocess.CompletedProcess[str]:
    """``argv`` run where no file may grow past ``max_bytes``: writes past it fail (EFBIG)
    as on a full disk. Python is told not to write bytecode, which it would cut short at the
    limit and so break later runs."""
    import resource

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return subprocess.run(
        argv,
        cwd=cwd,
        capture_output=True,
        text=True,
        preexec_fn=limited,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def git(cwd: Path, *args: str, input: bytes | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr.decode()}")
    return proc.stdout.decode()


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def commit(root: Path, message: str) -> str:
    """Everything in the working tree committed; the new commit's id."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


@dataclass
class Result:
    code: int
    out: str
    err: str


class Runner:
    """Runs the CLI in-process, in a given folder, capturing what it prints."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, cwd: Path, *args: str) -> Result:
        self.capsys.readouterr()
        with self.monkeypatch.context() as m:
            m.chdir(cwd)
            code = run(list(args))
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)


@pytest.fixture
def bp(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    return Runner(capsys, monkeypatch)


@pytest.fixture
def repo(tmp_path: Path, bp: Runner) -> Iterator[Path]:
    """A blueprint repository made by `bp init`, with one commit of its set-up files."""
    root = tmp_path / "repo"
    result = bp(tmp_path, "init", "repo")
    assert result.code == 0, result.err
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "set up")
    yield root


EARLY_DATE = "2026-01-05T09:00:00+00:00"


@pytest.fixture
def drafted(repo: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository with one blueprint, `gateway`, made and committed on an early date
    (2026-01-05), so that a stamp today (2026-11-27) shows."""
    monkeypatch.setenv("GIT_COMMITTER_DATE", EARLY_DATE)
    assert bp(repo, "new", "Gateway").code == 0
    monkeypatch.setenv("GIT_COMMITTER_DATE", PINNED_DATE)
    return repo


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` (outside .git) with its bytes and mode."""
    out: dict[str, tuple[bytes, int]] = {}
    for path in sorted(root.rglob("*")):
        if ".git" in path.relative_to(root).parts or not path.is_file():
            continue
        out[path.relative_to(root).as_posix()] = (path.read_bytes(), path.stat().st_mode)
    return out


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*/v*.md")) if CORPUS.is_dir() else []


SPEC_EXAMPLES = SHARED / "commonmark" / "spec-examples.json"


def commonmark_params() -> list[Any]:
    """The CommonMark specification's examples as pytest parameters, one each, by number
    (a single skipped parameter when the examples are not there)."""
    if not SPEC_EXAMPLES.is_file():
        reason = f"CommonMark examples not found at {SPEC_EXAMPLES}"
        return [pytest.param("", id="missing", marks=pytest.mark.skip(reason=reason))]
    examples = json.loads(SPEC_EXAMPLES.read_text(encoding="utf-8"))["examples"]
    return [pytest.param(ex["markdown"], id=f"example-{ex['example']}") for ex in examples]
