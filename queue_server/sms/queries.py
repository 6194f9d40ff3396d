"""Reads of the outbox for managers: the messages of some days, and the days' delivery figures."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from queue_server.domain.privacy import mask_phone
from queue_server.domain.sms import SmsStatus
from queue_server.halls.hall import Hall
from queue_server.sms.models import SmsCounts, SmsDay, SmsFailure, SmsList, SmsMessage, SmsPublic, SmsStats

RECENT_FAILURES = 20


def _span(hall: Hall, first: date, last: date) -> tuple[datetime, datetime]:
    """Return the instants from the start of `first` to the end of `last`, in the hall's time."""
    start = datetime.combine(first, time(), tzinfo=hall.tz)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=hall.tz)
    return start, end


def public(row: SmsMessage, hall: Hall) -> SmsPublic:
    """Return a message as a manager sees it, the phone masked and its times in the hall's zone."""
    created = hall.local_iso(row.created_at)
    assert created is not None
    return SmsPublic(id=row.id, kind=row.kind, phone=mask_phone(row.phone), template=row.template,
                     params=json.loads(row.params), status=row.status, attempts=row.attempts,
                     created_at=created, sent_at=hall.local_iso(row.sent_at))


def messages(session: Session, hall: Hall, *, first: date, last: date, statuses: Sequence[SmsStatus],
             limit: int, offset: int) -> SmsList:
    """Return the hall's messages queued from `first` to `last`, newest first."""
    start, end = _span(hall, first, last)
    where = [col(SmsMessage.hall) == hall.code, col(SmsMessage.created_at) >= start,
             col(SmsMessage.created_at) < end]
    if statuses:
        where.append(col(SmsMessage.status).in_(list(statuses)))
    total = session.exec(select(func.count()).select_from(SmsMessage).where(*where)).one()
    rows = session.exec(select(SmsMessage).where(*where)
                        .order_by(col(SmsMessage.created_at).desc(), col(SmsMessage.id))
                        .offset(offset).limit(limit)).all()
    return SmsList(total=int(total), messages=[public(r, hall) for r in rows])


def rate(counts: SmsCounts) -> float | None:
    """Return the percentage of tried messages that were sent: sent / (sent + failed)."""
    tried = counts.sent + counts.failed
    return round(100 * counts.sent / tried, 1) if tried else None


def stats(session: Session, hall: Hall, *, first: date, last: date) -> SmsStats:
    """Return each day's counts by status, the totals, and the most recent failures with their reasons."""
    start, end = _span(hall, first, last)
    where = (col(SmsMessage.hall) == hall.code, col(SmsMessage.created_at) >= start,
             col(SmsMessage.created_at) < end)
    per_day: dict[date, Counter[str]] = {}
    for status, created in session.exec(select(SmsMessage.status, SmsMessage.created_at).where(*where)):
        per_day.setdefault(created.astimezone(hall.tz).date(), Counter())[str(status)] += 1
    days = []
    day = first
    while day <= last:
        c = per_day.get(day, Counter())
        row = SmsDay(day=day, sent=c["sent"], failed=c["failed"], logged=c["logged"], dropped=c["dropped"],
                     queued=c["queued"])
        row.delivery_rate = rate(row)
        days.append(row)
        day += timedelta(days=1)
    total = SmsCounts(**{k: sum(getattr(d, k) for d in days) for k in ("sent", "failed", "logged", "dropped",
                                                                        "queued")})
    total.delivery_rate = rate(total)
    failed = session.exec(select(SmsMessage).where(*where, col(SmsMessage.status) == SmsStatus.FAILED)
                          .order_by(col(SmsMessage.created_at).desc()).limit(RECENT_FAILURES)).all()
    failures = [SmsFailure(id=r.id, kind=r.kind, phone=mask_phone(r.phone), reason=r.reason, attempts=r.attempts,
                           created_at=hall.local_iso(r.created_at) or "") for r in failed]
    return SmsStats.model_validate({"from": first, "to": last, "days": days, "total": total,
                                   "failures": failures})
