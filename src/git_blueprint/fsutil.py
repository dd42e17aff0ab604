"""Writing files without ever leaving a half-written one."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from git_blueprint.errors import BlueprintError


def atomic_write(path: Path, data: bytes, shown: str | None = None) -> None:
    """Replace ``path`` with ``data``: a temporary file in the same folder, flushed to disk,
    given the old file's mode, then renamed over it. On any failure the file is untouched."""
    shown = shown or str(path)
    path = Path(os.path.realpath(path))  # write through a symlink, keep the link
    folder = path.parent
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise BlueprintError(f"{shown}: cannot be written: {exc.strerror}") from None
    import tempfile  # kept off the hooks' import path until a file is written

    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise BlueprintError(f"{shown}: cannot be written: {exc.strerror}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
