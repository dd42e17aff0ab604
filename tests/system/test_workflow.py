"""Every workflow rule in the three places it is enforced: refused by the pre-commit hook;
committed with --no-verify and caught by `bp verify` (and by the pre-push hook); pushed
past the client and rejected by the server's pre-receive hook, the bare repository's ref
unchanged. And the legal variant of each, accepted in all three places."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import Runner
from support.worlds import (
    CASES,
    GRACE,
    make_world,
    reach,
)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_in_all_three_places(rule: str, tmp_path: Path, bp: Runner) -> None:
    case = CASES[rule]
    world = make_world(tmp_path, bp, case.config, case.signer)
    reach(world, case.start)
    base = world.run("rev-parse", "HEAD").stdout.strip()
    server_before = world.server_ref()

    # 1. The pre-commit hook refuses, HEAD unchanged. It cannot see `git commit -S`, so it
    #    leaves `unsigned` to the places that read the signature: it lets that commit by.
    env = case.violate(world)
    head = world.run("rev-parse", "HEAD").stdout.strip()
    refused = world.run("commit", "-q", "-a", "-m", "break the rule", env=env, check=False)
    if rule == "unsigned":
        assert refused.returncode == 0, refused.stderr
        world.run("reset", "-q", "--soft", head)
    else:
        assert refused.returncode == 1, refused.stderr
        assert f": {rule}: " in refused.stderr
        assert "fix: " in refused.stderr
    assert world.run("rev-parse", "HEAD").stdout.strip() == head

    # 2. Committed with --no-verify: bp verify finds it, and so does the pre-push hook.
    world.run("commit", "-q", "-a", "--no-verify", "-m", "break the rule", env=env)
    found = bp(world.client, "verify", f"{base}..HEAD", "--format", "json")
    assert found.code == 1, found.err
    data = json.loads(found.out)
    assert data["schema"] == "git-blueprint/verify/1"
    assert rule in {v["rule"] for v in data["violations"]}
    bad = world.run("rev-parse", "HEAD").stdout.strip()
    assert any(v["commit"] == bad for v in data["violations"])
    pushed = world.run("push", "-q", "origin", "main", check=False)
    assert pushed.returncode != 0 and f": {rule}: " in pushed.stderr
    assert world.server_ref() == server_before

    # 3. Past the client's hooks: the server's pre-receive hook rejects it.
    pushed = world.run("push", "-q", "--no-verify", "origin", "main", check=False)
    assert pushed.returncode != 0
    assert f": {rule}: " in pushed.stderr and "remote:" in pushed.stderr
    assert world.server_ref() == server_before

    # The legal variant passes everywhere.
    world.run("reset", "-q", "--hard", base)
    env = case.legal(world)
    world.run("commit", "-q", "-a", "-m", "the legal way", env=env)
    ok = bp(world.client, "verify", f"{base}..HEAD")
    assert ok.code == 0, ok.out + ok.err
    world.run("push", "-q", "origin", "main")
    assert world.server_ref() == world.run("rev-parse", "HEAD").stdout


@pytest.mark.parametrize("name", ["Ada  Lovelace", "ADA LOVELACE", "Ada\u00a0Lovelace"])
def test_the_author_respelled_is_still_the_author(name: str, tmp_path: Path, bp: Runner) -> None:
    """The Author approving under their own name written another way (a double space, other
    case, a no-break space) and another email is refused in all three places."""
    world = make_world(tmp_path, bp)
    reach(world, "Review")
    base = world.run("rev-parse", "HEAD").stdout.strip()
    other = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": "ada.other@example.com",
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": "ada.other@example.com",
    }
    world.set_status("Approved")
    refused = world.run("commit", "-q", "-a", "-m", "approve", env=other, check=False)
    assert refused.returncode == 1 and "four-eyes" in refused.stderr
    world.run("commit", "-q", "-a", "--no-verify", "-m", "approve", env=other)
    verified = world.bp(world.client, "verify", f"{base}..HEAD")
    assert verified.code == 1 and "four-eyes" in verified.out + verified.err
    pushed = world.run("push", "-q", "--no-verify", "origin", "main", check=False)
    assert pushed.returncode != 0 and "four-eyes" in pushed.stderr
    assert world.server_ref().strip() == base


RELAXED = (
    "transitions:\n  Draft: [Review, Approved]\n  Review: [Approved, Draft]\n"
    "  Approved: [Draft]\nfour_eyes: []\n"
)


def test_rules_relaxed_on_a_branch_do_not_land_with_it(tmp_path: Path, bp: Runner) -> None:
    """A branch that relaxes `.blueprint.yaml`, uses it to approve its own blueprint, and
    is merged: the branch's pushes are judged by the branch's rules, the merge's push by
    main's, which refuse what the branch allowed itself (SPEC §6, "Who decides the
    rules")."""
    world = make_world(tmp_path, bp)
    base = world.server_ref().strip()
    world.run("checkout", "-q", "-b", "relax")
    (world.client / ".blueprint.yaml").write_text(RELAXED)
    world.run("commit", "-q", "-a", "-m", "relax the workflow")
    world.run("push", "-q", "--no-verify", "origin", "relax")
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "approve my own")
    world.run("push", "-q", "--no-verify", "origin", "relax")  # the branch's own rules
    world.run("checkout", "-q", "main")
    world.run("merge", "-q", "--no-ff", "--no-verify", "-m", "merge relax", "relax")
    pushed = world.run("push", "-q", "--no-verify", "origin", "main", check=False)
    assert pushed.returncode != 0
    assert "illegal-transition" in pushed.stderr and "(refs/heads/main)" in pushed.stderr
    assert world.server_ref().strip() == base
    # The client's own pre-push hook judges by the remote's rules too.
    refused = world.run("push", "-q", "origin", "main", check=False)
    assert refused.returncode != 0 and "illegal-transition" in refused.stderr


