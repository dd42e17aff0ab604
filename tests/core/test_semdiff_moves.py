"""Moves are minimal (SPEC §7: from *the longest* common subsequence): for every
permutation of up to 7 siblings the diff reports exactly as many moves as a brute-force
longest common subsequence leaves out, the same items in both directions, for sections
and for fields."""

from __future__ import annotations

from functools import cache
from itertools import combinations, permutations

import pytest

from git_blueprint.core.document import parse_document
from git_blueprint.core.semdiff import _align, diff_documents

NAMES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"]


@cache
def brute_lcs(order: tuple[int, ...]) -> int:
    """The length of the longest increasing subsequence of ``order``, by trying every
    subset from the largest down."""
    for size in range(len(order), 0, -1):
        for picked in combinations(order, size):
            if list(picked) == sorted(picked):
                return size
    return 0


@pytest.mark.parametrize("n", range(2, 8))
def test_every_permutation_moves_the_fewest(n: int) -> None:
    old = NAMES[:n]
    for perm in permutations(range(n)):
        new = [old[k] for k in perm]
        forward = _align(old, new)
        backward = _align(new, old)
        assert len(forward.moved) == n - brute_lcs(perm), new
        moved_forward = {new[j] for j in forward.moved}
        moved_backward = {old[j] for j in backward.moved}
        assert moved_forward == moved_backward, new


def sections(names: list[str]) -> str:
    return "# Doc\n\n" + "".join(f"## {name}\n\nAbout {name}.\n\n" for name in names)


def fields(names: list[str]) -> str:
    return "# Doc\n\n## Part\n\n" + "".join(f"- **{name}**: {name.lower()}\n" for name in names)


@pytest.mark.parametrize("shape", [sections, fields])
@pytest.mark.parametrize("n", range(2, 6))
def test_documents_report_the_fewest_moves(shape: object, n: int) -> None:
    assert callable(shape)
    old = NAMES[:n]
    before = parse_document(shape(old))
    for perm in permutations(range(n)):
        new = [old[k] for k in perm]
        changes = diff_documents(before, parse_document(shape(new)))
        assert all(c.op == "moved" for c in changes), changes
        assert len(changes) == n - brute_lcs(perm), new


def test_the_reported_examples() -> None:
    """``Alpha, Bravo, Charlie, Delta`` → ``Bravo, Delta, Charlie, Alpha`` is two moves
    (it was three, one of them ``Charlie 2→2``); reversing ``A, B, C`` is two."""
    old = parse_document(sections(NAMES[:4]))
    new = parse_document(sections(["Bravo", "Delta", "Charlie", "Alpha"]))
    moved = diff_documents(old, new)
    assert len(moved) == 2 and all(c.old_index != c.new_index for c in moved)
    # (A move may keep its index where no longest subsequence can keep the item:
    # A, B, C, D, E → D, E, C, A, B moves C from 2 to 2 among its three moves.)
    reversed_ = diff_documents(
        parse_document(sections(NAMES[:3])), parse_document(sections(NAMES[:3][::-1]))
    )
    assert len(reversed_) == 2
    assert {c.path[-1] for c in reversed_} != {"Bravo"}  # the middle one stays put
