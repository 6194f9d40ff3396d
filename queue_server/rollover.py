"""The service-day rollover: expire what is still open and close every window."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from queue_server.domain.model import OPEN_STATUSES, TicketStatus, WindowStatus
from queue_server.domain.states import Action, transition
from queue_server.events import service as events
from queue_server.events.models import HallState
from queue_server.hall import Hall
from queue_server.tickets.models import Ticket
from queue_server.windows.models import WindowState


def rollover(session: Session, hall: Hall, now: datetime) -> list[dict[str, Any]]:
    """Close the previous service day if the day has changed; return the events made."""
    events.lock_hall(session, hall.code)
    state = session.get(HallState, hall.code)
    assert state is not None
    today = hall.day(now)
    if state.current_day == today.isoformat():
        return []
    out: list[dict[str, Any]] = []
    stale = session.exec(
        select(Ticket).where(Ticket.hall == hall.code, Ticket.day < today,
                             col(Ticket.status).in_([s.value for s in OPEN_STATUSES]))
        .order_by(col(Ticket.id))
    ).all()
    for ticket in stale:
        ticket.status = transition(TicketStatus(ticket.status), Action.EXPIRE)
        ticket.closed_at = now
        out.append(events.append(session, hall, type="ticket.expired", at=now, actor="system",
                                 ticket=ticket))
    if state.current_day is not None:
        windows = session.exec(select(WindowState).where(
            WindowState.hall == hall.code, WindowState.status != WindowStatus.CLOSED)).all()
        for w in windows:
            w.status, w.clerk, w.current_ticket_id, w.pause_reason = "closed", None, None, None
            w.updated_at = now
            out.append(events.append(session, hall, type="window.closed", at=now, actor="system",
                                     window=w.number))
    state.current_day = today.isoformat()
    forget_phones(session, hall, today)
    return out


def forget_phones(session: Session, hall: Hall, today: date) -> int:
    """Erase residents' phone numbers once the retention period has passed; return how many."""
    keep_from = today - timedelta(days=hall.config.settings.phone_retention_days)
    result = session.execute(
        update(Ticket)
        .where(col(Ticket.hall) == hall.code, col(Ticket.day) < keep_from,
               col(Ticket.phone).is_not(None))
        .values(phone=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
