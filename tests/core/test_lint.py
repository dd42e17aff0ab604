"""`bp check`'s findings on documents that are built wrong in the ways people build them:
each message points at what to do in the document's own form."""

from __future__ import annotations

from git_blueprint.core.config import Config
from git_blueprint.core.document import parse_document
from git_blueprint.core.lint import check_document

FOOTER = "\n**Blueprint Status**: Draft\n**Last Updated**: 2026-11-27\n**Author**: Ada\n"


def problems(text: str, config: Config | None = None) -> list[tuple[str, str, str]]:
    config = config or Config()
    doc = parse_document(text, "b.md", config.names)
    return [(p.severity, p.rule, p.message) for p in check_document(doc, config, "b")]


def test_broken_front_matter_is_reported_even_where_the_footer_holds_the_metadata() -> None:
    found = problems("---\n- a list\n- not a mapping\n---\n# Title\n" + FOOTER)
    assert [(s, r) for s, r, _ in found] == [("warning", "front-matter")]
    assert "read from the footer" in found[0][2]


def test_a_missing_key_in_front_matter_is_asked_for_in_front_matter() -> None:
    found = problems("---\nstatus: Draft\nauthor: Ada\n---\n# Title\n\nText.\n")
    (missing,) = [m for s, r, m in found if r == "missing-metadata"]
    assert "add 'last_updated: …' to the front matter" in missing
    footer_only = problems("# Title\n\n**Blueprint Status**: Draft\n**Author**: Ada\n")
    (hint,) = [m for s, r, m in footer_only if r == "missing-metadata"]
    assert "add '**Last Updated**: …'" in hint


def test_a_placeholder_needed_nowhere_says_no_status_needs_it() -> None:
    config = Config(statuses=("Open", "Done"), initial="Open", require_complete=())
    text = "# Title\n\n[Fill me]\n" + FOOTER.replace("Draft", "Open")
    (warning,) = [m for s, r, m in problems(text, config) if r == "placeholder"]
    assert warning == "[Fill me] not filled yet"
    strict = problems(text.replace("Open", "Draft"))
    (needed,) = [m for s, r, m in strict if r == "placeholder"]
    assert needed.endswith("(needed before Review, Approved)")
