"""Where the headings and top-level paragraphs of a Markdown document are, fast.

Hooks need the block structure of a document on every commit, and importing markdown-it-py
(tens of milliseconds) and running its full parse (milliseconds per document) costs more
than the rest of a hook. This module is a standard-library-only port of the *block* rules
of markdown-it-py's ``commonmark`` preset, reduced to what locates blocks: no tokens, no
inline parsing, no rendering.

Guarantee: for ``lines`` as :func:`git_blueprint.markdown.lines.split_lines` produces them,
:func:`scan_blocks` returns exactly the headings (ATX and setext, at any nesting, with
markdown-it's ``token.map`` and inline ``content``) and the top-level paragraphs that
``MarkdownIt("commonmark").parse("\\n".join(lines) + "\\n")`` produces, in document order.
``tests/test_scan.py`` checks this on the CommonMark specification's examples, on real
design documents and on generated documents.

The port keeps markdown-it's per-line bookkeeping (offset of the line's content, offset of
its first non-blank, indent in columns, tab phase) because block quotes and list items
re-base those values for the lines they contain, and every rule reads them. Speed comes
from dispatching on a line's first non-blank character (most lines can only be text) and
from a short cut for list items that are one line of text; a 3 KB document takes about
a thirtieth of markdown-it's parse.
"""

from __future__ import annotations

import functools
import re

from git_blueprint.values import Record

__all__ = ["Block", "scan_blocks"]


class Block(Record):
    """One heading or top-level paragraph, located as markdown-it locates it."""

    __slots__ = ("kind", "start", "end", "level", "text", "nested")
    kind: str  # "heading" or "paragraph"
    start: int  # first line, 0-based (markdown-it's token.map[0])
    end: int  # line after the block (token.map[1])
    level: int  # heading level 1-6; 0 for a paragraph
    text: str  # a heading's inline content; "" for a paragraph
    nested: bool  # inside a block quote or list item (token.level > 0)

    def __init__(
        self, kind: str, start: int, end: int, level: int, text: str, nested: bool
    ) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.level = level
        self.text = text
        self.nested = nested


# markdown-it's own limit: deeper containers are not parsed at all.
_MAX_NESTING = 20

# What markdown-it's mdTrim strips: its whitespace set, not str.isspace().
_TRIM = "".join(
    chr(c)
    for c in sorted(
        {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000}
        | set(range(0x2000, 0x200B))
        | {0x2028, 0x2029}
    )
)

# A line whose first non-blank is none of these can only continue a paragraph.
_BLOCK_START = frozenset("`~>*-_+0123456789<#")
_RULE_START = _BLOCK_START | {"["}
_PARAGRAPH_END = _BLOCK_START | {"="}
_DIGITS = frozenset("0123456789")

_ORDERED = re.compile(r"[0-9]{1,9}[.)](?=[ \t]|\Z)")

_HTML_BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|track|ul"
)
_ATTRIBUTE = (
    r"(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*"
    r"(?:\s*=\s*(?:[^\"'=<>`\x00-\x20]+|'[^']*'|\"[^\"]*\"))?)"
)
_OPEN_CLOSE_TAG = (
    r"^(?:<[A-Za-z][A-Za-z0-9\-]*" + _ATTRIBUTE + r"*\s*\/?>|<\/[A-Za-z][A-Za-z0-9\-]*\s*>)"
)
_HtmlKind = tuple[re.Pattern[str], re.Pattern[str] | None, bool]


# Compiled on first use: a hook pays for every compile at start-up, and most documents
# have no HTML block.
@functools.cache
def _html_kinds() -> tuple[_HtmlKind, ...]:
    """The seven HTML block kinds, in markdown-it's order: start, end, may interrupt.

    An end of None means "a blank line". Only the last kind cannot interrupt a paragraph.
    """
    return (
        (
            re.compile(r"^<(?a:(script|pre|style|textarea))(?=(\s|>|$))", re.IGNORECASE),
            re.compile(r"<\/(?a:(script|pre|style|textarea))>", re.IGNORECASE),
            True,
        ),
        (re.compile(r"^<!--"), re.compile(r"-->"), True),
        (re.compile(r"^<\?"), re.compile(r"\?>"), True),
        (re.compile(r"^<![A-Za-z]"), re.compile(r">"), True),
        (re.compile(r"^<!\[CDATA\["), re.compile(r"\]\]>"), True),
        (
            re.compile(r"^</?(?a:(" + _HTML_BLOCK_NAMES + r"))(?=(\s|/?>|$))", re.IGNORECASE),
            None,
            True,
        ),
        (re.compile(_OPEN_CLOSE_TAG + r"\s*$"), None, False),
    )


