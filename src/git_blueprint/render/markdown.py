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


# GitHub refuses a comment longer than this (characters); GitLab's notes allow more.
COMMENT_LIMIT = 65_536
_ROOM_FOR_THE_NOTE = 400  # what the closing "left out" note may take


def render_markdown(files: list[FileDiff], limit: int = COMMENT_LIMIT) -> str:
    """The comment; with ``limit`` (characters; 0 for none) whole changes and files are left
    out once the next would pass it, and a last line says how many and how to see them."""
    head = ["## Blueprint changes", ""]
    if not files:
        return "\n".join([*head, "No blueprint changed."]) + "\n"
    blocks = [_file_blocks(diff) for diff in files]
    if not limit:
        lines = head + [line for file_blocks in blocks for block in file_blocks for line in block]
        return "\n".join(lines).rstrip("\n") + "\n"
    budget = limit - _ROOM_FOR_THE_NOTE
    out, size = list(head), _size(head)
    left_changes = left_files = 0
    for file_blocks in blocks:
        first, *rest = file_blocks  # the file's header and summary, then one per change
        if left_files or size + _size(first) > budget:
            left_files += 1
            continue
        out += first
        size += _size(first)
        for block in rest:
            if left_changes or size + _size(block) > budget:
                left_changes += 1
                continue
            out += block
            size += _size(block)
        if out[-1]:
            out.append("")
    if left_changes or left_files:
        parts = []
        if left_changes:
            parts.append(f"{left_changes} more change{'s' if left_changes != 1 else ''}")
        if left_files:
            parts.append(f"{left_files} more file{'s' if left_files != 1 else ''}")
        out += [
            f"_… {' and '.join(parts)} left out, to keep this comment under {limit:,} "
            "characters: run `bp diff` for all of them._",
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _size(lines: list[str]) -> int:
    """Characters the lines take in the comment, line breaks included."""
    return sum(len(line) + 1 for line in lines)


def _file(diff: FileDiff) -> list[str]:
    return [line for block in _file_blocks(diff) for line in block]


def _file_blocks(diff: FileDiff) -> list[list[str]]:
    """One file's part of the comment, in the pieces a size limit may leave out whole: the
    header with the status and the count, each change's bullet, the metadata line."""
    title = code(diff.path)
    if diff.old.path and diff.new.path and diff.old.path != diff.new.path:
        title = f"{code(diff.old.path)} → {code(diff.new.path)}"
    if diff.old.path is None:
        title += " (new)"
    elif diff.new.path is None:
        title += " (deleted)"
    if diff.old.rev is not None or diff.new.rev is not None:
        title += f" <sub>{escape(side_label(diff.old))} → {escape(side_label(diff.new))}</sub>"
    head = [f"### {title}", ""]
    if not diff.changes:
        return [[*head, "_No semantic change (whitespace, wrapping or line endings only)._", ""]]
    status = [c for c in diff.changes if c.level == "status"]
    metadata = [c for c in diff.changes if c.level == "metadata"]
    content = [c for c in diff.changes if c.level not in ("status", "metadata")]
    for change in status:
        head += [f"**Status: {_status_value(change)}**", ""]
    blocks = [head]
    if content:
        n = len(content)
        head += [f"{n} change{'s' if n != 1 else ''}: {counts(content)}", ""]
        blocks += [_bullet(change) for change in content]
        if blocks[-1][-1]:
            blocks[-1] = [*blocks[-1], ""]
    if metadata:
        blocks.append([" · ".join(_metadata(c) for c in metadata), ""])
    return blocks


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
