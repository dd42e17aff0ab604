"""What git runs: the hook entry points (pre-commit, pre-merge-commit, pre-push,
pre-receive), the diff, textconv and merge drivers, and their installation.

Each entry point runs inside :func:`git_blueprint.errors.run_guarded`. The commit path
imports only the standard library (PyYAML for a changed config or front matter).
"""
