"""Writing files without ever leaving a half-written one.

Standard library only, and nothing slow to import: the hooks write with it.
"""

from __future__ import annotations

import contextlib
import os
import stat

from git_blueprint.errors import BlueprintError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike

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
