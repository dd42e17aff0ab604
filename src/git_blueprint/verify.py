"""``bp verify``: every commit of a range against its parents, through the workflow rules.
Used by the command, by CI, and by the pre-push and pre-receive hooks.

Standard library only (PyYAML for the config).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from git_blueprint.config import CONFIG_NAME, Config, parse_config_bytes
from git_blueprint.errors import UsageError
from git_blueprint.factcache import FactCache, facts_of
from git_blueprint.gitrepo import ZERO_SHAS, run_git
from git_blueprint.history import (
    Blobs,
    Commit,
    FileChange,
    is_shallow,
    read_log,
    shallow_commits,
)
from git_blueprint.workflow import Actor, Version, Violation, check_change
from git_blueprint.workspace import Layout


def config_at(cwd: Path | str, rev: str | None) -> Config:
    """The config as committed in ``rev`` (the defaults when it has none)."""
    if rev is None:
        return Config()
    proc = run_git(["cat-file", "blob", f"{rev}:{CONFIG_NAME}"], cwd, check=False)
    if proc.returncode != 0:
        return Config()
    return parse_config_bytes(proc.stdout, f"{rev[:12]}:{CONFIG_NAME}")


@dataclass
class Verifier:
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

    def __post_init__(self) -> None:
        self.layout = Layout.of(self.config, self.work_tree)
        self.facts = FactCache(self.cache_dir, self.config.names)

    def is_blueprint(self, path: str) -> bool:
        return self.layout.is_blueprint(path)

    def blueprint_id(self, path: str) -> str:
        return self.layout.blueprint_id(path)

    def run(self, revisions: Sequence[str], show_progress: bool = False) -> list[Violation]:
        from git_blueprint.output import Progress

        commits = list(read_log(self.cwd, revisions, self.layout.pathspec()))
        self._refuse_shallow(commits)
        commits.reverse()  # oldest first, as they were made
        progress = Progress("verifying commits", len(commits), show_progress)
        found: list[Violation] = []
        objects = Blobs(self.cwd, self._reads(commits))
        try:
            for n, commit in enumerate(commits, 1):
                self.checked += 1
                found.extend(self.check_commit(commit, objects))
                progress.step(n)
        finally:
            objects.close()
            self.mispredicted += objects.mispredicted
        progress.done()
        self.facts.save()
        self.violations.extend(found)
        return found

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

    def _reads(self, commits: list[Commit]) -> list[str]:
        """The blobs :meth:`check_commit` will read over ``commits``, in the order it reads
        them: the first sight of each blob whose facts are not cached (see :meth:`version`;
        a change of no blueprint path reads nothing)."""
        out: list[str] = []
        skip = set(ZERO_SHAS)  # cheapest test first: in a warm run every fact is cached
        cached = self.facts.facts
        for commit in commits:
            for change in commit.changes:
                if not change.deleted:
                    sha = change.new_sha
                    if sha not in cached and sha not in skip and self.is_blueprint(change.path):
                        skip.add(sha)
                        out.append(sha)
                for sha in change.old_shas:
                    if sha not in cached and sha not in skip and self.is_blueprint(change.old_path):
                        skip.add(sha)
                        out.append(sha)
        return out

    def version(self, objects: Blobs, path: str, sha: str) -> Version | None:
        if sha in ZERO_SHAS or not self.is_blueprint(path):
            return None

        def load() -> str:
            data = objects.read(sha)
            if data is None:
                raise UsageError(f"history is missing: object {sha[:12]} of {path} is not here")
            return data.decode("utf-8", "replace")

        fact = self.facts.get(sha)
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
        self, commit: Commit, change: FileChange, actor: Actor, objects: Blobs
    ) -> list[Violation]:
        new = None if change.deleted else self.version(objects, change.path, change.new_sha)
        shown = change.path if new is not None or not change.deleted else change.old_path
        bid = self.blueprint_id(shown if self.is_blueprint(shown) else change.old_path)
        seen: dict[tuple[str, str], Violation] = {}
        for old_sha in change.old_shas:
            old = self.version(objects, change.old_path, old_sha)
            who = self._signed_actor(commit, actor) if self._enters_signed(old, new) else actor
            for v in check_change(old, new, self.config, who, bid):
                seen.setdefault((v.rule, v.path), _with_commit(v, commit.sha))
        return list(seen.values())

    def _enters_signed(self, old: Version | None, new: Version | None) -> bool:
        if new is None or old is None or not self.config.signed:
            return False
        target = new.status(self.config)
        return target in self.config.signed and old.status(self.config) != target

    def _signed_actor(self, commit: Commit, actor: Actor) -> Actor:
        base = self.base or (commit.parents[0] if commit.parents else None)
        return Actor(
            actor.name,
            actor.email,
            signature_state(self.cwd, commit.sha, base, self.config.allowed_signers),
        )


def _with_commit(v: Violation, sha: str) -> Violation:
    return Violation(v.rule, v.path, v.message, v.fix, v.old_status, v.new_status, sha)


def signature_state(cwd: Path | str, sha: str, base: str | None, signers_path: str) -> str:
    """``%G?`` of ``sha``, with the allowed signers as committed in ``base`` (never as in
    the commit being judged). No base or no file there: nobody is allowed ('U' at best)."""
    import tempfile

    content = b""
    if base is not None:
        proc = run_git(["cat-file", "blob", f"{base}:{signers_path}"], cwd, check=False)
        if proc.returncode == 0:
            content = proc.stdout
    with tempfile.TemporaryDirectory(prefix="bp-signers-") as tmp:
        signers = os.path.join(tmp, "allowed_signers")
        with open(signers, "wb") as fh:
            fh.write(content)
        proc = run_git(
            ["-c", f"gpg.ssh.allowedSignersFile={signers}", "log", "-1", "--format=%G?", sha],
            cwd,
            check=False,
        )
    state = proc.stdout.decode().strip()
    return state or "N"
