"""Renderers of the semantic diff: text (``render.text``), JSON (``render.jsonout``) and
Markdown (``render.markdown``). Each prints the one change list of :mod:`semdiff`; none
recomputes it. This module holds the wording they share."""

from __future__ import annotations

from collections import Counter

from git_blueprint.core.semdiff import OPS, Change, Segment, Side

SEP = " › "
METADATA_LABELS = {"last_updated": "Last Updated", "author": "Author"}
# A value this short reads well in a sentence: "Frequency hourly → real-time".
SHORT_WORDS = 5
# Equal words kept on either side of a change when a long text is shown.
CONTEXT_WORDS = 8


def where(path: tuple[str, ...]) -> str:
    return SEP.join(path)


def side_label(side: Side) -> str:
    if side.rev is None:
        return "working tree"
    if side.rev == ":0":
        return "index"
    return side.rev


def node_noun(change: Change) -> str:
    """``System 'Fraud Service'``, or ``section 'Goals'`` for a heading without a kind."""
    key = change.path[-1] if change.path else ""
    return f"{change.kind or 'section'} '{key}'"


def _short(value: str | None) -> bool:
    return value is not None and len(value.split()) <= SHORT_WORDS


def phrase(change: Change) -> str:
    """One change as a few words, for a summary line."""
    op, level = change.op, change.level
    if level == "status":
        if op == "changed":
            return f"status {change.old} → {change.new}"
        return f"status {change.new} set" if op == "added" else f"status {change.old} removed"
    if level == "metadata":
        label = METADATA_LABELS.get(change.name or "", change.name or "metadata")
        if op == "changed":
            return f"{label} {change.old} → {change.new}"
        return f"{label} {op}"
    if level == "title":
        return f"title {op}"
    if level == "node":
        if op == "renamed":
            return f"{node_noun(change)} renamed to '{change.new_key}'"
        if op == "changed":
            return f"'{change.path[-1]}' heading {change.old} → {change.new}"
        return f"{node_noun(change)} {op}"
    if level == "field":
        owner = " ".join(change.path[-2:])
        if op == "changed" and _short(change.old) and _short(change.new):
            return f"{owner} {change.old} → {change.new}"
        return f"{owner} {op}"
    owner = f"'{change.path[-1]}' text" if change.path else "preamble text"
    return f"{owner} {op}"


def _weight(change: Change) -> int:
    """What a reader wants to hear of first: the status, then nodes that came, went or were
    renamed, then edited values, then prose, then reordering, then metadata."""
    if change.level == "status":
        return 0
    if change.level == "node" and change.op in ("added", "removed", "renamed"):
        return 1
    if change.level in ("title", "field", "node") and change.op != "moved":
        return 2
    if change.level == "text":
        return 3
    return 4 if change.level != "metadata" else 5


def headline(changes: list[Change], limit: int = 3) -> str:
    """The ``limit`` most telling changes as phrases, the status first."""
    if not changes:
        return "no semantic change (whitespace, wrapping or line endings only)"
    ranked = sorted(changes, key=_weight)  # stable: document order within a weight
    phrases = [phrase(c) for c in ranked[:limit]]
    rest = len(changes) - limit
    if rest > 0:
        phrases.append(f"{rest} more change{'s' if rest != 1 else ''}")
    text = "; ".join(phrases)
    return text[0].upper() + text[1:]


def counts(changes: list[Change]) -> str:
    """``2 added, 1 changed`` over the content changes (status and metadata aside)."""
    by_op = Counter(c.op for c in changes if c.level not in ("status", "metadata"))
    return ", ".join(f"{by_op[op]} {op}" for op in OPS if by_op[op])


def elide(segments: tuple[Segment, ...], context: int = CONTEXT_WORDS) -> list[Segment]:
    """Long runs of equal words cut down to ``context`` words either side of a change, the
    rest replaced by "…" (as an equal segment)."""
    out: list[Segment] = []
    last = len(segments) - 1
    for k, (op, text) in enumerate(segments):
        if op != "=":
            out.append((op, text))
            continue
        words = text.split(" ")
        keep_head = context if k > 0 else 0
        keep_tail = context if k < last else 0
        if len(words) <= keep_head + keep_tail + 1:
            out.append((op, text))
            continue
        parts = [*words[:keep_head], "…", *words[len(words) - keep_tail :]]
        out.append((op, " ".join(parts)))
    return out
