"""The git layer: the only code that starts a process.

Named queries take argument values and return value objects; git's output is read in its
machine forms (``-z``, explicit separators, ``cat-file --batch``) and its complaints are
turned into :class:`~git_blueprint.errors.GitError` here and nowhere else. It imports
nothing of git-blueprint but ``errors`` and ``values``.
"""
