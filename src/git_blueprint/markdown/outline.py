"""The short cut for a summary: the title and the paragraphs that hold footer lines, found
by reading only the lines around them (:func:`quick_outline`), where the document allows it.
"""

from __future__ import annotations

import functools
import re

from git_blueprint.markdown.state import (
    DIGITS,
    MAX_NESTING,
    PARAGRAPH_END,
    RULE_START,
    State,
    atx_level,
    atx_text,
    bullet_marker,
    columns,
    interrupts,
    is_hr,
    opens_fence,
    ordered_marker,
)

__all__ = ["quick_outline"]

# A summary needs only the title (the first top-level level-1 heading) and the top-level
# paragraphs a metadata footer can be in: footer lines start with "**" after blanks. In a
# document without the constructs checked for below, both can be found by reading a few
# lines around each candidate instead of scanning every line. Where the checks fail,
# quick_outline returns None and the caller scans. Why it is exact (tests/markdown/test_outline.py
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
        title = atx_text(lines[text.count("\n", 0, m.start())][1:])
    paragraphs: list[tuple[int, int]] = []
    count = len(lines)
    # One line, re-used, to ask markdown-it's interruption rule about a line at top level.
    probe = State([""], [0], [0])
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
        if run is not None and len(run[0]) + 3 * run[0].count("\t") >= MAX_NESTING:
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


def _resync_point(lines: list[str], line: int, known: int) -> int:
    """The last resync point from ``known`` (excluded) to ``line``, else ``known``."""
    r = line
    while r > known:
        s = lines[r]
        if (
            s[:1] not in " \t"  # "" cannot be: the line is not blank
            and not lines[r - 1].strip(" \t")
            and bullet_marker(s, 0) < 0
            and ordered_marker(s, 0) < 0
        ):
            return r
        r -= 1
    return known


def _top_level_block(
    lines: list[str], start: int, count: int, probe: State
) -> tuple[bool, int] | None:
    """The top-level block at non-blank line ``start``: (is it a paragraph, line after it);
    None when it is a kind the short cut does not follow. Mirrors ``_tokenize`` at level 0."""
    s = lines[start]
    pos = len(s) - len(s.lstrip(" \t"))
    if (columns(s, pos) if "\t" in s[:pos] else pos) >= 4:
        return None  # indented code
    c = s[pos]
    if c == "#":
        if atx_level(s[pos:]):
            return False, start + 1
    elif c in RULE_START:
        if c in "*-_+":
            if c != "+" and (s[-1] == c or s[-1] in " \t") and is_hr(s, pos):
                return False, start + 1
            if c != "_" and s[pos + 1 : pos + 2] in " \t":
                return None  # a list
        elif c in DIGITS:
            if ordered_marker(s, pos) >= 0:
                return None  # a list
        elif c not in "`~" or opens_fence(s, pos):
            return None  # a block quote, a reference definition, HTML, a fence
    # A paragraph, or a setext heading: markdown-it's _paragraph at level 0.
    nxt = start + 1
    while nxt < count:
        t = lines[nxt]
        pos = len(t) - len(t.lstrip(" \t"))
        if pos >= len(t):
            break
        c = t[pos]
        if c in PARAGRAPH_END:
            ind = columns(t, pos) if "\t" in t[:pos] else pos
            if ind <= 3:
                if (c == "=" or c == "-") and not t[pos:].rstrip(" \t").strip(c):
                    return False, nxt + 1
                probe.lines[0] = t
                probe.ts[0] = pos
                probe.sc[0] = ind
                if interrupts(probe, 0, True):
                    break
        nxt += 1
    return True, nxt
