"""One comment a pull request, kept up to date: found again by the marker its body starts
with, created when there is something to say, edited in place after that."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from git_blueprint.values import Record

# Hidden in the rendered comment; what a later run looks for.
MARKER = "<!-- git-blueprint:diff -->"


class Note(Record, frozen=True):
    """A comment already on the thread: the forge's id for it, and its Markdown."""

    id: str
    body: str


class Thread(Protocol):
    """The comments of one pull request or merge request, as a forge keeps them; ``where``
    names it for the user (``owner/name#12``, ``group/name!7``)."""

    where: str

    def notes(self) -> Iterable[Note]: ...

    def create(self, body: str) -> None: ...

    def update(self, note_id: str, body: str) -> None: ...


def sticky_body(markdown: str) -> str:
    return f"{MARKER}\n{markdown}"


def post_sticky(thread: Thread, markdown: str, changed: bool) -> str:
    """Create or update the one comment; returns what was done: ``created``, ``updated``,
    ``unchanged``, or ``none`` (nothing changed and no comment of ours was there yet, so
    none is started)."""
    body = sticky_body(markdown)
    ours = next((n for n in thread.notes() if n.body.lstrip().startswith(MARKER)), None)
    if ours is None:
        if not changed:
            return "none"
        thread.create(body)
        return "created"
    # Forges may store the body with CRLF line ends.
    if ours.body.replace("\r\n", "\n").strip() == body.strip():
        return "unchanged"
    thread.update(ours.id, body)
    return "updated"
