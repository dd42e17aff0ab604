"""The GitHub Action (``action.yml``) read as the runner reads it, and its steps' scripts run
with bash as the runner runs them (``bash --noprofile --norc -eo pipefail FILE``), in real
git repositories, with the environment the runner would give: its ``${{ … }}`` expressions
filled from a context, ``RUNNER_TEMP``, ``GITHUB_OUTPUT``, the event file, and the comment
going to a fake GitHub API on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO_ROOT, commit, git, missing, write
from git_blueprint.forge.sticky import MARKER
from support.forge import Forge, fake_forge

ACTION = REPO_ROOT / "action.yml"
SPEC = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
STEPS = SPEC["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
ZEROS = "0" * 40
REPO = "acme/designs"
BP = Path(sys.executable).with_name("bp")  # this checkout's bp, for the steps after install


def step(name: str) -> dict[str, Any]:
    [found] = [s for s in STEPS if s.get("id") == name or s.get("name") == name]
    return found


def lookup(expression: str, context: dict[str, Any]) -> str:
    """A property path (``github.event.pull_request.base.sha``) in the context; what is not
    there is the empty string, as the runner makes of a null."""
    value: Any = context
    for part in expression.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def run_step(
    name: str, context: dict[str, Any], cwd: Path, runner_env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    found = step(name)
    env = {
        key: EXPRESSION.sub(lambda m: lookup(m.group(1), context), str(value))
        for key, value in found.get("env", {}).items()
    }
    script = cwd.parent / f"step-{abs(hash(name))}.sh"
    script.write_text(found["run"])
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd,
        env={**os.environ, **runner_env, **env},
        capture_output=True,
        text=True,
    )


def context(
    *, inputs: dict[str, str] | None = None, event: dict[str, Any] | None = None, **github: Any
) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "github": {"event": event or {}, **github},
        "steps": {"install": {"outputs": {"bp": str(BP)}, "outcome": "success"}},
    }
    # An input's default may itself be an expression (the token's: github.token).
    defaults = {
        key: EXPRESSION.sub(lambda m: lookup(m.group(1), ctx), str(value.get("default", "")))
        for key, value in SPEC["inputs"].items()
    }
    ctx["inputs"] = {**defaults, **(inputs or {})}
    return ctx


# --- what the file says -------------------------------------------------------------------


def test_no_step_uses_another_action_or_changes_the_jobs_python_or_path() -> None:
    assert [s.get("uses") for s in STEPS if "uses" in s] == []
    text = ACTION.read_text(encoding="utf-8")
    assert "setup-python" not in text
    for changes_the_job in ("GITHUB_PATH", "GITHUB_ENV"):
        assert changes_the_job not in text


def test_scripts_take_the_contexts_only_through_their_environment() -> None:
    """An expression inside a script is pasted into it before bash reads it: a branch name
    or an input could inject commands. Every value comes in as a variable."""
    assert [s["name"] for s in STEPS if "${{" in s["run"]] == []


def test_the_install_step_builds_a_private_venv_from_the_actions_own_path() -> None:
    install = step("install")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert install["env"]["PYTHON"] == "${{ inputs.python }}"
    assert SPEC["inputs"]["python"]["default"] == "python3"
    run = install["run"]
    assert '"$RUNNER_TEMP/' in run
    assert '"$PYTHON" -m venv "$VENV"' in run
    assert 'pip install --quiet --disable-pip-version-check "$ACTION_PATH"' in run
    assert "git-blueprint" not in run.split("pip install", 1)[1].split("\n", 1)[0]


def test_every_later_step_calls_the_installed_bp_by_its_path() -> None:
    for later in STEPS[1:]:
        assert later["env"]["BP"] == "${{ steps.install.outputs.bp }}"
        assert re.findall(r"(?m)^\s*(\S*)\s+(?:verify|comment)\b", later["run"]) in (
            ['"$BP"'],
            ['"$BP"', '"$BP"'],
        )


def test_the_comment_step_is_opt_in_and_runs_after_a_failed_verify() -> None:
    condition = step("Comment the blueprint diff on the pull request")["if"]
    assert SPEC["inputs"]["comment"]["default"] == "false"
    for part in (
        "!cancelled()",
        "inputs.comment == 'true'",
        "steps.install.outcome == 'success'",
        "github.event.pull_request",
    ):
        assert part in condition
    assert SPEC["inputs"]["token"]["default"] == "${{ github.token }}"


# --- the steps, run ------------------------------------------------------------------------


@pytest.fixture
def ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A server, a clone of it as the runner's checkout (``origin/main``), a recording
    ``bp``, and the runner's files."""
    for key in list(os.environ):
        if key.startswith(("GITHUB_", "RUNNER_")):
            monkeypatch.delenv(key)
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q")
    write(origin, "blueprints/.keep", "")
    first = commit(origin, "first")
    write(origin, "README.md", "designs\n")
    main = commit(origin, "second")
    git(tmp_path, "clone", "-q", str(origin), "checkout")
    checkout = tmp_path / "checkout"
    git(checkout, "checkout", "-q", "-b", "feature")
    gateway = (REPO_ROOT / "tests" / "data" / "diff" / "base.md").read_text(encoding="utf-8")
    write(checkout, "blueprints/gateway.md", gateway)
    feature = commit(checkout, "a blueprint")
    record = tmp_path / "bp-args"
    recorder = tmp_path / "record-bp"
    recorder.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >>'{record}'\n")
    recorder.chmod(0o755)
    (tmp_path / "runner").mkdir()
    yield {
        "checkout": checkout,
        "first": first,
        "main": main,
        "feature": feature,
        "record": record,
        "recorder": str(recorder),
        "env": {
            "RUNNER_TEMP": str(tmp_path / "runner"),
            "GITHUB_OUTPUT": str(tmp_path / "output"),
        },
    }


