"""The hook shim (``shim.sh``) rendered for one hook, and ``bp hooks run HOOK [ARGS]``: the
entry point that the tracked files of hook managers (husky's ``.husky/pre-commit``, a
lefthook command, a pre-commit framework entry) call. It names no interpreter, so the same
line works on every machine that has ``bp`` on PATH.

Standard library only: the commit path.
"""

from __future__ import annotations

import json
import os
import sys

from git_blueprint.errors import UsageError

CLIENT_HOOKS = ("pre-commit", "pre-merge-commit", "commit-msg", "pre-push")
SERVER_HOOKS = ("pre-receive",)
TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shim.sh")


def shim_template() -> str:
    with open(TEMPLATE, encoding="utf-8") as fh:
        return fh.read()


def render_shim(hook: str, python: str, paths: list[str] | None = None) -> str:
    """The shim for ``hook``, starting ``python`` (empty: the interpreter of the ``bp`` on
    PATH); with ``paths`` (see :func:`~git_blueprint.hooks.install.fast_paths`) it starts
    Python with -S and that ``sys.path``."""
    if "'" in python or "\n" in python:
        raise UsageError(
            f"{python}: an interpreter path with quotes or line breaks cannot be used in a hook"
        )
    literal = json.dumps(paths) if paths else ""  # a Python list literal
    if "'" in literal:
        literal = ""
    return (
        shim_template()
        .replace("@HOOK@", hook)
        .replace("@PYTHON@", python)
        .replace("@PATHS@", literal)
    )


def run_hook(args: list[str]) -> int:
    """``bp hooks run HOOK [ARGS]``: the hook's shim, run by ``sh`` with this interpreter
    (its exit code is the hook's), so that a hook manager's line does exactly what an
    installed hook file does (the pre-commit shim's shell fast path included). ``$0`` is
    the template itself, beside which no other tool's hook is ever kept."""
    from git_blueprint.git.process import run_in_turn

    known = (*CLIENT_HOOKS, *SERVER_HOOKS)
    if not args or args[0] not in known:
        named = f"unknown hook '{args[0]}'" if args else "no hook named"
        raise UsageError(f"bp hooks run: {named}; known: {', '.join(known)}")
    script = render_shim(args[0], os.path.abspath(sys.executable))
    return run_in_turn([_shell(), "-c", script, TEMPLATE, *args[1:]])


def _shell() -> str:
    if os.path.exists("/bin/sh"):
        return "/bin/sh"
    import shutil

    found = shutil.which("sh")
    if found is None:
        raise UsageError("bp hooks run: no sh on PATH to run the hook with")
    return found
