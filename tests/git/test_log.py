"""Reading ``git log`` as git writes it (history.LogStream, read_log): the same commits as
parsing the whole output at once, whatever the read size; git stopped when the reader stops
early; git's failures and a full stderr pipe handled. And `bp verify`, which works on the
blobs while the log streams in, finding the same cold as warm, and caching the same."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Runner, git
from git_blueprint.errors import GitError
from git_blueprint.git import log as history
from git_blueprint.git.log import Commit, LogStream, read_log
from git_blueprint.git.objects import Blobs
from git_blueprint.history import verify
from git_blueprint.history.facts import CACHE_NAME, FactCache
from git_blueprint.history.verify import Verifier
from git_blueprint.store.config import load_config
from support.worlds import FILLED, GRACE, make_world

GRACE_ARGS = ("-c", "user.name=Grace Hopper", "-c", "user.email=grace@example.com")


def whole(
    cwd: Path,
    revisions: list[str],
    paths: list[str] | None = None,
    follow: bool = False,
    signatures: bool = False,
) -> list[Commit]:
    """The commits as read before streaming: all of git's output, decoded, then split."""
    args = history._log_args(revisions, paths or [], follow, signatures)
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True)
    data = proc.stdout.decode("utf-8", "surrogateescape")
    return [history._parse_commit(r, signatures) for r in data.split("\x1e")[1:]]


def commit_all(repo: Path, message: str, *extra: str) -> None:
    git(repo, "add", "-A")
    git(repo, *extra, "commit", "-q", "--no-verify", "-m", message)


def build_history(repo: Path) -> None:
    """Adds, edits, renames, a deletion, a merge with its own resolution (a combined
    diff), trailers, names and subjects in several scripts, and a path that is not UTF-8."""
    git(repo, "init", "-q")
    docs = repo / "blueprints"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nalpha\n" * 40)
    (docs / "b.md").write_text("# B\n\nbeta\n" * 40)
    (repo / "other.txt").write_text("x\n")
    commit_all(repo, "start: Grüße, 日本語, emoji 🎉")
    (docs / "a.md").write_text("# A\n\nalpha, again\n" * 40)
    commit_all(repo, "edit a\n\nBlueprint: a\nBlueprint-Status: Draft -> Review", *GRACE_ARGS)
    git(repo, "mv", "blueprints/b.md", "blueprints/b-renamed.md")
    commit_all(repo, "rename b")
    git(repo, "checkout", "-q", "-b", "side")
    (docs / "a.md").write_text("# A\n\nalpha, on the side\n" * 40)
    (docs / "c.md").write_text("# C — ünïcödé\n" * 30)
    commit_all(repo, "side: a and c")
    git(repo, "checkout", "-q", "main")
    (docs / "a.md").write_text("# A\n\nalpha, on main\n" * 40)
    odd = Path(os.fsdecode(repo / "blueprints" / os.fsdecode(b"caf\xe9.md")))
    odd.write_bytes(b"# Caf\xe9\n")
    commit_all(repo, "main: a, and a name that is not UTF-8")
    proc = subprocess.run(
        ["git", "merge", "-q", "--no-edit", "side"], cwd=repo, capture_output=True, check=False
    )
    assert proc.returncode != 0  # a conflict, resolved by hand below
    (docs / "a.md").write_text("# A\n\nalpha, merged\n" * 40)
    commit_all(repo, "merge side")
    git(repo, "rm", "-q", "blueprints/c.md")
    commit_all(repo, "drop c")


@pytest.fixture
def history_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "h"
    repo.mkdir()
    build_history(repo)
    return repo


