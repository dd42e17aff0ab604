"""The pure core: the document model, metadata, the config model, the workflow rules, the
semantic diff, lint and stamping decisions.

Strings and values in, values out: no file or network I/O, no process, no printing. It may
import ``markdown/``, ``errors`` and ``values``; markdown-it-py and PyYAML only inside the
functions that need them.
"""