# Link destinations: patterns left to re's own cache, compiled only when a link reference
# definition needs them.
_BAD_PROTOCOL = r"(vbscript|javascript|file|data):"
_GOOD_DATA = r"data:image\/(gif|png|jpeg|webp);"
_UNESCAPE = r"(?i)\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])|&([a-z#][a-z0-9]{1,31});"
_DECIMAL_ENTITY = r"#([0-9]{1,8})"
_HEX_ENTITY = r"(?i)#x([a-f0-9]{1,8})"


class _State:
    """The mutable per-line bookkeeping of markdown-it's StateBlock, and nothing else.

    ``bm[i]`` is where line ``i``'s content starts (after block-quote markers), ``ts[i]``
    how many blanks follow it, ``sc[i]`` the content's indent in columns (-1 marks a lazy
    block-quote line), ``bs[i]`` the tab phase block quotes leave behind.
    """

    __slots__ = (
        "blk",
        "bm",
        "bs",
        "level",
        "line",
        "line_max",
        "lines",
        "list_indent",
        "out",
        "sc",
        "ts",
    )

    def __init__(self, lines: list[str], ts: list[int], sc: list[int]) -> None:
        self.lines = lines
        self.bm = [0] * len(lines)
        self.ts = ts
        self.sc = sc
        self.bs = [0] * len(lines)
        self.blk = 0
        self.line = 0
        self.line_max = len(lines) - 1
        self.list_indent = -1
        self.level = 0
        self.out: list[Block] = []


def scan_blocks(lines: list[str]) -> list[Block]:
    """Every heading (ATX and setext, at any nesting) and every top-level paragraph.

    ``lines`` are a document's lines without their endings (none may contain CR or LF),
    as ``split_lines`` gives them. Blocks come in document order.
    """
    joined = "\n".join(lines)
    if "\0" in joined:
        # markdown-it replaces NUL before parsing; heading text and HTML tags see U+FFFD.
        lines = [line.replace("\0", "\ufffd") for line in lines]
    # A final empty line stands for the end of input, as in markdown-it.
    lines = [*lines, ""]
    if "\n " in joined or "\n\t" in joined or lines[0][:1] in (" ", "\t"):
        ts = [len(line) - len(line.lstrip(" \t")) for line in lines]
        sc = (
            [_columns(line, n) for line, n in zip(lines, ts, strict=True)]
            if "\t" in joined
            else ts[:]
        )
    else:
        # No line starts with a blank: every indent is 0.
        ts = [0] * len(lines)
        sc = ts[:]
    st = _State(lines, ts, sc)
    _tokenize(st, 0, st.line_max)
    return st.out


def _columns(line: str, blanks: int) -> int:
    """Width of a line's leading blanks, with tabs to the next multiple of 4."""
    col = 0
    for ch in line[:blanks]:
        col += 4 - col % 4 if ch == "\t" else 1
    return col


def _is_empty(st: _State, i: int) -> bool:
    """Whether line ``i`` is blank once its container prefixes are removed."""
    return st.bm[i] + st.ts[i] >= len(st.lines[i])


def _tokenize(st: _State, start: int, end: int) -> None:
    """markdown-it's block loop: try each rule at each block start from ``start``."""
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    blk = st.blk
    line_max = st.line_max
    too_deep = st.level >= _MAX_NESTING
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
            elif c not in _RULE_START or not _special_block(st, line, end, s, pos, c):
                _paragraph(st, line, end)
        line = st.line
        if line < end and bm[line] + ts[line] >= len(lines[line]):
            line += 1
    st.line = line


def _special_block(st: _State, line: int, end: int, s: str, pos: int, c: str) -> bool:
    """Run the rule for a line starting with ``c``, in markdown-it's rule order.

    False when no rule matched, and the line starts a paragraph.
    """
    if c in "*-_+":
        if c != "+" and (s[-1] == c or s[-1] in " \t") and _is_hr(s, pos):
            st.line = line + 1
            return True
        return c != "_" and s[pos + 1 : pos + 2] in " \t" and _list(st, line, end)
    if c in _DIGITS:
        return _list(st, line, end)
    if c in "`~":
        return _fence(st, line, end)
    if c == ">":
        _blockquote(st, line, end)
        return True
    if c == "[":
        return _reference(st, line)
    return c == "<" and _html_block(st, line, end)


# --- terminators (markdown-it's rules in silent mode) ---------------------------------


