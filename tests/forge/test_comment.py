"""``bp comment github`` and ``bp comment gitlab`` against a fake forge on 127.0.0.1 (the
external service; git and the diff are real): one comment, created once and edited after,
found across pages, refusals in one line, forks left alone."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO_ROOT, Runner, commit, git, write
from git_blueprint.forge.http import next_link
from git_blueprint.forge.sticky import MARKER
from git_blueprint.render.markdown import COMMENT_LIMIT
from support.forge import Forge, fake_forge

DATA = REPO_ROOT / "tests" / "data" / "diff"
GATEWAY = "blueprints/gateway.md"
REPO = "acme/designs"
PR = f"{REPO}#12"
MR = "42!7"


@pytest.fixture
def forge(monkeypatch: pytest.MonkeyPatch) -> Iterator[Forge]:
    """The fake forge, and a CI environment that knows nothing but what a test sets."""
    for key in list(os.environ):
        if key.startswith(("GITHUB_", "CI_", "GITLAB_")) or key == "RUNNER_TEMP":
            monkeypatch.delenv(key)
    with fake_forge() as fake:
        yield fake


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """main with the base blueprint; the branch `review` changes it."""
    root = tmp_path / "work"
    root.mkdir()
    git(root, "init", "-q")
    write(root, GATEWAY, (DATA / "base.md").read_text(encoding="utf-8"))
    commit(root, "base")
    git(root, "checkout", "-q", "-b", "review")
    write(root, GATEWAY, (DATA / "review.md").read_text(encoding="utf-8"))
    commit(root, "review")
    return root


def event(tmp_path: Path, work: Path, head_repo: str | None = REPO, number: int = 12) -> Path:
    """The event file GitHub gives a pull_request job."""
    pull = {
        "number": number,
        "base": {"sha": git(work, "rev-parse", "main").strip(), "repo": {"full_name": REPO}},
        "head": {
            "sha": git(work, "rev-parse", "review").strip(),
            "repo": None if head_repo is None else {"full_name": head_repo},
        },
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps({"pull_request": pull}))
    return path


def github_env(
    monkeypatch: pytest.MonkeyPatch, forge: Forge, event_path: Path, token: str = "t0ken"
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event_path))
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_API_URL", forge.github_url)
    monkeypatch.setenv("GITHUB_TOKEN", token)


def ours(forge: Forge, thread: str) -> list[str]:
    return [n["body"] for n in forge.threads.get(thread, []) if n["body"].startswith(MARKER)]


# --- GitHub -------------------------------------------------------------------------------


def test_creates_one_comment_then_updates_that_same_comment(
    forge: Forge, work: Path, tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge.seed(PR, "Looks good to me")
    github_env(monkeypatch, forge, event(tmp_path, work))

    first = bp(work, "comment", "github")
    assert first.code == 0, first.err
    assert first.out == f"{PR}: blueprint diff comment created\n"
    [body] = ours(forge, PR)
    assert body.startswith(f"{MARKER}\n## Blueprint changes\n")
    assert "**Status: Draft → Review**" in body
    [post] = forge.writes()
    assert (post.method, post.path) == ("POST", "/repos/acme/designs/issues/12/comments")
    assert post.headers["authorization"] == "Bearer t0ken"
    assert post.headers["x-github-api-version"] == "2022-11-28"
    assert "t0ken" not in first.out + first.err

    again = bp(work, "comment", "github")
    assert again.out == f"{PR}: blueprint diff comment already up to date\n"
    assert len(forge.writes()) == 1

    # The pull request gets another commit; its event names the new head.
    text = (work / GATEWAY).read_text(encoding="utf-8")
    write(work, GATEWAY, text.replace("- **Frequency**: nightly", "- **Frequency**: weekly"))
    commit(work, "weekly")
    github_env(monkeypatch, forge, event(tmp_path, work))
    third = bp(work, "comment", "github")
    assert third.out == f"{PR}: blueprint diff comment updated\n"
    [patch] = forge.writes()[1:]
    comment_id = forge.threads[PR][1]["id"]
    assert (patch.method, patch.path) == ("PATCH", f"/repos/acme/designs/issues/comments/{comment_id}")
    [body] = ours(forge, PR)
    assert "weekly" in body
    assert len(forge.threads[PR]) == 2  # the reviewer's comment and ours, no other


def test_finds_its_comment_on_a_later_page(
    forge: Forge, work: Path, tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge.seed(PR, *[f"comment {i}" for i in range(5)])
    forge.seed(PR, f"{MARKER}\nan old diff")
    forge.seed(PR, "a later comment")
    github_env(monkeypatch, forge, event(tmp_path, work))

    result = bp(work, "comment", "github")
    assert result.out == f"{PR}: blueprint diff comment updated\n", result.err
    pages = [r.path for r in forge.requests if r.method == "GET"]
    # Three pages of two read, up to ours; the fourth is never asked for.
    assert pages == [
        "/repos/acme/designs/issues/12/comments?per_page=100",
        "/repos/acme/designs/issues/12/comments?per_page=100&page=2",
        "/repos/acme/designs/issues/12/comments?per_page=100&page=3",
    ]
    assert [w.method for w in forge.writes()] == ["PATCH"]
    assert len(ours(forge, PR)) == 1


def test_403_names_the_missing_permission_in_one_line(
    forge: Forge, work: Path, tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge.seed(PR, "hello")
    forge.refuse["POST"] = 403
    github_env(monkeypatch, forge, event(tmp_path, work))
    result = bp(work, "comment", "github")
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "git-blueprint: error: GitHub refused to comment on acme/designs#12: 403 (Resource "
        "not accessible by integration); the token needs the pull-requests: write permission "
        "(in the workflow: 'permissions: pull-requests: write')\n"
    )


@pytest.mark.parametrize("head_repo", ["someone/designs", None], ids=["fork", "deleted-fork"])
def test_a_pull_request_from_a_fork_is_skipped_with_a_notice(
    forge: Forge,
    work: Path,
    tmp_path: Path,
    bp: Runner,
    monkeypatch: pytest.MonkeyPatch,
    head_repo: str | None,
) -> None:
    github_env(monkeypatch, forge, event(tmp_path, work, head_repo=head_repo))
    result = bp(work, "comment", "github")
    assert result.code == 0, result.err
    assert result.out.startswith("::notice title=git-blueprint::a pull request from a fork (")
    assert result.out.count("\n") == 1
    assert forge.requests == []


def test_no_change_updates_the_comment_and_starts_none(
    forge: Forge, work: Path, tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge.seed(PR, "hello")
    github_env(monkeypatch, forge, event(tmp_path, work))
    result = bp(work, "comment", "github", "review...review")
    assert result.out == f"{PR}: no blueprint changed; no comment\n", result.err
    assert forge.writes() == []

    forge.seed(PR, f"{MARKER}\nan old diff")
    result = bp(work, "comment", "github", "review...review")
    assert result.out == f"{PR}: blueprint diff comment updated\n"
    assert ours(forge, PR) == [f"{MARKER}\n## Blueprint changes\n\nNo blueprint changed.\n"]


def test_a_large_diff_keeps_the_comment_under_the_limit(
    forge: Forge, work: Path, tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    systems = "".join(
        f"### System {i}: Service {i}\n- **Role**: {'word ' * 60}\n\n" for i in range(3, 400)
    )
    text = (work / GATEWAY).read_text(encoding="utf-8")
    write(work, GATEWAY, text.replace("## Integration Methods", systems + "## Integration Methods"))
    commit(work, "many systems")
    forge.seed(PR, "hello")
    github_env(monkeypatch, forge, event(tmp_path, work))
    assert bp(work, "comment", "github").code == 0
    [body] = ours(forge, PR)
    assert COMMENT_LIMIT - 1000 < len(body) <= COMMENT_LIMIT
    assert "left out, to keep this comment under" in body


def test_options_stand_in_for_the_event(
    forge: Forge, work: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge.seed("other/repo#3", "hello")
    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    result = bp(
        work, "comment", "github", "main...review",
        "--repo", "other/repo", "--pr", "3", "--api-url", forge.github_url,
    )  # fmt: skip
    assert result.out == "other/repo#3: blueprint diff comment created\n", result.err


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        ([], {}, "--repo: not given, and GITHUB_REPOSITORY is not set"),
        ([], {"GITHUB_REPOSITORY": REPO}, "--pr: not given, and the event"),
        (["--pr", "3"], {"GITHUB_REPOSITORY": REPO}, "RANGE: not given"),
        (["main...review", "--pr", "3"], {"GITHUB_REPOSITORY": REPO}, "GITHUB_TOKEN is not set"),
        (
            ["main...review", "--pr", "3", "--repo", "no-slash"],
            {"GITHUB_TOKEN": "t"},
            "--repo: 'no-slash' is not OWNER/NAME",
        ),
        (
            ["main...nowhere", "--pr", "3"],
            {"GITHUB_REPOSITORY": REPO, "GITHUB_TOKEN": "t"},
            "'main...nowhere': unknown revision",
        ),
        (
            ["main...review", "--pr", "3"],
            {"GITHUB_REPOSITORY": REPO, "GITHUB_TOKEN": "t", "GITHUB_EVENT_PATH": "/nonexistent"},
            "GITHUB_EVENT_PATH: cannot read the event /nonexistent",
        ),
        (
            ["main...review", "--pr", "3", "--api-url", "ftp://example.com"],
            {"GITHUB_REPOSITORY": REPO, "GITHUB_TOKEN": "t"},
            "ftp://example.com: not an http(s) URL of an API",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    forge: Forge,
    work: Path,
    bp: Runner,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = bp(work, "comment", "github", *args)
    assert result.code == 2
    assert result.err.startswith(f"git-blueprint: error: {message}")
    assert result.err.count("\n") == 1
    assert forge.requests == []


def test_an_unreachable_api_is_one_line(
    work: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch, forge: Forge
) -> None:
    with fake_forge() as gone:
        url = gone.url
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    result = bp(work, "comment", "github", "main...review", "--repo", REPO, "--pr", "1",
                "--api-url", url)  # fmt: skip
    assert result.code == 2
    assert result.err.startswith(f"git-blueprint: error: GET {url}/repos/acme/designs/issues/1/")
    assert "cannot reach the API" in result.err
    assert result.err.count("\n") == 1


def test_a_next_page_on_another_host_is_not_followed(
    forge: Forge, work: Path, tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge.seed(PR, "a", "b", "c")
    forge.next_host = "http://elsewhere.invalid"
    github_env(monkeypatch, forge, event(tmp_path, work))
    result = bp(work, "comment", "github")
    assert result.code == 2
    assert "the next page is on another host; not followed" in result.err
    assert len(forge.requests) == 1


def test_link_headers() -> None:
    assert next_link('<https://x/a?page=2>; rel="next", <https://x/a?page=9>; rel="last"') == (
        "https://x/a?page=2"
    )
    assert next_link('<https://x/a?page=1>; rel="prev", <https://x/a?page=3>; rel=next') == (
        "https://x/a?page=3"
    )
    assert next_link('<https://x/a?page=9>; rel="last"') is None
    assert next_link("") is None


# --- GitLab -------------------------------------------------------------------------------


def gitlab_env(monkeypatch: pytest.MonkeyPatch, forge: Forge, work: Path) -> None:
    monkeypatch.setenv("CI_API_V4_URL", forge.gitlab_url)
    monkeypatch.setenv("CI_MERGE_REQUEST_PROJECT_ID", "42")
    monkeypatch.setenv("CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "42")
    monkeypatch.setenv("CI_MERGE_REQUEST_IID", "7")
    monkeypatch.setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", git(work, "rev-parse", "main").strip())
    monkeypatch.setenv("CI_COMMIT_SHA", git(work, "rev-parse", "review").strip())
    monkeypatch.setenv("GITLAB_TOKEN", "glpat-secret")


def test_gitlab_creates_one_note_then_updates_it(
    forge: Forge, work: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge.seed(MR, "added 1 commit", system=True)
    forge.seed(MR, f"{MARKER}\nquoted by a system note", system=True)
    forge.seed(MR, "Please look at the retries")
    gitlab_env(monkeypatch, forge, work)

    first = bp(work, "comment", "gitlab")
    assert first.out == f"{MR}: blueprint diff comment created\n", first.err
    [post] = forge.writes()
    assert (post.method, post.path) == ("POST", "/api/v4/projects/42/merge_requests/7/notes")
    assert post.headers["private-token"] == "glpat-secret"
    assert post.body["body"].startswith(f"{MARKER}\n## Blueprint changes\n")
    gets = [r.path for r in forge.requests if r.method == "GET"]
    assert gets[0] == "/api/v4/projects/42/merge_requests/7/notes?per_page=100&sort=asc&order_by=created_at"
    assert len(gets) == 2  # three notes, two a page

    monkeypatch.setenv("CI_COMMIT_SHA", git(work, "rev-parse", "main").strip())
    second = bp(work, "comment", "gitlab")
    assert second.out == f"{MR}: blueprint diff comment updated\n", second.err
    note_id = forge.threads[MR][-1]["id"]
    assert [(w.method, w.path) for w in forge.writes()][1:] == [
        ("PUT", f"/api/v4/projects/42/merge_requests/7/notes/{note_id}")
    ]
    assert forge.threads[MR][-1]["body"].endswith("No blueprint changed.\n")


def test_gitlab_a_project_path_is_quoted(
    forge: Forge, work: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge.seed("group%2Fdesigns!3", "hi")
    monkeypatch.setenv("GITLAB_TOKEN", "glpat-secret")
    result = bp(work, "comment", "gitlab", "main...review", "--project", "group/designs",
                "--mr", "3", "--api-url", forge.gitlab_url)  # fmt: skip
    assert result.out == "group/designs!3: blueprint diff comment created\n", result.err


def test_gitlab_403_says_what_the_token_lacks(
    forge: Forge, work: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge.seed(MR, "hi")
    forge.refuse["POST"] = 403
    gitlab_env(monkeypatch, forge, work)
    result = bp(work, "comment", "gitlab")
    assert result.code == 2
    assert result.err.startswith("git-blueprint: error: GitLab refused to add a note to 42!7: 403")
    assert "api scope and at least the Reporter role (CI_JOB_TOKEN cannot write notes)" in result.err
    assert result.err.count("\n") == 1


def test_gitlab_without_a_token(
    forge: Forge, work: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    gitlab_env(monkeypatch, forge, work)
    monkeypatch.delenv("GITLAB_TOKEN")
    result = bp(work, "comment", "gitlab")
    assert result.code == 2
    assert result.err.startswith("git-blueprint: error: GITLAB_TOKEN is not set: a project access")

    # A fork's pipeline has none of the target project's variables: said, and no failure.
    monkeypatch.setenv("CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "99")
    result = bp(work, "comment", "gitlab")
    assert result.code == 0
    assert result.err.startswith("git-blueprint: a merge request from a fork: GITLAB_TOKEN")
    assert forge.requests == []
