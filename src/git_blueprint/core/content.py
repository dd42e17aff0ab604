"""A blueprint's bytes as text: decoding with its limits, the parts of a title, and the
content hashes the history reads compare.

Standard library only: the hooks decode the staged blobs with it.
"""

from __future__ import annotations

import re

from git_blueprint.errors import DocumentError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
_TITLE = re.compile(r"(?P<kind>[^:]+?)\s*:\s+(?P<name>\S.*)")


def too_large(size: int, path: str) -> DocumentError:
    mib = 1024 * 1024
    return DocumentError(
        f"{path}: {size // mib} MiB is larger than the {MAX_DOCUMENT_BYTES // mib} MiB "
        "a blueprint may be"
    )


def decode_document(data: bytes, path: str) -> str:
    """The text of a blueprint file, or a one-line error naming ``path``."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise too_large(len(data), path)
    nul = data.find(b"\0")
    if nul >= 0:
        raise DocumentError(f"{path}: binary file (NUL byte at offset {nul}); not a blueprint")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{path}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if not text.strip("\ufeff \t\r\n"):
        raise DocumentError(f"{path}: empty file; a blueprint needs at least a title")
    return text


def split_title(text: str) -> tuple[str | None, str]:
    """``(kind, name)``: "Integration Blueprint: Payment Gateway" -> both; no ": " -> name."""
    m = _TITLE.fullmatch(text)
    return (m["kind"], m["name"]) if m else (None, text)


_sha256: Callable[[bytes], Any] | None = None


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex, as ``hashlib.sha256`` gives it. CPython's own
    SHA-256 module is used where there is one: ``hashlib`` starts OpenSSL, about 2 ms of
    every hook run."""
    global _sha256
    if _sha256 is None:
        for name in ("_sha256", "_sha2"):  # CPython up to 3.11; 3.12 and later
            try:
                _sha256 = __import__(name).sha256
                break
            except (ImportError, AttributeError):
                continue
        else:
            import hashlib

            _sha256 = hashlib.sha256
    return str(_sha256(data).hexdigest())


def hash_in_bulk() -> None:
    """Hash with OpenSSL from now on. Its SHA-256 is several times faster than CPython's
    own (about 7 against 23 µs for a 7 KB blueprint), which pays off for the thousands of
    versions ``bp verify`` and ``bp log`` read, but not in a hook, where starting it costs
    about 2 ms."""
    global _sha256
    import hashlib

    _sha256 = hashlib.sha256
