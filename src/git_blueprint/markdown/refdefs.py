"""Link reference definitions (``[label]: /url "title"``), as markdown-it's ``reference``
rule finds them: their lines, and whether their destination is one markdown-it accepts.
Their lines are neither paragraph nor heading; ``scan_document`` reports each definition
with its label, which inline links and placeholders need.
"""

from __future__ import annotations

import re

from git_blueprint.markdown.state import TRIM, Block, State, interrupts, is_empty

# Link destinations: patterns left to re's own cache, compiled only when a link reference
# definition needs them.
_BAD_PROTOCOL = r"(vbscript|javascript|file|data):"
_GOOD_DATA = r"data:image\/(gif|png|jpeg|webp);"
_UNESCAPE = r"(?i)\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])|&([a-z#][a-z0-9]{1,31});"
_DECIMAL_ENTITY = r"#([0-9]{1,8})"
_HEX_ENTITY = r"(?i)#x([a-f0-9]{1,8})"


def reference(st: State, start: int) -> bool:
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
    label = string[1:label_end]
    if not label.strip(TRIM):
        return False
    st.line = nxt
    if st.full:
        st.out.append(Block("reference", start, nxt, 0, label, st.level > 0, st.level))
    return True


def _reference_line(st: State, line: int) -> str | None:
    """The next line of a definition, or None where the definition must stop."""
    if line >= st.line_max or is_empty(st, line):
        return None
    ind = st.sc[line]
    lazy = ind - st.blk >= 4 or ind < 0
    if not lazy and interrupts(st, line, False):
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
