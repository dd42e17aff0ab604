"""Lines as CommonMark sees them: the fast split agrees with the plain definition."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from git_blueprint.markdown.lines import split_lines


def reference(text: str) -> tuple[list[str], list[int], bool]:
    lines: list[str] = []
    starts: list[int] = []
    pos = 0
    for m in re.finditer(r"\r\n|\r|\n", text):
        starts.append(pos)
        lines.append(text[pos : m.start()])
        pos = m.end()
    if pos < len(text) or not lines:
        starts.append(pos)
        lines.append(text[pos:])
    bom = text.startswith("\ufeff")
    if bom:
        lines[0] = lines[0][1:]
    return lines, starts, bom


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(["a", "é", " ", "\t", "\n", "\r", "\ufeff", "\x0c"]), max_size=30
    )
)
def test_split_lines_matches_the_definition(text: str) -> None:
    src = split_lines(text)
    assert (src.lines, src.starts, src.bom) == reference(text)
    rebuilt = "".join(
        ("\ufeff" if i == 0 and src.bom else "") + line + src.ending(i)
        for i, line in enumerate(src.lines)
    )
    assert rebuilt == text
