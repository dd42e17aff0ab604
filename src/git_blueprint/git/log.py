"""Reading history at git's speed: one ``git log --raw`` for the commits and the blobs
they change, and one ``git cat-file --batch`` for the contents.

Standard library only: ``bp verify`` runs inside the pre-push and pre-receive hooks.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from queue import SimpleQueue
from typing import IO

from git_blueprint.errors import GitError, UsageError
from git_blueprint.git.process import ZERO_SHAS, CatFile, run_git

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
SIGNED_FORMAT = FORMAT + "%x1f%G?"


@dataclass(frozen=True, slots=True)
class FileChange:
    """A path the commit changed. For a merge (combined diff: paths that differ from every
    parent) ``old_shas`` has one entry per parent; otherwise one."""

    status: str
    old_path: str
    path: str
    old_shas: tuple[str, ...]
    new_sha: str

    @property
    def deleted(self) -> bool:
        return self.new_sha in ZERO_SHAS


@dataclass(frozen=True, slots=True)
class Commit:
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
    changes: list[FileChange] = field(default_factory=list)
    signature: str = "N"  # ``%G?``; "N" unless asked for with ``signatures=True``


def _parse_entries(tokens: list[str]) -> list[FileChange]:
    out: list[FileChange] = []
    i = 0
    while i < len(tokens):
        meta = tokens[i]
        if not meta.startswith(":"):
            i += 1
            continue
        colons = len(meta) - len(meta.lstrip(":"))
        parts = meta[colons:].split(" ")
        if colons > 1:  # combined diff of a merge: n parents
            n = colons
            shas = parts[n + 1 : 2 * n + 2]
            path = tokens[i + 1]
            out.append(FileChange(parts[-1][0], path, path, tuple(shas[:-1]), shas[-1]))
            i += 2
            continue
        status = parts[4][0]
        if status in "RC":
            out.append(FileChange(status, tokens[i + 1], tokens[i + 2], (parts[2],), parts[3]))
            i += 3
        else:
            out.append(FileChange(status, tokens[i + 1], tokens[i + 1], (parts[2],), parts[3]))
            i += 2
    return out


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
        changes=_parse_entries(tokens),
        signature=(f[11] or "N") if signatures else "N",
    )


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
    ) -> None:
        self._signatures = signatures
        try:
            self._proc = subprocess.Popen(
                ["git", *_log_args(revisions, paths, follow, signatures)],
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except FileNotFoundError as exc:
            raise UsageError("git is not installed or not on PATH") from exc
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
            reason = stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git log: {reason[0] if reason else 'failed'}")
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
) -> Iterator[Commit]:
    """Commits of ``git log REVISIONS -- PATHS``, newest first, with their raw changes;
    merges carry the paths that differ from every parent. With ``signatures``, each
    commit's ``%G?`` too, as the repository's own config judges it. Commits come as git
    writes them; closing the iterator early stops git."""
    stream = LogStream(cwd, revisions, paths, follow, signatures)
    try:
        while not stream.finished:
            yield from stream.poll()
    finally:
        stream.close()


def is_shallow(cwd: Path | str) -> bool:
    proc = run_git(["rev-parse", "--is-shallow-repository"], cwd, check=False)
    return proc.stdout.strip() == b"true"


def shallow_commits(git_dir: Path) -> set[str]:
    try:
        return set((git_dir / "shallow").read_text().split())
    except OSError:
        return set()


class Blobs:
    """Object contents for a reader that knows, from the log, which blobs it will read and
    in what order: a thread writes those requests to one ``git cat-file --batch`` while
    the answers are read back in order, so git finds the next blob while this process
    works on the last one, instead of one request and one blocking read each. The ids
    are given at the start, or with :meth:`expect` as the reader learns them (the requests
    are then written as they come, after those before).

    ``read`` of the next expected id takes its answer from that stream; any other request
    (the text of a blob whose facts were cached, or a prediction that went wrong) goes to
    a second ``cat-file`` started on first use. Expected ids asked for out of order are
    skipped (and read again from the second process if asked later), so a wrong
    prediction costs time, never a wrong answer nor unbounded memory. ``mispredicted``
    counts the requests that did not come from the stream and the expected ids never
    asked for (tests hold it at 0)."""

    def __init__(self, cwd: Path | str, expected: Iterable[str] = ()) -> None:
        self._cwd = cwd
        self._queue: deque[str] = deque()
        self._pending: set[str] = set()
        self._other: CatFile | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._requests: SimpleQueue[bytes | None] = SimpleQueue()
        self._writer: threading.Thread | None = None
        self.mispredicted = 0
        self.expect(expected)

    def expect(self, shas: Iterable[str]) -> None:
        """Ask the stream for ``shas`` too, after every id expected so far (those already
        waiting are not asked twice)."""
        pending, queue = self._pending, self._queue
        fresh: list[str] = []
        for sha in shas:
            if sha not in pending:
                pending.add(sha)
                queue.append(sha)
                fresh.append(sha)
        if not fresh:
            return
        if self._proc is None:
            self._proc = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self._cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                bufsize=1 << 16,  # a read takes whatever git has written, up to a full pipe
            )
            assert self._proc.stdin is not None
            self._writer = threading.Thread(
                target=_write_requests, args=(self._proc.stdin, self._requests), daemon=True
            )
            self._writer.start()
        self._requests.put("".join(f"{sha}\n" for sha in fresh).encode("ascii", "replace"))

    def read(self, spec: str) -> bytes | None:
        """The object's content, or None when it does not exist."""
        if spec in self._pending:
            while True:
                head = self._queue.popleft()
                self._pending.discard(head)
                data = self._answer()
                if head == spec:
                    return data
                self.mispredicted += 1
        self.mispredicted += 1
        if self._other is None:
            self._other = CatFile(self._cwd)
        return self._other.read(spec)

    def _answer(self) -> bytes | None:
        assert self._proc is not None and self._proc.stdout is not None
        out = self._proc.stdout
        header = out.readline()
        if not header or header.endswith(b" missing\n") or header.endswith(b" ambiguous\n"):
            return None
        size = int(header.split()[2])
        return out.read(size + 1)[:size]

    def close(self) -> None:
        left = len(self._queue)
        self.mispredicted += left
        self._queue.clear()
        self._pending.clear()
        if self._proc is not None:
            if left:
                self._proc.kill()  # answers nobody will read: the writer may be blocked
            self._requests.put(None)  # no more requests: the writer closes git's stdin
            if self._writer is not None:
                self._writer.join()
            for pipe in (self._proc.stdin, self._proc.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
            self._proc.wait()
            self._proc = None
        if self._other is not None:
            self._other.close()
            self._other = None

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_requests(pipe: IO[bytes], requests: SimpleQueue[bytes | None]) -> None:
    """Write each batch of requests as it comes; None closes the pipe (git then ends)."""
    try:
        while (batch := requests.get()) is not None:
            pipe.write(batch)
            pipe.flush()
    except (BrokenPipeError, OSError, ValueError):  # the reader stopped early
        pass
    finally:
        with contextlib.suppress(OSError, ValueError):
            pipe.close()
