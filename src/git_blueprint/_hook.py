"""``python -I -m git_blueprint._hook NAME ARGS``: the hook shims' entry point."""

from git_blueprint.hookrun import main

if __name__ == "__main__":
    raise SystemExit(main())
