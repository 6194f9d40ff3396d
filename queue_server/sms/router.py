"""SMS (短信提醒) endpoints: text a ticket, the outbox, its figures, and an admin's test message."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import Session

from queue_server.app.deps import AdminDep, CallerDep, ManagerDep, RowId, RuntimeDep
from queue_server.app.runtime import HallRuntime
from queue_server.core.errors import Invalid
from queue_server.domain.privacy import mask_phone
from queue_server.domain.sms import SmsStatus
from queue_server.domain.statistics import parse_range
from queue_server.sms import queries, service
from queue_server.sms.models import SmsList, SmsOptInPublic, SmsPhoneBody, SmsStats, SmsTestResult
from queue_server.stats.ranges import DayParam, FromParam

router = APIRouter(tags=["sms"])
StatusParam = Annotated[str | None, Query(max_length=100, description="one or more, comma-separated")]
MAX_STATS_DAYS = 366


def _days(rt: HallRuntime, first: str | None, last: str | None, max_days: int = 3700) -> tuple[date, date]:
    try:
        return parse_range(first, last, rt.hall.local_date(rt.clock()), max_days=max_days)
    except ValueError as exc:
        raise Invalid(f"日期范围不正确：{exc}") from exc


@router.post("/api/tickets/{ticket_id}/sms", response_model=SmsOptInPublic)
async def text_ticket(ticket_id: RowId, body: SmsPhoneBody, rt: RuntimeDep, _: CallerDep) -> SmsOptInPublic:
    """Text a waiting ticket at this phone when it comes near and when it is called (kiosk or staff)."""
    now = rt.clock()
    ticket = await rt.db.write(lambda uow: service.text_ticket(uow, ticket_id=ticket_id, phone=body.phone, now=now))
    assert ticket.id is not None
    rt.sms.wake()
    return SmsOptInPublic(ticket=ticket.id, phone=mask_phone(ticket.phone) or "")


@router.get("/api/sms", response_model=SmsList)
async def list_messages(
    rt: RuntimeDep, _: ManagerDep, status: StatusParam = None, from_: FromParam = None, to: DayParam = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> SmsList:
    """List the outbox's messages queued from `from` to `to` (both default to today), newest first, phones masked."""
    try:
        statuses = tuple(SmsStatus(s.strip()) for s in (status or "").split(",") if s.strip())
    except ValueError as exc:
        raise Invalid(f"没有这种短信状态：{status}（可用：{'、'.join(s.value for s in SmsStatus)}）") from exc
    first, last = _days(rt, from_, to)

    def run(session: Session) -> SmsList:
        return queries.messages(session, rt.hall, first=first, last=last, statuses=statuses, limit=limit,
                                offset=offset)

    return await rt.db.read(run)


@router.get("/api/sms/stats", response_model=SmsStats)
async def sms_stats(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None, to: DayParam = None) -> SmsStats:
    """Count each day's messages by status with the delivery rate, and list the recent failures."""
    first, last = _days(rt, from_, to, max_days=MAX_STATS_DAYS)
    return await rt.db.read(lambda s: queries.stats(s, rt.hall, first=first, last=last))


@router.post("/api/sms/test", response_model=SmsTestResult)
async def send_test(body: SmsPhoneBody, rt: RuntimeDep, _: AdminDep) -> SmsTestResult:
    """Send a test text (the `called` template) through the hall's provider once, and say how it went."""
    phone = service.parse_phone(body.phone)
    row, provider = await rt.sms.send_test(rt.hall, phone)
    return SmsTestResult(id=row.id, status=row.status, attempts=row.attempts, reason=row.reason, provider=provider)
