"""Stamping decisions (docs/hooks.md), pure: which values a commit sets on a blueprint,
whether a change touched content at all, and the facts of a version the workflow rules
compare. Standard library only: the pre-commit hook runs it.
"""

from __future__ import annotations

from bisect import bisect_right

from git_blueprint.core.config import Config, MetadataNames
from git_blueprint.core.content import sha256_hex
from git_blueprint.core.metadata import Metadata, set_fields
from git_blueprint.core.summary import summarize
from git_blueprint.markdown.lines import SourceLines
from git_blueprint.values import Record

# What the workflow rules and the timeline need to know of a version: (raw status or None,
# Author or None, SHA-256 of the content without the metadata lines).
Fact = tuple[str | None, str | None, str]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from git_blueprint.git.repo import Identity


def facts_of(text: str, names: MetadataNames) -> Fact:
    summary = summarize(text, names)
    meta = summary.metadata
    content = content_only(summary.src, meta)
    return (
        meta.value("status"),
        meta.value("author"),
        sha256_hex(content.encode("utf-8", "surrogatepass")),
    )


def content_only(src: SourceLines, meta: Metadata) -> str:
    """The text with every metadata line cut out, so that two versions compare equal
    exactly when they differ in metadata alone."""
    fields = [*meta.fields.values(), *meta.duplicates]
    if not fields:
        return src.text
    starts, text = src.starts, src.text
    cuts: list[tuple[int, int]] = []  # [offset of the first cut line, offset after the last)
    for f in fields:
        # The line holding the value's first character, and the one holding its last.
        first = bisect_right(starts, f.start) - 1
        last = bisect_right(starts, max(f.start, f.end - 1)) - 1
        cuts.append((starts[first], starts[last + 1] if last + 1 < len(starts) else len(text)))
    kept: list[str] = []
    pos = 0
    for begin, end in sorted(cuts):
        if begin > pos:
            kept.append(text[pos:begin])
        pos = max(pos, end)
    kept.append(text[pos:])
    return "".join(kept)


def content_changed(old: str | None, new: str, config: Config) -> bool:
    """True when ``new`` differs from ``old`` in more than its metadata (or is new)."""
    if old is None:
        return True
    if old == new:
        return False
    a, b = summarize(old, config.names), summarize(new, config.names)
    return content_only(a.src, a.metadata) != content_only(b.src, b.metadata)


def stamp_values(meta: Metadata, who: Identity, config: Config) -> dict[str, str]:
    """The metadata a stamp sets: the date always; the author per ``stamp.author``."""
    values = {"last_updated": who.date}
    author = meta.fields.get("author")
    if config.stamp_author == "last":
        if author is None or author.style != "other":
            values["author"] = who.name
    elif author is None or author.is_placeholder:
        values["author"] = who.name
    return values


class Stamped(Record, frozen=True):
    """A stamped text, and the values the stamp changed."""

    text: str
    values: dict[str, str]

    @property
    def changed(self) -> bool:
        return bool(self.values)


def stamp_text(text: str, who: Identity, config: Config, path: str) -> Stamped:
    """``text`` stamped; ``values`` holds only what actually changed."""
    meta = summarize(text, config.names).metadata
    wanted = stamp_values(meta, who, config)
    changed = {k: v for k, v in wanted.items() if meta.value(k) != v}
    if not changed:
        return Stamped(text, {})
    return Stamped(set_fields(text, changed, config.names, path), changed)
