"""Window use cases: open, pause, call and every action on the current ticket."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text, update
from sqlmodel import Session, col, select

from queue_server.auth.service import Principal
from queue_server.domain.estimate import ewma
from queue_server.domain.model import TicketStatus, WindowStatus
from queue_server.domain.policy import ordered_queue
from queue_server.domain.states import Action, TransitionError, transition
from queue_server.errors import (
    ApiError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Unauthorized,
    conflict,
)
from queue_server.events import service as events
from queue_server.hall import Hall
from queue_server.tickets.estimates import read_queue
from queue_server.tickets.models import ServiceStat, Ticket
from queue_server.tickets.service import Outcome, get_ticket
from queue_server.windows.models import WindowState


def ensure_windows(session: Session, hall: Hall) -> None:
    """Create a state row for every configured window."""
    existing = set(session.exec(select(WindowState.number).where(WindowState.hall == hall.code)).all())
    for w in hall.config.windows:
        if w.number not in existing:
            session.add(WindowState(hall=hall.code, number=w.number, status="closed"))


def get_window(session: Session, hall: Hall, number: int) -> WindowState:
    if not 1 <= number <= len(hall.config.windows):
        raise NotFound(f"没有 {number} 号窗口")
    state = session.get(WindowState, (hall.code, number))
    if state is None:
        state = WindowState(hall=hall.code, number=number, status="closed")
        session.add(state)
        session.flush()
    return state


def _staff(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthorized("请先登录")
    if not principal.is_staff:
        raise Forbidden("设备不能操作窗口")
    return principal


def _owned(session: Session, hall: Hall, number: int, principal: Principal | None) -> WindowState:
    """Check authentication, the window number, then ownership, in the contract's order."""
    who = _staff(principal)
    events.lock_hall(session, hall.code)
    state = get_window(session, hall, number)
    if not who.is_manager and state.clerk != who.username:
        if state.clerk:
            raise Forbidden(f"{number} 号窗口由其他工作人员使用，您只能操作自己开启的窗口")
        raise Forbidden(f"您没有开启 {number} 号窗口，请先开启窗口")
    return state


def _event(session: Session, hall: Hall, type: str, now: datetime, who: Principal,
           state: WindowState, ticket: Ticket | None = None, **extra: Any) -> dict[str, Any]:
    return events.append(session, hall, type=type, at=now, actor=who.actor, ticket=ticket,
                         window=state.number, extra=extra or None)


def open_window(session: Session, hall: Hall, *, number: int, principal: Principal | None,
                now: datetime) -> tuple[WindowState, list[dict[str, Any]]]:
    """Open a window and sign the caller in as its clerk; managers may take one over."""
    who = _staff(principal)
    events.lock_hall(session, hall.code)
    state = get_window(session, hall, number)
    if state.status != WindowStatus.CLOSED and state.clerk == who.username:
        return state, []
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
    ev = _event(session, hall, "window.opened", now, who, state, status=state.status)
    return state, [ev]


def pause(session: Session, hall: Hall, *, number: int, principal: Principal | None,
          reason: str | None, now: datetime) -> tuple[WindowState, list[dict[str, Any]]]:
    """Stop new calls at an open window."""
    state = _owned(session, hall, number, principal)
    if state.status == WindowStatus.CLOSED:
        raise conflict("window_closed", "窗口已关闭")
    if state.status == WindowStatus.PAUSED:
        return state, []
    state.status, state.pause_reason, state.updated_at = WindowStatus.PAUSED, reason, now
    assert principal is not None
    return state, [_event(session, hall, "window.paused", now, principal, state, reason=reason)]


def resume(session: Session, hall: Hall, *, number: int, principal: Principal | None,
           now: datetime) -> tuple[WindowState, list[dict[str, Any]]]:
    """Let a paused window call again."""
    state = _owned(session, hall, number, principal)
    if state.status == WindowStatus.CLOSED:
        raise conflict("window_closed", "窗口已关闭，请先开启")
    if state.status == WindowStatus.OPEN:
        return state, []
    state.status, state.pause_reason, state.updated_at = WindowStatus.OPEN, None, now
    assert principal is not None
    return state, [_event(session, hall, "window.resumed", now, principal, state)]


