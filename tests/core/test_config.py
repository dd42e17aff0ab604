"""Config defaults and validation: every error names the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from git_blueprint.core.config import CONFIG_TEMPLATE, DEFAULT, Config, parse_config
from git_blueprint.errors import ConfigError


def test_template_is_the_defaults() -> None:
    parsed = parse_config(CONFIG_TEMPLATE)
    assert parsed == Config(source=".blueprint.yaml")
    assert parsed.transitions == DEFAULT.transitions


def test_empty_config_is_the_defaults() -> None:
    assert parse_config("") == Config(source=".blueprint.yaml")
    assert parse_config("# only a comment\n").statuses == ("Draft", "Review", "Approved")


def test_custom_workflow() -> None:
    cfg = parse_config(
        "statuses: [Draft, Review, Approved, Deprecated]\n"
        "transitions:\n  draft: [review]\n  Review: [Approved, Draft]\n"
        "  Approved: [Draft, Deprecated]\n  Deprecated: []\n"
        "frozen: [Approved, Deprecated]\nsigned: [approved]\nstamp:\n  author: last\n"
    )
    assert cfg.transitions["Draft"] == ("Review",)
    assert cfg.transitions["Deprecated"] == ()
    assert cfg.signed == ("Approved",)
    assert cfg.stamp_author == "last"
    assert cfg.canonical_status("DEPRECATED") == "Deprecated"
    assert cfg.canonical_status("Gone") is None


def test_custom_statuses_without_transitions_form_a_line() -> None:
    cfg = parse_config("statuses: [Proposed, Accepted, Superseded]\n")
    assert cfg.initial == "Proposed"
    assert cfg.transitions == {
        "Proposed": ("Accepted",),
        "Accepted": ("Superseded", "Proposed"),
        "Superseded": ("Proposed",),
    }
    assert cfg.frozen == () and cfg.four_eyes == () and cfg.require_complete == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("statuses: []\n", ":1: statuses must name at least one status"),
        ("statuses: [A, a]\n", ":1: statuses: 'a' is listed twice"),
        ("statuses: A\n", ":1: statuses must be a list"),
        ("blueprints: ../out\n", ":1: blueprints: '../out' must be a folder inside"),
        ("blueprints: /abs\n", ":1: blueprints: '/abs' must be a folder inside"),
        ("initial: Nope\n", ":1: initial: 'Nope' is not one of statuses"),
        ("frozen: [Draft]\nfour_eyes: [Gone]\n", ":2: four_eyes: 'Gone' is not one of statuses"),
        ("stamp:\n  author: always\n", ":2: stamp.author: 'always' must be keep or last"),
        ("stamp:\n  who: x\n", ":2: stamp: unknown key 'who'"),
        ("transitions:\n  Draft: Review\n", ":2: transitions.Draft must be a list"),
        ("a: 1\na: 2\n", ":2: the config: key 'a' is given twice"),
        ("initial: Draft\ninitial: Review\n", ":2: the config: key 'initial' is given twice"),
        ("statuses: &s [A]\nfrozen: *s\n", ":1: YAML anchors and aliases are not allowed"),
        ("statuses: [Draft\n", ":2: not valid YAML"),
        ("\t- bad\n", ":1: not valid YAML"),
        ("front_matter:\n  state: s\n", ":2: front_matter: unknown key 'state'"),
    ],
)
def test_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "repo/.blueprint.yaml")
    assert str(info.value).startswith("repo/.blueprint.yaml:")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_deep_nesting_is_refused_without_crashing() -> None:
    text = "x: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(ConfigError):
        parse_config(text)


def test_cached_config_is_the_parsed_config(tmp_path: Path) -> None:
    from git_blueprint.store.config import CACHE_NAME, load_config

    (tmp_path / ".blueprint.yaml").write_text(
        "statuses: [Draft, Review, Approved, Deprecated]\nsigned: [Approved]\n"
        "stamp:\n  author: last\nfront_matter:\n  status: state\n"
    )
    fresh = load_config(tmp_path)
    assert load_config(tmp_path, cache_dir=tmp_path) == fresh  # written
    assert (tmp_path / CACHE_NAME).exists()
    assert load_config(tmp_path, cache_dir=tmp_path) == fresh  # read back
    (tmp_path / ".blueprint.yaml").write_text("initial: Review\n")
    assert load_config(tmp_path, cache_dir=tmp_path).initial == "Review"  # content changed
    (tmp_path / CACHE_NAME).write_text("{not json")
    assert load_config(tmp_path, cache_dir=tmp_path).initial == "Review"  # damaged cache
    (tmp_path / ".blueprint.yaml").write_text("initial: Nope\n")
    with pytest.raises(ConfigError):
        load_config(tmp_path, cache_dir=tmp_path)  # an invalid config is never cached


def test_cache_records_are_misses_unless_of_their_kind_and_python(tmp_path: Path) -> None:
    import marshal

    from git_blueprint.store.atomic import load_cache, save_cache

    path = tmp_path / "blueprint-x.cache"
    assert load_cache(path, "k/1") is None  # missing
    save_cache(path, "k/1", {"a": (1, None, "x")})
    assert load_cache(path, "k/1") == {"a": (1, None, "x")}
    assert load_cache(path, "k/2") is None  # another kind, or another version of it
    path.write_bytes(path.read_bytes()[:-3])
    assert load_cache(path, "k/1") is None  # cut short
    path.write_bytes(marshal.dumps(("k/1", "python 2.7", {})))
    assert load_cache(path, "k/1") is None  # written by another Python
    path.write_bytes(b"{}")
    assert load_cache(path, "k/1") is None
    save_cache(tmp_path / "no-such-folder" / "x.cache", "k/1", 1)  # only slower, no error
