"""git-blueprint's benchmark: is the tool fast enough that nobody reaches for --no-verify?

    .venv/bin/python bench/run.py [--quick] [--only SECTIONS] [--out DIR] [--workdir DIR]
                                  [--wait-idle SECONDS]

Generates (or reuses) a realistic blueprint repository, times whole-process runs of the
commands people wait for, compares them with git's own commands in the same run, and
writes ``results.json`` and ``results.md`` into ``--out`` (default ``bench/out/``). Exit
status 0 when every measurement ran (targets met or not: speed is reported, not asserted),
1 when the generated history is not legal or a command failed, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from genrepo import STAMP_FILE, Params, Summary, generate, read_stamp, write_stamp
from timing import (
    Command,
    CommandFailed,
    CpuMeter,
    Memory,
    Sample,
    load1,
    measure,
    measure_pair,
    paired_differences,
    peak_memory,
)

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
VENV_BIN = Path(sys.executable).parent
BP = str(VENV_BIN / "bp")
FULL = Params(blueprints=2000, commits=5000, big_versions=750)
QUICK = Params(blueprints=200, commits=500, big_versions=100)
CORPUS = Path(os.environ.get("BP_BENCH_CORPUS", PROJECT.parent / "shared" / "corpus"))
PINNED_DATE = "2026-06-01T12:00:00+0000"  # later than any generated date: the hook stamps
MB = 1024 * 1024
# git's own diff machinery only: a diff or textconv driver configured for blueprints would
# otherwise make the baselines run git-blueprint itself.
GIT_PLAIN_DIFF = ("--no-ext-diff", "--no-textconv")
ASIDE = ".bench-aside"  # suffix of a hook set aside for a reference measurement


@dataclass(frozen=True)
class Runs:
    """Repetitions per measurement."""

    fast: int  # commands of tens of milliseconds
    medium: int  # a few hundred milliseconds
    slow: int  # seconds


FULL_RUNS = Runs(fast=21, medium=11, slow=5)
QUICK_RUNS = Runs(fast=5, medium=3, slow=3)


@dataclass(frozen=True)
class Target:
    """What a row is judged by: ``kind`` is "seconds" (the median), "added" (the median of
    paired differences to the baseline), "ratio" (median over the baseline's median) or
    "bytes" (peak memory)."""

    kind: str
    limit: float

    def describe(self) -> str:
        amount = f"{self.limit * 1000:g} ms" if self.limit < 1 else f"{self.limit:g} s"
        if self.kind == "seconds":
            return f"≤ {amount}"
        if self.kind == "added":
            return f"≤ +{amount}"
        if self.kind == "ratio":
            return f"≤ {self.limit:.1f} × git"
        return f"≤ {self.limit / MB:.0f} MB"


@dataclass
class Row:
    what: str
    command: str
    sample: Sample | None = None
    baseline_command: str | None = None
    baseline: Sample | None = None
    target: Target | None = None
    memory: Memory | None = None
    baseline_memory: Memory | None = None
    note: str = ""
    added: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.sample is None or self.baseline is None:
            return None
        return self.sample.median / self.baseline.median

    @property
    def added_median(self) -> float | None:
        return statistics.median(self.added) if self.added else None

    @property
    def peak(self) -> int | None:
        if self.memory is None:
            return None
        return max(self.memory.largest_process, self.memory.tree or 0)

    def value(self) -> float | None:
        """The figure the target judges."""
        if self.target is None:
            return None
        if self.target.kind == "seconds":
            return self.sample.median if self.sample else None
        if self.target.kind == "added":
            return self.added_median
        if self.target.kind == "ratio":
            return self.ratio
        return None if self.peak is None else float(self.peak)

    @property
    def met(self) -> bool | None:
        value = self.value()
        if self.target is None or value is None:
            return None
        return value <= self.target.limit

    def to_json(self) -> dict[str, Any]:
        def sample(s: Sample | None) -> dict[str, Any] | None:
            if s is None:
                return None
            return {
                "median_s": s.median,
                "min_s": s.low,
                "max_s": s.high,
                "runs": s.runs,
                "seconds": s.seconds,
                "load1_before": s.load_before,
                "load1_after": s.load_after,
                "others_cpu_share": s.others_cpu,
            }

        def memory(m: Memory | None) -> dict[str, Any] | None:
            if m is None:
                return None
            return {
                "largest_process_bytes": m.largest_process,
                "tree_bytes": m.tree,
                "method": m.method,
            }

        return {
            "what": self.what,
            "command": self.command,
            "sample": sample(self.sample),
            "baseline_command": self.baseline_command,
            "baseline": sample(self.baseline),
            "ratio": self.ratio,
            "added_median_s": self.added_median,
            "memory": memory(self.memory),
            "baseline_memory": memory(self.baseline_memory),
            "target": None if self.target is None else self.target.describe(),
            "met": self.met,
            "note": self.note,
        }


def _ms(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


# -- the repository ------------------------------------------------------------------------


class Bench:
    """The generated repository, an isolated environment, and the rows measured in it."""

    def __init__(self, workdir: Path, params: Params, runs: Runs) -> None:
        self.workdir = workdir
        self.repo = workdir / "repo"
        self.params = params
        self.runs = runs
        self.rows: list[Row] = []
        self.summary: Summary | None = None
        home = workdir / "home"
        home.mkdir(parents=True, exist_ok=True)
        self.env = {
            "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(home),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Bench Runner",
            "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "Bench Runner",
            "GIT_COMMITTER_EMAIL": "bench@example.com",
            "GIT_AUTHOR_DATE": PINNED_DATE,
            "GIT_COMMITTER_DATE": PINNED_DATE,
            "NO_COLOR": "1",
        }
        if "TMPDIR" in os.environ:
            self.env["TMPDIR"] = os.environ["TMPDIR"]

    def cmd(self, *argv: str, ok: tuple[int, ...] = (0,), cwd: Path | None = None) -> Command:
        return Command(argv, cwd or self.repo, self.env, ok)

    def clear_caches(self) -> None:
        """Remove what git-blueprint keeps in the git folder between runs (a fresh clone,
        as in CI, has none of it)."""
        for path in (self.repo / ".git").glob(CACHE_GLOB):
            path.unlink()

    def git(self, *args: str) -> str:
        proc = subprocess.run(
            ["git", *args], cwd=self.repo, env=self.env, capture_output=True, check=False
        )
        if proc.returncode != 0:
            raise CommandFailed(f"git {' '.join(args)}: {proc.stderr.decode(errors='replace')}")
        return proc.stdout.decode("utf-8", "replace")

    def bp(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [BP, *args], cwd=self.repo, env=self.env, capture_output=True, check=False
        )

    def prepare(self) -> Summary:
        """Reuse the repository generated earlier with the same parameters, or generate it,
        prove its whole history legal with ``bp verify``, and ``bp init`` it."""
        summary = read_stamp(self.repo) if (self.repo / ".git").is_dir() else None
        if summary is not None and summary.params == self.params:
            say(f"reusing {self.repo} ({self.params.key()})")
        else:
            if self.repo.exists():
                if not (self.repo / ".git" / STAMP_FILE).exists():
                    raise SystemExit(f"{self.repo}: exists and was not generated by bench/run.py")
                say(f"{self.repo}: generated with other parameters; generating again")
                shutil.rmtree(self.repo)
            say(f"generating {self.repo} ({self.params.key()}) …")
            start = time.perf_counter()
            summary = generate(self.repo, self.params)
            say(f"generated {summary.commits} commits in {time.perf_counter() - start:.1f} s")
            self._check_legal()
        self._init()
        write_stamp(self.repo, summary)
        self.summary = summary
        return summary

    def _check_legal(self) -> None:
        say("checking the generated history with bp verify …")
        proc = self.bp("verify", "HEAD", "--format", "json")
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            report = None
        if proc.returncode != 0 or not report or report["violations"]:
            violations = report["violations"][:5] if report else []
            raise SystemExit(
                f"the generated history is not legal (bp verify exit {proc.returncode}): "
                f"{json.dumps(violations, indent=2)}\n{proc.stderr.decode(errors='replace')}"
            )
        say(f"bp verify: {report['commits']} commits, 0 violations")

    def _init(self) -> None:
        hooks = Path(self.git("rev-parse", "--path-format=absolute", "--git-path", "hooks").strip())
        for aside in hooks.glob(f"*{ASIDE}"):  # left by an interrupted run
            os.replace(aside, hooks / aside.name.removesuffix(ASIDE))
        proc = self.bp("init")
        if proc.returncode != 0:
            raise SystemExit(f"bp init failed: {proc.stderr.decode(errors='replace')}")
        dirty = self.git("status", "--porcelain").strip()
        if dirty:
            raise SystemExit(f"bp init changed the work tree:\n{dirty}")
        if not (hooks / "pre-commit").exists():
            raise SystemExit(f"bp init installed no pre-commit hook in {hooks}")


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# -- the measurements ----------------------------------------------------------------------


def bench_startup(b: Bench) -> None:
    b.rows.append(
        Row(
            "`bp --help`",
            "bp --help",
            measure(b.cmd(BP, "--help"), b.runs.fast),
            target=Target("seconds", 0.100),
        )
    )
    python = str(VENV_BIN / "python")
    b.rows.append(
        Row(
            "(for reference) interpreter start, `python -I -c pass`",
            "python -I -c pass",
            measure(b.cmd(python, "-I", "-c", "pass"), b.runs.fast),
        )
    )
    # As the installed shims start it: -S with the sys.path `bp hooks install` records.
    from git_blueprint.hooks.install import fast_paths

    paths = fast_paths(python)
    if paths is None:
        argv, shown = [python, "-I", "-c", "import git_blueprint.hooks.commit"], "-I"
    else:
        code = f"import sys; sys.path[:] = {json.dumps(paths)}; import git_blueprint.hooks.commit"
        argv, shown = [python, "-I", "-S", "-c", code], "-I -S"
    b.rows.append(
        Row(
            "(for reference) a hook's interpreter start and imports",
            f"python {shown} -c 'import git_blueprint.hooks.commit'",
            measure(b.cmd(*argv), b.runs.fast),
        )
    )


CACHE_GLOB = "blueprint-*.cache"  # git-blueprint's caches in the git folder


def cache_state(cold: bool) -> str:
    return "cold: its caches removed before each run" if cold else "warm caches"


def bench_list(b: Bench) -> None:
    n = b.params.blueprints
    for cold in (False, True):
        b.rows.append(
            Row(
                f"`bp list`, {n:,} blueprints ({cache_state(cold)})",
                "bp list",
                measure(
                    b.cmd(BP, "list"),
                    b.runs.medium,
                    before=b.clear_caches if cold else _nothing,
                ),
                target=Target("seconds", 0.300),
            )
        )


def _nothing() -> None:
    return None


def _edit_field(text: str) -> str:
    """The first field's value changed: a one-line content edit."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("- **") and "**: " in line)
    head = lines[at].split("**: ", 1)[0]
    lines[at] = f"{head}**: Changed by the benchmark, the same way on every run."
    return "\n".join(lines)


def _set_status(text: str, new: str) -> str:
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("**Blueprint Status**: "))
    lines[at] = f"**Blueprint Status**: {new}"
    return "\n".join(lines)


