"""git's raw diff (``--raw -z``), as ``git diff``, ``diff-tree`` and ``git log`` write it:
one parser and one change type, for a plain diff and for a merge's combined diff (``-c``).

Standard library only: the pre-commit hook reads the staged changes with it.
"""

from __future__ import annotations

from git_blueprint.values import Record

ZERO_SHAS = frozenset({"0" * 40, "0" * 64})


class Change(Record, frozen=True):
    """A path a diff changed. For a merge's combined diff (the paths that differ from every
    parent) ``old_shas`` and ``old_modes`` have one entry per parent; otherwise one."""

    status: str  # A, M, D, R, C, T, U (a rename's score dropped)
    old_path: str
    path: str
    old_shas: tuple[str, ...]
    new_sha: str
    old_modes: tuple[str, ...] = ("100644",)
    new_mode: str = "100644"

    @property
    def old_sha(self) -> str:
        return self.old_shas[0]

    @property
    def old_mode(self) -> str:
        return self.old_modes[0]

    @property
    def deleted(self) -> bool:
        return self.new_sha in ZERO_SHAS


def parse_changes(tokens: list[str]) -> list[Change]:
    """The changes in the NUL-separated tokens of raw output. Tokens that are not part of
    an entry (what precedes the first, in ``git log``'s output) are passed over."""
    out: list[Change] = []
    i = 0
    n_tokens = len(tokens)
    while i < n_tokens:
        meta = tokens[i]
        if not meta.startswith(":"):
            i += 1
            continue
        colons = len(meta) - len(meta.lstrip(":"))
        parts = meta[colons:].split(" ")
        if colons > 1:  # combined diff of a merge with n parents
            n = colons
            path = tokens[i + 1]
            shas = parts[n + 1 : 2 * n + 2]
            out.append(
                Change(
                    parts[-1][0], path, path, tuple(shas[:-1]), shas[-1], tuple(parts[:n]), parts[n]
                )
            )
            i += 2
            continue
        status = parts[4][0]
        if status in "RC":
            old_path, path = tokens[i + 1], tokens[i + 2]
            i += 3
        else:
            old_path = path = tokens[i + 1]
            i += 2
        out.append(Change(status, old_path, path, (parts[2],), parts[3], (parts[0],), parts[1]))
    return out


def parse_raw_diff(data: bytes) -> list[Change]:
    """The changes of a whole ``--raw -z`` output."""
    return parse_changes(data.decode("utf-8", "surrogateescape").split("\0"))
