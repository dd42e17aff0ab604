"""The semantic diff (docs/diff.md): two parsed documents in, one list of changes out.

Every renderer (text, JSON, Markdown, the git diff driver) prints this one list; nothing
recomputes it. Pure: documents in, records out. Standard library only, because the git
diff driver runs it once for every file ``git diff`` shows.

How things are matched:

- **Nodes** by key among siblings, at every level, never by position: the parser has already
  dropped ordinals, so ``System 2: X`` renumbered to ``System 1: X`` is the same node.
- **Moves** come from the longest common subsequence of the matched siblings' keys: a
  sibling outside it changed its order; one that only shifted because something was
  inserted or removed before it did not move. The same holds for fields within a node.
- **Renames**: a removed and an added sibling whose content is mostly the same (see
  :data:`RENAME_THRESHOLD`) are one node renamed; best pairs first.
- **Text and values** are compared as sequences of words, so whitespace, wrapping and line
  endings alone are no change.

Paths: a change names its node where it is in the *new* document, except a ``removed`` or
``renamed`` node, named where it was in the *old* one (``renamed`` carries the new key). A
removed field or text is named by its node's path in the new document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from typing import Any

from git_blueprint.core.document import Document, Field, Node
from git_blueprint.values import Record, field

OPS = ("added", "removed", "changed", "moved", "renamed")
LEVELS = ("status", "metadata", "title", "node", "field", "text")
METADATA_FIELDS = ("last_updated", "author")

# Two siblings are "mostly the same" when at least this share of their content words
# match: the Dice coefficient 2·|A∩B| / (|A|+|B|) over the multisets of words of their
# heading key, field values (each word tied to its field's key) and text, children
# included. 0.6 keeps a node whose heading was reworded and one or two values edited, and
# refuses two systems that merely share the template's field names.
RENAME_THRESHOLD = 0.6
# Renames are looked for among at most this many removed x added pairs of one sibling
# list; beyond it (a wholesale rewrite) every unmatched node is plainly removed or added.
MAX_RENAME_PAIRS = 40_000

Segment = tuple[str, str]  # ("=" | "-" | "+", words joined by single spaces)


class Change(Record, frozen=True):
    op: str  # one of OPS
    level: str  # one of LEVELS
    path: tuple[str, ...] = ()
    old: str | None = None
    new: str | None = None
    old_index: int | None = None
    new_index: int | None = None
    new_key: str | None = None
    name: str | None = None  # which metadata value: "last_updated" or "author"
    kind: str | None = None  # the node's kind ("System"), for renderers' wording
    words: tuple[Segment, ...] = ()  # word-level diff of old -> new, for `changed` values

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON (docs/diff.md): only the keys that mean something for it."""
        out: dict[str, Any] = {"op": self.op, "level": self.level, "path": list(self.path)}
        for key in ("name", "old", "new", "old_index", "new_index", "new_key"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


class Side(Record, frozen=True):
    """One side of a file diff: the revision (None for the working tree, ``:0`` for the
    index, an abbreviated commit id otherwise) and the path (None where the file is absent)."""

    rev: str | None
    path: str | None


class FileDiff(Record, frozen=True):
    path: str
    old: Side
    new: Side
    changes: list[Change] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "old": {"rev": self.old.rev, "path": self.old.path},
            "new": {"rev": self.new.rev, "path": self.new.path},
            "changes": [c.to_dict() for c in self.changes],
        }


def diff_documents(old: Document | None, new: Document | None) -> list[Change]:
    """Every change from ``old`` to ``new``; None stands for a file that does not exist.

    Order: the status first, then the title, the preamble text, the nodes in the new
    document's order (removed ones where they used to be), and metadata last, as it changes
    with every commit and matters least to a reader.
    """
    changes: list[Change] = []
    changes += _status_changes(_meta(old, "status"), _meta(new, "status"))
    changes += _title_changes(old, new)
    changes += _text_changes((), old.text if old else "", new.text if new else "")
    changes += _sibling_changes((), (), old.nodes if old else [], new.nodes if new else [])
    for name in METADATA_FIELDS:
        changes += _value_changes("metadata", (), _meta(old, name), _meta(new, name), name=name)
    return changes


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """``old`` -> ``new`` as runs of equal, deleted and inserted words."""
    return _word_segments(old.split(), new.split())


