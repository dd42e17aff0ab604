"""Lines as CommonMark sees them, with the byte-exact offsets that writes need.

CommonMark ends a line at LF, CR LF or a lone CR; ``str.splitlines`` would also split on
form feeds, vertical tabs and Unicode separators, so it is never used on documents.
"""

from __future__ import annotations

import re
from itertools import accumulate
from operator import add

BOM = "\ufeff"
_EOL = re.compile(r"\r\n|\r|\n")


class SourceLines:
    """A document split into lines; ``starts[i]`` is the offset of line ``i`` in ``text``.

    ``lines`` hold the line contents without their endings and without a leading BOM, so
    they are what a Markdown parser sees; offsets always refer to the original ``text``.
    ``starts`` is worked out on first use: most reads never need it.
    """

    __slots__ = ("_starts", "bom", "lines", "text")

    def __init__(self, text: str, lines: list[str], starts: list[int] | None, bom: bool) -> None:
        self.text = text
        self.lines = lines
        self._starts = starts
        self.bom = bom

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SourceLines) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"SourceLines({len(self.lines)} lines)"

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            # Only LF endings here (see split_lines): line i starts after i-1 lines and
            # their one-character endings.
            cumulative = accumulate(map(len, self.lines), initial=1 if self.bom else 0)
            next(cumulative)
            self._starts = [0, *map(add, cumulative, range(1, len(self.lines)))]
        return self._starts

    def content_start(self, index: int) -> int:
        """Offset in ``text`` of the first character of ``lines[index]``."""
        return self.starts[index] + (1 if index == 0 and self.bom else 0)

    def ending(self, index: int) -> str:
        """The line ending of line ``index`` as written ('' for a last line without one)."""
        end = self.content_start(index) + len(self.lines[index])
        nxt = self.starts[index + 1] if index + 1 < len(self.lines) else len(self.text)
        return self.text[end:nxt]

    def dominant_ending(self) -> str:
        """The most common line ending, LF when the text has none."""
        counts = {"\n": 0, "\r\n": 0, "\r": 0}
        for m in _EOL.finditer(self.text):
            counts[m.group()] += 1
        best = max(counts, key=lambda k: counts[k])
        return best if counts[best] else "\n"


def split_lines(text: str) -> SourceLines:
    """Split ``text`` the way CommonMark does. A final line ending starts no extra line."""
    bom = text.startswith(BOM)
    if "\r" not in text:  # the common case, at C speed
        lines = text.split("\n")
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()
        if bom:
            lines[0] = lines[0][1:]
        return SourceLines(text, lines, None, bom)
    lines = []
    starts: list[int] = []
    pos = 0
    for m in _EOL.finditer(text):
        starts.append(pos)
        lines.append(text[pos : m.start()])
        pos = m.end()
    if pos < len(text) or not lines:
        starts.append(pos)
        lines.append(text[pos:])
    if bom:
        lines[0] = lines[0][1:]
    return SourceLines(text, lines, starts, bom)
