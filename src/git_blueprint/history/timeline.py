"""``bp log``: the status timeline read back out of history (docs/workflow.md) — from the
``Blueprint-Status`` trailers, and from the content of commits that carry none, following
renames. One ``git log --raw`` and one ``git cat-file --batch``."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from git_blueprint.core.config import Config
from git_blueprint.core.paths import Layout
from git_blueprint.git.log import Commit, read_log
from git_blueprint.git.objects import Blobs
from git_blueprint.git.rawdiff import ZERO_SHAS, Change, parse_raw_diff
from git_blueprint.git.repo import first_parent, read_blob, renames_between
from git_blueprint.history.facts import FactCache, facts_of
from git_blueprint.history.progress import silent
from git_blueprint.history.signers import signers_at
from git_blueprint.store.config import blueprint_layout
from git_blueprint.values import Record, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from git_blueprint.history.progress import Meters


class Event(Record, frozen=True):
    date: str
    id: str
    path: str
    old: str | None
    new: str | None
    author: tuple[str, str]
    committer: tuple[str, str]
    commit: str
    source: str  # trailer | content
    signature: str = "N"
    signer: str = ""  # for a good SSH signature, the principal its key is listed under

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "id": self.id,
            "path": self.path,
            "from": self.old,
            "to": self.new,
            "author": {"name": self.author[0], "email": self.author[1]},
            "committer": {"name": self.committer[0], "email": self.committer[1]},
            "commit": self.commit,
            "signature": self.signature,
            "signer": self.signer if self.signature == "G" else None,
            "source": self.source,
        }


class Timeline(Record):
    cwd: Path
    config: Config
    cache_dir: Path | None = None
    mispredicted: int = 0  # blob reads that came out of the expected order (see Blobs)
    layout: Layout = field(init=False)
    facts: FactCache = field(init=False)

    def __post_init__(self) -> None:
        self.layout = blueprint_layout(self.config, self.cwd)
        self.facts = FactCache(self.cache_dir, self.config.names)

    def is_blueprint(self, path: str) -> bool:
        return self.layout.is_blueprint(path)

    def to_id(self, path: str) -> str:
        return self.layout.blueprint_id(path)

    def _status(self, objects: Blobs, sha: str) -> str | None:
        if sha in ZERO_SHAS:
            return None
        fact = self.facts.get(sha)
        if fact is None:
            data = objects.read(sha)
            if data is None:
                return None
            fact = facts_of(data.decode("utf-8", "replace"), self.config.names)
            self.facts.put(sha, fact)
        raw = fact[0]
        return None if raw is None else (self.config.canonical_status(raw) or raw)

    def events(self, path: str | None = None, meters: Meters = silent) -> list[Event]:
        """Oldest first. With ``path``, that blueprint's events under all its names."""
        # Signatures are judged by the allowed signers as committed at HEAD, as `bp verify`
        # judges a range by its base's; without that file, by the repository's own config.
        committed = read_blob(self.cwd, "HEAD", self.config.allowed_signers) is not None
        signers_file = (
            signers_at(self.cwd, "HEAD", self.config.allowed_signers)
            if committed
            else contextlib.nullcontext(None)
        )
        with signers_file as signers:
            if path is None:
                commits = list(
                    read_log(
                        self.cwd,
                        ["HEAD"],
                        self.layout.pathspec(),
                        signatures=True,
                        allowed_signers=signers,
                    )
                )
            else:
                commits = self._history_of(path, signers)
        progress = meters("reading history", len(commits))
        alias: dict[str, str] = {}  # a path as it was -> the path it has now
        found: list[Event] = []
        objects = Blobs(self.cwd, self._reads(commits))
        try:
            for n, commit in enumerate(commits, 1):  # newest first: renames known before
                for change in commit.changes:
                    if change.status == "R":
                        alias[change.old_path] = alias.get(change.path, change.path)
                found.extend(reversed(self._commit_events(commit, objects, alias)))
                progress.step(n)
        finally:
            objects.close()
            self.mispredicted += objects.mispredicted
        progress.done()
        self.facts.save()
        found.reverse()
        if path is not None:
            found = [e for e in found if alias.get(e.path, e.path) == path or e.path == path]
        return found

    def _history_of(self, path: str, signers: str | None) -> list[Commit]:
        """The commits of one path across its renames. Path-limited logs, one per name the
        file had: where a log ends on the commit that added the path, that commit's own
        diff says whether it was a rename (``--follow`` does this for every commit, and
        costs several times as much)."""
        commits: list[Commit] = []
        rev, current = "HEAD", path
        while True:
            chunk = list(
                read_log(self.cwd, [rev], [current], signatures=True, allowed_signers=signers)
            )
            commits.extend(chunk)
            if not chunk or not chunk[-1].parents:
                return commits
            oldest = chunk[-1]
            added = [
                i for i, c in enumerate(oldest.changes) if c.path == current and c.status == "A"
            ]
            if not added:
                return commits
            data = renames_between(self.cwd, oldest.parents[0], oldest.sha)
            renames = [c for c in parse_raw_diff(data) if c.status == "R" and c.path == current]
            if not renames:
                return commits
            r = renames[0]
            oldest.changes[added[0]] = Change(
                "R", r.old_path, current, r.old_shas, r.new_sha, r.old_modes, r.new_mode
            )
            rev, current = oldest.parents[0], r.old_path

    def _trailer_moves(self, commit: Commit) -> dict[str, tuple[str, str]]:
        """path -> (from, to) of each ``Blueprint``/``Blueprint-Status`` trailer pair that
        names a blueprint the commit changed: a trailer about a file the commit left alone
        says nothing."""
        changed = {change.path for change in commit.changes}
        out: dict[str, tuple[str, str]] = {}
        for bid, move in zip(commit.trailer_ids, commit.trailer_moves, strict=False):
            before, sep, after = move.partition("->")
            path = f"{self.layout.prefix}{bid}.md"
            if sep and path in changed:
                out[path] = (before.strip(), after.strip())
        return out

    def _changes_read(self, commit: Commit) -> Iterator[tuple[Change, bool, bool]]:
        """The blueprints the commit changed: each with whether its new and its old blob
        are read (a trailer is believed only where the content agrees, so both are)."""
        for change in commit.changes:
            if not self.is_blueprint(change.path) and not self.is_blueprint(change.old_path):
                continue
            yield (
                change,
                not change.deleted and self.is_blueprint(change.path),
                self.is_blueprint(change.old_path),
            )

    def _reads(self, commits: list[Commit]) -> list[str]:
        """The blobs :meth:`_status` will read over ``commits``, in the order it reads them:
        the first sight of each blob whose facts are not cached."""
        out: list[str] = []
        seen: set[str] = set()
        for commit in commits:
            for change, new, old in self._changes_read(commit):
                for sha in (change.new_sha if new else None, change.old_shas[0] if old else None):
                    if sha is None or sha in ZERO_SHAS or sha in seen:
                        continue
                    if self.facts.get(sha) is None:
                        seen.add(sha)
                        out.append(sha)
        return out

    def _commit_events(self, commit: Commit, objects: Blobs, alias: dict[str, str]) -> list[Event]:
        def event(path: str, old: str | None, new: str | None, source: str) -> Event:
            # The id is the blueprint's as it is named now; the path, the one the commit
            # changed (its name then).
            now = alias.get(path, path)
            return Event(
                commit.committer_date,
                self.to_id(now),
                path,
                old,
                new,
                (commit.author_name, commit.author_email),
                (commit.committer_name, commit.committer_email),
                commit.sha,
                source,
                commit.signature,
                commit.signer,
            )

        trailers = self._trailer_moves(commit)
        out: list[Event] = []
        for change, read_new, read_old in self._changes_read(commit):
            new = self._status(objects, change.new_sha) if read_new else None
            old_sha = change.old_shas[0]
            old = self._status(objects, old_sha) if read_old else None
            added = old_sha in ZERO_SHAS or not read_old
            if old != new or (added and new is not None) or change.deleted:
                said = trailers.get(change.path)
                agrees = said is not None and _same_move(said, (old, new))
                out.append(event(change.path, old, new, "trailer" if agrees else "content"))
        return out


