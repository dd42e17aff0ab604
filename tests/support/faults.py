"""Fault injection for the all-or-nothing tests (SPEC §5): a ``git`` on PATH that counts its
calls and, at call N, fails, hangs, or sends SIGTERM to its parent; snapshots of a
repository's state; and a runner that starts a command under the wrapper and waits until
every process it started has finished.

The wrapper is a Python script in a folder of its own, which is also given to git as its
exec path (``GIT_EXEC_PATH``, with links to git's own helpers beside it): git puts its exec
path first in the PATH of the hooks it runs, so without that the hooks' git calls would
reach the real git and escape the counting.

The wrapper reads, from its environment:

- ``BP_FAULT_DIR``: the folder of the counter (``count``, under ``lock``), the log of calls
  (``calls``: ``N<TAB>pid<TAB>ppid<TAB>args``) and the ``hanging`` marker; unset, the
  wrapper is the real git and counts nothing;
- ``BP_FAULT_AT``: the call to fault (1-based; 0 or unset for none);
- ``BP_FAULT_KIND``: ``fail`` (exit 1 with a message on stderr, git not run), ``hang``
  (write ``pid`` into ``hanging``, then sleep until killed) or ``term-parent`` (SIGTERM to
  the parent process, then run git as usual).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

REAL_GIT = shutil.which("git") or "git"  # found before any test changes PATH

KINDS = ("fail", "hang", "term-parent")

WRAPPER = """#!{python} -IS
# A fault-injecting git (tests/support/faults.py).
import fcntl
import os
import signal
import sys
import time

REAL = {real!r}
state = os.environ.get("BP_FAULT_DIR")
if state:
    with open(os.path.join(state, "lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        counter = os.path.join(state, "count")
        try:
            with open(counter) as fh:
                n = int(fh.read() or 0) + 1
        except FileNotFoundError:
            n = 1
        with open(counter, "w") as fh:
            fh.write(str(n))
        with open(os.path.join(state, "calls"), "a") as fh:
            args = " ".join(sys.argv[1:]).replace("\\n", " ")
            fh.write(f"{{n}}\\t{{os.getpid()}}\\t{{os.getppid()}}\\t{{args}}\\n")
    at = int(os.environ.get("BP_FAULT_AT") or 0)
    if n == at:
        kind = os.environ.get("BP_FAULT_KIND", "fail")
        if kind == "fail":
            sys.stderr.write(f"fatal: injected fault at git call {{n}}\\n")
            sys.exit(1)
        if kind == "hang":
            marker = os.path.join(state, "hanging")
            with open(marker + ".tmp", "w") as fh:
                fh.write(str(os.getpid()))
            os.replace(marker + ".tmp", marker)
            while True:
                time.sleep(3600)
        if kind == "term-parent":
            os.kill(os.getppid(), signal.SIGTERM)
os.execv(REAL, ["git", *sys.argv[1:]])
"""


SH_WRAPPER = """#!/bin/sh
# A fault-injecting git (tests/support/faults.py); flock(1) guards the counter.
if [ -n "$BP_FAULT_DIR" ]; then
    d=$BP_FAULT_DIR
    exec 9>>"$d/lock"
    {flock} 9
    n=0
    if [ -f "$d/count" ]; then read -r n <"$d/count"; fi
    n=$((n + 1))
    echo "$n" >"$d/count"
    printf '%s\\t%s\\t%s\\t%s\\n' "$n" "$$" "$PPID" "$*" >>"$d/calls"
    exec 9>&-
    if [ "$n" = "${{BP_FAULT_AT:-0}}" ]; then
        case ${{BP_FAULT_KIND:-fail}} in
        fail)
            echo "fatal: injected fault at git call $n" >&2
            exit 1 ;;
        hang)
            echo "$$" >"$d/hanging.tmp"
            mv "$d/hanging.tmp" "$d/hanging"
            exec sleep 86400 ;;
        term-parent)
            kill -TERM "$PPID" ;;
        esac
    fi
