"""The repository's files as git-blueprint keeps them: the working tree's blueprints, the
config file, the templates, atomic writes, the caches in the git folder, and interrupt
safety for writes.

It reads and writes files and asks ``git/`` what git knows; it never prints.
"""