def node_markdown(node: Node) -> str:
    """A node and its children as Markdown, rebuilt from the parsed tree: what an added or
    removed node's ``new``/``old`` holds."""
    lines = [f"{'#' * node.level} {node.heading}"]
    if node.fields:
        lines += [f"- **{f.name}**: {_words(f.value)}" for f in node.fields]
    if node.text:
        lines += ["", node.text]
    for child in node.children:
        lines += ["", node_markdown(child)]
    return "\n".join(lines)


def node_label(node: Node) -> str:
    """The heading without its ordinal: ``System: Payments API`` for ``System 2: Payments
    API``. Renumbering leaves it alone; a changed kind changes it."""
    return f"{node.kind}: {node.key}" if node.kind else node.key


def _meta(doc: Document | None, name: str) -> str | None:
    if doc is None:
        return None
    value = doc.metadata.value(name)
    return None if value is None else _words(value)


def _words(text: str) -> str:
    return " ".join(text.split())


def _status_changes(old: str | None, new: str | None) -> list[Change]:
    # Statuses are matched case-insensitively (docs/format.md): "draft" -> "Draft" is no move.
    if old is not None and new is not None and old.casefold() == new.casefold():
        return []
    return _value_changes("status", (), old, new)


def _title_changes(old: Document | None, new: Document | None) -> list[Change]:
    before = old.title.text if old and old.title else None
    after = new.title.text if new and new.title else None
    return _value_changes("title", (), before, after)


def _value_changes(
    level: str,
    path: tuple[str, ...],
    old: str | None,
    new: str | None,
    *,
    name: str | None = None,
    keep_text: bool = False,
) -> list[Change]:
    """A value that exists on either side: added, removed, or changed word for word.

    ``keep_text`` keeps the value as written (text keeps its line breaks); otherwise its
    whitespace is normalised.
    """
    old_words = old.split() if old is not None else None
    new_words = new.split() if new is not None else None
    if old_words == new_words:
        return []
    shown_old = old if keep_text or old is None else " ".join(old.split())
    shown_new = new if keep_text or new is None else " ".join(new.split())
    if old_words is None:
        return [Change("added", level, path, new=shown_new, name=name)]
    if new_words is None:
        return [Change("removed", level, path, old=shown_old, name=name)]
    return [
        Change(
            "changed",
            level,
            path,
            old=shown_old,
            new=shown_new,
            name=name,
            words=_word_segments(old_words, new_words),
        )
    ]


def _text_changes(path: tuple[str, ...], old: str, new: str) -> list[Change]:
    # An empty text is no text: a section that gains its first paragraph has text added.
    return _value_changes(
        "text", path, old if old.split() else None, new if new.split() else None, keep_text=True
    )


def _word_segments(old: list[str], new: list[str]) -> tuple[Segment, ...]:
    # Common head and tail are cut off first: edits are usually local, and SequenceMatcher
    # without autojunk is quadratic in the words it is given in the worst case.
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    segments: list[Segment] = []

    def put(op: str, words: Sequence[str]) -> None:
        if not words:
            return
        text = " ".join(words)
        if segments and segments[-1][0] == op:
            segments[-1] = (op, f"{segments[-1][1]} {text}")
        else:
            segments.append((op, text))

    put("=", old[:head])
    a, b = old[head : len(old) - tail], new[head : len(new) - tail]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            put("=", a[i1:i2])
        else:
            put("-", a[i1:i2])
            put("+", b[j1:j2])
    put("=", old[len(old) - tail :])
    return tuple(segments)


class _Alignment(Record, frozen=True):
    """Two sibling lists matched up: ``pairs`` maps a new index to its old index."""

    pairs: dict[int, int]
    renamed: frozenset[int]  # new indexes whose pair was matched by content, not key
    moved: frozenset[int]  # new indexes whose order among the pairs changed
    removed: list[int]  # old indexes with no partner

    def events(self, n_new: int) -> list[tuple[int | None, int | None]]:
        """``(old_index, new_index)`` in reading order: the new list, each removed item
        right after the item that preceded it in the old list."""
        old_to_new = {i: j for j, i in self.pairs.items()}
        removed = set(self.removed)
        after: dict[int, list[int]] = {}
        anchor = -1
        for i in range(max([*self.removed, *old_to_new], default=-1) + 1):
            if i in removed:
                after.setdefault(anchor, []).append(i)
            elif i in old_to_new:
                anchor = old_to_new[i]
        out: list[tuple[int | None, int | None]] = [(i, None) for i in after.get(-1, [])]
        for j in range(n_new):
            out.append((self.pairs.get(j), j))
            out += [(i, None) for i in after.get(j, [])]
        return out


