"""Whitespace inside a key does not count (SPEC §7): a doubled space, a tab, or a setext
heading joined onto one line keeps a section or a field the same, and the key shown is the
new document's."""

from __future__ import annotations

import pytest

from conftest import CORPUS, missing
from git_blueprint.core.document import parse_document
from git_blueprint.core.semdiff import diff_documents

BASE = "# T\n\n## Risks and Mitigations\n\nText.\n\n- **Audit Logging**: on\n\n## Other\n\nMore.\n"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("## Risks and Mitigations", "## Risks  and Mitigations"),
        ("## Risks and Mitigations", "## Risks\tand Mitigations"),
        ("## Risks and Mitigations", "Risks and\nMitigations\n---"),
        ("## Risks and Mitigations", "##   Risks and Mitigations   "),
        ("- **Audit Logging**: on", "- **Audit  Logging**: on"),
        ("- **Audit Logging**: on", "- **Audit\tLogging**: on"),
    ],
)
def test_whitespace_in_a_key_is_no_change(old: str, new: str) -> None:
    assert old in BASE
    assert diff_documents(parse_document(BASE), parse_document(BASE.replace(old, new))) == []


def test_a_change_beside_it_is_named_by_the_new_key() -> None:
    edited = BASE.replace("- **Audit Logging**: on", "- **Audit  Logging**: off")
    (change,) = diff_documents(parse_document(BASE), parse_document(edited))
    assert change.op == "changed" and change.path[-1] == "Audit  Logging"
    assert (change.old, change.new) == ("on", "off")


def test_a_real_heading_with_a_doubled_space() -> None:
    path = CORPUS / "madr-0008-add-status-field" / "v06.md"
    if not path.exists():
        missing("the corpus beside the project (../shared/corpus)")
    text = path.read_text()
    assert "### Use YAML front matter" in text
    spaced = text.replace("### Use YAML front matter", "### Use YAML  front matter")
    assert diff_documents(parse_document(text), parse_document(spaced)) == []