@contextlib.contextmanager
def hook_set_aside(b: Bench, name: str | None) -> Iterator[None]:
    """The installed hook ``name`` renamed away for the duration (to time the others)."""
    if name is None:
        yield
        return
    hooks = Path(b.git("rev-parse", "--path-format=absolute", "--git-path", "hooks").strip())
    aside = hooks / f"{name}{ASIDE}"
    os.replace(hooks / name, aside)
    try:
        yield
    finally:
        os.replace(aside, hooks / name)


def bench_commit(
    b: Bench,
    what: str,
    rel: str,
    change: Callable[[str], str],
    expect: str,
    set_aside: str | None = None,
    judged: bool = True,
) -> None:
    """``git commit`` of one staged change of ``rel``, with the hooks and with --no-verify;
    reset after every run so each does the same work. ``set_aside`` names a hook to leave
    out. Unless ``judged``, the row is for reference and has no target."""
    base = b.git("rev-parse", "HEAD").strip()
    original = b.git("cat-file", "blob", f"HEAD:{rel}")
    changed = change(original).encode("utf-8")
    assert changed != original.encode("utf-8")

    def before() -> None:
        (b.repo / rel).write_bytes(changed)
        b.git("add", "--", rel)

    def after() -> None:
        b.git("reset", "-q", "--hard", base)

    message = f"bench: {rel}"
    hooked = b.cmd("git", "commit", "-q", "-m", message)
    plain = b.cmd("git", "commit", "-q", "--no-verify", "-m", message)
    with hook_set_aside(b, set_aside):
        # Prove the hooks run and do their work, once, before timing them.
        before()
        try:
            subprocess.run(hooked.argv, cwd=b.repo, env=b.env, capture_output=True, check=True)
            committed = b.git("show", f"HEAD:{rel}") + b.git("log", "-1", "--format=%B")
            if expect not in committed:
                raise SystemExit(f"{what}: the hooks did not do their work ({expect!r} missing)")
        except subprocess.CalledProcessError as exc:
            reason = exc.stderr.decode(errors="replace")
            raise SystemExit(f"{what}: git commit failed: {reason}") from None
        finally:
            after()
        with_hooks, without = measure_pair(hooked, plain, b.runs.fast, before=before, after=after)
    row = Row(
        what,
        "git commit -q -m MSG",
        with_hooks,
        "git commit -q --no-verify -m MSG",
        without,
        Target("added", 0.050) if judged and set_aside is None else None,
    )
    row.added = paired_differences(with_hooks, without)
    b.rows.append(row)


