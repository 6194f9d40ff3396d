"""Ticket use cases. Each runs in a unit of work, emits its events there, and returns the ticket."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, SQLModel, select

from queue_server.appointments import service as appointments
from queue_server.auth.service import Principal
from queue_server.core.errors import ApiError, Forbidden, Invalid, NotFound, Unauthorized
from queue_server.db.driver import Driver, DriverStatement, insert_returning_id
from queue_server.db.rows import transient
from queue_server.db.uow import UnitOfWork
from queue_server.domain.model import Channel, GradeSource, MobileEntry, TicketStatus
from queue_server.domain.numbering import format_number
from queue_server.domain.passes import check_pass
from queue_server.domain.states import Action
from queue_server.halls.hall import Hall
from queue_server.stations import service as agents
from queue_server.tickets.events import TicketCancelled, TicketEvaluated, TicketIssued, brief
from queue_server.tickets.models import (
    Evaluation,
    EvaluationCreate,
    IdempotencyKey,
    Ticket,
    TicketCreate,
    TicketEvaluationCreate,
)
from queue_server.tickets.service import phones
from queue_server.tickets.states import step


@dataclass(frozen=True)
class Issued:
    """An issued ticket, and whether this request made it (False for an idempotent replay)."""

    ticket: Ticket
    created: bool


@dataclass(frozen=True)
class Caller:
    """Who asks for a ticket, as far as idempotency and limits are concerned."""

    principal: Principal | None
    device_cookie: str | None  # the device id of a verified hall_device cookie
    ip: str

    @property
    def key(self) -> str:
        """Return the scope an Idempotency-Key belongs to (and a phone's identity for limits)."""
        if self.principal is not None:
            return self.principal.actor
        return f"cookie:{self.device_cookie}" if self.device_cookie else f"ip:{self.ip}"

    @property
    def scopes(self) -> list[str]:
        """Return where an earlier request with the same key may be remembered.

        A phone's first request may have had no cookie, and its answer (which set one) may have
        been lost: its retry carries the cookie, so the address scope is looked up too.
        """
        return [self.key, f"ip:{self.ip}"] if self.principal is None and self.device_cookie else [self.key]


def _authorise(hall: Hall, body: TicketCreate, caller: Caller, now: datetime) -> None:
    p = caller.principal
    if body.service not in hall.services:
        raise Invalid(f"没有这项业务：{body.service}")
    if body.channel == Channel.AGENT:
        agents.authorise_agent_ticket(hall, p)
    elif body.channel == Channel.KIOSK:
        if p is None:
            raise Unauthorized("取号机需要设备令牌 (kiosk device token required)")
        if not (p.kind == "device" and p.role == "kiosk"):
            raise Forbidden("只有取号机可以取 kiosk 号")
    elif body.channel == Channel.COUNTER:
        if p is None:
            raise Unauthorized("请先登录 (staff login required)")
        if not p.is_staff:
            raise Forbidden("只有工作人员可以在窗口代取号")
    else:  # mobile
        mode = hall.config.settings.mobile_entry
        if mode == MobileEntry.OFF:
            raise Forbidden("本大厅暂未开放手机取号，请到取号机取号")
        if mode == MobileEntry.ROTATING:
            ok = body.hall_pass is not None and check_pass(
                hall.secret, hall.code, body.hall_pass, now,
                hall.config.settings.pass_rotation_seconds,
            )
            if not ok:
                raise ApiError(
                    "请扫描大厅显示屏上的二维码取号（二维码每分钟更新）", status=403,
                    code="pass_required",
                )


def _body_hash(body: TicketCreate) -> str:
    # The pass is not part of "the same body": a retry may carry a newer pass.
    data = body.model_dump(exclude={"hall_pass"} | ({"appointment"} if body.appointment is None else set()))
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


_COUNTERS = SQLModel.metadata.tables["counter"]
_NEXT_NUMBER = DriverStatement("UPDATE counter SET last = last + 1 "
                               "WHERE hall = :hall AND day = :day AND category = :category "
                               "RETURNING last", _COUNTERS)
_FIRST_NUMBER = DriverStatement("INSERT INTO counter (hall, day, category, last) "
                                "VALUES (:hall, :day, :category, 1)", _COUNTERS)
_TICKETS = SQLModel.metadata.tables["ticket"]
_TICKET_COLUMNS = [c.name for c in _TICKETS.columns if c.name != "id"]
_INSERT_TICKET = insert_returning_id(_TICKETS, _TICKET_COLUMNS)


def _insert(driver: Driver, ticket: Ticket) -> int:
    """Insert a new ticket row and return its id (the ORM's flush was most of issuing).

    The ticket object stays outside the session: nothing in the transaction loads it again.
    """
    values = {name: getattr(ticket, name) for name in _TICKET_COLUMNS}
    return int(driver.run(_INSERT_TICKET, values)[0][0])


def next_number(driver: Driver, hall: str, day: Any, category: str) -> int:
    """Draw the next number for (hall, day, category) from its counter row."""
    params = {"hall": hall, "day": day, "category": category}
    rows = driver.run(_NEXT_NUMBER, params)
    if rows:
        return int(rows[0][0])
    driver.run(_FIRST_NUMBER, params)
    return 1


def issue(
    uow: UnitOfWork,
    *,
    body: TicketCreate,
    caller: Caller,
    idempotency_key: str | None,
    now: datetime,
) -> Issued:
    """Issue a ticket for a service, or return the one an earlier identical request made."""
    session, hall = uow.session, uow.hall
    _authorise(hall, body, caller, now)
    day = hall.day(now)
    if idempotency_key:
        if len(idempotency_key) > 200:
            raise Invalid("Idempotency-Key 太长")
        seen = next((row for scope in caller.scopes if (row := session.get(
            IdempotencyKey, (hall.code, day, scope, idempotency_key))) is not None), None)
        if seen is not None:
            if seen.body_hash != _body_hash(body):
                raise Invalid("同一个 Idempotency-Key 不能用于不同的请求")
            existing = session.get(Ticket, seen.ticket_id)
            assert existing is not None
            return Issued(existing, created=False)
    if body.channel == Channel.AGENT and caller.principal is not None:
        agents.count_agent_ticket(session, hall, caller.principal, day)
    if body.channel == Channel.MOBILE:
        phones.check_limits(session, hall, body, identity=caller.key, ip=caller.ip, day=day, now=now)
        phones.count_ip(session, hall, ip=caller.ip, day=day)
    appointment = None
    if body.appointment is not None:
        if body.channel not in (Channel.KIOSK, Channel.COUNTER):
            raise Invalid("预约只能在取号机或窗口签到")
        appointment = appointments.use(uow, code=body.appointment, service=body.service, now=now)
    bonus = hall.config.settings.appointments.bonus_seconds if appointment else 0
    category = hall.service_category[body.service]
    n = next_number(uow.driver, hall.code, day, category)
    # The routing order (policy.effective_since): issue time minus the priority and appointment bonuses.
    rank_at = (now - hall.bonus if body.priority else now) - timedelta(seconds=bonus)
    ticket = transient(Ticket, dict(
        hall=hall.code, day=day, number=format_number(category, n), number_category=category,
        category=category, service=body.service, channel=body.channel, priority=body.priority,
        token=secrets.token_urlsafe(16), phone=body.phone,
        device_cookie=caller.key if body.channel == Channel.MOBILE else None,
        issued_at=now, rank_at=rank_at, appointment_id=appointment.id if appointment else None,
        appointment_bonus=bonus, appointment_start=appointment.start if appointment else None,
    ))
    ticket.id = _insert(uow.driver, ticket)
    if appointment is not None:
        appointment.ticket_id = ticket.id
    # The estimate is computed after the commit, outside the hall lock, and shared by every
    # ticket issued meanwhile (the Estimator); it is recorded as eta_at_issue there.
    if idempotency_key:
        session.add(IdempotencyKey(hall=hall.code, day=day, caller=caller.key,
                                   key=idempotency_key, body_hash=_body_hash(body),
                                   ticket_id=ticket.id))
    actor = caller.principal.actor if caller.principal else f"resident:{ticket.id}"
    uow.emit(TicketIssued(ticket=brief(ticket), channel=ticket.channel, priority=ticket.priority),
             at=now, actor=actor)
    return Issued(ticket, created=True)


def get_ticket(session: Session, hall: Hall, ticket_id: int) -> Ticket:
    """Return a ticket of this hall, or raise NotFound."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.hall != hall.code:
        raise NotFound("没有这个号码")
    return ticket


def read_ticket(session: Session, hall: Hall, *, ticket_id: int, token: str | None,
                principal: Principal | None) -> Ticket:
    """Return a ticket to its resident (by token) or to staff, or refuse."""
    ticket = get_ticket(session, hall, ticket_id)
    if token is None and principal is not None and principal.is_staff:
        return ticket
    if token is None and principal is None:
        raise Unauthorized("需要号码凭证 (token)")
    if token is None:
        raise Forbidden("无权查看这个号码")
    check_token(ticket, token)
    return ticket


def token_matches(ticket: Ticket, token: str | None) -> bool:
    """Tell whether a resident token belongs to the ticket, in constant time."""
    # Compare bytes: compare_digest refuses non-ASCII str, and a token is whatever was typed.
    return bool(token) and secrets.compare_digest(str(token).encode(), ticket.token.encode())


def check_token(ticket: Ticket, token: str | None) -> None:
    """Refuse a resident token that does not belong to the ticket."""
    if not token_matches(ticket, token):
        raise Forbidden("号码凭证不正确")


def cancel(uow: UnitOfWork, *, ticket_id: int, token: str | None, now: datetime) -> Ticket:
    """Cancel a waiting ticket at the resident's request."""
    ticket = get_ticket(uow.session, uow.hall, ticket_id)
    check_token(ticket, token)
    step(ticket, Action.CANCEL, refusal=ApiError("只有等候中的号码可以取消", status=409,
                                                 code="ticket_not_waiting"))
    ticket.closed_at = now
    uow.emit(TicketCancelled(ticket=brief(ticket)), at=now, actor=f"resident:{ticket.id}")
    return ticket


def evaluate(
    uow: UnitOfWork,
    *,
    ticket: Ticket,
    body: EvaluationCreate,
    source: GradeSource,
    actor: str,
    now: datetime,
) -> Evaluation:
    """Store a resident's grade for a finished ticket."""
    session, hall = uow.session, uow.hall
    if ticket.status != TicketStatus.DONE:
        raise ApiError("业务办结后才能评价", status=409, code="ticket_not_done")
    earlier = session.exec(select(Evaluation).where(Evaluation.ticket_id == ticket.id)).first()
    if earlier is not None:
        if not _resident_replaces(hall, earlier, ticket, source, now):
            raise ApiError("这个号码已经评价过了，谢谢", status=409, code="already_evaluated")
        # A grade staff entered stands in for the resident only until the resident grades.
        session.delete(earlier)
        session.flush()
    assert ticket.id is not None
    row = Evaluation(
        hall=hall.code, ticket_id=ticket.id, window=ticket.window, clerk=ticket.clerk,
        grade=body.grade, reasons=json.dumps(body.reasons, ensure_ascii=False),
        comment=body.comment, source=source, at=now,
    )
    session.add(row)
    # A grade of 1 or 2 opens a feedback item in this same transaction (feedback.handlers).
    uow.emit(TicketEvaluated(ticket=brief(ticket), window=ticket.window, grade=body.grade),
             at=now, actor=actor)
    return row


def _resident_replaces(hall: Hall, earlier: Evaluation, ticket: Ticket, source: GradeSource,
                       now: datetime) -> bool:
    """Tell whether a resident's own grade replaces a grade staff entered (within the time limit)."""
    limit = timedelta(seconds=hall.config.settings.evaluation_window_seconds)
    return (earlier.source == GradeSource.STAFF and source != GradeSource.STAFF
            and ticket.finished_at is not None and now - ticket.finished_at <= limit)


def evaluate_by_token(uow: UnitOfWork, *, ticket_id: int, body: TicketEvaluationCreate,
                      now: datetime) -> tuple[Ticket, Evaluation]:
    """Store the grade a resident gives a finished ticket from their phone."""
    ticket = get_ticket(uow.session, uow.hall, ticket_id)
    check_token(ticket, body.token)
    row = evaluate(uow, ticket=ticket, body=body, source=GradeSource.MOBILE,
                   actor=f"resident:{ticket.id}", now=now)
    return ticket, row
