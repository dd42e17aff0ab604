"""Where the blocks of a Markdown document are, fast: the one block reader of git-blueprint.

Hooks need the block structure of a document on every commit, and importing markdown-it-py
(tens of milliseconds) and running its full parse (milliseconds per document) costs more
than the rest of a hook; the document model needs every block, for ``bp show``, ``bp diff``
and the drivers. This module is a standard-library-only port of the *block* rules of
markdown-it-py's ``commonmark`` preset, reduced to what locates blocks: no tokens, no
inline parsing, no rendering.

Guarantee: for ``lines`` as :func:`git_blueprint.markdown.lines.split_lines` produces them,
:func:`scan_blocks` returns exactly the headings (ATX and setext, at any nesting, with
markdown-it's ``token.map`` and inline ``content``) and the top-level paragraphs that
``MarkdownIt("commonmark").parse("\\n".join(lines) + "\\n")`` produces, in document order;
:func:`scan_document` returns every block token of that parse, at every depth, with its
map and level (a paragraph with its inline content), and the reference definitions it
collects. ``tests/markdown/test_blocks.py`` checks both against markdown-it
(``tests/support/oracle.py``) on the CommonMark specification's examples, on real design
documents and on generated documents.

The port keeps markdown-it's per-line bookkeeping (offset of the line's content, offset of
its first non-blank, indent in columns, tab phase) because block quotes and list items
re-base those values for the lines they contain, and every rule reads them. Speed comes
from dispatching on a line's first non-blank character (most lines can only be text) and
from a short cut for list items that are one line of text; a 3 KB document takes about
a thirtieth of markdown-it's parse.

This module holds the entry point, the block loop that dispatches each line to its rule,
and the leaf blocks (paragraphs and setext headings, ATX headings, fences, indented code,
HTML blocks). The rest is beside it:

- ``state``: the result type, the per-line state and the tests of one line (does it open
  a fence, a list item, a thematic break; does it end a paragraph);
- ``containers``: block quotes and lists, which parse their content with this loop;
- ``refdefs``: link reference definitions;
- ``outline``: the summary's short cut, which reads only the lines around the title and
  the footer.
"""

from __future__ import annotations

from git_blueprint.markdown.containers import blockquote, list_block
from git_blueprint.markdown.refdefs import reference
from git_blueprint.markdown.state import (
    DIGITS,
    MAX_NESTING,
    PARAGRAPH_END,
    RULE_START,
    TRIM,
    Block,
    State,
    atx_text,
    columns,
    html_kinds,
    interrupts,
    is_hr,
    opens_fence,
)

__all__ = ["Block", "scan_blocks", "scan_document"]


def scan_blocks(lines: list[str]) -> list[Block]:
    """Every heading (ATX and setext, at any nesting) and every top-level paragraph.

    ``lines`` are a document's lines without their endings (none may contain CR or LF),
    as ``split_lines`` gives them. Blocks come in document order.
    """
    st = _state(lines)
    _tokenize(st, 0, st.line_max)
    return st.out


def scan_document(lines: list[str]) -> list[Block]:
    """Every block of the document, at every depth, in markdown-it's token order (a
    container before what it holds), with every paragraph's inline content, and every link
    reference definition: what the document model is built from.

    ``lines`` are as for :func:`scan_blocks`. Slower than :func:`scan_blocks` by the
    blocks it reports and the paragraph text it gathers.
    """
    st = _state(lines)
    st.full = True
    _tokenize(st, 0, st.line_max)
    return st.out


def _state(lines: list[str]) -> State:
    """The scanner's state for a document's lines, before the first rule runs."""
    joined = "\n".join(lines)
    if "\0" in joined:
        # markdown-it replaces NUL before parsing; heading text and HTML tags see U+FFFD.
        lines = [line.replace("\0", "\ufffd") for line in lines]
    # A final empty line stands for the end of input, as in markdown-it.
    lines = [*lines, ""]
    if "\n " in joined or "\n\t" in joined or lines[0][:1] in (" ", "\t"):
        ts = [len(line) - len(line.lstrip(" \t")) for line in lines]
        sc = (
            [columns(line, n) for line, n in zip(lines, ts, strict=True)]
            if "\t" in joined
            else ts[:]
        )
    else:
        # No line starts with a blank: every indent is 0.
        ts = [0] * len(lines)
        sc = ts[:]
    return State(lines, ts, sc, _tokenize)


def _tokenize(st: State, start: int, end: int) -> None:
    """markdown-it's block loop: try each rule at each block start from ``start``."""
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    blk = st.blk
    line_max = st.line_max
    too_deep = st.level >= MAX_NESTING
    line = start
    while line < end:
        while line < line_max and bm[line] + ts[line] >= len(lines[line]):
            line += 1
        if line >= end or sc[line] < blk:
            break
        if too_deep:
            line = end
            break
        if sc[line] - blk >= 4:
            _code(st, line, end)
        else:
            s = lines[line]
            pos = bm[line] + ts[line]
            c = s[pos]
            if c == "#":
                if not _atx_heading(st, line, s[pos:]):
                    _paragraph(st, line, end)
            elif c not in RULE_START or not _special_block(st, line, end, s, pos, c):
                _paragraph(st, line, end)
        line = st.line
        if line < end and bm[line] + ts[line] >= len(lines[line]):
            line += 1
    st.line = line


