"""Reading history at git's speed: one ``git log --raw``, streamed, for the commits and
the blobs they change (the contents come from :mod:`git_blueprint.git.objects`).

Standard library only: ``bp verify`` runs inside the pre-push and pre-receive hooks.
"""

from __future__ import annotations

import contextlib
import os
import select
from collections.abc import Iterator, Sequence
from pathlib import Path

from git_blueprint.errors import GitError
from git_blueprint.git.process import complaint, judged_by, start
from git_blueprint.git.rawdiff import Change, parse_changes
from git_blueprint.values import Record, field

_FIELDS = (
    "%H",
    "%P",
    "%an",
    "%ae",
    "%aI",
    "%cn",
    "%ce",
    "%cI",
    "%s",
    "%(trailers:key=Blueprint,valueonly,separator=%x1d)",
    "%(trailers:key=Blueprint-Status,valueonly,separator=%x1d)",
)
FORMAT = "%x1e" + "%x1f".join(_FIELDS)
# The same, with the signature state last. ``%G?`` makes git verify every signed commit it
# shows (one gpg or ssh-keygen run each); for the others it only looks for the header.
SIGNED_FORMAT = FORMAT + "%x1f%G?%x1f%GS%x1f%GK"


class Commit(Record, frozen=True):
    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_date: str
    committer_name: str
    committer_email: str
    committer_date: str
    subject: str
    trailer_ids: tuple[str, ...]
    trailer_moves: tuple[str, ...]
    changes: list[Change] = field(default_factory=list)
    signature: str = "N"  # ``%G?``; "N" unless asked for with ``signatures=True``
    signer: str = ""  # ``%GS``: for SSH, the principal the key is listed under


READ_SIZE = 1 << 16  # bytes asked of git log's pipe per read (tests make it tiny)


def _log_args(
    revisions: Sequence[str], paths: Sequence[str], follow: bool, signatures: bool
) -> list[str]:
    args = [
        "log",
        "-z",
        "--raw",
        "--no-abbrev",
        "-M",
        "-c",
        "--no-ext-diff",
        "--no-textconv",
        f"--format={SIGNED_FORMAT if signatures else FORMAT}",
        *revisions,
    ]
    if follow:
        args.append("--follow")
    return [*args, "--", *paths]


def _parse_commit(record: str, signatures: bool) -> Commit:
    header, _, rest = record.partition("\0")
    f = header.split("\x1f")
    tokens = rest.lstrip("\n").split("\0")
    return Commit(
        sha=f[0],
        parents=tuple(f[1].split()),
        author_name=f[2],
        author_email=f[3],
        author_date=f[4],
        committer_name=f[5],
        committer_email=f[6],
        committer_date=f[7],
        subject=f[8],
        trailer_ids=tuple(v.strip() for v in f[9].split("\x1d") if v.strip()),
        trailer_moves=tuple(v.strip() for v in f[10].split("\x1d") if v.strip()),
        changes=parse_changes(tokens),
        signature=_state(f[11], f[13]) if signatures else "N",
        signer=f[12] if signatures else "",
    )


def _state(state: str, key: str) -> str:
    """``%G?`` as the allowed signers judge it: an OpenPGP or X.509 key (no ``SHA256:``
    fingerprint) is good only by the keyring of whoever looks, and no allowed-signers line
    lists one — not allowed (``U``)."""
    if state == "G" and key and not key.startswith("SHA256:"):
        return "U"
    return state or "N"


