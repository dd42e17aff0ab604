"""``.blueprint.yaml`` as data: the defaults, and validation of its text, every error with
file and line (reading the file and its cache: :mod:`git_blueprint.store.config`).

Config is data only: it is parsed with a safe loader, anchors and aliases are refused (no
alias bombs), and nothing in it is ever executed.
"""

from __future__ import annotations

from git_blueprint.errors import ConfigError
from git_blueprint.values import Record, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import yaml

CONFIG_NAME = ".blueprint.yaml"
MAX_CONFIG_BYTES = 256 * 1024
STAMP_AUTHOR_MODES = ("keep", "last")


def _footer_labels() -> dict[str, str]:
    return {"status": "Blueprint Status", "last_updated": "Last Updated", "author": "Author"}


def _front_matter_keys() -> dict[str, str]:
    return {"status": "status", "last_updated": "last_updated", "author": "author"}


def _transitions() -> dict[str, tuple[str, ...]]:
    return {"Draft": ("Review",), "Review": ("Approved", "Draft"), "Approved": ("Draft",)}


class MetadataNames(Record):
    """Where metadata lives: footer labels and front-matter keys, per canonical name."""

    footer: dict[str, str] = field(default_factory=_footer_labels)
    front_matter: dict[str, str] = field(default_factory=_front_matter_keys)

    def key(self) -> tuple[tuple[tuple[str, str], ...], ...]:
        """The names as plain, comparable values: what a cache of facts read with these
        names is keyed by."""
        return (tuple(sorted(self.footer.items())), tuple(sorted(self.front_matter.items())))


class Config(Record):
    """A validated ``.blueprint.yaml``; every argument left out takes the default."""

    source: str | None = None
    blueprints: str = "blueprints"
    statuses: tuple[str, ...] = ("Draft", "Review", "Approved")
    initial: str = "Draft"
    transitions: dict[str, tuple[str, ...]] = field(default_factory=_transitions)
    frozen: tuple[str, ...] = ("Approved",)
    require_complete: tuple[str, ...] = ("Review", "Approved")
    four_eyes: tuple[str, ...] = ("Approved",)
    signed: tuple[str, ...] = ()
    stamp_author: str = "keep"
    allowed_signers: str = ".blueprint/allowed_signers"
    names: MetadataNames = field(default_factory=MetadataNames)

    def canonical_status(self, value: str) -> str | None:
        """The configured spelling of ``value`` (matched case-insensitively), or None."""
        folded = value.strip().casefold()
        for status in self.statuses:
            if status.casefold() == folded:
                return status
        return None


DEFAULT = Config()

# The file `bp init` writes: the defaults, explained.
CONFIG_TEMPLATE = """\
# git-blueprint configuration. Every key is optional; these are the defaults.
# Reference: docs/config.md

# Folder (relative to the repository root) that holds the blueprints.
blueprints: blueprints

# Every status a blueprint can have, in workflow order.
statuses: [Draft, Review, Approved]

# The status a new blueprint must start in.
initial: Draft

# The only allowed moves between statuses.
transitions:
  Draft: [Review]
  Review: [Approved, Draft]
  Approved: [Draft]

# Content may not change in these statuses (demote first).
frozen: [Approved]

# No unfilled [placeholder] may remain to enter these statuses.
require_complete: [Review, Approved]

# Whoever moves a blueprint into these statuses must not be its Author.
four_eyes: [Approved]

# Statuses whose entering commit must carry a good signature from a key
# listed in the allowed-signers file (read from the base revision).
signed: []
allowed_signers: .blueprint/allowed_signers

stamp:
  # keep: fill Author only when it is empty or a placeholder.
  # last: Author is always the committer of the last content change.
  author: keep
"""


