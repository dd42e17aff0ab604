"""Plain value classes for the modules the hooks import.

Every commit of a blueprint starts a Python process, so what that process imports is paid
on every commit. ``dataclasses`` costs about 12 ms to import (it imports ``inspect``, which
imports ``ast``, ``dis`` and ``tokenize``) and a fraction of a millisecond per class. The
hook path's classes therefore declare their ``__slots__`` and write their ``__init__``;
:class:`Record` gives them equality, hashing and a readable repr from the slots. Treat
them as immutable, as the frozen dataclasses they replace were. Modules the hooks never
import (the CLI's, the diff's, the Markdown parser's) use ``dataclasses`` freely.

Standard library only, and nothing beyond the interpreter's own start-up modules.
"""

from __future__ import annotations


class Record:
    """A value: equal to another of the same class with equal slots, hashable when its
    values are, shown as ``Name(field=value, …)``."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"
