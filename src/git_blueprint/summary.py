"""The fast read of a blueprint: title and metadata from one pass of the line scanner, no
Markdown library. ``bp list`` and the hooks use it; tests hold it equal to the full parser."""

from __future__ import annotations

from git_blueprint.config import MetadataNames
from git_blueprint.metadata import Metadata, blank_front_matter, read_metadata
from git_blueprint.record import Record
from git_blueprint.scan import scan_blocks
from git_blueprint.text import SourceLines, split_lines, split_title


class Summary(Record):
    """A document's lines, H1 title and metadata."""

    __slots__ = ("src", "title", "metadata")
    src: SourceLines
    title: str | None
    metadata: Metadata

    def __init__(self, src: SourceLines, title: str | None, metadata: Metadata) -> None:
        self.src = src
        self.title = title
        self.metadata = metadata

    @property
    def title_name(self) -> str | None:
        """The name part of the title: "Payment Gateway" of "Kind: Payment Gateway"."""
        return None if self.title is None else split_title(self.title)[1]

    @property
    def title_kind(self) -> str | None:
        return None if self.title is None else split_title(self.title)[0]


def summarize(text: str, names: MetadataNames) -> Summary:
    src = split_lines(text)
    title: str | None = None
    paragraphs: list[tuple[int, int]] = []
    for block in scan_blocks(blank_front_matter(src.lines)):
        if block.nested:
            continue
        if block.kind == "paragraph":
            paragraphs.append((block.start, block.end))
        elif title is None and block.level == 1:
            title = block.text.strip()
    return Summary(src, title, read_metadata(src, paragraphs, names))
