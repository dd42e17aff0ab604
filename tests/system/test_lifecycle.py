"""The whole life of a blueprint, signed approvals, merges, renames, shallow clones and the
server hook's ref handling."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import Runner, git, snapshot
from support.worlds import FILLED, GRACE, World, make_world, reach


def bp_ok(bp: Runner, cwd: Path, *args: str) -> str:
    result = bp(cwd, *args)
    assert result.code == 0, result.err
    return result.out


def test_the_whole_life(tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    assert bp(tmp_path, "init", "repo").code == 0
    repo = tmp_path / "repo"
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "set up")

    def at(day: str, who: dict[str, str] | None = None) -> None:
        monkeypatch.setenv("GIT_COMMITTER_DATE", f"2026-11-{day}T10:00:00+00:00")
        monkeypatch.setenv("GIT_AUTHOR_DATE", f"2026-11-{day}T10:00:00+00:00")
        for key, value in (
            who
            or {
                "GIT_AUTHOR_NAME": "Ada Lovelace",
                "GIT_AUTHOR_EMAIL": "ada@example.com",
                "GIT_COMMITTER_NAME": "Ada Lovelace",
                "GIT_COMMITTER_EMAIL": "ada@example.com",
            }
        ).items():
            monkeypatch.setenv(key, value)

    at("01")
    bp_ok(bp, repo, "new", "Gateway")
    at("02")
    doc = repo / "blueprints/gateway.md"
    doc.write_text(FILLED.replace("Payment Gateway", "Gateway").replace("2026-01-05", "2026-11-01"))
    git(repo, "commit", "-q", "-a", "-m", "fill")
    at("03")
    bp_ok(bp, repo, "promote", "gateway")
    at("04", GRACE)
    bp_ok(bp, repo, "promote", "gateway")
    at("05")
    bp_ok(bp, repo, "demote", "gateway")
    at("06")
    doc.write_text(doc.read_text().replace("Takes card payments", "Takes card and wallet payments"))
    git(repo, "commit", "-q", "-a", "-m", "edit")
    at("07")
    bp_ok(bp, repo, "promote", "gateway")

    data = json.loads(bp_ok(bp, repo, "log", "gateway", "--format", "json"))
    assert data["schema"] == "git-blueprint/log/1"
    got = [
        (e["date"][:10], e["from"], e["to"], e["author"]["name"], e["source"])
        for e in data["events"]
    ]
    assert got == [
        ("2026-11-01", None, "Draft", "Ada Lovelace", "content"),
        ("2026-11-03", "Draft", "Review", "Ada Lovelace", "trailer"),
        ("2026-11-04", "Review", "Approved", "Grace Hopper", "trailer"),
        ("2026-11-05", "Approved", "Draft", "Ada Lovelace", "trailer"),
        ("2026-11-07", "Draft", "Review", "Ada Lovelace", "trailer"),
    ]
    commits = git(repo, "log", "--format=%H", "--reverse").split()
    assert [e["commit"] for e in data["events"]] == [
        commits[1],
        commits[3],
        commits[4],
        commits[5],
        commits[7],
    ]
    assert all(e["signature"] == "N" for e in data["events"])
    text = bp_ok(bp, repo, "log")
    assert "Review -> Approved  Grace Hopper" in text
    assert bp(repo, "verify").code == 0
    final = doc.read_text()
    assert "**Blueprint Status**: Review\n**Last Updated**: 2026-11-07\n" in final


def test_log_follows_renames_and_reads_history_without_trailers(tmp_path: Path, bp: Runner) -> None:
    assert bp(tmp_path, "init", "repo").code == 0
    repo = tmp_path / "repo"
    (repo / "blueprints/old-name.md").write_text(FILLED)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "add")
    doc = repo / "blueprints/old-name.md"
    doc.write_text(doc.read_text().replace("Status**: Draft", "Status**: Review"))
    git(repo, "commit", "-q", "-a", "--no-verify", "-m", "no trailers here")
    git(repo, "mv", "blueprints/old-name.md", "blueprints/new-name.md")
    git(repo, "commit", "-q", "--no-verify", "-m", "rename")
    data = json.loads(bp_ok(bp, repo, "log", "new-name", "--format", "json"))
    assert [(e["id"], e["from"], e["to"], e["source"]) for e in data["events"]] == [
        ("new-name", None, "Draft", "content"),
        ("new-name", "Draft", "Review", "content"),
    ]
    # Each event names the path the commit changed: the blueprint's name then.
    assert {e["path"] for e in data["events"]} == {"blueprints/old-name.md"}
    assert bp(repo, "verify").code == 0  # the rename keeps the history: no frozen-deleted
    # Asked by its old name, the log says where it went and shows it, not "deleted".
    for old in ("old-name", "blueprints/old-name.md"):
        by_old = bp(repo, "log", old)
        assert by_old.code == 0, by_old.err
        assert "blueprints/old-name.md was renamed to blueprints/new-name.md" in by_old.err
        assert "deleted" not in by_old.out and "Draft -> Review" in by_old.out


def test_log_of_a_deleted_blueprint_by_path(tmp_path: Path, bp: Runner) -> None:
    """`bp log blueprints/x.md` after x was deleted works as `bp log x` does."""
    assert bp(tmp_path, "init", "repo").code == 0
    repo = tmp_path / "repo"
    (repo / "blueprints/x.md").write_text(FILLED)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "add")
    git(repo, "rm", "-q", "blueprints/x.md")
    git(repo, "commit", "-q", "-m", "remove")
    by_id, by_path = bp(repo, "log", "x"), bp(repo, "log", "blueprints/x.md")
    assert by_id.code == 0 and by_path.code == 0, by_path.err
    assert by_id.out == by_path.out and "deleted (Draft)" in by_path.out
    assert bp(repo, "log", "blueprints/nothing.md").code == 2


def test_log_believes_a_trailer_only_where_the_content_agrees(tmp_path: Path, bp: Runner) -> None:
    """A trailer naming a blueprint the commit did not change, or a move its content does
    not show, makes no event: `bp log` says what the files say (issue: any trailer was
    believed)."""
    assert bp(tmp_path, "init", "repo").code == 0
    repo = tmp_path / "repo"
    for name in ("a", "b"):
        (repo / f"blueprints/{name}.md").write_text(FILLED)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "add")
    doc = repo / "blueprints/a.md"
    doc.write_text(doc.read_text().replace("Takes card payments", "Takes card and wallet payments"))
    lie = ["--trailer", "Blueprint: b", "--trailer", "Blueprint-Status: Draft -> Approved"]
    git(repo, "commit", "-q", "-a", "--no-verify", "-m", "edit a", *lie)
    doc.write_text(doc.read_text().replace("and wallet ", ""))
    lie = ["--trailer", "Blueprint: a", "--trailer", "Blueprint-Status: Draft -> Approved"]
    git(repo, "commit", "-q", "-a", "--no-verify", "-m", "edit a again", *lie)
    doc.write_text(doc.read_text().replace("Status**: Draft", "Status**: Review"))
    said = ["--trailer", "Blueprint: a", "--trailer", "Blueprint-Status: Draft -> Review"]
    git(repo, "commit", "-q", "-a", "--no-verify", "-m", "a to Review", *said)
    data = json.loads(bp_ok(bp, repo, "log", "--format", "json"))
    assert [(e["id"], e["from"], e["to"], e["source"]) for e in data["events"]] == [
        ("a", None, "Draft", "content"),
        ("b", None, "Draft", "content"),
        ("a", "Draft", "Review", "trailer"),
    ]
    data = json.loads(bp_ok(bp, repo, "log", "b", "--format", "json"))
    assert [(e["from"], e["to"]) for e in data["events"]] == [(None, "Draft")]


def test_signed_approvals(tmp_path: Path, bp: Runner) -> None:
    world = make_world(tmp_path, bp, "signed: [Approved]\n", signer=True)
    reach(world, "Review")
    base = world.run("rev-parse", "HEAD").stdout.strip()

    def approve(env: dict[str, str]) -> dict[str, object]:
        world.run("reset", "-q", "--hard", base)
        world.set_status("Approved")
        world.run("commit", "-q", "-a", "--no-verify", "-m", "approve", env=env)
        return json.loads(bp(world.client, "verify", f"{base}..HEAD", "--format", "json").out)

    assert approve({**GRACE, **world.sign_env()})["violations"] == []
    assert [v["rule"] for v in approve(GRACE)["violations"]] == ["unsigned"]  # type: ignore[index]
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    unlisted = {**GRACE, **world.sign_env(), "GIT_CONFIG_VALUE_1": f"{other}.pub"}
    found = approve(unlisted)["violations"]
    assert [v["rule"] for v in found] == ["unsigned"]  # type: ignore[union-attr,index]
    assert "not in the allowed signers" in found[0]["message"]  # type: ignore[index]

    # The signer file changed in the same push: the base revision's file still decides.
    world.run("reset", "-q", "--hard", base)
    signers = world.client / ".blueprint" / "allowed_signers"
    pub = Path(f"{other}.pub").read_text().split()
    signers.write_text(
        signers.read_text() + f'grace@example.com namespaces="git" {pub[0]} {pub[1]}\n'
    )
    world.run("commit", "-q", "-a", "-m", "add my other key")
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "approve", env=unlisted)
    before = world.server_ref()
    pushed = world.run("push", "-q", "--no-verify", "origin", "main", check=False)
    assert pushed.returncode != 0 and ": unsigned: " in pushed.stderr
    assert world.server_ref() == before


def test_log_shows_each_commits_signature_state(tmp_path: Path, bp: Runner) -> None:
    """`bp log` reads ``%G?`` from its one ``git log``: the state git gives each commit, as
    the repository's own config judges it, both for the whole log and for one blueprint
    followed across a rename."""
    world = make_world(tmp_path, bp, "signed: [Approved]\n", signer=True)
    signers = world.client / ".blueprint" / "allowed_signers"
    world.run("config", "gpg.ssh.allowedSignersFile", str(signers))
    reach(world, "Approved")  # Review unsigned, Approved signed by Grace's listed key
    world.edit()  # a signed commit that moves no status: no event
    world.run("commit", "-q", "-a", "--no-verify", "-m", "signed edit", env=world.sign_env())
    world.run("mv", "blueprints/gateway.md", "blueprints/payments.md")
    world.run("commit", "-q", "--no-verify", "-m", "rename")
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    doc = world.client / "blueprints" / "payments.md"
    doc.write_text(doc.read_text().replace("Status**: Approved", "Status**: Draft"))
    unlisted = {**world.sign_env(), "GIT_CONFIG_VALUE_1": f"{other}.pub"}
    world.run("commit", "-q", "-a", "--no-verify", "-m", "demote", env=unlisted)
    states = dict(
        line.split(" ") for line in world.run("log", "--format=%H %G?").stdout.splitlines()
    )
    assert sorted(states.values()) == ["G", "G", "N", "N", "N", "U"]

    for args in (("log", "payments"), ("log",)):
        data = json.loads(bp_ok(bp, world.client, *args, "--format", "json"))
        got = [(e["from"], e["to"], e["signature"]) for e in data["events"]]
        assert got == [
            (None, "Draft", "N"),
            ("Draft", "Review", "N"),
            ("Review", "Approved", "G"),
            ("Approved", "Draft", "U"),
        ]
        assert all(e["signature"] == states[e["commit"]] for e in data["events"])
        signers = [e["signer"] for e in data["events"]]
        assert signers == [None, None, "grace@example.com", None]
    text = bp_ok(bp, world.client, "log", "payments")
    assert "Review -> Approved  Grace Hopper" in text
    assert "  signed by grace@example.com\n" in text and "signed (key not allowed)" in text


def test_log_judges_signatures_by_the_committed_allowed_signers(tmp_path: Path, bp: Runner) -> None:
    """Without `gpg.ssh.allowedSignersFile` in the repository's config, `bp log` judges each
    signature by the allowed-signers file committed at HEAD, as `bp verify` does by the
    base's: a good approval by a listed key is `G`, not `N` (issue: it read `%G?` blind)."""
    world = make_world(tmp_path, bp, "signed: [Approved]\n", signer=True)
    assert world.run("config", "gpg.ssh.allowedSignersFile", check=False).returncode == 1
    reach(world, "Approved")
    data = json.loads(bp_ok(bp, world.client, "log", "gateway", "--format", "json"))
    got = [(e["to"], e["signature"]) for e in data["events"]]
    assert got == [("Draft", "N"), ("Review", "N"), ("Approved", "G")]
    assert (
        json.loads(bp_ok(bp, world.client, "log", "--format", "json"))["events"][-1]["signature"]
        == "G"
    )


