"""Window use cases: open, pause, resume and close; the window rows and who may act on them.

Every use case runs in a unit of work (which holds the hall lock), takes the acting staff member,
emits its events there, and returns what it changed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from queue_server.auth.service import Principal
from queue_server.core.errors import ApiError, Conflict, Forbidden, NotFound, conflict
from queue_server.core.events import EventBase
from queue_server.db.uow import UnitOfWork
from queue_server.domain.model import DeviceKind, GradeSource, TicketStatus, WindowStatus
from queue_server.domain.states import Action
from queue_server.halls.hall import Hall
from queue_server.tickets.events import TicketTransferred, brief
from queue_server.tickets.models import Evaluation, EvaluationCreate, Ticket
from queue_server.tickets.service.grading import evaluate
from queue_server.tickets.service.states import step
from queue_server.windows.events import PAUSE_REASONS, WindowClosed, WindowOpened, WindowPaused, WindowResumed
from queue_server.windows.models import WindowState


def ensure_windows(uow: UnitOfWork, now: datetime) -> None:
    """Create a state row for every configured window, and retire the rows of windows gone."""
    session, hall = uow.session, uow.hall
    rows = session.exec(select(WindowState).where(WindowState.hall == hall.code)).all()
    existing = {w.number for w in rows}
    for w in hall.config.windows:
        if w.number not in existing:
            session.add(WindowState(hall=hall.code, number=w.number, status=WindowStatus.CLOSED))
    for state in rows:
        if not 1 <= state.number <= len(hall.config.windows):
            _retire(uow, state, now)


def _retire(uow: UnitOfWork, state: WindowState, now: datetime) -> None:
    # A window the imported hall no longer has: its resident goes back to the queue, tickets sent
    # to it are released to their service, its clerk is signed out, and its row is removed. The
    # events go through the unit of work, so their handlers (the window's open time) see them too.
    session, hall = uow.session, uow.hall
    n = state.number
    if state.current_ticket_id is not None:
        ticket = session.get(Ticket, state.current_ticket_id)
        if ticket is not None and ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING):
            step(ticket, Action.TRANSFER)
            ticket.window = ticket.clerk = ticket.started_at = None
            uow.emit(TicketTransferred(ticket=brief(ticket), window=n), at=now, actor="system")
    for ticket in session.exec(select(Ticket).where(
            Ticket.hall == hall.code, Ticket.designated_window == n,
            Ticket.status == TicketStatus.WAITING)).all():
        ticket.designated_window = None
        uow.emit(TicketTransferred(ticket=brief(ticket), window=n), at=now, actor="system")
    if state.status != WindowStatus.CLOSED:
        uow.emit(WindowClosed(window=n), at=now, actor="system")
    session.delete(state)
    session.flush()


def get_window(session: Session, hall: Hall, number: int) -> WindowState:
    """Return a window's state row, or raise NotFound for a number the hall does not have."""
    if not 1 <= number <= len(hall.config.windows):
        raise NotFound(f"没有 {number} 号窗口")
    state = session.get(WindowState, (hall.code, number))
    if state is None:
        state = WindowState(hall=hall.code, number=number, status=WindowStatus.CLOSED)
        session.add(state)
        session.flush()
    return state


def owned(uow: UnitOfWork, number: int, who: Principal) -> WindowState:
    """Check the window number, then ownership, in the contract's order."""
    state = get_window(uow.session, uow.hall, number)
    if not who.is_manager and state.clerk != who.username:
        if state.clerk:
            raise Forbidden(f"{number} 号窗口由其他工作人员使用，您只能操作自己开启的窗口")
        raise Forbidden(f"您没有开启 {number} 号窗口，请先开启窗口")
    return state


def ticket_event(uow: UnitOfWork, kind: type[EventBase], state: WindowState, ticket: Ticket,
                  who: Principal, now: datetime, **extra: Any) -> None:
    event = kind(ticket=brief(ticket), window=state.number, **extra)
    uow.emit(event, at=now, actor=who.actor)


