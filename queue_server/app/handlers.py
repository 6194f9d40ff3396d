"""Every cross-domain reaction in one place: which handler runs when which event is emitted."""

from __future__ import annotations

from queue_server.db.bus import MessageBus
from queue_server.feedback.handlers import open_for_bad_grade
from queue_server.tickets.events import TicketEvaluated


def message_bus() -> MessageBus:
    """Return the bus with every subscription of the server."""
    bus = MessageBus()
    bus.subscribe(TicketEvaluated, open_for_bad_grade)
    return bus
