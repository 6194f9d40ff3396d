"""The server's clock: the one place that reads the time, and that tests may set."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current instant."""
    return datetime.now(UTC)


class Clock:
    """Tell the time from a source that can be swapped (the simulator and tests move it)."""

    def __init__(self, source: Callable[[], datetime] = utcnow) -> None:
        self.source = source

    def __call__(self) -> datetime:
        """Return the current instant."""
        return self.source()
