"""The hook path's stand-ins for standard-library modules it does not import (datetime,
hashlib, dataclasses) give what those modules give; a git question started early answers
like one asked late."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from git_blueprint.core.content import sha256_hex
from git_blueprint.core.lint import _is_date
from git_blueprint.git.rawdiff import Change
from git_blueprint.git.repo import Identity


def reference_is_date(value: str) -> bool:
    if len(value) != 10 or not value.isascii() or value[4] != "-" or value[7] != "-":
        return False
    if not (value[:4] + value[5:7] + value[8:]).isdigit():
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@given(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32))
def test_is_date_agrees_with_datetime_on_numbers(year: int, month: int, day: int) -> None:
    value = f"{year:04d}-{month:02d}-{day:02d}"
    assert _is_date(value) == reference_is_date(value)


@given(st.text(alphabet="0123456789-/ T٣x", max_size=12))
def test_is_date_agrees_with_datetime_on_any_text(value: str) -> None:
    assert _is_date(value) == reference_is_date(value)


def test_is_date_knows_leap_years() -> None:
    assert _is_date("2024-02-29") and _is_date("2000-02-29")
    assert not _is_date("2026-02-29") and not _is_date("1900-02-29")
    assert not _is_date("0000-01-01") and not _is_date("2026-04-31")


@given(
    st.integers(-(2**31), 2**33),
    st.sampled_from(["-1200", "-0930", "-0000", "+0000", "+0100", "+0545", "+1345", "+1400"]),
)
def test_identity_date_is_the_calendar_date_in_its_own_zone(timestamp: int, tz: str) -> None:
    sign = -1 if tz.startswith("-") else 1
    zone = timezone(timedelta(minutes=sign * (int(tz[1:3]) * 60 + int(tz[3:5]))))
    expected = datetime.fromtimestamp(timestamp, zone).date().isoformat()
    assert Identity("A", "a@example.com", timestamp, tz).date == expected


@given(st.binary(max_size=3000))
def test_sha256_hex_is_hashlib_sha256(data: bytes) -> None:
    import git_blueprint.core.content as text

    text._sha256 = None  # CPython's own module, as a hook uses it
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
    assert text._sha256 is not hashlib.sha256
    text.hash_in_bulk()  # OpenSSL's, as bp verify and bp log use it
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_records_compare_hash_and_show_by_value() -> None:
    a = Change("M", "x.md", "x.md", ("1" * 40,), "2" * 40, ("100644",), "100644")
    b = Change("M", "x.md", "x.md", ("1" * 40,), "2" * 40, ("100644",), "100644")
    c = Change("A", "x.md", "x.md", ("0" * 40,), "2" * 40, ("000000",), "100644")
    assert a == b and hash(a) == hash(b) and a != c
    assert len({a, b, c}) == 2
    assert a != ("M", "100644")  # another type is never equal
    assert repr(c).startswith("Change(status='A', old_path='x.md', path='x.md', old_shas=(")


def test_a_started_git_answers_the_same_when_asked_again(tmp_path: Path) -> None:
    from git_blueprint.errors import GitError
    from git_blueprint.git.process import StartedGit

    failing = StartedGit(["rev-parse", "--verify", "no-such-revision"], tmp_path)
    for _ in range(2):
        with pytest.raises(GitError, match="git rev-parse: "):
            failing.result()
    assert failing.result(check=False).returncode != 0
    version = StartedGit(["--version"], tmp_path)
    assert version.result().stdout == version.result().stdout != b""