def bench_commits(b: Bench) -> None:
    s = b.summary
    assert s is not None
    n = b.params.blueprints
    stamp = "**Last Updated**: 2026-06-01"
    draft = f"blueprints/{s.draft_id}.md"
    bench_commit(
        b, f"hooks on a `git commit` of a Draft edit ({n:,} blueprints)", draft, _edit_field, stamp
    )
    bench_commit(
        b,
        "(for reference) the same with the pre-commit hook alone (commit-msg set aside)",
        draft,
        _edit_field,
        stamp,
        set_aside="commit-msg",
    )
    if s.review_id:
        review = f"blueprints/{s.review_id}.md"
        bench_commit(b, "hooks on a `git commit` of an edit in Review", review, _edit_field, stamp)
    bench_commit(
        b,
        "hooks on a `git commit` of Draft -> Review made by hand",
        draft,
        lambda text: _set_status(text, "Review"),
        "Blueprint-Status: Draft -> Review",
    )
    bench_commit(
        b,
        "(for reference) hooks on a `git commit` that touches no blueprint",
        "README.md",
        lambda text: text + "One more line.\n",
        "One more line.",
        judged=False,
    )


def bench_log(b: Bench) -> None:
    s = b.summary
    assert s is not None
    bp_log = b.cmd(BP, "log", s.big_id)
    git_log = b.cmd("git", "log", "-p", *GIT_PLAIN_DIFF, "--", s.big_path)
    for cold in (False, True):
        before = b.clear_caches if cold else _nothing
        mine, theirs = measure_pair(bp_log, git_log, b.runs.medium, before=before)
        b.rows.append(
            Row(
                f"`bp log`, one blueprint of {s.big_versions} versions ({cache_state(cold)})",
                f"bp log {s.big_id}",
                mine,
                f"git log -p {' '.join(GIT_PLAIN_DIFF)} -- {s.big_path}",
                theirs,
                Target("ratio", 1.0),
            )
        )


