"""The block scanner's shared parts: its result (:class:`Block`), its per-line state
(:class:`State`, markdown-it's StateBlock reduced to what locates blocks) and the tests every
rule asks of a single line: is it blank, what does it open, does it end a paragraph.

Standard library only, like the rest of ``git_blueprint.markdown``.
"""

from __future__ import annotations

import functools
import re

from git_blueprint.values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    Tokenize = Callable[["State", int, int], None]


class Block(Record, frozen=True):
    """One block, located as markdown-it locates it.

    ``scan_blocks`` reports headings and top-level paragraphs; ``scan_document`` reports
    every block markdown-it opens a token for, at every depth, and the link reference
    definitions, for which it opens none. Kinds: ``heading``, ``paragraph``, ``rule``
    (a thematic break), ``fence``, ``code`` (indented), ``html``, ``quote``, ``list``,
    ``item`` and ``reference``. A container comes before the blocks it holds.
    """

    kind: str
    start: int  # first line, 0-based (markdown-it's token.map[0])
    end: int  # line after the block (token.map[1])
    level: int  # heading level 1-6; 0 for any other block
    # A heading's inline content; with scan_document also a paragraph's, and a reference
    # definition's label as written; "" for any other block.
    text: str
    nested: bool  # inside a block quote or list item (token.level > 0)
    depth: int = 0  # markdown-it's token.level: 0 at top level, 2 in a top-level list's item


# markdown-it's own limit: deeper containers are not parsed at all.
MAX_NESTING = 20

# What markdown-it's mdTrim strips: its whitespace set, not str.isspace().
TRIM = "".join(
    chr(c)
    for c in sorted(
        {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000}
        | set(range(0x2000, 0x200B))
        | {0x2028, 0x2029}
    )
)

# A line whose first non-blank is none of these can only continue a paragraph.
BLOCK_START = frozenset("`~>*-_+0123456789<#")
RULE_START = BLOCK_START | {"["}
PARAGRAPH_END = BLOCK_START | {"="}
DIGITS = frozenset("0123456789")

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
def html_kinds() -> tuple[_HtmlKind, ...]:
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


def _no_blocks(st: State, start: int, end: int) -> None:
    """The block loop of a state made only to ask line tests of (``outline``'s probe)."""
    raise AssertionError("this scanner state parses no blocks")


class State:
    """The mutable per-line bookkeeping of markdown-it's StateBlock, and nothing else.

    ``bm[i]`` is where line ``i``'s content starts (after block-quote markers), ``ts[i]``
    how many blanks follow it, ``sc[i]`` the content's indent in columns (-1 marks a lazy
    block-quote line), ``bs[i]`` the tab phase block quotes leave behind.
    """

    __slots__ = (
        "blk",
        "bm",
        "bs",
        "full",
        "level",
        "line",
        "line_max",
        "lines",
        "list_indent",
        "out",
        "sc",
        "tokenize",
        "ts",
    )

    def __init__(
        self, lines: list[str], ts: list[int], sc: list[int], tokenize: Tokenize | None = None
    ) -> None:
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
        self.full = False  # every block, as scan_document reports them
        # The block loop, for containers to parse their content with (it lives in
        # ``blocks``, which imports the containers).
        self.tokenize: Tokenize = tokenize or _no_blocks


def columns(line: str, blanks: int) -> int:
    """Width of a line's leading blanks, with tabs to the next multiple of 4."""
    col = 0
    for ch in line[:blanks]:
        col += 4 - col % 4 if ch == "\t" else 1
    return col


def is_empty(st: State, i: int) -> bool:
    """Whether line ``i`` is blank once its container prefixes are removed."""
    return st.bm[i] + st.ts[i] >= len(st.lines[i])


def interrupts(st: State, line: int, in_paragraph: bool) -> bool:
    """Whether non-empty ``line`` starts a block that ends a paragraph, reference or quote.

    ``in_paragraph`` is markdown-it's ``parentType == "paragraph"``: only a paragraph
    restricts which list items may interrupt it. The rules are pure tests here, so their
    order does not matter.
    """
    s = st.lines[line]
    pos = st.bm[line] + st.ts[line]
    c = s[pos]
    if c not in BLOCK_START or st.sc[line] - st.blk >= 4:
        return False
    if c in "*-+":
        # A bullet is its character then a blank or the end of the line ("" is in " \t").
        if s[pos + 1 : pos + 2] in " \t" and list_interrupts(st, line, in_paragraph, pos + 1):
            return True
        return c != "+" and is_hr(s, pos)
    if c in DIGITS:
        after = ordered_marker(s, pos)
        return after >= 0 and list_interrupts(st, line, in_paragraph, after)
    if c in "`~":
        return opens_fence(s, pos)
    if c == ">":
        return True
    if c == "_":
        return is_hr(s, pos)
    if c == "<":
        text = s[pos:]
        return any(start.search(text) for start, _, can_interrupt in html_kinds() if can_interrupt)
    return atx_level(s[pos:]) > 0


def list_interrupts(st: State, line: int, in_paragraph: bool, after: int) -> bool:
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


def opens_fence(s: str, pos: int) -> bool:
    """Whether ``s[pos:]`` opens a code fence: 3+ backticks or tildes, a valid info string."""
    rest = s[pos:]
    marker = rest[0]
    info = rest.lstrip(marker)
    if len(rest) - len(info) < 3:
        return False
    return marker == "~" or "`" not in info


def is_hr(s: str, pos: int) -> bool:
    """Whether ``s[pos:]`` is a thematic break: 3+ of one of ``*-_``, blanks between."""
    marker = s[pos]
    if s[-1] != marker and s[-1] not in " \t":
        return False
    rest = s[pos:]
    return rest.count(marker) >= 3 and not rest.replace(marker, "").strip(" \t")


def atx_level(rest: str) -> int:
    """The level of the ATX heading that ``rest`` (a line from its first non-blank) is, or 0."""
    body = rest.lstrip("#")
    level = len(rest) - len(body)
    return 0 if level > 6 or (body and body[0] not in " \t") else level


def atx_text(body: str) -> str:
    """An ATX heading's inline content; ``body`` is its line after the opening ``#`` run:
    the closing ``#`` run (after a blank) and the blanks around removed."""
    body = body.rstrip(" \t")
    if body[-1:] == "#":
        unclosed = body.rstrip("#")
        if unclosed and unclosed[-1] in " \t":
            body = unclosed
    return body.strip(TRIM)


def ordered_marker(s: str, pos: int) -> int:
    """Index after an ordered list marker (``1.``, ``2)``) at ``pos``, or -1."""
    m = _ORDERED.match(s, pos)
    return m.end() if m else -1


def bullet_marker(s: str, pos: int) -> int:
    """Index after a bullet list marker (``-``, ``*``, ``+``) at ``pos``, or -1."""
    if pos >= len(s) or s[pos] not in "*-+":
        return -1
    pos += 1
    if pos < len(s) and s[pos] not in " \t":
        return -1
    return pos