class LogStream:
    """``git log`` (as :func:`read_log` runs it) still running: :meth:`poll` hands over the
    commits whose records git has finished writing, so that a reader can work on them
    while git goes on with older ones — on two cores, git's time and Python's overlap.

    A record ends where the next one starts (``\\x1e``, a byte that is never part of a
    longer UTF-8 sequence), so records are decoded and parsed one complete run at a time,
    exactly as the whole output would be. git's stderr is read as it comes (it must never
    fill its pipe while this waits on stdout) and gives the reason of a failure, raised as
    :class:`GitError` once stdout is at its end. :meth:`close` before the end kills git."""

    def __init__(
        self,
        cwd: Path | str,
        revisions: Sequence[str],
        paths: Sequence[str] = (),
        follow: bool = False,
        signatures: bool = False,
        allowed_signers: str | None = None,
    ) -> None:
        self._signatures = signatures
        signers = [] if allowed_signers is None else judged_by(allowed_signers)
        self._proc = start(["git", *signers, *_log_args(revisions, paths, follow, signatures)], cwd)
        assert self._proc.stdout is not None and self._proc.stderr is not None
        self._out = self._proc.stdout.fileno()
        self._err = self._proc.stderr.fileno()
        self._open = {self._out, self._err}
        self._poller = select.poll()
        for fd in self._open:
            self._poller.register(fd, select.POLLIN)
        self._held: list[bytes] = []  # the bytes of the record being written, so far
        self._complaint: list[bytes] = []  # the start of git's stderr
        self._complaint_size = 0
        self.finished = False

    def poll(self, timeout: float | None = None) -> list[Commit]:
        """The commits completed by what git wrote within ``timeout`` seconds (None: until
        it writes something; one read at most). Empty once :attr:`finished`."""
        wait = None if timeout is None else int(timeout * 1000)
        while not self.finished:
            ready = {fd for fd, _ in self._poller.poll(wait)}
            if self._err in ready:
                self._read_err()
            if self._out in ready:
                chunk = os.read(self._out, READ_SIZE)
                return self._records(chunk) if chunk else self._finish()
            if not ready:
                return []
        return []

    def _records(self, chunk: bytes) -> list[Commit]:
        cut = chunk.rfind(b"\x1e")
        if cut < 0:
            self._held.append(chunk)
            return []
        self._held.append(chunk[:cut])
        done = b"".join(self._held)
        self._held = [chunk[cut:]]
        return self._parse(done)

    def _parse(self, data: bytes) -> list[Commit]:
        # What precedes the first separator (nothing, in git's output) is no record.
        records = data.decode("utf-8", "surrogateescape").split("\x1e")[1:]
        return [_parse_commit(r, self._signatures) for r in records]

    def _read_err(self) -> None:
        data = os.read(self._err, 1 << 16)
        if not data:
            self._poller.unregister(self._err)
            self._open.discard(self._err)
        elif self._complaint_size < 1 << 16:  # the first line is all that is shown
            self._complaint.append(data)
            self._complaint_size += len(data)

    def _finish(self) -> list[Commit]:
        self._poller.unregister(self._out)
        self._open.discard(self._out)
        while self._err in self._open:  # git is exiting: its stderr ends soon
            self._read_err()
        returncode = self._proc.wait()
        self._release()
        if returncode != 0:
            stderr = b"".join(self._complaint)
            raise GitError(f"git log: {complaint(stderr)}")
        last, self._held = b"".join(self._held), []
        return self._parse(last)

    def _release(self) -> None:
        self.finished = True
        for pipe in (self._proc.stdout, self._proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    def close(self) -> None:
        """Stop git if it is still writing (the reader wants no more), and reap it."""
        if self.finished:
            return
        if self._proc.poll() is None:
            with contextlib.suppress(OSError):
                self._proc.kill()
        self._release()
        self._proc.wait()


def read_log(
    cwd: Path | str,
    revisions: Sequence[str],
    paths: Sequence[str] = (),
    follow: bool = False,
    signatures: bool = False,
    allowed_signers: str | None = None,
) -> Iterator[Commit]:
    """Commits of ``git log REVISIONS -- PATHS``, newest first, with their raw changes;
    merges carry the paths that differ from every parent. With ``signatures``, each
    commit's ``%G?`` too, judged against the SSH allowed-signers file ``allowed_signers``
    (else as the repository's own config judges it). Commits come as git writes them;
    closing the iterator early stops git."""
    stream = LogStream(cwd, revisions, paths, follow, signatures, allowed_signers)
    try:
        while not stream.finished:
            yield from stream.poll()
    finally:
        stream.close()


# --- which commits: the revision arguments of a log, built here like every argument -----


def between(old: str, new: str) -> list[str]:
    """The commits of ``new`` that ``old`` lacks."""
    return [f"{old}..{new}"]


def not_on_remote(tip: str, remote: str) -> list[str]:
    """The commits of ``tip`` that no ref of ``remote`` has (a push of a new branch)."""
    return [tip, "--not", f"--remotes={remote}"]