def fresh_clones(b: Bench) -> tuple[Path, Path]:
    """Two fresh clones of the repository, as a teammate or a CI job has them: one where
    ``bp init`` has written the drivers and hooks, one with none (the same attributes)."""
    clones = []
    for name, init in (("clone-drivers", True), ("clone-plain", False)):
        path = b.workdir / name
        if path.exists():
            shutil.rmtree(path)
        b.git("clone", "-q", "--shared", str(b.repo), str(path))
        if init:
            proc = subprocess.run(
                [BP, "init"], cwd=path, env=b.env, capture_output=True, check=False
            )
            if proc.returncode != 0:
                raise CommandFailed(f"bp init: {proc.stderr.decode(errors='replace')}")
        clones.append(path)
    return clones[0], clones[1]


def bench_git(b: Bench) -> None:
    """git's own commands on the longest blueprint history, in a fresh clone with the
    drivers against one without (the target: at most twice as long), and ``bp log
    --patch``, the semantic history, against ``git log -p``."""
    s = b.summary
    assert s is not None
    with_drivers, plain = fresh_clones(b)
    for what, args in (
        ("first `git log -p`", ["log", "-p", "--", s.big_path]),
        ("first `git blame`", ["blame", "--", s.big_path]),
        ("`git log -S`", ["log", "--format=%h", "-S", "Blueprint Status", "--", s.big_path]),
    ):
        mine, theirs = measure_pair(
            b.cmd("git", *args, cwd=with_drivers), b.cmd("git", *args, cwd=plain), b.runs.medium
        )
        b.rows.append(
            Row(
                f"{what}, one blueprint of {s.big_versions} versions, fresh clone with the drivers",
                f"git {' '.join(args)}",
                mine,
                "the same in a clone without the drivers",
                theirs,
                Target("ratio", 2.0),
            )
        )
    patch_log, git_log = measure_pair(
        b.cmd(BP, "log", s.big_id, "--patch", cwd=with_drivers),
        b.cmd("git", "log", "-p", "--", s.big_path, cwd=plain),
        b.runs.slow,
    )
    b.rows.append(
        Row(
            f"`bp log --patch`, one blueprint of {s.big_versions} versions (semantic diffs)",
            f"bp log {s.big_id} --patch",
            patch_log,
            f"git log -p -- {s.big_path}",
            git_log,
        )
    )