fi
exec {real} "$@"
"""


def install_wrapper(folder: Path) -> Path:
    """The wrapper as ``folder/git``, with links to the real git's helpers beside it, so that
    ``folder`` serves both as the first entry of PATH and as ``GIT_EXEC_PATH``."""
    real_exec = subprocess.run(
        [REAL_GIT, "--exec-path"], capture_output=True, text=True, check=True
    ).stdout.strip()
    folder.mkdir(parents=True, exist_ok=True)
    for entry in os.listdir(real_exec):
        if entry != "git":
            (folder / entry).symlink_to(os.path.join(real_exec, entry))
    wrapper = folder / "git"
    flock = shutil.which("flock")
    if flock:  # a shell starts in a millisecond, Python in ten: bp makes 20 git calls
        text = SH_WRAPPER.format(flock=shlex.quote(flock), real=shlex.quote(REAL_GIT))
    else:
        text = WRAPPER.format(python=sys.executable, real=REAL_GIT)
    wrapper.write_text(text)
    wrapper.chmod(0o755)
    return folder


def fault_env(
    wrapper_dir: Path, state_dir: Path, at: int = 0, kind: str = "fail"
) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{wrapper_dir}{os.pathsep}{env.get('PATH', '')}"
    env["GIT_EXEC_PATH"] = str(wrapper_dir)
    env["BP_FAULT_DIR"] = str(state_dir)
    env["BP_FAULT_AT"] = str(at)
    env["BP_FAULT_KIND"] = kind
    return env


@dataclass
class Call:
    n: int
    pid: int
    ppid: int
    args: str


def read_calls(state_dir: Path) -> list[Call]:
    log = state_dir / "calls"
    if not log.exists():
        return []
    calls: list[Call] = []
    for line in log.read_text(errors="replace").splitlines():
        parts = line.split("\t", 3)
        if len(parts) == 4 and all(p.isdigit() for p in parts[:3]):
            calls.append(Call(int(parts[0]), int(parts[1]), int(parts[2]), parts[3]))
        elif calls:  # an argument with a line break in it
            calls[-1].args += " " + line
    return sorted(calls, key=lambda c: c.n)


def read_count(state_dir: Path) -> int:
    counter = state_dir / "count"
    return int(counter.read_text() or 0) if counter.exists() else 0


# --- processes --------------------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
    return raw[raw.rindex(")") + 2 :].split()


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie no longer does: PID 1 here may never reap it)."""
    found = _stat_fields(pid)
    return found is not None and found[0] not in ("Z", "X")


