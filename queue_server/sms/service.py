"""SMS use cases: queue a message in the caller's transaction, texting a ticket, an admin's test."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from queue_server.core.errors import ApiError, Invalid
from queue_server.db.uow import UnitOfWork
from queue_server.domain import sms as rules
from queue_server.domain.model import TicketStatus
from queue_server.domain.privacy import PhoneError, normalise_phone
from queue_server.domain.sms import SmsKind, SmsStatus
from queue_server.halls.hall import Hall
from queue_server.sms.models import SmsMessage
from queue_server.tickets.models import Ticket

_TABLE = SmsMessage.__table__  # type: ignore[attr-defined]
_UNIQUE = ["hall", "kind", "subject"]


def new_id() -> str:
    """Return a message id: sent with every try, so a gateway can drop a repeat."""
    return uuid.uuid4().hex


def queue(uow: UnitOfWork, *, kind: SmsKind, subject: str, phone: str, params: Mapping[str, str],
          now: datetime, due: datetime | None = None) -> bool:
    """Queue one message in this transaction unless one of its kind exists for the subject; tell if it did.

    ``due`` is when it should go (an appointment's 16:00 reminder), else now; quiet hours delay it
    to their end, or drop a `called` message (it is kept, as `dropped`, so the manager sees why).
    """
    hall = uow.hall
    settings = hall.config.settings.sms
    wanted = due or now
    when = rules.due_at(kind, wanted, settings.quiet_hours, hall.tz)
    values = {
        "id": new_id(), "hall": hall.code, "kind": kind, "subject": subject, "phone": phone,
        "template": settings.templates[kind], "params": json.dumps(rules.check_params(kind, params),
                                                                   ensure_ascii=False),
        "status": SmsStatus.QUEUED if when is not None else SmsStatus.DROPPED, "attempts": 0,
        "created_at": now, "due_at": when or wanted, "next_at": when,
        "reason": None if when is not None else "免打扰时段内叫号，不再发送",
    }
    session = uow.session
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = session.execute(insert(_TABLE).values(**values).on_conflict_do_nothing(index_elements=_UNIQUE))
    return bool(getattr(result, "rowcount", 0))


def drop_queued(uow: UnitOfWork, *, kind: SmsKind, subject: str, reason: str) -> int:
    """Drop a message of this kind for the subject that has not gone yet (a cancelled booking's reminder)."""
    result = uow.session.execute(
        update(SmsMessage).where(col(SmsMessage.hall) == uow.hall.code, col(SmsMessage.kind) == kind,
                                 col(SmsMessage.subject) == subject, col(SmsMessage.status) == SmsStatus.QUEUED)
        .values(status=SmsStatus.DROPPED, next_at=None, reason=reason))
    return int(getattr(result, "rowcount", 0) or 0)


def parse_phone(value: str) -> str:
    """Return a mainland mobile number, or refuse it with 422 in Chinese."""
    try:
        return normalise_phone(value)
    except PhoneError as exc:
        raise Invalid(str(exc)) from exc


def text_ticket(uow: UnitOfWork, *, ticket_id: int, phone: str, now: datetime) -> Ticket:
    """Have a waiting ticket texted at this phone (the kiosk's 「短信提醒」, or a clerk for a resident)."""
    number = parse_phone(phone)
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None or ticket.hall != uow.hall.code:
        raise ApiError("没有这个号码", status=404, code="not_found")
    if ticket.status != TicketStatus.WAITING:
        raise ApiError(f"{ticket.number} 号已被叫过或已结束，不能再登记短信提醒", status=409,
                       code="ticket_not_waiting")
    ticket.phone, ticket.sms = number, True
    return ticket


def test_message(hall: Hall, *, phone: str, now: datetime) -> SmsMessage:
    """Return an admin's test text (the `called` template with sample params), claimed for one try now."""
    settings = hall.config.settings.sms
    params = rules.called_params("A001", 1)
    return SmsMessage(id=new_id(), hall=hall.code, kind=SmsKind.CALLED, subject=f"test-{new_id()[:12]}",
                      phone=parse_phone(phone), template=settings.templates[SmsKind.CALLED],
                      params=json.dumps(params, ensure_ascii=False), status=SmsStatus.QUEUED, attempts=0,
                      created_at=now, due_at=now, next_at=None)