def _interrupts(st: _State, line: int, in_paragraph: bool) -> bool:
    """Whether non-empty ``line`` starts a block that ends a paragraph, reference or quote.

    ``in_paragraph`` is markdown-it's ``parentType == "paragraph"``: only a paragraph
    restricts which list items may interrupt it. The rules are pure tests here, so their
    order does not matter.
    """
    s = st.lines[line]
    pos = st.bm[line] + st.ts[line]
    c = s[pos]
    if c not in _BLOCK_START or st.sc[line] - st.blk >= 4:
        return False
    if c in "*-+":
        # A bullet is its character then a blank or the end of the line ("" is in " \t").
        if s[pos + 1 : pos + 2] in " \t" and _list_interrupts(st, line, in_paragraph, pos + 1):
            return True
        return c != "+" and _is_hr(s, pos)
    if c in _DIGITS:
        after = _ordered_marker(s, pos)
        return after >= 0 and _list_interrupts(st, line, in_paragraph, after)
    if c in "`~":
        return _opens_fence(s, pos)
    if c == ">":
        return True
    if c == "_":
        return _is_hr(s, pos)
    if c == "<":
        text = s[pos:]
        return any(start.search(text) for start, _, can_interrupt in _html_kinds() if can_interrupt)
    return _atx_level(s[pos:]) > 0


def _list_interrupts(st: _State, line: int, in_paragraph: bool, after: int) -> bool:
    """Whether the list item marker ending at ``after`` may end the current block."""
    ind = st.sc[line]
    blk = st.blk
    # A marker 4+ columns right of the list's own indent, yet left of the item's text, is
    # text: in " - a\n  - b\n   - c\n    - d", the last line continues item c.
    if st.list_indent >= 0 and ind - st.list_indent >= 4 and ind < blk:
        return False
    if in_paragraph and ind >= blk:
        # Only non-empty items, and ordered ones only from 1, interrupt a paragraph.
        s = st.lines[line]
        if not s[after:].strip(" \t"):
            return False
        if s[after - 1] in ".)":
            return int(s[st.bm[line] + st.ts[line] : after - 1]) == 1
    return True


# --- leaf blocks --------------------------------------------------------------------


def _code(st: _State, start: int, end: int) -> None:
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


def _opens_fence(s: str, pos: int) -> bool:
    """Whether ``s[pos:]`` opens a code fence: 3+ backticks or tildes, a valid info string."""
    rest = s[pos:]
    marker = rest[0]
    info = rest.lstrip(marker)
    if len(rest) - len(info) < 3:
        return False
    return marker == "~" or "`" not in info


def _fence(st: _State, start: int, end: int) -> bool:
    """markdown-it's ``fence`` rule: through the closing fence, or to the container's end."""
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    s = lines[start]
    pos = bm[start] + ts[start]
    if not _opens_fence(s, pos):
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
    return True


def _is_hr(s: str, pos: int) -> bool:
    """Whether ``s[pos:]`` is a thematic break: 3+ of one of ``*-_``, blanks between."""
    marker = s[pos]
    if s[-1] != marker and s[-1] not in " \t":
        return False
    rest = s[pos:]
    return rest.count(marker) >= 3 and not rest.replace(marker, "").strip(" \t")


def _atx_level(rest: str) -> int:
    """The level of the ATX heading that ``rest`` (a line from its first non-blank) is, or 0."""
    body = rest.lstrip("#")
    level = len(rest) - len(body)
    return 0 if level > 6 or (body and body[0] not in " \t") else level


def _atx_heading(st: _State, line: int, rest: str) -> bool:
    """markdown-it's ``heading`` rule; ``rest`` is the line from its first non-blank."""
    body = rest.lstrip("#")
    level = len(rest) - len(body)
    if level > 6 or (body and body[0] not in " \t"):
        return False
    body = body.rstrip(" \t")
    if body[-1:] == "#":
        unclosed = body.rstrip("#")
        if unclosed and unclosed[-1] in " \t":
            body = unclosed
    st.line = line + 1
    st.out.append(Block("heading", line, line + 1, level, body.strip(_TRIM), st.level > 0))
    return True


def _paragraph(st: _State, start: int, end: int) -> None:
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
        if c in _PARAGRAPH_END:
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
                if _interrupts(st, nxt, True):
                    break
        nxt += 1
    if level:
        text = _get_lines(st, start, nxt, blk).strip(_TRIM)
        st.line = nxt + 1
        st.out.append(Block("heading", start, nxt + 1, level, text, st.level > 0))
    else:
        st.line = nxt
        if st.level == 0:
            st.out.append(Block("paragraph", start, nxt, 0, "", False))


def _get_lines(st: _State, begin: int, end: int, indent: int) -> str:
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


# --- HTML blocks --------------------------------------------------------------------


def _html_block(st: _State, start: int, end: int) -> bool:
    """markdown-it's ``html_block`` rule: through the end condition of the block's kind."""
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    text = lines[start][bm[start] + ts[start] :]
    kind = next((k for k in _html_kinds() if k[0].search(text)), None)
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
    return True


# --- link reference definitions ------------------------------------------------------