def test_rules_relaxed_and_used_in_one_push_to_main_are_not_used(
    tmp_path: Path, bp: Runner
) -> None:
    """Relaxing `.blueprint.yaml` and self-approving in two commits pushed together to main:
    both are judged by the rules main had before the push, which refuse the approval."""
    world = make_world(tmp_path, bp)
    base = world.server_ref().strip()
    (world.client / ".blueprint.yaml").write_text(RELAXED)
    world.run("commit", "-q", "-a", "--no-verify", "-m", "relax the workflow")
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "approve my own")
    found = bp(world.client, "verify", f"{base}..HEAD")
    assert found.code == 1 and "illegal-transition" in found.out + found.err
    pushed = world.run("push", "-q", "--no-verify", "origin", "main", check=False)
    assert pushed.returncode != 0 and "illegal-transition" in pushed.stderr
    assert world.server_ref().strip() == base


def test_a_workflow_change_that_landed_first_is_used_after(tmp_path: Path, bp: Runner) -> None:
    """The legal twin: the relaxed config lands on main in one push; the next push is
    judged by it."""
    world = make_world(tmp_path, bp)
    (world.client / ".blueprint.yaml").write_text(RELAXED)
    world.run("commit", "-q", "-a", "-m", "relax the workflow")
    world.run("push", "-q", "origin", "main")
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "-m", "approve")
    world.run("push", "-q", "origin", "main")
    assert world.server_ref().strip() == world.run("rev-parse", "HEAD").stdout.strip()


