"""``summarize``'s short cut (``markdown.outline.quick_outline``) finds what the full scan finds.

Two levels are checked. ``quick_outline`` against ``scan_blocks``: the same title and the same
top-level paragraphs, here asked for every paragraph that holds a line starting with ``**``
and for every paragraph at all (a line that is not blank), which exercises the short cut on
every block it follows. ``summarize`` against ``oracle.summarize_full``: the same ``Summary`` (title,
metadata fields and spans, duplicates, footer's last line, front matter).

The documents: generated ones (the property tests' blocks, with and without the constructs
that make the short cut give up; line soup; blueprints with lines inserted), the CommonMark
specification's 655 examples, every version of every corpus document, the built-in template
and blueprints filled as the benchmark fills them. Where the short cut gives up, the
comparison still runs (against the fallback).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from conftest import (
    SPEC_EXAMPLES,
    TEMPLATE,
    commonmark_params,
    corpus_files,
    missing,
)
from git_blueprint.core.config import MetadataNames
from git_blueprint.core.metadata import blank_front_matter, footer_start
from git_blueprint.core.summary import summarize
from git_blueprint.markdown.blocks import scan_blocks
from git_blueprint.markdown.lines import split_lines
from git_blueprint.markdown.outline import quick_outline
from support.oracle import summarize_full
from support.strategies import (
    LINE_SOUP,
    altered_blueprints,
    any_documents,
    documents,
    filled_blueprints,
    metadata_documents,
    quick_documents,
)

NAMES = MetadataNames()
KEP_NAMES = MetadataNames(
    front_matter={"status": "status", "last_updated": "last-updated", "author": "authors"}
)
ODD_NAMES = MetadataNames(footer={"status": "State", "last_updated": "Updated", "author": "By"})

# What quick_outline is asked for: footer lines, any bold start, any line (every paragraph).
WANTED = [footer_start(NAMES), r"[ \t]*\*\*", r"[ \t]*[^ \t\n]"]


def reference(lines: list[str], wanted: str) -> tuple[str | None, list[tuple[int, int]]]:
    """What quick_outline must return, from the full scan."""
    blocks = scan_blocks(lines)
    title = next(
        (b.text for b in blocks if b.kind == "heading" and b.level == 1 and not b.nested), None
    )
    starts = re.compile(wanted)
    paragraphs = [
        (b.start, b.end)
        for b in blocks
        if b.kind == "paragraph" and any(starts.match(lines[i]) for i in range(b.start, b.end))
    ]
    return title, paragraphs


def check_outline(text: str) -> bool:
    """quick_outline agrees with the full scan for every ``WANTED``; True when it did not
    give up."""
    lines = blank_front_matter(split_lines(text).lines)
    taken = False
    for wanted in WANTED:
        quick = quick_outline(lines, wanted)
        if quick is not None:
            assert quick == reference(lines, wanted), wanted
            taken = True
    return taken


def check_summary(text: str, names: MetadataNames = NAMES) -> None:
    quick, full = summarize(text, names), summarize_full(text, names)
    assert quick.title == full.title
    assert quick.metadata.fields == full.metadata.fields  # name, value, line, span, style
    assert quick.metadata == full.metadata  # duplicates, front matter, footer's last line
    assert quick == full


def check(text: str) -> bool:
    for names in (NAMES, KEP_NAMES, ODD_NAMES):
        check_summary(text, names)
    return check_outline(text)


@settings(max_examples=400, deadline=None)
@given(doc=quick_documents())
@example(doc="- a\n\n**Author**: x")
@example(doc="Text\n**Author**: x\n---")
@example(doc="> q\n**Author**: lazy")
@example(doc="- " * 11 + "x\n\n**Author**: swallowed")
def test_generated_blueprint_like_documents(doc: str) -> None:
    event("short cut" if check(doc) else "gave up")


@settings(max_examples=300, deadline=None)
@given(doc=altered_blueprints())
def test_altered_templates(doc: str) -> None:
    event("short cut" if check(doc) else "gave up")


@settings(max_examples=300, deadline=None)
@given(doc=LINE_SOUP)
def test_line_soup(doc: str) -> None:
    event("short cut" if check(doc) else "gave up")


@settings(max_examples=200, deadline=None)
@given(doc=st.one_of(any_documents(), metadata_documents(), documents(footer=True)))
def test_property_test_documents(doc: str) -> None:
    event("short cut" if check(doc) else "gave up")


# --- the CommonMark specification's examples -------------------------------------------------


@pytest.mark.parametrize("markdown", commonmark_params())
def test_spec_example(markdown: str) -> None:
    check(markdown)
    # The same example as a blueprint's body: a title above, a footer below.
    check(f"# Title\n\n{markdown}\n\n**Blueprint Status**: Draft\n**Author**: Ada\n")


def test_spec_examples_take_the_short_cut_often() -> None:
    if not SPEC_EXAMPLES.is_file():
        missing(f"the CommonMark examples ({SPEC_EXAMPLES})")
    examples = json.loads(SPEC_EXAMPLES.read_text(encoding="utf-8"))["examples"]
    taken = sum(check_outline(ex["markdown"]) for ex in examples)
    assert taken >= len(examples) // 3, taken


# --- real documents ----------------------------------------------------------------------------

CORPUS_FILES = corpus_files()


@pytest.mark.skipif(not CORPUS_FILES, reason="../shared/corpus is not beside the checkout")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_document(path: Path) -> None:
    check(path.read_bytes().decode("utf-8"))


def test_template_and_filled_blueprints_take_the_short_cut() -> None:
    assert check(TEMPLATE.read_text(encoding="utf-8"))
    for text in filled_blueprints(60):
        assert check(text)
        assert (
            quick_outline(blank_front_matter(split_lines(text).lines), footer_start(NAMES))
            is not None
        )
        summary = summarize(text, NAMES)
        assert summary.title is not None and summary.metadata.source == "footer"
