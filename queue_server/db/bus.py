"""The message bus: one domain's side effect on another, as a handler of a typed event.

A use case emits an event through its unit of work; the handlers subscribed to that event's type
run right after, inside the same transaction, so the side effect commits or rolls back with the
change that caused it. Handlers are registered in one place (``app/handlers.py``). A handler may
emit events of its own; they are handled after it returns, in the order they were emitted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from queue_server.core.events import EventBase

if TYPE_CHECKING:
    from queue_server.db.uow import UnitOfWork

E = TypeVar("E", bound=EventBase)


@dataclass(frozen=True)
class Emitted:
    """When the handled event happened and who acted; a handler's own events say the same."""

    at: datetime
    actor: str


Handler = Callable[["UnitOfWork", Any, Emitted], None]


class MessageBus:
    """Which handlers run when an event of a given type is emitted."""

    def __init__(self) -> None:
        self._handlers: dict[type[EventBase], list[Handler]] = {}

    def subscribe(self, event_type: type[E], handler: Callable[[UnitOfWork, E, Emitted], None]) -> None:
        """Run a handler for every event of this type, inside the emitting unit of work."""
        self._handlers.setdefault(event_type, []).append(handler)

    def handlers(self, event: EventBase) -> list[Handler]:
        """Return the handlers subscribed to an event's type, in the order they subscribed."""
        return self._handlers.get(type(event), [])

    def subscriptions(self) -> dict[type[EventBase], list[Handler]]:
        """Return every subscription, for the documentation and the architecture tests."""
        return {k: list(v) for k, v in self._handlers.items()}
