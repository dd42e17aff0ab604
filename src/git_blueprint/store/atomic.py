"""Writing files without ever leaving a half-written one, and the caches kept in the git
folder.

Standard library only, and nothing slow to import: the hooks write with it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import sys

from git_blueprint.errors import BlueprintError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike
    from typing import Any

_ATTEMPTS = 16  # temporary names to try before giving up (each is random)


def atomic_write(path: str | PathLike[str], data: bytes, shown: str | None = None) -> None:
    """Replace ``path`` with ``data``: a temporary file in the same folder, flushed to disk,
    given the old file's mode, then renamed over it. On any failure the file is untouched."""
    shown = shown or os.fspath(path)
    real = os.path.realpath(path)  # write through a symlink, keep the link
    folder, name = os.path.split(real)
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise BlueprintError(f"{shown}: cannot be written: {exc.strerror}") from None
    tmp_name = None
    try:
        fd = -1
        for _ in range(_ATTEMPTS):
            candidate = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
            try:
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            except FileExistsError:
                continue
            tmp_name = candidate
            break
        else:
            raise FileExistsError(17, "no free temporary name")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, real)
        tmp_name = None
    except OSError as exc:
        raise BlueprintError(f"{shown}: cannot be written: {exc.strerror}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


# The caches are written with ``marshal``: the interpreter has it loaded before any import,
# and it reads a 900 KB cache in a third of the time ``json`` takes. Its format may change
# between Python versions, so the version is part of every record.
_PYTHON = f"python {sys.version_info[0]}.{sys.version_info[1]}"


def load_cache(path: str | PathLike[str], kind: str) -> object:
    """What :func:`save_cache` stored at ``path`` as ``kind``; None when the file is
    missing, unreadable, of another kind or of another Python: a cache miss."""
    try:
        with open(path, "rb") as fh:
            record = marshal.loads(fh.read())
        if isinstance(record, tuple) and len(record) == 3 and record[:2] == (kind, _PYTHON):
            return record[2]
    except Exception:  # anything unreadable is a miss
        pass
    return None


def save_cache(path: str | PathLike[str], kind: str, payload: Any) -> None:
    """Store ``payload`` (plain values only) atomically; a cache that cannot be written is
    only slower, so failing to write it is not an error."""
    with contextlib.suppress(Exception):
        atomic_write(path, marshal.dumps((kind, _PYTHON, payload)))
