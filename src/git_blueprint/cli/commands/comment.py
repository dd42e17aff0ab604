"""``bp comment github`` / ``bp comment gitlab``: the semantic diff of a pull request (a
merge request) as one comment on it, created by the first run and edited by the next.

What a CI job knows comes from its environment: on GitHub Actions ``GITHUB_REPOSITORY``,
``GITHUB_API_URL``, ``GITHUB_EVENT_NAME`` and the event itself (``GITHUB_EVENT_PATH``);
on GitLab CI the ``CI_MERGE_REQUEST_*`` variables and ``CI_API_V4_URL``. The token is read
from the environment only (``GITHUB_TOKEN``, ``GITLAB_TOKEN``), never from the command
line, where other processes could read it."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from git_blueprint.cli.commands.diff import repo_diffs
from git_blueprint.cli.output import Output
from git_blueprint.errors import UsageError
from git_blueprint.forge.sticky import post_sticky, sticky_body

if TYPE_CHECKING:
    from git_blueprint.forge.sticky import Thread

WORDS = {
    "created": "blueprint diff comment created",
    "updated": "blueprint diff comment updated",
    "unchanged": "blueprint diff comment already up to date",
    "none": "no blueprint changed; no comment",
}
FORK_DOCS = "docs/ci.md, 'Pull requests from forks'"


def run_comment_github(
    rev_range: str | None, repo: str | None, number: int | None, api_url: str | None, out: Output
) -> int:
    from git_blueprint.forge.github import DEFAULT_API, PullRequest

    env = os.environ
    pull = _mapping(_github_event(env.get("GITHUB_EVENT_PATH", "")).get("pull_request"))
    repo = repo or env.get("GITHUB_REPOSITORY", "")
    if not repo:
        raise UsageError("--repo: not given, and GITHUB_REPOSITORY is not set")
    if pull and env.get("GITHUB_EVENT_NAME") == "pull_request":
        head = _mapping(_mapping(pull.get("head")).get("repo")).get("full_name")
        if head != repo:
            # On `pull_request` from a fork GitHub gives the job a read-only token.
            _notice(
                f"a pull request from a fork ({head or 'a deleted repository'}): its token "
                f"cannot write comments, so no blueprint diff comment ({FORK_DOCS})",
                env,
                out,
            )
            return 0
    number = number or _number(pull.get("number"))
    if number is None:
        raise UsageError("--pr: not given, and the event (GITHUB_EVENT_PATH) is no pull request")
    if not rev_range:
        base = _mapping(pull.get("base")).get("sha")
        head_sha = _mapping(pull.get("head")).get("sha")
        if not (isinstance(base, str) and isinstance(head_sha, str) and base and head_sha):
            raise UsageError(
                "RANGE: not given, and the event names no pull request's base and head"
            )
        rev_range = f"{base}...{head_sha}"  # from where the branch parts, as GitHub shows it
    token = env.get("GITHUB_TOKEN", "")
    if not token:
        raise UsageError(
            "GITHUB_TOKEN is not set: the token to comment with "
            "(in a workflow step: env: GITHUB_TOKEN: ${{ github.token }})"
        )
    base_url = api_url or env.get("GITHUB_API_URL") or DEFAULT_API
    return _post(PullRequest(base_url, token, repo, number), rev_range, out)


def run_comment_gitlab(
    rev_range: str | None, project: str | None, iid: int | None, api_url: str | None, out: Output
) -> int:
    from git_blueprint.forge.gitlab import DEFAULT_API, MergeRequest

    env = os.environ
    target = env.get("CI_MERGE_REQUEST_PROJECT_ID", "")
    project = project or target or env.get("CI_PROJECT_ID", "")
    if not project:
        raise UsageError("--project: not given, and CI_MERGE_REQUEST_PROJECT_ID is not set")
    iid = iid or _number(env.get("CI_MERGE_REQUEST_IID"))
    if iid is None:
        raise UsageError("--mr: not given, and CI_MERGE_REQUEST_IID is not set")
    if not rev_range:
        base = env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA", "")
        # In a merged-results pipeline CI_COMMIT_SHA is the trial merge, not the branch.
        head = env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA") or env.get("CI_COMMIT_SHA", "")
        if not (base and head):
            raise UsageError("RANGE: not given, and CI_MERGE_REQUEST_DIFF_BASE_SHA is not set")
        rev_range = f"{base}...{head}"
    token = env.get("GITLAB_TOKEN", "")
    if not token:
        source = env.get("CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "")
        if source and target and source != target:
            # A fork's pipeline runs in the fork, without the target project's variables.
            out.note(
                f"a merge request from a fork: GITLAB_TOKEN is not set, so no note ({FORK_DOCS})"
            )
            return 0
        raise UsageError(
            "GITLAB_TOKEN is not set: a project access token with the api scope, in a masked "
            "CI/CD variable (CI_JOB_TOKEN cannot write notes)"
        )
    base_url = api_url or env.get("CI_API_V4_URL") or DEFAULT_API
    return _post(MergeRequest(base_url, token, project, iid), rev_range, out)


def _post(thread: Thread, rev_range: str, out: Output) -> int:
    """The diff first (a bad range fails before the forge is asked anything), then the
    one comment, kept under the comment limit with the marker counted."""
    from git_blueprint.render.markdown import COMMENT_LIMIT, render_markdown

    files, _ = repo_diffs([rev_range], [], False, out)  # two commits: nothing unmerged
    markdown = render_markdown(files, limit=COMMENT_LIMIT - len(sticky_body("")))
    done = post_sticky(thread, markdown, changed=bool(files))
    out.line(f"{thread.where}: {WORDS[done]}")
    return 0


def _notice(text: str, env: os._Environ[str], out: Output) -> None:
    if env.get("GITHUB_ACTIONS") == "true":
        out.line(f"::notice title=git-blueprint::{text}")  # a workflow command: the run's summary
    else:
        out.note(text)


def _github_event(path: str) -> dict[str, Any]:
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise UsageError(f"GITHUB_EVENT_PATH: cannot read the event {path}: {exc}") from None
    return data if isinstance(data, dict) else {}


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.isdigit() and int(value) > 0:
        return int(value)
    return None
