"""The fast read of a blueprint: title and metadata from one pass of the line scanner, no
Markdown library. ``bp list`` and the hooks use it; tests hold it equal to the full parser."""

from __future__ import annotations

from git_blueprint.core.config import MetadataNames
from git_blueprint.core.metadata import Metadata, blank_front_matter, read_metadata
from git_blueprint.markdown.blocks import scan_blocks
from git_blueprint.markdown.lines import SourceLines, split_lines, split_title
from git_blueprint.values import Record


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
    """Title and metadata of a document, as :func:`summarize_full` finds them: by reading
    only the lines around the title and the footer when the document allows it (see
    ``markdown.outline.quick_outline``), else by scanning every line."""
    # Both modules are loaded already (see the imports above).
    from git_blueprint.core.metadata import footer_start
    from git_blueprint.markdown.outline import quick_outline

    src = split_lines(text)
    lines = blank_front_matter(src.lines)
    joined = None
    if lines is src.lines and not src.bom and "\r" not in text:
        joined = text[:-1] if text.endswith("\n") else text  # "\n".join(lines), free
    outline = quick_outline(lines, footer_start(names), joined)
    if outline is None:
        return _scanned(src, lines, names)
    title, paragraphs = outline
    return Summary(
        src, None if title is None else title.strip(), read_metadata(src, paragraphs, names)
    )


def summarize_full(text: str, names: MetadataNames) -> Summary:
    """The summary from a scan of every line, never the short cut: the reference that
    tests hold :func:`summarize` equal to."""
    src = split_lines(text)
    return _scanned(src, blank_front_matter(src.lines), names)


def _scanned(src: SourceLines, lines: list[str], names: MetadataNames) -> Summary:
    title: str | None = None
    paragraphs: list[tuple[int, int]] = []
    for block in scan_blocks(lines):
        if block.nested:
            continue
        if block.kind == "paragraph":
            paragraphs.append((block.start, block.end))
        elif title is None and block.level == 1:
            title = block.text.strip()
    return Summary(src, title, read_metadata(src, paragraphs, names))