def _reference(st: _State, start: int) -> bool:
    """markdown-it's reference rule; True when lines from ``start`` are definitions."""
    s = st.lines[start]
    string = s[st.bm[start] + st.ts[start] :] + "\n"
    nxt = start + 1
    mx = len(string)
    label_end = -1
    pos = 1
    while pos < mx:
        ch = string[pos]
        if ch == "[":
            return False
        if ch == "]":
            label_end = pos
            break
        if ch == "\n":
            more = _reference_line(st, nxt)
            if more is not None:
                string += more
                mx = len(string)
                nxt += 1
        elif ch == "\\":
            pos += 1
            if pos < mx and string[pos] == "\n":
                more = _reference_line(st, nxt)
                if more is not None:
                    string += more
                    mx = len(string)
                    nxt += 1
        pos += 1
    if label_end < 0 or label_end + 1 >= mx or string[label_end + 1] != ":":
        return False

    pos = label_end + 2
    while pos < mx:
        ch = string[pos]
        if ch == "\n":
            more = _reference_line(st, nxt)
            if more is not None:
                string += more
                mx = len(string)
                nxt += 1
        elif ch not in " \t":
            break
        pos += 1

    dest_end = _link_destination(string, pos, mx)
    if dest_end < 0:
        return False
    pos = dest_end
    dest_end_line = nxt

    space_start = pos
    while pos < mx:
        ch = string[pos]
        if ch == "\n":
            more = _reference_line(st, nxt)
            if more is not None:
                string += more
                mx = len(string)
                nxt += 1
        elif ch not in " \t":
            break
        pos += 1

    title_end, title_empty, can_continue, closer = _link_title(string, pos, mx, "")
    while can_continue:
        more = _reference_line(st, nxt)
        if more is None:
            break
        string += more
        pos = mx
        mx = len(string)
        nxt += 1
        title_end, _, can_continue, closer = _link_title(string, pos, mx, closer)
        title_empty = False

    has_title = False
    if pos < mx and space_start != pos and title_end >= 0:
        has_title = not title_empty
        pos = title_end
    else:
        pos = dest_end
        nxt = dest_end_line

    while pos < mx and string[pos] in " \t":
        pos += 1
    if pos < mx and string[pos] != "\n" and has_title:
        # Garbage after the title: still a definition without one, if the line allows.
        pos = dest_end
        nxt = dest_end_line
        while pos < mx and string[pos] in " \t":
            pos += 1
    if pos < mx and string[pos] != "\n":
        return False
    if not string[1:label_end].strip(_TRIM):
        return False
    st.line = nxt
    return True


def _reference_line(st: _State, line: int) -> str | None:
    """The next line of a definition, or None where the definition must stop."""
    if line >= st.line_max or _is_empty(st, line):
        return None
    ind = st.sc[line]
    lazy = ind - st.blk >= 4 or ind < 0
    if not lazy and _interrupts(st, line, False):
        return None
    return st.lines[line][st.bm[line] + st.ts[line] :] + "\n"


def _link_destination(string: str, pos: int, mx: int) -> int:
    """Index after a valid link destination at ``pos``, or -1."""
    start = pos
    if pos < mx and string[pos] == "<":
        pos += 1
        while pos < mx:
            ch = string[pos]
            if ch == "\n" or ch == "<":
                return -1
            if ch == ">":
                return pos + 1 if _allowed_url(string[start + 1 : pos]) else -1
            if ch == "\\" and pos + 1 < mx:
                pos += 2
                continue
            pos += 1
        return -1
    depth = 0
    while pos < mx:
        ch = string[pos]
        if ch <= " " or ch == "\x7f":
            break
        if ch == "\\" and pos + 1 < mx:
            if string[pos + 1] == " ":
                break
            pos += 2
            continue
        if ch == "(":
            depth += 1
            if depth > 32:
                return -1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        pos += 1
    if start == pos or depth != 0:
        return -1
    return pos if _allowed_url(string[start:pos]) else -1


def _link_title(string: str, pos: int, mx: int, closer: str) -> tuple[int, bool, bool, str]:
    """markdown-it's parseLinkTitle: (end or -1, empty title, may continue, closer).

    An empty ``closer`` starts a new title at ``pos``; otherwise the title goes on.
    """
    start = pos
    if not closer:
        if pos >= mx:
            return -1, True, False, ""
        opener = string[pos]
        if opener not in "\"'(":
            return -1, True, False, ""
        closer = ")" if opener == "(" else opener
        pos += 1
        start = pos
    while pos < mx:
        ch = string[pos]
        if ch == closer:
            return pos + 1, pos == start, False, closer
        if ch == "(" and closer == ")":
            return -1, True, False, closer
        if ch == "\\" and pos + 1 < mx:
            pos += 1
        pos += 1
    return -1, False, True, closer


def _allowed_url(raw: str) -> bool:
    """markdown-it's validateLink(normalizeLink(...)): no script-like destinations."""
    url = _unescape(raw).strip().lower()
    return not re.match(_BAD_PROTOCOL, url) or bool(re.match(_GOOD_DATA, url))


