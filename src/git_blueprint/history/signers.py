"""The allowed-signers file a signature is judged by, as committed in a revision: written
to a temporary folder for git (``gpg.ssh.allowedSignersFile`` names a file), and removed
again. Never the working file, nor the commit being judged."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator

from git_blueprint.git.repo import read_blob

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


@contextlib.contextmanager
def signers_at(cwd: Path | str, rev: str | None, path: str) -> Iterator[str]:
    """The path of a file holding ``rev``'s ``path``; an empty one (nobody is allowed)
    when ``rev`` is None or has no such file."""
    content = (read_blob(cwd, rev, path) if rev is not None else None) or b""
    with tempfile.TemporaryDirectory(prefix="bp-signers-") as tmp:
        signers = os.path.join(tmp, "allowed_signers")
        with open(signers, "wb") as fh:
            fh.write(content)
        yield signers