def bench_verify(b: Bench) -> None:
    n = b.params.commits
    verify = b.cmd(BP, "verify", "HEAD")
    git_log = b.cmd("git", "log", "-p", *GIT_PLAIN_DIFF, "HEAD")
    shown = f"git log -p {' '.join(GIT_PLAIN_DIFF)} HEAD"
    for cold in (False, True):
        before = b.clear_caches if cold else _nothing
        mine, theirs = measure_pair(verify, git_log, b.runs.slow, before=before)
        b.rows.append(
            Row(
                f"`bp verify`, all {n:,} commits ({cache_state(cold)})",
                "bp verify HEAD",
                mine,
                shown,
                theirs,
                Target("ratio", 1.0),
            )
        )
        before()
        memory = peak_memory(verify)
        b.rows.append(
            Row(
                f"`bp verify` peak memory, all {n:,} commits ({cache_state(cold)})",
                "bp verify HEAD",
                memory=memory,
                baseline_command=shown,
                baseline_memory=peak_memory(git_log),
                target=Target("bytes", 150 * MB),
            )
        )


def largest_corpus_pair() -> tuple[Path, Path] | None:
    """Two consecutive versions of the corpus's largest document: its largest version and
    the one before it."""
    if not CORPUS.is_dir():
        return None
    best: tuple[int, Path, Path] | None = None
    for doc in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        versions = sorted(doc.glob("v*.md"))
        if len(versions) < 2:
            continue
        biggest = max(range(len(versions)), key=lambda i: versions[i].stat().st_size)
        older = max(biggest - 1, 0)
        pair = (versions[older], versions[older + 1])
        size = versions[biggest].stat().st_size
        if best is None or size > best[0]:
            best = (size, *pair)
    return None if best is None else (best[1], best[2])


