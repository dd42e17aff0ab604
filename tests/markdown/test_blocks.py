"""``scan_blocks`` and ``scan_document`` find the blocks markdown-it-py's CommonMark parser
finds, exactly.

The reference is ``MarkdownIt("commonmark").parse("\\n".join(lines) + "\\n")``
(``oracle.token_scan``). ``scan_blocks`` must give every ``heading_open`` token and every
``paragraph_open`` token at level 0, with the token's map, level, heading level and inline
content; ``scan_document`` every block token at every level (paragraphs with their inline
content), and the link reference definitions markdown-it collected. Both are checked on the
CommonMark specification's examples, on real design documents, on the integration template
and on generated documents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO_ROOT, commonmark_params, missing
from git_blueprint.markdown.blocks import Block, scan_blocks, scan_document
from git_blueprint.markdown.lines import split_lines
from support.oracle import scanned_references, token_scan

SHARED = REPO_ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
TEMPLATE = SHARED / "templates" / "integration.md"


def headings_and_paragraphs(blocks: list[Block]) -> list[Block]:
    """What ``scan_blocks`` reports of a full list of blocks."""
    return [
        b if b.kind == "heading" else Block("paragraph", b.start, b.end, 0, "", False)
        for b in blocks
        if b.kind == "heading" or (b.kind == "paragraph" and b.depth == 0)
    ]


def blank_front_matter(lines: list[str]) -> list[str]:
    """Blank YAML front matter as the scanner's callers do before scanning."""
    if lines and lines[0] == "---":
        for i in range(1, len(lines)):
            if lines[i] in ("---", "..."):
                return [""] * (i + 1) + lines[i + 1 :]
    return lines


def assert_agrees(lines: list[str]) -> None:
    blocks, references = token_scan(lines)
    assert scan_blocks(lines) == headings_and_paragraphs(blocks)
    full = scan_document(lines)
    assert [b for b in full if b.kind != "reference"] == blocks
    assert scanned_references(full) == references


def test_reports_headings_at_any_depth_and_only_top_level_paragraphs() -> None:
    lines = [
        "# Title #",
        "",
        "Intro text",
        "over two lines.",
        "",
        "- item paragraph",
        "- ## Item heading",
        "",
        "> Quoted",
        "> ---",
        "",
        "Setext",
        "======",
    ]
    assert scan_blocks(lines) == [
        Block("heading", 0, 1, 1, "Title", False),
        Block("paragraph", 2, 4, 0, "", False),
        Block("heading", 6, 7, 2, "Item heading", True, 2),
        Block("heading", 8, 10, 2, "Quoted", True, 1),
        Block("heading", 11, 13, 1, "Setext", False),
    ]
    assert_agrees(lines)


def test_the_full_scan_reports_every_block_a_container_first() -> None:
    lines = [
        "[ref]: /url",
        "> - **Key**: value",
        ">   continued",
        "",
        "---",
        "```",
        "# not a heading",
        "```",
        "",
        "    code",
        "<div>",
    ]
    assert scan_document(lines) == [
        Block("reference", 0, 1, 0, "ref", False, 0),
        Block("quote", 1, 3, 0, "", False, 0),
        Block("list", 1, 3, 0, "", True, 1),
        Block("item", 1, 3, 0, "", True, 2),
        Block("paragraph", 1, 3, 0, "**Key**: value\ncontinued", True, 3),
        Block("rule", 4, 5, 0, "", False, 0),
        Block("fence", 5, 8, 0, "", False, 0),
        Block("code", 9, 10, 0, "", False, 0),
        Block("html", 10, 11, 0, "", False, 0),
    ]
    assert_agrees(lines)


# --- the CommonMark specification's examples ------------------------------------------


@pytest.mark.parametrize("markdown", commonmark_params())
def test_spec_example(markdown: str) -> None:
    assert_agrees(split_lines(markdown).lines)


# --- real design documents -----------------------------------------------------------


def _corpus_params() -> list[Any]:
    files = sorted(CORPUS.glob("*/v*.md"))
    if not files:
        reason = f"design-document corpus not found under {CORPUS}"
        return [pytest.param(None, id="missing", marks=pytest.mark.skip(reason=reason))]
    return [pytest.param(f, id=f"{f.parent.name}/{f.name}") for f in files]