def recorded_verify(ci: dict[str, Any], ctx: dict[str, Any]) -> str:
    ctx["steps"]["install"]["outputs"]["bp"] = ci["recorder"]
    proc = run_step("bp verify", ctx, ci["checkout"], ci["env"])
    assert proc.returncode == 0, proc.stderr
    return str(ci["record"].read_text())


def test_verify_a_pull_request_from_its_base_to_its_head(ci: dict[str, Any]) -> None:
    pull = {"base": {"sha": ci["main"]}, "head": {"sha": ci["feature"]}}
    ctx = context(event={"pull_request": pull}, sha="refs-pull-merge-commit")
    assert recorded_verify(ci, ctx) == f"verify {ci['main']}..{ci['feature']}\n"


def test_verify_a_push_from_its_old_tip(ci: dict[str, Any]) -> None:
    ctx = context(event={"before": ci["main"]}, sha=ci["feature"])
    assert recorded_verify(ci, ctx) == f"verify {ci['main']}..{ci['feature']}\n"


def test_verify_a_branchs_first_push_from_its_merge_base(ci: dict[str, Any]) -> None:
    event = {"before": ZEROS, "repository": {"default_branch": "main"}}
    ctx = context(event=event, sha=ci["feature"])
    assert recorded_verify(ci, ctx) == f"verify {ci['main']}..{ci['feature']}\n"


@pytest.mark.parametrize("default_branch", ["main", ""], ids=["is-the-default", "no-default"])
def test_verify_the_whole_history_where_nothing_parts(
    ci: dict[str, Any], default_branch: str
) -> None:
    event = {"before": ZEROS, "repository": {"default_branch": default_branch}}
    ctx = context(event=event, sha=ci["main"])
    assert recorded_verify(ci, ctx) == f"verify {ci['main']}\n"


def test_verify_the_range_given(ci: dict[str, Any]) -> None:
    pull = {"base": {"sha": ci["main"]}, "head": {"sha": ci["feature"]}}
    ctx = context(inputs={"range": f"{ci['first']}..HEAD"}, event={"pull_request": pull})
    assert recorded_verify(ci, ctx) == f"verify {ci['first']}..HEAD\n"


