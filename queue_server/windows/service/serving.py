"""Serving the current ticket: recall, start, finish, no-show and transfer."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from queue_server.auth.service import Principal
from queue_server.core.errors import Invalid, conflict
from queue_server.db.uow import UnitOfWork
from queue_server.domain.estimate import ewma
from queue_server.domain.model import Outcome
from queue_server.domain.states import Action
from queue_server.halls.hall import Hall
from queue_server.halls.models import ServiceStat
from queue_server.tickets.events import TicketFinished, TicketNoShow, TicketRecalled, TicketStarted, TicketTransferred
from queue_server.tickets.models import Ticket
from queue_server.tickets.service.states import step
from queue_server.windows.models import WindowState
from queue_server.windows.service.opening import owned, ticket_event


def _current(uow: UnitOfWork, number: int, who: Principal) -> tuple[WindowState, Ticket]:
    state = owned(uow, number, who)
    if state.current_ticket_id is None:
        raise conflict("no_current_ticket", "本窗口当前没有号码")
    ticket = uow.session.get(Ticket, state.current_ticket_id, populate_existing=True)
    assert ticket is not None
    return state, ticket


def recall(uow: UnitOfWork, *, number: int, who: Principal, now: datetime) -> Ticket:
    """Announce the current ticket again."""
    state, ticket = _current(uow, number, who)
    step(ticket, Action.RECALL)
    ticket.call_count += 1
    ticket.called_at = now
    ticket_event(uow, TicketRecalled, state, ticket, who, now)
    return ticket


def start(uow: UnitOfWork, *, number: int, who: Principal, now: datetime) -> Ticket:
    """Begin serving the resident who answered the call."""
    state, ticket = _current(uow, number, who)
    step(ticket, Action.START)
    ticket.started_at = now
    ticket_event(uow, TicketStarted, state, ticket, who, now)
    return ticket


def _learn_handling_time(session: Session, hall: Hall, service: str, seconds: float) -> None:
    stat = session.get(ServiceStat, (hall.code, service))
    alpha = hall.config.settings.handling_time_smoothing
    if stat is None:
        stat = ServiceStat(hall=hall.code, service=service,
                           mean_seconds=hall.mean_seconds(service), samples=0)
        session.add(stat)
    stat.mean_seconds = ewma(stat.mean_seconds, seconds, alpha)
    stat.samples += 1


def finish(uow: UnitOfWork, *, number: int, who: Principal, outcome: Outcome,
           now: datetime) -> Ticket:
    """Finish the current ticket with an outcome."""
    state, ticket = _current(uow, number, who)
    step(ticket, Action.FINISH)
    ticket.outcome = outcome
    ticket.finished_at = ticket.closed_at = now
    since = ticket.started_at or ticket.called_at
    assert since is not None
    ticket.service_seconds = (now - since).total_seconds()
    _learn_handling_time(uow.session, uow.hall, ticket.service, ticket.service_seconds)
    state.current_ticket_id = None
    state.last_finished_ticket_id = ticket.id
    state.updated_at = now
    ticket_event(uow, TicketFinished, state, ticket, who, now, outcome=outcome)
    return ticket


def no_show(uow: UnitOfWork, *, number: int, who: Principal, now: datetime) -> Ticket:
    """Mark the called resident as absent."""
    state, ticket = _current(uow, number, who)
    step(ticket, Action.NO_SHOW)
    ticket.closed_at = now
    state.current_ticket_id = None
    state.updated_at = now
    ticket_event(uow, TicketNoShow, state, ticket, who, now)
    return ticket


def transfer(uow: UnitOfWork, *, number: int, who: Principal, service: str | None,
             window: int | None, now: datetime) -> Ticket:
    """Send the current ticket back to waiting for another service or window, keeping its place."""
    hall = uow.hall
    state, ticket = _current(uow, number, who)
    if service is not None and service not in hall.services:
        raise Invalid(f"没有这项业务：{service}")
    if window is not None and not 1 <= window <= len(hall.config.windows):
        raise Invalid(f"没有 {window} 号窗口")
    step(ticket, Action.TRANSFER)
    if service is not None:
        ticket.service = service
        ticket.category = hall.service_category[service]
        ticket.designated_window = None
    else:
        ticket.designated_window = window
    ticket.window = None
    ticket.clerk = None
    ticket.started_at = None
    state.current_ticket_id = None
    state.updated_at = now
    ticket_event(uow, TicketTransferred, state, ticket, who, now, to_service=service,
                  to_window=window)
    return ticket
