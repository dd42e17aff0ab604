"""Reading CommonMark: lines with byte-exact offsets (``lines``) and the block scanner
(``blocks``, the entry point; ``state``, ``containers``, ``refdefs``; ``outline``, the
summary's short cut).

Standard library only, no I/O; it imports nothing of git-blueprint but ``errors`` and
``values``.
"""
