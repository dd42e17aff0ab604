"""The console scripts' entry point (``bp``, ``git-blueprint``) and ``python -m
git_blueprint``: a tiny dispatcher.

Hook and git-driver entry points (names starting with ``_``) are sent to standard-library
code; only user commands load the Typer application. Keep this module's imports to the
standard library.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "_hook":
            # `bp _hook NAME …`: what the hook shims run (they call `python -I -m
            # git_blueprint._hook` directly; this is the same entry through the console
            # script).
            from git_blueprint.hooks.main import main as hook_main

            return hook_main(args[1:], settle=argv is None)
        if args[:2] == ["hooks", "run"] and not {"-h", "--help"} & set(args[2:3]):
            # `bp hooks run HOOK …`: what hook managers' tracked files call; it becomes the
            # shell shim at once, without loading the command-line application.
            from git_blueprint.errors import run_guarded
            from git_blueprint.hooks.shim import run_hook

            return run_guarded(lambda: run_hook(args[2:]), label="error", settle=argv is None)
        from git_blueprint.cli.app import run

        return run(args, _called_as(sys.argv[0] if argv is None else "bp"), settle=argv is None)
    except KeyboardInterrupt:
        # A signal in the instant between the boundary and the end of the process.
        from git_blueprint.errors import _FINISHED, say

        if _FINISHED[0]:
            return 0
        say("error: interrupted")
        return 130


def _called_as(argv0: str) -> str:
    """The name the user typed: ``git-blueprint`` or ``bp``, or ``python -m git_blueprint``."""
    name = argv0.replace("\\", "/").rsplit("/", 1)[-1]
    if name in ("__main__.py", "-m", "-c", ""):
        return "python -m git_blueprint"
    return "git-blueprint" if name.startswith("git-blueprint") else "bp"


if __name__ == "__main__":
    raise SystemExit(main())