def test_merge_of_a_reviewed_branch_is_judged_on_what_the_merge_changed(
    tmp_path: Path, bp: Runner
) -> None:
    world = make_world(tmp_path, bp)
    world.run("checkout", "-q", "-b", "review")
    world.set_status("Review")
    world.run("commit", "-q", "-a", "-m", "review")
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "-m", "approve", env=GRACE)
    world.run("checkout", "-q", "main")
    (world.client / "notes.txt").write_text("meanwhile\n")
    world.run("add", "notes.txt")
    world.run("commit", "-q", "-m", "meanwhile")
    world.run("merge", "-q", "--no-ff", "--no-edit", "review")
    assert bp(world.client, "verify", "origin/main..HEAD").code == 0
    world.run("push", "-q", "origin", "main")  # the server agrees
    assert world.server_ref() == world.run("rev-parse", "HEAD").stdout


def test_merge_that_changes_approved_content_is_caught(tmp_path: Path, bp: Runner) -> None:
    world = make_world(tmp_path, bp)
    reach(world, "Approved")
    base = world.run("rev-parse", "HEAD").stdout.strip()
    world.run("checkout", "-q", "-b", "side")
    (world.client / "x.txt").write_text("x\n")
    world.run("add", "x.txt")
    world.run("commit", "-q", "-m", "side")
    world.run("checkout", "-q", "main")
    world.run("merge", "-q", "--no-ff", "--no-commit", "side")
    world.edit()
    world.run("add", "-A")
    world.run("commit", "-q", "--no-verify", "-m", "evil merge")
    found = json.loads(bp(world.client, "verify", f"{base}..HEAD", "--format", "json").out)
    assert [v["rule"] for v in found["violations"]] == ["frozen-content"]


