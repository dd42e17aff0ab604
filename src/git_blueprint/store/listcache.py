"""What ``bp list`` shows of each file — title, status, Author, Last Updated — kept in the
git folder and trusted while the file's size, modification time, inode and change time are
as they were, the way git's index trusts a file's stat data.

A file changed in the same instant the cache was written could keep its size and times:
git calls that "racily clean". Entries whose file changed less than two seconds before
the cache was written are therefore never trusted; the file is read again.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from git_blueprint.core.config import MetadataNames
from git_blueprint.store.atomic import load_cache, save_cache

CACHE_NAME = "blueprint-list.cache"
_CACHE_KIND = "git-blueprint/list/1"
RACY_NS = 2_000_000_000
Row = tuple[str | None, str | None, str | None, str | None]  # title, status, author, updated


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


class ListCache:
    def __init__(self, folder: Path, names: MetadataNames) -> None:
        self.path = folder / CACHE_NAME
        self.names_key = names.key()
        self.entries: dict[str, list[object]] = {}
        self.written_ns = 0
        self.changed = False
        stored = load_cache(self.path, _CACHE_KIND)
        if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == self.names_key:
            _, written_ns, entries = stored
            if isinstance(written_ns, int) and isinstance(entries, dict):
                self.entries, self.written_ns = entries, written_ns

    def get(self, rel: str, st: os.stat_result) -> Row | None:
        entry = self.entries.get(rel)
        if entry is None or entry[:4] != _stamp(st):
            return None
        if max(st.st_mtime_ns, st.st_ctime_ns) >= self.written_ns - RACY_NS:
            return None
        title, status, author, updated = entry[4:8]
        return (title, status, author, updated)  # type: ignore[return-value]

    def put(self, rel: str, st: os.stat_result, row: Row) -> None:
        self.entries[rel] = [*_stamp(st), *row]
        self.changed = True

    def save(self, present: set[str]) -> None:
        gone = set(self.entries) - present
        for rel in gone:
            del self.entries[rel]
        if not (self.changed or gone):
            return
        save_cache(self.path, _CACHE_KIND, (self.names_key, time.time_ns(), self.entries))
