"""The console scripts' entry point: a tiny dispatcher.

Hook and git-driver entry points (names starting with ``_``) are sent to standard-library
code; only user commands load the Typer application. Keep this module's imports to the
standard library.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from git_blueprint.cli import run

    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
