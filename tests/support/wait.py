"""Wait for a condition, never for a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(check: Callable[[], T], timeout: float = 5.0, what: str = "") -> T:
    """Retry a check until it returns a truthy value; fail with the last value."""
    deadline = time.monotonic() + timeout
    while True:
        last = check()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"{what or 'condition'} not met in {timeout}s; last value: {last!r}")
        time.sleep(0.05)  # a polling interval, not a wait for something to happen
