"""Appointment use cases: book, cancel, check in, and mark the missed ones."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from queue_server.appointments.events import (
    AppointmentBooked,
    AppointmentBrief,
    AppointmentCancelled,
    AppointmentMissed,
    AppointmentUsed,
)
from queue_server.appointments.models import Appointment, AppointmentCreate, AppointmentIpDay, AppointmentSlot
from queue_server.appointments.queries import offered
from queue_server.core.errors import ApiError, Conflict, Forbidden, Invalid, NotFound, RateLimited
from queue_server.db.uow import UnitOfWork
from queue_server.domain.appointments import NO_SHOW_DAYS, CheckIn, check_in, format_code
from queue_server.domain.model import AppointmentStatus
from queue_server.domain.privacy import IdNumberError, normalise_id_number, token_matches
from queue_server.halls.hall import Hall

NOT_ACTIVE = "appointment_not_active"


def brief(a: Appointment) -> AppointmentBrief:
    """Return the id-and-status view that appointment events carry (no name, phone or code)."""
    assert a.id is not None
    return AppointmentBrief(id=a.id, service=a.service, status=a.status)


def _changed(session: Session, statement: Any) -> bool:
    """Run a guarded UPDATE; tell whether it changed a row."""
    return int(getattr(session.execute(statement), "rowcount", 0) or 0) == 1


def _take_place(session: Session, hall: Hall, service: str, start: datetime, capacity: int) -> None:
    """Take one place of a slot, or refuse with slot_full; the guarded UPDATE makes it atomic."""
    if session.get(AppointmentSlot, (hall.code, service, start)) is None:
        session.add(AppointmentSlot(hall=hall.code, service=service, start=start, booked=0))
        session.flush()
    # UPDATE … SET booked = booked + 1 WHERE … AND booked < capacity: two racing bookings for the
    # last place serialise on the row, and the second sees the guard fail.
    slot = AppointmentSlot
    ok = _changed(session, update(slot).where(
        col(slot.hall) == hall.code, col(slot.service) == service, col(slot.start) == start,
        col(slot.booked) < capacity).values(booked=col(slot.booked) + 1))
    if not ok:
        raise ApiError("这个时段已约满，请选择其他时段", status=409, code="slot_full")


def _count_ip(session: Session, hall: Hall, ip: str, now: datetime) -> None:
    day = hall.local_date(now)
    if session.get(AppointmentIpDay, (hall.code, day, ip)) is None:
        session.add(AppointmentIpDay(hall=hall.code, day=day, ip=ip, bookings=0))
        session.flush()
    limit = hall.config.settings.appointments.per_ip_daily
    row = AppointmentIpDay
    if not _changed(session, update(row).where(
            col(row.hall) == hall.code, col(row.day) == day, col(row.ip) == ip,
            col(row.bookings) < limit).values(bookings=col(row.bookings) + 1)):
        raise RateLimited("今天从这个网络预约的次数太多了，请明天再约或到大厅取号")


def missed_recently(session: Session, hall: Hall, phone: str, now: datetime) -> int:
    """Count a phone's missed appointments in the last 30 days."""
    since = now - timedelta(days=NO_SHOW_DAYS)
    return int(session.exec(select(func.count()).select_from(Appointment).where(
        Appointment.hall == hall.code, Appointment.phone == phone,
        Appointment.status == AppointmentStatus.MISSED, col(Appointment.start) >= since)).one())


def _new_code(session: Session, hall: Hall) -> str:
    for _ in range(50):
        code = format_code(secrets.randbelow(1_000_000))
        taken = session.exec(select(Appointment.id).where(
            Appointment.hall == hall.code, Appointment.active_code == code)).first()
        if taken is None:
            return code
    raise ApiError("预约号码暂时用尽，请稍后再试", status=503, code="unavailable")


def id_number_digest(secret: bytes, hall: str, id_number: str) -> str:
    """Return the keyed hash an appointment's ID number is matched by (the number is never stored)."""
    # A plain hash of an ID number is reversed by trying the few million valid numbers of a county
    # and its birth years; a key derived from the server's secret makes that impossible offline.
    key = hmac.new(secret, b"hall appointment id-number v1", hashlib.sha256).digest()
    return hmac.new(key, f"{hall}|{id_number}".encode(), hashlib.sha256).hexdigest()


def _id_digest(hall: Hall, value: str | None, now: datetime) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        number = normalise_id_number(value, today=hall.local_date(now))
    except IdNumberError as exc:
        raise Invalid(f"身份证号码不正确：{exc}") from exc
    return id_number_digest(hall.secret, hall.code, number)


