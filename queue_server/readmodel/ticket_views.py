"""What residents' ticket sockets show: each ticket's public view, read together."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from queue_server.domain.estimate import Estimate
from queue_server.halls.hall import Hall
from queue_server.tickets.models import Ticket
from queue_server.tickets.queries import ticket_public


def ticket_views(session: Session, hall: Hall, keys: list[tuple[int, str]],
                 estimates: dict[int, Estimate]) -> dict[tuple[int, str], dict[str, Any]]:
    """Return the resident's view of each (ticket id, base URL), in one query."""
    ids = sorted({ticket_id for ticket_id, _ in keys})
    rows = {t.id: t for t in session.exec(select(Ticket).where(col(Ticket.id).in_(ids))).all()}
    views = {}
    for ticket_id, base in keys:
        ticket = rows.get(ticket_id)
        if ticket is not None:
            views[(ticket_id, base)] = ticket_public(
                ticket, hall, estimate=estimates.get(ticket_id), base_url=base,
                with_token=True).model_dump(mode="json", exclude_unset=True)
    return views