def _align(
    old_keys: list[str],
    new_keys: list[str],
    rename: Callable[[list[int], list[int]], list[tuple[int, int]]] | None = None,
) -> _Alignment:
    # Keys are compared with their whitespace collapsed: `Risks  and Mitigations`, a tab,
    # or a setext heading joined onto one line is the same key.
    old_keys = [" ".join(key.split()) for key in old_keys]
    new_keys = [" ".join(key.split()) for key in new_keys]
    new_at: dict[str, int] = {}
    for j, key in enumerate(new_keys):
        new_at.setdefault(key, j)
    pairs: dict[int, int] = {}
    for i, key in enumerate(old_keys):
        at = new_at.get(key)
        if at is not None and at not in pairs:
            pairs[at] = i
    # The identity that move detection compares: the key, or for a renamed pair both keys
    # in a fixed order, so that the diff of b against a sees the same identities.
    ident = {j: new_keys[j] for j in pairs}
    renamed: set[int] = set()
    if rename is not None and len(pairs) < min(len(old_keys), len(new_keys)):
        matched_old = set(pairs.values())
        removed = [i for i in range(len(old_keys)) if i not in matched_old]
        added = [j for j in range(len(new_keys)) if j not in pairs]
        for i, j in rename(removed, added):
            pairs[j] = i
            renamed.add(j)
            low, high = sorted((old_keys[i], new_keys[j]))
            ident[j] = f"\0{low}\0{high}"
    matched_old = set(pairs.values())
    removed = [i for i in range(len(old_keys)) if i not in matched_old]
    return _Alignment(pairs, frozenset(renamed), _moved(pairs, ident), removed)


def _moved(pairs: dict[int, int], ident: dict[int, str]) -> frozenset[int]:
    """New indexes of the pairs outside a longest common subsequence of identities: the
    fewest items that, moved, turn the old order into the new one."""
    by_old = [ident[j] for j in sorted(pairs, key=pairs.__getitem__)]
    by_new = [ident[j] for j in sorted(pairs)]
    if by_old == by_new:
        return frozenset()
    # Of several longest subsequences, the one that keeps most items standing where they
    # stood (no "moved from 2 to 2"), found with the two orders given in a fixed order, so
    # that the diff of b against a reports the same moves.
    stay = {ident[j] for j, i in pairs.items() if i == j}
    first, second = (by_old, by_new) if by_old <= by_new else (by_new, by_old)
    kept = longest_common_order(first, second, stay)
    return frozenset(j for j in pairs if ident[j] not in kept)


def longest_common_order(first: list[str], second: list[str], stay: set[str]) -> set[str]:
    """The items of a longest subsequence common to two orders of the same distinct items,
    and of those, one with the most items of ``stay``: the heaviest increasing run of
    ``first``'s positions read in ``second``'s order, with a Fenwick tree of the best run
    ending below each position (O(n log n))."""
    position = {item: k for k, item in enumerate(first)}
    size = len(first)
    tree: list[tuple[int, int, int]] = [(0, 0, -1)] * (size + 1)  # (length, staying, end)
    before = [-1] * len(second)
    best: tuple[int, int, int] = (0, 0, -1)
    for k, item in enumerate(second):
        v = position[item]
        found: tuple[int, int, int] = (0, 0, -1)
        i = v  # the best run over positions < v
        while i > 0:
            found = max(found, tree[i])
            i -= i & -i
        here = (found[0] + 1, found[1] + (item in stay), k)
        before[k] = found[2]
        best = max(best, here)
        i = v + 1
        while i <= size:
            if here > tree[i]:
                tree[i] = here
            i += i & -i
    kept: set[str] = set()
    k = best[2]
    while k >= 0:
        kept.add(second[k])
        k = before[k]
    return kept


