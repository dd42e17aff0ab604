"""Timing whole processes: medians of repeated runs, paired runs for A/B comparisons, and
peak memory of a process tree."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

Hook = Callable[[], None]
CHUNK = 1 << 20


@dataclass(frozen=True)
class Command:
    """A command line, where it runs and with which environment; ``ok`` are the exit codes
    that count as success (``git diff`` and ``bp diff`` exit 1 on differences)."""

    argv: Sequence[str]
    cwd: Path
    env: Mapping[str, str] | None = None
    ok: tuple[int, ...] = (0,)

    def shown(self) -> str:
        return " ".join(self.argv)


@dataclass
class Sample:
    """Wall-clock seconds of repeated runs, with the load averages around them."""

    seconds: list[float] = field(default_factory=list)
    load_before: float = 0.0
    load_after: float = 0.0
    others_cpu: float | None = None  # share of all CPUs that other processes used meanwhile

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def low(self) -> float:
        return min(self.seconds)

    @property
    def high(self) -> float:
        return max(self.seconds)

    @property
    def runs(self) -> int:
        return len(self.seconds)


class CommandFailed(RuntimeError):
    pass


def load1() -> float:
    return os.getloadavg()[0]


class CpuMeter:
    """How busy the rest of the machine is: CPU time that processes other than this one and
    its children used since the meter started, as a share of all CPUs (0.5 on two CPUs: one
    of them fully taken). The load average cannot tell the benchmark's own work from other
    people's; this can. None where /proc/stat cannot be read."""

    def __init__(self) -> None:
        self.start = self._snapshot()

    @staticmethod
    def _snapshot() -> tuple[float, float, float] | None:
        try:
            with open("/proc/stat", "rb") as fh:
                ticks = [int(v) for v in fh.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        # user nice system idle iowait irq softirq steal ...: all but idle and iowait is work
        busy = (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
        t = os.times()
        ours = t.user + t.system + t.children_user + t.children_system
        return time.monotonic(), busy, ours

    def others(self) -> float | None:
        end = self._snapshot()
        if self.start is None or end is None:
            return None
        wall = (end[0] - self.start[0]) * (os.cpu_count() or 1)
        if wall <= 0:
            return None
        return max(0.0, (end[1] - self.start[1]) - (end[2] - self.start[2])) / wall


def run_once(cmd: Command) -> float:
    """Seconds one run takes, its standard output read to the end through a pipe (as a
    pager or a CI log would) and dropped; its standard error kept for the error message."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd.argv),
            cwd=cmd.cwd,
            env=dict(cmd.env) if cmd.env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
        )
        assert proc.stdout is not None
        while proc.stdout.read(CHUNK):
            pass
        code = proc.wait()
        elapsed = time.perf_counter() - start
        if code not in cmd.ok:
            err.seek(0)
            reason = err.read().decode("utf-8", "replace").strip()[-2000:]
            raise CommandFailed(f"{cmd.shown()} (in {cmd.cwd}): exit {code}\n{reason}")
    return elapsed


def _noop() -> None:
    return None


def measure(
    cmd: Command,
    runs: int,
    *,
    warmup: int = 1,
    before: Hook = _noop,
    after: Hook = _noop,
) -> Sample:
    """``runs`` timed runs after ``warmup`` untimed ones; ``before`` and ``after`` run
    around each (untimed), so that every run does the same work."""
    for _ in range(warmup):
        before()
        run_once(cmd)
        after()
    sample = Sample(load_before=load1())
    meter = CpuMeter()
    for _ in range(runs):
        before()
        sample.seconds.append(run_once(cmd))
        after()
    sample.load_after = load1()
    sample.others_cpu = meter.others()
    return sample


def measure_pair(
    a: Command,
    b: Command,
    runs: int,
    *,
    warmup: int = 1,
    before: Hook = _noop,
    after: Hook = _noop,
) -> tuple[Sample, Sample]:
    """``a`` and ``b`` alternately (a, b, b, a, a, b, …), so that drift in the machine's
    load falls on both alike; pairs are kept in order for paired differences."""
    for _ in range(warmup):
        for cmd in (a, b):
            before()
            run_once(cmd)
            after()
    sa, sb = Sample(load_before=load1()), Sample(load_before=load1())
    meter = CpuMeter()
    for i in range(runs):
        order = ((a, sa), (b, sb)) if i % 2 == 0 else ((b, sb), (a, sa))
        for cmd, sample in order:
            before()
            sample.seconds.append(run_once(cmd))
            after()
    sa.load_after = sb.load_after = load1()
    sa.others_cpu = sb.others_cpu = meter.others()
    return sa, sb


def paired_differences(a: Sample, b: Sample) -> list[float]:
    return [x - y for x, y in zip(a.seconds, b.seconds, strict=True)]


@dataclass(frozen=True)
class Memory:
    """Peak resident memory in bytes: of the largest single process (``/usr/bin/time``'s
    ``%M``, exact) and of the whole process tree at once (sampled; None when not sampled)."""

    largest_process: int
    tree: int | None
    method: str


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: split after the last ')'.
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _tree_rss(root: int) -> int:
    children = _children_map()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss(pid)
        todo.extend(children.get(pid, ()))
    return total


def peak_memory(cmd: Command, interval: float = 0.005) -> Memory:
    """One run's peak memory. The largest process's peak comes from ``/usr/bin/time -f %M``
    when it exists, else from ``getrusage(RUSAGE_CHILDREN)`` (this process's children so
    far: run it before spawning anything big). The tree's peak (the command and every
    process it starts, summed) is sampled from /proc every ``interval`` seconds."""
    gnu_time = shutil.which("time", path="/usr/bin")
    with tempfile.TemporaryDirectory(prefix="bp-bench-mem-") as tmp:
        report = Path(tmp) / "maxrss"
        argv = list(cmd.argv)
        if gnu_time:
            argv = [gnu_time, "-f", "%M", "-o", str(report), *argv]
        proc = subprocess.Popen(
            argv,
            cwd=cmd.cwd,
            env=dict(cmd.env) if cmd.env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        peak = 0

        def drain() -> None:
            assert proc.stdout is not None
            while proc.stdout.read(CHUNK):
                pass

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        can_sample = os.path.isdir("/proc/self")
        while proc.poll() is None:
            if can_sample:
                peak = max(peak, _tree_rss(proc.pid))
            time.sleep(interval)
        reader.join()
        if proc.returncode not in cmd.ok:
            raise CommandFailed(f"{cmd.shown()}: exit {proc.returncode}")
        if gnu_time:
            largest = int(report.read_text().split()[-1]) * 1024
            method = "/usr/bin/time -f %M"
        else:
            import resource

            largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
            method = "getrusage(RUSAGE_CHILDREN)"
    return Memory(largest, peak if can_sample else None, method)