def test_verify_under_the_pre_commit_framework_checks_what_is_pushed(
    tmp_path: Path, bp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The framework's pre-push stage names the range in PRE_COMMIT_FROM_REF and
    PRE_COMMIT_TO_REF: `bp verify` checks that range, not the checked-out branch (issue: on
    main, pushing a feature branch with a self-approval passed)."""
    world = make_world(tmp_path, bp)
    reach(world, "Review")
    remote_tip = world.run("rev-parse", "HEAD").stdout.strip()
    world.run("checkout", "-q", "-b", "feature")
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "approve my own")
    pushed_tip = world.run("rev-parse", "HEAD").stdout.strip()
    world.run("checkout", "-q", "main")
    assert bp(world.client, "verify").code == 0  # the checked-out branch is clean
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", remote_tip)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", pushed_tip)
    found = bp(world.client, "verify")
    assert found.code == 1 and "four-eyes" in found.out
    assert f"in {remote_tip}..{pushed_tip}, by the rules of {remote_tip[:12]}" in found.err
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "0" * 40)  # a new branch: its whole history
    assert bp(world.client, "verify").code == 1


def test_verify_after_a_force_push_falls_back_to_the_merge_base(tmp_path: Path, bp: Runner) -> None:
    """CI names the pushed range by the old tip's id; after a force push that commit is gone
    from a fresh clone. `bp verify` says so and verifies from the merge base with the
    default branch instead; a name that names nothing stays an error."""
    world = make_world(tmp_path, bp)
    main_tip = world.run("rev-parse", "HEAD").stdout.strip()
    world.run("checkout", "-q", "-b", "feature")
    world.edit()
    world.run("commit", "-q", "-a", "-m", "first try")
    world.run("push", "-q", "origin", "feature")
    gone = world.run("rev-parse", "HEAD").stdout.strip()
    world.run("reset", "-q", "--hard", main_tip)
    world.set_status("Review")
    world.run("commit", "-q", "-a", "-m", "second try")
    world.run("push", "-q", "--force", "origin", "feature")
    clone = tmp_path / "ci"
    subprocess.run(["git", "clone", "-q", "--no-local", str(world.server), str(clone)], check=True)
    subprocess.run(["git", "checkout", "-q", "feature"], cwd=clone, check=True)
    assert subprocess.run(["git", "cat-file", "-e", gone], cwd=clone).returncode != 0
    result = bp(clone, "verify", f"{gone}..HEAD")
    assert result.code == 0, result.err
    assert f"'{gone}' is not a commit here (a force push?)" in result.err
    assert f"from the merge base with the default branch, {main_tip[:12]}" in result.err
    assert f"by the rules of {main_tip[:12]}" in result.err
    typo = bp(clone, "verify", "no-such-branch..HEAD")
    assert typo.code == 2 and "'no-such-branch' is not a commit here" in typo.err


def test_verify_after_a_force_push_to_the_default_branch_is_an_error(
    tmp_path: Path, bp: Runner
) -> None:
    """A force push to main itself: the merge base with the default branch is the pushed
    tip, so falling back to it would verify nothing. `bp verify OLD..HEAD` says what the
    push replaced cannot be told, exit 2 (a CI job goes red), instead of passing."""
    world = make_world(tmp_path, bp)
    gone = world.server_ref().strip()
    world.run("reset", "-q", "--hard", "HEAD~0")
    world.set_status("Approved")  # Draft -> Approved by its Author, pushed past every hook
    world.run("commit", "-q", "-a", "--amend", "--no-verify", "-m", "rewritten")
    subprocess.run(["git", "config", "receive.denyNonFastForwards", "false"], cwd=world.server)
    (world.server / "hooks" / "pre-receive").unlink()
    world.run("push", "-q", "--force", "--no-verify", "origin", "main")
    clone = tmp_path / "ci"
    subprocess.run(["git", "clone", "-q", "--no-local", str(world.server), str(clone)], check=True)
    assert subprocess.run(["git", "cat-file", "-e", gone], cwd=clone).returncode != 0
    result = bp(clone, "verify", f"{gone}..HEAD")
    assert result.code == 2, result.err
    assert "what the push replaced cannot be told" in result.err
    assert bp(clone, "verify", "HEAD").code == 1  # the whole history shows the violation


def test_verify_of_a_new_ref_starts_at_the_default_branch(tmp_path: Path, bp: Runner) -> None:
    """`0000….. TIP`, as CI names a branch's first push: verified from the merge base with
    the default branch, by main's rules — a branch that relaxes `.blueprint.yaml` and
    approves its own blueprint under it is caught. `bp verify TIP` (the whole history) is
    judged by the rules committed at TIP, never by the working file."""
    world = make_world(tmp_path, bp)
    main_tip = world.server_ref().strip()
    world.run("checkout", "-q", "-b", "sneaky")
    (world.client / ".blueprint.yaml").write_text(RELAXED)
    world.run("commit", "-q", "-a", "--no-verify", "-m", "relax")
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "approve my own")
    world.run("fetch", "-q", "origin")
    world.run("remote", "set-head", "origin", "main")
    found = bp(world.client, "verify", f"{'0' * 40}..HEAD")
    assert found.code == 1, found.err
    assert "illegal-transition" in found.out
    assert f"from the merge base with the default branch, {main_tip[:12]}" in found.err
    assert f"by the rules of {main_tip[:12]}" in found.err
    # The whole history is judged by the rules committed at its tip, never by an unstaged
    # edit of the file.
    world.run("checkout", "-q", "-f", "main")
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "approve on main")
    (world.client / ".blueprint.yaml").write_text(RELAXED)  # an unstaged relaxation
    whole = bp(world.client, "verify", "HEAD")
    assert whole.code == 1, whole.err
    assert "by the rules committed at" in whole.err


def test_pre_push_of_a_new_branch_is_judged_by_the_remotes_main(tmp_path: Path, bp: Runner) -> None:
    """A clone that never learnt the remote's HEAD (a remote added by hand): a new branch's
    push is judged by the rules of the remote's `main` as last fetched, and an unstaged
    relaxation of `.blueprint.yaml` changes nothing."""
    world = make_world(tmp_path, bp)
    assert world.run("rev-parse", "-q", "--verify", "origin/HEAD", check=False).returncode != 0
    reach(world, "Review")
    world.run("checkout", "-q", "-b", "x")
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "--no-verify", "-m", "approve my own")
    (world.client / ".blueprint.yaml").write_text(RELAXED)
    refused = world.run("push", "-q", "origin", "x", check=False)
    assert refused.returncode != 0
    assert ": four-eyes: " in refused.stderr and "remote:" not in refused.stderr
    main = world.server_ref().strip()[:12]
    assert f"(refs/heads/x by the rules of {main})" in refused.stderr


def test_a_signed_approval_under_a_forged_author_is_refused(tmp_path: Path, bp: Runner) -> None:
    """Where Approved must be signed, Ada (the Author) cannot approve by signing with her own
    listed key under `--author "Grace Hopper <grace@example.com>"`: her key is not listed for
    Grace's email (`unsigned`), and her key's line names her (`four-eyes`). Refused by
    `bp promote` before it commits, by `bp verify`, by the pre-push hook and by the server;
    Grace's own signed approval, the legal twin, passes all of them."""
    world = make_world(tmp_path, bp, "signed: [Approved]\n", signer=True)
    ada_key = tmp_path / "ada"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(ada_key), "-C", "ada"],
        check=True,
    )
    kind, blob = (tmp_path / "ada.pub").read_text().split()[:2]
    signers = world.client / ".blueprint" / "allowed_signers"
    with signers.open("a") as fh:
        fh.write(f'ada@example.com namespaces="git" {kind} {blob} Ada Lovelace\n')
    world.run("commit", "-q", "-a", "-m", "list Ada's key")
    reach(world, "Review")
    base = world.run("rev-parse", "HEAD").stdout.strip()
    forged = {
        **world.sign_env(),
        "GIT_CONFIG_VALUE_1": f"{ada_key}.pub",
        "GIT_AUTHOR_NAME": "Grace Hopper",
        "GIT_AUTHOR_EMAIL": "grace@example.com",
    }

    with pytest.MonkeyPatch.context() as m:
        for key, value in forged.items():
            m.setenv(key, value)
        promoted = bp(world.client, "promote", "gateway")
    assert promoted.code == 1, promoted.err
    assert "unsigned: entering Approved needs the author's own signature" in promoted.err
    assert "signed by Ada Lovelace <ada@example.com>, the blueprint's Author" in promoted.err
    assert world.run("rev-parse", "HEAD").stdout.strip() == base
    assert world.run("status", "--porcelain").stdout == ""

    # The pre-commit hook cannot see the signature `-S` is about to make; verify can.
    world.set_status("Approved")
    world.run("commit", "-q", "-a", "-m", "approve", env=forged)
    assert "\ngpgsig " in world.run("cat-file", "commit", "HEAD").stdout
    found = bp(world.client, "verify", f"{base}..HEAD", "--format", "json")
    assert found.code == 1, found.err
    rules = sorted(v["rule"] for v in json.loads(found.out)["violations"])
    assert rules == ["four-eyes", "unsigned"]
    refused = world.run("push", "-q", "origin", "main", check=False)
    assert refused.returncode != 0 and ": four-eyes: " in refused.stderr
    pushed = world.run("push", "-q", "--no-verify", "origin", "main", check=False)
    assert pushed.returncode != 0
    assert "remote:" in pushed.stderr and ": unsigned: " in pushed.stderr
    assert world.server_ref().strip() == base

    # Grace, with her own key, approves.
    world.run("reset", "-q", "--hard", base)
    with pytest.MonkeyPatch.context() as m:
        for key, value in {**world.sign_env(), **GRACE}.items():
            m.setenv(key, value)
        approved = bp(world.client, "promote", "gateway")
    assert approved.code == 0, approved.err
    assert bp(world.client, "verify", f"{base}..HEAD").code == 0
    world.run("push", "-q", "origin", "main")
    assert world.server_ref().strip() == world.run("rev-parse", "HEAD").stdout.strip()
