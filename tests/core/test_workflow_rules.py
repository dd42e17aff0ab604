"""The workflow rules as the pure function they are (docs/workflow.md): every rule in
``workflow.RULES`` broken by one change and not by its legal variant, the fix texts that
``bp promote`` / ``bp demote`` print, and invariants over generated changes and configs.
No git: versions are built from small texts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from git_blueprint.core.config import Config
from git_blueprint.core.workflow import (
    RULES,
    Actor,
    Version,
    Violation,
    check_change,
    describe,
    folded,
    move_command,
    next_status,
    same_person,
)

PATH = "blueprints/gateway.md"
ID = "gateway"
ADA = Actor("Ada Lovelace", "ada@example.com")
GRACE = Actor("Grace Hopper", "grace@example.com")
DEFAULT = Config()
SIGNED = Config(signed=("Approved",))
FILLED_BODY = "Takes card payments."
PLACEHOLDER_BODY = "[What it does]"


def text(
    status: str = "Draft",
    body: str = FILLED_BODY,
    author: str = "Ada Lovelace",
    updated: str = "2026-01-05",
) -> str:
    return (
        f"# Integration Blueprint: Gateway\n\n## Purpose\n\n{body}\n\n"
        f"**Blueprint Status**: {status}\n**Last Updated**: {updated}\n**Author**: {author}\n"
    )


def version(config: Config = DEFAULT, path: str = PATH, **fields: str) -> Version:
    return Version.of(path, text(**fields), config)


@dataclass
class Change:
    old: dict[str, str] | None  # the fields of text(), or None: the blueprint is added
    new: dict[str, str] | None  # None: deleted
    actor: Actor = ADA
    config: Config = DEFAULT

    def rules(self) -> list[str]:
        return [v.rule for v in self.check()]

    def check(self) -> list[Violation]:
        old = None if self.old is None else version(self.config, **self.old)
        new = None if self.new is None else version(self.config, **self.new)
        return check_change(old, new, self.config, self.actor, ID)


EDITED = {"body": "Takes card and wallet payments."}

# Each rule: a change that breaks it (and only it), and the legal variant of that change.
BROKEN = {
    "unknown-status": Change({"status": "Draft"}, {"status": "Done"}),
    "bad-initial-status": Change(None, {"status": "Review"}),
    "illegal-transition": Change({"status": "Draft"}, {"status": "Approved"}, GRACE),
    "status-change-not-alone": Change({"status": "Draft"}, {"status": "Review", **EDITED}),
    "frozen-content": Change({"status": "Approved"}, {"status": "Approved", **EDITED}),
    "incomplete": Change(
        {"status": "Draft", "body": PLACEHOLDER_BODY},
        {"status": "Review", "body": PLACEHOLDER_BODY},
    ),
    "four-eyes": Change({"status": "Review"}, {"status": "Approved"}, ADA),
    "unsigned": Change(
        {"status": "Review"}, {"status": "Approved"}, Actor(GRACE.name, GRACE.email, "N"), SIGNED
    ),
    "frozen-deleted": Change({"status": "Approved"}, None),
}

LEGAL = {
    "unknown-status": Change({"status": "Draft"}, {"status": "Draft", **EDITED}),
    "bad-initial-status": Change(None, {"status": "Draft"}),
    "illegal-transition": Change({"status": "Draft"}, {"status": "Review"}, GRACE),
    "status-change-not-alone": Change(
        {"status": "Draft"}, {"status": "Review", "updated": "2026-11-27"}
    ),
    "frozen-content": Change(
        {"status": "Approved"}, {"status": "Approved", "updated": "2026-11-27"}
    ),
    "incomplete": Change(
        {"status": "Review", "body": PLACEHOLDER_BODY},
        {"status": "Draft", "body": PLACEHOLDER_BODY},
    ),
    "four-eyes": Change({"status": "Review"}, {"status": "Approved"}, GRACE),
    "unsigned": Change(
        {"status": "Review"},
        {"status": "Approved"},
        Actor(GRACE.name, GRACE.email, "G", ("grace@example.com",)),
        SIGNED,
    ),
    "frozen-deleted": Change({"status": "Draft"}, None),
}


def test_every_rule_has_a_breaking_case_and_a_legal_variant() -> None:
    assert set(BROKEN) == set(RULES)
    assert set(LEGAL) == set(RULES)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_the_change_breaks_its_rule_alone(rule: str) -> None:
    assert BROKEN[rule].rules() == [rule]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_the_legal_variant_breaks_nothing(rule: str) -> None:
    assert LEGAL[rule].rules() == []


@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_violation_names_path_statuses_and_a_fix(rule: str) -> None:
    change = BROKEN[rule]
    (found,) = change.check()
    assert (found.rule, found.path, found.commit) == (rule, PATH, None)
    assert found.old_status == (change.old or {}).get("status")
    assert found.new_status == (change.new or {}).get("status")
    assert found.message and found.fix
    assert describe([found]) == [f"{PATH}: {rule}: {found.message}", f"    fix: {found.fix}"]


def test_an_added_blueprint_in_an_unknown_status_is_unknown_not_bad_initial() -> None:
    assert Change(None, {"status": "Done"}).rules() == ["unknown-status"]


def test_statuses_match_case_insensitively() -> None:
    assert Change({"status": "draft"}, {"status": "REVIEW"}).rules() == []
    assert Change({"status": "draft"}, {"status": "approved"}, GRACE).rules() == [
        "illegal-transition"
    ]


@pytest.mark.parametrize(
    ("author", "actor"),
    [
        ("Ada Lovelace", ADA),
        ("Ada Lovelace", Actor(" ADA lovelace ", "someone@example.com")),
        ("Ada Lovelace <ada@example.com>", Actor("A. Lovelace", "ADA@example.com")),
        ("ada@example.com", Actor("A. Lovelace", "ada@example.com")),
        ("Ada Lovelace", Actor("Ada  Lovelace", "other@example.com")),
        ("Ada Lovelace", Actor("Ada\tLovelace", "other@example.com")),
        ("Ada Lovelace", Actor("Ada\u00a0Lovelace", "other@example.com")),
        ("Ada  Lovelace", Actor("ada lovelace", "other@example.com")),
        ("Ada Lovelace", Actor("\uff21da Lovelace", "other@example.com")),
        ("Straße", Actor("STRASSE", "other@example.com")),
        ("Ada Lovelace <ada@example.com>", Actor("X", " ADA@Example.COM ")),
        ("Ada Lovelace", Actor("Ada Lovelace\u200b", "other@example.com")),
        ("Ada Lovelace", Actor("Ada Love\u200blace", "other@example.com")),
        ("Ada Lovelace", Actor("Ada Love\u00adlace", "other@example.com")),
        ("Ada Lovelace", Actor("\ufeffAda Lovelace\u2060", "other@example.com")),
    ],
    ids=[
        "name-and-email",
        "name-case-folded",
        "email-in-the-field",
        "email-as-the-field",
        "double-space",
        "tab",
        "no-break-space",
        "double-space-in-the-field",
        "full-width-letter",
        "unicode-case-folding",
        "email-case-and-spaces",
        "zero-width-space-after",
        "zero-width-space-inside",
        "soft-hyphen",
        "byte-order-mark-and-word-joiner",
    ],
)
def test_four_eyes_knows_the_author_by_name_or_email(author: str, actor: Actor) -> None:
    change = Change(
        {"status": "Review", "author": author}, {"status": "Approved", "author": author}, actor
    )
    assert change.rules() == ["four-eyes"]


@given(name=st.text(alphabet=st.sampled_from("Ada Lovelace\t\u00a0ADA"), min_size=1, max_size=20))
def test_names_equal_after_folding_are_the_same_person(name: str) -> None:
    """Whatever whitespace and case an Author or a committer writes, a name that folds to
    the same words is the same person, and one that folds to other words is not."""
    actor = Actor(name, "")
    same = folded(name) == folded("Ada Lovelace")
    assert same_person("Ada Lovelace", actor) == (same and folded(name) != "")


def test_four_eyes_is_not_fooled_by_a_similar_name() -> None:
    similar = Actor("Ada Lovelace-King", "king@example.com")
    assert Change({"status": "Review"}, {"status": "Approved"}, similar).rules() == []


def test_four_eyes_cannot_be_dodged_by_changing_the_author_in_the_same_commit() -> None:
    change = Change({"status": "Review"}, {"status": "Approved", "author": "Grace Hopper"}, ADA)
    assert change.rules() == ["four-eyes"]


def test_four_eyes_matches_any_of_several_authors() -> None:
    both = {"author": "Grace Hopper, Ada Lovelace"}
    change = Change({"status": "Review", **both}, {"status": "Approved", **both}, ADA)
    assert change.rules() == ["four-eyes"]


@pytest.mark.parametrize("state", ["N", "U", "B", "E", "X", "Y", "R"])
def test_unsigned_is_broken_by_every_state_but_a_good_signature(state: str) -> None:
    actor = Actor(GRACE.name, GRACE.email, state)
    assert Change({"status": "Review"}, {"status": "Approved"}, actor, SIGNED).rules() == [
        "unsigned"
    ]


def test_unsigned_is_not_judged_when_the_signature_is_not_known_yet() -> None:
    assert Change({"status": "Review"}, {"status": "Approved"}, GRACE, SIGNED).rules() == []


def test_unsigned_applies_only_to_signed_statuses() -> None:
    unsigned = Actor(GRACE.name, GRACE.email, "N")
    assert Change({"status": "Review"}, {"status": "Approved"}, unsigned).rules() == []
    assert Change({"status": "Draft"}, {"status": "Review"}, unsigned, SIGNED).rules() == []


# Ada, the Author, signs with her own key but writes Grace as the commit's author.
ADA_AS_GRACE = Actor(GRACE.name, GRACE.email, "G", ("ada@example.com",), ("Ada Lovelace",))
BOTH = Config(signed=("Approved",), four_eyes=("Approved",))


def test_four_eyes_names_the_signer_that_author_cannot_forge() -> None:
    """The key that signed is Ada's (by its principal or by the name its line ends with):
    writing Grace with `--author` does not make her someone else."""
    found = Change({"status": "Review"}, {"status": "Approved"}, ADA_AS_GRACE).check()
    assert [v.rule for v in found] == ["four-eyes"]
    assert "signed by Ada Lovelace <ada@example.com>, the blueprint's Author" in found[0].message
    by_name_only = Actor(GRACE.name, GRACE.email, "G", ("ops@example.com",), ("ADA  lovelace",))
    assert Change({"status": "Review"}, {"status": "Approved"}, by_name_only).rules() == [
        "four-eyes"
    ]
    by_email = {"author": "Ada Lovelace <ada@example.com>"}
    unnamed = Actor(GRACE.name, GRACE.email, "G", ("Ada@Example.com",))
    change = Change({"status": "Review", **by_email}, {"status": "Approved", **by_email}, unnamed)
    assert change.rules() == ["four-eyes"]


def test_a_signature_binds_the_author_email_where_signing_is_required() -> None:
    """A good signature counts for a signed status only from a key listed for the commit's
    author email: Ada's key on a commit that says Grace is not Grace's signature."""
    found = Change({"status": "Review"}, {"status": "Approved"}, ADA_AS_GRACE, BOTH).check()
    assert sorted(v.rule for v in found) == ["four-eyes", "unsigned"]
    unsigned = next(v for v in found if v.rule == "unsigned")
    assert "not listed for its author grace@example.com" in unsigned.message
    grace = Actor(GRACE.name, GRACE.email, "G", ("grace@example.com",), ("Grace Hopper",))
    assert Change({"status": "Review"}, {"status": "Approved"}, grace, BOTH).rules() == []
    team = Actor(GRACE.name, "Grace@Example.com", "G", ("*@example.com",))
    assert Change({"status": "Review"}, {"status": "Approved"}, team, BOTH).rules() == []
    negated = Actor(GRACE.name, GRACE.email, "G", ("!grace@example.com",))
    assert Change({"status": "Review"}, {"status": "Approved"}, negated, BOTH).rules() == [
        "unsigned"
    ]
    # Not a signed status: the binding is not asked for, the signer still counts for four-eyes.
    assert Change({"status": "Review"}, {"status": "Approved"}, grace).rules() == []


def test_placeholders_count_only_on_entering_a_require_complete_status() -> None:
    kept = {"body": PLACEHOLDER_BODY}
    assert Change({"status": "Draft", **kept}, {"status": "Draft", **kept}).rules() == []
    relaxed = Config(require_complete=())
    assert (
        Change({"status": "Draft", **kept}, {"status": "Review", **kept}, ADA, relaxed).rules()
        == []
    )


def test_a_rename_within_the_folder_is_the_same_blueprint() -> None:
    old = version(status="Approved")
    new = version(path="blueprints/payments.md", status="Approved")
    assert check_change(old, new, DEFAULT, ADA, "payments") == []


def test_several_rules_at_once() -> None:
    change = Change({"status": "Draft", "body": PLACEHOLDER_BODY}, {"status": "Approved"}, ADA)
    assert change.rules() == [
        "illegal-transition",
        "status-change-not-alone",
        "four-eyes",
    ]


# --- the fix texts, as bp promote / bp demote print them ----------------------------------

MORE = Config(
    statuses=("Draft", "Review", "Approved", "Deprecated"),
    transitions={
        "Draft": ("Review",),
        "Review": ("Deprecated", "Approved", "Draft"),
        "Approved": ("Draft", "Deprecated"),
        "Deprecated": ("Draft", "Approved"),
    },
)


@pytest.mark.parametrize(
    ("current", "forward", "expected"),
    [
        ("Draft", True, "Review"),
        ("Draft", False, None),
        ("Review", True, "Approved"),  # the first later status, not the first listed
        ("Review", False, "Draft"),
        ("Approved", True, "Deprecated"),
        ("Deprecated", True, None),
        ("Deprecated", False, "Approved"),  # the nearest earlier status, not the first listed
        ("Nope", True, None),
    ],
)
def test_next_status(current: str, forward: bool, expected: str | None) -> None:
    assert next_status(MORE, current, forward) == expected


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        ("Draft", "Review", "bp promote gateway"),
        ("Review", "Approved", "bp promote gateway"),
        ("Review", "Deprecated", "bp promote gateway --to Deprecated"),
        ("Review", "Draft", "bp demote gateway"),
        ("Approved", "Draft", "bp demote gateway"),
        ("Deprecated", "Review", "bp demote gateway --to Review"),
        ("Deprecated", "Approved", "bp demote gateway"),
        ("Deprecated", "Draft", "bp demote gateway --to Draft"),
    ],
)
def test_move_command(current: str, target: str, expected: str) -> None:
    assert move_command(MORE, ID, current, target) == expected


def fix_of(change: Change) -> str:
    (found,) = [v for v in change.check() if v.rule in {"four-eyes", "illegal-transition"}]
    return found.fix


def test_the_four_eyes_fix_names_the_command_someone_else_runs() -> None:
    assert fix_of(BROKEN["four-eyes"]) == (
        "someone other than Ada Lovelace must make the commit that moves it to Approved: "
        "`bp promote gateway`"
    )


def test_the_illegal_transition_fix_names_the_allowed_moves() -> None:
    assert fix_of(BROKEN["illegal-transition"]) == (
        "move one step at a time: `bp promote gateway` (Draft -> Review)"
    )
    back = Change({"status": "Approved"}, {"status": "Review"}, GRACE)
    assert fix_of(back) == "move one step at a time: `bp demote gateway` (Approved -> Draft)"
    final = Config(transitions={"Draft": ("Review",), "Review": ("Approved",), "Approved": ()})
    stuck = Change({"status": "Approved"}, {"status": "Draft"}, GRACE, final)
    assert fix_of(stuck) == "no move leaves Approved: its transitions in the config are empty"


# --- invariants ---------------------------------------------------------------------------

STATUS_WORDS = st.sampled_from(["Draft", "Review", "Approved", "draft", "Done", "[Status]"])
BODIES = st.sampled_from([FILLED_BODY, PLACEHOLDER_BODY, "Takes card and wallet payments."])
AUTHORS = st.sampled_from(["Ada Lovelace", "Grace Hopper", "Ada Lovelace, Grace Hopper"])
DATES = st.sampled_from(["2026-01-05", "2026-11-27"])
ACTORS = st.builds(
    Actor,
    st.sampled_from(["Ada Lovelace", "Grace Hopper"]),
    st.sampled_from(["ada@example.com", "grace@example.com", ""]),
    st.sampled_from([None, "G", "N", "U", "B"]),
    st.sampled_from([(), ("ada@example.com",), ("grace@example.com",), ("*@example.com",)]),
    st.sampled_from([(), ("Ada Lovelace",), ("Grace Hopper",)]),
)
FIELDS = st.fixed_dictionaries(
    {"status": STATUS_WORDS, "body": BODIES, "author": AUTHORS, "updated": DATES}
)
CONFIGS = st.sampled_from([DEFAULT, SIGNED, MORE, Config(frozen=(), four_eyes=())])


@given(fields=FIELDS, actor=ACTORS, config=CONFIGS)
def test_a_change_that_changes_nothing_breaks_nothing_but_an_unknown_status(
    fields: dict[str, str], actor: Actor, config: Config
) -> None:
    same = version(config, **fields)
    found = check_change(same, version(config, **fields), config, actor, ID)
    unknown = config.canonical_status(fields["status"]) is None
    assert [v.rule for v in found] == (["unknown-status"] if unknown else [])


@given(
    old=st.none() | FIELDS,
    new=st.none() | FIELDS,
    actor=ACTORS,
    config=CONFIGS,
)
def test_every_violation_names_a_known_rule_once_with_its_path(
    old: dict[str, str] | None, new: dict[str, str] | None, actor: Actor, config: Config
) -> None:
    before = None if old is None else version(config, **old)
    after = None if new is None else version(config, path="blueprints/renamed.md", **new)
    found = check_change(before, after, config, actor, ID)
    rules = [v.rule for v in found]
    assert set(rules) <= set(RULES)
    assert len(rules) == len(set(rules))
    path = "blueprints/renamed.md" if after is not None else PATH
    assert all(v.path == path and v.fix for v in found)
    lines = describe(found)
    assert len(lines) == 2 * len(found)
    assert all(line.startswith(f"{path}: ") for line in lines[::2])
    assert all(line.startswith("    fix: ") for line in lines[1::2])


@given(fields=FIELDS, date=DATES, author=AUTHORS, config=CONFIGS)
def test_a_metadata_only_change_never_counts_as_content(
    fields: dict[str, str], date: str, author: str, config: Config
) -> None:
    old = version(config, **fields)
    new = version(config, **{**fields, "updated": date, "author": author})
    rules = {v.rule for v in check_change(old, new, config, GRACE, ID)}
    assert not rules & {"status-change-not-alone", "frozen-content"}


@st.composite
def workflows(draw: st.DrawFn) -> Config:
    """A config over two to four statuses, with any transitions and any rule lists."""
    statuses = tuple(draw(st.sampled_from([("A", "B"), ("A", "B", "C"), ("A", "B", "C", "D")])))
    subsets = st.lists(st.sampled_from(statuses), unique=True).map(tuple)
    transitions = {
        s: draw(st.lists(st.sampled_from(statuses), unique=True).map(tuple)) for s in statuses
    }
    return Config(
        statuses=statuses,
        initial=statuses[0],
        transitions={s: tuple(t for t in ts if t != s) for s, ts in transitions.items()},
        frozen=draw(subsets),
        require_complete=draw(subsets),
        four_eyes=draw(subsets),
        signed=draw(subsets),
    )


@given(config=workflows(), data=st.data())
def test_a_status_move_alone_is_judged_by_the_transitions(
    config: Config, data: st.DataObject
) -> None:
    """A move that changes nothing but the status, made by someone other than the Author
    with a good signature, on a blueprint without placeholders, breaks a rule exactly when
    the transitions do not allow it; and the fix then offers only moves they allow."""
    old_status = data.draw(st.sampled_from(config.statuses))
    new_status = data.draw(st.sampled_from([s for s in config.statuses if s != old_status]))
    old = version(config, status=old_status)
    new = version(config, status=new_status, updated="2026-11-27")
    grace = Actor(GRACE.name, GRACE.email, "G", (GRACE.email,), (GRACE.name,))
    found = check_change(old, new, config, grace, ID)
    allowed = config.transitions[old_status]
    if new_status in allowed:
        assert found == []
    else:
        (violation,) = found
        assert violation.rule == "illegal-transition"
        for target in allowed:
            assert f"`{move_command(config, ID, old_status, target)}`" in violation.fix


@given(config=workflows(), data=st.data())
def test_the_move_command_goes_where_it_says(config: Config, data: st.DataObject) -> None:
    """``move_command`` names the command that, without ``--to``, reaches the target — or it
    says ``--to``."""
    current = data.draw(st.sampled_from(config.statuses))
    target = data.draw(st.sampled_from([s for s in config.statuses if s != current]))
    command = move_command(config, ID, current, target)
    forward = config.statuses.index(target) > config.statuses.index(current)
    assert command.startswith(f"bp {'promote' if forward else 'demote'} {ID}")
    if not command.endswith(f" --to {target}"):
        assert next_status(config, current, forward) == target
