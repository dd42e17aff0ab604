"""The transaction every writing command goes through: what it changed is put back on any
failure, also where putting back by writing is impossible (a full disk), and it says so
where it cannot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from git_blueprint.errors import BlueprintError
from git_blueprint.store.transaction import Transaction

BIG = b"the file as it was\n" * 1000  # about 19 KB


def test_a_failure_puts_every_change_back_last_first(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_bytes(b"old a\n")
    os.chmod(a, 0o640)
    with pytest.raises(BlueprintError, match="stop"), Transaction(tmp_path, lock=False) as tx:
        tx.make_folder(tmp_path / "new" / "deeper", "new")
        tx.write(a, "a.md", b"new a\n", 0o755)
        tx.write(a, "a.md", b"newer a\n")
        tx.write(b, "b.md", b"new b\n")
        tx.move(b, tmp_path / "c.md")
        raise BlueprintError("stop")
    assert a.read_bytes() == b"old a\n" and (a.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]  # nothing else, no .kept


def test_success_keeps_the_changes_and_nothing_beside_them(tmp_path: Path) -> None:
    a = tmp_path / "a.md"
    a.write_bytes(b"old\n")
    with Transaction(tmp_path, lock=False) as tx:
        tx.write(a, "a.md", b"new\n")
    assert a.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_an_interrupt_that_was_put_back_says_nothing_changed(tmp_path: Path) -> None:
    a = tmp_path / "a.md"
    a.write_bytes(b"old\n")
    stopped = pytest.raises(BlueprintError, match="interrupted; nothing changed")
    with stopped as caught, Transaction(tmp_path, lock=False) as tx:
        tx.write(a, "a.md", b"new\n")
        raise KeyboardInterrupt
    assert caught.value.exit_code == 130
    assert a.read_bytes() == b"old\n"


def test_putting_back_needs_no_space(tmp_path: Path) -> None:
    """Where nothing more can be written (here: past a file-size limit, as on a full
    disk), the file as it was comes back by a rename of its second name."""
    path = tmp_path / "doc.md"
    path.write_bytes(BIG)
    script = f"""
import resource
from pathlib import Path
from git_blueprint.errors import BlueprintError
from git_blueprint.store.transaction import Transaction
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
path = Path({str(path)!r})
try:
    with Transaction(path.parent, lock=False) as tx:
        tx.write(path, "doc.md", b"small and new\\n")
        raise BlueprintError("the commit failed")
except BlueprintError as exc:
    print(exc)
"""
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "the commit failed"  # no "putting things back failed"
    assert path.read_bytes() == BIG
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]