def _unescape(raw: str) -> str:
    """markdown-it's unescapeAll: backslash escapes and entity references resolved."""
    if "\\" not in raw and "&" not in raw:
        return raw
    return re.sub(_UNESCAPE, _unescape_one, raw)


def _unescape_one(m: re.Match[str]) -> str:
    """The text an escape or entity reference matched by ``_UNESCAPE`` stands for."""
    if m.group(1):
        return m.group(1)
    name = m.group(2)
    from html.entities import html5  # only definitions with entities pay for the table

    named = html5.get(name + ";")
    if named is not None:
        return named
    decimal = re.fullmatch(_DECIMAL_ENTITY, name)
    hexadecimal = re.fullmatch(_HEX_ENTITY, name)
    if decimal:
        code = int(decimal.group(1), 10)
    elif hexadecimal:
        code = int(hexadecimal.group(1), 16)
    else:
        return m.group(0)
    return chr(code) if _valid_code_point(code) else m.group(0)


def _valid_code_point(c: int) -> bool:
    """Whether a numeric entity may stand for ``c`` (markdown-it's isValidEntityCode)."""
    return not (
        0xD800 <= c <= 0xDFFF
        or 0xFDD0 <= c <= 0xFDEF
        or (c & 0xFFFF) in (0xFFFF, 0xFFFE)
        or c <= 0x08
        or c == 0x0B
        or 0x0E <= c <= 0x1F
        or 0x7F <= c <= 0x9F
        or c > 0x10FFFF
    )


# --- containers ---------------------------------------------------------------------


def _blockquote(st: _State, start: int, end: int) -> None:
    """markdown-it's ``blockquote`` rule: find the quote's lines, then parse inside them."""
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    blk = st.blk
    old_line_max = st.line_max
    # Lines re-based here are restored afterwards: outer rules see them unchanged.
    saved: list[tuple[int, int, int, int]] = []
    bs = st.bs
    saved.append((bm[start], ts[start], sc[start], bs[start]))
    last_empty = _enter_quote(st, start)
    nxt = start + 1
    while nxt < end:
        s = lines[nxt]
        pos = bm[nxt] + ts[nxt]
        if pos >= len(s):
            break
        saved.append((bm[nxt], ts[nxt], sc[nxt], bs[nxt]))
        if s[pos] == ">" and sc[nxt] >= blk:
            last_empty = _enter_quote(st, nxt)
            nxt += 1
            continue
        if last_empty:
            saved.pop()
            break
        if _interrupts(st, nxt, False):
            # markdown-it's "hard termination": the quote's paragraphs stop here.
            st.line_max = nxt
            if blk:
                sc[nxt] -= blk
            break
        sc[nxt] = -1  # a lazy continuation line
        nxt += 1

    st.blk = 0
    st.level += 1
    _tokenize(st, start, nxt)
    st.level -= 1
    st.blk = blk
    st.line_max = old_line_max
    for i, (b, t, c, p) in enumerate(saved, start):
        bm[i], ts[i], sc[i], bs[i] = b, t, c, p


def _enter_quote(st: _State, i: int) -> bool:
    """Re-base line ``i`` past its ``>`` marker; True when nothing follows the marker."""
    s = st.lines[i]
    bs = st.bs
    mx = len(s)
    pos = st.bm[i] + st.ts[i] + 1
    initial = offset = st.sc[i] + 1
    ch = s[pos] if pos < mx else ""
    adjust_tab = False
    space_after = False
    if ch == " ":
        pos += 1
        initial += 1
        offset += 1
        space_after = True
    elif ch == "\t":
        space_after = True
        if (bs[i] + offset) % 4 == 3:
            pos += 1
            initial += 1
            offset += 1
        else:
            adjust_tab = True
    content = pos
    phase = bs[i] + (1 if adjust_tab else 0)
    while pos < mx:
        ch = s[pos]
        if ch == "\t":
            offset += 4 - (offset + phase) % 4
        elif ch == " ":
            offset += 1
        else:
            break
        pos += 1
    bs[i] = st.sc[i] + 1 + (1 if space_after else 0)
    st.bm[i] = content
    st.sc[i] = offset - initial
    st.ts[i] = pos - content
    return pos >= mx


def _ordered_marker(s: str, pos: int) -> int:
    """Index after an ordered list marker (``1.``, ``2)``) at ``pos``, or -1."""
    m = _ORDERED.match(s, pos)
    return m.end() if m else -1


def _bullet_marker(s: str, pos: int) -> int:
    """Index after a bullet list marker (``-``, ``*``, ``+``) at ``pos``, or -1."""
    if pos >= len(s) or s[pos] not in "*-+":
        return -1
    pos += 1
    if pos < len(s) and s[pos] not in " \t":
        return -1
    return pos


