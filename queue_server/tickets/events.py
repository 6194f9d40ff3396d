"""Ticket events: issued, called, served, closed and graded; the log, the hub and the pages read them."""

from __future__ import annotations

from typing import Literal

from queue_server.core.events import EventBase, TicketBrief
from queue_server.domain.model import Channel, Outcome, Priority
from queue_server.tickets.models import Ticket

CALL_TYPES = ("ticket.called", "ticket.recalled")


def brief(ticket: Ticket) -> TicketBrief:
    """Return the public, number-only view of a ticket carried in events."""
    assert ticket.id is not None
    return TicketBrief(id=ticket.id, number=ticket.number, service=ticket.service,
                       category=ticket.category, status=ticket.status, window=ticket.window)


class TicketIssued(EventBase):
    PUBLIC = EventBase.PUBLIC | {"channel"}
    type: Literal["ticket.issued"] = "ticket.issued"
    channel: Channel
    priority: Priority | None = None


class TicketCalled(EventBase):
    type: Literal["ticket.called"] = "ticket.called"


class TicketRecalled(EventBase):
    type: Literal["ticket.recalled"] = "ticket.recalled"


class TicketStarted(EventBase):
    type: Literal["ticket.started"] = "ticket.started"


class TicketFinished(EventBase):
    PUBLIC = EventBase.PUBLIC | {"outcome"}
    type: Literal["ticket.finished"] = "ticket.finished"
    outcome: Outcome


class TicketNoShow(EventBase):
    type: Literal["ticket.no_show"] = "ticket.no_show"


class TicketTransferred(EventBase):
    PUBLIC = EventBase.PUBLIC | {"to_service", "to_window"}
    type: Literal["ticket.transferred"] = "ticket.transferred"
    to_service: str | None = None
    to_window: int | None = None


class TicketCancelled(EventBase):
    type: Literal["ticket.cancelled"] = "ticket.cancelled"


class TicketExpired(EventBase):
    type: Literal["ticket.expired"] = "ticket.expired"


class TicketEvaluated(EventBase):
    type: Literal["ticket.evaluated"] = "ticket.evaluated"
    grade: int
