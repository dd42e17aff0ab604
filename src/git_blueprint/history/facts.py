"""What the workflow and the timeline need to know of a blob — its status, Author and a
hash of its content without the metadata lines — kept in the git folder between runs.

A blob never changes, so facts keyed by its object id stay true; they depend only on the
metadata names in the config, which key the whole file. A second `bp verify` or `bp log`
over the same history reads no blob and scans no Markdown. Standard library only.
"""

from __future__ import annotations

from pathlib import Path

from git_blueprint.core.config import MetadataNames
from git_blueprint.core.content import hash_in_bulk
from git_blueprint.core.stamp import Fact, facts_of
from git_blueprint.store.atomic import load_cache, save_cache

__all__ = ["CACHE_NAME", "Fact", "FactCache", "facts_of"]

CACHE_NAME = "blueprint-facts.cache"
_CACHE_KIND = "git-blueprint/facts/1"


class FactCache:
    """Blob id -> :data:`Fact`, loaded once, written back once when it grew."""

    def __init__(self, folder: Path | None, names: MetadataNames) -> None:
        hash_in_bulk()  # whoever keeps facts reads many versions
        self.path = folder / CACHE_NAME if folder is not None else None
        self.names = names
        self.facts: dict[str, Fact] = {}
        self.added = 0
        if self.path is None:
            return
        stored = load_cache(self.path, _CACHE_KIND)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == names.key():
            facts = stored[1]
            if isinstance(facts, dict):
                self.facts = facts

    def get(self, sha: str) -> Fact | None:
        return self.facts.get(sha)

    def put(self, sha: str, fact: Fact) -> None:
        self.facts[sha] = fact
        self.added += 1

    def save(self) -> None:
        if self.path is None or not self.added:
            return
        save_cache(self.path, _CACHE_KIND, (self.names.key(), self.facts))
