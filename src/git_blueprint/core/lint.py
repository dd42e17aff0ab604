"""``bp check``: the problems of one parsed blueprint, as data. Rule names are stable and
documented in docs/format.md."""

from __future__ import annotations

import re

from git_blueprint.core.config import Config
from git_blueprint.core.metadata import Metadata
from git_blueprint.core.paths import is_valid_id
from git_blueprint.values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from git_blueprint.core.document import Document, Placeholder

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PLACEHOLDER = re.compile(r"\[[^\[\]]*\]( \(\d+\))?")
ERROR = "error"
WARNING = "warning"

RULES = {
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


class Problem(Record, frozen=True):
    """One finding of ``bp check``: where, how bad, which rule, and what is wrong."""

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


def check_basics(
    path: str,
    title: str | None,
    meta: Metadata,
    line_count: int,
    config: Config,
    blueprint_id: str | None = None,
) -> tuple[list[Problem], str | None]:
    """Problems found from the title and metadata alone, and the canonical status.
    Needs no Markdown parser: the hooks run it on the fast read."""
    problems: list[Problem] = []

    def add(line: int, severity: str, rule: str, message: str) -> None:
        problems.append(Problem(path, line, severity, rule, message))

    if blueprint_id is not None and not is_valid_id(blueprint_id):
        add(1, WARNING, "bad-id", f"'{blueprint_id}' is not a lowercase id (a-z, 0-9, '-')")
    if title is None:
        add(1, ERROR, "missing-title", "no '# Title' heading")

    names = config.names
    fm = meta.front_matter
    if fm is not None and fm.error:
        if meta.source != "footer":
            add(1, ERROR, "front-matter", fm.error)
        else:  # the metadata is read from the footer; the front matter is still broken
            add(1, WARNING, "front-matter", f"{fm.error} (the metadata is read from the footer)")
    labels = names.footer if meta.source != "front-matter" else names.front_matter
    for name in ("status", "last_updated", "author"):
        f = meta.fields.get(name)
        if f is None:
            hint = (
                f"add '{names.front_matter[name]}: …' to the front matter"
                if meta.source == "front-matter"
                else f"add '**{names.footer[name]}**: …'"
            )
            add(line_count, ERROR, "missing-metadata", f"no {labels[name]} ({hint})")
        elif f.is_placeholder:
            add(f.line + 1, ERROR, "missing-metadata", f"{labels[name]} is still '{f.value}'")
    for dup in meta.duplicates:
        message = f"{labels[dup.name]} is given again later; the last one counts"
        add(dup.line + 1, WARNING, "duplicate-metadata", message)

    status_field = meta.fields.get("status")
    status: str | None = None
    if status_field is not None and not status_field.is_placeholder:
        status = config.canonical_status(status_field.value)
        if status is None:
            known = ", ".join(config.statuses)
            add(
                status_field.line + 1,
                ERROR,
                "unknown-status",
                f"'{status_field.value}' is not one of {known}",
            )
    updated = meta.fields.get("last_updated")
    if updated is not None and not updated.is_placeholder and not _is_date(updated.value):
        message = f"'{updated.value}' is not a date written YYYY-MM-DD"
        add(updated.line + 1, ERROR, "bad-date", message)
    return problems, status


# Every placeholder the parser can find is, in the source, square brackets around something
# other than blanks, not followed by "(" or "[": a text without such a run holds none, and
# the Markdown parser need not be loaded to know it (the hooks' common case).
_MAYBE_PLACEHOLDER = re.compile(r"\[[^\[\]]*[^\s\[\]][^\[\]]*\](?![\[(])")


def may_hold_placeholders(text: str) -> bool:
    return _MAYBE_PLACEHOLDER.search(text) is not None


def open_placeholders(placeholders: list[Placeholder], meta: Metadata) -> list[Placeholder]:
    """Placeholders outside the metadata lines (those are ``missing-metadata``'s business)."""
    meta_lines = {f.line + 1 for f in (*meta.fields.values(), *meta.duplicates)}
    return [ph for ph in placeholders if ph.line not in meta_lines]


def check_placeholders(
    path: str, placeholders: list[Placeholder], meta: Metadata, status: str | None, config: Config
) -> list[Problem]:
    left = open_placeholders(placeholders, meta)
    if status is not None and status in config.require_complete:
        return [
            Problem(path, ph.line, ERROR, "placeholder", f"{ph.text} must be filled in {status}")
            for ph in left
        ]
    if not left:
        return []
    first = left[0]
    more = len(left) - 1
    rest = f" and {more} more" if more else ""
    needed = f" (needed before {', '.join(config.require_complete)})"
    message = f"{first.text}{rest} not filled yet{needed if config.require_complete else ''}"
    return [Problem(path, first.line, WARNING, "placeholder", message)]


def check_document(doc: Document, config: Config, blueprint_id: str | None = None) -> list[Problem]:
    problems, status = check_basics(
        doc.path,
        doc.title.text if doc.title else None,
        doc.metadata,
        len(doc.src.lines),
        config,
        blueprint_id,
    )
    for line, key in doc.duplicate_keys:
        if not PLACEHOLDER.fullmatch(key):  # repeated "[System Name]"s are one placeholder issue
            message = f"'{key}' repeats a sibling's key; it is compared as '{key} (2)'"
            problems.append(Problem(doc.path, line, WARNING, "duplicate-key", message))
    problems.extend(check_placeholders(doc.path, doc.placeholders, doc.metadata, status, config))
    problems.sort(key=lambda p: (p.line, p.rule))
    return problems


def check_text_errors(text: str, path: str, config: Config) -> list[Problem]:
    """The errors ``bp check`` would report, parsing the Markdown fully only when the status
    requires completeness (the hooks' path: usually no Markdown library is loaded)."""
    from git_blueprint.core.summary import summarize

    summary = summarize(text, config.names)
    problems, status = check_basics(
        path, summary.title, summary.metadata, len(summary.src.lines), config
    )
    if status is not None and status in config.require_complete and may_hold_placeholders(text):
        from git_blueprint.core.document import parse_document

        doc = parse_document(text, path, config.names)
        problems.extend(check_placeholders(path, doc.placeholders, doc.metadata, status, config))
    problems.sort(key=lambda p: (p.line, p.rule))
    return [p for p in problems if p.severity == ERROR]


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_date(value: str) -> bool:
    """Whether ``value`` is a calendar date written YYYY-MM-DD (as ``date.fromisoformat``
    accepts it, without importing ``datetime`` into the hooks)."""
    if not value.isascii() or not DATE.fullmatch(value):
        return False
    year, month, day = int(value[:4]), int(value[5:7]), int(value[8:10])
    if year < 1 or not 1 <= month <= 12 or day < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= _DAYS[month - 1] + (1 if month == 2 and leap else 0)
