"""The one error boundary (errors.run_guarded): what every entry point — a command, a
hook, a driver — turns an exception into, and that each of them runs inside it."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from git_blueprint.errors import CheckFailed, GitError, UsageError, run_guarded

Captured = tuple[int, str]


def guarded(body: Callable[[], int | None], **options: Any) -> Captured:
    stream = io.StringIO()
    code = run_guarded(body, label="test", stream=stream, **options)
    return code, stream.getvalue()


def raising(exc: BaseException) -> Callable[[], int]:
    def body() -> int:
        raise exc

    return body


def test_a_body_that_returns_gives_its_code() -> None:
    assert guarded(lambda: 0) == (0, "")
    assert guarded(lambda: None) == (0, "")
    assert guarded(lambda: 7) == (7, "")


@pytest.mark.parametrize(
    ("exc", "code"),
    [(UsageError("bad --to"), 2), (GitError("git log: bad revision"), 2), (CheckFailed("no"), 1)],
)
def test_an_error_of_ours_is_one_line_and_its_exit_code(exc: Exception, code: int) -> None:
    assert guarded(raising(exc)) == (code, f"git-blueprint: test: {exc}\n")


def test_an_error_already_reported_adds_no_line() -> None:
    assert guarded(raising(CheckFailed())) == (1, "")


def test_interrupted_is_130() -> None:
    assert guarded(raising(KeyboardInterrupt())) == (130, "git-blueprint: test: interrupted\n")


def test_a_reader_that_went_away_is_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "dup2", lambda *args: None)  # keep pytest's stdout
    assert guarded(raising(BrokenPipeError())) == (0, "")


def test_anything_else_is_a_bug_with_how_to_report_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GIT_BLUEPRINT_DEBUG", raising=False)
    code, text = guarded(raising(ValueError("no such thing")), rerun="with --debug")
    assert code == 3
    assert text == (
        "git-blueprint: test: internal error: ValueError: no such thing — this is a bug; "
        "please report it with the output of the same command run with --debug\n"
    )


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_BLUEPRINT_DEBUG", "1")
    code, text = guarded(raising(ValueError("boom")))
    assert code == 3
    assert text.startswith("Traceback (most recent call last):")
    assert text.endswith(
        "internal error: ValueError: boom — this is a bug; please report it"
        " with the output of the same command run with GIT_BLUEPRINT_DEBUG=1\n"
    )


def test_always_overrides_the_code_for_a_driver() -> None:
    assert guarded(raising(ValueError("x")), always=0)[0] == 0
    assert guarded(raising(UsageError("x")), always=0) == (0, "git-blueprint: test: x\n")


def test_sigterm_unwinds_like_ctrl_c() -> None:
    def body() -> int:
        os.kill(os.getpid(), signal.SIGTERM)
        return 0

    old = signal.getsignal(signal.SIGTERM)
    try:
        assert guarded(body) == (130, "git-blueprint: test: interrupted\n")
    finally:
        signal.signal(signal.SIGTERM, old)


def run_module(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )


def test_the_cli_runs_inside_the_boundary(tmp_path: Path) -> None:
    proc = run_module(["-m", "git_blueprint", "list"], tmp_path)
    assert proc.returncode == 2
    assert (
        proc.stderr
        == f"git-blueprint: error: {tmp_path}: not a git repository (run 'bp init' to make one)\n"
    )


def test_a_hook_runs_inside_the_boundary(tmp_path: Path) -> None:
    proc = run_module(["-m", "git_blueprint._hook", "pre-receive"], tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        "git-blueprint: pre-receive: the pre-receive hook is not running inside a git repository\n"
    )


def test_a_driver_never_fails_git(tmp_path: Path) -> None:
    proc = run_module(
        [
            "-m",
            "git_blueprint._hook",
            "diff-driver",
            "a.md",
            "/nonexistent",
            "x",
            "100644",
            "/dev/null",
            "y",
            "100644",
        ],
        tmp_path,
    )
    assert proc.returncode == 0
    assert (
        proc.stdout
        == "git-blueprint: semantic diff: /nonexistent: cannot be read: No such file or directory\n"
    )
    proc = run_module(["-m", "git_blueprint._hook", "textconv", "/nonexistent"], tmp_path)
    assert proc.returncode == 0 and proc.stdout == ""
    assert (
        proc.stderr
        == "git-blueprint: textconv: /nonexistent: cannot be read: No such file or directory\n"
    )
