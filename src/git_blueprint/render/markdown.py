"""The semantic diff as Markdown for a pull-request comment (GitHub, GitLab, Gitea).

Per file: the status change first, in bold; a count of the changes; one bullet per change
with changed words as ``<del>``/``<ins>``; node content and long text changes folded in
``<details>`` blocks; metadata last, in small print. Everything the document's authors
wrote is escaped, so their Markdown cannot break the comment's.
"""

from __future__ import annotations

import re

from git_blueprint.core.semdiff import Change, FileDiff, Segment
from git_blueprint.render import (
    METADATA_LABELS,
    SEP,
    counts,
    elide,
    side_label,
)

# A text change longer than this (words shown, context included) is folded.
FOLD_WORDS = 40
_ESCAPE = re.compile(r"([\\`*_\[\]<>|#~!&{}])")


def render_markdown(files: list[FileDiff]) -> str:
    out = ["## Blueprint changes", ""]
    if not files:
        out += ["No blueprint changed.", ""]
    for diff in files:
        out += _file(diff)
    return "\n".join(out).rstrip("\n") + "\n"


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _file(diff: FileDiff) -> list[str]:
    title = code(diff.path)
    if diff.old.path and diff.new.path and diff.old.path != diff.new.path:
        title = f"{code(diff.old.path)} → {code(diff.new.path)}"
    if diff.old.path is None:
        title += " (new)"
    elif diff.new.path is None:
        title += " (deleted)"
    if diff.old.rev is not None or diff.new.rev is not None:
        title += f" <sub>{escape(side_label(diff.old))} → {escape(side_label(diff.new))}</sub>"
    out = [f"### {title}", ""]
    if not diff.changes:
        return [*out, "_No semantic change (whitespace, wrapping or line endings only)._", ""]
    status = [c for c in diff.changes if c.level == "status"]
    metadata = [c for c in diff.changes if c.level == "metadata"]
    content = [c for c in diff.changes if c.level not in ("status", "metadata")]
    for change in status:
        out += [f"**Status: {_status_value(change)}**", ""]
    if content:
        n = len(content)
        out += [f"{n} change{'s' if n != 1 else ''}: {counts(content)}", ""]
        for change in content:
            out += _bullet(change)
        if out[-1]:
            out.append("")
    if metadata:
        out += [" · ".join(_metadata(c) for c in metadata), ""]
    return out


def _status_value(change: Change) -> str:
    if change.op == "changed":
        return f"{escape(change.old or '')} → {escape(change.new or '')}"
    if change.op == "added":
        return f"set to {escape(change.new or '')}"
    return f"{escape(change.old or '')} removed"


def _metadata(change: Change) -> str:
    label = METADATA_LABELS.get(change.name or "", change.name or "metadata")
    if change.op == "changed":
        text = f"{label}: {escape(change.old or '')} → {escape(change.new or '')}"
    elif change.op == "added":
        text = f"{label}: {escape(change.new or '')} (added)"
    else:
        text = f"{label}: {escape(change.old or '')} (removed)"
    return f"<sub>{text}</sub>"


def _where(path: tuple[str, ...], noun: str) -> str:
    """``System **Fraud Service** in Integrated Systems``: the last key in bold, the noun
    before it, its parents after it."""
    if not path:
        return "the preamble"
    *parents, last = path
    text = f"{noun} **{escape(last)}**".lstrip()
    if parents:
        text += f" in {SEP.join(escape(p) for p in parents)}"
    return text


def _bullet(change: Change) -> list[str]:
    verb = f"**{change.op.capitalize()}**"
    level = change.level
    if level == "title":
        return [f"- {verb} title: {_inline_value(change)}"]
    if level == "field":
        head = f"- {verb} {_where(change.path, 'field')}"
        if change.op == "moved":
            return [f"{head}{_positions(change)}"]
        return [f"{head}: {_inline_value(change)}"]
    if level == "node":
        head = f"- {verb} {_where(change.path, escape(change.kind or 'section'))}"
        if change.op == "renamed":
            return [f"{head} to **{escape(change.new_key or '')}**"]
        if change.op == "moved":
            return [f"{head}{_positions(change)}"]
        if change.op == "changed":
            return [f"{head}: heading {_inline_value(change)}"]
        body = change.new if change.op == "added" else change.old
        return [head, *_folded("Content", _fenced(body or ""))]
    head = f"- {verb} text of {_where(change.path, 'section')}"
    if change.op != "changed":
        body = change.new if change.op == "added" else change.old
        return [head, *_folded("Text", _fenced(body or ""))]
    shown = elide(change.words)
    if sum(len(text.split(" ")) for _, text in shown) <= FOLD_WORDS:
        return [f"{head}: {_segments(shown)}"]
    changed = sum(len(text.split(" ")) for op, text in change.words if op != "=")
    return [head, *_folded(f"{changed} words changed", [_segments(shown)])]


def _positions(change: Change) -> str:
    assert change.old_index is not None and change.new_index is not None
    return f" from position {change.old_index + 1} to {change.new_index + 1}"


def _inline_value(change: Change) -> str:
    if change.op == "added":
        return f"<ins>{escape(change.new or '')}</ins>"
    if change.op == "removed":
        return f"<del>{escape(change.old or '')}</del>"
    return _segments(elide(change.words))


def _segments(segments: list[Segment]) -> str:
    parts: list[str] = []
    for op, text in segments:
        if op == "=":
            parts.append(escape(text))
        elif op == "-":
            parts.append(f"<del>{escape(text)}</del>")
        else:
            parts.append(f"<ins>{escape(text)}</ins>")
    return " ".join(parts)


def _fenced(text: str) -> list[str]:
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}markdown", *text.split("\n"), fence]


def _folded(summary: str, body: list[str]) -> list[str]:
    """A ``<details>`` block inside the list item (indented to stay in it)."""
    lines = ["<details>", f"<summary>{escape(summary)}</summary>", "", *body, "", "</details>"]
    return [f"  {line}".rstrip() for line in ["", *lines, ""]]
