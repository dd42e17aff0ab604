"""Reading ``.blueprint.yaml`` from a work tree, through the validated copy kept in the git
folder (``blueprint-config.cache``), so that a hook does not import the YAML parser while
the file reads as it did.

Standard library only: the hooks read the config with it.
"""

from __future__ import annotations

import errno
import os
import stat

from git_blueprint.core.config import (
    CONFIG_NAME,
    MAX_CONFIG_BYTES,
    Config,
    MetadataNames,
    parse_config_bytes,
)
from git_blueprint.core.paths import Layout
from git_blueprint.errors import ConfigError
from git_blueprint.git.repo import read_blob
from git_blueprint.store.atomic import load_cache, save_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike
    from typing import Any


def load_config(root: str | PathLike[str], cache_dir: str | PathLike[str] | None = None) -> Config:
    """The config of the repository at ``root``; the defaults when it has none.

    With ``cache_dir`` (the hooks pass the git folder), the validated config is kept there,
    with the bytes it was read from, so that a commit does not pay for importing the YAML
    parser (about 15 ms) while the file reads as it did."""
    return config_of(read_config_file(root), cache_dir)


def read_config_file(root: str | PathLike[str]) -> bytes | None:
    """The bytes of ``root``'s ``.blueprint.yaml`` (up to one more than a config may have),
    or None when there is none; a link, a folder or an unreadable file is a ConfigError."""
    path = os.path.join(root, CONFIG_NAME)
    source = CONFIG_NAME
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a symbolic link
            raise ConfigError(f"{source}: must be a regular file") from None
        if os.path.lexists(path) and not os.path.isfile(path):
            raise ConfigError(f"{source}: must be a regular file") from None
        raise ConfigError(f"{source}: cannot be read: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError(f"{source}: must be a regular file")
        with open(fd, "rb", closefd=False) as fh:
            return fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{source}: cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)


def config_of(data: bytes | None, cache_dir: str | PathLike[str] | None = None) -> Config:
    """The config ``.blueprint.yaml``'s bytes make (the defaults for None), through the
    cache in ``cache_dir`` when given."""
    if data is None:
        return Config()
    if cache_dir is None:
        return parse_config_bytes(data, CONFIG_NAME)
    return _cached(data, CONFIG_NAME, os.path.join(cache_dir, CACHE_NAME))


def load_config_around(start: str | PathLike[str]) -> Config:
    """The config of the repository around ``start``, read through the cache in its git
    folder as the hooks read it (a driver git runs once per file then imports no YAML
    parser); outside a repository, the folder's own file."""
    from git_blueprint.errors import BlueprintError
    from git_blueprint.git.repo import find_repo

    try:
        repo = find_repo(os.fspath(start))
    except BlueprintError:
        return load_config(start)
    if repo.root is None:
        return load_config(start)
    return load_config(repo.root, cache_dir=repo.git_dir)


CACHE_NAME = "blueprint-config.cache"
_CACHE_KIND = "git-blueprint/config/1"


def _cached(data: bytes, source: str, cache: str) -> Config:
    stored = load_cache(cache, _CACHE_KIND)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == data:
        try:
            return _from_plain(stored[1])
        except (KeyError, TypeError, ValueError):
            pass
    config = parse_config_bytes(data, source)
    save_cache(cache, _CACHE_KIND, (data, _to_plain(config)))
    return config


def _to_plain(config: Config) -> dict[str, Any]:
    return {
        "source": config.source,
        "blueprints": config.blueprints,
        "statuses": list(config.statuses),
        "initial": config.initial,
        "transitions": {k: list(v) for k, v in config.transitions.items()},
        "frozen": list(config.frozen),
        "require_complete": list(config.require_complete),
        "four_eyes": list(config.four_eyes),
        "signed": list(config.signed),
        "stamp_author": config.stamp_author,
        "allowed_signers": config.allowed_signers,
        "footer": dict(config.names.footer),
        "front_matter": dict(config.names.front_matter),
    }


def _from_plain(d: dict[str, Any]) -> Config:
    return Config(
        source=d["source"],
        blueprints=d["blueprints"],
        statuses=tuple(d["statuses"]),
        initial=d["initial"],
        transitions={k: tuple(v) for k, v in d["transitions"].items()},
        frozen=tuple(d["frozen"]),
        require_complete=tuple(d["require_complete"]),
        four_eyes=tuple(d["four_eyes"]),
        signed=tuple(d["signed"]),
        stamp_author=d["stamp_author"],
        allowed_signers=d["allowed_signers"],
        names=MetadataNames(footer=dict(d["footer"]), front_matter=dict(d["front_matter"])),
    )


def blueprint_layout(config: Config, root: str | PathLike[str] | None = None) -> Layout:
    """Where the config's blueprints are, as git names paths. A folder that is a symbolic
    link to another folder of the repository at ``root`` is named by its target, which is
    what git tracks."""
    folder = config.blueprints.strip("/")
    if folder not in ("", ".") and root is not None and os.path.islink(os.path.join(root, folder)):
        real = os.path.realpath(os.path.join(root, folder))
        real_root = os.path.realpath(root)
        inside = real_root.rstrip(os.sep) + os.sep
        if real.startswith(inside) and real != real_root:
            folder = os.path.relpath(real, real_root).replace(os.sep, "/")
    return Layout.of(folder)


def config_at(cwd: str | PathLike[str], rev: str | None) -> Config:
    """The config as committed in ``rev`` (the defaults when it has none)."""
    if rev is None:
        return Config()
    data = read_blob(cwd, rev, CONFIG_NAME)
    if data is None:
        return Config()
    return parse_config_bytes(data, f"{rev[:12]}:{CONFIG_NAME}")