@pytest.mark.parametrize("read_size", [1, 2, 3, 5, 64, 1000, 1 << 16])
def test_streamed_commits_equal_the_whole_parse(
    history_repo: Path, read_size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every read boundary, down to one byte: inside a multi-byte character, inside the
    separators, between records."""
    monkeypatch.setattr(history, "READ_SIZE", read_size)
    for revisions, paths, follow, signatures in [
        (["HEAD"], [], False, False),
        (["HEAD"], [], False, True),
        (["HEAD"], ["blueprints/"], False, False),
        (["HEAD~3..HEAD"], [], False, False),
        (["HEAD"], ["blueprints/b-renamed.md"], True, True),
    ]:
        expected = whole(history_repo, revisions, paths, follow, signatures)
        got = list(read_log(history_repo, revisions, paths, follow, signatures))
        assert got == expected
    commits = whole(history_repo, ["HEAD"])
    assert any(len(c.parents) == 2 and c.changes for c in commits)  # a combined diff
    assert any(ch.status == "R" for c in commits for ch in c.changes)
    assert any("\udce9" in ch.path for c in commits for ch in c.changes)
    assert any(c.trailer_moves == ("Draft -> Review",) for c in commits)


def test_no_commits_and_a_path_never_touched(history_repo: Path) -> None:
    assert list(read_log(history_repo, ["HEAD"], ["nowhere/"])) == []
    assert list(read_log(history_repo, ["HEAD..HEAD"])) == []


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("big")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["HOME"] = str(repo)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, env=env, check=True)
    proc = subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=repo,
        env=env,
        check=False,
        input=_fast_import(3000),
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr
    return repo


def _fast_import(commits: int) -> bytes:
    out = []
    for i in range(commits):
        body = f"{i}\n".encode()
        msg = (f"commit {i} " + "x" * 400).encode()
        out.append(b"commit refs/heads/main\n")
        out.append(b"committer A <a@example.com> %d +0000\n" % (1700000000 + i))
        out.append(b"data %d\n%s\n" % (len(msg), msg))
        out.append(b"M 100644 inline blueprints/f%d.md\ndata %d\n%s\n" % (i % 50, len(body), body))
    return b"".join(out)


def test_closing_early_kills_and_reaps_git(big_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = LogStream(big_repo, ["HEAD"])
    first: list[Commit] = []
    while not first:
        first = stream.poll()
    assert first[0].subject.startswith("commit 2999 ")
    stream.close()  # git is blocked on a full pipe: more than a megabyte is left to write
    assert stream.finished and stream._proc.returncode == -signal.SIGKILL
    stream.close()  # again: nothing left to do

    made: list[LogStream] = []

    class Recorded(LogStream):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            made.append(self)

    monkeypatch.setattr(history, "LogStream", Recorded)
    commits = read_log(big_repo, ["HEAD"])
    assert next(commits).subject.startswith("commit 2999 ")
    commits.close()
    assert made[0].finished and made[0]._proc.returncode == -signal.SIGKILL


def test_a_failing_git_log_raises_its_reason(history_repo: Path) -> None:
    with pytest.raises(GitError, match=r"^git log: bad revision 'no-such-rev'$"):
        list(read_log(history_repo, ["no-such-rev"]))
    # A failure after git has written the newer commits: the reason all the same.
    root = git(history_repo, "rev-list", "--max-parents=0", "HEAD").strip()
    tree = git(history_repo, "rev-parse", f"{root}:blueprints").strip()
    (history_repo / ".git" / "objects" / tree[:2] / tree[2:]).unlink()
    commits = read_log(history_repo, ["HEAD"])
    assert next(commits).subject == "drop c"
    with pytest.raises(GitError, match=r"^git log: .*" + tree[:7]):
        list(commits)


def test_much_stderr_never_stalls_the_reader(
    big_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git's pack tracing writes a megabyte to stderr while the log is written: both pipes
    are read as they fill, and the log is whole."""
    expected = whole(big_repo, ["HEAD"])
    monkeypatch.setenv("GIT_TRACE_PACK_ACCESS", "2")
    got: list[list[Commit]] = []
    reader = threading.Thread(target=lambda: got.append(list(read_log(big_repo, ["HEAD"]))))
    reader.daemon = True
    reader.start()
    reader.join(60)
    assert not reader.is_alive(), "read_log stalled"
    assert got[0] == expected and len(expected) == 3000


# --- bp verify, reading blobs while the log streams ------------------------------------


def verify_world(tmp_path: Path, bp: Runner) -> tuple[Path, Callable[[], None]]:
    """A history with violations (among them an incomplete entry into Review), legal status
    moves, a blob that comes back (so its facts are met twice), a rename and a merge."""
    world = make_world(tmp_path, bp)
    repo = world.client
    second = repo / "blueprints" / "second.md"
    second.write_text(FILLED.replace("Payment Gateway", "Second") + "\nSee `[RFC 7231]`.\n")
    world.run("add", "-A")
    world.run("commit", "-q", "-m", "second, with a bracket that is no placeholder")
    assert bp(repo, "promote", "second").code == 0
    assert bp(repo, "promote", "gateway").code == 0
    world.run("checkout", "-q", "-b", "side")
    third = repo / "blueprints" / "third.md"
    third.write_text(FILLED.replace("Payment Gateway", "Third") + "\n[Describe the rest]\n")
    world.run("add", "-A")
    world.run("commit", "-q", "--no-verify", "-m", "third")
    third.write_text(third.read_text().replace("Status**: Draft", "Status**: Review"))
    world.run("commit", "-q", "-a", "--no-verify", "-m", "third to review, incomplete")
    world.run("mv", "blueprints/third.md", "blueprints/fourth.md")
    world.run("commit", "-q", "--no-verify", "-m", "rename")
    world.run("checkout", "-q", "main")
    world.set_status("Draft")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "back to draft")
    world.set_status("Review")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "review again: the same blob")
    world.set_status("Approved")
    world.edit()
    world.run("commit", "-q", "-a", "--no-verify", "-m", "approve with an edit", env=GRACE)
    world.doc.write_text(world.doc.read_text() + "\nOne more line.\n")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "edit while approved")
    world.run("merge", "-q", "--no-ff", "--no-edit", "--no-verify", "side")

    def clear() -> None:  # every cache git-blueprint keeps in the git folder
        for f in (repo / ".git").glob("blueprint-*"):
            f.unlink()

    return repo, clear


