"""Starting git: every process git-blueprint runs is started here, with an argument list,
never a shell. git's complaints become :class:`GitError` here, read by :func:`complaint`.

Standard library only: the hooks import this module.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence

from git_blueprint.errors import GitError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike


def complaint(stderr: bytes) -> str:
    """git's first meaningful line, without its ``fatal:``/``error:`` prefix; a line that
    ends in a colon is followed by what it introduces (the paths git lists), and another
    by the one or two lines right after it (a hook's reason and its fix)."""
    lines = [raw.strip() for raw in stderr.decode("utf-8", "replace").splitlines()]
    for at, line in enumerate(lines):
        for prefix in ("fatal: ", "error: "):
            if line.startswith(prefix):
                line = line[len(prefix) :]
                break
        else:
            if not line or line.startswith(("hint:", "warning:")):
                continue
        listed = []
        for more in lines[at + 1 :]:
            if not more or more.startswith(("hint:", "warning:", "fatal:", "error:")):
                break
            listed.append(more)
        if line.endswith(":") and listed:
            line = f"{line} {', '.join(listed)}"
        elif listed and len(listed) <= 2:
            # A hook's message and the line after it that says what to do (the pre-commit
            # framework: "… is unstaged." then "`git add …` to fix this.").
            line = " ".join([line, *listed])
        return line
    return "git failed without a message"


def holds_index_lock(stderr: bytes) -> bool:
    """Whether git failed because another process holds ``index.lock``."""
    reason = stderr.decode("utf-8", "replace")
    return "index.lock" in reason and "exists" in reason


def _environment(env: Mapping[str, str] | None) -> dict[str, str] | None:
    if env is None:
        return None
    full = dict(os.environ)
    full.update(env)
    return full


def start(
    argv: Sequence[str],
    cwd: str | PathLike[str] | None = None,
    *,
    stdin: bool = False,
    stderr: bool = True,
    env: Mapping[str, str] | None = None,
    bufsize: int = -1,
) -> subprocess.Popen[bytes]:
    """A process with its stdout (and stderr, unless ``stderr`` is False) on pipes."""
    try:
        return subprocess.Popen(
            list(argv),
            cwd=cwd,
            stdin=subprocess.PIPE if stdin else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if stderr else None,
            env=_environment(env),
            bufsize=bufsize,
        )
    except FileNotFoundError as exc:
        raise UsageError(f"{argv[0]} is not installed or not on PATH") from exc


class StartedGit:
    """A git command already running: its answer is collected by :meth:`result`. The
    pre-commit hook starts the questions that do not depend on each other together, so
    that on two cores git answers while Python goes on."""

    __slots__ = ("args", "_done", "_proc")

    def __init__(
        self,
        args: Sequence[str],
        cwd: str | PathLike[str] | None = None,
        *,
        stdin: bool = False,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.args = list(args)
        self._done: subprocess.CompletedProcess[bytes] | None = None
        self._proc = start(["git", *args], cwd, stdin=stdin, env=env)
        _RUNNING.append(self._proc)

    def stop(self) -> None:
        """End git unless it has answered already. A git that reads its stdin (it may hold
        a lock: ``update-index``) is first given the end of its input, so that it ends as
        it would without work and removes its lock itself; one that does not end then, or
        reads nothing, gets SIGTERM (git removes its locks on it, save in the instant
        between making a lock and arming that cleanup — which is why it is not the first
        resort)."""
        if self._done is None:
            stdin = self._proc.stdin
            if stdin is not None:
                with contextlib.suppress(OSError):
                    stdin.close()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._proc.wait(timeout=2)
            if self._proc.returncode is None:
                _stop(self._proc)
            for pipe in (self._proc.stdout, self._proc.stderr):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
            self._done = subprocess.CompletedProcess(["git", *self.args], -15, b"", b"")
            with contextlib.suppress(ValueError):
                _RUNNING.remove(self._proc)

    def result(
        self, input: bytes | None = None, *, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        """Wait for git (after writing ``input``, when started with ``stdin``); with
        ``check`` a failure raises :class:`GitError` with git's reason. Asked again, it
        gives the same answer."""
        proc = self._done
        if proc is None:
            try:
                out, err = self._proc.communicate(input)
            except BaseException:
                # Interrupted while git answers: git goes too (SIGTERM, so that it removes
                # any lock of its own), never left running behind git-blueprint.
                _stop(self._proc)
                raise
            finally:
                with contextlib.suppress(ValueError):
                    _RUNNING.remove(self._proc)
            proc = subprocess.CompletedProcess(["git", *self.args], self._proc.returncode, out, err)
            self._done = proc
        if check and proc.returncode != 0:
            raise GitError(f"git {self.args[0]}: {complaint(proc.stderr)}")
        return proc


def stop_all(started: Sequence[StartedGit]) -> None:
    """End git processes whose answers are no longer wanted (a hook interrupted or
    failing): they must not keep it waiting — nor write anything."""
    for one in started:
        one.stop()


def run_git(
    args: Sequence[str],
    cwd: str | PathLike[str] | None = None,
    *,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git ARGS``; with ``check`` a failure raises :class:`GitError` with git's reason."""
    started = StartedGit(args, cwd, stdin=input is not None, env=env)
    return started.result(input, check=check)


# How long a writing command waits for another git process to release ``index.lock``
# before it gives up (SPEC §5), in seconds; GIT_BLUEPRINT_LOCK_WAIT overrides it.
LOCK_WAIT = 5.0
_FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP")
_RUNNING: list[subprocess.Popen[bytes]] = []  # the git processes started and not yet reaped
_PASSING: list[list[int]] = []  # the signals received by the passing_signals() in force


def seconds_from_env(variable: str, default: float) -> float:
    """A waiting time in seconds the environment may set (``default`` when it does not, or
    says something that is no number)."""
    try:
        return max(0.0, float(os.environ.get(variable, default)))
    except ValueError:
        return default


def lock_wait() -> float:
    return seconds_from_env("GIT_BLUEPRINT_LOCK_WAIT", LOCK_WAIT)


class SignalHold:
    """SIGINT, SIGTERM and SIGHUP held from :meth:`start` to :meth:`stop`: recorded, and
    passed on to the git processes running meanwhile (which decide how far they go), never
    raised. While one is in force another adds nothing (its ``received`` is the first's)."""

    __slots__ = ("_old", "received")

    def __init__(self) -> None:
        self.received: list[int] = []
        self._old: dict[int, object] | None = None

    def start(self) -> SignalHold:
        if _PASSING:
            self.received = _PASSING[-1]
            return self
        import signal

        received = self.received

        def pass_on(signum: int, frame: object) -> None:
            received.append(signum)
            for child in list(_RUNNING):
                with _gone():
                    os.kill(child.pid, signum)

        old: dict[int, object] = {}
        try:
            for name in _FORWARDED:
                sig = getattr(signal, name)
                old[sig] = signal.signal(sig, pass_on)
        except ValueError:  # not the main thread: signals are not ours to take
            pass
        self._old = old
        _PASSING.append(received)
        return self

    def stop(self) -> None:
        """The handlers as they were; what was received stays in ``received``."""
        if self._old is None:
            return
        import signal

        _PASSING.pop()
        for sig, handler in self._old.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        self._old = None


@contextlib.contextmanager
def passing_signals() -> Iterator[None]:
    """A block that git's answers decide, which a signal may not cut short: the signals are
    held (:class:`SignalHold`) and take effect, as ``KeyboardInterrupt``, once the block
    has ended. Inside another such block it adds nothing."""
    outer = bool(_PASSING)
    hold = SignalHold().start()
    try:
        yield
    finally:
        hold.stop()
    if hold.received and not outer:
        import signal

        raise KeyboardInterrupt(signal.Signals(hold.received[0]).name)


def run_git_write(
    args: Sequence[str],
    cwd: str | PathLike[str] | None = None,
    *,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git ARGS`` that changes the index or the refs. While another process holds
    ``index.lock`` it waits its turn (backing off, up to :func:`lock_wait` seconds) and
    then fails with git's complaint. A signal that arrives meanwhile is passed on to git
    and takes effect once git has exited (:func:`passing_signals`)."""
    import time

    deadline = time.monotonic() + lock_wait()
    pause = 0.02
    with passing_signals():
        while True:
            proc = _run_to_the_end(args, cwd, input, env)
            if proc.returncode == 0 or not holds_index_lock(proc.stderr):
                break
            if (_PASSING and _PASSING[-1]) or time.monotonic() + pause > deadline:
                break
            time.sleep(pause)
            pause = min(pause * 2, 0.25)
    if check and proc.returncode != 0:
        raise GitError(f"git {args[0]}: {_failure(proc)}")
    return proc


def _failure(proc: subprocess.CompletedProcess[bytes]) -> str:
    """Why git failed: its complaint, or the signal that killed it (which may have left
    its lock files behind, as git cannot remove them then)."""
    if proc.returncode < 0:
        import signal

        try:
            name = signal.Signals(-proc.returncode).name
        except ValueError:
            name = f"signal {-proc.returncode}"
        said = complaint(proc.stderr) if proc.stderr.strip() else ""
        return (
            f"git was killed by {name}{f' ({said})' if said else ''}; it may have left lock "
            "files in the git folder (index.lock, HEAD.lock): remove them once no git "
            "process is running"
        )
    return complaint(proc.stderr)


def _run_to_the_end(
    args: Sequence[str],
    cwd: str | PathLike[str] | None,
    input: bytes | None,
    env: Mapping[str, str] | None,
) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` run to its end. Its output goes to temporary files and the wait is for
    git itself: a process git started that outlives it (a hook's own child) holds no pipe
    that would keep git-blueprint waiting."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            child = subprocess.Popen(
                ["git", *args],
                cwd=cwd,
                stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=_environment(env),
            )
        except FileNotFoundError as exc:
            raise UsageError("git is not installed or not on PATH") from exc
        _RUNNING.append(child)
        try:
            if _PASSING and _PASSING[-1]:  # a signal came before git started
                with _gone():
                    os.kill(child.pid, _PASSING[-1][0])
            if input is not None and child.stdin is not None:
                with contextlib.suppress(BrokenPipeError):
                    child.stdin.write(input)
                with contextlib.suppress(BrokenPipeError):
                    child.stdin.close()
            code = child.wait()
        finally:
            _RUNNING.remove(child)
        if code < 0:
            _clear_temporary_index(cwd, child.pid)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(["git", *args], code, out.read(), err.read())


def _clear_temporary_index(cwd: str | PathLike[str] | None, pid: int) -> None:
    """A ``git commit PATH`` killed by a signal in the instant between making its temporary
    index and arming its cleanup leaves ``next-index-PID.lock``: named after that process,
    which is gone, so nobody else's — removed. (A shared lock such as ``index.lock`` is
    never touched: it may be another process's.)"""
    proc = run_git(["rev-parse", "--absolute-git-dir"], cwd, check=False)
    git_dir = proc.stdout.decode("utf-8", "surrogateescape").strip()
    if proc.returncode != 0 or not git_dir:
        return
    for name in (f"next-index-{pid}.lock", f"next-index-{pid}.lock.lock"):
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(git_dir, name))


def _stop(child: subprocess.Popen[bytes]) -> None:
    """End a git that is no longer wanted: SIGTERM, then SIGKILL if it will not go."""
    with _gone():
        child.terminate()
    try:
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with _gone():
            child.kill()
        child.wait()
    except BaseException:
        with _gone():
            child.kill()
        raise


def _gone() -> contextlib.AbstractContextManager[None]:
    return contextlib.suppress(ProcessLookupError)


def git_text(args: Sequence[str], cwd: str | PathLike[str] | None = None) -> str:
    """stdout of a successful git call, decoded, without the final newline."""
    return run_git(args, cwd).stdout.decode("utf-8", "surrogateescape").rstrip("\n")


def judged_by(allowed_signers: str) -> list[str]:
    """git's options to judge SSH signatures against the allowed-signers file at that path."""
    return ["-c", f"gpg.ssh.allowedSignersFile={allowed_signers}"]


def run_program(argv: Sequence[str], timeout: float) -> bytes | None:
    """stdout of a program other than git (the hooks' installer asks an interpreter about
    itself), or None when it cannot be run, fails or takes longer than ``timeout``."""
    try:
        proc = subprocess.run(list(argv), capture_output=True, check=True, timeout=timeout)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    return proc.stdout


def calling_git(levels: int = 3) -> list[str]:
    """The arguments of the git command that (through at most ``levels`` processes: a
    shell between) started this one: ``["git", "merge", "-X", "ours", "side"]``. git
    hands a driver none of its options, so a driver that honours them reads them here:
    from ``/proc`` on Linux, from ``ps`` elsewhere. Empty when no git is found."""
    pid = os.getpid()
    for _ in range(levels):
        pid = _parent_of(pid)
        if pid <= 1:
            return []
        args = _arguments_of(pid)
        if args and os.path.basename(args[0]) in ("git", "git.exe"):
            return args
    return []


def _parent_of(pid: int) -> int:
    if pid == os.getpid():
        return os.getppid()
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as fh:
            stat = fh.read()
        return int(stat.rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        seen = run_program(["ps", "-o", "ppid=", "-p", str(pid)], timeout=5)
        try:
            return int(seen.strip()) if seen else 0
        except ValueError:
            return 0


def _arguments_of(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            raw = fh.read()
    except OSError:
        raw = b""
    if raw:
        return [a.decode("utf-8", "replace") for a in raw.rstrip(b"\0").split(b"\0")]
    import shlex

    seen = run_program(["ps", "-o", "args=", "-p", str(pid)], timeout=5)
    try:
        return shlex.split(seen.decode("utf-8", "replace")) if seen else []
    except ValueError:
        return []


def run_in_turn(argv: Sequence[str]) -> int:
    """Run a program other than git in the foreground, with this process's standard
    streams and environment (``bp hooks run`` runs the hook's shell shim so), and return
    its exit code; :class:`UsageError` naming the program when it cannot start."""
    try:
        return subprocess.run(list(argv), check=False).returncode
    except OSError as exc:
        raise UsageError(f"{argv[0]}: cannot be started: {exc.strerror}") from None
