"""What the workflow and the timeline need to know of a blob — its status, Author and a
hash of its content without the metadata lines — kept in the git folder between runs.

A blob never changes, so facts keyed by its object id stay true; they depend only on the
metadata names in the config, which key the whole file. A second `bp verify` or `bp log`
over the same history reads no blob and scans no Markdown. Standard library only.
"""

from __future__ import annotations

import json
from pathlib import Path

from git_blueprint.config import MetadataNames
from git_blueprint.stamp import Fact, facts_of
from git_blueprint.text import hash_in_bulk

__all__ = ["CACHE_NAME", "Fact", "FactCache", "facts_of"]

CACHE_NAME = "blueprint-facts.json"
VERSION = 1


def _names_key(names: MetadataNames) -> str:
    return json.dumps([names.footer, names.front_matter], sort_keys=True)


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
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            if stored.get("version") == VERSION and stored.get("names") == _names_key(names):
                self.facts = {k: (v[0], v[1], v[2]) for k, v in stored["facts"].items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self.facts = {}

    def get(self, sha: str) -> Fact | None:
        return self.facts.get(sha)

    def put(self, sha: str, fact: Fact) -> None:
        self.facts[sha] = fact
        self.added += 1

    def save(self) -> None:
        if self.path is None or not self.added:
            return
        data = {
            "version": VERSION,
            "names": _names_key(self.names),
            "facts": {k: list(v) for k, v in self.facts.items()},
        }
        try:
            from git_blueprint.fsutil import atomic_write

            atomic_write(self.path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
        except Exception:  # a cache that cannot be written is only slower
            pass