def _read_lines(path: Path) -> list[str]:
    # newline="" keeps CR LF and lone CR, which split_lines must see.
    with path.open(encoding="utf-8", newline="") as f:
        return split_lines(f.read()).lines


@pytest.mark.parametrize("path", _corpus_params())
def test_corpus_document(path: Path) -> None:
    assert_agrees(blank_front_matter(_read_lines(path)))


def test_integration_template() -> None:
    if not TEMPLATE.is_file():
        missing(f"the template ({TEMPLATE})")
    lines = _read_lines(TEMPLATE)
    assert any(block.kind == "heading" for block in scan_blocks(lines))
    assert_agrees(lines)


# --- generated documents -------------------------------------------------------------

_INDENT = st.sampled_from(["", "", "", " ", "  ", "   ", "    ", "\t", " \t", "      "])
_WORDS = st.sampled_from(
    ["text", "more *text* here", "a `span`", "[link](/u)", "end \\#", "x  ", "", "#", "- a"]
)
_HEADING_CLOSE = st.sampled_from(["", "", " #", " ###", "#", " \\#", "  "])
_PREFIX = st.sampled_from(
    ["", "", "", "", "> ", ">", "> > ", " > ", "- ", "* ", "1. ", "  ", "   ", "> - ", "- > "]
)

_ATX = st.builds(
    lambda indent, level, text, close: f"{indent}{'#' * level} {text}{close}",
    _INDENT,
    st.integers(1, 7),
    _WORDS,
    _HEADING_CLOSE,
)
_UNDERLINE = st.builds(
    lambda indent, ch, n, tail: indent + ch * n + tail,
    _INDENT,
    st.sampled_from("=-"),
    st.integers(1, 4),
    st.sampled_from(["", " ", " x", " -"]),
)
_FENCE = st.builds(
    lambda indent, ch, n, info: indent + ch * n + info,
    _INDENT,
    st.sampled_from("`~"),
    st.integers(2, 5),
    st.sampled_from(["", "", "python", " js ", " `x`", " ~x"]),
)
_HTML = st.sampled_from(
    [
        "<!-- note",
        "-->",
        "<!-- one line -->",
        "<div>",
        "</div>",
        "<div class='x'>",
        "<span>",
        '<span class="a">',
        "<pre>",
        "</pre>",
        "<?php",
        "?>",
        "<!DOCTYPE html>",
        "<![CDATA[",
        "]]>",
        "<notatag",
    ]
)
_ITEM = st.builds(
    lambda indent, marker, text: indent + marker + text,
    _INDENT,
    st.sampled_from(["- ", "* ", "+ ", "1. ", "2) ", "10. ", "-", "1.", "-\t", "1.     "]),
    _WORDS,
)
_KEY_VALUE = st.builds(
    lambda key, value: f"**{key}**: {value}",
    st.sampled_from(["Status", "Owner", "Key"]),
    st.sampled_from(["Draft", "[Name]", ""]),
)
_REFERENCE = st.sampled_from(
    [
        "[a]: /u",
        "[a]: /u 'title'",
        "[b]:",
        "  /url",
        '"title"',
        "'unclosed title",
        "[a]: <bad url>",
        "[a]: javascript:alert(1)",
        "[ ]: /u",
        "[a]: /u garbage",
    ]
)
_RULE = st.sampled_from(["---", "***", "* * *", "___", "- - -", "-- -", "=="])
_PROSE = st.sampled_from(["Plain prose.", "Prose with trailing spaces  ", "  indented prose"])
_BLANK = st.sampled_from(["", "", "", " ", "\t"])

_LINE = st.builds(
    lambda prefix, body: prefix + body,
    _PREFIX,
    st.one_of(
        _ATX,
        _UNDERLINE,
        _FENCE,
        _HTML,
        _ITEM,
        _KEY_VALUE,
        _REFERENCE,
        _RULE,
        _PROSE,
        _BLANK,
        st.builds(lambda indent, text: indent + text, _INDENT, _WORDS),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=25))
def test_generated_documents(lines: list[str]) -> None:
    assert_agrees(lines)