def _list(st: _State, start: int, end: int) -> bool:
    """markdown-it's ``list`` rule: every item of the list starting at ``start``."""
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    blk = st.blk
    ind = sc[start]
    if st.list_indent >= 0 and ind - st.list_indent >= 4 and ind < blk:
        return False  # see _list_interrupts
    s = lines[start]
    first = bm[start] + ts[start]
    ordered = s[first] in _DIGITS
    after = _ordered_marker(s, first) if ordered else _bullet_marker(s, first)
    if after < 0:
        return False
    marker = s[after - 1]
    # At markdown-it's nesting limit an item's content is skipped, not parsed: only the
    # full item parse knows that.
    quick = st.level + 2 < _MAX_NESTING
    line = start
    st.level += 1
    while True:
        item_end = -1
        if quick:
            line, first, after, item_end = _text_items(st, line, first, after, end, marker, ordered)
        if item_end < 0:
            _list_item(st, line, first, after, end)
            item_end = st.line
        line = item_end
        after = _next_item_marker(st, line, end, marker, ordered)
        if after < 0:
            break
        first = st.bm[line] + st.ts[line]
    st.level -= 1
    st.line = line
    return True


def _next_item_marker(st: _State, line: int, end: int, marker: str, ordered: bool) -> int:
    """Where the marker of the list's next item at ``line`` ends; -1 when the list ends."""
    if line >= end:
        return -1
    s = st.lines[line]
    first = st.bm[line] + st.ts[line]
    ind = st.sc[line]
    blk = st.blk
    if ind < blk or ind - blk >= 4 or first >= len(s):
        return -1
    c = s[first]
    if ordered:
        # A digit starts no fence, quote or rule: only the marker decides.
        after = _ordered_marker(s, first) if c in _DIGITS else -1
    elif c == marker and s[first + 1 : first + 2] in " \t":
        after = -1 if c != "+" and _is_hr(s, first) else first + 1
    else:
        # A rule, fence or quote ends the list, and so does any other kind of item.
        return -1
    return after if after >= 0 and s[after - 1] == marker else -1


def _text_items(
    st: _State, line: int, first: int, after: int, end: int, marker: str, ordered: bool
) -> tuple[int, int, int, int]:
    """Skip the list items that are one line of text, as most items are.

    For such an item, markdown-it's item parse reduces to the tests below. From the item
    at ``line`` (its marker at ``first:after``), skips each one followed directly by the
    list's next item, and returns the first item not skipped as ``(line, first, after,
    item_end)``: ``item_end`` is where that item ends when it is one line of text followed
    by a blank line, else -1 (the item needs the full parse).
    """
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    blk = st.blk
    line_max = st.line_max
    # The item's paragraph may look at the next line only below both limits.
    limit = min(end, line_max) - 1
    while line < limit:
        s = lines[line]
        mx = len(s)
        pos = after
        while pos < mx and s[pos] == " ":
            pos += 1
        # Empty items, items opening with indented code and tabs (whose width depends on
        # the column) take the full parse.
        if pos >= mx or pos - after > 4:
            break
        c = s[pos]
        if c == "\t" or (c in _RULE_START and not _starts_text(s, pos)):
            break
        indent = sc[line] + pos - first
        nxt = line + 1
        t = lines[nxt]
        p = bm[nxt] + ts[nxt]
        if p >= len(t):
            # A blank line ends the paragraph; the item ends at the next line left of its
            # text (markdown-it skips blank lines up to `line_max`, not `end`).
            nxt += 1
            if nxt < end:
                while nxt < line_max and bm[nxt] + ts[nxt] >= len(lines[nxt]):
                    nxt += 1
                if nxt < end and sc[nxt] >= indent:
                    break
            return line, first, after, nxt
        # A marker of this list, left of this item's text, ends the paragraph and the item.
        ind = sc[nxt]
        if ind < blk or ind >= indent or ind - blk >= 4:
            break
        c = t[p]
        if ordered:
            nxt_after = _ordered_marker(t, p) if c in _DIGITS else -1
        elif (
            c == marker
            and t[p + 1 : p + 2] in " \t"
            and (c == "+" or (t[-1] != c and t[-1] not in " \t") or not _is_hr(t, p))
        ):
            nxt_after = p + 1
        else:
            break
        if nxt_after < 0 or t[nxt_after - 1] != marker:
            break
        line, first, after = nxt, p, nxt_after
    return line, first, after, -1


def _starts_text(s: str, pos: int) -> bool:
    """Whether a block starting at ``s[pos]`` can only be a paragraph (or setext heading).

    Called for the first line of a list item, which cannot be indented code.
    """
    c = s[pos]
    if c not in _RULE_START:
        return True
    if c in "*-_+":
        if c != "_" and s[pos + 1 : pos + 2] in " \t":
            return False
        # A thematic break ends in its marker or a blank: most text is out at once.
        return c == "+" or (s[-1] != c and s[-1] not in " \t") or not _is_hr(s, pos)
    if c in _DIGITS:
        return _ordered_marker(s, pos) < 0
    return False


