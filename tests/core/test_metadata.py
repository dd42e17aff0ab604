"""Metadata writes change only the bytes of the value (docs/format.md, "Writing metadata")."""

from __future__ import annotations

import pytest

from git_blueprint.core.config import MetadataNames
from git_blueprint.core.metadata import set_fields
from git_blueprint.core.summary import summarize
from git_blueprint.errors import DocumentError

NAMES = MetadataNames()
FOOTER = "# T\n\n## A\n\ntext\n\n---\n\n**Blueprint Status**: Draft\n**Last Updated**: 2026-01-02\n**Author**: Ada\n"


def put(text: str, **values: str) -> str:
    return set_fields(text, values, NAMES, "doc.md")


def test_same_value_changes_no_byte() -> None:
    for text in (FOOTER, FOOTER.replace("\n", "\r\n"), "\ufeff" + FOOTER.rstrip("\n")):
        assert put(text, status="Draft", last_updated="2026-01-02", author="Ada") == text


def test_other_value_changes_exactly_that_value() -> None:
    new = put(FOOTER, status="Review")
    assert new == FOOTER.replace("Status**: Draft", "Status**: Review")


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: "\ufeff" + t,
        lambda t: t.rstrip("\n"),
        lambda t: t.replace("Draft\n", "Draft  \n").replace("text", "\ttext\t"),
        lambda t: t.replace("\n", "\r\n", 3),
    ],
    ids=["crlf", "bom", "no-final-newline", "trailing-space-tabs", "mixed-endings"],
)
def test_bytes_around_the_value_survive(variant) -> None:  # type: ignore[no-untyped-def]
    text = variant(FOOTER)
    new = put(text, last_updated="2026-11-27", author="Grace Hopper")
    assert new == text.replace("2026-01-02", "2026-11-27").replace("**: Ada", "**: Grace Hopper")


def test_status_case_and_spelling_matched_on_read() -> None:
    meta = summarize(FOOTER.replace("Draft", "draft"), NAMES).metadata
    assert meta.value("status") == "draft"


def test_missing_footer_key_is_added_after_the_last_metadata_line() -> None:
    text = FOOTER.replace("**Author**: Ada\n", "")
    assert put(text, author="Ada") == FOOTER
    crlf = text.replace("\n", "\r\n")
    assert put(crlf, author="Ada") == FOOTER.replace("\n", "\r\n")


def test_no_metadata_gets_a_footer_paragraph() -> None:
    assert put("# T\n\n- item", status="Draft") == "# T\n\n- item\n\n**Blueprint Status**: Draft"
    assert put("# T\r\n", status="Draft") == "# T\r\n\r\n**Blueprint Status**: Draft\r\n"
    assert put("# T\r", status="Draft") == "# T\r\r**Blueprint Status**: Draft\r"


def test_metadata_cannot_be_placed_in_an_unclosed_fence() -> None:
    with pytest.raises(DocumentError, match=r"doc\.md: cannot write Blueprint Status"):
        put("# T\n\n```\ncode", status="Draft")


FM = """---
# a comment that must survive
title: "Gateway"
status: 'Draft'   # trailing comment
last_updated: 2026-01-02
author: "Ada"
tags: [a, b]
---
# Gateway
"""


def test_front_matter_values_keep_quotes_and_comments() -> None:
    new = put(FM, status="Review", last_updated="2026-11-27", author='Grace "Amazing" Hopper')
    assert new == (
        FM.replace("'Draft'", "'Review'")
        .replace("2026-01-02", "2026-11-27")
        .replace('"Ada"', '"Grace \\"Amazing\\" Hopper"')
    )
    assert put(FM, status="Draft", author="Ada") == FM


def test_front_matter_plain_values_quoted_only_when_yaml_needs_it() -> None:
    text = "---\nstatus: Draft\nauthor: Ada\n---\n# T\n"
    assert put(text, author="O'Neil: the #1") == text.replace("Ada", '"O\'Neil: the #1"')
    assert put(text, author="yes") == text.replace("Ada", '"yes"')
    assert put(text, author="Grace Hopper") == text.replace("Ada", "Grace Hopper")


def test_front_matter_missing_key_is_added_before_the_closing_fence() -> None:
    text = "---\r\nstatus: Draft\r\n---\r\n# T\r\n"
    assert put(text, last_updated="2026-11-27") == (
        "---\r\nstatus: Draft\r\nlast_updated: 2026-11-27\r\n---\r\n# T\r\n"
    )


def test_front_matter_block_value_becomes_one_line() -> None:
    text = "---\n# keep me\nstatus: >\n  Draft\nauthor: Ada  # and me\n---\n# T\n"
    new = put(text, status="Review")
    assert new == "---\n# keep me\nstatus: Review\nauthor: Ada  # and me\n---\n# T\n"


def test_front_matter_list_value_is_replaced_in_place() -> None:
    text = "---\n# keep me\nstatus: Draft\nauthor:  # and me\n  - Ada\n  - Bob\n---\n# T\n"
    new = put(text, author="Eve")
    assert new == "---\n# keep me\nstatus: Draft\nauthor:  # and me\n  Eve\n---\n# T\n"


def test_flow_front_matter() -> None:
    text = "---\n{status: Draft, author: Ada}\n---\n# T\n"
    assert put(text, author="Lovelace, Ada") == text.replace("Ada}", '"Lovelace, Ada"}')
    added = put(text, last_updated="2026-11-27")
    assert added == "---\n{status: Draft, author: Ada, last_updated: 2026-11-27}\n---\n# T\n"
    indented = "---\n  status: Draft\n---\n# T\n"
    assert put(indented, author="Ada") == "---\n  status: Draft\n  author: Ada\n---\n# T\n"


def test_empty_front_matter_value_is_filled_in_place() -> None:
    assert (
        put("---\nauthor:\nstatus: Draft\n---\n", author="Ada")
        == "---\nauthor: Ada\nstatus: Draft\n---\n"
    )
    assert (
        put("---\nauthor: \nstatus: Draft\n---\n", author="Ada")
        == "---\nauthor: Ada\nstatus: Draft\n---\n"
    )


def test_front_matter_author_list_is_read_joined() -> None:
    text = '---\nstatus: Draft\nauthor:\n  - "@a"\n  - "@b"\n---\n# T\n'
    meta = summarize(text, NAMES).metadata
    assert meta.value("author") == "@a, @b"


def test_invalid_front_matter_is_an_error_on_write() -> None:
    text = "---\nstatus: [Draft\n---\n# T\n"
    with pytest.raises(DocumentError, match=r"doc\.md: front matter is not valid YAML"):
        put(text, status="Review")


def test_configured_front_matter_keys() -> None:
    names = MetadataNames(
        front_matter={"status": "state", "last_updated": "last-updated", "author": "owner"}
    )
    text = "---\nstate: draft\nlast-updated: 2020-01-01\n---\n# T\n"
    meta = summarize(text, names).metadata
    assert meta.value("status") == "draft" and meta.value("last_updated") == "2020-01-01"
    assert set_fields(text, {"author": "Ada"}, names, "d") == text.replace(
        "---\n#", "owner: Ada\n---\n#"
    )