def book(uow: UnitOfWork, *, body: AppointmentCreate, ip: str, now: datetime) -> Appointment:
    """Book a slot for a resident, or refuse with the contract's reason."""
    session, hall = uow.session, uow.hall
    uow.lock()  # one booking at a time per hall; the guarded UPDATE would hold even without it
    settings = hall.config.settings.appointments
    if body.service not in hall.services:
        raise Invalid(f"没有这项业务：{body.service}")
    id_digest = _id_digest(hall, body.id_number, now)
    start = body.start if body.start.tzinfo else body.start.replace(tzinfo=hall.tz)
    slot = next((s for s in offered(session, hall, body.service, start.astimezone(hall.tz).date(), now)
                 if s.start == start), None)
    if slot is None:
        raise Invalid("这个时间不是可预约的时段，请重新选择")
    if missed_recently(session, hall, body.phone, now) >= settings.no_show_limit:
        raise Forbidden(f"这个手机号 30 天内已有 {settings.no_show_limit} 次预约未到，暂时不能在线预约，"
                        "请直接到大厅取号")
    key = f"{body.phone}/{body.service}"
    if session.exec(select(Appointment.id).where(Appointment.hall == hall.code,
                                                  Appointment.active_phone == key)).first():
        raise Conflict("这个手机号已经预约了这项业务；如需改期，请先取消原来的预约")
    _count_ip(session, hall, ip, now)
    _take_place(session, hall, body.service, slot.start, slot.capacity)
    code = _new_code(session, hall)
    row = Appointment(hall=hall.code, service=body.service, day=slot.start.date(), start=slot.start,
                      end=slot.end, code=code, active_code=code, active_phone=key, name=body.name,
                      phone=body.phone, token=secrets.token_urlsafe(16), created_at=now,
                      id_digest=id_digest)
    session.add(row)
    session.flush()
    uow.emit(AppointmentBooked(appointment=brief(row)), at=now, actor=f"resident:appointment:{row.id}")
    return row


def get(session: Session, hall: Hall, appointment_id: int) -> Appointment:
    """Return an appointment of this hall, or raise NotFound."""
    row = session.get(Appointment, appointment_id)
    if row is None or row.hall != hall.code:
        raise NotFound("没有这个预约")
    return row


def check_token(row: Appointment, token: str | None) -> None:
    """Refuse a resident token that does not belong to the appointment."""
    if not token_matches(row.token, token):
        raise Forbidden("预约凭证不正确")


def _close(row: Appointment, status: AppointmentStatus, now: datetime) -> None:
    row.status, row.closed_at, row.active_code, row.active_phone = status, now, None, None


def cancel(uow: UnitOfWork, *, appointment_id: int, token: str | None, now: datetime) -> Appointment:
    """Cancel a booked appointment at the resident's request and give its place back."""
    session, hall = uow.session, uow.hall
    row = get(session, hall, appointment_id)
    check_token(row, token)
    if row.status != AppointmentStatus.BOOKED or now > row.end:
        raise ApiError("这个预约已经取消、使用或过期了", status=409, code=NOT_ACTIVE)
    slot = AppointmentSlot
    session.execute(update(slot).where(
        col(slot.hall) == hall.code, col(slot.service) == row.service, col(slot.start) == row.start,
        col(slot.booked) > 0).values(booked=col(slot.booked) - 1))
    _close(row, AppointmentStatus.CANCELLED, now)
    uow.emit(AppointmentCancelled(appointment=brief(row)), at=now, actor=f"resident:appointment:{row.id}")
    return row


REFUSALS = {
    CheckIn.TOO_EARLY: "还没到签到时间：请在预约时段开始前 30 分钟内签到（{start}）。您也可以现在取普通号。",
    CheckIn.TOO_LATE: "预约时段已经结束（{end}），预约已失效。您可以取普通号排队。",
    CheckIn.WRONG_SERVICE: "这个预约码约的是「{service}」，不是这项业务。请选对业务，或取普通号。",
}


def by_code(session: Session, hall: Hall, code: str) -> Appointment:
    """Return the booked appointment with this check-in code, or refuse with appointment_not_active."""
    row = session.exec(select(Appointment).where(Appointment.hall == hall.code,
                                                  Appointment.active_code == code)).first()
    if row is None:
        raise ApiError("没有找到这个预约码，或预约已取消、已使用。请核对 6 位数字，或取普通号。",
                       status=409, code=NOT_ACTIVE)
    return row


def use(uow: UnitOfWork, *, code: str, service: str, now: datetime) -> Appointment:
    """Check in a booked appointment by its code for a ticket of this service."""
    session, hall = uow.session, uow.hall
    row = by_code(session, hall, code)
    verdict = check_in(row.start, row.end, row.service, service, now)
    if verdict != CheckIn.OK:
        name = hall.services[row.service].name if row.service in hall.services else row.service
        message = REFUSALS[verdict].format(start=_clock(hall, row.start), end=_clock(hall, row.end),
                                           service=name)
        raise ApiError(message, status=409, code=NOT_ACTIVE)
    _close(row, AppointmentStatus.USED, now)
    uow.emit(AppointmentUsed(appointment=brief(row)), at=now, actor=f"resident:appointment:{row.id}")
    return row


def _clock(hall: Hall, at: datetime) -> str:
    return at.astimezone(hall.tz).strftime("%m月%d日 %H:%M")


def mark_missed(uow: UnitOfWork, *, now: datetime) -> int:
    """Mark booked appointments whose slot is over as missed; return how many."""
    session, hall = uow.session, uow.hall
    rows = session.exec(select(Appointment).where(
        Appointment.hall == hall.code, Appointment.status == AppointmentStatus.BOOKED,
        col(Appointment.end) < now).order_by(col(Appointment.id))).all()
    for row in rows:
        _close(row, AppointmentStatus.MISSED, now)
        uow.emit(AppointmentMissed(appointment=brief(row)), at=now, actor="system")
    return len(rows)


def forget_personal(session: Session, hall: Hall, today: date) -> int:
    """Erase names and phones of ended appointments past the phone retention period; return how many."""
    keep_from = today - timedelta(days=hall.config.settings.phone_retention_days)
    result = session.execute(update(Appointment).where(
        col(Appointment.hall) == hall.code, col(Appointment.day) < keep_from,
        col(Appointment.status) != AppointmentStatus.BOOKED, col(Appointment.phone) != "").values(
        phone="", name="", id_digest=None))
    return int(getattr(result, "rowcount", 0) or 0)