def test_shallow_clone_is_a_clear_error(tmp_path: Path, bp: Runner) -> None:
    world = make_world(tmp_path, bp)
    reach(world, "Approved")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{world.server}", str(shallow))
    result = bp(shallow, "verify", "HEAD")
    assert result.code == 2
    assert "shallow" in result.err and "fetch-depth: 0" in result.err
    missing = bp(shallow, "verify", "HEAD~2..HEAD")
    assert missing.code == 2 and "not a commit here" in missing.err


def test_server_handles_created_and_deleted_refs(tmp_path: Path, bp: Runner) -> None:
    world = make_world(tmp_path, bp)
    world.run("checkout", "-q", "-b", "feature")
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "skip review", env=GRACE)
    pushed = world.run("push", "-q", "--no-verify", "origin", "feature", check=False)
    assert pushed.returncode != 0 and ": illegal-transition: " in pushed.stderr
    assert git(world.server, "branch", "--list", "feature") == ""
    world.run("reset", "-q", "--hard", "main")
    world.run("push", "-q", "origin", "feature")  # a new ref with nothing new: accepted
    world.run("push", "-q", "origin", ":feature")  # deleting a ref: accepted
    assert git(world.server, "branch", "--list", "feature") == ""


def test_promote_refusals(tmp_path: Path, bp: Runner) -> None:
    world: World = make_world(tmp_path, bp)
    (world.client / "staged.txt").write_text("staged\n")
    world.run("add", "staged.txt")
    world.edit()
    dirty = bp(world.client, "promote", "gateway")
    assert dirty.code == 2 and "uncommitted changes" in dirty.err
    world.run("checkout", "-q", "--", "blueprints/gateway.md")
    ok = bp(world.client, "promote", "gateway")
    assert ok.code == 0, ok.err
    assert world.run("status", "--porcelain").stdout == "A  staged.txt\n"
    assert world.run("log", "-1", "--format=%B").stdout == (
        "gateway: Draft -> Review\n\nBlueprint: gateway\nBlueprint-Status: Draft -> Review\n\n"
    )
    mine = bp(world.client, "promote", "gateway")
    assert mine.code == 1
    assert mine.err == (
        "blueprints/gateway.md: four-eyes: Ada Lovelace is the blueprint's Author and cannot"
        " move it to Approved\n"
        "    fix: someone other than Ada Lovelace must make the commit that moves it to"
        " Approved: `bp promote gateway`\n"
        "git-blueprint: error: blueprints/gateway.md: not promoted (Review -> Approved):"
        " 1 workflow rule(s) broken; nothing changed\n"
    )
    skip = bp(world.client, "promote", "gateway", "--to", "Nope")
    assert skip.code == 2 and "--to 'Nope': not one of Draft, Review, Approved" in skip.err
    back = bp(world.client, "demote", "gateway", "--to", "Approved")
    assert back.code == 2
    assert "Approved comes after Review; use `bp promote gateway --to Approved`" in back.err
    same = bp(world.client, "promote", "gateway", "--to", "review")
    assert same.code == 2 and "already Review" in same.err
    assert world.run("status", "--porcelain").stdout == "A  staged.txt\n"


