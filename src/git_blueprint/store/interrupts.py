"""Interrupt safety: critical sections that finish before a signal takes effect, and named
checkpoints where tests inject a signal (``GIT_BLUEPRINT_INTERRUPT_AT=name[:SIGNAL]``).

Standard library only: the hooks use it.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

_DEFERRED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def checkpoint(name: str) -> None:
    """Deliver the signal a test asked for at this point (no-op otherwise)."""
    wanted = os.environ.get("GIT_BLUEPRINT_INTERRUPT_AT")
    if not wanted:
        return
    point, _, sig = wanted.partition(":")
    if point == name:
        os.kill(os.getpid(), getattr(signal, sig or "SIGINT"))


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Block SIGINT, SIGTERM and SIGHUP for the duration: a group of writes that must land
    together lands together, and the signal takes effect right after."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not on POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
