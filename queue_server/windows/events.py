"""Window events: opened, paused, resumed and closed."""

from __future__ import annotations

from typing import Any, Literal

from queue_server.core.events import EventBase
from queue_server.domain.model import PauseReason, WindowStatus

PAUSE_REASONS = frozenset(r.value for r in PauseReason)


class WindowOpened(EventBase):
    PUBLIC = EventBase.PUBLIC | {"status"}
    type: Literal["window.opened"] = "window.opened"
    status: WindowStatus


class WindowPaused(EventBase):
    PUBLIC = EventBase.PUBLIC | {"reason"}
    type: Literal["window.paused"] = "window.paused"
    reason: str | None = None  # public only when it is one of the fixed PauseReason list
    note: str | None = None  # typed by the clerk: the log and staff only

    def public(self) -> dict[str, Any]:
        """Return the public fields; a reason not from the fixed list (older logs) is dropped."""
        data = super().public()
        if data.get("reason") not in PAUSE_REASONS:
            data["reason"] = None
        return data


class WindowResumed(EventBase):
    type: Literal["window.resumed"] = "window.resumed"


class WindowClosed(EventBase):
    type: Literal["window.closed"] = "window.closed"
