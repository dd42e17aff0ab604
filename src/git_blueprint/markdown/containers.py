"""The containers: block quotes and lists, as markdown-it's ``blockquote`` and ``list``
rules parse them. Each re-bases the lines it holds (where their content starts, how far it
is indented) and parses that content with the block loop it finds on the state, then
restores the lines for the rules outside.

A short cut skips list items that are one line of text (most items are): for them the
item's full parse reduces to a few tests of the line and the next.
"""

from __future__ import annotations

from git_blueprint.markdown.state import (
    DIGITS,
    MAX_NESTING,
    RULE_START,
    TRIM,
    Block,
    State,
    bullet_marker,
    interrupts,
    is_empty,
    is_hr,
    ordered_marker,
)


def blockquote(st: State, start: int, end: int) -> None:
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
        if interrupts(st, nxt, False):
            # markdown-it's "hard termination": the quote's paragraphs stop here.
            st.line_max = nxt
            if blk:
                sc[nxt] -= blk
            break
        sc[nxt] = -1  # a lazy continuation line
        nxt += 1

    st.blk = 0
    mark = len(st.out)
    st.level += 1
    st.tokenize(st, start, nxt)
    st.level -= 1
    if st.full:
        st.out.insert(mark, Block("quote", start, st.line, 0, "", st.level > 0, st.level))
    st.blk = blk
    st.line_max = old_line_max
    for i, (b, t, c, p) in enumerate(saved, start):
        bm[i], ts[i], sc[i], bs[i] = b, t, c, p


def _enter_quote(st: State, i: int) -> bool:
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


def list_block(st: State, start: int, end: int) -> bool:
    """markdown-it's ``list`` rule: every item of the list starting at ``start``."""
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    blk = st.blk
    ind = sc[start]
    if st.list_indent >= 0 and ind - st.list_indent >= 4 and ind < blk:
        return False  # see list_interrupts
    s = lines[start]
    first = bm[start] + ts[start]
    ordered = s[first] in DIGITS
    after = ordered_marker(s, first) if ordered else bullet_marker(s, first)
    if after < 0:
        return False
    marker = s[after - 1]
    # At markdown-it's nesting limit an item's content is skipped, not parsed: only the
    # full item parse knows that.
    full = st.full
    quick = st.level + 2 < MAX_NESTING
    out = st.out
    mark = len(out)
    line = start
    st.level += 1
    while True:
        item_end = -1
        if quick:
            line, first, after, item_end = _text_items(st, line, first, after, end, marker, ordered)
        if item_end < 0:
            item_mark = len(out)
            _list_item(st, line, first, after, end)
            item_end = st.line
            if full:
                out.insert(item_mark, Block("item", line, item_end, 0, "", True, st.level))
        line = item_end
        after = _next_item_marker(st, line, end, marker, ordered)
        if after < 0:
            break
        first = st.bm[line] + st.ts[line]
    st.level -= 1
    st.line = line
    if full:
        out.insert(mark, Block("list", start, line, 0, "", st.level > 0, st.level))
    return True


def _next_item_marker(st: State, line: int, end: int, marker: str, ordered: bool) -> int:
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
        after = ordered_marker(s, first) if c in DIGITS else -1
    elif c == marker and s[first + 1 : first + 2] in " \t":
        after = -1 if c != "+" and is_hr(s, first) else first + 1
    else:
        # A rule, fence or quote ends the list, and so does any other kind of item.
        return -1
    return after if after >= 0 and s[after - 1] == marker else -1


def _text_items(
    st: State, line: int, first: int, after: int, end: int, marker: str, ordered: bool
) -> tuple[int, int, int, int]:
    """Skip the list items that are one line of text, as most items are.

    For such an item, markdown-it's item parse reduces to the tests below. From the item
    at ``line`` (its marker at ``first:after``), skips each one followed directly by the
    list's next item, and returns the first item not skipped as ``(line, first, after,
    item_end)``: ``item_end`` is where that item ends when it is one line of text followed
    by a blank line, else -1 (the item needs the full parse). A full scan gets the item and
    its paragraph of every item skipped or ended here.
    """
    lines, bm, ts, sc = st.lines, st.bm, st.ts, st.sc
    blk = st.blk
    full = st.full
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
        if c == "\t" or (c in RULE_START and not _starts_text(s, pos)):
            break
        if full and "\t" in s[bm[line] : first]:
            break  # the paragraph's text is then where markdown-it's getLines says
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
            if full:
                _one_line_item(st, line, nxt, s[pos:])
            return line, first, after, nxt
        # A marker of this list, left of this item's text, ends the paragraph and the item.
        ind = sc[nxt]
        if ind < blk or ind >= indent or ind - blk >= 4:
            break
        c = t[p]
        if ordered:
            nxt_after = ordered_marker(t, p) if c in DIGITS else -1
        elif (
            c == marker
            and t[p + 1 : p + 2] in " \t"
            and (c == "+" or (t[-1] != c and t[-1] not in " \t") or not is_hr(t, p))
        ):
            nxt_after = p + 1
        else:
            break
        if nxt_after < 0 or t[nxt_after - 1] != marker:
            break
        if full:
            _one_line_item(st, line, nxt, s[pos:])
        line, first, after = nxt, p, nxt_after
    return line, first, after, -1


def _one_line_item(st: State, line: int, end: int, text: str) -> None:
    """Report an item whose content is the paragraph ``text`` on its first line."""
    depth = st.level
    st.out.append(Block("item", line, end, 0, "", True, depth))
    st.out.append(Block("paragraph", line, line + 1, 0, text.strip(TRIM), True, depth + 1))


def _starts_text(s: str, pos: int) -> bool:
    """Whether a block starting at ``s[pos]`` can only be a paragraph (or setext heading).

    Called for the first line of a list item, which cannot be indented code.
    """
    c = s[pos]
    if c not in RULE_START:
        return True
    if c in "*-_+":
        if c != "_" and s[pos + 1 : pos + 2] in " \t":
            return False
        # A thematic break ends in its marker or a blank: most text is out at once.
        return c == "+" or (s[-1] != c and s[-1] not in " \t") or not is_hr(s, pos)
    if c in DIGITS:
        return ordered_marker(s, pos) < 0
    return False


def _list_item(st: State, line: int, first: int, after: int, end: int) -> None:
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
    if pos >= mx and is_empty(st, line + 1):
        # An empty item followed by a blank line ends there (markdown-it's workaround).
        st.line = min(line + 2, end)
    else:
        st.tokenize(st, line, end)
    st.level -= 1
    st.blk = outer
    st.list_indent = old_list_indent
    ts[line] = old_ts
    sc[line] = old_sc