def synthetic_pair(folder: Path, items: int = 5000) -> tuple[Path, Path]:
    """A blueprint of ``items`` sections (three fields each) and a later version of it:
    5% of the items changed, 1% removed, 1% added, three moved."""
    import random

    rng = random.Random(5000)
    names = [f"svc-{n:05d}" for n in range(items)]
    fields = {
        name: [f"team-{rng.randint(1, 90)}", f"/v1/{name}", f"{rng.randint(5, 900)} ms"]
        for name in names
    }

    def render(order: list[str], values: dict[str, list[str]], status: str) -> str:
        out = [
            "# Integration Blueprint: Service Catalogue",
            "",
            "## Purpose",
            "",
            "Every service we call.",
            "",
        ]
        per_group = max(1, len(order) // 10)
        for i, name in enumerate(order):
            if i % per_group == 0:
                out += [f"## Group {i // per_group + 1}", ""]
            owner, endpoint, latency = values[name]
            out += [
                f"### Service {i + 1}: {name}",
                f"- **Owner**: {owner}",
                f"- **Endpoint**: {endpoint}",
                f"- **Latency**: {latency}",
                "",
            ]
        out += [
            "---",
            "",
            f"**Blueprint Status**: {status}",
            "**Last Updated**: 2026-05-01",
            "**Author**: Ada Lovelace",
            "",
        ]
        return "\n".join(out)

    new_order = list(names)
    new_fields = {k: list(v) for k, v in fields.items()}
    for name in rng.sample(names, items // 20):
        new_fields[name][rng.randrange(3)] = f"changed-{rng.randint(1, 10**6)}"
    for name in rng.sample(names, items // 100):
        new_order.remove(name)
    for n in range(items // 100):
        name = f"svc-new-{n:04d}"
        new_fields[name] = [f"team-{rng.randint(1, 90)}", f"/v2/{name}", "10 ms"]
        new_order.insert(rng.randrange(len(new_order)), name)
    for _ in range(3):
        moved = new_order.pop(rng.randrange(len(new_order)))
        new_order.insert(rng.randrange(len(new_order)), moved)
    folder.mkdir(parents=True, exist_ok=True)
    old, new = folder / "catalogue-v1.md", folder / "catalogue-v2.md"
    old.write_text(render(names, fields, "Draft"), encoding="utf-8")
    new.write_text(render(new_order, new_fields, "Draft"), encoding="utf-8")
    return old, new


def bp_diff_usage(b: Bench) -> str | None:
    """``bp diff --help``'s text, or None when there is no ``bp diff`` yet."""
    proc = b.bp("diff", "--help")
    return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else None


def bench_diff(b: Bench) -> None:
    usage = bp_diff_usage(b)
    corpus = largest_corpus_pair()
    synthetic = synthetic_pair(b.workdir / "diff")
    cases: list[tuple[str, tuple[Path, Path], Target | None]] = []
    if corpus is not None:
        doc, first, second = corpus[0].parent.name, corpus[0].stem, corpus[1].stem
        cases.append(
            (f"`bp diff --no-index`, largest corpus pair ({doc} {first}→{second})", corpus, None)
        )
    cases.append(
        ("`bp diff --no-index`, 5,000-item blueprint pair", synthetic, Target("seconds", 1.0))
    )
    for what, (old, new), target in cases:
        shown = f"bp diff --no-index {old.name} {new.name}"
        if usage is None or "--no-index" not in usage:
            why = (
                "not available yet (bp diff does not exist)"
                if usage is None
                else "bp diff has no --no-index"
            )
            b.rows.append(Row(what, shown, target=target, note=why))
            continue
        mine, theirs = measure_pair(
            b.cmd(BP, "diff", "--no-index", str(old), str(new), ok=(0, 1)),
            b.cmd("git", "diff", "--no-index", *GIT_PLAIN_DIFF, str(old), str(new), ok=(0, 1)),
            b.runs.medium,
        )
        b.rows.append(
            Row(what, shown, mine, f"git diff --no-index {old.name} {new.name}", theirs, target)
        )


# -- reporting -----------------------------------------------------------------------------


def wait_for_idle(limit: float, seconds: float) -> dict[str, Any]:
    start = time.monotonic()
    first = load1()
    while load1() >= limit and time.monotonic() - start < seconds:
        time.sleep(5)
    waited = time.monotonic() - start
    return {
        "threshold": limit,
        "waited_s": round(waited, 1),
        "load1_at_start": first,
        "load1_after_wait": load1(),
        "idle": load1() < limit,
    }


def git_version() -> str:
    return (
        subprocess.run(["git", "--version"], capture_output=True, check=False)
        .stdout.decode()
        .strip()
    )


def source_state() -> dict[str, Any]:
    """The code being measured: the commit, the files of ``src/`` that differ from it, and
    a digest of those differences (others may be editing the tree while this runs)."""

    def out(*args: str) -> bytes:
        proc = subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, check=False)
        return proc.stdout

    dirty = [line[3:] for line in out("status", "--porcelain", "--", "src").decode().splitlines()]
    digest = hashlib.sha256(out("diff", "HEAD", "--", "src"))
    for name in sorted(dirty):
        with contextlib.suppress(OSError):
            digest.update((PROJECT / name).read_bytes())
    return {
        "commit": out("rev-parse", "HEAD").decode().strip(),
        "src_uncommitted": dirty,
        "src_digest": digest.hexdigest()[:16],
    }


def machine() -> dict[str, Any]:
    from importlib import metadata

    import git_blueprint

    return {
        "nproc": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "git": git_version(),
        "git_blueprint": git_blueprint.__version__,
        "typer": metadata.version("typer"),
        "markdown_it_py": metadata.version("markdown-it-py"),
    }


def cell_ratio(row: Row) -> str:
    if row.added_median is not None:
        return (
            f"+{_ms(row.added_median)} (×{row.ratio:.2f})"
            if row.ratio
            else f"+{_ms(row.added_median)}"
        )
    if row.ratio is not None:
        return f"{row.ratio:.2f}×"
    if row.memory is not None and row.baseline_memory is not None and row.peak:
        base = max(row.baseline_memory.largest_process, row.baseline_memory.tree or 0)
        return f"{row.peak / base:.2f}×"
    return ""


def markdown(rows: list[Row], header: dict[str, Any]) -> str:
    lines = [
        "| what | median | spread (min–max) | runs | git baseline (median) | ratio / added "
        "| target | met | others' CPU |",
        "|---|---:|---:|---:|---|---:|---|:-:|---:|",
    ]
    for r in rows:
        met = {True: "yes", False: "**no**", None: ""}[r.met]
        if r.memory is not None:
            tree = f"; tree {r.memory.tree / MB:.0f} MB" if r.memory.tree else ""
            median = f"{r.peak / MB:.0f} MB" if r.peak else ""
            spread = f"largest process {r.memory.largest_process / MB:.0f} MB{tree}"
            runs = "1"
        elif r.sample is not None:
            median, spread, runs = (
                _ms(r.sample.median),
                f"{_ms(r.sample.low)}–{_ms(r.sample.high)}",
                str(r.sample.runs),
            )
        else:
            median, spread, runs = r.note, "", "0"
        if r.baseline is not None:
            spread_b = f"{_ms(r.baseline.low)}–{_ms(r.baseline.high)}"
            base = f"`{r.baseline_command}` {_ms(r.baseline.median)} ({spread_b})"
        elif r.baseline_memory is not None:
            peak = max(r.baseline_memory.largest_process, r.baseline_memory.tree or 0)
            base = f"`{r.baseline_command}` {peak / MB:.0f} MB"
        else:
            base = ""
        target = r.target.describe() if r.target else ""
        others = r.sample.others_cpu if r.sample is not None else None
        busy = f"{others:.0%}" if others is not None else ""
        lines.append(
            f"| {r.what} | {median} | {spread} | {runs} | {base} | {cell_ratio(r)} "
            f"| {target} | {met} | {busy} |"
        )
    m, idle = header["machine"], header["idle"]
    share = header["others_cpu_share"]
    others_total = "an unknown share" if share is None else f"{share:.0%}"
    waited = (
        f"; waited {idle['waited_s']:.0f} s for it to drop below {idle['threshold']}, "
        f"it was {idle['load1_after_wait']:.2f} when measuring began"
        if idle["threshold"] is not None
        else ""
    )
    lines += [
        "",
        f"Machine: {m['nproc']} CPUs, {m['platform']}, Python {m['python']}, {m['git']}, "
        f"typer {m['typer']}. Repository: {header['params']}. Load average (1 min): "
        f"{header['load']['start'][0]:.2f} at the start{waited}, "
        f"{header['load']['end'][0]:.2f} at the end (the benchmark itself keeps about one "
        f"CPU busy); other processes used {others_total} of the machine's CPU time while it "
        f'measured (column "others\' CPU": during each row). Command: `{header["command"]}`.',
    ]
    source = header["source"]
    dirty = (
        f" with {len(source['src_uncommitted'])} uncommitted file(s) in src/"
        if source["src_uncommitted"]
        else ""
    )
    lines.append(f"Source: commit {source['commit'][:12]}{dirty}.")
    if header["source_changed_while_measuring"]:
        lines.append(
            "**Warning: src/ changed while the benchmark ran; rows measured different code. "
            "Run it again.**"
        )
    return "\n".join(lines) + "\n"


SECTIONS: dict[str, Callable[[Bench], None]] = {
    "startup": bench_startup,
    "list": bench_list,
    "commits": bench_commits,
    "log": bench_log,
    "verify": bench_verify,
    "diff": bench_diff,
    "git": bench_git,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help="a smaller repository, fewer runs (a smoke test)"
    )
    parser.add_argument(
        "--out", type=Path, default=HERE / "out", help="where results.json and results.md go"
    )
    parser.add_argument(
        "--workdir", type=Path, help="where the repository is generated (and reused)"
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before measuring, wait up to SECONDS for the 1-minute load average to drop below 0.5",
    )
    parser.add_argument(
        "--only",
        metavar="SECTIONS",
        help=f"measure only these sections, comma-separated: {', '.join(SECTIONS)} "
        "(for a quick comparison; the published table comes from a full run)",
    )
    args = parser.parse_args(argv)
    steps = list(SECTIONS.values())
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in SECTIONS]
        if unknown:
            parser.error(f"--only: unknown section(s) {', '.join(unknown)}")
        steps = [SECTIONS[n] for n in names]
    params, runs = (QUICK, QUICK_RUNS) if args.quick else (FULL, FULL_RUNS)
    workdir = args.workdir or Path(tempfile.gettempdir()) / f"git-blueprint-bench-{params.key()}"
    load_start = os.getloadavg()
    source_before = source_state()
    bench = Bench(workdir.resolve(), params, runs)
    meter = CpuMeter()
    try:
        summary = bench.prepare()
        idle: dict[str, Any] = {"threshold": None, "waited_s": 0, "idle": None}
        if args.wait_idle > 0:
            say(f"waiting up to {args.wait_idle:.0f} s for the load average to drop below 0.5 …")
            idle = wait_for_idle(0.5, args.wait_idle)
            say(f"load average {idle['load1_after_wait']:.2f} after {idle['waited_s']:.0f} s")
        meter = CpuMeter()
        for step in steps:
            say(f"measuring: {step.__name__.removeprefix('bench_')}")
            step(bench)
        others_cpu = meter.others()
    except CommandFailed as exc:
        say(f"a command failed: {exc}")
        return 1
    given = sys.argv[1:] if argv is None else argv
    command = " ".join([".venv/bin/python", "bench/run.py", *given])
    header: dict[str, Any] = {
        "schema": "git-blueprint/bench/1",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "quick": args.quick,
        "only": args.only,
        "params": f"{params.blueprints:,} blueprints, {summary.commits:,} commits, "
        f"one blueprint of {summary.big_versions} versions",
        "machine": machine(),
        "source": source_before,
        "source_changed_while_measuring": source_state() != source_before,
        "load": {"start": load_start, "end": os.getloadavg()},
        "idle": idle,
        "caches": sorted(p.name for p in (bench.repo / ".git").glob(CACHE_GLOB)),
        "others_cpu_share": others_cpu,
        "repository": {"path": str(bench.repo), **summary.to_json()},
    }
    table = markdown(bench.rows, header)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(
        json.dumps({**header, "rows": [r.to_json() for r in bench.rows]}, indent=2) + "\n"
    )
    (args.out / "results.md").write_text(table)
    print(table)
    if header["source_changed_while_measuring"]:
        say("src/ changed while measuring: the rows measured different code; run it again")
    say(f"wrote {args.out / 'results.json'} and {args.out / 'results.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