def _list_item(st: _State, line: int, first: int, after: int, end: int) -> None:
    """One list item whose marker spans ``first:after``; leaves st.line after it."""
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    s = lines[line]
    mx = len(s)
    initial = offset = sc[line] + after - first
    pos = after
    while pos < mx:
        ch = s[pos]
        if ch == " ":
            offset += 1
        elif ch == "\t":
            offset += 4 - (offset + st.bs[line]) % 4
        else:
            break
        pos += 1
    gap = offset - initial if pos < mx else 1
    if gap > 4:
        # More than four blanks after the marker: the item starts with indented code.
        gap = 1
    indent = initial + gap
    outer, old_list_indent, old_ts, old_sc = st.blk, st.list_indent, ts[line], sc[line]
    st.list_indent = outer
    st.blk = indent
    ts[line] = pos - bm[line]
    sc[line] = offset
    st.level += 1
    if pos >= mx and _is_empty(st, line + 1):
        # An empty item followed by a blank line ends there (markdown-it's workaround).
        st.line = min(line + 2, end)
    else:
        _tokenize(st, line, end)
    st.level -= 1
    st.blk = outer
    st.list_indent = old_list_indent
    ts[line] = old_ts
    sc[line] = old_sc


# --- the short cut for a summary: the title and the footer paragraphs, few lines read ---
#
# A summary needs only the title (the first top-level level-1 heading) and the top-level
# paragraphs a metadata footer can be in: footer lines start with "**" after blanks. In a
# document without the constructs checked for below, both can be found by reading a few
# lines around each candidate instead of scanning every line. Where the checks fail,
# quick_outline returns None and the caller scans. Why it is exact (tests/test_quick.py
# holds it equal to scan_blocks on generated, specification and real documents):
#
# 1. Call a line R a *resync point* when the line before it is blank, R starts with a
#    character other than a blank, and R is not a list marker line. Only four things let a
#    block that starts before R run on into R: a fence, an HTML block of kinds 1-5 (both
#    end only at their closing line), a list whose next item R is, and markdown-it's
#    nesting limit (a container 20 deep swallows the rest of its parent). A paragraph, a
#    reference definition, a block quote and an HTML block of kinds 6-7 end at a blank
#    line; indented code ends at a line indented less than 4 columns; a list item ends at
#    a line left of its content (column 0 is left of every item's content). So when no
#    line opens a fence or an HTML block, at any depth (the prefix before a block's first
#    character is made of blanks, ">", list markers and digits), and no line is 20
#    columns deep in such a prefix, the top-level scan starts a block at every resync
#    point, whatever came before it.
# 2. From a line where a top-level block starts, the blocks that follow are known by
#    reading their own lines, as long as they are ATX headings, thematic breaks and
#    paragraphs (with their setext underlines). Anything else (a list, a block quote,
#    indented code, a reference definition) makes quick_outline give up.
# 3. Under the same checks, an ATX heading written at column 0 is a top-level heading:
#    it interrupts any paragraph and ends any quote, list and indented code. The title
#    is the first of level 1, unless an indented "#" line or a "=" underline (which could
#    make a top-level heading of level 1) comes before it; then quick_outline gives up.


_CONTAINER_PREFIX = r"[ \t>*+\-0-9.)]"  # what can stand before a block's first character


