"""A merge request's notes through GitLab's REST API (v4): listed from
``/projects/:id/merge_requests/:iid/notes`` (100 a page), created there, edited at
``…/notes/:note_id``. GitLab's own system notes ("added 1 commit") are never ours."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

from git_blueprint.errors import ForgeError
from git_blueprint.forge.http import Api, explained
from git_blueprint.forge.sticky import Note

DEFAULT_API = "https://gitlab.com/api/v4"
HINTS = {
    401: "the token was not accepted: check GITLAB_TOKEN (CI_JOB_TOKEN cannot write notes)",
    403: "the token cannot write notes: it needs the api scope and at least the Reporter "
    "role (CI_JOB_TOKEN cannot write notes)",
    404: "no such merge request, or the token cannot see the project: check --project and --mr",
}


class MergeRequest:
    """The notes of merge request ``iid`` of ``project`` (an id, or a path such as
    ``group/name``), through the API at ``base_url`` with ``token``."""

    def __init__(self, base_url: str, token: str, project: str, iid: int) -> None:
        self.api = Api(base_url, {"PRIVATE-TOKEN": token})
        self.project = project
        self.iid = iid
        self.where = f"{project}!{iid}"
        self._notes = f"/projects/{urllib.parse.quote(project, safe='')}/merge_requests/{iid}/notes"

    def notes(self) -> Iterator[Note]:
        with explained("GitLab", f"list the notes of {self.where}", HINTS):
            for item in self.api.pages(f"{self._notes}?per_page=100&sort=asc&order_by=created_at"):
                if not isinstance(item, dict) or "id" not in item:
                    raise ForgeError("GitLab listed a note without an id")
                if item.get("system"):
                    continue
                body = item.get("body")
                yield Note(str(item["id"]), body if isinstance(body, str) else "")

    def create(self, body: str) -> None:
        with explained("GitLab", f"add a note to {self.where}", HINTS):
            self.api.call("POST", self._notes, {"body": body})

    def update(self, note_id: str, body: str) -> None:
        with explained("GitLab", f"edit note {note_id} of {self.where}", HINTS):
            self.api.call("PUT", f"{self._notes}/{note_id}", {"body": body})
