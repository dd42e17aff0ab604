"""Where commands write: stdout for results, stderr for notes. Colour only on a terminal
unless asked (``--color``), never with ``NO_COLOR`` set in auto mode."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from git_blueprint.errors import PROG

COLOR_CHOICES = ("auto", "always", "never")
_STYLES = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}


def wants_color(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty() and os.environ.get("TERM") != "dumb"


class Output:
    def __init__(self, color: str = "auto", stdout: TextIO | None = None) -> None:
        self.stdout = stdout or sys.stdout
        self.stderr = sys.stderr
        self.color = wants_color(color, self.stdout)

    def paint(self, text: str, *styles: str) -> str:
        if not self.color or not styles:
            return text
        codes = ";".join(_STYLES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"

    def line(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    def note(self, text: str) -> None:
        self.stderr.write(f"{PROG}: {text}\n")

    def warn(self, text: str) -> None:
        """A problem the command went on past: ``git-blueprint: warning: …`` on stderr."""
        self.stderr.write(f"{PROG}: warning: {text}\n")

    def json(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def status_style(status: str, statuses: tuple[str, ...]) -> tuple[str, ...]:
    """First status yellow, the last green, the ones between cyan; unknown ones red."""
    if status not in statuses:
        return ("red",)
    i = statuses.index(status)
    if i == len(statuses) - 1 and i > 0:
        return ("green",)
    return ("yellow",) if i == 0 else ("cyan",)


def table(
    rows: list[list[str]],
    header: list[str],
    paint: Callable[[int, str], str] | None = None,
) -> list[str]:
    """Left-aligned columns, two spaces apart; the last column is not padded. ``paint``
    styles a cell after its width is measured, so colour never breaks alignment."""
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def fmt(row: list[str], styler: Callable[[int, str], str] | None) -> str:
        cells = []
        for i, cell in enumerate(row):
            pad = "" if i == len(row) - 1 else " " * (widths[i] - len(cell))
            cells.append((styler(i, cell) if styler and cell else cell) + pad)
        return "  ".join(cells).rstrip()

    return [fmt(header, None), *(fmt(r, paint) for r in rows)]


class Progress:
    """A one-line counter on stderr for work that takes more than a second, shown only on a
    terminal (never in a pipe, a hook's captured output, or beside JSON)."""

    def __init__(self, what: str, total: int, enabled: bool = True) -> None:
        import time

        self._time = time.monotonic
        self.what = what
        self.total = total
        self.enabled = enabled and sys.stderr.isatty()
        self.started = self._time()
        self.shown_at = 0.0
        self.shown = False

    def step(self, done: int) -> None:
        if not self.enabled:
            return
        now = self._time()
        if now - self.started < 1.0 or now - self.shown_at < 0.1:
            return
        self.shown_at = now
        self.shown = True
        shown = f"{done}/{self.total}" if self.total else str(done)  # 0: not known yet
        sys.stderr.write(f"\r{self.what}: {shown}")
        sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
