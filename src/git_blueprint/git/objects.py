"""Reading objects: ``git cat-file --batch``, one process for many objects, and
:class:`Blobs`, which writes the requests it knows of ahead from a thread.

Standard library only: the hooks read the staged blobs with it.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from queue import SimpleQueue

from git_blueprint.errors import GitError
from git_blueprint.git.process import start

TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from os import PathLike
    from typing import IO


def _read_answer(out: IO[bytes]) -> bytes | None:
    """One object's content from ``cat-file --batch``'s output, or None when missing. A
    ``cat-file`` that stopped answering is an error, never a missing object: what depends
    on the answer (a hook judging a commit) must not take silence for "none"."""
    header = out.readline()
    if not header:
        raise GitError("git cat-file --batch stopped answering")
    if header.endswith(b" missing\n") or header.endswith(b" ambiguous\n"):
        return None
    size = int(header.split()[2])
    return out.read(size + 1)[:size]


class CatFile:
    """One ``git cat-file --batch`` process for many objects."""

    def __init__(
        self, cwd: str | PathLike[str] | None, env: Mapping[str, str] | None = None
    ) -> None:
        self._proc = start(["git", "cat-file", "--batch"], cwd, stdin=True, stderr=False, env=env)

    def read(self, spec: str) -> bytes | None:
        """The object's content (``SHA``, ``REV:PATH``, ``:PATH``), or None when it does not
        exist."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        try:
            self._proc.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
            self._proc.stdin.flush()
        except BrokenPipeError:
            raise GitError("git cat-file --batch stopped answering") from None
        return _read_answer(self._proc.stdout)

    def stop(self) -> None:
        """The process ended now, not waited for (the reader is failing)."""
        with contextlib.suppress(ProcessLookupError):
            self._proc.terminate()
        self.close()

    def close(self) -> None:
        # A cat-file that has died makes closing its stdin a broken pipe: nothing more to
        # say than the read that failed (or did not happen) has said.
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        self._proc.wait()

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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

    def __init__(self, cwd: str | PathLike[str], expected: Iterable[str] = ()) -> None:
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
            self._proc = start(
                ["git", "cat-file", "--batch"],
                self._cwd,
                stdin=True,
                stderr=False,
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
        return _read_answer(self._proc.stdout)

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