def close(session: Session, hall: Hall, *, number: int, principal: Principal | None,
          now: datetime) -> tuple[WindowState, list[dict[str, Any]]]:
    """Close a window that holds no ticket, and sign its clerk out."""
    state = _owned(session, hall, number, principal)
    if state.status == WindowStatus.CLOSED:
        raise conflict("window_closed", "窗口已经关闭")
    if state.current_ticket_id is not None:
        raise conflict("window_busy", "请先办结或转移当前号码，再关闭窗口")
    state.status, state.clerk, state.pause_reason, state.updated_at = (
        WindowStatus.CLOSED, None, None, now)
    assert principal is not None
    return state, [_event(session, hall, "window.closed", now, principal, state)]


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


def call_next(session: Session, hall: Hall, *, number: int, principal: Principal | None,
              now: datetime) -> Outcome | None:
    """Call the ticket the routing policy picks for this window, or return None."""
    state = _owned(session, hall, number, principal)
    _ready_to_call(state)
    assert principal is not None
    profile = hall.profiles[number]
    for tier, services in enumerate(profile.tiers):
        while True:
            ticket_id = _lane_head(session, hall, number, tier, sorted(services))
            if ticket_id is None:
                break
            ticket = _claim(session, ticket_id)
            if ticket is None:
                continue  # another window took it first; look again
            _mark_called(ticket, state, principal, now)
            ev = _event(session, hall, "ticket.called", now, principal, state, ticket)
            return Outcome(ticket, [ev])
    return None


def call_specific(session: Session, hall: Hall, *, number: int, ticket_id: int,
                  principal: Principal | None, now: datetime) -> Outcome:
    """Call one chosen waiting ticket that this window can serve."""
    state = _owned(session, hall, number, principal)
    _ready_to_call(state)
    assert principal is not None
    ticket = get_ticket(session, hall, ticket_id)
    if ticket.status != "waiting":
        raise ApiError(f"{ticket.number} 号已被叫过或已结束，不在等候中", status=409,
                       code="ticket_not_waiting")
    profile = hall.profiles[number]
    can = (ticket.designated_window == number) or (
        ticket.designated_window is None and profile.serves(ticket.service))
    if not can and not principal.is_manager:
        raise Forbidden(f"{ticket.number} 号不属于本窗口的业务范围")
    claimed = _claim(session, ticket_id)
    if claimed is None:
        raise ApiError(f"{ticket.number} 号已被其他窗口叫走", status=409, code="ticket_not_waiting")
    _mark_called(claimed, state, principal, now)
    return Outcome(claimed, [_event(session, hall, "ticket.called", now, principal, state, claimed)])


def _current(session: Session, hall: Hall, number: int, principal: Principal | None) -> tuple[WindowState, Ticket]:
    state = _owned(session, hall, number, principal)
    if state.current_ticket_id is None:
        raise conflict("no_current_ticket", "本窗口当前没有号码")
    ticket = session.get(Ticket, state.current_ticket_id, populate_existing=True)
    assert ticket is not None
    return state, ticket


def _step(ticket: Ticket, action: Action) -> None:
    try:
        ticket.status = transition(TicketStatus(ticket.status), action)
    except TransitionError as exc:
        raise conflict("invalid_state", f"{ticket.number} 号当前状态不能执行此操作") from exc


def recall(session: Session, hall: Hall, *, number: int, principal: Principal | None,
           now: datetime) -> Outcome:
    """Announce the current ticket again."""
    state, ticket = _current(session, hall, number, principal)
    _step(ticket, Action.RECALL)
    ticket.call_count += 1
    ticket.called_at = now
    assert principal is not None
    return Outcome(ticket, [_event(session, hall, "ticket.recalled", now, principal, state, ticket)])