class _Reader:
    """Turns a composed YAML node tree into plain values, refusing what config never needs."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: yaml.Node | None, message: str) -> ConfigError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return ConfigError(f"{self.source}{line}: {message}")

    def plain(self, node: yaml.Node) -> Any:
        import yaml

        if isinstance(node, yaml.ScalarNode):
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.plain(item) for item in node.value]
        if isinstance(node, yaml.MappingNode):
            return {self.plain(k): self.plain(v) for k, v in node.value}
        raise self.fail(node, "unsupported YAML node")

    def scalar(self, node: yaml.Node, what: str) -> str:
        import yaml

        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            raise self.fail(node, f"{what} must be a single value")
        value = str(node.value).strip()
        if not value:
            raise self.fail(node, f"{what} must not be empty")
        return value

    def names(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        import yaml

        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list, e.g. [Draft, Review]")
        return [(self.scalar(item, f"an entry of {what}"), item) for item in node.value]

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        import yaml

        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        seen: set[str] = set()
        out = []
        for key_node, value_node in node.value:
            key = self.scalar(key_node, f"a key of {what}")
            if key in seen:
                raise self.fail(key_node, f"{what}: key '{key}' is given twice")
            seen.add(key)
            out.append((key, key_node, value_node))
        return out


def _compose(text: str, source: str) -> yaml.Node | None:
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{source}{line}: not valid YAML: {problem}") from None
    finally:
        loader.dispose()
    if node is not None:
        _refuse_aliases(node, source)
    return node


def _refuse_aliases(root: yaml.Node, source: str) -> None:
    """An alias shows up as a node object met twice; config has no use for one."""
    import yaml

    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise ConfigError(
                f"{source}:{node.start_mark.line + 1}: YAML anchors and aliases are not allowed "
                "in the config"
            )
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def parse_config(text: str, source: str = CONFIG_NAME) -> Config:
    """Validate config text; every error names ``source`` and the line."""
    node = _compose(text, source)
    if node is None:
        return Config(source=source)
    r = _Reader(source)
    entries = {key: (key_node, value) for key, key_node, value in r.mapping(node, "the config")}
    known = {
        "blueprints",
        "statuses",
        "initial",
        "transitions",
        "frozen",
        "require_complete",
        "four_eyes",
        "signed",
        "stamp",
        "allowed_signers",
        "front_matter",
        "footer",
    }
    for key, (key_node, _) in entries.items():
        if key not in known:
            raise r.fail(key_node, f"unknown key '{key}' (known: {', '.join(sorted(known))})")

    values: dict[str, Any] = {"source": source}
    if "blueprints" in entries:
        node_ = entries["blueprints"][1]
        folder = r.scalar(node_, "blueprints")
        from pathlib import PurePath

        parts = PurePath(folder).parts
        if PurePath(folder).is_absolute() or ".." in parts or folder.startswith("~"):
            raise r.fail(node_, f"blueprints: '{folder}' must be a folder inside the repository")
        values["blueprints"] = folder.strip("/") or "."

    statuses: tuple[str, ...] = DEFAULT.statuses
    status_line: dict[str, yaml.Node] = {}
    if "statuses" in entries:
        items = r.names(entries["statuses"][1], "statuses")
        if not items:
            raise r.fail(entries["statuses"][1], "statuses must name at least one status")
        folded: dict[str, str] = {}
        for name, item in items:
            if name.casefold() in folded:
                raise r.fail(item, f"statuses: '{name}' is listed twice")
            if any(ch in name for ch in "[]\n\r*") or name != name.strip():
                raise r.fail(item, f"statuses: '{name}' is not a usable status name")
            folded[name.casefold()] = name
            status_line[name] = item
        statuses = tuple(name for name, _ in items)
        values["statuses"] = statuses

    def known_status(name: str, where: yaml.Node, what: str) -> str:
        for status in statuses:
            if status.casefold() == name.casefold():
                return status
        raise r.fail(where, f"{what}: '{name}' is not one of statuses ({', '.join(statuses)})")

    if "initial" in entries:
        node_ = entries["initial"][1]
        values["initial"] = known_status(r.scalar(node_, "initial"), node_, "initial")
    elif DEFAULT.initial not in statuses:
        values["initial"] = statuses[0]

    if "transitions" in entries:
        transitions: dict[str, tuple[str, ...]] = {}
        for key, key_node, value_node in r.mapping(entries["transitions"][1], "transitions"):
            src = known_status(key, key_node, "transitions")
            targets = tuple(
                known_status(name, item, f"transitions from {src}")
                for name, item in r.names(value_node, f"transitions.{key}")
            )
            transitions[src] = targets
        values["transitions"] = transitions
    elif "statuses" in entries:
        # Custom statuses without transitions: a straight line forward, and back to the start.
        chain: dict[str, tuple[str, ...]] = {}
        for i, status in enumerate(statuses):
            nxt = (statuses[i + 1],) if i + 1 < len(statuses) else ()
            back = (statuses[0],) if i > 0 and statuses[0] not in nxt else ()
            chain[status] = nxt + back
        values["transitions"] = chain

    for key in ("frozen", "require_complete", "four_eyes", "signed"):
        if key in entries:
            node_ = entries[key][1]
            values[key] = tuple(known_status(name, item, key) for name, item in r.names(node_, key))
        else:
            default = getattr(DEFAULT, key)
            values[key] = tuple(s for s in default if s in statuses)

    if "allowed_signers" in entries:
        node_ = entries["allowed_signers"][1]
        values["allowed_signers"] = r.scalar(node_, "allowed_signers")

    if "stamp" in entries:
        for key, key_node, value_node in r.mapping(entries["stamp"][1], "stamp"):
            if key != "author":
                raise r.fail(key_node, f"stamp: unknown key '{key}' (known: author)")
            mode = r.scalar(value_node, "stamp.author")
            if mode not in STAMP_AUTHOR_MODES:
                raise r.fail(value_node, f"stamp.author: '{mode}' must be keep or last")
            values["stamp_author"] = mode

    names = MetadataNames()
    for section in ("front_matter", "footer"):
        if section in entries:
            table = dict(getattr(names, section))
            for key, key_node, value_node in r.mapping(entries[section][1], section):
                if key not in table:
                    raise r.fail(
                        key_node, f"{section}: unknown key '{key}' (known: {', '.join(table)})"
                    )
                table[key] = r.scalar(value_node, f"{section}.{key}")
            names = (
                MetadataNames(footer=names.footer, front_matter=table)
                if section == "front_matter"
                else MetadataNames(footer=table, front_matter=names.front_matter)
            )
    values["names"] = names
    return Config(**values)


def parse_config_bytes(data: bytes, source: str) -> Config:
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{source}: larger than {MAX_CONFIG_BYTES // 1024} KiB; not a config")
    if b"\0" in data:
        raise ConfigError(f"{source}: contains a NUL byte; not a YAML file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: not UTF-8 (byte {exc.start})") from None
    return parse_config(text, source)
