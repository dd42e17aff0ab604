"""The document model of a blueprint (docs/format.md): title, nested nodes with keys, fields, text,
placeholders and metadata, each with its source lines.

Block structure comes from the standard-library CommonMark scanner
(:func:`git_blueprint.markdown.blocks.scan_document`), which finds the blocks markdown-it-py's
``commonmark`` preset finds: headings in code fences, HTML comments and HTML blocks are not
headings, and an unclosed fence runs to the end. Only top-level headings (not those inside
block quotes or list items) shape the tree. markdown-it-py parses inline Markdown, and only
when placeholders are asked for. ``tests/support/oracle.py`` keeps markdown-it's own block parse as
the reference the model is held equal to.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from git_blueprint.core.config import MetadataNames
from git_blueprint.core.content import split_title
from git_blueprint.core.metadata import (
    Metadata,
    blank_front_matter,
    front_matter_end,
    read_metadata,
)
from git_blueprint.markdown.blocks import Block, scan_document
from git_blueprint.markdown.lines import SourceLines, split_lines
from git_blueprint.values import Record, field

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


# "System 2: Payments API" -> kind "System", key "Payments API"
_KIND_ORDINAL = re.compile(r"(?P<kind>[^\W\d][\w/&' -]*?)\s+(?P<ord>\d+[a-z]?)\s*:\s*(?P<key>\S.*)")
# "2. Goals", "2.3 Goals", "2) Goals", "2.3. Goals" -> key "Goals"
_NUMBERED = re.compile(r"(?:\d+[.)]|\d+(?:\.\d+)+\.?)\s+(?P<key>\S.*)")
_FIELD = re.compile(r"\*\*(?P<key>[^*\n]+?)(?:\*\*:|:\*\*)[ \t]*(?P<value>.*)", re.DOTALL)
# Square brackets that are no link, reference, image, footnote or checkbox.
_PLACEHOLDER = re.compile(
    r"(?<![!\]])\[(?!\^)(?P<inner>[^\[\]\x00]*[^\s\[\]\x00][^\[\]\x00]*)\](?![\[(])"
)
_CHECKBOX = re.compile(r"\[[ xX]\]")
_SEP = "\x00"


class Placeholder(Record):
    text: str  # with its brackets: "[System Name]"
    line: int  # 1-based


class Field(Record):
    name: str  # as written
    key: str  # unique among the node's fields: "Role", "Role (2)"
    value: str
    line: int  # 1-based
    end_line: int


class Node(Record):
    heading: str  # heading text as written (inline source)
    key: str  # unique among siblings; ordinal prefix removed
    kind: str | None  # "System" for "System 2: Payments API"
    level: int
    line: int  # 1-based line of the heading
    end_line: int  # last line of the section, children included
    fields: list[Field] = field(default_factory=list)
    text: str = ""
    children: list[Node] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "heading": self.heading,
            "kind": self.kind,
            "level": self.level,
            "lines": [self.line, self.end_line],
            "fields": [
                {"name": f.name, "key": f.key, "value": f.value, "lines": [f.line, f.end_line]}
                for f in self.fields
            ],
            "text": self.text,
            "children": [c.to_dict() for c in self.children],
        }


class Title(Record):
    text: str
    kind: str | None
    name: str
    line: int


class Document(Record):
    path: str
    src: SourceLines
    title: Title | None
    text: str  # the preamble: text before the first node
    nodes: list[Node]
    metadata: Metadata
    duplicate_keys: list[tuple[int, str]]  # (line, key) of siblings whose key repeats
    # Inline Markdown is parsed only when placeholders are asked for: structure alone is
    # what the diff needs, and needs no Markdown library.
    _blocks: list[Block] | None = None
    _placeholders: list[Placeholder] | None = None

    def __eq__(self, other: object) -> bool:
        """Documents are equal by what they say; the blocks kept for the placeholder search
        and whether it ran already do not count."""
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Document)
        return self._public() == other._public()

    def _public(self) -> tuple[object, ...]:
        return (
            self.path,
            self.src,
            self.title,
            self.text,
            self.nodes,
            self.metadata,
            self.duplicate_keys,
        )

    def __repr__(self) -> str:
        title = self.title.text if self.title else None
        return f"Document(path={self.path!r}, title={title!r}, nodes={len(self.nodes)})"

    @property
    def placeholders(self) -> list[Placeholder]:
        if self._placeholders is None:
            self._placeholders = find_placeholders(self._blocks or [])
        return self._placeholders

    def walk(self) -> list[tuple[tuple[str, ...], Node]]:
        """Every node with its path of keys, depth first, in document order."""
        out: list[tuple[tuple[str, ...], Node]] = []

        def visit(prefix: tuple[str, ...], nodes: list[Node]) -> None:
            for node in nodes:
                path = (*prefix, node.key)
                out.append((path, node))
                visit(path, node.children)

        visit((), self.nodes)
        return out

    def to_dict(self) -> dict[str, Any]:
        meta = self.metadata
        return {
            "path": self.path,
            "title": None
            if self.title is None
            else {
                "text": self.title.text,
                "kind": self.title.kind,
                "name": self.title.name,
                "line": self.title.line,
            },
            "metadata": {
                "source": meta.source,
                **{
                    name: (None if f is None else {"value": f.value, "line": f.line + 1})
                    for name in ("status", "last_updated", "author")
                    for f in [meta.fields.get(name)]
                },
            },
            "text": self.text,
            "nodes": [n.to_dict() for n in self.nodes],
            "placeholders": [{"text": p.text, "line": p.line} for p in self.placeholders],
        }


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Only its inline parser runs (the scanner found the blocks). That runs no core rule,
    # so escapes stay tokens of their own and "\[not a placeholder\]" is seen as escaped.
    return MarkdownIt("commonmark")


def heading_key(text: str) -> tuple[str | None, str]:
    """``(kind, key)`` of a heading: its ordinal prefix removed."""
    m = _KIND_ORDINAL.fullmatch(text)
    if m:
        return m["kind"].strip(), m["key"].strip()
    m = _NUMBERED.fullmatch(text)
    if m:
        return None, m["key"].strip()
    return None, text.strip()


def _inline_plain(children: list[Token], first_in_item: bool) -> str:
    """Inline text where only literal text survives; code, links, escapes become separators."""
    parts: list[str] = []
    in_link = 0
    for child in children:
        t = child.type
        if t == "link_open":
            in_link += 1
            parts.append(_SEP)
        elif t == "link_close":
            in_link -= 1
            parts.append(_SEP)
        elif t in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif t == "text" and not in_link:
            parts.append(child.content)
        elif t in ("strong_open", "strong_close", "em_open", "em_close"):
            continue
        else:
            parts.append(_SEP)
    text = "".join(parts)
    if first_in_item:
        m = _CHECKBOX.match(text)
        if m:
            text = _SEP * 3 + text[3:]
    return text


def find_placeholders(blocks: list[Block]) -> list[Placeholder]:
    """The placeholders in the inline text of ``blocks`` (as :func:`scan_document` gives
    them): square brackets that markdown-it's inline parser leaves as literal text, and that
    are no checkbox at the start of a list item."""
    from git_blueprint.core.lint import may_hold_placeholders

    # Only text that may hold one is parsed, and markdown-it is loaded only if some does.
    wanted = [
        b
        for b in blocks
        if (b.kind == "paragraph" or b.kind == "heading") and may_hold_placeholders(b.text)
    ]
    if not wanted:
        return []
    from markdown_it.common.utils import normalizeReference

    md = _parser()
    # Every definition counts, wherever it stands: markdown-it collects them all before
    # it parses any inline text. Only the labels matter here, not the destinations.
    references = {
        normalizeReference(b.text): {"href": "", "title": ""}
        for b in blocks
        if b.kind == "reference"
    }
    env: dict[str, Any] = {"references": references} if references else {}
    found: list[Placeholder] = []
    opened: Block | None = None  # the block markdown-it opened a token for last
    next_wanted = 0
    for b in blocks:
        if next_wanted < len(wanted) and b is wanted[next_wanted]:
            next_wanted += 1
            children: list[Token] = []
            md.inline.parse(b.text, md, env, children)
            plain = _inline_plain(children, b.kind == "paragraph" and _opens_item(opened, b))
            for m in _PLACEHOLDER.finditer(plain):
                line = b.start + plain.count("\n", 0, m.start()) + 1
                found.append(Placeholder(m.group(0), line))
        if b.kind != "reference":
            opened = b
    return found


def _opens_item(opened: Block | None, block: Block) -> bool:
    """Whether ``block`` is the first thing in a list item, ``opened`` being the block
    markdown-it opened a token for before it (a reference definition opens none)."""
    return opened is not None and opened.kind == "item" and opened.depth == block.depth - 1


class _Heading(Record):
    start: int  # 0-based
    end: int  # 0-based exclusive
    level: int
    text: str


def _number_duplicates(keys: list[str]) -> tuple[list[str], list[int]]:
    """Keys made unique with " (2)", " (3)"…, and the indexes that repeated."""
    seen: dict[str, int] = {}
    out: list[str] = []
    repeats: list[int] = []
    taken = set(keys)
    for i, key in enumerate(keys):
        n = seen.get(key, 0) + 1
        seen[key] = n
        if n == 1:
            out.append(key)
            continue
        repeats.append(i)
        candidate = f"{key} ({n})"
        while candidate in taken:
            n += 1
            candidate = f"{key} ({n})"
        seen[key] = n
        taken.add(candidate)
        out.append(candidate)
    return out, repeats


def parse_document(text: str, path: str = "<text>", names: MetadataNames | None = None) -> Document:
    """Parse any Markdown text into the blueprint tree. Never raises on odd Markdown."""
    # The scan allocates an object per block and the model one per node and field; the
    # cyclic garbage collector's passes over them are wasted, as nothing here makes cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, path, names)
    finally:
        if enabled:
            gc.enable()


def _parse(text: str, path: str, names: MetadataNames | None) -> Document:
    names = names or MetadataNames()
    src = split_lines(text)
    blocks = scan_document(blank_front_matter(src.lines))
    n_lines = len(src.lines)

    headings: list[_Heading] = []
    paragraphs: list[tuple[int, int]] = []
    hr_lines: set[int] = set()
    # Items of top-level lists whose first block is a paragraph shaped as a field:
    # (first line, line after, the paragraph's field match).
    field_items: list[tuple[int, int, re.Match[str]]] = []
    opened: Block | None = None  # the block markdown-it opened a token for last
    for b in blocks:
        depth = b.depth
        if depth == 0:
            if b.kind == "heading":
                headings.append(_Heading(b.start, b.end, b.level, b.text.strip()))
            elif b.kind == "paragraph":
                paragraphs.append((b.start, b.end))
            elif b.kind == "rule":
                hr_lines.update(range(b.start, b.end))
        elif depth == 2 and b.kind == "paragraph" and _opens_item(opened, b):
            assert opened is not None
            fm = _FIELD.fullmatch(b.text.strip())
            if fm is not None:
                field_items.append((opened.start, opened.end, fm))
        if b.kind != "reference":
            opened = b

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

    item_starts = [start for start, _, _ in field_items]
    section_ends = _section_ends(headings, title_index, n_lines)
    root: list[Node] = []
    stack: list[Node] = []
    for k, h in enumerate(headings):
        if k == title_index:
            stack = []  # headings before the title do not adopt those after it
            continue
        body_end = headings[k + 1].start if k + 1 < len(headings) else n_lines
        section_end = section_ends[k]
        kind, key = heading_key(h.text)
        node = Node(h.text, key, kind, h.level, h.start + 1, section_end)
        field_lines: set[int] = set()
        first = bisect_left(item_starts, h.end)
        for start, end, fm in field_items[first : bisect_left(item_starts, body_end, first)]:
            end = min(end, body_end)
            while end - 1 > start and not src.lines[end - 1].strip():
                end -= 1
            node.fields.append(Field(fm["key"].strip(), "", fm["value"].strip(), start + 1, end))
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
        blocks,
    )


def _section_ends(headings: list[_Heading], title_index: int | None, n_lines: int) -> list[int]:
    """Where each heading's section ends: at the next heading of its level or shallower (or
    the title), else at the end of the document."""
    ends = [n_lines] * len(headings)
    open_: list[int] = []
    for k, h in enumerate(headings):
        while open_ and (k == title_index or headings[open_[-1]].level >= h.level):
            ends[open_.pop()] = h.start
        open_.append(k)
    return ends


def _unique_keys(nodes: list[Node], duplicates: list[tuple[int, str]]) -> None:
    keys, repeats = _number_duplicates([n.key for n in nodes])
    for i in repeats:
        duplicates.append((nodes[i].line, nodes[i].key))
    for node, key in zip(nodes, keys, strict=True):
        node.key = key
        _unique_keys(node.children, duplicates)
