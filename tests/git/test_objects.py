"""Reading blobs through the pipelined ``git cat-file --batch`` (history.Blobs): answers in
the order predicted from the log, out-of-order and unexpected requests still answered, and
the predictions `bp verify` and `bp log` make matching what they really read."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Runner, git
from git_blueprint.git.objects import Blobs
from git_blueprint.history.timeline import Timeline
from git_blueprint.history.verify import Verifier
from git_blueprint.store.config import load_config
from support.worlds import FILLED, GRACE, make_world

MISSING = "0123456789abcdef0123456789abcdef01234567"


def store(repo: Path, contents: list[bytes]) -> list[str]:
    return [git(repo, "hash-object", "-w", "--stdin", input=c).strip() for c in contents]


def test_answers_in_order_out_of_order_and_unexpected(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    a, b, c, d = store(tmp_path, [b"alpha\n", b"", b"gamma\n" * 5000, b"delta\n"])
    with Blobs(tmp_path, [a, b, MISSING, c, a]) as blobs:
        assert blobs.read(a) == b"alpha\n"
        assert blobs.read(b) == b""
        assert blobs.read(c) == b"gamma\n" * 5000  # MISSING skipped
        assert blobs.read(MISSING) is None  # asked late: from the second process
        assert blobs.read(d) == b"delta\n"  # never expected
        assert blobs.read(a) == b"alpha\n"  # again
        assert blobs.mispredicted == 4  # one skipped, three asked for off the stream
    with Blobs(tmp_path) as nothing_expected:
        assert nothing_expected.read(c) == b"gamma\n" * 5000
        assert nothing_expected.read(MISSING) is None


def test_closing_early_does_not_hang_on_full_pipes(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    shas = store(tmp_path, [f"{i}\n".encode() * 4000 for i in range(300)])  # ~5 MB
    with Blobs(tmp_path, shas) as blobs:
        assert blobs.read(shas[0]) == b"0\n" * 4000
    assert blobs.mispredicted == 299


def test_verify_and_log_read_what_they_predicted(tmp_path: Path, bp: Runner) -> None:
    """Trailers, status moves without them, a rename, a deletion and merges: a cold run
    reads every blob from the stream, in the order predicted, and finds what a warm run
    (no blob read) finds."""
    world = make_world(tmp_path, bp)
    repo = world.client
    second = repo / "blueprints" / "second.md"
    second.write_text(FILLED.replace("Payment Gateway", "Second"))
    world.run("add", "-A")
    world.run("commit", "-q", "-m", "second")
    assert bp(repo, "promote", "gateway").code == 0  # trailers
    world.run("checkout", "-q", "-b", "side")
    second.write_text(second.read_text().replace("Status**: Draft", "Status**: Review"))
    world.run("commit", "-q", "-a", "--no-verify", "-m", "no trailers")
    world.run("mv", "blueprints/second.md", "blueprints/renamed.md")
    world.run("commit", "-q", "--no-verify", "-m", "rename")
    world.run("checkout", "-q", "main")
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "approve", env=GRACE)
    world.run("merge", "-q", "--no-ff", "--no-edit", "side")
    (repo / "blueprints" / "third.md").write_text(FILLED.replace("Payment Gateway", "Third"))
    world.run("add", "-A")
    world.run("commit", "-q", "--no-verify", "-m", "third")
    world.run("rm", "-q", "blueprints/third.md")
    world.run("commit", "-q", "--no-verify", "-m", "gone")
    world.run("checkout", "-q", "-b", "evil", "HEAD~3")
    (repo / "x.txt").write_text("x\n")
    world.run("add", "x.txt")
    world.run("commit", "-q", "-m", "x")
    world.run("checkout", "-q", "main")
    world.run("merge", "-q", "--no-ff", "--no-commit", "evil")
    world.edit()
    world.run("add", "-A")
    world.run("commit", "-q", "--no-verify", "-m", "evil merge")

    # A branch that merges main in: the merge's second parent lies outside main..feature,
    # so its blob is first seen as the merge's second old version.
    world.run("checkout", "-q", "-b", "feature", "HEAD~5")
    doc = world.doc
    doc.write_text(doc.read_text().replace("## Performance Considerations", "## Performance"))
    world.run("commit", "-q", "-a", "--no-verify", "-m", "feature edit")
    world.run("merge", "-q", "--no-verify", "--no-edit", "main")
    assert world.run("rev-parse", "HEAD^2").stdout == world.run("rev-parse", "main").stdout

    config = load_config(repo)
    git_dir = repo / ".git"
    for f in git_dir.glob("blueprint-*.cache"):
        f.unlink()
    verifier = Verifier(repo, git_dir, config, "main", work_tree=repo, cache_dir=git_dir)
    verifier.run(["main..feature"])
    assert verifier.mispredicted == 0 and verifier.checked == 2
    world.run("checkout", "-q", "main")
    verified = []
    for f in git_dir.glob("blueprint-*.cache"):
        f.unlink()
    for state in ("cold", "warm"):
        verifier = Verifier(repo, git_dir, config, work_tree=repo, cache_dir=git_dir)
        verified.append([(v.rule, v.path, v.commit) for v in verifier.run(["HEAD"])])
        if state == "cold":  # warm, the texts counted for placeholders are read on demand
            assert verifier.mispredicted == 0
    assert verified[0] == verified[1]
    assert {rule for rule, _, _ in verified[0]} >= {"frozen-content"}

    for path in (None, "blueprints/renamed.md", "blueprints/gateway.md"):
        for f in git_dir.glob("blueprint-*.cache"):
            f.unlink()
        logs = []
        for _ in ("cold", "warm"):
            timeline = Timeline(repo, config, git_dir)
            logs.append([e.to_dict() for e in timeline.events(path)])
            assert timeline.mispredicted == 0
        assert logs[0] == logs[1] and logs[0]
    whole = json.loads(bp(repo, "log", "--format", "json").out)["events"]
    assert ("Draft", "Review", "content") in [(e["from"], e["to"], e["source"]) for e in whole]
    assert any(e["to"] is None for e in whole)  # the deletion


def test_blobs_survive_git_stopping(tmp_path: Path) -> None:
    """A wrong id in the requests (not hex) is git's "missing", not a stall."""
    git(tmp_path, "init", "-q")
    (a,) = store(tmp_path, [b"alpha\n"])
    with Blobs(tmp_path, ["not an id", a]) as blobs:
        assert blobs.read("not an id") is None
        assert blobs.read(a) == b"alpha\n"


def test_a_complaint_that_lists_paths_keeps_them() -> None:
    """git's "…:" line is followed by what it introduces; hints are left out."""
    from git_blueprint.git.process import complaint

    stderr = (
        b"The following paths are ignored by one of your .gitignore files:\n"
        b"blueprints/drafts\n"
        b"hint: Use -f if you really want to add them.\n"
    )
    assert complaint(stderr) == (
        "The following paths are ignored by one of your .gitignore files: blueprints/drafts"
    )
    assert complaint(b"fatal: bad revision 'x'\n") == "bad revision 'x'"
    assert complaint(b"") == "git failed without a message"