def group_members(pgid: int) -> list[int]:
    """The live processes of process group ``pgid``."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        found = _stat_fields(int(entry))
        if found and found[0] not in ("Z", "X") and int(found[2]) == pgid:
            members.append(int(entry))
    return members


def kill_quietly(pid: int, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)


@dataclass
class Outcome:
    pid: int  # of the command's process
    code: int | None  # None: did not exit in time (then killed)
    stdout: str
    stderr: str
    calls: list[Call]
    signalled: list[int] = field(default_factory=list)  # pids the fault (or the test) signalled
    stray: list[int] = field(default_factory=list)  # still running long after the command exited
    waited: float = 0.0  # how long the command was given to exit after SIGTERM

    def fired(self, at: int) -> Call | None:
        return next((c for c in self.calls if c.n == at), None)


class Patience:
    """How long a command may take to exit after SIGTERM: ``first`` seconds, until one
    command of the batch has not exited in time; the others are then given ``then``
    seconds (the verdict is already a failure; this keeps a broken build's run short)."""

    def __init__(self, first: float = 20.0, then: float = 3.0) -> None:
        self.seconds = first
        self.then = then

    def exhausted(self) -> None:
        self.seconds = min(self.seconds, self.then)


def _wait(proc: subprocess.Popen[bytes], since: float, limit: Callable[[], float]) -> int | None:
    while True:
        code = proc.poll()
        if code is not None:
            return code
        if time.monotonic() - since > limit():
            return None
        time.sleep(0.005)


def run_command(
    argv: list[str],
    cwd: Path,
    env: dict[str, str],
    run_dir: Path,
    *,
    kind: str = "fail",
    at: int = 0,
    patience: Patience | None = None,
    timeout: float = 60.0,
    settle_timeout: float = 10.0,
) -> Outcome:
    """Run ``argv`` in a new session (so that every process it starts can be found by its
    process group), under the fault ``kind`` at call ``at``.

    For ``hang``, once the wrapper hangs, SIGTERM goes to the command (``bp`` alone) — or,
    when the command is git itself, to the hanging call's parent (the pre-commit hook's
    process, which is bp there). The command then has ``patience`` seconds to exit.
    Afterwards the hanging wrapper is killed and the test waits for the rest of the group
    to finish (git commands the command left behind may still be finishing), so that the
    snapshot taken next sees the final state. Any other command has ``timeout`` seconds."""
    patience = patience or Patience()
    run_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = run_dir / "stdout", run_dir / "stderr"
    state_dir = Path(env["BP_FAULT_DIR"]) if "BP_FAULT_DIR" in env else None
    marker = state_dir / "hanging" if state_dir else None
    signalled: list[int] = []
    waited = 0.0
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    code: int | None = None
    try:
        started = time.monotonic()
        if kind == "hang" and at and marker is not None:
            code = _wait_for_hang(proc, marker, started + timeout)
            if code is None and marker.exists():
                hang_pid = int(marker.read_text())
                hung = next((c for c in read_calls(marker.parent) if c.pid == hang_pid), None)
                target = proc.pid
                if argv[0] == REAL_GIT and hung is not None:
                    target = hung.ppid  # the hook, which is bp inside `git commit`
                kill_quietly(target, signal.SIGTERM)
                signalled.append(target)
                since = time.monotonic()
                code = _wait(proc, since, lambda: patience.seconds)
                waited = time.monotonic() - since
                if code is None:
                    patience.exhausted()
        if code is None and not signalled:
            code = _wait(proc, started, lambda: timeout)
    finally:
        if marker is not None and marker.exists():
            kill_quietly(int(marker.read_text()))
        if code is None:
            kill_quietly(proc.pid)
        proc.wait()
        stray = settle(proc.pid, settle_timeout)
    calls = read_calls(state_dir) if state_dir else []
    if kind == "term-parent" and at:
        signalled += [c.ppid for c in calls if c.n == at]
    return Outcome(
        proc.pid,
        code,
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
        calls,
        signalled,
        stray,
        waited,
    )


def _wait_for_hang(proc: subprocess.Popen[bytes], marker: Path, deadline: float) -> int | None:
    """None once the wrapper hangs; the exit code if the command ends first."""
    while time.monotonic() < deadline:
        if marker.exists():
            return None
        code = proc.poll()
        if code is not None:
            return code
        time.sleep(0.005)
    return None


def settle(pgid: int, timeout: float) -> list[int]:
    """Wait for the process group to empty; whatever is left after ``timeout`` is killed,
    and returned."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not group_members(pgid):
            return []
        time.sleep(0.02)
    left = group_members(pgid)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
    return left


# --- state ------------------------------------------------------------------------------------


def real_git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BP_FAULT")}
    env.pop("GIT_EXEC_PATH", None)
    # Never look above the test's folder for a repository.
    env["GIT_CEILING_DIRECTORIES"] = str(cwd.parent)
    proc = subprocess.run(
        [REAL_GIT, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}: {proc.stderr}")
    return proc


def _digest(path: Path) -> str:
    if path.is_symlink():
        return "link:" + os.readlink(path)
    mode = "x" if os.access(path, os.X_OK) else "-"
    return mode + hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class State:
    """What the all-or-nothing promise is about: refs, index, status and working tree, and
    (as written by init and hooks) the repository's config and hooks."""

    head: str | None
    symbolic_head: str | None
    refs: str | None
    index: str | None
    status: str | None
    files: tuple[tuple[str, str], ...]
    folders: tuple[str, ...]
    config: str | None
    hooks: tuple[tuple[str, str], ...]

    def differences(self, other: State) -> list[str]:
        out = []
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if mine == theirs:
                continue
            if f.name in ("files", "hooks"):
                a, b = dict(mine), dict(theirs)
                changed = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
                out.append(f"{f.name} {' '.join(changed)}")
            elif f.name == "folders":
                out.append(f"folders {' '.join(sorted(set(mine) ^ set(theirs)))}")
            elif mine is None or theirs is None:
                out.append(f"{f.name} {'absent' if mine is None else 'present'}")
            else:
                out.append(f"{f.name} {_line_diff(theirs, mine)}")
        return out


def _ids(line: str) -> str:
    """Object ids cut to 10 digits, for shorter messages."""
    return re.sub(r"\b([0-9a-f]{10})[0-9a-f]{30}\b", r"\1", line)


def _line_diff(old: str, new: str, most: int = 3) -> str:
    """The lines only in ``new`` (+) and only in ``old`` (-), a few of each."""
    a, b = old.splitlines(), new.splitlines()
    gone = [f"-{_ids(line)[:70]!r}" for line in a if line not in b]
    came = [f"+{_ids(line)[:70]!r}" for line in b if line not in a]
    shown = gone[:most] + came[:most]
    more = len(gone) + len(came) - len(shown)
    return " ".join(shown) + (f" (+{more} more)" if more > 0 else "")


def snapshot(root: Path) -> State:
    files: list[tuple[str, str]] = []
    folders: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        if rel == Path("."):
            dirnames[:] = [d for d in dirnames if d != ".git"]
            if ".git" in filenames:
                filenames = [f for f in filenames if f != ".git"]
        dirnames.sort()
        for d in dirnames:
            folders.append((rel / d).as_posix())
        for name in sorted(filenames):
            files.append(((rel / name).as_posix(), _digest(Path(dirpath) / name)))
    git_dir = root / ".git"
    if not git_dir.is_dir():
        return State(None, None, None, None, None, tuple(files), tuple(folders), None, ())
    head = real_git(root, "rev-parse", "-q", "--verify", "HEAD", check=False).stdout.strip()
    symbolic = real_git(root, "symbolic-ref", "-q", "HEAD", check=False).stdout.strip()
    refs = real_git(root, "for-each-ref", "--format=%(refname) %(objectname)").stdout
    index = real_git(root, "ls-files", "-s").stdout
    status = real_git(root, "--no-optional-locks", "status", "--porcelain=v1", "-uall").stdout
    config = (git_dir / "config").read_text() if (git_dir / "config").exists() else None
    hooks_dir = git_dir / "hooks"
    hooks = (
        tuple((p.name, _digest(p)) for p in sorted(hooks_dir.iterdir()) if p.is_file())
        if hooks_dir.is_dir()
        else ()
    )
    return State(
        head or None,
        symbolic or None,
        refs,
        index,
        status,
        tuple(files),
        tuple(folders),
        config,
        hooks,
    )


def lock_files(root: Path) -> list[str]:
    git_dir = root / ".git"
    if not git_dir.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in git_dir.rglob("*.lock"))


