"""markdown-it-py's own block parse: the reference the standard-library scanner and the
document model built on it are held equal to.

- :func:`token_blocks`: markdown-it's block tokens as the scanner's ``Block`` records, what
  ``scan_document`` must return; :func:`token_references`, the link reference definitions
  markdown-it collected.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference

from git_blueprint.markdown.blocks import Block

_MD = MarkdownIt("commonmark")

_KINDS = {
    "heading_open": "heading",
    "paragraph_open": "paragraph",
    "hr": "rule",
    "fence": "fence",
    "code_block": "code",
    "html_block": "html",
    "blockquote_open": "quote",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "list_item_open": "item",
}


def _parse(lines: list[str]) -> tuple[list[Any], dict[str, Any]]:
    env: dict[str, Any] = {}
    return _MD.parse("\n".join(lines) + "\n", env), env


def token_blocks(lines: list[str]) -> list[Block]:
    """Every block token markdown-it opens, as ``scan_document`` reports it (reference
    definitions aside: markdown-it opens no token for them)."""
    tokens, _ = _parse(lines)
    out = []
    for i, tok in enumerate(tokens):
        kind = _KINDS.get(tok.type)
        if kind is None:
            continue
        start, end = tok.map
        level = int(tok.tag[1:]) if kind == "heading" else 0
        text = tokens[i + 1].content if kind in ("heading", "paragraph") else ""
        out.append(Block(kind, start, end, level, text, tok.level > 0, tok.level))
    return out


def token_references(lines: list[str]) -> list[tuple[str, int, int]]:
    """Every link reference definition markdown-it read: (normalized label, first line,
    line after), in document order."""
    _, env = _parse(lines)
    found = [(label, *ref["map"]) for label, ref in env.get("references", {}).items()]
    found += [(ref["label"], *ref["map"]) for ref in env.get("duplicate_refs", [])]
    return sorted(found, key=lambda r: r[1])


def scanned_references(blocks: list[Block]) -> list[tuple[str, int, int]]:
    """The reference definitions of a ``scan_document`` result, as :func:`token_references`
    gives them."""
    return [(normalizeReference(b.text), b.start, b.end) for b in blocks if b.kind == "reference"]
