"""``bp check``: the problems of one parsed blueprint, as data. Rule names are stable and
documented in docs/format.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from git_blueprint.config import Config
from git_blueprint.document import Document

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PLACEHOLDER = re.compile(r"\[[^\[\]]*\]( \(\d+\))?")
ERROR = "error"
WARNING = "warning"

RULES = {
    "unreadable": "the file is not a readable UTF-8 text blueprint",
    "missing-title": "the document has no H1 title",
    "missing-metadata": "status, last updated or author is missing or still a placeholder",
    "unknown-status": "the status is not one of the configured statuses",
    "bad-date": "Last Updated is not a calendar date written YYYY-MM-DD",
    "front-matter": "the YAML front matter does not parse as a mapping",
    "duplicate-metadata": "a metadata value is given twice; the last one counts",
    "duplicate-key": "two sibling sections have the same key; the second is numbered",
    "placeholder": "an unfilled [placeholder] remains (an error in require_complete statuses)",
    "bad-id": "the file name is not a lowercase id; commands reach it only by its path",
}


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    severity: str
    rule: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} {self.rule}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
        }


def check_document(doc: Document, config: Config, blueprint_id: str | None = None) -> list[Problem]:
    path = doc.path
    problems: list[Problem] = []

    def add(line: int, severity: str, rule: str, message: str) -> None:
        problems.append(Problem(path, line, severity, rule, message))

    if blueprint_id is not None and not re.fullmatch(
        r"[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*", blueprint_id
    ):
        add(1, WARNING, "bad-id", f"'{blueprint_id}' is not a lowercase id (a-z, 0-9, '-')")
    if doc.title is None:
        add(1, ERROR, "missing-title", "no '# Title' heading")

    meta = doc.metadata
    names = config.names
    fm = meta.front_matter
    if fm is not None and fm.error and meta.source != "footer":
        add(1, ERROR, "front-matter", fm.error)
    labels = names.footer if meta.source != "front-matter" else names.front_matter
    end_line = len(doc.src.lines)
    for name in ("status", "last_updated", "author"):
        f = meta.fields.get(name)
        if f is None:
            add(
                end_line,
                ERROR,
                "missing-metadata",
                f"no {labels[name]} (add '**{names.footer[name]}**: …')",
            )
        elif f.is_placeholder:
            add(f.line + 1, ERROR, "missing-metadata", f"{labels[name]} is still '{f.value}'")
    for dup in meta.duplicates:
        add(
            dup.line + 1,
            WARNING,
            "duplicate-metadata",
            f"{labels[dup.name]} is given again later; the last one counts",
        )

    status_field = meta.fields.get("status")
    status: str | None = None
    if status_field is not None and not status_field.is_placeholder:
        status = config.canonical_status(status_field.value)
        if status is None:
            add(
                status_field.line + 1,
                ERROR,
                "unknown-status",
                f"'{status_field.value}' is not one of {', '.join(config.statuses)}",
            )
    updated = meta.fields.get("last_updated")
    if updated is not None and not updated.is_placeholder and not _is_date(updated.value):
        add(
            updated.line + 1,
            ERROR,
            "bad-date",
            f"'{updated.value}' is not a date written YYYY-MM-DD",
        )

    for line, key in doc.duplicate_keys:
        if not PLACEHOLDER.fullmatch(key):  # repeated "[System Name]"s are one placeholder issue
            add(
                line,
                WARNING,
                "duplicate-key",
                f"'{key}' repeats a sibling's key; it is compared as '{key} (2)'",
            )

    meta_lines = {f.line + 1 for f in meta.fields.values()} | {f.line + 1 for f in meta.duplicates}
    open_placeholders = [ph for ph in doc.placeholders if ph.line not in meta_lines]
    if status is not None and status in config.require_complete:
        for ph in open_placeholders:
            add(ph.line, ERROR, "placeholder", f"{ph.text} must be filled in {status}")
    elif open_placeholders:
        first = open_placeholders[0]
        more = len(open_placeholders) - 1
        rest = f" and {more} more" if more else ""
        before = ", ".join(config.require_complete) or "review"
        add(
            first.line,
            WARNING,
            "placeholder",
            f"{first.text}{rest} not filled yet (needed before {before})",
        )
    problems.sort(key=lambda p: (p.line, p.rule))
    return problems


def _is_date(value: str) -> bool:
    if not DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
