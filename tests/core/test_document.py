"""The document model (docs/format.md) on hand-made documents and the shipped template."""

from __future__ import annotations

from conftest import TEMPLATE, TEMPLATE_SECTIONS
from git_blueprint.core.document import heading_key, parse_document


def keys(doc_text: str) -> list[tuple[str, ...]]:
    return [path for path, _ in parse_document(doc_text).walk()]


def test_template_tree() -> None:
    doc = parse_document(TEMPLATE.read_text())
    assert doc.title is not None
    assert (doc.title.kind, doc.title.name, doc.title.line) == (
        "Integration Blueprint",
        "[Integration Name]",
        1,
    )
    assert [n.key for n in doc.nodes] == TEMPLATE_SECTIONS
    systems = doc.nodes[1].children
    assert [(n.kind, n.key, n.line, n.end_line) for n in systems] == [
        ("System", "[System Name]", 15, 19),
        ("System", "[System Name] (2)", 20, 26),
    ]
    data = doc.nodes[2].children[0]
    assert data.key == "Data Integration"
    assert [(f.name, f.value, f.line) for f in data.fields] == [
        ("Method", "[How data flows]", 32),
        ("Format", "[Data format]", 33),
        ("Frequency", "[How often]", 34),
        ("Direction", "[One-way/two-way]", 35),
    ]
    assert data.text == ""
    assert doc.nodes[0].text == (
        "**How systems integrate and communicate.**\n\n"
        "[Describe the integration's purpose, what systems it connects, and why it's needed.]"
    )
    metrics = doc.nodes[7].children[0]
    assert [f.name for f in metrics.fields] == ["[Metric 1]", "[Metric 2]"]
    # Title, every field value and key, heading and prose placeholder, and the three metadata.
    assert len(doc.placeholders) == 73
    assert doc.metadata.source == "footer"
    assert doc.metadata.value("status") == "[Draft/Review/Approved]"
    # The footer and thematic breaks are no part of any node's text.
    assert all("---" not in n.text and "**Author**" not in n.text for _, n in doc.walk())


def test_headings_in_code_comments_and_html_are_not_headings() -> None:
    text = (
        "# T\n\n## Real\n\n```md\n## In fence\n```\n\n<!--\n## In comment\n-->\n\n"
        "<div>\n## In html\n</div>\n\n    ## indented code\n\n> ## quoted\n\n- ## in list\n\n## Last\n"
    )
    assert keys(text) == [("Real",), ("Last",)]


def test_unclosed_fence_runs_to_the_end() -> None:
    text = "# T\n\n## A\n\n~~~\n## not a heading\n\n**Blueprint Status**: Draft\n"
    doc = parse_document(text)
    assert [n.key for n in doc.nodes] == ["A"]
    assert doc.metadata.source is None


def test_nesting_by_level_with_skipped_levels() -> None:
    text = "# T\n## A\n#### A1\n### A2\n## B\n### B1\n# Appendix\n### C\n"
    assert keys(text) == [
        ("A",),
        ("A", "A1"),
        ("A", "A2"),
        ("B",),
        ("B", "B1"),
        ("Appendix",),
        ("Appendix", "C"),
    ]


def test_setext_and_closing_hashes() -> None:
    text = "Title: Name\n===\n\nSection\n---\n\n## Closed ##\n"
    doc = parse_document(text)
    assert doc.title is not None and (doc.title.kind, doc.title.name) == ("Title", "Name")
    assert [n.key for n in doc.nodes] == ["Section", "Closed"]


def test_ordinal_prefixes() -> None:
    assert heading_key("System 2: Payments API") == ("System", "Payments API")
    assert heading_key("Failure Type 1: Timeout") == ("Failure Type", "Timeout")
    assert heading_key("2. Goals") == (None, "Goals")
    assert heading_key("2.3 Goals") == (None, "Goals")
    assert heading_key("2) Goals") == (None, "Goals")
    assert heading_key("2024 Roadmap") == (None, "2024 Roadmap")
    assert heading_key("Appendix: Notes") == (None, "Appendix: Notes")
    assert heading_key("Goals") == (None, "Goals")


def test_renumbered_siblings_keep_their_keys() -> None:
    a = "# T\n## Systems\n### System 1: Orders\n### System 2: Payments\n"
    b = "# T\n## Systems\n### System 1: Payments\n### System 2: Orders\n"
    assert sorted(keys(a)) == sorted(keys(b))


def test_duplicate_keys_are_numbered() -> None:
    doc = parse_document("# T\n## A\n## A\n## A (2)\n## A\n")
    assert [n.key for n in doc.nodes] == ["A", "A (3)", "A (2)", "A (4)"]
    assert [line for line, _ in doc.duplicate_keys] == [3, 5]


def test_fields_with_continuations_and_both_colon_styles() -> None:
    text = (
        "# T\n## S\nIntro line.\n\n- **Role**: first line\n  goes on here\n- **Owner:** Team\n"
        "- not a field\n- **Role**: again\n\nAfter.\n"
    )
    node = parse_document(text).nodes[0]
    assert [(f.name, f.key, f.value, f.line, f.end_line) for f in node.fields] == [
        ("Role", "Role", "first line\ngoes on here", 5, 6),
        ("Owner", "Owner", "Team", 7, 7),
        ("Role", "Role (2)", "again", 9, 9),
    ]
    assert node.text == "Intro line.\n\n- not a field\n\nAfter."


def test_placeholders_are_not_links_references_code_or_checkboxes() -> None:
    text = (
        "# T\n\n- [ ] todo [Fill me]\n- [x] done\n\n"
        "A [link](http://x) and [ref][r] and [r] and ![img](i.png) and `[code]` and "
        "\\[escaped\\] and [^1] and [undefined][nope] and [] and [ ]\n\n"
        "[r]: http://example.com\n\n"
        "```\n[in fence]\n```\n\n<!-- [in comment] -->\n\nLast [One]\nand [Two]\n"
    )
    doc = parse_document(text)
    assert [(p.text, p.line) for p in doc.placeholders] == [
        ("[Fill me]", 3),
        ("[One]", 16),
        ("[Two]", 17),
    ]


def test_front_matter_metadata_and_line_numbers() -> None:
    text = "---\ntitle: x\nstatus: 'Review'\nlast_updated: 2026-01-02\nauthor: \"Grace\"\n---\n# T\n## A\n"
    doc = parse_document(text)
    assert doc.metadata.source == "front-matter"
    assert {k: f.value for k, f in doc.metadata.fields.items()} == {
        "status": "Review",
        "last_updated": "2026-01-02",
        "author": "Grace",
    }
    assert doc.title is not None and doc.title.line == 7
    assert doc.nodes[0].line == 8


def test_crlf_bom_and_lone_cr() -> None:
    text = "\ufeff# T: N\r\n\r\n## A\r- **F**: v\r\n\r\n**Author**: Ada"
    doc = parse_document(text)
    assert doc.title is not None and doc.title.name == "N"
    assert doc.nodes[0].key == "A" and doc.nodes[0].line == 3
    assert doc.nodes[0].fields[0].value == "v"
    assert doc.metadata.value("author") == "Ada"


def test_metadata_only_outside_lists_quotes_and_code() -> None:
    text = (
        "# T\n\n- **Author**: in a list\n\n> **Author**: quoted\n\n    **Author**: code\n\n"
        "```\n**Author**: fenced\n```\n\n**Author**: Real One\n"
    )
    doc = parse_document(text)
    assert doc.metadata.value("author") == "Real One"
    assert doc.metadata.fields["author"].line == 12  # 0-based
