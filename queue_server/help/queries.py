"""Reading help requests, and what an ID card finds: its appointments to check in and its cases to collect."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from queue_server.appointments.models import Appointment
from queue_server.appointments.service import id_number_digest
from queue_server.cases.models import Case
from queue_server.core.errors import Invalid, NotFound
from queue_server.domain.appointments import CheckIn, check_in
from queue_server.domain.model import AppointmentStatus, CaseChannel, CaseStatus
from queue_server.domain.privacy import IdNumberError, normalise_id_number
from queue_server.halls.hall import Hall
from queue_server.help.models import OPEN_HELP, CardAppointment, CardCase, HelpPublic, HelpRequest, HelpStatus
from queue_server.tickets.identity import CardHolder

LIST_LIMIT = 200


def help_public(row: HelpRequest, hall: Hall) -> HelpPublic:
    """Return the API's help request."""
    assert row.id is not None
    return HelpPublic(id=row.id, kiosk=row.kiosk, kiosk_name=row.kiosk_name, reason=row.reason,
                      status=row.status, requested_at=hall.local_iso(row.requested_at) or "",
                      acknowledged_at=hall.local_iso(row.acknowledged_at),
                      resolved_at=hall.local_iso(row.resolved_at),
                      by=row.acknowledged_by or row.resolved_by)


def for_kiosk(session: Session, hall: Hall, help_id: int, kiosk: int) -> HelpPublic:
    """Return a request to the kiosk that made it; any other kiosk is told it does not exist."""
    row = session.get(HelpRequest, help_id)
    if row is None or row.hall != hall.code or row.kiosk != kiosk:
        raise NotFound("没有这个呼叫")
    return help_public(row, hall)


def listing(session: Session, hall: Hall, status: str) -> list[HelpPublic]:
    """List requests by status (open = requested or acknowledged): the open ones oldest first."""
    query = select(HelpRequest).where(HelpRequest.hall == hall.code)
    if status == "open":
        query = query.where(col(HelpRequest.status).in_([s.value for s in OPEN_HELP]))
        query = query.order_by(col(HelpRequest.requested_at), col(HelpRequest.id))
    else:
        if status != "all":
            query = query.where(HelpRequest.status == HelpStatus(status))
        query = query.order_by(col(HelpRequest.id).desc())
    return [help_public(r, hall) for r in session.exec(query.limit(LIST_LIMIT)).all()]


def card_holder(hall: Hall, *, name: str, id_number: str, now: datetime) -> CardHolder:
    """Return the resident an ID card names, the number checked as everywhere (422 invalid if not)."""
    try:
        number = normalise_id_number(id_number, today=hall.local_date(now))
    except IdNumberError as exc:
        raise Invalid(f"身份证号码不正确：{exc}") from exc
    if not name.strip():
        raise Invalid("身份证上的姓名为空，请重新放置身份证")
    return CardHolder(name.strip(), number)


def card_appointments(session: Session, hall: Hall, holder: CardHolder, now: datetime) -> list[CardAppointment]:
    """Return the holder's booked appointments that can be checked in now, earliest first."""
    digest = id_number_digest(hall.secret, hall.code, holder.id_number)
    rows = session.exec(select(Appointment).where(
        Appointment.hall == hall.code, Appointment.id_digest == digest,
        Appointment.status == AppointmentStatus.BOOKED).order_by(col(Appointment.start))).all()
    out = []
    for a in rows:
        if check_in(a.start, a.end, a.service, a.service, now) != CheckIn.OK or a.active_code is None:
            continue
        svc = hall.services.get(a.service)
        out.append(CardAppointment(code=a.active_code, service=a.service, service_name=svc.name if svc else a.service,
                                   start=hall.local_iso(a.start) or "", end=hall.local_iso(a.end) or ""))
    return out


def cases_ready(session: Session, hall: Hall, holder: CardHolder) -> list[CardCase]:
    """Return the holder's completed cases waiting at the pickup window (not an agent's or home case)."""
    rows = session.exec(select(Case).where(
        Case.hall == hall.code, Case.status == CaseStatus.COMPLETED, Case.channel == CaseChannel.WINDOW,
        Case.applicant_id_number == holder.id_number).order_by(col(Case.completed_at))).all()
    window = hall.config.pickup_window()
    return [CardCase(number=c.number, matter_name=hall.matters[c.matter].name if c.matter in hall.matters
                     else c.matter, pickup_window=window) for c in rows]