def _special_block(st: State, line: int, end: int, s: str, pos: int, c: str) -> bool:
    """Run the rule for a line starting with ``c``, in markdown-it's rule order.

    False when no rule matched, and the line starts a paragraph.
    """
    if c in "*-_+":
        if c != "+" and (s[-1] == c or s[-1] in " \t") and is_hr(s, pos):
            st.line = line + 1
            if st.full:
                st.out.append(Block("rule", line, line + 1, 0, "", st.level > 0, st.level))
            return True
        return c != "_" and s[pos + 1 : pos + 2] in " \t" and list_block(st, line, end)
    if c in DIGITS:
        return list_block(st, line, end)
    if c in "`~":
        return _fence(st, line, end)
    if c == ">":
        blockquote(st, line, end)
        return True
    if c == "[":
        return reference(st, line)
    return c == "<" and _html_block(st, line, end)


def _code(st: State, start: int, end: int) -> None:
    """markdown-it's ``code`` rule: an indented code block, through inner blank lines."""
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    code_indent = st.blk + 4
    last = nxt = start + 1
    while nxt < end:
        if bm[nxt] + ts[nxt] >= len(lines[nxt]):
            nxt += 1
        elif sc[nxt] >= code_indent:
            nxt += 1
            last = nxt
        else:
            break
    st.line = last
    if st.full:
        st.out.append(Block("code", start, last, 0, "", st.level > 0, st.level))


def _fence(st: State, start: int, end: int) -> bool:
    """markdown-it's ``fence`` rule: through the closing fence, or to the container's end."""
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    s = lines[start]
    pos = bm[start] + ts[start]
    if not opens_fence(s, pos):
        return False
    marker = s[pos]
    length = len(s) - pos - len(s[pos:].lstrip(marker))
    blk = st.blk
    nxt = start + 1
    closed = False
    while nxt < end:
        t = lines[nxt]
        p = bm[nxt] + ts[nxt]
        if p < len(t):
            if sc[nxt] < blk:
                # A non-empty line left of the container's content ends the container.
                break
            if t[p] == marker and sc[nxt] - blk < 4:
                rest = t[p:].lstrip(marker)
                if len(t) - p - len(rest) >= length and not rest.strip(" \t"):
                    closed = True
                    break
        nxt += 1
    st.line = nxt + 1 if closed else nxt
    if st.full:
        st.out.append(Block("fence", start, st.line, 0, "", st.level > 0, st.level))
    return True


def _atx_heading(st: State, line: int, rest: str) -> bool:
    """markdown-it's ``heading`` rule; ``rest`` is the line from its first non-blank."""
    body = rest.lstrip("#")
    level = len(rest) - len(body)
    if level > 6 or (body and body[0] not in " \t"):
        return False
    st.line = line + 1
    st.out.append(Block("heading", line, line + 1, level, atx_text(body), st.level > 0, st.level))
    return True


def _paragraph(st: State, start: int, end: int) -> None:
    """A paragraph, or a setext heading when an underline comes before its end.

    markdown-it tries its setext rule (bounded by ``end``) and then its paragraph rule
    (bounded by ``line_max``) over the same lines; one pass does both.
    """
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    blk = st.blk
    line_max = st.line_max
    level = 0
    nxt = start + 1
    while nxt < line_max:
        s = lines[nxt]
        pos = bm[nxt] + ts[nxt]
        if pos >= len(s):
            break
        c = s[pos]
        if c in PARAGRAPH_END:
            ind = sc[nxt]
            # Lines indented as code, and lazy quote lines (-1), only continue a paragraph.
            if 0 <= ind <= blk + 3:
                if (
                    (c == "=" or c == "-")
                    and ind >= blk
                    and nxt < end
                    and not s[pos:].rstrip(" \t").strip(c)
                ):
                    level = 1 if c == "=" else 2
                    break
                if interrupts(st, nxt, True):
                    break
        nxt += 1
    if level:
        text = _get_lines(st, start, nxt, blk).strip(TRIM)
        st.line = nxt + 1
        st.out.append(Block("heading", start, nxt + 1, level, text, st.level > 0, st.level))
    else:
        st.line = nxt
        if st.full:
            text = _get_lines(st, start, nxt, blk).strip(TRIM)
            st.out.append(Block("paragraph", start, nxt, 0, text, st.level > 0, st.level))
        elif st.level == 0:
            st.out.append(Block("paragraph", start, nxt, 0, "", False))


def _get_lines(st: State, begin: int, end: int, indent: int) -> str:
    """markdown-it's getLines: the lines' text with ``indent`` columns of prefix removed."""
    lines, bm, ts, bs = st.lines, st.bm, st.ts, st.bs
    parts = []
    for i in range(begin, end):
        s = lines[i]
        first = line_start = bm[i]
        last = len(s)
        col = 0
        while first < last and col < indent:
            ch = s[first]
            if ch == "\t":
                col += 4 - (col + bs[i]) % 4
            elif ch == " " or first - line_start < ts[i]:
                col += 1
            else:
                break
            first += 1
        parts.append(" " * (col - indent) + s[first:] if col > indent else s[first:])
    return "\n".join(parts)


def _html_block(st: State, start: int, end: int) -> bool:
    """markdown-it's ``html_block`` rule: through the end condition of the block's kind."""
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    text = lines[start][bm[start] + ts[start] :]
    kind = next((k for k in html_kinds() if k[0].search(text)), None)
    if kind is None:
        return False
    closer = kind[1]
    nxt = start + 1
    if closer is None or not closer.search(text):
        blk = st.blk
        while nxt < end:
            s = lines[nxt]
            pos = bm[nxt] + ts[nxt]
            # Kinds 1-5 end only at their closing text, even past a blank outdented line.
            if sc[nxt] < blk and (closer is None or pos < len(s)):
                break
            if closer is None:
                if pos >= len(s):
                    break
            elif closer.search(s, pos):
                nxt += 1
                break
            nxt += 1
    st.line = nxt
    if st.full:
        st.out.append(Block("html", start, nxt, 0, "", st.level > 0, st.level))
    return True
