"""The allowed-signers file a signature is judged by, as committed in a revision: written
to a temporary folder for git (``gpg.ssh.allowedSignersFile`` names a file), and removed
again. Never the working file, nor the commit being judged.

Also who a good signature says made a commit: the principals its key is listed under and
the name that ends the key's line (``ada@example.com namespaces="git" ssh-ed25519 AAAA…
Ada Lovelace``), which ``four-eyes`` compares where ``--author`` says something else.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator

from git_blueprint.core.workflow import Actor
from git_blueprint.git.repo import config_value, read_blob, signature_of
from git_blueprint.values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


class ListedKey(Record, frozen=True):
    """One line of an allowed-signers file: the principals (patterns allowed, as ssh-keygen
    reads them), the key's fingerprint as git reports it (``%GK``) and the text after the
    key — the name of the person the key belongs to, where the file says it."""

    principals: tuple[str, ...]
    fingerprint: str
    name: str


class Signer(Record, frozen=True):
    """A commit's signature as judged: ``state`` is ``%G?``; for a good one, the principals
    and name of the key that made it (an SSH key: from its allowed-signers line; a GPG key:
    its user id's email and name)."""

    state: str
    principals: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


@contextlib.contextmanager
def signers_at(cwd: Path | str, rev: str | None, path: str) -> Iterator[str]:
    """The path of a file holding ``rev``'s ``path``; an empty one (nobody is allowed)
    when ``rev`` is None or has no such file."""
    content = (read_blob(cwd, rev, path) if rev is not None else None) or b""
    with _written(content) as signers:
        yield signers


@contextlib.contextmanager
def _written(content: bytes) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="bp-signers-") as tmp:
        signers = os.path.join(tmp, "allowed_signers")
        with open(signers, "wb") as fh:
            fh.write(content)
        yield signers


def signer_of(cwd: Path | str, sha: str, base: str | None, path: str) -> Signer:
    """Who signed commit ``sha``, judged by the allowed signers as committed in ``base``
    (never as in the commit being judged). No base or no file there: nobody is allowed
    ('U' at best)."""
    content = (read_blob(cwd, base, path) if base is not None else None) or b""
    with _written(content) as signers:
        state, principal, fingerprint = signature_of(cwd, sha, signers)
    if state != "G":
        return Signer(state)
    listed = _listed(content, fingerprint)
    if listed is not None:
        return listed
    name, email = _user_id(principal)
    owner = ((email,) if email else (), (name,) if name else ())
    if not fingerprint.startswith("SHA256:"):
        # OpenPGP or X.509: git calls it good by the keyring of whoever checks, which the
        # repository does not hold; only keys the allowed signers list count. Who it names
        # still counts against four-eyes.
        return Signer("U", *owner)
    return Signer(state, *owner)  # an SSH certificate, signed by a listed authority


def signer_to_be(cwd: Path | str, rev: str, path: str) -> Signer | None:
    """Who the signature ``git commit -S`` is about to make will name, judged by ``rev``'s
    allowed signers: known for an SSH ``user.signingkey`` given as a public key (a file, or
    ``key::`` and the key), or as a private key file beside its ``.pub``. None where it
    cannot be known before signing (a key chosen by ``gpg.ssh.defaultKeyCommand`` or the
    agent). An OpenPGP or X.509 key is known not to count: no allowed-signers line
    lists one."""
    if (config_value(cwd, "gpg.format") or "openpgp").lower() != "ssh":
        return Signer("U")
    setting = config_value(cwd, "user.signingkey")
    if not setting:
        return None
    public = _public_key(cwd, setting)
    if public is None:
        return None
    words = public.split()
    fingerprint = _fingerprint(words[0], words[1]) if len(words) >= 2 else None
    if fingerprint is None:
        return None
    # Not listed: git would judge it a good signature by a key nobody listed.
    return _listed(read_blob(cwd, rev, path) or b"", fingerprint) or Signer("U")


def _listed(content: bytes, fingerprint: str) -> Signer | None:
    """The good signer a key with ``fingerprint`` is in an allowed-signers file: every line
    that lists it (principals and names together); None where none does."""
    mine = [key for key in listed_keys(content) if key.fingerprint == fingerprint]
    if not mine:
        return None
    principals = tuple(dict.fromkeys(p for key in mine for p in key.principals))
    return Signer("G", principals, tuple(key.name for key in mine if key.name))


def signed_actor(actor: Actor, signer: Signer) -> Actor:
    """``actor`` (who git records as the author) with what the signature says."""
    return Actor(actor.name, actor.email, signer.state, signer.principals, signer.names)


def _public_key(cwd: Path | str, setting: str) -> str | None:
    """The public key line ``user.signingkey`` stands for (git's rules: ``key::`` or a
    literal ``ssh-`` key, else a path, ``~`` expanded, relative to the work tree)."""
    if setting.startswith("key::"):
        return setting[len("key::") :].strip()
    if setting.startswith("ssh-") or setting.startswith("ecdsa-") or setting.startswith("sk-"):
        return setting.strip()
    import pathlib

    key = pathlib.Path(os.path.expanduser(setting))
    if not key.is_absolute():
        key = pathlib.Path(cwd) / key
    for candidate in (key, key.with_name(key.name + ".pub")):
        try:
            text = candidate.read_text("utf-8", "replace").strip()
        except OSError:
            continue
        if text and not text.startswith("-----"):  # not the private key itself
            return text.splitlines()[0]
    return None


def _user_id(signer: str) -> tuple[str, str]:
    """``Ada Lovelace <ada@example.com>`` as (name, email); an SSH principal as ("", it)."""
    if signer.endswith(">") and "<" in signer:
        name, _, email = signer[:-1].rpartition("<")
        return name.strip(), email.strip()
    return "", signer.strip()


def listed_keys(content: bytes) -> list[ListedKey]:
    """The keys of an allowed-signers file (``man ssh-keygen``, ALLOWED SIGNERS): each line
    is principals, options, key type, base64 key, and whatever follows; ``#`` lines and
    lines that hold no key are skipped."""
    keys: list[ListedKey] = []
    for raw in content.decode("utf-8", "replace").splitlines():
        words = _words(raw)
        if not words or words[0].startswith("#"):
            continue
        for at in range(1, len(words) - 1):
            fingerprint = _fingerprint(words[at], words[at + 1])
            if fingerprint is not None:
                principals = tuple(p for p in words[0].split(",") if p)
                name = " ".join(words[at + 2 :])
                keys.append(ListedKey(principals, fingerprint, name))
                break
    return keys


def _words(line: str) -> list[str]:
    """A line split on blanks outside double quotes (an option may quote a comma list or
    a date), quotes kept."""
    words: list[str] = []
    word: list[str] = []
    quoted = False
    for ch in line.strip():
        if ch == '"':
            quoted = not quoted
        if ch in " \t" and not quoted:
            if word:
                words.append("".join(word))
                word = []
            continue
        word.append(ch)
    if word:
        words.append("".join(word))
    return words


def _fingerprint(keytype: str, blob: str) -> str | None:
    """``SHA256:…`` of a public key as ssh-keygen and git print it, or None when ``blob`` is
    not the base64 of a key of type ``keytype`` (a key's blob starts with its type)."""
    import base64
    import binascii
    import hashlib

    try:
        data = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        return None
    head = len(keytype).to_bytes(4, "big") + keytype.encode("ascii", "replace")
    if not data.startswith(head):
        return None
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")
    return f"SHA256:{digest}"
