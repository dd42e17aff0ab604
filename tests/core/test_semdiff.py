"""The semantic diff (docs/diff.md) on hand-made revisions of an Integration Blueprint, golden
renderings, and every consecutive pair of versions in the corpus. Pure: no git."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS, REPO_ROOT
from git_blueprint.core.document import Document, parse_document
from git_blueprint.core.metadata import blank_front_matter
from git_blueprint.core.semdiff import (
    LEVELS,
    OPS,
    RENAME_THRESHOLD,
    Change,
    FileDiff,
    Side,
    diff_documents,
    word_diff,
)
from git_blueprint.markdown.lines import split_lines
from git_blueprint.render import headline
from git_blueprint.render.jsonout import diff_json
from git_blueprint.render.markdown import render_markdown
from git_blueprint.render.text import render_text

DATA = REPO_ROOT / "tests" / "data" / "diff"
BASE = (DATA / "base.md").read_text(encoding="utf-8")
REVIEW = (DATA / "review.md").read_text(encoding="utf-8")
# UPDATE_GOLDEN=1 pytest tests/core/test_semdiff.py rewrites the golden files from the code.
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert text.count(old) == 1, f"not exactly once: {old!r}"
        text = text.replace(old, new)
    return text


def changes(old: str | None, new: str | None) -> list[Change]:
    return diff_documents(
        None if old is None else parse_document(old), None if new is None else parse_document(new)
    )


def dicts(old: str | None, new: str | None) -> list[dict[str, Any]]:
    return [c.to_dict() for c in changes(old, new)]


ORDERS = "### Flow 1: Orders Sync\n"
ORDERS_BODY = (
    "- **Source**: Shop\n- **Destination**: Payments API\n"
    "- **Data**: Orders and their totals\n- **Frequency**: hourly\n"
)
SETTLEMENT = (
    "### Flow 3: Settlement\n- **Source**: Bank\n- **Destination**: Ledger\n"
    "- **Data**: Settlement files\n- **Frequency**: nightly\n"
)
PURPOSE = (
    "The gateway takes card payments from the shop, checks them for fraud and books them in\n"
    "the ledger, so that every payment is accounted for exactly once."
)


# --- no change --------------------------------------------------------------------------


def test_a_document_against_itself_is_no_change() -> None:
    assert changes(BASE, BASE) == []


def test_renumbering_is_no_change() -> None:
    renumbered = edit(
        BASE,
        ("### System 1: Payments API", "### System 7: Payments API"),
        ("### System 2: Ledger", "### System 1: Ledger"),
        ("### Flow 2: Refunds", "### Flow 12: Refunds"),
        ("### Latency", "### 1. Latency"),
        ("### Throughput", "### 2) Throughput"),
    )
    assert changes(BASE, renumbered) == []


def test_rewrapping_a_paragraph_is_no_change() -> None:
    rewrapped = edit(
        BASE,
        (
            PURPOSE,
            "The gateway takes card payments from the shop,\nchecks them for fraud and books\n"
            "them in the ledger,   so that every payment\tis accounted for exactly once.",
        ),
    )
    assert changes(BASE, rewrapped) == []


def test_line_endings_and_trailing_whitespace_are_no_change() -> None:
    crlf = BASE.replace("\n", "\r\n")
    assert changes(BASE, crlf) == []
    assert changes(BASE, "\ufeff" + BASE.replace("\n", "  \n")) == []
    assert changes(BASE, BASE.rstrip("\n")) == []


def test_a_field_value_rewrapped_over_continuation_lines_is_no_change() -> None:
    wrapped = edit(
        BASE,
        (
            "- **Responsibilities**: Authorises and captures payments",
            "- **Responsibilities**: Authorises and\n  captures payments",
        ),
    )
    assert changes(BASE, wrapped) == []


def test_status_spelled_in_another_case_is_no_change() -> None:
    lower = edit(BASE, ("**Blueprint Status**: Draft", "**Blueprint Status**: draft"))
    assert changes(BASE, lower) == []


# --- nodes: moved, added, renamed, removed, changed ---------------------------------------


def test_a_true_move() -> None:
    moved = edit(
        BASE,
        (SETTLEMENT, ""),
        (ORDERS, SETTLEMENT.replace("Flow 3", "Flow 1") + "\n" + ORDERS),
    )
    assert dicts(BASE, moved) == [
        {
            "op": "moved",
            "level": "node",
            "path": ["Data Flow", "Settlement"],
            "old_index": 2,
            "new_index": 0,
        }
    ]


def test_a_shift_caused_by_an_insertion_is_not_a_move() -> None:
    chargebacks = "### Flow 1: Chargebacks\n- **Source**: Bank\n- **Frequency**: weekly\n\n"
    shifted = edit(BASE, (ORDERS, chargebacks + ORDERS.replace("Flow 1", "Flow 2")))
    assert dicts(BASE, shifted) == [
        {
            "op": "added",
            "level": "node",
            "path": ["Data Flow", "Chargebacks"],
            "new": "### Flow 1: Chargebacks\n- **Source**: Bank\n- **Frequency**: weekly",
        }
    ]


def test_a_removed_node_carries_its_content() -> None:
    removed = edit(BASE, ("\n" + SETTLEMENT, ""))
    assert dicts(BASE, removed) == [
        {
            "op": "removed",
            "level": "node",
            "path": ["Data Flow", "Settlement"],
            "old": SETTLEMENT.rstrip("\n"),
        }
    ]


def test_a_rename_keeps_the_node_and_its_edits() -> None:
    renamed = edit(
        BASE,
        ("### Failure Type 1: Timeout", "### Failure Type 1: Upstream Timeout"),
        ("- **Recovery**: Retry with backoff", "- **Recovery**: Retry with exponential backoff"),
    )
    assert dicts(BASE, renamed) == [
        {
            "op": "renamed",
            "level": "node",
            "path": ["Failure Modes", "Timeout"],
            "new_key": "Upstream Timeout",
        },
        {
            "op": "changed",
            "level": "field",
            "path": ["Failure Modes", "Upstream Timeout", "Recovery"],
            "old": "Retry with backoff",
            "new": "Retry with exponential backoff",
        },
    ]


def test_a_node_replaced_by_an_unrelated_one_is_no_rename() -> None:
    replaced = edit(
        BASE,
        (
            "### System 2: Ledger\n- **Role**: Books every payment\n"
            "- **Responsibilities**: Keeps the accounts balanced\n- **Dependencies**: Postgres",
            "### System 2: Fraud Service\n- **Role**: Scores every payment\n"
            "- **Responsibilities**: Holds back suspicious payments\n- **Dependencies**: Redis",
        ),
    )
    # What was there comes before what replaced it, as in a line diff.
    assert [(c.op, c.path) for c in changes(BASE, replaced)] == [
        ("removed", ("Integrated Systems", "Ledger")),
        ("added", ("Integrated Systems", "Fraud Service")),
    ]


def test_rename_threshold() -> None:
    """Renamed when at least RENAME_THRESHOLD of the content words match (Dice coefficient
    over key, field and text words). The key and two of four values changed: 11 of 20
    words shared, 0.55, too little. The key and one value: 16 of 20 and 22, 0.76."""
    assert RENAME_THRESHOLD == 0.6
    two_values = edit(
        BASE,
        ("### Failure Type 1: Timeout", "### Failure Type 1: Slow Bank"),
        ("- **Impact**: Payments wait at the checkout", "- **Impact**: Shoppers give up"),
        ("- **Recovery**: Retry with backoff", "- **Recovery**: Queue and retry later"),
    )
    assert [c.op for c in changes(BASE, two_values)] == ["removed", "added"]
    one_value = edit(
        BASE,
        ("### Failure Type 1: Timeout", "### Failure Type 1: Slow Bank"),
        ("- **Recovery**: Retry with backoff", "- **Recovery**: Queue and retry later"),
    )
    assert [c.op for c in changes(BASE, one_value)] == ["renamed", "changed"]


def test_a_changed_kind_is_a_changed_node() -> None:
    service = edit(BASE, ("### System 1: Payments API", "### Service 1: Payments API"))
    assert dicts(BASE, service) == [
        {
            "op": "changed",
            "level": "node",
            "path": ["Integrated Systems", "Payments API"],
            "old": "System: Payments API",
            "new": "Service: Payments API",
        }
    ]


def test_duplicate_keys_are_matched_in_order() -> None:
    template = (REPO_ROOT / "tests" / "data" / "filled.md").read_text()
    second = edit(template, ("- **Role**: Some role it plays", "- **Role**: Settles"))
    assert dicts(template, second) == [
        {
            "op": "changed",
            "level": "field",
            "path": ["Integrated Systems", "System Name (2)", "Role"],
            "old": "Some role it plays",
            "new": "Settles",
        }
    ]


# --- fields -------------------------------------------------------------------------------


def test_a_field_edit_inside_a_numbered_item() -> None:
    realtime = edit(BASE, ("- **Frequency**: hourly", "- **Frequency**: real-time"))
    found = changes(BASE, realtime)
    assert [c.to_dict() for c in found] == [
        {
            "op": "changed",
            "level": "field",
            "path": ["Data Flow", "Orders Sync", "Frequency"],
            "old": "hourly",
            "new": "real-time",
        }
    ]
    assert found[0].words == (("-", "hourly"), ("+", "real-time"))


def test_fields_added_removed_and_moved() -> None:
    new_body = (
        "- **Frequency**: hourly\n- **Source**: Shop\n- **Destination**: Payments API\n"
        "- **Owner**: Payments team\n"
    )
    edited = edit(BASE, (ORDERS + ORDERS_BODY, ORDERS + new_body))
    path = ["Data Flow", "Orders Sync"]
    assert dicts(BASE, edited) == [
        {
            "op": "moved",
            "level": "field",
            "path": [*path, "Frequency"],
            "old_index": 3,
            "new_index": 0,
        },
        {
            "op": "removed",
            "level": "field",
            "path": [*path, "Data"],
            "old": "Orders and their totals",
        },
        {"op": "added", "level": "field", "path": [*path, "Owner"], "new": "Payments team"},
    ]


# --- text, title, status, metadata --------------------------------------------------------


def test_a_prose_edit_is_shown_word_by_word() -> None:
    edited = edit(
        BASE, ("checks them for fraud and books", "checks them for fraud and sanctions and books")
    )
    found = changes(BASE, edited)
    assert [(c.op, c.level, c.path) for c in found] == [("changed", "text", ("Purpose",))]
    assert found[0].words == (
        (
            "=",
            "**How systems integrate and communicate.** The gateway takes card payments from "
            "the shop, checks them for fraud and",
        ),
        ("+", "sanctions and"),
        ("=", "books them in the ledger, so that every payment is accounted for exactly once."),
    )
    assert found[0].old is not None and "\n" in found[0].old  # text is kept as written


def test_text_added_and_removed() -> None:
    edited = edit(
        BASE,
        (
            "- **Dependencies**: Postgres\n\n### System 2",
            "- **Dependencies**: Postgres\n\nRuns in two regions.\n\n### System 2",
        ),
        ("**What systems are integrated.**\n\n", ""),
    )
    assert dicts(BASE, edited) == [
        {
            "op": "removed",
            "level": "text",
            "path": ["Integrated Systems"],
            "old": "**What systems are integrated.**",
        },
        {
            "op": "added",
            "level": "text",
            "path": ["Integrated Systems", "Payments API"],
            "new": "Runs in two regions.",
        },
    ]


def test_preamble_text_has_the_empty_path() -> None:
    with_preamble = edit(
        BASE,
        (
            "# Integration Blueprint: Payment Gateway\n",
            "# Integration Blueprint: Payment Gateway\n\nOwned by the payments team.\n",
        ),
    )
    assert dicts(BASE, with_preamble) == [
        {"op": "added", "level": "text", "path": [], "new": "Owned by the payments team."}
    ]


def test_title_changed_added_and_removed() -> None:
    renamed = edit(BASE, ("Blueprint: Payment Gateway", "Blueprint: Card Gateway"))
    assert dicts(BASE, renamed) == [
        {
            "op": "changed",
            "level": "title",
            "path": [],
            "old": "Integration Blueprint: Payment Gateway",
            "new": "Integration Blueprint: Card Gateway",
        }
    ]
    untitled = edit(BASE, ("# Integration Blueprint: Payment Gateway\n", ""))
    assert dicts(BASE, untitled) == [
        {
            "op": "removed",
            "level": "title",
            "path": [],
            "old": "Integration Blueprint: Payment Gateway",
        }
    ]
    assert dicts(untitled, BASE) == [
        {
            "op": "added",
            "level": "title",
            "path": [],
            "new": "Integration Blueprint: Payment Gateway",
        }
    ]


def test_the_status_change_comes_first() -> None:
    review = edit(
        BASE,
        ("- **Frequency**: hourly", "- **Frequency**: real-time"),
        ("**Blueprint Status**: Draft", "**Blueprint Status**: Review"),
        ("**Last Updated**: 2026-01-05", "**Last Updated**: 2026-02-01"),
    )
    assert dicts(BASE, review) == [
        {"op": "changed", "level": "status", "path": [], "old": "Draft", "new": "Review"},
        {
            "op": "changed",
            "level": "field",
            "path": ["Data Flow", "Orders Sync", "Frequency"],
            "old": "hourly",
            "new": "real-time",
        },
        {
            "op": "changed",
            "level": "metadata",
            "path": [],
            "name": "last_updated",
            "old": "2026-01-05",
            "new": "2026-02-01",
        },
    ]


def test_status_and_metadata_added_and_removed() -> None:
    bare = edit(
        BASE,
        ("**Blueprint Status**: Draft\n", ""),
        ("**Author**: Ada Lovelace\n", ""),
    )
    assert dicts(bare, BASE) == [
        {"op": "added", "level": "status", "path": [], "new": "Draft"},
        {"op": "added", "level": "metadata", "path": [], "name": "author", "new": "Ada Lovelace"},
    ]
    assert dicts(BASE, bare) == [
        {"op": "removed", "level": "status", "path": [], "old": "Draft"},
        {"op": "removed", "level": "metadata", "path": [], "name": "author", "old": "Ada Lovelace"},
    ]


def test_a_new_file_and_a_deleted_file() -> None:
    created = changes(None, BASE)
    doc = parse_document(BASE)
    assert [(c.op, c.level, c.path) for c in created] == [
        ("added", "status", ()),
        ("added", "title", ()),
        *[("added", "node", (n.key,)) for n in doc.nodes],
        ("added", "metadata", ()),
        ("added", "metadata", ()),
    ]
    assert [(c.op, c.level) for c in changes(BASE, None)] == [
        ("removed", level) for _, level in [(c.op, c.level) for c in created]
    ]


def test_every_op_at_every_level_is_covered() -> None:
    """The scenarios above, together, produce every op the model has at every level."""
    pairs = [
        (BASE, REVIEW),
        (None, BASE),
        (BASE, None),
        (BASE, edit(BASE, ("### System 1: Payments API", "### Service 1: Payments API"))),
        (
            BASE,
            edit(BASE, ("Gateway\n", "Gateway!\n"), ("**What systems are integrated.**\n\n", "")),
        ),
        (
            edit(BASE, ("Gateway\n", "Gateway!\n"), ("**What systems are integrated.**\n\n", "")),
            BASE,
        ),
        (
            BASE,
            edit(
                BASE,
                (
                    ORDERS + ORDERS_BODY,
                    ORDERS + "- **Frequency**: hourly\n- **Source**: Shop\n- **Owner**: Ops\n",
                ),
                ("**Author**: Ada Lovelace\n", ""),
                ("**Blueprint Status**: Draft\n", ""),
                ("# Integration Blueprint: Payment Gateway\n", ""),
            ),
        ),
    ]
    seen = {(c.op, c.level) for old, new in pairs for c in changes(old, new)}
    value_ops = {"added", "removed", "changed"}
    expected = {
        *((op, level) for op in value_ops for level in ("status", "metadata", "title", "text")),
        *((op, "field") for op in (*value_ops, "moved")),
        *((op, "node") for op in OPS),
    }
    assert seen == expected
    assert {level for _, level in seen} == set(LEVELS)


def test_word_diff_segments() -> None:
    assert word_diff("a  b\nc d", "a b c d") == (("=", "a b c d"),)
    assert word_diff("a b c", "a x c") == (("=", "a"), ("-", "b"), ("+", "x"), ("=", "c"))
    assert word_diff("", "new words") == (("+", "new words"),)


# --- renderers ------------------------------------------------------------------------------


def golden_pair() -> FileDiff:
    found = diff_documents(parse_document(BASE), parse_document(REVIEW))
    path = "blueprints/gateway.md"
    return FileDiff(path, Side("1a2b3c4", path), Side(None, path), found)


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("base-review.txt", lambda f: render_text([f], color=False)),
        ("base-review.md", lambda f: render_markdown([f])),
        (
            "base-review.json",
            lambda f: json.dumps(diff_json([f]), indent=2, ensure_ascii=False) + "\n",
        ),
    ],
)
def test_golden_renderings(name: str, render: Any) -> None:
    got = render(golden_pair())
    path = DATA / name
    if UPDATE:
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_the_summary_line_leads_with_the_status() -> None:
    assert headline(golden_pair().changes) == (
        "Status Draft → Review; System 'Fraud Service' added; "
        "Failure Type 'Timeout' renamed to 'Upstream Timeout'; 7 more changes"
    )


def test_colour_output_marks_words_with_colour_not_brackets() -> None:
    coloured = render_text([golden_pair()], color=True)
    assert "\x1b[" in coloured
    assert "{+" not in coloured and "[-" not in coloured
    plain = render_text([golden_pair()], color=False)
    assert "\x1b[" not in plain
    assert "[-hourly-]{+real-time+}" in plain


def test_the_json_has_the_shape_of_the_spec() -> None:
    data = diff_json([golden_pair()])
    assert data["schema"] == "git-blueprint/diff/1"
    (entry,) = data["files"]
    assert set(entry) == {"path", "old", "new", "changes"}
    assert entry["old"] == {"rev": "1a2b3c4", "path": "blueprints/gateway.md"}
    assert entry["new"] == {"rev": None, "path": "blueprints/gateway.md"}
    for change in entry["changes"]:
        assert change["op"] in OPS and change["level"] in LEVELS
        assert set(change) <= {
            "op",
            "level",
            "path",
            "name",
            "old",
            "new",
            "old_index",
            "new_index",
            "new_key",
        }


def test_markdown_escapes_what_the_authors_wrote() -> None:
    edited = edit(BASE, ("- **Frequency**: hourly", "- **Frequency**: <b>hourly</b> | *now*"))
    found = diff_documents(parse_document(BASE), parse_document(edited))
    md = render_markdown([FileDiff("x.md", Side(None, "x.md"), Side(None, "x.md"), found)])
    assert "<b>" not in md and r"\<b\>" in md and r"\|" in md and r"\*now\*" in md


# --- the corpus -------------------------------------------------------------------------------


def corpus_documents() -> list[list[Path]]:
    if not CORPUS.is_dir():
        return []
    return [sorted(d.glob("v*.md")) for d in sorted(CORPUS.iterdir()) if d.is_dir()]


def node_paths(doc: Document) -> dict[tuple[str, ...], set[str]]:
    return {path: {f.key for f in node.fields} for path, node in doc.walk()}


@pytest.mark.skipif(not corpus_documents(), reason="../shared/corpus is not there")
@pytest.mark.parametrize("versions", corpus_documents(), ids=lambda v: v[0].parent.name)
def test_corpus_versions_diff_and_name_real_nodes(versions: list[Path]) -> None:
    docs = [parse_document(p.read_text(encoding="utf-8"), p.name) for p in versions]
    for old, new in itertools.pairwise(docs):
        found = diff_documents(old, new)
        before, after = node_paths(old), node_paths(new)
        renamed: dict[tuple[str, ...], str] = {}
        for c in found:
            assert c.op in OPS and c.level in LEVELS
            if c.level in ("node", "text") and c.path:
                assert c.path in before or c.path in after, c
            elif c.level == "field":
                node = c.path[:-1]
                assert c.path[-1] in before.get(node, set()) | after.get(node, set()), c
            else:
                assert c.path == (), c
            if c.op == "renamed":
                # A rename names the old path; its parents may have been renamed too.
                assert c.new_key is not None
                renamed[c.path] = c.new_key
                now = tuple(renamed.get(c.path[: k + 1], c.path[k]) for k in range(len(c.path)))
                assert c.path in before and now in after, c
        assert diff_documents(new, new) == []


def rewrap(text: str, width: int) -> str:
    """Every top-level paragraph (footer metadata aside) joined into one line, then cut
    again before words that start with a letter, so no line can start a new block."""
    from markdown_it import MarkdownIt

    lines = split_lines(text).lines
    tokens = MarkdownIt("commonmark").parse("\n".join(blank_front_matter(lines)) + "\n")
    out = list(lines)
    for tok in reversed(tokens):  # from the end, so that earlier line numbers stay right
        if tok.type != "paragraph_open" or tok.level != 0 or tok.map is None:
            continue
        start, end = tok.map
        block = lines[start:end]
        if any(line.lstrip().startswith("**") and "**:" in line for line in block):
            continue
        words = " ".join(block).split()
        wrapped: list[str] = []
        for word in words:
            if (wrapped and len(wrapped[-1]) + len(word) < width) or not word[:1].isalpha():
                wrapped[-1:] = [f"{wrapped[-1]} {word}" if wrapped else word]
            else:
                wrapped.append(word)
        out[start:end] = wrapped
    return "\n".join(out) + "\n"


@pytest.mark.skipif(not corpus_documents(), reason="../shared/corpus is not there")
@pytest.mark.parametrize("versions", corpus_documents(), ids=lambda v: v[0].parent.name)
def test_corpus_whitespace_only_versions_are_no_change(versions: list[Path]) -> None:
    for path in (versions[0], versions[-1]):
        text = path.read_text(encoding="utf-8")
        doc = parse_document(text)
        variants = {
            "crlf": text.replace("\r\n", "\n").replace("\n", "\r\n"),
            "lf": text.replace("\r\n", "\n"),
            "trailing blanks": text.replace("\n", " \n"),
            "one line per paragraph": rewrap(text, 10_000),
            "narrow": rewrap(text, 30),
        }
        assert variants["crlf"] != text and variants["trailing blanks"] != text
        for name, variant in variants.items():
            assert diff_documents(doc, parse_document(variant)) == [], (path, name)


@pytest.mark.parametrize("limit", [3_000, 65_536])
def test_the_comment_keeps_under_its_limit_and_says_what_it_left_out(limit: int) -> None:
    """A pull-request comment has a size limit (GitHub: 65,536 characters): whole changes,
    then whole files, are left out once the next would pass it, and the last line says
    how many; a diff that fits is the same as without a limit."""
    from git_blueprint.core.semdiff import FileDiff, Side

    old = parse_document("# Big\n\n" + "".join(f"## S{i}\n\nText {i}.\n\n" for i in range(4000)))
    new = parse_document("# Big\n\n" + "".join(f"## S{i}\n\nWords {i}.\n\n" for i in range(4000)))
    changes = diff_documents(old, new)
    files = [
        FileDiff(f"blueprints/b{n}.md", Side("a", "x"), Side("b", "x"), changes) for n in (1, 2)
    ]
    whole = render_markdown(files, limit=0)
    assert len(whole) > limit
    cut = render_markdown(files, limit=limit)
    assert len(cut) <= limit
    assert cut.rstrip().endswith("run `bp diff` for all of them._")
    assert "more changes" in cut.splitlines()[-1] and "1 more file" in cut.splitlines()[-1]
    assert cut.count("<details>") == cut.count("</details>")
    small = [FileDiff("blueprints/s.md", Side("a", "x"), Side("b", "x"), changes[:3])]
    assert render_markdown(small, limit=limit) == render_markdown(small, limit=0)


def test_a_change_of_kind_renders_old_to_new_in_every_view() -> None:
    """`System 1: Ledger` → `Service 1: Ledger`: the text and Markdown views said
    `heading` and nothing after it; only JSON had old → new."""
    old = "# T\n\n## Systems\n\n### System 1: Ledger\n\n- **Role**: books\n"
    changes = diff_documents(
        parse_document(old), parse_document(old.replace("System 1", "Service 1"))
    )
    files = [FileDiff("x.md", Side(None, "x.md"), Side(None, "x.md"), changes)]
    assert render_text(files, False) == (
        "x.md\n'Ledger' heading System: Ledger → Service: Ledger\n"
        "  ~ Systems › Ledger: heading [-System:-]{+Service:+} Ledger\n"
    )
    assert (
        "- **Changed** Service **Ledger** in Systems: heading <del>System:</del> "
        "<ins>Service:</ins> Ledger\n"
    ) in render_markdown(files)
    (entry,) = files[0].to_dict()["changes"]
    assert (entry["old"], entry["new"]) == ("System: Ledger", "Service: Ledger")
