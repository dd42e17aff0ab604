"""The semantic diff for a terminal or a log.

Lines are built as styled spans. Plain output joins the spans and marks changed words the
way ``git diff --word-diff=plain`` does (``[-old-]{+new+}``); coloured output (on a
terminal, or when asked) goes through Rich, imported only then, and shows them red and
green without the markers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from git_blueprint.core.semdiff import Change, FileDiff, Segment
from git_blueprint.render import (
    METADATA_LABELS,
    elide,
    headline,
    node_noun,
    side_label,
    where,
)

if TYPE_CHECKING:
    pass

Span = tuple[str, str]  # (text, style; "" for none)
Line = list[Span]

WIDTH = 100
INDENT = "  "
BODY_INDENT = "      "
SIGNS = {"added": "+", "removed": "-", "changed": "~", "moved": "↕", "renamed": "→"}
SIGN_STYLE = {
    "added": "green",
    "removed": "red",
    "changed": "yellow",
    "moved": "cyan",
    "renamed": "magenta",
}


def render_text(files: list[FileDiff], color: bool) -> str:
    """Every file's changes: a header, a one-line summary, then one entry per change."""
    lines: list[Line] = []
    for k, diff in enumerate(files):
        if k:
            lines.append([])
        lines += file_lines(diff)
    return emit(lines, color)


def file_lines(diff: FileDiff) -> list[Line]:
    header = diff.path
    if diff.old.path and diff.new.path and diff.old.path != diff.new.path:
        header = f"{diff.old.path} → {diff.new.path}"
    if diff.old.rev is not None or diff.new.rev is not None:
        header += f" ({side_label(diff.old)} → {side_label(diff.new)})"
    if diff.old.path is None:
        header += " (new file)"
    elif diff.new.path is None:
        header += " (deleted)"
    lines: list[Line] = [[(header, "bold")], [(headline(diff.changes), "dim")]]
    for change in diff.changes:
        lines += change_lines(change)
    return lines


def change_lines(change: Change) -> list[Line]:
    sign = (SIGNS[change.op], SIGN_STYLE[change.op])
    head: Line = [(INDENT, ""), sign, (" ", "")]
    level = change.level
    if level in ("status", "metadata", "title"):
        label = {"status": "status", "title": "title"}.get(level) or METADATA_LABELS.get(
            change.name or "", change.name or level
        )
        return [[*head, (f"{label}: ", "bold"), *_value_spans(change)]]
    if level == "node":
        return _node_lines(change, head)
    if level == "field":
        return [[*head, (f"{where(change.path)}: ", "bold"), *_value_spans(change)]]
    label = f"{where(change.path)} (text)" if change.path else "preamble text"
    lines: list[Line] = [[*head, (label, "bold")]]
    if change.op == "changed":
        lines += _wrapped(elide(change.words))
    else:
        style = SIGN_STYLE[change.op]
        body = change.new if change.op == "added" else change.old
        lines += [[(f"{BODY_INDENT}{line}".rstrip(), style)] for line in (body or "").split("\n")]
    return lines


def _node_lines(change: Change, head: Line) -> list[Line]:
    where_spans: Line = [(where(change.path), "bold")]
    if change.op == "renamed":
        return [[*head, *where_spans, (f": renamed to '{change.new_key}'", "")]]
    if change.op == "moved":
        assert change.old_index is not None and change.new_index is not None
        moved = f": moved from position {change.old_index + 1} to {change.new_index + 1}"
        return [[*head, *where_spans, (moved, "")]]
    if change.op == "changed":
        return [[*head, *where_spans, (": heading ", ""), *_value_spans(change)]]
    body = change.new if change.op == "added" else change.old
    style = SIGN_STYLE[change.op]
    lines: list[Line] = [[*head, *where_spans, (f": {node_noun(change)} {change.op}", "")]]
    lines += [[(f"{BODY_INDENT}{line}".rstrip(), style)] for line in (body or "").split("\n")]
    return lines


def _value_spans(change: Change) -> Line:
    if change.op == "added":
        return [(change.new or "", "green")]
    if change.op == "removed":
        return [(change.old or "", "red")]
    if change.op == "moved":
        assert change.old_index is not None and change.new_index is not None
        return [(f"moved from position {change.old_index + 1} to {change.new_index + 1}", "")]
    if change.level in ("status", "metadata"):
        return [(change.old or "", "red"), (" → ", ""), (change.new or "", "green")]
    return _segment_spans(elide(change.words))


_WORD_STYLE = {"=": "", "-": "del", "+": "ins"}


def _separator(before: str, op: str) -> Span:
    # A replacement reads [-old-]{+new+} in plain text, as git's word diff has it; in
    # colour the two runs need the space that the markers otherwise provide.
    return ("", "gap") if before == "-" and op == "+" else (" ", "")


def _segment_spans(segments: list[Segment]) -> Line:
    spans: Line = []
    before = ""
    for op, text in segments:
        if spans:
            spans.append(_separator(before, op))
        spans.append((text, _WORD_STYLE[op]))
        before = op
    return spans


def _wrapped(segments: list[Segment]) -> list[Line]:
    """A word diff as indented lines of at most ``WIDTH`` columns (plain markers included);
    a run of changed words cut by a line end is marked on each line."""
    lines: list[Line] = []
    line: Line = [(BODY_INDENT, "")]
    col = len(BODY_INDENT)
    before = ""
    for op, text in segments:
        style = _WORD_STYLE[op]
        extra = 0 if op == "=" else 4  # the [- -] or {+ +} of plain output
        run: list[str] = []
        for word in text.split(" "):
            if col > len(BODY_INDENT) and col + 1 + len(word) + (0 if run else extra) > WIDTH:
                if run:
                    line.append((" ".join(run), style))
                    run = []
                lines.append(line)
                line, col = [(BODY_INDENT, "")], len(BODY_INDENT)
            if col > len(BODY_INDENT):
                if not run:
                    line.append(_separator(before, op))
                col += 1
            col += len(word) + (0 if run else extra)
            run.append(word)
        if run:
            line.append((" ".join(run), style))
        before = op
    lines.append(line)
    return lines


_MARKS = {"del": ("[-", "-]"), "ins": ("{+", "+}")}
_COLOURS = {"del": "red", "ins": "green"}


def emit(lines: list[Line], color: bool) -> str:
    if color:
        return _emit_rich(lines)
    return "".join(_plain(line) + "\n" for line in lines)


def _plain(line: Line) -> str:
    out: list[str] = []
    for text, style in line:
        if style in _MARKS:
            opening, closing = _MARKS[style]
            out.append(f"{opening}{text}{closing}")
        elif style != "gap":
            out.append(text)
    return "".join(out)


def _emit_rich(lines: list[Line]) -> str:
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    buffer = StringIO()
    # Colour has been decided by the caller (terminal, --color, NO_COLOR, git's own
    # colour settings for the diff driver): Rich is told, not asked.
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="standard",
        no_color=False,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
        width=WIDTH * 10,
        legacy_windows=False,
    )
    for line in lines:
        text = Text()
        for chunk, style in line:
            if style == "gap":
                text.append(" ")
            else:
                text.append(chunk, style=_COLOURS.get(style, style) or None)
        console.print(text, soft_wrap=True)
    return buffer.getvalue()
