"""A blueprint's document as the semantic diff reads it: from a blob's bytes, or from the
working file. An empty file is an empty document (a blueprint being written), not an error.
"""

from __future__ import annotations

from pathlib import Path

from git_blueprint.core.config import MetadataNames
from git_blueprint.core.content import decode_document
from git_blueprint.core.document import Document, parse_document
from git_blueprint.errors import DocumentError
from git_blueprint.store.workspace import read_blueprint


def parse_blob(data: bytes | None, shown: str, names: MetadataNames) -> Document | None:
    """A document from a file's bytes; None when the file does not exist on that side. An
    empty file is an empty document (a blueprint being written), not an error."""
    if data is None:
        return None
    text = "" if is_blank(data) else decode_document(data, shown)
    return parse_document(text, shown, names)


def is_blank(data: bytes) -> bool:
    return not data.removeprefix(b"\xef\xbb\xbf").strip()


def worktree_document(path: Path, shown: str, names: MetadataNames) -> Document:
    try:
        text = read_blueprint(path, shown)
    except DocumentError:
        # read_blueprint refuses an empty file; the diff shows one as an empty document.
        if path.is_file() and is_blank(path.read_bytes()):
            text = ""
        else:
            raise
    return parse_document(text, shown, names)