def test_verify_runs_the_real_bp(ci: dict[str, Any]) -> None:
    pull = {"base": {"sha": ci["main"]}, "head": {"sha": ci["feature"]}}
    proc = run_step("bp verify", context(event={"pull_request": pull}), ci["checkout"], ci["env"])
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    ("given", "passed"),
    [
        ("", "comment github"),
        ("A..B", "comment github A...B"),
        ("A...B", "comment github A...B"),
        ("B", "comment github"),
    ],
)
def test_the_comment_step_diffs_what_the_commits_bring(
    ci: dict[str, Any], given: str, passed: str
) -> None:
    ctx = context(inputs={"range": given, "comment": "true"})
    ctx["steps"]["install"]["outputs"]["bp"] = ci["recorder"]
    proc = run_step("Comment the blueprint diff on the pull request", ctx, ci["checkout"], ci["env"])
    assert proc.returncode == 0, proc.stderr
    assert ci["record"].read_text() == passed + "\n"


@pytest.fixture
def forge() -> Iterator[Forge]:
    with fake_forge() as fake:
        yield fake


def comment_env(ci: dict[str, Any], forge: Forge, head_repo: str) -> dict[str, str]:
    event = ci["checkout"].parent / "event.json"
    pull = {
        "number": 5,
        "base": {"sha": ci["main"], "repo": {"full_name": REPO}},
        "head": {"sha": ci["feature"], "repo": {"full_name": head_repo}},
    }
    event.write_text(json.dumps({"pull_request": pull}))
    return {
        **ci["env"],
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": forge.github_url,
    }


def test_the_comment_step_posts_to_the_api_the_runner_names(
    ci: dict[str, Any], forge: Forge
) -> None:
    forge.seed(f"{REPO}#5", "first!")
    ctx = context(inputs={"comment": "true"}, token="ghs_job_token")
    env = comment_env(ci, forge, head_repo=REPO)
    proc = run_step("Comment the blueprint diff on the pull request", ctx, ci["checkout"], env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"{REPO}#5: blueprint diff comment created\n"
    [post] = forge.writes()
    assert post.headers["authorization"] == "Bearer ghs_job_token"
    assert post.body["body"].startswith(
        f"{MARKER}\n## Blueprint changes\n\n### `blueprints/gateway.md` (new)"
    )


def test_the_comment_step_skips_a_fork_with_a_notice(ci: dict[str, Any], forge: Forge) -> None:
    ctx = context(inputs={"comment": "true"}, token="read-only")
    env = comment_env(ci, forge, head_repo="someone/designs")
    proc = run_step("Comment the blueprint diff on the pull request", ctx, ci["checkout"], env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("::notice title=git-blueprint::a pull request from a fork")
    assert forge.requests == []


@pytest.mark.slow
def test_the_install_step_installs_from_the_actions_path_into_runner_temp(
    ci: dict[str, Any], tmp_path: Path
) -> None:
    """As the runner has it: the Action's files checked out in a folder of their own."""
    action = tmp_path / "action"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=REPO_ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for rel in filter(None, files):
        source = REPO_ROOT / rel
        if source.is_file():
            (action / rel).parent.mkdir(parents=True, exist_ok=True)
            (action / rel).write_bytes(source.read_bytes())
    before = os.environ.get("PATH", "")
    proc = run_step("install", context(action_path=str(action)), ci["checkout"], ci["env"])
    if proc.returncode != 0 and "matching distribution" in proc.stderr:
        missing("a package index pip can install git-blueprint's dependencies from")
    assert proc.returncode == 0, proc.stderr
    output = Path(ci["env"]["GITHUB_OUTPUT"]).read_text()
    [line] = output.splitlines()
    bp = Path(line.removeprefix("bp="))
    assert bp.parent.parent.parent == Path(ci["env"]["RUNNER_TEMP"])
    assert bp.parent.parent.name.startswith("git-blueprint.")
    version = subprocess.run([str(bp), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("git-blueprint ")
    assert os.environ.get("PATH", "") == before
