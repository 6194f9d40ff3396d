"""Issuing a ticket, and its resident cancelling it: use cases that run in a unit of work."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from queue_server.appointments import service as appointments
from queue_server.auth.service import Principal
from queue_server.core.errors import ApiError, Forbidden, Invalid, Unauthorized
from queue_server.db.rows import transient
from queue_server.db.uow import UnitOfWork
from queue_server.domain.model import Channel, MobileEntry
from queue_server.domain.numbering import format_number
from queue_server.domain.passes import check_pass
from queue_server.domain.states import Action
from queue_server.halls.hall import Hall
from queue_server.stations import service as agents
from queue_server.tickets import repository
from queue_server.tickets.events import TicketCancelled, TicketIssued, brief
from queue_server.tickets.identity import open_token, seal_holder
from queue_server.tickets.models import (
    IdempotencyKey,
    Ticket,
    TicketCreate,
)
from queue_server.tickets.queries import check_token, get_ticket
from queue_server.tickets.service import phones
from queue_server.tickets.service.states import step


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
    # Fields added later are left out when absent, so keys remembered before them still match.
    absent = {name for name in ("appointment", "identity", "sms") if getattr(body, name) is None}
    data = body.model_dump(exclude={"hall_pass"} | absent)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


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
    sealed = _sealed_identity(hall, body, caller, now)
    appointment = None
    if body.appointment is not None:
        if body.channel not in (Channel.KIOSK, Channel.COUNTER):
            raise Invalid("预约只能在取号机或窗口签到")
        appointment = appointments.use(uow, code=body.appointment, service=body.service, now=now)
    bonus = hall.config.settings.appointments.bonus_seconds if appointment else 0
    category = hall.service_category[body.service]
    n = repository.next_number(uow.driver, hall.code, day, category)
    # The routing order (policy.effective_since): issue time minus the priority and appointment bonuses.
    rank_at = (now - hall.bonus if body.priority else now) - timedelta(seconds=bonus)
    ticket = transient(Ticket, dict(
        hall=hall.code, day=day, number=format_number(category, n), number_category=category,
        category=category, service=body.service, channel=body.channel, priority=body.priority,
        token=secrets.token_urlsafe(16), phone=body.phone, sms=wants_sms(body),
        device_cookie=caller.key if body.channel == Channel.MOBILE else None,
        issued_at=now, rank_at=rank_at, appointment_id=appointment.id if appointment else None,
        appointment_bonus=bonus, appointment_start=appointment.start if appointment else None,
        applicant_sealed=sealed,
    ))
    ticket.id = repository.insert_ticket(uow.driver, ticket)
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


def wants_sms(body: TicketCreate) -> bool:
    """Tell whether a new ticket is texted: it has a phone, and a phone ticket asked for it."""
    return body.phone is not None and (body.channel != Channel.MOBILE or body.sms is True)


def _sealed_identity(hall: Hall, body: TicketCreate, caller: Caller, now: datetime) -> str | None:
    """Return the card holder of a kiosk's identity, sealed for the ticket row; None without one."""
    if body.identity is None:
        return None
    p = caller.principal
    if body.channel != Channel.KIOSK or p is None or p.device_id is None:
        raise Invalid("只有取号机可以凭身份证取号 (identity is for kiosk tickets)")
    holder = open_token(hall.secret, body.identity, hall=hall.code, device=p.device_id, now=now)
    return seal_holder(hall.secret, hall=hall.code, holder=holder)


def cancel(uow: UnitOfWork, *, ticket_id: int, token: str | None, now: datetime) -> Ticket:
    """Cancel a waiting ticket at the resident's request."""
    ticket = get_ticket(uow.session, uow.hall, ticket_id)
    check_token(ticket, token)
    step(ticket, Action.CANCEL, refusal=ApiError("只有等候中的号码可以取消", status=409,
                                                 code="ticket_not_waiting"))
    ticket.closed_at = now
    uow.emit(TicketCancelled(ticket=brief(ticket)), at=now, actor=f"resident:{ticket.id}")
    return ticket


