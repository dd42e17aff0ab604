"""Blueprint metadata: reading it from the footer or the YAML front matter, and writing a value
by changing only the bytes of that value.

Standard library only (PyYAML's loader is imported when a document has front matter): the
pre-commit hook reads and writes metadata through this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from git_blueprint.core.config import MetadataNames
from git_blueprint.errors import DocumentError
from git_blueprint.markdown.lines import SourceLines, split_lines
from git_blueprint.values import Record, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    import yaml

FIELDS = ("status", "last_updated", "author")
_FM_OPEN = re.compile(r"---[ \t]*")
_FM_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
# Safe as a plain YAML scalar in block and flow context alike (no ",[]{}#:").
_PLAIN_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/+()@-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
_PLACEHOLDER = re.compile(r"\[[^\[\]]*\]")


class MetaField(Record, frozen=True):
    """One metadata value as written: ``text[start:end]`` is its source (quotes included)."""

    name: str  # canonical: status, last_updated or author
    value: str
    line: int  # 0-based
    start: int
    end: int
    style: str  # footer | plain | single | double | other (block scalars, lists: no surgery)

    @property
    def is_placeholder(self) -> bool:
        v = self.value.strip()
        return not v or bool(_PLACEHOLDER.fullmatch(v))


class FrontMatter(Record, frozen=True):
    """Where YAML front matter is, and where a new key can go."""

    end_line: int  # 0-based index of the closing fence line
    body_start: int  # offset in text of the first line after the opening fence
    body_end: int  # offset in text of the closing fence line
    error: str | None = None  # why the body is not a YAML mapping, when it is not
    # Where a new key goes: a block mapping whose keys share one column takes a line with
    # that indentation before the closing fence; a flow mapping takes ", key: value"
    # before its closing brace (the offset in the text). Neither: no place to add one.
    key_column: int | None = 0
    flow_close: int | None = None


class Metadata(Record, frozen=True):
    """A document's metadata: where it lives, its fields, and any given twice."""

    source: str | None  # "footer", "front-matter" or None when the document has none
    fields: dict[str, MetaField] = field(default_factory=dict)
    duplicates: tuple[MetaField, ...] = ()
    front_matter: FrontMatter | None = None
    footer_last_line: int | None = None

    def value(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.value if f is not None else None


def front_matter_end(lines: list[str]) -> int | None:
    """Index of the line closing YAML front matter that opens on line 0, or None."""
    if not lines or not _FM_OPEN.fullmatch(lines[0]):
        return None
    for i in range(1, len(lines)):
        if _FM_CLOSE.fullmatch(lines[i]):
            return i
    return None


def blank_front_matter(lines: list[str]) -> list[str]:
    """The lines a Markdown parser should see: front matter replaced by blank lines, so that
    line numbers stay those of the file."""
    end = front_matter_end(lines)
    if end is None:
        return lines
    return [""] * (end + 1) + lines[end + 1 :]


def _scalar_style(node: yaml.ScalarNode) -> str:
    if node.style in (None, ""):
        return "plain"
    return {"'": "single", '"': "double", "|": "block", ">": "block"}.get(node.style, "other")


def _read_front_matter(
    src: SourceLines, end_line: int, names: MetadataNames
) -> tuple[FrontMatter, list[MetaField]]:
    import yaml

    body_start = src.starts[1] if len(src.starts) > 1 else len(src.text)
    body_end = src.starts[end_line]
    body = src.text[body_start:body_end]
    fm = FrontMatter(end_line, body_start, body_end)
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(body)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        error = f"front matter is not valid YAML{where}: {problem}"
        return FrontMatter(end_line, body_start, body_end, error=error), []
    finally:
        loader.dispose()
    if root is None:
        return fm, []
    if not isinstance(root, yaml.MappingNode):
        error = "front matter is not a YAML mapping"
        return FrontMatter(end_line, body_start, body_end, error=error), []
    wanted = {key: canonical for canonical, key in names.front_matter.items()}
    found: list[MetaField] = []
    columns = {k.start_mark.column for k, _ in root.value}
    key_column = None if root.flow_style or len(columns) > 1 else (columns.pop() if columns else 0)
    flow_close = None
    if root.flow_style:
        close = body.rfind("}", 0, root.end_mark.index)
        flow_close = body_start + close if close >= 0 else None
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        canonical = wanted.get(key_node.value)
        if canonical is None:
            continue
        start = body_start + value_node.start_mark.index
        end = body_start + value_node.end_mark.index
        line = 1 + value_node.start_mark.line
        if isinstance(value_node, yaml.ScalarNode):
            style = _scalar_style(value_node)
            if style in ("plain", "single", "double") and (
                value_node.start_mark.line != value_node.end_mark.line
            ):
                style = "other"
            value = (
                "" if value_node.tag.endswith(":null") and style == "plain" else value_node.value
            )
        elif isinstance(value_node, yaml.SequenceNode):
            style = "other"
            value = ", ".join(
                str(item.value) for item in value_node.value if isinstance(item, yaml.ScalarNode)
            )
        else:
            style, value = "other", ""
        found.append(MetaField(canonical, str(value).strip(), line, start, end, style))
    fm = FrontMatter(end_line, body_start, body_end, None, key_column, flow_close)
    return fm, found


_FOOTER_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def footer_pattern(names: MetadataNames) -> re.Pattern[str]:
    # Kept by labels: building the pattern's text costs more than reading a footer.
    key = tuple(names.footer.values())
    found = _FOOTER_PATTERNS.get(key)
    if found is None:
        labels = "|".join(re.escape(label) for label in key)
        found = _FOOTER_PATTERNS[key] = re.compile(
            rf"[ \t]*\*\*(?P<label>{labels})(?:\*\*:|:\*\*)[ \t]*(?P<value>.*?)[ \t]*",
            re.IGNORECASE,
        )
    return found


_FOOTER_STARTS: dict[tuple[str, ...], str] = {}


def footer_start(names: MetadataNames) -> str:
    """A regular expression for the start of a line that :func:`footer_pattern` matches in
    full: the same pattern up to the label's colon (the rest of it matches any line)."""
    labels = tuple(names.footer.values())
    found = _FOOTER_STARTS.get(labels)
    if found is None:
        alternatives = "|".join(re.escape(label) for label in labels)
        found = _FOOTER_STARTS[labels] = rf"(?i:[ \t]*\*\*(?:{alternatives})(?:\*\*:|:\*\*))"
    return found


def read_metadata(
    src: SourceLines, paragraphs: Iterable[tuple[int, int]], names: MetadataNames
) -> Metadata:
    """Metadata of a document, given its top-level paragraphs' line ranges ``[start, end)``.

    Front matter wins when it holds any metadata key; otherwise footer lines
    (``**Blueprint Status**: Draft``) in top-level paragraphs. The last occurrence of a key
    counts; earlier ones are reported as duplicates.
    """
    fm_end = front_matter_end(src.lines)
    front: FrontMatter | None = None
    fm_fields: list[MetaField] = []
    if fm_end is not None:
        front, fm_fields = _read_front_matter(src, fm_end, names)
    if fm_fields:
        return _collect("front-matter", fm_fields, front, None)

    pattern = footer_pattern(names)
    by_label = {label.casefold(): canonical for canonical, label in names.footer.items()}
    found: list[MetaField] = []
    for start, end in paragraphs:
        for i in range(start, end):
            line = src.lines[i]
            if "**" not in line:
                continue
            m = pattern.fullmatch(line)
            if m is None:
                continue
            base = src.content_start(i)
            found.append(
                MetaField(
                    by_label[m["label"].casefold()],
                    m["value"],
                    i,
                    base + m.start("value"),
                    base + m.end("value"),
                    "footer",
                )
            )
    if not found:
        return Metadata(None, front_matter=front)
    return _collect("footer", found, front, max(f.line for f in found))


def _collect(
    source: str, found: list[MetaField], front: FrontMatter | None, last_line: int | None
) -> Metadata:
    fields: dict[str, MetaField] = {}
    duplicates: list[MetaField] = []
    for f in found:
        if f.name in fields:
            duplicates.append(fields[f.name])
        fields[f.name] = f
    return Metadata(source, fields, tuple(duplicates), front, last_line)


def _yaml_scalar(value: str, style: str) -> str:
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    plain_ok = (
        style == "plain"
        and _PLAIN_SAFE.fullmatch(value) is not None
        and value.lower() not in _YAML_WORDS
        and not value.endswith(" ")
        and ": " not in value
        and " #" not in value
    )
    if plain_ok:
        return value
    import json  # a JSON string is a valid double-quoted YAML scalar

    return json.dumps(value, ensure_ascii=False)


def _clean_value(value: str) -> str:
    return " ".join(value.split())


def set_field(
    src: SourceLines,
    meta: Metadata,
    name: str,
    value: str,
    names: MetadataNames,
) -> str:
    """The document text with metadata ``name`` set to ``value``; every other byte is kept.

    The caller re-reads the result to confirm (see :func:`set_fields`).
    """
    if name not in FIELDS:
        raise ValueError(f"unknown metadata field {name!r}")
    value = _clean_value(value)
    text = src.text
    current = meta.fields.get(name)
    if current is not None:
        if current.value == value:
            return text
        if current.style == "footer":
            return text[: current.start] + value + text[current.end :]
        if current.style in ("plain", "single", "double"):
            encoded = _yaml_scalar(value, current.style)
            at, end = current.start, current.end
            if at == end:  # `author:` with no value yet: after the blank, or with one
                if text[at : at + 1] in (" ", "\t"):
                    at = end = at + 1
                elif text[at - 1 : at] == ":":
                    encoded = " " + encoded
            return text[:at] + encoded + text[end:]
        # A block scalar, a list, a value over several lines: the value's own span becomes
        # one plain or quoted scalar; the line breaks that ended it stay, so the next key
        # keeps its place, and a comment before it on the key's line stays too.
        old = text[current.start : current.end]
        breaks = re.search(r"(?:\r\n|\r|\n)[ \t]*\Z|(?:\r\n|\r|\n)*\Z", old)
        tail = breaks.group(0) if breaks else ""
        return text[: current.start] + _yaml_scalar(value, "plain") + tail + text[current.end :]
    eol = src.dominant_ending()
    fm = meta.front_matter
    if meta.source == "front-matter" or (
        meta.source is None and fm is not None and fm.error is None
    ):
        assert fm is not None
        key = names.front_matter[name]
        entry = f"{key}: {_yaml_scalar(value, 'plain')}"
        if fm.flow_close is not None:
            before = text[: fm.flow_close].rstrip()
            sep = "" if before.endswith("{") else ", "
            return text[: fm.flow_close].rstrip() + sep + entry + text[len(before) :]
        if fm.key_column is None:
            raise DocumentError(
                f"front matter has no place for {key} (keys at different indentations); "
                "add it by hand"
            )
        at = fm.body_end
        return text[:at] + " " * fm.key_column + entry + eol + text[at:]
    label = names.footer[name]
    line = f"**{label}**: {value}"
    if meta.footer_last_line is not None:
        i = meta.footer_last_line
        at = src.content_start(i) + len(src.lines[i])
        ending = src.ending(i)
        if ending:
            return text[: at + len(ending)] + line + ending + text[at + len(ending) :]
        return text[:at] + eol + line + text[at:]
    # No footer yet: a paragraph of its own at the end, after a blank line. A file without
    # a final line ending stays without one.
    if not text:
        return line + eol
    last = len(src.lines) - 1
    ending = src.ending(last)
    if ending:
        return text + ending + line + ending
    return text + eol + eol + line


def set_fields(text: str, values: dict[str, str], names: MetadataNames, path: str) -> str:
    """Set several metadata values, re-reading after each write to prove it took effect."""
    # summary imports this module, so it is loaded already.
    from git_blueprint.core.summary import summarize

    for name in FIELDS:
        if name not in values:
            continue
        read = summarize(text, names)
        src, meta = read.src, read.metadata
        if meta.front_matter is not None and meta.front_matter.error and (meta.source != "footer"):
            raise DocumentError(f"{path}: {meta.front_matter.error}")
        try:
            new_text = set_field(src, meta, name, values[name], names)
        except DocumentError as exc:
            raise DocumentError(f"{path}: {exc}") from None
        if new_text == text:
            continue
        check = summarize(new_text, names).metadata
        wanted = _clean_value(values[name])
        if check.value(name) != wanted or (meta.source and check.source != meta.source):
            where = (
                "the front matter"
                if meta.source == "front-matter"
                else "the footer (is the end of the file inside a code block or list?)"
            )
            raise DocumentError(f"{path}: cannot write {names.footer[name]} into {where}")
        if check.source == "front-matter" and not _front_matter_kept(
            text, new_text, names.front_matter[name], wanted
        ):
            raise DocumentError(
                f"{path}: cannot write {names.front_matter[name]} into this front matter "
                "without changing other values; edit it by hand"
            )
        text = new_text
    return text


def _front_matter_values(text: str) -> dict[str, object] | None:
    import yaml

    src = split_lines(text)
    end = front_matter_end(src.lines)
    if end is None:
        return None
    body = src.text[src.starts[1] if len(src.starts) > 1 else len(src.text) : src.starts[end]]
    try:
        data = yaml.load(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _front_matter_kept(old: str, new: str, key: str, value: str) -> bool:
    """The new front matter holds ``key: value`` and every other key exactly as before."""
    before, after = _front_matter_values(old), _front_matter_values(new)
    if after is None or before is None:
        return False
    if key not in after or str(after[key]) != value:
        return False
    return {k: v for k, v in before.items() if k != key} == {
        k: v for k, v in after.items() if k != key
    }
