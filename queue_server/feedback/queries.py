"""Feedback reads: the managers' list, one item's view, the figures and the monthly ranking."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from queue_server.auth.models import User
from queue_server.core.errors import NotFound
from queue_server.domain.feedback import format_feedback_number, is_overdue
from queue_server.domain.model import FeedbackStatus
from queue_server.domain.privacy import mask_phone
from queue_server.feedback.models import (
    FeedbackItem,
    FeedbackPublic,
    FeedbackStep,
    StepPublic,
)
from queue_server.halls.hall import Hall
from queue_server.tickets.models import Ticket

NOT_CLOSED = (FeedbackStatus.OPEN, FeedbackStatus.VISITED, FeedbackStatus.RECTIFIED)


@dataclass(frozen=True)
class ItemFilter:
    statuses: tuple[FeedbackStatus, ...]
    overdue: bool
    limit: int
    offset: int


def find_item(session: Session, hall: Hall, item_id: int) -> FeedbackItem:
    """Return an item of this hall, or raise NotFound."""
    item = session.get(FeedbackItem, item_id)
    if item is None or item.hall != hall.code:
        raise NotFound("没有这条反映")
    return item


def item_views(session: Session, hall: Hall, items: Sequence[FeedbackItem],
               today: date) -> list[FeedbackPublic]:
    """Return the API view of items, phones masked, with their history and names."""
    ids = [i.id for i in items if i.id is not None]
    steps: dict[int, list[FeedbackStep]] = {i: [] for i in ids}
    if ids:
        for s in session.exec(select(FeedbackStep).where(col(FeedbackStep.item_id).in_(ids))
                              .order_by(col(FeedbackStep.id))):
            steps[s.item_id].append(s)
    ticket_ids = [i.ticket_id for i in items if i.ticket_id is not None]
    numbers = dict(session.execute(sa_select(col(Ticket.id), col(Ticket.number))
                                   .where(col(Ticket.id).in_(ticket_ids))).all()) if ticket_ids else {}
    clerks = {i.clerk for i in items if i.clerk}
    names = dict(session.execute(sa_select(col(User.username), col(User.display_name))
                                 .where(col(User.username).in_(clerks))).all()) if clerks else {}
    iso = hall.local_iso
    out = []
    for i in items:
        assert i.id is not None
        matter = hall.matters.get(i.matter) if i.matter else None
        out.append(FeedbackPublic(
            id=i.id, number=format_feedback_number(i.opened_on, i.id), kind=i.kind,
            source=i.source, ticket=i.ticket_id, ticket_number=numbers.get(i.ticket_id),
            case=i.case_id, window=i.window, clerk=i.clerk,
            clerk_name=(names.get(i.clerk) or i.clerk) if i.clerk else None, grade=i.grade,
            reasons=json.loads(i.reasons or "[]"), comment=i.comment, matter=i.matter,
            matter_name=matter.name if matter else None, phone=mask_phone(i.phone),
            status=i.status, opened_at=iso(i.opened_at) or "", due_date=i.due_date.isoformat(),
            overdue=is_overdue(closed=i.status == FeedbackStatus.CLOSED, due_date=i.due_date,
                               today=today),
            history=[StepPublic(status=s.status, at=iso(s.at) or "", by=s.by, method=s.method,
                                note=s.note) for s in steps[i.id]]))
    return out


def list_items(session: Session, hall: Hall, *, filters: ItemFilter,
               today: date) -> tuple[int, list[FeedbackItem]]:
    """Return the matching items' total and one page of them, newest first."""
    where = [col(FeedbackItem.hall) == hall.code]
    if filters.statuses:
        where.append(col(FeedbackItem.status).in_(filters.statuses))
    if filters.overdue:
        where += [col(FeedbackItem.status).in_(NOT_CLOSED), col(FeedbackItem.due_date) < today]
    total = session.execute(sa_select(func.count()).select_from(FeedbackItem).where(*where)).scalar_one()
    page = session.exec(select(FeedbackItem).where(*where).order_by(
        col(FeedbackItem.opened_at).desc(), col(FeedbackItem.id).desc())
        .limit(filters.limit).offset(filters.offset)).all()
    return int(total), list(page)


