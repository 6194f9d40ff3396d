"""Idempotency-Key for accepting cases: a retry on a slow village connection never makes a second case.

A key is scoped to the caller (the user or device) and kept for the service day, like tickets.
The same key with the same body returns what the first request made; with another body, 422.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from queue_server.auth.service import Principal
from queue_server.cases.models import Case, CaseBatch, CaseCreate, CaseKey
from queue_server.cases.queries import get_case
from queue_server.cases.service import accepting as service
from queue_server.core.errors import Invalid
from queue_server.db.uow import UnitOfWork


def _hash(kind: str, payload: Any) -> str:
    return hashlib.sha256(json.dumps([kind, payload], sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


def _seen(uow: UnitOfWork, who: Principal, key: str | None, digest: str,
          now: datetime) -> CaseKey | None:
    if not key:
        return None
    hall = uow.hall
    row = uow.session.get(CaseKey, (hall.code, hall.day(now), who.actor, key))
    if row is not None and row.body_hash != digest:
        raise Invalid("同一个 Idempotency-Key 不能用于不同的请求")
    return row


def _remember(uow: UnitOfWork, who: Principal, key: str | None, digest: str, now: datetime,
              **made: int | None) -> None:
    if key:
        uow.session.add(CaseKey(hall=uow.hall.code, day=uow.hall.day(now), caller=who.actor,
                                key=key, body_hash=digest, **made))


def create_once(uow: UnitOfWork, *, body: CaseCreate, who: Principal, key: str | None,
                now: datetime) -> tuple[Case, bool]:
    """Accept a case, or return the one an earlier request with the same key made."""
    digest = _hash("case", body.model_dump(mode="json"))
    seen = _seen(uow, who, key, digest, now)
    if seen is not None and seen.case_id is not None:
        return get_case(uow.session, uow.hall, seen.case_id), False
    case = service.create(uow, body=body, who=who, now=now)
    _remember(uow, who, key, digest, now, case_id=case.id)
    return case, True


def create_batch_once(uow: UnitOfWork, *, items: list[Any], who: Principal, key: str | None,
                      now: datetime) -> tuple[CaseBatch, list[Case], bool]:
    """Accept a batch all or nothing, or return the batch an earlier request with the key made."""
    digest = _hash("batch", items)
    seen = _seen(uow, who, key, digest, now)
    if seen is not None and seen.batch_id is not None:
        batch = uow.session.get(CaseBatch, seen.batch_id)
        assert batch is not None
        cases = list(uow.session.exec(select(Case).where(Case.batch_id == batch.id)
                                      .order_by(col(Case.id))))
        return batch, cases, False
    batch, cases = service.create_batch(uow, items=items, who=who, now=now)
    _remember(uow, who, key, digest, now, batch_id=batch.id)
    return batch, cases, True
