"""The workflow rules (docs/workflow.md): one pure function from (old version, new version, config,
who commits, signature state) to the rules broken. The pre-commit hook, ``bp verify``, the
pre-push and pre-receive hooks and ``bp promote`` all decide through it.

Standard library only; the Markdown parser is loaded only to count placeholders when a
blueprint enters a ``require_complete`` status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from git_blueprint.core.config import Config
from git_blueprint.values import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from git_blueprint.core.stamp import Fact

RULES = {
    "unknown-status": "the status is not one of the configured statuses",
    "bad-initial-status": "a blueprint is added in a status other than the initial one",
    "illegal-transition": "the status moves along no allowed transition",
    "status-change-not-alone": "a commit changes a status and also the content",
    "frozen-content": "content changes while the status is frozen",
    "incomplete": "the status enters a require_complete status with a placeholder left",
    "four-eyes": "the status enters a four_eyes status by a commit of the blueprint's Author",
    "unsigned": "the status enters a signed status by a commit without a good signature",
    "frozen-deleted": "a blueprint in a frozen status is deleted or renamed away",
}


class Version:
    """One version of a blueprint as the rules need it: its status, Author and a hash of
    its content without the metadata lines; the text itself only when asked (placeholders
    are counted on entering a ``require_complete`` status) — or, when the reader counted
    them already, their number."""

    __slots__ = ("_load", "_placeholders", "_text", "author", "content", "path", "raw_status")

    def __init__(
        self,
        path: str,
        fact: Fact,
        text: str | None = None,
        load: Callable[[], str] | None = None,
        placeholders: int | None = None,
    ) -> None:
        self.path = path
        self.raw_status, self.author, self.content = fact
        self._text = text
        self._load = load
        self._placeholders = placeholders

    @classmethod
    def of(cls, path: str, text: str, config: Config) -> Version:
        from git_blueprint.core.stamp import facts_of

        return cls(path, facts_of(text, config.names), text)

    @property
    def text(self) -> str:
        if self._text is None:
            assert self._load is not None
            self._text = self._load()
        return self._text

    def status(self, config: Config) -> str | None:
        raw = self.raw_status
        return None if raw is None else config.canonical_status(raw)

    def placeholder_count(self, config: Config) -> int:
        if self._placeholders is not None:
            return self._placeholders
        from git_blueprint.core.lint import may_hold_placeholders, open_placeholders

        if not may_hold_placeholders(self.text):
            return 0
        from git_blueprint.core.document import parse_document

        doc = parse_document(self.text, self.path, config.names)
        return len(open_placeholders(doc.placeholders, doc.metadata))


class Actor(Record, frozen=True):
    """Who makes the commit, as git records its author, and its signature state (``%G?``;
    None when not known yet, as in the pre-commit hook). For a good signature, who the key
    belongs to: the principals it is listed under in the allowed signers (patterns as
    ssh-keygen allows) and the names its lines end with — what ``--author`` cannot forge."""

    name: str
    email: str = ""
    signature: str | None = None
    principals: tuple[str, ...] = ()
    signer_names: tuple[str, ...] = ()

    def signer(self) -> str:
        """The signing key's owner as messages name them: its first principal, and its
        name where the allowed signers give one."""
        who = next((p for p in self.principals if not _pattern(p)), "")
        name = self.signer_names[0] if self.signer_names else ""
        if who and name:
            return f"{name} <{who}>"
        return who or name or "a listed key"

    def signer_vouches_for_author(self) -> bool:
        """Whether the key that signed is listed for the commit's author email (a principal
        equal to it, or a pattern matching it) — the binding without which a good signature
        says nothing about who ``--author`` names."""
        email = folded(self.email)
        if not email:
            return False
        return any(_principal_matches(p, email) for p in self.principals)


def _pattern(principal: str) -> bool:
    return any(ch in principal for ch in "*?!")


def _principal_matches(principal: str, email: str) -> bool:
    """ssh-keygen's principal patterns: ``*`` and ``?`` wildcards; a ``!`` pattern is a
    negation, which vouches for nobody."""
    if principal.startswith("!"):
        return False
    if not _pattern(principal):
        return folded(principal) == email
    import fnmatch

    return fnmatch.fnmatchcase(email, folded(principal))


class Violation(Record, frozen=True):
    """A workflow rule a change breaks, with what to do about it."""

    rule: str
    path: str
    message: str
    fix: str
    old_status: str | None = None
    new_status: str | None = None
    commit: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "commit": self.commit,
            "path": self.path,
            "rule": self.rule,
            "message": self.message,
            "fix": self.fix,
            "old_status": self.old_status,
            "new_status": self.new_status,
        }


class _Collector:
    __slots__ = ("path", "old_status", "new_status", "found")

    def __init__(self, path: str, old_status: str | None, new_status: str | None) -> None:
        self.path = path
        self.old_status = old_status
        self.new_status = new_status
        self.found: list[Violation] = []

    def add(self, rule: str, message: str, fix: str) -> None:
        self.found.append(
            Violation(rule, self.path, message, fix, self.old_status, self.new_status)
        )


def folded(identity: str) -> str:
    """A name or an email as the rules compare it: whitespace collapsed (a double space, a
    tab, a no-break space are one space) and case folded, in Unicode's compatibility form
    (a full-width letter is the letter), with the characters that show nothing taken out
    (a zero-width space or joiner, a soft hyphen: Unicode's format characters). Letters of
    another script that look alike (a Cyrillic а) stay other letters: only a signature
    tells those apart."""
    text = " ".join(identity.split()).casefold()
    if not text.isascii():
        import unicodedata  # only names beyond ASCII pay for its import

        shown = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
        text = " ".join(unicodedata.normalize("NFKC", shown).split()).casefold()
    return text


def same_person(author_field: str | None, actor: Actor) -> bool:
    """Whether the blueprint's Author names the committing author, by name or by email,
    each compared :func:`folded` (``Ada  Lovelace`` is ``ada lovelace``)."""
    return _named(author_field, actor.name, actor.email)


def signed_by_author(author_field: str | None, actor: Actor) -> bool:
    """Whether the blueprint's Author names the owner of the key that signed the commit:
    one of its principals (patterns aside) or a name its allowed-signers lines end with."""
    if not actor.principals and not actor.signer_names:
        return False
    emails = [p for p in actor.principals if not _pattern(p)]
    return any(_named(author_field, "", e) for e in emails) or any(
        _named(author_field, n, "") for n in actor.signer_names
    )


def _named(author_field: str | None, name: str, email: str) -> bool:
    if not author_field:
        return False
    names = {folded(a) for a in author_field.replace(";", ",").split(",")}
    names.discard("")
    name, email = folded(name), folded(email)
    mine = {name} if name else set()
    if email:
        mine |= {email, f"<{email}>"}
    return bool(names & mine) or bool(email and any(email in n for n in names))


def next_status(config: Config, current: str, forward: bool) -> str | None:
    """Where ``bp promote`` (``forward``) goes from ``current`` without ``--to``: the first
    allowed status later in ``statuses``; where ``bp demote`` goes: the nearest allowed
    earlier one. None when there is no such move."""
    order = {s: i for i, s in enumerate(config.statuses)}
    here = order.get(current)
    if here is None:
        return None
    allowed = [s for s in config.transitions.get(current, ()) if s in order]
    if forward:
        later = [s for s in allowed if order[s] > here]
        return min(later, key=order.__getitem__) if later else None
    earlier = [s for s in allowed if order[s] < here]
    return max(earlier, key=order.__getitem__) if earlier else None


def move_command(config: Config, blueprint_id: str, current: str, target: str) -> str:
    """The ``bp promote`` or ``bp demote`` command line that moves ``current`` to
    ``target``, with ``--to`` only where the command would otherwise go elsewhere."""
    order = {s: i for i, s in enumerate(config.statuses)}
    forward = order.get(target, 0) > order.get(current, 0)
    command = f"bp {'promote' if forward else 'demote'} {blueprint_id}"
    if next_status(config, current, forward) != target:
        command += f" --to {target}"
    return command


def check_change(
    old: Version | None,
    new: Version | None,
    config: Config,
    actor: Actor,
    blueprint_id: str,
) -> list[Violation]:
    """Every rule a change of one blueprint breaks. ``old`` is None for an added blueprint,
    ``new`` is None for one deleted (or renamed out of the blueprints folder)."""
    old_status = old.status(config) if old else None
    new_status = new.status(config) if new else None
    c = _Collector(
        new.path if new else (old.path if old else ""),
        old_status or (old.raw_status if old else None),
        new_status or (new.raw_status if new else None),
    )

    if new is None:
        if old is not None and old_status in config.frozen:
            c.add(
                "frozen-deleted",
                f"{old.path} is {old_status}, and a blueprint in {old_status} cannot be deleted",
                f"run `bp demote {blueprint_id}` first, then delete it",
            )
        return c.found

    if new.raw_status is not None and new_status is None:
        c.add(
            "unknown-status",
            f"status '{new.raw_status}' is not one of {', '.join(config.statuses)}",
            f"set the status to one of {', '.join(config.statuses)}",
        )
        return c.found

    if old is None:
        if new_status is not None and new_status != config.initial:
            c.add(
                "bad-initial-status",
                f"a new blueprint must start as {config.initial}, not {new_status}",
                f"add it as {config.initial} (`bp new` does) and promote it through commits",
            )
        return c.found

    moved = new_status is not None and old_status is not None and new_status != old_status
    content_changed = old.content != new.content
    if moved:
        assert old_status is not None and new_status is not None
        allowed = config.transitions.get(old_status, ())
        if new_status not in allowed:
            ways = ", ".join(allowed) or "nowhere"
            steps = " or ".join(
                f"`{move_command(config, blueprint_id, old_status, s)}` ({old_status} -> {s})"
                for s in allowed
            )
            c.add(
                "illegal-transition",
                f"{old_status} -> {new_status} is not an allowed move (from {old_status}: {ways})",
                f"move one step at a time: {steps}"
                if steps
                else f"no move leaves {old_status}: its transitions in the config are empty",
            )
        if content_changed:
            c.add(
                "status-change-not-alone",
                f"the commit changes the status ({old_status} -> {new_status}) and the content",
                f"commit the content change first, then the status change alone "
                f"(`{move_command(config, blueprint_id, old_status, new_status)}` does that)",
            )
        if new_status in config.require_complete:
            left = new.placeholder_count(config)
            if left:
                c.add(
                    "incomplete",
                    f"{left} placeholder(s) left on entering {new_status}",
                    f"fill them first (`bp check {blueprint_id}` lists them)",
                )
        if new_status in config.four_eyes:
            if same_person(old.author, actor):
                who = f"{actor.name} is the blueprint's Author and"
            elif signed_by_author(old.author, actor):
                who = (
                    f"this commit (author {actor.name}) is signed by {actor.signer()}, "
                    f"the blueprint's Author, who"
                )
            else:
                who = ""
            if who:
                c.add(
                    "four-eyes",
                    f"{who} cannot move it to {new_status}",
                    f"someone other than {old.author} must make the commit that moves it "
                    f"to {new_status}: "
                    f"`{move_command(config, blueprint_id, old_status, new_status)}`",
                )
        if new_status in config.signed and actor.signature == "G":
            if not actor.signer_vouches_for_author():
                c.add(
                    "unsigned",
                    f"entering {new_status} needs the author's own signature; this commit "
                    f"is signed by {actor.signer()}, whose key is not listed for its "
                    f"author {actor.email or actor.name}",
                    f"the commit's author signs it with their own key, listed for their "
                    f"email in {config.allowed_signers}",
                )
        elif new_status in config.signed and actor.signature is not None:
            state = {
                "N": "not signed",
                "U": "signed by a key not in the allowed signers (only SSH keys listed "
                "there count)",
                "B": "signed with a bad signature",
                "E": "signed, but its signature cannot be checked",
                "X": "signed with an expired signature",
                "Y": "signed by an expired key",
                "R": "signed by a revoked key",
            }.get(actor.signature, f"of signature state {actor.signature}")
            c.add(
                "unsigned",
                f"entering {new_status} needs a good signature; this commit is {state}",
                f"sign it with an SSH key listed in {config.allowed_signers} as committed "
                "before this change — a key added in the same push counts once it has "
                f"landed (`bp promote {blueprint_id}` signs; by hand, `git commit -S`)",
            )
    if content_changed and old_status in config.frozen:
        c.add(
            "frozen-content",
            f"the content changed while the blueprint is {old_status}",
            f"run `bp demote {blueprint_id}` first, then edit",
        )
    return c.found


def describe(violations: Iterable[Violation]) -> list[str]:
    lines: list[str] = []
    for v in violations:
        where = f"{v.commit[:12]} " if v.commit else ""
        lines.append(f"{where}{v.path}: {v.rule}: {v.message}")
        lines.append(f"    fix: {v.fix}")
    return lines
