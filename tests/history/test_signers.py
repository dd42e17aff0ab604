"""Who a signature names: the allowed-signers file read as ssh-keygen reads it, fingerprints
as ssh-keygen prints them, and real commits signed with real SSH and OpenPGP keys, judged
by the allowed signers of a base revision."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import git, missing
from git_blueprint.history.signers import Signer, listed_keys, signer_of, signer_to_be

SIGNERS = ".blueprint/allowed_signers"


def keypair(folder: Path, name: str) -> tuple[Path, str, str]:
    """A fresh ed25519 key: its private key path, key type and base64 blob."""
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key), "-C", name], check=True
    )
    kind, blob = (folder / f"{name}.pub").read_text().split()[:2]
    return key, kind, blob


def fingerprint(folder: Path, name: str) -> str:
    out = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(folder / f"{name}.pub")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split()[1]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    git(tmp_path, "init", "-q", str(root))
    return root


def commit_signers(repo: Path, content: str) -> str:
    path = repo / SIGNERS
    path.parent.mkdir(exist_ok=True)
    path.write_text(content)
    git(repo, "add", SIGNERS)
    git(repo, "commit", "-q", "-m", "allowed signers")
    return git(repo, "rev-parse", "HEAD").strip()


def signed_commit(repo: Path, key: Path, *author: str) -> str:
    (repo / "note.txt").write_text(f"{key.name} {author}\n")
    git(repo, "add", "note.txt")
    args = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}.pub"]
    git(repo, *args, "commit", "-q", "-S", "-m", "signed", *author)
    return git(repo, "rev-parse", "HEAD").strip()


def test_listed_keys_reads_the_format_ssh_keygen_reads(tmp_path: Path) -> None:
    _, kind, blob = keypair(tmp_path, "ada")
    content = (
        "# the team's keys\n"
        "\n"
        f'ada@example.com,ada@corp.example namespaces="git" {kind} {blob} Ada Lovelace\n'
        f'*@ops.example namespaces="git,file",valid-before="20301231 235959" {kind} {blob}\n'
        f"grace@example.com {kind} {blob} Grace  Hopper (laptop)\n"
        "broken@example.com ssh-ed25519 not-base64!\n"
        f"typo@example.com ssh-rsa {blob}\n"  # the blob is an ed25519 key, not an RSA one
    ).encode()
    keys = listed_keys(content)
    fpr = fingerprint(tmp_path, "ada")
    assert [(k.principals, k.fingerprint, k.name) for k in keys] == [
        (("ada@example.com", "ada@corp.example"), fpr, "Ada Lovelace"),
        (("*@ops.example",), fpr, ""),
        (("grace@example.com",), fpr, "Grace Hopper (laptop)"),
    ]


@given(
    principals=st.lists(
        st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.example", fullmatch=True), min_size=1, max_size=4
    ),
    options=st.sampled_from(["", 'namespaces="git"', 'namespaces="git,file",cert-authority']),
    name=st.lists(st.from_regex(r"[A-Za-z()]{1,10}", fullmatch=True), max_size=3),
)
def test_a_listed_key_keeps_its_principals_and_name(
    principals: list[str], options: str, name: list[str]
) -> None:
    blob = "AAAAC3NzaC1lZDI1NTE5AAAAIGl0IGlzIGEga2V5IG9mIDMyIGJ5dGVzIGhlcmU="
    line = " ".join(w for w in (",".join(principals), options, "ssh-ed25519", blob, *name) if w)
    (key,) = listed_keys(line.encode())
    assert key.principals == tuple(principals)
    assert key.name == " ".join(name)
    assert key.fingerprint.startswith("SHA256:")


def test_a_good_ssh_signature_names_its_lines_principals_and_name(
    tmp_path: Path, repo: Path
) -> None:
    ada, kind, blob = keypair(tmp_path, "ada")
    grace, _, _ = keypair(tmp_path, "grace")
    base = commit_signers(
        repo, f'ada@example.com,ada@corp.example namespaces="git" {kind} {blob} Ada Lovelace\n'
    )
    by_ada = signed_commit(repo, ada, "--author=Grace Hopper <grace@example.com>")
    assert signer_of(repo, by_ada, base, SIGNERS) == Signer(
        "G", ("ada@example.com", "ada@corp.example"), ("Ada Lovelace",)
    )
    by_grace = signed_commit(repo, grace)
    assert signer_of(repo, by_grace, base, SIGNERS).state == "U"  # good, but nobody listed it
    assert signer_of(repo, by_ada, None, SIGNERS).state == "U"  # no base: nobody is allowed
    assert signer_of(repo, base, base, SIGNERS) == Signer("N")


def test_a_signature_is_judged_by_the_base_not_by_the_commit(tmp_path: Path, repo: Path) -> None:
    ada, kind, blob = keypair(tmp_path, "ada")
    base = commit_signers(repo, "")
    commit_signers(repo, f"ada@example.com {kind} {blob}\n")  # listed in the commit itself
    head = signed_commit(repo, ada)
    assert signer_of(repo, head, base, SIGNERS).state == "U"
    assert signer_of(repo, head, f"{head}~1", SIGNERS).principals == ("ada@example.com",)


def test_an_openpgp_signature_is_no_listed_key_but_names_its_user_id(
    tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("gpg") is None:
        missing("gpg (GnuPG), to sign a commit with an OpenPGP key")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--quiet",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-gen-key",
            "Ada Lovelace <ada@example.com>",
            "ed25519",
            "sign",
            "never",
        ],
        check=True,
        capture_output=True,
    )
    try:
        base = commit_signers(repo, "")
        (repo / "note.txt").write_text("approved\n")
        git(repo, "add", "note.txt")
        git(
            repo,
            "-c",
            "user.signingkey=ada@example.com",
            "commit",
            "-q",
            "-S",
            "-m",
            "signed",
            "--author=Grace Hopper <grace@example.com>",
        )
        head = git(repo, "rev-parse", "HEAD").strip()
        assert git(repo, "log", "-1", "--format=%G?", head) == "G\n"  # by the keyring
        # Not by the allowed signers, which list no OpenPGP key: not good enough, but who
        # it names still counts for four-eyes.
        assert signer_of(repo, head, base, SIGNERS) == Signer(
            "U", ("ada@example.com",), ("Ada Lovelace",)
        )
    finally:
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], check=False, env=os.environ)


def test_the_key_a_commit_will_be_signed_with_is_known_beforehand(
    tmp_path: Path, repo: Path
) -> None:
    ada, kind, blob = keypair(tmp_path, "ada")
    grace, _, _ = keypair(tmp_path, "grace")
    commit_signers(repo, f"ada@example.com {kind} {blob} Ada Lovelace\n")
    ada_signs = Signer("G", ("ada@example.com",), ("Ada Lovelace",))
    git(repo, "config", "gpg.format", "ssh")
    for setting in (f"{ada}.pub", str(ada), f"key::{kind} {blob} ada", f"{kind} {blob}"):
        git(repo, "config", "user.signingkey", setting)
        assert signer_to_be(repo, "HEAD", SIGNERS) == ada_signs, setting
    git(repo, "config", "user.signingkey", f"{grace}.pub")
    assert signer_to_be(repo, "HEAD", SIGNERS) == Signer("U")
    (tmp_path / "ada.pub").unlink()  # a private key alone: not known without reading it
    git(repo, "config", "user.signingkey", str(ada))
    assert signer_to_be(repo, "HEAD", SIGNERS) is None
    git(repo, "config", "gpg.format", "openpgp")  # no OpenPGP key is ever listed
    assert signer_to_be(repo, "HEAD", SIGNERS) == Signer("U")
