"""Appointment (预约) endpoints: slots, booking, the resident's own booking, and the staff list."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlmodel import Session, col, select

from queue_server.app.deps import (
    BaseUrlDep,
    CallerDep,
    PrincipalDep,
    RowId,
    RuntimeDep,
    StaffDep,
    client_ip,
    fresh_calendar,
)
from queue_server.appointments import service
from queue_server.appointments.models import Appointment, AppointmentCreate, AppointmentPublic, SlotPublic
from queue_server.appointments.queries import slot_views
from queue_server.core.errors import Forbidden, Invalid, Unauthorized
from queue_server.domain.privacy import mask_phone
from queue_server.halls.hall import Hall

router = APIRouter(tags=["appointments"], dependencies=[Depends(fresh_calendar)])
DayParam = Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]
TokenParam = Annotated[str | None, Query(max_length=200)]


def view(hall: Hall, row: Appointment, *, base_url: str | None = None, staff: bool = False) -> AppointmentPublic:
    """Return the API's appointment: the code to its holder, masked phones to staff."""
    assert row.id is not None
    svc = hall.services.get(row.service)
    out = AppointmentPublic(
        id=row.id, code=None if staff else row.code, service=row.service, service_name=svc.name if svc else row.service,
        start=hall.local_iso(row.start) or "", end=hall.local_iso(row.end) or "", status=row.status,
        ticket=row.ticket_id, name=row.name if not staff else row.name[:1] + "*" * (len(row.name) - 1),
        phone=mask_phone(row.phone))
    if base_url is not None:
        out.token = row.token
        out.manage_url = f"{base_url.rstrip('/')}/m/book?id={row.id}&token={row.token}"
    return out


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise Invalid(f"日期不正确：{text}") from exc



@router.get("/api/appointments/slots", response_model=list[SlotPublic])
async def slots(rt: RuntimeDep, service_code: Annotated[str, Query(alias="service", max_length=64)],
                day: Annotated[str, Query(alias="date", pattern=r"^\d{4}-\d{2}-\d{2}$")]) -> list[SlotPublic]:
    """List a service's bookable slots on a day (empty on a non-working day or outside the range)."""
    if service_code not in rt.hall.services:
        raise Invalid(f"没有这项业务：{service_code}")
    when, now = _day(day), rt.clock()
    return await rt.db.read(lambda s: slot_views(s, rt.hall, service_code, when, now))


@router.post("/api/appointments", status_code=201, response_model=AppointmentPublic,
             response_model_exclude_none=True)
async def book(body: AppointmentCreate, request: Request, rt: RuntimeDep, base: BaseUrlDep) -> AppointmentPublic:
    """Book a slot: no hall pass needed; limited per phone, per no-shows and per address."""
    now, ip = rt.clock(), client_ip(request)
    return await rt.db.write(lambda uow: view(rt.hall, service.book(uow, body=body, ip=ip, now=now),
                                              base_url=base))


@router.get("/api/appointments", response_model=list[AppointmentPublic], response_model_exclude_none=True)
async def list_day(rt: RuntimeDep, _: StaffDep, day: Annotated[str | None, Query(
        alias="date", pattern=r"^\d{4}-\d{2}-\d{2}$")] = None) -> list[AppointmentPublic]:
    """List one day's appointments by slot, names and phones masked (staff)."""
    when = _day(day) if day else rt.hall.local_date(rt.clock())

    def run(session: Session) -> list[AppointmentPublic]:
        rows = session.exec(select(Appointment).where(Appointment.hall == rt.hall.code, Appointment.day == when)
                            .order_by(col(Appointment.start), col(Appointment.id))).all()
        return [view(rt.hall, r, staff=True) for r in rows]

    return await rt.db.read(run)


@router.get("/api/appointments/code/{code}", response_model=AppointmentPublic, response_model_exclude_none=True)
async def find_by_code(code: Annotated[str, Path(pattern=r"^\d{6}$")], rt: RuntimeDep,
                       who: CallerDep) -> AppointmentPublic:
    """Find a booked appointment by its check-in code (a kiosk or staff at check-in; phone masked)."""
    if not (who.is_staff or (who.kind == "device" and who.role == "kiosk")):
        raise Forbidden("只有取号机和工作人员可以查预约码")
    return await rt.db.read(lambda s: view(rt.hall, service.by_code(s, rt.hall, code), staff=True))


@router.get("/api/appointments/{appointment_id}", response_model=AppointmentPublic,
            response_model_exclude_none=True)
async def read(appointment_id: RowId, rt: RuntimeDep, who: PrincipalDep,
               token: TokenParam = None) -> AppointmentPublic:
    """Return an appointment to its holder (by token) or to staff."""
    def run(session: Session) -> AppointmentPublic:
        row = service.get(session, rt.hall, appointment_id)
        if token is None and who is not None and who.is_staff:
            return view(rt.hall, row, staff=True)
        if token is None:
            raise Unauthorized("需要预约凭证 (token)")
        service.check_token(row, token)
        return view(rt.hall, row)

    return await rt.db.read(run)


@router.post("/api/appointments/{appointment_id}/cancel", response_model=AppointmentPublic,
             response_model_exclude_none=True)
async def cancel(appointment_id: RowId, rt: RuntimeDep, token: TokenParam = None) -> AppointmentPublic:
    """Cancel a booked appointment with its token; its place goes back to the slot."""
    now = rt.clock()
    return await rt.db.write(lambda uow: view(rt.hall, service.cancel(
        uow, appointment_id=appointment_id, token=token, now=now)))
