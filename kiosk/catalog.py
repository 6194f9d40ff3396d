"""What the catalogue tells about the hall's windows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

SERVING = ("open", "paused")


def serves_now(catalog: Mapping[str, Any], numbers: Iterable[int]) -> bool | None:
    """Tell whether one of these windows is open or paused; None when the windows are not known.

    Until one is, a ticket's estimate assumes every window that serves it is open (API.md), so
    a zero means "first once they open", not "no wait".
    """
    windows = catalog.get("windows") or []
    if not windows:
        return None
    wanted = {int(n) for n in numbers}
    return any(int(w.get("number", -1)) in wanted and w.get("status") in SERVING for w in windows)
