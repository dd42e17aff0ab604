"""Properties of the semantic diff (docs/diff.md) on generated documents.

Documents are trees of headings (some with a kind and an ordinal), field items and wrapped
text, rendered to Markdown and parsed back. A second version is the first one mutated
(nodes dropped, added, renamed, reordered, renumbered, fields edited, text rewrapped) or
drawn independently. Pure: no git.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from hypothesis import given, settings
from hypothesis import strategies as st

from git_blueprint.core.document import parse_document
from git_blueprint.core.semdiff import Change, diff_documents
from git_blueprint.values import replace as replace_record

KEYS = ["Payments API", "Ledger", "Orders Sync", "Refunds", "Timeout", "Fraud Service", "Bank"]
KINDS = [None, None, "System", "Flow"]
FIELD_KEYS = ["Role", "Source", "Frequency", "Dependencies"]
WORDS = ["hourly", "daily", "real-time", "Postgres", "Redis", "shop", "bank", "every", "payment"]


@dataclass
class Tree:
    kind: str | None
    key: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    children: list[Tree] = field(default_factory=list)


words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8)


def trees(depth: int) -> st.SearchStrategy[list[Tree]]:
    children = trees(depth + 1) if depth < 2 else st.just([])
    node = st.builds(
        Tree,
        st.sampled_from(KINDS),
        st.sampled_from(KEYS),
        st.lists(st.tuples(st.sampled_from(FIELD_KEYS), words.map(" ".join)), max_size=3),
        st.lists(st.sampled_from(WORDS), max_size=12),
        children,
    )
    return st.lists(node, max_size=4 if depth else 5)


def render(nodes: list[Tree], status: str, date: str, wrap: int, ordinal: int) -> str:
    lines = ["# Integration Blueprint: Generated", ""]

    def put(node: Tree, level: int, number: int) -> None:
        heading = f"{node.kind} {number}: {node.key}" if node.kind else node.key
        lines.extend([f"{'#' * level} {heading}"])
        lines.extend(f"- **{k}**: {v}" for k, v in node.fields)
        if node.text:
            lines.append("")
            lines.extend(" ".join(node.text[i : i + wrap]) for i in range(0, len(node.text), wrap))
        lines.append("")
        for n, child in enumerate(node.children):
            put(child, level + 1, n + ordinal)

    for n, node in enumerate(nodes):
        put(node, 2, n + ordinal)
    lines += ["---", "", f"**Blueprint Status**: {status}", f"**Last Updated**: {date}", ""]
    return "\n".join(lines)


@st.composite
def mutated(draw: st.DrawFn, nodes: list[Tree]) -> list[Tree]:
    out: list[Tree] = []
    for node in nodes:
        action = draw(st.sampled_from(["keep", "keep", "drop", "rename", "edit", "text"]))
        if action == "drop":
            continue
        node = replace(node, children=draw(mutated(node.children)))
        if action == "rename":
            node = replace(node, key=draw(st.sampled_from(KEYS)))
        elif action == "edit" and node.fields:
            k = draw(st.integers(0, len(node.fields) - 1))
            fields = list(node.fields)
            fields[k] = (fields[k][0], " ".join(draw(words)))
            node = replace(node, fields=fields)
        elif action == "text":
            node = replace(node, text=[*node.text, *draw(words)])
        out.append(node)
    if draw(st.booleans()):
        out = draw(st.permutations(out))
    if draw(st.booleans()):
        extra = draw(trees(2))
        at = draw(st.integers(0, len(out)))
        out[at:at] = extra
    return out


@st.composite
def versions(draw: st.DrawFn) -> tuple[str, str]:
    first = draw(trees(0))
    second = draw(st.one_of(mutated(first), trees(0)))
    old = render(first, "Draft", "2026-01-05", draw(st.integers(1, 6)), draw(st.integers(1, 3)))
    new = render(
        second,
        draw(st.sampled_from(["Draft", "Review"])),
        draw(st.sampled_from(["2026-01-05", "2026-02-01"])),
        draw(st.integers(1, 6)),
        draw(st.integers(1, 3)),
    )
    return old, new


def mirrored(changes: list[Change]) -> list[str]:
    """The changes of a→b as b→a should report them: added ↔ removed, old ↔ new, indexes
    swapped, renames turned round, and paths in the other document where they name it."""
    new_key = {c.path: c.new_key for c in changes if c.op == "renamed"}

    def to_new(path: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new_key.get(path[: k + 1]) or path[k] for k in range(len(path)))

    old_key = {to_new(path): path[-1] for path in new_key}

    def to_old(path: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(old_key.get(path[: k + 1], path[k]) for k in range(len(path)))

    out: list[Change] = []
    for c in changes:
        flip = {"added": "removed", "removed": "added"}.get(c.op, c.op)
        if c.op == "renamed":
            out.append(replace_record(c, path=to_new(c.path), new_key=c.path[-1]))
        elif c.level == "node" and c.op in ("added", "removed"):
            out.append(replace_record(c, op=flip, old=c.new, new=c.old))
        else:
            out.append(
                replace_record(
                    c,
                    op=flip,
                    path=to_old(c.path),
                    old=c.new,
                    new=c.old,
                    old_index=c.new_index,
                    new_index=c.old_index,
                )
            )
    return canonical(out)


def canonical(changes: list[Change]) -> list[str]:
    return sorted(json.dumps(c.to_dict(), sort_keys=True) for c in changes)


@settings(max_examples=50, deadline=None)
@given(versions())
def test_a_document_against_itself_has_no_change(pair: tuple[str, str]) -> None:
    for text in pair:
        assert diff_documents(parse_document(text), parse_document(text)) == []


@settings(max_examples=100, deadline=None)
@given(versions())
def test_the_diff_backwards_is_the_diff_mirrored(pair: tuple[str, str]) -> None:
    a, b = (parse_document(text) for text in pair)
    forward = diff_documents(a, b)
    assert canonical(diff_documents(b, a)) == mirrored(forward)


@settings(max_examples=60, deadline=None)
@given(trees(0), st.integers(1, 6), st.integers(1, 6), st.integers(1, 4))
def test_renumbering_and_rewrapping_are_no_change(
    nodes: list[Tree], wrap_a: int, wrap_b: int, ordinal: int
) -> None:
    a = render(nodes, "Draft", "2026-01-05", wrap_a, 1)
    b = render(nodes, "Draft", "2026-01-05", wrap_b, ordinal).replace("\n", "\r\n")
    assert diff_documents(parse_document(a), parse_document(b)) == []


@settings(max_examples=40, deadline=None)
@given(versions())
def test_a_new_file_is_everything_added(pair: tuple[str, str]) -> None:
    doc = parse_document(pair[0])
    added = diff_documents(None, doc)
    assert {c.op for c in added} <= {"added"}
    assert canonical(diff_documents(doc, None)) == mirrored(added)
    assert [c.path for c in added if c.level == "node"] == [(n.key,) for n in doc.nodes]