class Version(Record, frozen=True):
    """One commit's change of one blueprint: ``change`` carries its old and new blob and
    path (for a merge, against the first parent)."""

    commit: Commit
    change: Change


def versions(cwd: Path, config: Config, path: str) -> list[Version]:
    """Every commit that changed the blueprint at ``path``, under every name it had,
    oldest first: one path-limited ``git log --raw`` per name."""
    timeline = Timeline(cwd, config)
    out: list[Version] = []
    current = path
    for commit in timeline._history_of(path, None):  # newest first
        for change in commit.changes:
            if change.path == current:
                out.append(Version(commit, change))
                if change.status == "R":
                    current = change.old_path
                break
    out.reverse()
    return out


def _same_move(said: tuple[str, str], read: tuple[str | None, str | None]) -> bool:
    """Whether a trailer's ``from -> to`` is the move the content shows."""
    return all(
        (a or "").casefold() == (b or "").casefold() for a, b in zip(said, read, strict=True)
    )


def renamed_to(cwd: Path, sha: str, path: str) -> str | None:
    """Where commit ``sha`` moved ``path`` to, when it renamed it (as ``git diff -M``
    sees it); None when it deleted it."""
    parent = first_parent(cwd, sha)
    if parent is None:
        return None
    for change in parse_raw_diff(renames_between(cwd, parent, sha)):
        if change.status == "R" and change.old_path == path:
            return change.path
    return None