def run_verifier(repo: Path) -> tuple[list[tuple[str | None, str, str]], int]:
    config = load_config(repo)
    git_dir = repo / ".git"
    verifier = Verifier(repo, git_dir, config, work_tree=repo, cache_dir=git_dir)
    found = [(v.commit, v.path, v.rule) for v in verifier.run(["HEAD"])]
    return found, verifier.mispredicted


def test_verify_cold_equals_warm_and_caches_as_it_checks(
    tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, clear = verify_world(tmp_path, bp)
    clear()
    cold, cold_misses = run_verifier(repo)
    assert cold_misses == 0
    config = load_config(repo)
    cached = FactCache(repo / ".git", config.names).facts
    assert cached
    warm, _ = run_verifier(repo)
    assert cold == warm
    rules = {rule for _, _, rule in cold}
    assert {"incomplete", "status-change-not-alone", "frozen-content"} <= rules

    # The cache lists the blobs in the order the checks meet them, oldest commit first,
    # as when the facts were worked out during the checks.
    verifier = Verifier(repo, repo / ".git", config, work_tree=repo)
    order: list[str] = []
    for commit in reversed(list(read_log(repo, ["HEAD"], verifier.layout.pathspec()))):
        for change in commit.changes:
            sides = [(change.path, change.new_sha)] if not change.deleted else []
            sides += [(change.old_path, sha) for sha in change.old_shas]
            for path, sha in sides:
                if verifier.is_blueprint(path) and sha not in order and set(sha) != {"0"}:
                    order.append(sha)
    assert list(cached) == order

    # No text kept for counting placeholders: they are read when counted.
    clear()
    monkeypatch.setattr(verify, "_KEPT_TEXT_BUDGET", 0)
    assert run_verifier(repo)[0] == cold

    # The command: the same report and exit code, cold and warm.
    clear()
    first = bp(repo, "verify", "HEAD", "--format", "json")
    second = bp(repo, "verify", "HEAD", "--format", "json")
    assert first.code == second.code == 1
    assert first.out == second.out
    assert len(json.loads(first.out)["violations"]) == len(cold)
    clear()
    text_cold = bp(repo, "verify", "HEAD")
    text_warm = bp(repo, "verify", "HEAD")
    assert (text_cold.code, text_cold.out, text_cold.err) == (
        text_warm.code,
        text_warm.out,
        text_warm.err,
    )


def test_verify_when_git_log_fails(tmp_path: Path, bp: Runner) -> None:
    """A bad revision, or history that breaks after git has written part of the log (the
    blobs of the newer commits already read): git's reason, nothing cached."""
    repo, clear = verify_world(tmp_path, bp)
    clear()
    config = load_config(repo)
    git_dir = repo / ".git"
    verifier = Verifier(repo, git_dir, config, work_tree=repo, cache_dir=git_dir)
    with pytest.raises(GitError, match=r"^git log: bad revision 'no-such-rev'$"):
        verifier.run(["no-such-rev"])
    root = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    tree = git(repo, "rev-parse", f"{root}^{{tree}}").strip()
    (git_dir / "objects" / tree[:2] / tree[2:]).unlink()
    with pytest.raises(GitError, match=r"^git log: .*" + tree[:7]):
        verifier.run(["HEAD"])
    assert not (git_dir / CACHE_NAME).exists()
    assert verifier.checked == 0


def test_blobs_expected_as_they_are_learnt(tmp_path: Path) -> None:
    """Ids given in batches as the log names them: answered in order, one already waiting
    not asked twice, and closing with answers unread does not hang on full pipes."""
    git(tmp_path, "init", "-q")
    contents = [f"{i}\n".encode() * 4000 for i in range(300)]  # ~5 MB
    shas = [git(tmp_path, "hash-object", "-w", "--stdin", input=c).strip() for c in contents]
    with Blobs(tmp_path) as blobs:
        blobs.expect([])
        blobs.expect(shas[:2])
        assert blobs.read(shas[0]) == contents[0]
        blobs.expect([shas[1], shas[2]])  # shas[1] is waiting already
        assert blobs.read(shas[1]) == contents[1]
        assert blobs.read(shas[2]) == contents[2]
        blobs.expect(shas[3:])
        assert blobs.read(shas[3]) == contents[3]
        assert blobs.mispredicted == 0
    assert blobs.mispredicted == 296