def open_window(uow: UnitOfWork, *, number: int, who: Principal, now: datetime) -> WindowState:
    """Open a window and sign the caller in as its clerk; managers may take one over."""
    session, hall = uow.session, uow.hall
    state = get_window(session, hall, number)
    if state.status != WindowStatus.CLOSED and state.clerk == who.username:
        return state
    if state.status != WindowStatus.CLOSED and state.clerk and not who.is_manager:
        raise Forbidden(f"{number} 号窗口由其他工作人员使用")
    if not who.is_manager:
        held = session.exec(
            select(WindowState.number).where(
                WindowState.hall == hall.code, WindowState.clerk == who.username,
                WindowState.status != WindowStatus.CLOSED,
            )
        ).first()
        if held is not None:
            raise Conflict(f"您已开启 {held} 号窗口，一人只能开启一个窗口")
    if state.status == WindowStatus.CLOSED:
        state.status = WindowStatus.OPEN
    state.clerk = who.username
    state.updated_at = now
    uow.emit(WindowOpened(window=number, status=state.status), at=now, actor=who.actor)
    return state


def pause(uow: UnitOfWork, *, number: int, who: Principal, reason: str | None,
          now: datetime) -> WindowState:
    """Stop new calls at an open window."""
    state = owned(uow, number, who)
    if state.status == WindowStatus.CLOSED:
        raise conflict("window_closed", "窗口已关闭")
    if state.status == WindowStatus.PAUSED:
        return state
    state.status, state.pause_reason, state.updated_at = WindowStatus.PAUSED, reason, now
    # Only a reason from the fixed list may reach the public board; typed text stays a note.
    listed = reason if reason in PAUSE_REASONS else None
    uow.emit(WindowPaused(window=number, reason=listed, note=None if listed else reason),
             at=now, actor=who.actor)
    return state


def resume(uow: UnitOfWork, *, number: int, who: Principal, now: datetime) -> WindowState:
    """Let a paused window call again."""
    state = owned(uow, number, who)
    if state.status == WindowStatus.CLOSED:
        raise conflict("window_closed", "窗口已关闭，请先开启")
    if state.status == WindowStatus.OPEN:
        return state
    state.status, state.pause_reason, state.updated_at = WindowStatus.OPEN, None, now
    uow.emit(WindowResumed(window=number), at=now, actor=who.actor)
    return state


def close(uow: UnitOfWork, *, number: int, who: Principal, now: datetime) -> WindowState:
    """Close a window that holds no ticket, and sign its clerk out."""
    state = owned(uow, number, who)
    if state.status == WindowStatus.CLOSED:
        raise conflict("window_closed", "窗口已经关闭")
    if state.current_ticket_id is not None:
        raise conflict("window_busy", "请先办结或转移当前号码，再关闭窗口")
    state.status, state.clerk, state.pause_reason, state.updated_at = (
        WindowStatus.CLOSED, None, None, now)
    uow.emit(WindowClosed(window=number), at=now, actor=who.actor)
    return state


def last_finished(session: Session, hall: Hall, number: int, now: datetime,
                  within: timedelta) -> Ticket:
    """Return the ticket this window finished most recently, if recent enough to evaluate."""
    state = get_window(session, hall, number)
    ticket = (session.get(Ticket, state.last_finished_ticket_id)
              if state.last_finished_ticket_id else None)
    if ticket is None or ticket.finished_at is None or now - ticket.finished_at > within:
        raise ApiError("本窗口最近没有办结的业务可评价", status=409, code="ticket_not_done")
    return ticket


def _may_evaluate(who: Principal, state: WindowState, number: int) -> None:
    if who.kind == "device":
        if who.role != DeviceKind.PAD or who.window != number:
            raise Forbidden(f"只有 {number} 号窗口的评价器可以提交评价")
    elif not who.is_manager and state.clerk != who.username:
        raise Forbidden("您只能为自己窗口的业务提交评价")


def evaluate_last(uow: UnitOfWork, *, number: int, who: Principal, body: EvaluationCreate,
                  now: datetime) -> tuple[Ticket, Evaluation]:
    """Grade the ticket this window finished most recently, from its pad or by staff."""
    state = get_window(uow.session, uow.hall, number)
    _may_evaluate(who, state, number)
    within = timedelta(seconds=uow.hall.config.settings.evaluation_window_seconds)
    ticket = last_finished(uow.session, uow.hall, number, now, within)
    source = GradeSource.PAD if who.kind == "device" else GradeSource.STAFF
    row = evaluate(uow, ticket=ticket, body=body, source=source, actor=who.actor, now=now)
    return ticket, row
