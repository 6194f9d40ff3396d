"""Move a ticket row through the pure state machine: the only way a ticket's status changes."""

from __future__ import annotations

from queue_server.core.errors import ApiError, conflict
from queue_server.domain.model import TicketStatus
from queue_server.domain.states import Action, TransitionError, transition
from queue_server.tickets.models import Ticket


def step(ticket: Ticket, action: Action, *, refusal: ApiError | None = None) -> None:
    """Apply an action to a ticket, or refuse with a 409 (``invalid_state`` unless told)."""
    try:
        ticket.status = transition(TicketStatus(ticket.status), action)
    except TransitionError as exc:
        raise refusal or conflict("invalid_state", f"{ticket.number} 号当前状态不能执行此操作") from exc
