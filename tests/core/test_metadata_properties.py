"""Property tests of the document reader and the metadata writer (docs/format.md).

Documents are built from blocks (headings, field items, fences, HTML, quotes, lists, footer
metadata, …), each rendering to lines; the lines are then joined with an ending chosen per line
(LF, CRLF, now and then a lone CR), behind optional YAML front matter and a BOM, with or
without a final newline. Pure functions only: no git.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from git_blueprint.core.document import parse_document
from git_blueprint.core.metadata import set_fields
from git_blueprint.core.summary import summarize
from git_blueprint.errors import DocumentError
from support.strategies import (
    NAMES,
    any_documents,
    assert_write_changes_only_the_value,
    assignments,
    block_style_documents,
    field_write,
    flow_or_indented_documents,
    metadata_documents,
    normalised,
    writable_documents,
)


@settings(max_examples=150, deadline=None)
@given(doc=any_documents())
@example(doc="---\r\nstatus: 'Draft'\r\n---\r\n# T\r\n```\r\n# in code")
@example(doc="\ufeff**Blueprint Status**: Draft\r**Author**: Ada")
def test_parsing_never_raises(doc: str) -> None:
    document = parse_document(doc)
    summarize(doc, NAMES)
    meta = document.metadata
    for f in [*meta.fields.values(), *meta.duplicates]:
        assert 0 <= f.start <= f.end <= len(doc)
        if f.style == "footer":  # offsets into the file as it is, BOM and CRs included
            assert doc[f.start : f.end] == f.value


@settings(max_examples=200, deadline=None)
@given(doc=any_documents())
def test_fast_summary_agrees_with_the_full_parser(doc: str) -> None:
    full = parse_document(doc, names=NAMES)
    fast = summarize(doc, NAMES)
    assert fast.metadata.source == full.metadata.source
    assert fast.metadata.fields == full.metadata.fields  # name, value, line, span, style
    assert fast.metadata == full.metadata  # duplicates, front matter, footer's last line too
    assert fast.title == (full.title.text if full.title is not None else None)


@settings(max_examples=200, deadline=None)
@given(doc=writable_documents(), write=field_write())
@example(doc="**Author**: Ada", write=("status", "Draft"))
@example(doc="---\r\nauthor: 'Ada'  \r\n...\r\n**Author**: Bob", write=("author", "O'Brien: #1"))
def test_a_metadata_write_changes_only_the_value(doc: str, write: tuple[str, str]) -> None:
    assert_write_changes_only_the_value(doc, *write)


# Inputs that broke the property before src/git_blueprint/metadata.py was fixed.
ONCE_BROKEN = [
    pytest.param("---\nauthor:\n---\n", "author", "Ada", id="empty value: author:Ada"),
    pytest.param("---\nauthor: \ntitle: x\n---\n", "author", "Ada", id="empty value, blank"),
    pytest.param(
        "---\n{author: Ada}\n---\n", "author", "Lovelace, Ada", id="comma in a flow mapping"
    ),
    pytest.param(
        "---\n{last_updated: 2026-01-02}\n---\n**Blueprint Status**: Draft\n",
        "status",
        "Draft",
        id="front matter broken, footer read back instead",
    ),
    pytest.param(
        "---\nauthor: |\n  Ada\ntitle:  x\n---\n", "author", "Bob", id="round trip respaced"
    ),
    pytest.param(
        "---\nauthor: |\n  Ada\nstatus:\tDraft\n---\n", "author", "Bob", id="ruamel tab error"
    ),
    pytest.param(
        "---\nauthor: |\n  Ada\nauthor: |\n  Bob\n---\n",
        "author",
        "Eve",
        id="ruamel duplicate key error",
    ),
    pytest.param("# T", "author", "Ada", id="append added a final newline"),
    pytest.param("a\n\nx\r", "author", "Ada", id="append turned a last CR into CRLF"),
]


@pytest.mark.parametrize(("doc", "name", "value"), ONCE_BROKEN)
def test_writes_that_once_went_wrong_change_only_the_value(doc: str, name: str, value: str) -> None:
    assert_write_changes_only_the_value(doc, name, value)


@settings(max_examples=100, deadline=None)
@given(doc=st.one_of(metadata_documents(), any_documents()))
def test_writing_the_values_a_document_has_changes_nothing(doc: str) -> None:
    fields = parse_document(doc, names=NAMES).metadata.fields
    values = {name: f.value for name, f in fields.items() if f.value == normalised(f.value)}
    assume(values)
    assert set_fields(doc, values, NAMES, "<doc>") == doc


@settings(max_examples=100, deadline=None)
@given(
    doc=st.one_of(writable_documents(), block_style_documents(), flow_or_indented_documents()),
    values=assignments(),
)
def test_a_metadata_write_is_idempotent(doc: str, values: dict[str, str]) -> None:
    try:
        once = set_fields(doc, values, NAMES, "<doc>")
    except DocumentError:
        assume(False)
    assert set_fields(once, values, NAMES, "<doc>") == once
    after = parse_document(once, names=NAMES).metadata
    assert {name: after.value(name) for name in values} == {
        name: normalised(value) for name, value in values.items()
    }


@settings(max_examples=60, deadline=None)
@given(doc=st.one_of(block_style_documents(), flow_or_indented_documents()), write=field_write())
@example(doc="---\ntitle:  x\nstatus:\n  - Draft\n---\n", write=("status", "Review"))
@example(doc="---\n  last_updated: 2026-01-02\n---\n", write=("status", "Draft"))
def test_a_list_flow_or_indented_front_matter_write_changes_only_the_value(
    doc: str, write: tuple[str, str]
) -> None:
    assert_write_changes_only_the_value(doc, *write)


@settings(max_examples=300, deadline=None)
@given(doc=any_documents())
def test_the_placeholder_prefilter_never_hides_a_placeholder(doc: str) -> None:
    """The hooks skip the Markdown parser when the prefilter finds no candidate: it must
    find one wherever the parser finds a placeholder."""
    from git_blueprint.core.lint import may_hold_placeholders

    if parse_document(doc, names=NAMES).placeholders:
        assert may_hold_placeholders(doc)
