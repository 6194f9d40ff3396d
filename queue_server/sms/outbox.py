"""The outbox's own statements: claim due messages for a try, record how the try went.

A claim moves a message's ``next_at`` a lease ahead and counts the try, in a short transaction of
its own (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two server processes never claim the same
row); the send happens after that commit, outside any transaction. A process that dies holding a
claim leaves the row ``queued``: it is tried again, under the same id, when the lease runs out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from queue_server.domain import sms as rules
from queue_server.domain.sms import SmsKind, SmsStatus
from queue_server.sms.base import SendResult
from queue_server.sms.models import SmsMessage


@dataclass(frozen=True)
class Claimed:
    """A message claimed for one try: what the provider needs, and which try this is."""

    id: str
    hall: str
    kind: SmsKind
    phone: str
    template: str
    params: dict[str, str] = field(default_factory=dict)
    attempts: int = 1  # this try included
    first_try_at: datetime | None = None


def claimed(row: SmsMessage) -> Claimed:
    """Return what a claimed row's try needs."""
    return Claimed(id=row.id, hall=row.hall, kind=row.kind, phone=row.phone or "", template=row.template,
                   params=json.loads(row.params), attempts=row.attempts, first_try_at=row.first_try_at)


def _due(halls: Sequence[str], now: datetime) -> tuple[Any, ...]:
    return (col(SmsMessage.status) == SmsStatus.QUEUED, col(SmsMessage.next_at) <= now,
            col(SmsMessage.hall).in_(list(halls)))


def any_due(session: Session, halls: Sequence[str], now: datetime) -> bool:
    """Tell whether any message of these halls is due: a read, so an idle poll takes no write lock."""
    return session.exec(select(SmsMessage.id).where(*_due(halls, now)).limit(1)).first() is not None


def claim(session: Session, halls: Sequence[str], now: datetime, *, limit: int, lease: timedelta) -> list[Claimed]:
    """Claim up to ``limit`` due messages of these halls, oldest first; the caller commits."""
    query = select(SmsMessage).where(*_due(halls, now)).order_by(col(SmsMessage.next_at)).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.exec(query).all())
    out = []
    for row in rows:
        if not row.phone:  # erased meanwhile (retention): nothing to send to
            row.status, row.next_at, row.reason = SmsStatus.DROPPED, None, "手机号码已按期删除"
            continue
        row.attempts += 1
        row.first_try_at = row.first_try_at or now
        row.next_at = now + lease
        out.append(claimed(row))
    return out


def claim_one(session: Session, message_id: str, now: datetime, lease: timedelta) -> Claimed | None:
    """Claim one queued message whatever its due time (an admin's test); None if it is not queued."""
    query = select(SmsMessage).where(col(SmsMessage.id) == message_id, col(SmsMessage.status) == SmsStatus.QUEUED)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.exec(query).first()
    if row is None or not row.phone:
        return None
    row.attempts += 1
    row.first_try_at = row.first_try_at or now
    row.next_at = now + lease
    return claimed(row)


def record(session: Session, message: Claimed, result: SendResult, now: datetime, *,
           retry: bool = True) -> SmsMessage | None:
    """Record a try: sent or logged; failed and due again by the backoff; failed for good after 10 minutes.

    A try whose claim was overtaken (its lease ran out and another try began) records nothing.
    """
    row = session.get(SmsMessage, message.id)
    if row is None or row.status != SmsStatus.QUEUED or row.attempts != message.attempts:
        return None
    if result.ok:
        row.status = SmsStatus(result.status)
        row.sent_at, row.next_at, row.reason = now, None, None
        return row
    row.reason = result.reason
    again = rules.next_attempt(row.first_try_at or now, row.attempts, now) if retry else None
    if again is None:
        row.status, row.next_at = SmsStatus.FAILED, None
    else:
        row.next_at = again
    return row
