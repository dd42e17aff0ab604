"""Reading CommonMark: lines with byte-exact offsets, and the block scanner.

Standard library only, no I/O; it imports nothing of git-blueprint but ``errors`` and
``values``.
"""