def start(session: Session, hall: Hall, *, number: int, principal: Principal | None,
          now: datetime) -> Outcome:
    """Begin serving the resident who answered the call."""
    state, ticket = _current(session, hall, number, principal)
    _step(ticket, Action.START)
    ticket.started_at = now
    assert principal is not None
    return Outcome(ticket, [_event(session, hall, "ticket.started", now, principal, state, ticket)])


def _learn_handling_time(session: Session, hall: Hall, service: str, seconds: float) -> None:
    stat = session.get(ServiceStat, (hall.code, service))
    alpha = hall.config.settings.handling_time_smoothing
    if stat is None:
        stat = ServiceStat(hall=hall.code, service=service,
                           mean_seconds=hall.mean_seconds(service), samples=0)
        session.add(stat)
    stat.mean_seconds = ewma(stat.mean_seconds, seconds, alpha)
    stat.samples += 1


def finish(session: Session, hall: Hall, *, number: int, principal: Principal | None,
           outcome: str, now: datetime) -> Outcome:
    """Finish the current ticket with an outcome."""
    state, ticket = _current(session, hall, number, principal)
    _step(ticket, Action.FINISH)
    ticket.outcome = outcome
    ticket.finished_at = ticket.closed_at = now
    since = ticket.started_at or ticket.called_at
    assert since is not None and principal is not None
    ticket.service_seconds = (now - since).total_seconds()
    _learn_handling_time(session, hall, ticket.service, ticket.service_seconds)
    state.current_ticket_id = None
    state.last_finished_ticket_id = ticket.id
    state.updated_at = now
    ev = _event(session, hall, "ticket.finished", now, principal, state, ticket, outcome=outcome)
    return Outcome(ticket, [ev])


def no_show(session: Session, hall: Hall, *, number: int, principal: Principal | None,
            now: datetime) -> Outcome:
    """Mark the called resident as absent."""
    state, ticket = _current(session, hall, number, principal)
    _step(ticket, Action.NO_SHOW)
    ticket.closed_at = now
    state.current_ticket_id = None
    state.updated_at = now
    assert principal is not None
    return Outcome(ticket, [_event(session, hall, "ticket.no_show", now, principal, state, ticket)])


def transfer(session: Session, hall: Hall, *, number: int, principal: Principal | None,
             service: str | None, window: int | None, now: datetime) -> Outcome:
    """Send the current ticket back to waiting for another service or window, keeping its place."""
    state, ticket = _current(session, hall, number, principal)
    if service is not None and service not in hall.services:
        raise Invalid(f"没有这项业务：{service}")
    if window is not None and not 1 <= window <= len(hall.config.windows):
        raise Invalid(f"没有 {window} 号窗口")
    _step(ticket, Action.TRANSFER)
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
    assert principal is not None
    ev = _event(session, hall, "ticket.transferred", now, principal, state, ticket,
                to_service=service, to_window=window)
    return Outcome(ticket, [ev])


def last_finished(session: Session, hall: Hall, number: int, now: datetime,
                  within: timedelta) -> Ticket:
    """Return the ticket this window finished most recently, if recent enough to evaluate."""
    state = get_window(session, hall, number)
    ticket = (session.get(Ticket, state.last_finished_ticket_id)
              if state.last_finished_ticket_id else None)
    if ticket is None or ticket.finished_at is None or now - ticket.finished_at > within:
        raise ApiError("本窗口最近没有办结的业务可评价", status=409, code="ticket_not_done")
    return ticket


def queue_for(session: Session, hall: Hall, number: int) -> list[Ticket]:
    """Return the waiting tickets this window can serve, in call-next order."""
    view = read_queue(session, hall)
    order = ordered_queue(hall.profiles[number], view.waiting, hall.bonus)
    if not order:
        return []
    rows = {t.id: t for t in session.exec(
        select(Ticket).where(col(Ticket.id).in_([q.id for q in order]))).all()}
    return [rows[q.id] for q in order]
