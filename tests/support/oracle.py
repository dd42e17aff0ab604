"""markdown-it-py's own block parse: the reference the standard-library scanner and the
document model built on it are held equal to.

- :func:`token_scan`: markdown-it's block tokens as the scanner's ``Block`` records, what
  ``scan_document`` must return, and the link reference definitions markdown-it collected.
- :func:`oracle_document`: the document model as it was built from markdown-it's tokens
  before the scanner took over, placeholders included.
- :func:`summarize_full`: a summary from a scan of every line, never the short cut.

Only the block layer is re-done here; what the model makes of the blocks (keys, ordinals,
duplicate numbering, section ends, the inline text placeholders are looked for in) is the
production code's own.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token

from git_blueprint.core.config import MetadataNames
from git_blueprint.core.content import split_title
from git_blueprint.core.document import (
    _FIELD,
    _PLACEHOLDER,
    Document,
    Field,
    Node,
    Placeholder,
    Title,
    _Heading,
    _inline_plain,
    _number_duplicates,
    _section_ends,
    _unique_keys,
    heading_key,
)
from git_blueprint.core.metadata import blank_front_matter, front_matter_end, read_metadata
from git_blueprint.core.summary import Summary
from git_blueprint.markdown.blocks import Block, scan_blocks
from git_blueprint.markdown.lines import split_lines

_MD = MarkdownIt("commonmark")
# The parser the document model used: inline parsed separately, escapes kept as tokens.
_BLOCKS_ONLY = MarkdownIt("commonmark").disable(["text_join", "inline"])

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


def _parse(lines: list[str]) -> tuple[list[Token], dict[str, Any]]:
    env: dict[str, Any] = {}
    return _MD.parse("\n".join(lines) + "\n", env), env


def token_scan(lines: list[str]) -> tuple[list[Block], list[tuple[str, int, int]]]:
    """Every block token markdown-it opens, as ``scan_document`` reports it, and every link
    reference definition markdown-it read, as (normalized label, first line, line after) in
    document order: markdown-it opens no token for a definition."""
    tokens, env = _parse(lines)
    out = []
    for i, tok in enumerate(tokens):
        kind = _KINDS.get(tok.type)
        if kind is None:
            continue
        start, end = tok.map
        level = int(tok.tag[1:]) if kind == "heading" else 0
        text = tokens[i + 1].content if kind in ("heading", "paragraph") else ""
        out.append(Block(kind, start, end, level, text, tok.level > 0, tok.level))
    found = [(label, *ref["map"]) for label, ref in env.get("references", {}).items()]
    found += [(ref["label"], *ref["map"]) for ref in env.get("duplicate_refs", [])]
    return out, sorted(found, key=lambda r: r[1])


def scanned_references(blocks: list[Block]) -> list[tuple[str, int, int]]:
    """The reference definitions of a ``scan_document`` result, as :func:`token_scan`
    gives them."""
    return [(normalizeReference(b.text), b.start, b.end) for b in blocks if b.kind == "reference"]


# --- the document model from markdown-it's tokens ----------------------------------------


def _with_inline(tokens: list[Token], env: dict[str, Any]) -> list[Token]:
    for tok in tokens:
        if tok.type == "inline" and not tok.children:
            tok.children = []
            _BLOCKS_ONLY.inline.parse(tok.content, _BLOCKS_ONLY, env, tok.children)
    return tokens


def _token_placeholders(tokens: list[Token]) -> list[Placeholder]:
    found: list[Placeholder] = []
    item_start = False
    for tok in tokens:
        if tok.type == "list_item_open":
            item_start = True
            continue
        if tok.type != "inline" or tok.map is None:
            if tok.type not in ("paragraph_open",):
                item_start = False
            continue
        plain = _inline_plain(tok.children or [], item_start)
        item_start = False
        for m in _PLACEHOLDER.finditer(plain):
            line = tok.map[0] + plain.count("\n", 0, m.start()) + 1
            found.append(Placeholder(m.group(0), line))
    return found


def _item_first_inline(tokens: list[Token], index: int) -> Token | None:
    if index + 2 < len(tokens) and tokens[index + 1].type == "paragraph_open":
        return tokens[index + 2]
    return None


def oracle_document(
    text: str, path: str = "<text>", names: MetadataNames | None = None
) -> Document:
    """The document model built from markdown-it's block tokens, placeholders found."""
    names = names or MetadataNames()
    src = split_lines(text)
    md_lines = blank_front_matter(src.lines)
    env: dict[str, Any] = {}
    tokens = _BLOCKS_ONLY.parse("\n".join(md_lines) + "\n", env)
    n_lines = len(src.lines)

    headings: list[_Heading] = []
    paragraphs: list[tuple[int, int]] = []
    hr_lines: set[int] = set()
    field_items: list[tuple[int, int, Token]] = []
    for i, tok in enumerate(tokens):
        if tok.level != 0 or tok.map is None:
            if tok.type == "list_item_open" and tok.level == 1 and tok.map is not None:
                inline = _item_first_inline(tokens, i)
                if inline is not None and _FIELD.fullmatch(inline.content.strip()):
                    field_items.append((tok.map[0], tok.map[1], inline))
            continue
        if tok.type == "heading_open":
            headings.append(
                _Heading(tok.map[0], tok.map[1], int(tok.tag[1:]), tokens[i + 1].content.strip())
            )
        elif tok.type == "paragraph_open":
            paragraphs.append((tok.map[0], tok.map[1]))
        elif tok.type == "hr":
            hr_lines.update(range(tok.map[0], tok.map[1]))

    metadata = read_metadata(src, paragraphs, names)
    excluded: set[int] = set(hr_lines)
    excluded.update(f.line for f in metadata.fields.values() if f.style == "footer")
    excluded.update(f.line for f in metadata.duplicates if f.style == "footer")
    fm_end = front_matter_end(src.lines)
    if fm_end is not None:
        excluded.update(range(fm_end + 1))

    title: Title | None = None
    title_index = next((k for k, h in enumerate(headings) if h.level == 1), None)
    if title_index is not None:
        h = headings[title_index]
        kind, name = split_title(h.text)
        title = Title(h.text, kind, name, h.start + 1)

    def section_text(start: int, end: int, skip: set[int]) -> str:
        lines = [src.lines[j] for j in range(start, end) if j not in skip]
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(lines)

    items_by_start = {s: (s, e, inline) for s, e, inline in field_items}
    section_ends = _section_ends(headings, title_index, n_lines)
    root: list[Node] = []
    stack: list[Node] = []
    for k, h in enumerate(headings):
        if k == title_index:
            stack = []
            continue
        body_end = headings[k + 1].start if k + 1 < len(headings) else n_lines
        kind, key = heading_key(h.text)
        node = Node(h.text, key, kind, h.level, h.start + 1, section_ends[k])
        field_lines: set[int] = set()
        for line in range(h.end, body_end):
            if line in items_by_start:
                start, end, inline = items_by_start[line]
                end = min(end, body_end)
                while end - 1 > start and not src.lines[end - 1].strip():
                    end -= 1
                fm = _FIELD.fullmatch(inline.content.strip())
                assert fm is not None
                node.fields.append(
                    Field(fm["key"].strip(), "", fm["value"].strip(), start + 1, end)
                )
                field_lines.update(range(start, end))
        unique_names, _ = _number_duplicates([f.name for f in node.fields])
        for f, unique in zip(node.fields, unique_names, strict=True):
            f.key = unique
        node.text = section_text(h.end, body_end, excluded | field_lines)
        while stack and stack[-1].level >= h.level:
            stack.pop()
        (stack[-1].children if stack else root).append(node)
        stack.append(node)
    duplicate_keys: list[tuple[int, str]] = []
    _unique_keys(root, duplicate_keys)

    preamble_end = next((h.start for k, h in enumerate(headings) if k != title_index), n_lines)
    skip = set(excluded)
    if title_index is not None:
        skip.update(range(headings[title_index].start, headings[title_index].end))
    return Document(
        path,
        src,
        title,
        section_text(0, preamble_end, skip),
        root,
        metadata,
        duplicate_keys,
        _placeholders=_token_placeholders(_with_inline(tokens, env)),
    )


# --- the summary without its short cut ---------------------------------------------------


def summarize_full(text: str, names: MetadataNames) -> Summary:
    """Title and metadata from a scan of every line: what ``summarize`` must find, short
    cut or not."""
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
