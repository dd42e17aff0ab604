"""``Workspace.all_files`` and ``read_blueprint`` read from directory entries and one open a
file; they find, return and refuse exactly what the walk with ``pathlib`` checks did (kept
here as the reference) on a folder of every kind of entry."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Runner
from git_blueprint.core.content import MAX_DOCUMENT_BYTES, decode_document, too_large
from git_blueprint.errors import DocumentError, UsageError
from git_blueprint.store.workspace import (
    SUFFIX,
    BlueprintFile,
    Workspace,
    open_workspace,
    read_blueprint,
)


def reference_all_files(ws: Workspace) -> list[BlueprintFile]:
    """``all_files`` as it was: os.walk, a Path and is_symlink/is_file for each file."""
    folder = ws.folder
    if not folder.is_dir():
        return []
    found: list[BlueprintFile] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.endswith(SUFFIX) or name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = ws.rel(path)
            if path.is_symlink():
                ws._inside(path, rel)
            if not path.is_file():
                continue
            found.append(
                BlueprintFile(path.relative_to(folder).as_posix()[: -len(SUFFIX)], path, rel)
            )
    found.sort(key=lambda f: f.id)
    return found


def reference_read(path: Path, shown: str) -> str:
    """``read_blueprint`` as it was: is_file, open, fstat, read."""
    try:
        if not path.is_file():
            raise DocumentError(f"{shown}: not a regular file")
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_DOCUMENT_BYTES:
                raise too_large(size, shown)
            data = fh.read(MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        raise DocumentError(f"{shown}: no such file") from None
    except OSError as exc:
        raise DocumentError(f"{shown}: cannot be read: {exc.strerror}") from None
    return decode_document(data, shown)


def outcome(read: object, path: Path) -> str:
    try:
        return "text: " + read(path, "shown")  # type: ignore[operator]
    except DocumentError as exc:
        return f"error: {exc}"


def populate(folder: Path, outside: Path) -> None:
    """Every kind of entry a blueprints folder may hold."""
    (folder / "b").mkdir()
    (folder / "b" / "c").mkdir()
    (folder / "a-z").mkdir()
    (folder / ".hidden").mkdir()
    (folder / "dir.md").mkdir()
    for rel in ("gateway.md", "b/one.md", "b/c/two.md", "a-z/x.md", "b/c/zz.md", ".hidden/h.md"):
        (folder / rel).write_text(f"# {rel}\n\n**Author**: Ada\n")
    (folder / ".dot.md").write_text("# hidden\n")
    (folder / "notes.txt").write_text("not a blueprint\n")
    (folder / "README").write_text("no suffix\n")
    (folder / "link-inside.md").symlink_to(folder / "gateway.md")
    (folder / "broken.md").symlink_to(folder / "missing.md")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    (folder / "folder-link").symlink_to(folder / "b", target_is_directory=True)
    (folder / "outside-folder").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "pipe.md")


def test_walk_finds_what_the_pathlib_walk_found(repo: Path, bp: Runner) -> None:
    outside = repo.parent / "outside"
    outside.mkdir()
    (outside / "far.md").write_text("# Far\n")
    populate(repo / "blueprints", outside)
    ws = open_workspace(repo)
    assert ws.all_files() == reference_all_files(ws)
    assert [f.id for f in ws.all_files()] == [
        "a-z/x",
        "b/c/two",
        "b/c/zz",
        "b/one",
        "gateway",
        "link-inside",
    ]
    listed = bp(repo, "list", "--format", "json")
    assert listed.code == 0, listed.err
    assert listed.out.count('"id"') == 6


def test_a_link_out_of_the_folder_is_the_same_error(repo: Path) -> None:
    outside = repo.parent / "outside"
    outside.mkdir()
    (outside / "far.md").write_text("# Far\n")
    (repo / "blueprints" / "b").mkdir()
    (repo / "blueprints" / "b" / "far.md").symlink_to(outside / "far.md")
    ws = open_workspace(repo)
    with pytest.raises(UsageError) as new:
        ws.all_files()
    with pytest.raises(UsageError) as old:
        reference_all_files(ws)
    assert str(new.value) == str(old.value)


def test_the_blueprints_folder_itself_a_link(repo: Path) -> None:
    real = repo / "designs"
    (repo / "blueprints").rename(real)
    (repo / "blueprints").symlink_to(real, target_is_directory=True)
    (real / "x").mkdir()
    (real / "x" / "y.md").write_text("# Y\n")
    ws = open_workspace(repo)
    assert ws.all_files() == reference_all_files(ws)
    assert [f.rel for f in ws.all_files()] == ["designs/x/y.md"]


def test_read_refuses_and_returns_what_it_did(repo: Path) -> None:
    folder = repo / "blueprints"
    outside = repo.parent / "outside"
    outside.mkdir()
    populate(folder, outside)
    (folder / "empty.md").write_bytes(b"")
    (folder / "blank.md").write_bytes(b"\xef\xbb\xbf \r\n")
    (folder / "latin1.md").write_bytes(b"# Caf\xe9\n")
    (folder / "nul.md").write_bytes(b"# A\0B\n")
    (folder / "crlf.md").write_bytes(b"# T\r\n\r\n**Author**: Ada\r\n")
    (folder / "big.md").write_bytes(b"# Big\n" + b"x" * MAX_DOCUMENT_BYTES)
    (folder / "limit.md").write_bytes(b"# L\n" + b"y" * (MAX_DOCUMENT_BYTES - 4))
    (folder / "file-in-the-way").write_text("x")
    paths = [p for p in sorted(folder.rglob("*")) if ".hidden" not in p.parts]
    paths += [
        folder / "does-not-exist.md",
        folder / "file-in-the-way" / "below.md",
        folder / "b",
    ]
    for path in paths:
        assert outcome(read_blueprint, path) == outcome(reference_read, path), path
    assert outcome(read_blueprint, folder / "pipe.md") == "error: shown: not a regular file"
    assert outcome(read_blueprint, folder / "limit.md").startswith("text: # L\n")
