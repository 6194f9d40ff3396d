"""Calling: the next ticket by the routing policy, or a chosen one, claimed with a compare-and-set."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text, update
from sqlmodel import Session, col

from queue_server.auth.service import Principal
from queue_server.core.errors import ApiError, Forbidden, conflict
from queue_server.db.uow import UnitOfWork
from queue_server.domain.model import TicketStatus, WindowStatus
from queue_server.domain.states import Action, transition
from queue_server.halls.hall import Hall
from queue_server.tickets.events import TicketCalled
from queue_server.tickets.models import Ticket
from queue_server.tickets.queries import get_ticket
from queue_server.windows.models import WindowState
from queue_server.windows.service.opening import owned, ticket_event


def _ready_to_call(state: WindowState) -> None:
    if state.status != WindowStatus.OPEN:
        raise conflict("window_closed", "窗口未开启或已暂停，不能叫号")
    if state.current_ticket_id is not None:
        raise conflict("window_busy", "请先处理当前号码（办结、过号或转移），再叫下一位")


_LANE_HEAD = ("SELECT * FROM (SELECT id, rank_at, number FROM ticket "
              "WHERE hall = :hall AND status = 'waiting' AND {match} "
              "ORDER BY rank_at, number, id LIMIT 1) AS lane{i}")


@lru_cache(maxsize=512)
def _lane_sql(lanes: int, designated: bool) -> TextClause:
    """Return SQL that finds the head of every lane in a tier, best first.

    Each lane head is one index lookup (ix_ticket_lane, ix_ticket_designated), so the cost does
    not grow with the backlog. The text is built once per shape: hot-path calls skip SQLAlchemy's
    statement construction entirely.
    """
    heads = [_LANE_HEAD.format(match=f"service = :s{i} AND designated_window IS NULL", i=i)
             for i in range(lanes)]
    if designated:
        heads.append(_LANE_HEAD.format(match="designated_window = :window", i="w"))
    return text("SELECT id FROM (" + " UNION ALL ".join(heads) + ") AS heads "
                "ORDER BY rank_at, number, id LIMIT 1")


def _lane_head(session: Session, hall: Hall, number: int, tier: int, services: list[str]) -> int | None:
    params: dict[str, Any] = {"hall": hall.code, "window": number}
    params.update({f"s{i}": code for i, code in enumerate(services)})
    found = session.execute(_lane_sql(len(services), tier == 0), params).scalar()
    return int(found) if found is not None else None


def _mark_called(ticket: Ticket, state: WindowState, who: Principal, now: datetime) -> None:
    ticket.window, ticket.clerk = state.number, state.clerk or who.username
    ticket.call_count += 1
    ticket.called_at = now
    if ticket.first_called_at is None:
        ticket.first_called_at = now
        ticket.wait_seconds = (now - ticket.issued_at).total_seconds()
    state.current_ticket_id = ticket.id
    state.updated_at = now


def _claim(session: Session, ticket_id: int) -> Ticket | None:
    """Take a waiting ticket with a compare-and-set, so two windows never get the same one."""
    result = session.execute(
        update(Ticket)
        .where(col(Ticket.id) == ticket_id, col(Ticket.status) == TicketStatus.WAITING)
        .values(status=transition(TicketStatus.WAITING, Action.CALL))
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(Ticket, ticket_id, populate_existing=True)


def call_next(uow: UnitOfWork, *, number: int, who: Principal, now: datetime) -> Ticket | None:
    """Call the ticket the routing policy picks for this window, or return None."""
    session, hall = uow.session, uow.hall
    state = owned(uow, number, who)
    _ready_to_call(state)
    profile = hall.profiles[number]
    for tier, services in enumerate(profile.tiers):
        while True:
            ticket_id = _lane_head(session, hall, number, tier, sorted(services))
            if ticket_id is None:
                break
            ticket = _claim(session, ticket_id)
            if ticket is None:
                continue  # another window took it first; look again
            _mark_called(ticket, state, who, now)
            ticket_event(uow, TicketCalled, state, ticket, who, now)
            return ticket
    return None


def call_specific(uow: UnitOfWork, *, number: int, ticket_id: int, who: Principal,
                  now: datetime) -> Ticket:
    """Call one chosen waiting ticket that this window can serve."""
    session, hall = uow.session, uow.hall
    state = owned(uow, number, who)
    _ready_to_call(state)
    ticket = get_ticket(session, hall, ticket_id)
    if ticket.status != TicketStatus.WAITING:
        raise ApiError(f"{ticket.number} 号已被叫过或已结束，不在等候中", status=409,
                       code="ticket_not_waiting")
    profile = hall.profiles[number]
    can = (ticket.designated_window == number) or (
        ticket.designated_window is None and profile.serves(ticket.service))
    if not can and not who.is_manager:
        raise Forbidden(f"{ticket.number} 号不属于本窗口的业务范围")
    claimed = _claim(session, ticket_id)
    if claimed is None:
        raise ApiError(f"{ticket.number} 号已被其他窗口叫走", status=409, code="ticket_not_waiting")
    _mark_called(claimed, state, who, now)
    ticket_event(uow, TicketCalled, state, claimed, who, now)
    return claimed
