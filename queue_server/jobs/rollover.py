"""The service-day rollover: expire what is still open, close every window and yesterday's help calls."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from queue_server.appointments.service import forget_personal, mark_missed
from queue_server.db.eventlog import HallState
from queue_server.db.uow import UnitOfWork
from queue_server.domain.model import OPEN_STATUSES, WindowStatus
from queue_server.domain.states import Action
from queue_server.halls.hall import Hall
from queue_server.help.service import close_left_open
from queue_server.jobs.retention import prune
from queue_server.tickets.events import TicketExpired, brief
from queue_server.tickets.models import Ticket
from queue_server.tickets.service.states import step
from queue_server.windows.events import WindowClosed
from queue_server.windows.models import WindowState


def rollover(uow: UnitOfWork, now: datetime) -> bool:
    """Close the previous service day if the day has changed; tell whether it did."""
    session, hall = uow.session, uow.hall
    state = session.get(HallState, hall.code)
    assert state is not None
    today = hall.day(now)
    if state.current_day == today.isoformat():
        return False
    stale = session.exec(
        select(Ticket).where(Ticket.hall == hall.code, Ticket.day < today,
                             col(Ticket.status).in_([s.value for s in OPEN_STATUSES]))
        .order_by(col(Ticket.id))
    ).all()
    for ticket in stale:
        step(ticket, Action.EXPIRE)
        ticket.closed_at = now
        uow.emit(TicketExpired(ticket=brief(ticket)), at=now, actor="system")
    if state.current_day is not None:
        windows = session.exec(select(WindowState).where(
            WindowState.hall == hall.code, WindowState.status != WindowStatus.CLOSED)).all()
        for w in windows:
            w.status, w.clerk, w.current_ticket_id, w.pause_reason = (
                WindowStatus.CLOSED, None, None, None)
            w.updated_at = now
            uow.emit(WindowClosed(window=w.number), at=now, actor="system")
    close_left_open(uow, today=today, now=now)  # a call nobody closed would block its kiosk's button
    mark_missed(uow, now=now)  # 预约 not used by their slot's end count towards the no-show limit
    state.current_day = today.isoformat()
    forget_phones(session, hall, today)
    forget_personal(session, hall, today)  # 预约 names and phones, on the same retention period
    prune(session, hall, today, now)
    return True


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
