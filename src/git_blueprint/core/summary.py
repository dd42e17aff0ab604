"""The fast read of a blueprint: title and metadata, no Markdown library. ``bp list``, the
hooks, the drivers and metadata writes use it; tests hold it equal to a scan of every line
and to the document model."""

from __future__ import annotations

from git_blueprint.core.config import MetadataNames
from git_blueprint.core.metadata import Metadata, blank_front_matter, footer_start, read_metadata
from git_blueprint.markdown.lines import SourceLines, split_lines
from git_blueprint.markdown.outline import quick_outline
from git_blueprint.values import Record


class Summary(Record, frozen=True):
    """A document's lines, H1 title and metadata."""

    src: SourceLines
    title: str | None
    metadata: Metadata


def summarize(text: str, names: MetadataNames) -> Summary:
    """Title and metadata of a document: by reading only the lines around the title and the
    footer when the document allows it (see ``markdown.outline.quick_outline``), else by
    scanning every line. Either way the answer is the one a scan of every line gives."""
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


def _scanned(src: SourceLines, lines: list[str], names: MetadataNames) -> Summary:
    # Imported here: a commit of blueprints the short cut reads loads none of the full
    # scanner's modules.
    from git_blueprint.markdown.blocks import scan_blocks

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
