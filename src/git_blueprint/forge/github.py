"""A pull request's comments through GitHub's REST API: listed from
``/repos/{owner}/{repo}/issues/{number}/comments`` (100 a page), created there, edited at
``/repos/{owner}/{repo}/issues/comments/{id}``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from git_blueprint.errors import ForgeError, UsageError
from git_blueprint.forge.http import Api, explained
from git_blueprint.forge.sticky import Note

DEFAULT_API = "https://api.github.com"
_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
HINTS = {
    401: "the token was not accepted: check GITHUB_TOKEN",
    403: "the token needs the pull-requests: write permission "
    "(in the workflow: 'permissions: pull-requests: write')",
    404: "no such pull request, or the token cannot see the repository: check --repo and --pr",
}


class PullRequest:
    """The comments of pull request ``number`` of ``repo`` (``owner/name``), through the
    API at ``base_url`` with ``token``."""

    def __init__(self, base_url: str, token: str, repo: str, number: int) -> None:
        if not _REPO.fullmatch(repo):
            raise UsageError(f"--repo: '{repo}' is not OWNER/NAME")
        self.api = Api(
            base_url,
            {
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {token}",
                "X-GitHub-Api-Version": "2022-11-28",
            },
        )
        self.repo = repo
        self.number = number
        self.where = f"{repo}#{number}"

    def notes(self) -> Iterator[Note]:
        path = f"/repos/{self.repo}/issues/{self.number}/comments?per_page=100"
        with explained("GitHub", f"list the comments of {self.where}", HINTS):
            for item in self.api.pages(path):
                yield _note(item)

    def create(self, body: str) -> None:
        path = f"/repos/{self.repo}/issues/{self.number}/comments"
        with explained("GitHub", f"comment on {self.where}", HINTS):
            self.api.call("POST", path, {"body": body})

    def update(self, note_id: str, body: str) -> None:
        path = f"/repos/{self.repo}/issues/comments/{note_id}"
        with explained("GitHub", f"edit comment {note_id} of {self.where}", HINTS):
            self.api.call("PATCH", path, {"body": body})


def _note(item: Any) -> Note:
    if not isinstance(item, dict) or "id" not in item:
        raise ForgeError("GitHub listed a comment without an id")
    body = item.get("body")
    return Note(str(item["id"]), body if isinstance(body, str) else "")
