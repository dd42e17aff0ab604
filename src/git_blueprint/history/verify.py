"""``bp verify``: every commit of a range against its parents, through the workflow rules.
Used by the command, by CI, and by the pre-push and pre-receive hooks.

Standard library only (PyYAML for the config).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from pathlib import Path

from git_blueprint.core.config import Config
from git_blueprint.core.paths import Layout
from git_blueprint.core.workflow import Actor, Version, Violation, check_change
from git_blueprint.errors import UsageError
from git_blueprint.git.log import Commit, LogStream
from git_blueprint.git.objects import Blobs
from git_blueprint.git.rawdiff import ZERO_SHAS, Change
from git_blueprint.git.repo import is_shallow, shallow_commits
from git_blueprint.history.facts import Fact, FactCache, facts_of
from git_blueprint.history.progress import silent
from git_blueprint.history.signers import signed_actor, signer_of
from git_blueprint.store.config import blueprint_layout
from git_blueprint.values import Record, field

# At most this many characters of texts read ahead are kept for counting placeholders.
_KEPT_TEXT_BUDGET = 4 << 20

TYPE_CHECKING = False
if TYPE_CHECKING:
    from git_blueprint.history.progress import Meters


class Verifier(Record):
    """Checks commits; ``base`` is the revision the config (when not given) and the allowed
    signers are read from — never the commits being checked."""

    cwd: Path
    git_dir: Path
    config: Config
    base: str | None = None
    work_tree: Path | None = None
    checked: int = 0
    violations: list[Violation] = field(default_factory=list)
    cache_dir: Path | None = None
    mispredicted: int = 0  # blob reads that came out of the expected order (see Blobs)
    layout: Layout = field(init=False)
    facts: FactCache = field(init=False)
    # During a run: blob id -> (facts, placeholder count or None, text or None) of the
    # blobs read ahead (see _read_ahead), and the characters of the texts kept there.
    _ahead: dict[str, tuple[Fact, int | None, str | None]] = field(init=False, default_factory=dict)
    _kept: int = field(init=False, default=0)
    _signers: dict[str, Actor] = field(init=False, default_factory=dict)  # commit -> signed

    def __post_init__(self) -> None:
        self.layout = blueprint_layout(self.config, self.work_tree)
        self.facts = FactCache(self.cache_dir, self.config.names)

    def is_blueprint(self, path: str) -> bool:
        return self.layout.is_blueprint(path)

    def blueprint_id(self, path: str) -> str:
        return self.layout.blueprint_id(path)

    def run(self, revisions: Sequence[str], meters: Meters = silent) -> list[Violation]:
        found: list[Violation] = []
        objects = Blobs(self.cwd)
        try:
            commits = self._read_ahead(revisions, objects, meters)
            self._refuse_shallow(commits)
            commits.reverse()  # oldest first, as they were made
            progress = meters("verifying commits", len(commits))
            for n, commit in enumerate(commits, 1):
                self.checked += 1
                found.extend(self.check_commit(commit, objects))
                progress.step(n)
        finally:
            objects.close()
            self.mispredicted += objects.mispredicted
            self._ahead.clear()
            self._kept = 0
        progress.done()
        self.facts.save()
        self.violations.extend(found)
        return found

    def _read_ahead(self, revisions: Sequence[str], objects: Blobs, meters: Meters) -> list[Commit]:
        """The commits of the range, newest first, as git writes them; and, while git goes
        on, the facts of the blueprint blobs they name that are not cached, read through
        ``objects`` and kept in :attr:`_ahead` (not in the cache: :meth:`version` puts
        them there in the order the checks meet them, so the cache is written as before).

        Blobs are asked for as soon as a commit names them and worked on while git writes
        the older commits: git's time overlaps this process's instead of preceding it."""
        progress = meters("reading commits", 0)
        stream = LogStream(self.cwd, revisions, self.layout.pathspec())
        commits: list[Commit] = []
        asked: deque[str] = deque()  # ids asked of ``objects``, answers not yet read
        seen = set(ZERO_SHAS)
        try:
            while True:
                got = stream.poll(0 if asked else None)
                if got:  # what git wrote comes first: the requests go out early
                    commits += got
                    fresh = self._reads(got, seen)
                    objects.expect(fresh)
                    asked += fresh
                    progress.step(len(commits))
                    continue
                if asked:
                    for _ in range(min(len(asked), 8)):
                        sha = asked.popleft()
                        self._work_ahead(sha, objects.read(sha))
                elif stream.finished:
                    break
        finally:
            stream.close()
        progress.done()
        return commits

    def _reads(self, commits: list[Commit], seen: set[str]) -> list[str]:
        """The blobs :meth:`check_commit` will need the facts of over ``commits`` that are
        neither cached nor in ``seen`` (which learns them), in the order the commits name
        them (see :meth:`version`; a change of no blueprint path reads nothing)."""
        out: list[str] = []
        cached = self.facts.facts  # cheapest test first: in a warm run every fact is cached
        for commit in commits:
            for change in commit.changes:
                if not change.deleted:
                    sha = change.new_sha
                    if sha not in cached and sha not in seen and self.is_blueprint(change.path):
                        seen.add(sha)
                        out.append(sha)
                for sha in change.old_shas:
                    if sha not in cached and sha not in seen and self.is_blueprint(change.old_path):
                        seen.add(sha)
                        out.append(sha)
        return out

    def _work_ahead(self, sha: str, data: bytes | None) -> None:
        """The facts of one blob for :attr:`_ahead`. What cannot be had here (the object
        is missing; its text breaks the reader) is left to :meth:`version`, to fail where
        and as it always did: after the shallow check, in the order of the commits."""
        if data is None:
            return
        text = data.decode("utf-8", "replace")
        try:
            fact = facts_of(text, self.config.names)
        except Exception:
            return
        kept: str | None = None
        placeholders: int | None = None
        raw = fact[0]
        if raw is not None and self.config.canonical_status(raw) in self.config.require_complete:
            # Placeholders are counted for a version entering such a status: with no
            # candidate for one in the text there are none; else keep the text, up to a
            # budget (beyond it, the count reads it again).
            from git_blueprint.core.lint import may_hold_placeholders

            if not may_hold_placeholders(text):
                placeholders = 0
            elif self._kept + len(text) <= _KEPT_TEXT_BUDGET:
                kept = text
                self._kept += len(text)
        self._ahead[sha] = (fact, placeholders, kept)

    def _refuse_shallow(self, commits: list[Commit]) -> None:
        if not commits or not is_shallow(self.cwd):
            return
        cut = shallow_commits(self.git_dir)
        for commit in commits:
            if commit.sha in cut:
                raise UsageError(
                    f"history is missing: this clone is shallow and the parents of "
                    f"{commit.sha[:12]} are not here, so its changes cannot be checked; "
                    "fetch the full history (git fetch --unshallow; in CI, fetch-depth: 0)"
                )

    def version(self, objects: Blobs, path: str, sha: str) -> Version | None:
        if sha in ZERO_SHAS or not self.is_blueprint(path):
            return None

        def load() -> str:
            data = objects.read(sha)
            if data is None:
                raise UsageError(f"history is missing: object {sha[:12]} of {path} is not here")
            return data.decode("utf-8", "replace")

        ahead = self._ahead.get(sha)
        fact = self.facts.get(sha)
        if ahead is not None:
            if fact is None:
                fact = ahead[0]
                self.facts.put(sha, fact)
            return Version(path, fact, ahead[2], load=load, placeholders=ahead[1])
        if fact is not None:
            return Version(path, fact, load=load)
        text = load()
        fact = facts_of(text, self.config.names)
        self.facts.put(sha, fact)
        return Version(path, fact, text)

    def check_commit(self, commit: Commit, objects: Blobs) -> list[Violation]:
        actor = Actor(commit.author_name, commit.author_email)
        found: list[Violation] = []
        for change in commit.changes:
            if not (self.is_blueprint(change.path) or self.is_blueprint(change.old_path)):
                continue
            found.extend(self.check_file(commit, change, actor, objects))
        return found

    def check_file(
        self, commit: Commit, change: Change, actor: Actor, objects: Blobs
    ) -> list[Violation]:
        new = None if change.deleted else self.version(objects, change.path, change.new_sha)
        shown = change.path if new is not None or not change.deleted else change.old_path
        bid = self.blueprint_id(shown if self.is_blueprint(shown) else change.old_path)
        seen: dict[tuple[str, str], Violation] = {}
        for old_sha in change.old_shas:
            old = self.version(objects, change.old_path, old_sha)
            who = self._signed_actor(commit, actor) if self._enters_judged(old, new) else actor
            for v in check_change(old, new, self.config, who, bid):
                seen.setdefault((v.rule, v.path), _with_commit(v, commit.sha))
        return list(seen.values())

    def _enters_judged(self, old: Version | None, new: Version | None) -> bool:
        """Whether the change enters a status whose rules read the signature: a ``signed``
        one, or a ``four_eyes`` one (a good signature names who approved)."""
        if new is None or old is None:
            return False
        judged = (*self.config.signed, *self.config.four_eyes)
        if not judged:
            return False
        target = new.status(self.config)
        return target in judged and old.status(self.config) != target

    def _signed_actor(self, commit: Commit, actor: Actor) -> Actor:
        cached = self._signers.get(commit.sha)
        if cached is None:
            base = self.base or (commit.parents[0] if commit.parents else None)
            signer = signer_of(self.cwd, commit.sha, base, self.config.allowed_signers)
            cached = self._signers[commit.sha] = signed_actor(actor, signer)
        return cached


def _with_commit(v: Violation, sha: str) -> Violation:
    return Violation(v.rule, v.path, v.message, v.fix, v.old_status, v.new_status, sha)