def leftovers(root: Path, blueprints: str = "blueprints") -> list[str]:
    """Lock files under .git, temporary files of bp's atomic writes (names starting with
    ``.`` in the blueprints folder, ``.NAME.*.tmp`` at the top) and the pre-commit hook's
    ``blueprint-stamp-*`` files in .git."""
    found = lock_files(root)
    folder = root / blueprints
    if folder.is_dir():
        found += [f"{blueprints}/{p.name}" for p in folder.iterdir() if p.name.startswith(".")]
    if root.is_dir():
        found += [p.name for p in root.glob(".*.tmp")]
    if (root / ".git").is_dir():
        found += [f".git/{p.name}" for p in (root / ".git").glob("blueprint-stamp-*")]
    return sorted(found)


def fsck_problems(root: Path) -> list[str]:
    """What ``git fsck`` complains of, dangling objects and notices aside; [] when clean."""
    if not (root / ".git").is_dir():
        return []
    proc = real_git(root, "fsck", "--no-progress", check=False)
    lines = (proc.stdout + proc.stderr).splitlines()
    bad = [
        line
        for line in lines
        if line.strip() and not line.startswith(("dangling ", "notice:", "Checking "))
    ]
    if proc.returncode != 0 and not bad:
        bad = [f"exit {proc.returncode}"]
    return bad
