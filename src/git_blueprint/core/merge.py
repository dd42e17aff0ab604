"""Merging two branches' edits of a blueprint: the metadata by what the values mean — the
later ``Last Updated`` wins, an author change on one side wins, two different statuses are
a conflict — and the rest by a line merge the caller gives (the merge driver gives git's).

Pure: strings in, strings out.
"""

from __future__ import annotations

from git_blueprint.core.config import Config
from git_blueprint.core.metadata import FIELDS, Metadata, set_fields
from git_blueprint.core.summary import summarize
from git_blueprint.errors import BlueprintError
from git_blueprint.values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    LineMerge = Callable[[str, str, str, int], tuple[str, int]]


class MetaMerge(Record, frozen=True):
    values: dict[str, str]
    status_conflict: tuple[str, str] | None  # (ours, theirs)


def _three_way(base: str | None, ours: str | None, theirs: str | None) -> str | None:
    if ours == theirs or theirs is None:
        return ours
    if ours is None or ours == base:
        return theirs
    if theirs == base:
        return ours
    return None  # both changed it, differently


def merge_metadata(base: Metadata, ours: Metadata, theirs: Metadata, config: Config) -> MetaMerge:
    def status(meta: Metadata) -> str | None:
        value = meta.value("status")
        return None if value is None else (config.canonical_status(value) or value)

    values: dict[str, str] = {}
    conflict: tuple[str, str] | None = None
    s_base, s_ours, s_theirs = status(base), status(ours), status(theirs)
    merged_status = _three_way(s_base, s_ours, s_theirs)
    if merged_status is None:
        assert s_ours is not None and s_theirs is not None
        conflict = (s_ours, s_theirs)
    else:
        values["status"] = merged_status

    d_ours, d_theirs = ours.value("last_updated"), theirs.value("last_updated")
    dates = [d for d in (d_ours, d_theirs) if d]
    if dates:
        values["last_updated"] = max(dates)

    a_base, a_ours, a_theirs = base.value("author"), ours.value("author"), theirs.value("author")
    author = _three_way(a_base, a_ours, a_theirs)
    if author is None:  # both sides changed it: the side that wrote last
        author = a_theirs if (d_theirs or "") > (d_ours or "") else a_ours
    if author is not None:
        values["author"] = author
    return MetaMerge(values, conflict)


def _with_base_metadata(text: str, side: Metadata, base: Metadata, config: Config) -> str:
    """The side's text with its metadata values set back to the base's, so that git's line
    merge sees no metadata change on either side and the body merges on its own."""
    values = {
        name: base_value
        for name in FIELDS
        if (base_value := base.value(name)) is not None and side.value(name) is not None
    }
    try:
        return set_fields(text, values, config.names, "merge")
    except BlueprintError:  # a side the metadata writer cannot handle: merge it as it is
        return text


def _status_conflict_block(
    text: str, config: Config, conflict: tuple[str, str], size: int, labels: tuple[str, str]
) -> str:
    """The status line replaced by a conflict block offering both statuses, its markers
    labelled as git labels them (``labels``: ours, theirs)."""
    summary = summarize(text, config.names)
    field = summary.metadata.fields.get("status")
    if field is None:
        return text
    src = summary.src
    i = field.line
    line_start = src.starts[i]
    content_end = src.content_start(i) + len(src.lines[i])
    before, after = text[line_start : field.start], text[field.end : content_end]
    eol = src.ending(i) or src.dominant_ending()
    block = (
        f"{'<' * size} {labels[0]}{eol}{before}{conflict[0]}{after}{eol}"
        f"{'=' * size}{eol}{before}{conflict[1]}{after}{eol}{'>' * size} {labels[1]}{eol}"
    )
    return text[:line_start] + block + text[content_end + len(src.ending(i)) :]


def merge_texts(
    base: str,
    ours: str,
    theirs: str,
    config: Config,
    line_merge: LineMerge,
    marker_size: int = 7,
    labels: tuple[str, str] = ("ours", "theirs"),
    favor: str | None = None,
) -> tuple[str, bool]:
    """``(merged text, clean)``: the metadata merged by meaning, the rest by ``line_merge``
    (git's own three-way merge, given ``ours, base, theirs, marker_size``, answering the
    merged text and its number of conflicts). ``favor`` (``ours``/``theirs``, git's
    ``-X``) settles two different statuses the way git's line merge settles a conflicting
    hunk; ``labels`` name the sides on the markers of a status conflict."""
    m_base = summarize(base, config.names).metadata
    m_ours = summarize(ours, config.names).metadata
    m_theirs = summarize(theirs, config.names).metadata
    meta = merge_metadata(m_base, m_ours, m_theirs, config)
    merged, conflicts = line_merge(
        _with_base_metadata(ours, m_ours, m_base, config),
        base,
        _with_base_metadata(theirs, m_theirs, m_base, config),
        marker_size,
    )
    try:
        merged = set_fields(merged, meta.values, config.names, "merge")
    except BlueprintError:
        return merged, False
    if meta.status_conflict is not None and favor in ("ours", "theirs"):
        chosen = meta.status_conflict[0 if favor == "ours" else 1]
        try:
            merged = set_fields(merged, {"status": chosen}, config.names, "merge")
        except BlueprintError:
            return merged, False
    elif meta.status_conflict is not None:
        merged = _status_conflict_block(merged, config, meta.status_conflict, marker_size, labels)
        return merged, False
    return merged, conflicts == 0
