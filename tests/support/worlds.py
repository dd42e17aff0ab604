"""A world for workflow tests: a repository with a bare server, two people (Ada, the author,
and Grace, a reviewer), and each rule's breaking and legal case (``CASES``)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO_ROOT, Runner, git

GRACE = {
    "GIT_AUTHOR_NAME": "Grace Hopper",
    "GIT_AUTHOR_EMAIL": "grace@example.com",
    "GIT_COMMITTER_NAME": "Grace Hopper",
    "GIT_COMMITTER_EMAIL": "grace@example.com",
}


@dataclass
class World:
    client: Path
    server: Path
    bp: Runner
    key: Path | None = None

    @property
    def doc(self) -> Path:
        return self.client / "blueprints" / "gateway.md"

    def run(
        self, *args: str, env: dict[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            ["git", *args],
            cwd=self.client,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
        )
        if check:
            assert proc.returncode == 0, proc.stderr
        return proc

    def set_status(self, status: str) -> None:
        text = self.doc.read_text()
        self.doc.write_text(
            re.sub(r"\*\*Blueprint Status\*\*: \w+", f"**Blueprint Status**: {status}", text)
        )

    def edit(self) -> None:
        self.doc.write_text(
            self.doc.read_text().replace("Takes card payments", "Takes card and wallet payments")
        )

    def server_ref(self) -> str:
        return git(self.server, "rev-parse", "refs/heads/main")

    def sign_env(self) -> dict[str, str]:
        assert self.key is not None
        return {
            "GIT_CONFIG_COUNT": "3",
            "GIT_CONFIG_KEY_0": "gpg.format",
            "GIT_CONFIG_VALUE_0": "ssh",
            "GIT_CONFIG_KEY_1": "user.signingkey",
            "GIT_CONFIG_VALUE_1": f"{self.key}.pub",
            "GIT_CONFIG_KEY_2": "commit.gpgsign",
            "GIT_CONFIG_VALUE_2": "true",
        }


FILLED = (REPO_ROOT / "tests" / "data" / "filled.md").read_text()


def make_world(tmp_path: Path, bp: Runner, config: str = "", signer: bool = False) -> World:
    server = tmp_path / "server.git"
    git(tmp_path, "init", "-q", "--bare", str(server))
    result = bp(server, "hooks", "install", "--server")
    assert result.code == 0, result.err
    assert bp(tmp_path, "init", "client").code == 0
    client = tmp_path / "client"
    world = World(client, server, bp)
    if config:
        (client / ".blueprint.yaml").write_text(config)
    if signer:
        key = tmp_path / "key"
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key), "-C", "grace"],
            check=True,
        )
        world.key = key
        pub = (tmp_path / "key.pub").read_text().split()
        signers = client / ".blueprint" / "allowed_signers"
        signers.parent.mkdir()
        signers.write_text(f'grace@example.com namespaces="git" {pub[0]} {pub[1]}\n')
    world.doc.write_text(FILLED)
    world.run("add", "-A")
    world.run("commit", "-q", "-m", "set up with a filled draft")
    world.run("remote", "add", "origin", str(server))
    world.run("push", "-q", "origin", "main")
    return world


def reach(world: World, status: str) -> None:
    """Move the blueprint to ``status`` through legal, pushed commits."""
    path = ["Draft", "Review", "Approved"]
    for target in path[1 : path.index(status) + 1]:
        world.set_status(target)
        env = GRACE if target == "Approved" else None
        if target == "Approved" and world.key is not None:
            env = {**GRACE, **world.sign_env()}
        world.run("commit", "-q", "-a", "-m", f"to {target}", env=env)
    world.run("push", "-q", "origin", "main")


@dataclass
class Case:
    start: str
    violate: Callable[[World], dict[str, str] | None]
    legal: Callable[[World], dict[str, str] | None]
    config: str = ""
    signer: bool = False
    hook_rule: str | None = None  # the rule the pre-commit hook names, when it differs


def add_review(world: World) -> None:
    new = world.client / "blueprints" / "second.md"
    new.write_text(FILLED.replace("Status**: Draft", "Status**: Review"))
    world.run("add", "blueprints/second.md")


def add_draft(world: World) -> None:
    (world.client / "blueprints" / "second.md").write_text(FILLED)
    world.run("add", "blueprints/second.md")


def to_status(
    status: str, env: dict[str, str] | None = None
) -> Callable[[World], dict[str, str] | None]:
    def change(world: World) -> dict[str, str] | None:
        world.set_status(status)
        return env

    return change


def with_placeholder(world: World) -> dict[str, str] | None:
    world.doc.write_text(
        world.doc.read_text().replace("Takes card payments", "[What role it plays]")
    )
    world.run("commit", "-q", "-a", "-m", "a placeholder back in Draft")
    world.set_status("Review")
    return None


def status_and_content(world: World) -> dict[str, str] | None:
    world.set_status("Review")
    world.edit()
    return None


def delete(world: World) -> dict[str, str] | None:
    world.run("rm", "-q", "blueprints/gateway.md")
    return None


def demote_then_delete(world: World) -> dict[str, str] | None:
    world.set_status("Draft")
    world.run("commit", "-q", "-a", "-m", "demote")
    world.run("rm", "-q", "blueprints/gateway.md")
    return None


def signed_by(world: World) -> dict[str, str] | None:
    world.set_status("Approved")
    return {**GRACE, **world.sign_env()}


CASES = {
    "unknown-status": Case("Draft", to_status("Done"), lambda w: (w.edit(), None)[1]),
    "bad-initial-status": Case(
        "Draft", lambda w: (add_review(w), None)[1], lambda w: (add_draft(w), None)[1]
    ),
    "illegal-transition": Case("Draft", to_status("Approved", GRACE), to_status("Review")),
    "status-change-not-alone": Case("Draft", status_and_content, to_status("Review")),
    "frozen-content": Case("Approved", lambda w: (w.edit(), None)[1], to_status("Draft")),
    "incomplete": Case("Draft", with_placeholder, to_status("Review")),
    "four-eyes": Case("Review", to_status("Approved"), to_status("Approved", GRACE)),
    "unsigned": Case(
        "Review",
        to_status("Approved", GRACE),
        signed_by,
        config="signed: [Approved]\n",
        signer=True,
    ),
    "frozen-deleted": Case("Approved", delete, demote_then_delete),
}