def repo_state(root: Path) -> tuple[object, ...]:
    """The working files, the index file and HEAD: what a refused move leaves as it was."""
    index = (root / ".git" / "index").read_bytes()
    return snapshot(root), index, git(root, "rev-parse", "HEAD")


def placeholder_in_draft(world: World) -> None:
    world.doc.write_text(world.doc.read_text().replace("Takes card payments", "[What it does]"))
    world.run("commit", "-q", "-a", "-m", "a placeholder back in Draft")


@dataclass
class Refusal:
    prepare: Callable[[World], None]
    args: tuple[str, ...]
    target: str  # the status the move would commit
    env: dict[str, str] | None = None  # who runs the command


REFUSALS = {
    "incomplete": Refusal(placeholder_in_draft, ("promote", "gateway"), "Review"),
    "four-eyes": Refusal(lambda w: reach(w, "Review"), ("promote", "gateway"), "Approved"),
    "illegal-transition": Refusal(
        lambda w: None, ("promote", "gateway", "--to", "Approved"), "Approved", GRACE
    ),
    "illegal-transition-back": Refusal(
        lambda w: reach(w, "Approved"), ("demote", "gateway", "--to", "Review"), "Review"
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_refused_move_names_the_rule_the_hook_names_and_changes_nothing(
    case: str, tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule = case.removesuffix("-back")
    refusal = REFUSALS[case]
    world = make_world(tmp_path, bp)
    refusal.prepare(world)
    for key, value in (refusal.env or {}).items():
        monkeypatch.setenv(key, value)
    verb = refusal.args[0]
    for no_commit in ((), ("--no-commit",)):
        before = repo_state(world.client)
        refused = bp(world.client, *refusal.args, *no_commit)
        assert refused.code == 1, refused.err
        assert repo_state(world.client) == before
        *violations, error = refused.err.splitlines()
        assert f"blueprints/gateway.md: {rule}: " in violations[0]
        assert violations[1].startswith("    fix: ")
        assert error.startswith(f"git-blueprint: error: blueprints/gateway.md: not {verb}d (")
        assert error.endswith("workflow rule(s) broken; nothing changed")

    # The same move made by hand: the pre-commit hook refuses it in the same words.
    world.set_status(refusal.target)
    by_hand = world.run("commit", "-q", "-a", "-m", "by hand", env=refusal.env, check=False)
    assert by_hand.returncode == 1
    assert set(violations) <= set(by_hand.stderr.splitlines()), by_hand.stderr


def test_a_move_into_a_signed_status_is_judged_as_the_signed_commit_it_makes(
    tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(tmp_path, bp, "signed: [Approved]\n", signer=True)
    reach(world, "Review")
    for key, value in {**GRACE, **world.sign_env()}.items():
        monkeypatch.setenv(key, value)
    promoted = bp(world.client, "promote", "gateway")
    assert promoted.code == 0, promoted.err
    assert "\ngpgsig " in world.run("cat-file", "commit", "HEAD").stdout
    assert bp(world.client, "verify", "HEAD~1..HEAD").code == 0


@pytest.mark.parametrize("how", ["bp promote", "git commit -S"])
def test_a_signed_approval_without_commit_gpgsign_passes_the_hooks(
    how: str, tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With only `gpg.format` and `user.signingkey` set — no `commit.gpgsign` — a reviewer's
    signed approval, by `bp promote` (which passes `-S`) or by hand with `-S`, passes the
    hooks, is signed by a listed key, and verifies (issue: the pre-commit hook judged it
    unsigned by `commit.gpgsign`)."""
    world = make_world(tmp_path, bp, "signed: [Approved]\n", signer=True)
    reach(world, "Review")
    assert world.key is not None
    world.run("config", "gpg.format", "ssh")
    world.run("config", "user.signingkey", f"{world.key}.pub")
    assert world.run("config", "commit.gpgsign", check=False).returncode == 1
    for key, value in GRACE.items():
        monkeypatch.setenv(key, value)
    if how == "bp promote":
        promoted = bp(world.client, "promote", "gateway")
        assert promoted.code == 0, promoted.err
    else:
        world.set_status("Approved")
        world.run("commit", "-q", "-a", "-S", "-m", "approve")
    assert "\ngpgsig " in world.run("cat-file", "commit", "HEAD").stdout
    assert bp(world.client, "verify", "HEAD~1..HEAD").code == 0
    world.run("push", "-q", "origin", "main")  # pre-push and the server agree
    assert world.server_ref().strip() == world.run("rev-parse", "HEAD").stdout.strip()


def test_an_unsigned_approval_is_stopped_before_it_leaves(tmp_path: Path, bp: Runner) -> None:
    """The pre-commit hook cannot see `-S`, so an unsigned approval is committed; the
    pre-push hook, which reads the signature, refuses to push it."""
    world = make_world(tmp_path, bp, "signed: [Approved]\n", signer=True)
    reach(world, "Review")
    before = world.server_ref()
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "-m", "approve", env=GRACE)
    pushed = world.run("push", "-q", "origin", "main", check=False)
    assert pushed.returncode != 0 and ": unsigned: " in pushed.stderr
    assert world.server_ref() == before
