"""Reading a repository's history: ``bp verify``'s checks and ``bp log``'s timeline, over
one streamed ``git log`` and one pipelined ``cat-file``.

It decides through ``core/``, reads through ``git/`` and ``store/``; it never prints
(progress goes to a callback the caller gives).
"""
