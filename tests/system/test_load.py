"""Load: 20 processes committing blueprints at once in one repository, and 20 pushes at once
to a bare repository with the pre-receive hook. Every commit lands stamped and checked or is
refused with a message; no file is lost or corrupted; every object is valid."""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import Runner, git
from support.worlds import FILLED, GRACE

N = 20


def start(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        args,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_parallel_commits_in_one_repository(repo: Path, bp: Runner) -> None:
    folder = repo / "blueprints"
    for i in range(N):
        (folder / f"bp-{i:02d}.md").write_text(FILLED.replace("Payment Gateway", f"Gateway {i}"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "twenty drafts")
    edits = {}
    for i in range(N):
        path = folder / f"bp-{i:02d}.md"
        edits[i] = path.read_text().replace("Takes card payments", f"Takes card payments, edit {i}")
        path.write_text(edits[i])
    procs = [
        start(["git", "commit", "-q", "-m", f"edit {i}", "--", f"blueprints/bp-{i:02d}.md"], repo)
        for i in range(N)
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    landed = [i for i, (code, _) in enumerate(outcomes) if code == 0]
    assert landed, "at least one commit must land"
    for i, (code, err) in enumerate(outcomes):
        if code != 0:
            assert "index.lock" in err or "lock" in err, err  # refused with git's or our message
        path = folder / f"bp-{i:02d}.md"
        work = path.read_text()
        assert f"edit {i}" in work  # the user's bytes are never lost
        if code == 0:
            blob = git(repo, "show", f"HEAD:blueprints/bp-{i:02d}.md")
            assert f"edit {i}" in blob and "**Last Updated**: 2026-11-27" in blob
            assert work == blob
        else:
            assert work in (edits[i], edits[i].replace("2026-01-05", "2026-11-27"))
    assert git(repo, "rev-list", "--count", "HEAD") == f"{2 + len(landed)}\n"
    subprocess.run(
        ["git", "fsck", "--strict", "--no-progress"], cwd=repo, check=True, capture_output=True
    )
    # What did not land commits cleanly afterwards, one at a time.
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the rest")
    assert git(repo, "status", "--porcelain") == ""
    assert bp(repo, "verify").code == 0


def test_parallel_pushes_to_a_bare_repository(tmp_path: Path, bp: Runner) -> None:
    server = tmp_path / "server.git"
    git(tmp_path, "init", "-q", "--bare", str(server))
    assert bp(server, "hooks", "install", "--server").code == 0
    assert bp(tmp_path, "init", "seed").code == 0
    seed = tmp_path / "seed"
    (seed / "blueprints/gateway.md").write_text(FILLED)
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "seed")
    git(seed, "remote", "add", "origin", str(server))
    git(seed, "push", "-q", "origin", "main")

    clones = []
    for i in range(N):
        clone = tmp_path / f"clone-{i:02d}"
        git(tmp_path, "clone", "-q", str(server), str(clone))
        doc = clone / "blueprints/gateway.md"
        if i % 2:  # odd clones break the workflow: Draft -> Approved
            doc.write_text(doc.read_text().replace("Status**: Draft", "Status**: Approved"))
        else:
            doc.write_text(
                doc.read_text().replace("Takes card payments", f"Takes payments, branch {i}")
            )
        subprocess.run(
            ["git", "commit", "-q", "-a", "--no-verify", "-m", f"change {i}"],
            cwd=clone,
            check=True,
            env={**os.environ, **GRACE},
        )
        clones.append(clone)

    def push(i: int) -> tuple[int, str]:
        proc = subprocess.run(
            ["git", "push", "-q", "--no-verify", "origin", f"HEAD:refs/heads/b{i:02d}"],
            cwd=clones[i],
            capture_output=True,
            text=True,
        )
        return proc.returncode, proc.stderr

    with ThreadPoolExecutor(max_workers=N) as pool:
        results = list(pool.map(push, range(N)))
    for i, (code, err) in enumerate(results):
        branch = git(server, "branch", "--list", f"b{i:02d}").strip()
        if i % 2:
            assert code != 0 and ": illegal-transition: " in err, err
            assert branch == ""
        else:
            assert code == 0, err
            assert branch == f"b{i:02d}"
            head = git(clones[i], "rev-parse", "HEAD")
            assert git(server, "rev-parse", f"refs/heads/b{i:02d}") == head
    subprocess.run(
        ["git", "fsck", "--strict", "--no-progress"], cwd=server, check=True, capture_output=True
    )
