"""The document model, built on the standard-library scanner, is the one markdown-it-py's
block parse gives (``oracle.oracle_document``): the same title, nodes (keys, kinds, levels,
lines, fields with their spans, text), metadata, duplicate keys and placeholders.

The documents: the CommonMark specification's examples (alone, and as the body of a
blueprint), every version of every corpus document, the built-in template, blueprints
filled as the benchmark fills them, and generated documents: the property tests' documents,
the short cut's, line soup, and blueprints whose sections hold field items of every shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import TEMPLATE, commonmark_params, corpus_files
from git_blueprint.core.config import MetadataNames
from git_blueprint.core.document import Document, parse_document
from support.oracle import oracle_document
from support.strategies import (
    LINE_SOUP,
    SEPARATORS,
    altered_blueprints,
    any_documents,
    body_block,
    documents,
    field_item,
    filled_blueprints,
    metadata_documents,
    phrase,
    quick_documents,
)

NAMES = MetadataNames()
KEP_NAMES = MetadataNames(
    front_matter={"status": "status", "last_updated": "last-updated", "author": "authors"}
)


def assert_same_model(text: str, names: MetadataNames = NAMES) -> Document:
    doc = parse_document(text, "<doc>", names)
    want = oracle_document(text, "<doc>", names)
    assert doc.title == want.title
    assert doc.nodes == want.nodes  # keys, kinds, lines, fields and their spans, text
    assert doc.metadata == want.metadata
    assert doc == want  # preamble text and duplicate keys too
    assert doc.placeholders == want.placeholders
    assert doc.to_dict() == want.to_dict()
    return doc


def test_fields_and_their_continuation_lines() -> None:
    text = (
        "# Integration Blueprint: Gateway\n\n"
        "## System 1: Payments API\n"
        "- **Role**: takes\n  payments\n"
        "- **Owner:** [Team Name]\n"
        "- not a field\n"
        "- [ ] **Task**: a checkbox item is no field\n"
        "-\n  **Later**: the item's first line is empty\n\n"
        "> - **Quoted**: not a field of the node\n\n"
        "## System 2: Payments API\n"
    )
    doc = assert_same_model(text)
    first = doc.nodes[0]
    assert [(f.key, f.value, f.line, f.end_line) for f in first.fields] == [
        ("Role", "takes\npayments", 4, 5),
        ("Owner", "[Team Name]", 6, 6),
        ("Later", "the item's first line is empty", 9, 10),
    ]
    assert [n.key for n in doc.nodes] == ["Payments API", "Payments API (2)"]
    assert [p.text for p in doc.placeholders] == ["[Team Name]"]


def test_a_reference_definition_first_in_an_item_leaves_the_item_a_field() -> None:
    # markdown-it opens no token for a definition: the paragraph after it is the item's
    # first block, and a reference's label is no placeholder.
    text = "# T\n\n## A\n- [x-ref]: /url\n  **Key**: value\n\nSee [x-ref] and [Other].\n"
    doc = assert_same_model(text)
    assert [(f.key, f.value) for f in doc.nodes[0].fields] == [("Key", "value")]
    assert [p.text for p in doc.placeholders] == ["[Other]"]


# --- the CommonMark specification's examples ---------------------------------------------


@pytest.mark.parametrize("markdown", commonmark_params())
def test_spec_example(markdown: str) -> None:
    assert_same_model(markdown)
    assert_same_model(
        f"# Title\n\n## Section\n\n{markdown}\n\n**Blueprint Status**: Draft\n**Author**: Ada\n"
    )


# --- real documents ----------------------------------------------------------------------

CORPUS_FILES = corpus_files()


@pytest.mark.skipif(not CORPUS_FILES, reason="../shared/corpus is not beside the checkout")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_document(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    for names in (NAMES, KEP_NAMES):
        assert_same_model(text, names)


def test_template_and_filled_blueprints() -> None:
    doc = assert_same_model(TEMPLATE.read_text(encoding="utf-8"))
    assert doc.nodes and any(node.fields for _, node in doc.walk())
    assert len(doc.placeholders) > 20
    for text in filled_blueprints(30):
        assert assert_same_model(text).title is not None


# --- generated documents -----------------------------------------------------------------


def section_item() -> st.SearchStrategy[list[str]]:
    """A list item of a section: a field, or an item shaped like one in some other way."""
    return st.one_of(
        field_item(),
        field_item().map(lambda lines: ["  " + line for line in lines]),  # nested deeper
        phrase().map(lambda p: [f"- {p}"]),
        st.sampled_from(
            [
                ["-", "  **Key**: first line empty"],
                ["- [x-ref]: /url", "  **Key**: after a definition"],
                ["- [ ] **Task**: checkbox"],
                ["- **Key**: value", "", "  more of the item after a blank line"],
                ["- **Key**: value", "    four more columns"],
                ["- **Key**: value", "lazy continuation"],
                ["1. **Step**: ordered", "2. **Step**: again"],
                ["- > **Quoted**: value"],
                ["- ## **Heading**: value"],
                ["- ```", "  **Fenced**: value", "  ```"],
                ["- **A**: one", "  - **B**: nested", "- **A**: two"],
                ["- **Key**: [Placeholder] and [link](/u)"],
                ["- **Key**:", "  value on the next line"],
                ["*   **Wide**: marker and four blanks"],
            ]
        ),
    )


@st.composite
def sectioned_blueprints(draw: st.DrawFn) -> str:
    """A title, then sections of field items and other blocks, then a footer."""
    lines = ["# Integration Blueprint: Generated", ""]
    sections = st.tuples(
        st.integers(2, 4),
        st.sampled_from(["System", "Flow", "Step"]),
        st.lists(st.tuples(SEPARATORS, section_item()), max_size=4),
    )
    for n, (level, kind, items) in enumerate(draw(st.lists(sections, min_size=1, max_size=4))):
        lines.append(f"{'#' * level} {kind} {n}: X")
        for separator, item in items:
            lines += separator + item
        if draw(st.booleans()):
            lines += ["", *draw(body_block())]
        lines.append("")
    lines += ["---", "", "**Blueprint Status**: Draft", "**Author**: Ada"]
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=150, deadline=None)
@given(doc=sectioned_blueprints())
@example(doc="# T\n## A\n- **K**: v\n- **K**: w\n## A\n")
def test_generated_blueprints(doc: str) -> None:
    assert_same_model(doc)


@settings(max_examples=150, deadline=None)
@given(doc=st.one_of(any_documents(), metadata_documents(), documents(footer=True)))
def test_property_test_documents(doc: str) -> None:
    assert_same_model(doc)


@settings(max_examples=200, deadline=None)
@given(doc=st.one_of(quick_documents(), altered_blueprints(), LINE_SOUP))
def test_short_cut_documents_and_line_soup(doc: str) -> None:
    assert_same_model(doc)