@functools.cache
def _quick_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Patterns over the lines joined with, and preceded by, "\n" (a literal first
    character lets ``re`` skip from line to line at C speed)."""
    return (
        # A fence or an HTML block could open here, at some depth.
        re.compile(r"\n" + _CONTAINER_PREFIX + r"*(?:```|~~~|<)"),
        # A level-1 ATX heading at column 0 (group 1); an indented one; a "=" underline.
        re.compile(r"\n(?:(#)(?=[ \t\n]|\Z)|[ \t]+#(?=[ \t\n]|\Z)|[ \t]*=+[ \t]*(?=\n|\Z))"),
        # The container characters a line starts with.
        re.compile(_CONTAINER_PREFIX + "*"),
    )


@functools.cache
def _wanted_or_deep(wanted: str) -> re.Pattern[str]:
    """A line that ``wanted`` matches the start of (group 1), or one with a prefix of 5
    container characters or more, which could hold containers 20 deep (4 columns at most
    a character)."""
    return re.compile(rf"\n(?:({wanted})|{_CONTAINER_PREFIX}{{5}})")


def quick_outline(
    lines: list[str], wanted: str, joined: str | None = None
) -> tuple[str | None, list[tuple[int, int]]] | None:
    """The first top-level level-1 heading's content (or None), and every top-level
    paragraph holding a line whose start the regular expression ``wanted`` matches, in
    document order, as :func:`scan_blocks` finds them; None when the document has a
    construct that needs the full scan.

    ``lines`` are as for :func:`scan_blocks`; ``wanted`` must not match a blank line nor
    run past a line's end. ``joined`` is ``"\\n".join(lines)``, when the caller has it. A
    summary asks for the paragraphs that hold a metadata footer line.
    """
    text = "\n" + ("\n".join(lines) if joined is None else joined)
    if "\0" in text:
        return None
    hazard, title_line, prefix_run = _quick_patterns()
    if (
        ("`" in text and "```" in text) or ("~" in text and "~~~" in text) or "<" in text
    ) and hazard.search(text):
        return None
    title = None
    m = title_line.search(text)
    if m is not None:
        if m.group(1) is None:
            return None
        title = _atx_text(lines[text.count("\n", 0, m.start())][1:])
    paragraphs: list[tuple[int, int]] = []
    count = len(lines)
    # One line, re-used, to ask markdown-it's interruption rule about a line at top level.
    probe = _State([""], [0], [0])
    known = 0  # a line where the top-level scan is between blocks
    line = -1
    last = 0
    for m in _wanted_or_deep(wanted).finditer(text):
        at = m.start()
        if line < 0:
            # Counted from the end: footers are at the end of a document.
            line = count - 1 - text.count("\n", at + 1)
        else:
            line += text.count("\n", last, at)
        last = at
        run = prefix_run.match(text, at + 1)
        if run is not None and len(run[0]) + 3 * run[0].count("\t") >= _MAX_NESTING:
            return None
        if m.group(1) is None or line < known:
            continue  # only deep-looking, or in the block found for an earlier line
        start = _resync_point(lines, line, known)
        while True:
            while not lines[start].strip(" \t"):
                start += 1
            block = _top_level_block(lines, start, count, probe)
            if block is None:
                return None
            is_paragraph, end = block
            if end > line:
                if is_paragraph:
                    paragraphs.append((start, end))
                known = end
                break
            start = end
    return title, paragraphs


def _atx_text(body: str) -> str:
    """An ATX heading's inline content; ``body`` is its line after the opening ``#`` run.
    The same steps as ``_atx_heading``'s."""
    body = body.rstrip(" \t")
    if body[-1:] == "#":
        unclosed = body.rstrip("#")
        if unclosed and unclosed[-1] in " \t":
            body = unclosed
    return body.strip(_TRIM)


def _resync_point(lines: list[str], line: int, known: int) -> int:
    """The last resync point from ``known`` (excluded) to ``line``, else ``known``."""
    r = line
    while r > known:
        s = lines[r]
        if (
            s[:1] not in " \t"  # "" cannot be: the line is not blank
            and not lines[r - 1].strip(" \t")
            and _bullet_marker(s, 0) < 0
            and _ordered_marker(s, 0) < 0
        ):
            return r
        r -= 1
    return known


def _top_level_block(
    lines: list[str], start: int, count: int, probe: _State
) -> tuple[bool, int] | None:
    """The top-level block at non-blank line ``start``: (is it a paragraph, line after it);
    None when it is a kind the short cut does not follow. Mirrors ``_tokenize`` at level 0."""
    s = lines[start]
    pos = len(s) - len(s.lstrip(" \t"))
    if (_columns(s, pos) if "\t" in s[:pos] else pos) >= 4:
        return None  # indented code
    c = s[pos]
    if c == "#":
        if _atx_level(s[pos:]):
            return False, start + 1
    elif c in _RULE_START:
        if c in "*-_+":
            if c != "+" and (s[-1] == c or s[-1] in " \t") and _is_hr(s, pos):
                return False, start + 1
            if c != "_" and s[pos + 1 : pos + 2] in " \t":
                return None  # a list
        elif c in _DIGITS:
            if _ordered_marker(s, pos) >= 0:
                return None  # a list
        elif c not in "`~" or _opens_fence(s, pos):
            return None  # a block quote, a reference definition, HTML, a fence
    # A paragraph, or a setext heading: markdown-it's _paragraph at level 0.
    nxt = start + 1
    while nxt < count:
        t = lines[nxt]
        pos = len(t) - len(t.lstrip(" \t"))
        if pos >= len(t):
            break
        c = t[pos]
        if c in _PARAGRAPH_END:
            ind = _columns(t, pos) if "\t" in t[:pos] else pos
            if ind <= 3:
                if (c == "=" or c == "-") and not t[pos:].rstrip(" \t").strip(c):
                    return False, nxt + 1
                probe.lines[0] = t
                probe.ts[0] = pos
                probe.sc[0] = ind
                if _interrupts(probe, 0, True):
                    break
        nxt += 1
    return True, nxt
