"""Every version of every real design document in ../shared/corpus: parsed without an
exception, read by the fast path exactly as by the full parser, left byte-identical by every
read command, and changed only where a metadata write means to."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, Runner, corpus_files, git, missing, snapshot
from git_blueprint.core.config import MetadataNames
from git_blueprint.core.document import parse_document
from git_blueprint.core.metadata import set_fields
from git_blueprint.core.summary import summarize

FILES = corpus_files()
NAMES = MetadataNames()
KEP_NAMES = MetadataNames(
    front_matter={"status": "status", "last_updated": "last-updated", "author": "authors"}
)


def ids(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_corpus_is_all_there() -> None:
    if not FILES:
        missing(f"the corpus ({CORPUS})")
    assert len(FILES) >= 100


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_parses_and_fast_path_agrees(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    for names in (NAMES, KEP_NAMES):
        doc = parse_document(text, ids(path), names)
        fast = summarize(text, names)
        assert fast.metadata == doc.metadata
        assert fast.title == (doc.title.text if doc.title else None)
        for node_path, node in doc.walk():
            assert node.line <= node.end_line
            assert node_path[-1] == node.key


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_metadata_writes_touch_only_the_value(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    meta = summarize(text, KEP_NAMES).metadata
    current = {name: f.value for name, f in meta.fields.items() if f.style != "other"}
    assert set_fields(text, current, KEP_NAMES, ids(path)) == text
    status = meta.fields.get("status")
    if status is None:
        return
    new = set_fields(text, {"status": "Review"}, KEP_NAMES, ids(path))
    assert new == text[: status.start] + "Review" + text[status.end :]


def test_read_commands_leave_every_file_byte_identical(tmp_path: Path, bp: Runner) -> None:
    root = tmp_path / "corpus-repo"
    assert bp(tmp_path, "init", "corpus-repo").code == 0
    for path in FILES:
        shutil.copyfile(path, root / "blueprints" / f"{path.parent.name}-{path.stem}.md")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", "corpus")  # real documents, not blueprints
    before = snapshot(root)
    listed = bp(root, "list", "--format", "json")
    assert listed.code == 0, listed.err
    assert listed.out.count('"id"') == len(FILES)
    for fmt in ("text", "json"):
        for path in FILES[::7]:
            shown = bp(root, "show", f"{path.parent.name}-{path.stem}", "--format", fmt)
            assert shown.code == 0, shown.err
    checked = bp(root, "check", "--format", "json")
    assert checked.code == 1  # real documents lack blueprint metadata
    assert snapshot(root) == before
    assert git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_placeholder_prefilter_agrees(path: Path) -> None:
    from git_blueprint.core.lint import may_hold_placeholders

    text = path.read_bytes().decode("utf-8")
    if parse_document(text).placeholders:
        assert may_hold_placeholders(text)


def _content_by_lines(text: str) -> str:
    """content_only's definition, line by line: every line holding a metadata value cut."""
    read = summarize(text, KEP_NAMES)
    src, meta = read.src, read.metadata

    def _line_of(offset: int) -> int:
        return max(i for i, start in enumerate(src.starts) if start <= offset)

    cut: set[int] = set()
    for f in (*meta.fields.values(), *meta.duplicates):
        cut.update(range(_line_of(f.start), _line_of(max(f.start, f.end - 1)) + 1))
    ends = [*src.starts[1:], len(text)]
    return "".join(text[src.starts[i] : ends[i]] for i in range(len(src.lines)) if i not in cut)


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_content_without_metadata(path: Path) -> None:
    from git_blueprint.core.stamp import content_only

    text = path.read_bytes().decode("utf-8")
    for variant in (text, text + "\n**Blueprint Status**: Draft\n**Author**: A\n"):
        read = summarize(variant, KEP_NAMES)
        src, meta = read.src, read.metadata
        assert content_only(src, meta) == _content_by_lines(variant)