def _sibling_changes(
    old_prefix: tuple[str, ...],
    new_prefix: tuple[str, ...],
    olds: list[Node],
    news: list[Node],
) -> list[Change]:
    if not olds and not news:
        return []

    def rename(removed: list[int], added: list[int]) -> list[tuple[int, int]]:
        return _rename_pairs([olds[i] for i in removed], [news[j] for j in added], removed, added)

    align = _align([n.key for n in olds], [n.key for n in news], rename)
    changes: list[Change] = []
    for i, j in align.events(len(news)):
        if j is None:
            assert i is not None
            node = olds[i]
            changes.append(
                Change(
                    "removed",
                    "node",
                    (*old_prefix, node.key),
                    old=node_markdown(node),
                    kind=node.kind,
                )
            )
        elif i is None:
            node = news[j]
            changes.append(
                Change(
                    "added",
                    "node",
                    (*new_prefix, node.key),
                    new=node_markdown(node),
                    kind=node.kind,
                )
            )
        else:
            changes += _pair_changes(
                old_prefix, new_prefix, olds[i], news[j], i, j, j in align.renamed, j in align.moved
            )
    return changes


def _pair_changes(
    old_prefix: tuple[str, ...],
    new_prefix: tuple[str, ...],
    old: Node,
    new: Node,
    i: int,
    j: int,
    renamed: bool,
    moved: bool,
) -> list[Change]:
    old_path, new_path = (*old_prefix, old.key), (*new_prefix, new.key)
    changes: list[Change] = []
    if renamed:
        changes.append(Change("renamed", "node", old_path, new_key=new.key, kind=new.kind))
    if moved:
        changes.append(Change("moved", "node", new_path, old_index=i, new_index=j, kind=new.kind))
    if old.kind != new.kind:
        changes.append(
            Change(
                "changed",
                "node",
                new_path,
                old=node_label(old),
                new=node_label(new),
                kind=new.kind,
                words=word_diff(node_label(old), node_label(new)),
            )
        )
    changes += _field_changes(new_path, old.fields, new.fields)
    changes += _text_changes(new_path, old.text, new.text)
    changes += _sibling_changes(old_path, new_path, old.children, new.children)
    return changes


def _field_changes(path: tuple[str, ...], olds: list[Field], news: list[Field]) -> list[Change]:
    if not olds and not news:
        return []
    align = _align([f.key for f in olds], [f.key for f in news])
    changes: list[Change] = []
    for i, j in align.events(len(news)):
        before = None if i is None else olds[i]
        after = None if j is None else news[j]
        key = after.key if after is not None else before.key if before is not None else ""
        if i is not None and j is not None and j in align.moved:
            changes.append(Change("moved", "field", (*path, key), old_index=i, new_index=j))
        changes += _value_changes(
            "field",
            (*path, key),
            before.value if before is not None else None,
            after.value if after is not None else None,
        )
    return changes


def _content_words(node: Node, into: Counter[str]) -> Counter[str]:
    """The words a rename compares: the key's, the field values' (each tied to its field's
    key, so two systems sharing only the template's field names do not look alike), the
    text's, and the same for every child."""
    into.update(f"^{w}" for w in node.key.split())
    for f in node.fields:
        into.update(f"{f.key}\0{w}" for w in f.value.split())
    into.update(f"\0{w}" for w in node.text.split())
    for child in node.children:
        _content_words(child, into)
    return into


def _rename_pairs(
    removed: list[Node], added: list[Node], removed_at: list[int], added_at: list[int]
) -> list[tuple[int, int]]:
    """Greedy best pairs of (old index, new index) at or above the threshold."""
    if not removed or not added or len(removed) * len(added) > MAX_RENAME_PAIRS:
        return []
    old_words = [_content_words(n, Counter()) for n in removed]
    new_words = [_content_words(n, Counter()) for n in added]
    old_sizes = [sum(c.values()) for c in old_words]
    new_sizes = [sum(c.values()) for c in new_words]
    scored: list[tuple[float, int, int, int, int]] = []
    for a, (words_a, size_a) in enumerate(zip(old_words, old_sizes, strict=True)):
        for b, (words_b, size_b) in enumerate(zip(new_words, new_sizes, strict=True)):
            total = size_a + size_b
            if not total or 2 * min(size_a, size_b) < RENAME_THRESHOLD * total:
                continue
            common = sum((words_a & words_b).values())
            score = 2 * common / total
            if score >= RENAME_THRESHOLD:
                i, j = removed_at[a], added_at[b]
                # Ties are broken on the two indexes as an unordered pair, so the diff of
                # b against a pairs the same nodes.
                scored.append((-score, min(i, j), max(i, j), a, b))
    scored.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, _, _, a, b in scored:
        if a in used_a or b in used_b:
            continue
        used_a.add(a)
        used_b.add(b)
        out.append((removed_at[a], added_at[b]))
    return out
