"""How a long read of history reports how far it got: the caller gives a ``Meter`` maker
(the CLI's shows a counter on a terminal); by default nothing is shown."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Protocol

    class Meter(Protocol):
        def step(self, done: int) -> None: ...

        def done(self) -> None: ...

    Meters = Callable[[str, int], Meter]


class Silent:
    """A meter that shows nothing."""

    def step(self, done: int) -> None:
        pass

    def done(self) -> None:
        pass


def silent(what: str, total: int) -> Silent:
    return Silent()
