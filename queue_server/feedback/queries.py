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
from queue_server.domain.feedback import ItemFacts, figures, format_feedback_number, is_overdue
from queue_server.domain.model import FeedbackKind, FeedbackStatus, GradeSource, TicketStatus
from queue_server.feedback.models import (
    FeedbackItem,
    FeedbackPublic,
    FeedbackStats,
    FeedbackStep,
    StepPublic,
    WindowRank,
)
from queue_server.halls.hall import Hall
from queue_server.tickets.models import Evaluation, Ticket
from queue_server.tickets.queries import mask_phone

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


def stats(session: Session, hall: Hall, first: date, last: date, today: date) -> FeedbackStats:
    """Return /api/stats/feedback: items opened first..last, and open and overdue as of now."""
    rows = session.execute(sa_select(
        col(FeedbackItem.kind), col(FeedbackItem.phone), col(FeedbackItem.due_date),
        col(FeedbackItem.visited_at), col(FeedbackItem.settled_on)).where(
        col(FeedbackItem.hall) == hall.code, col(FeedbackItem.opened_on) >= first,
        col(FeedbackItem.opened_on) <= last)).all()
    facts = [ItemFacts(kind=FeedbackKind(k), has_phone=bool(p), due_date=d, visited=v is not None,
                       settled_on=s) for k, p, d, v, s in rows]
    not_closed = [col(FeedbackItem.hall) == hall.code, col(FeedbackItem.status).in_(NOT_CLOSED)]
    open_now = session.execute(sa_select(func.count()).select_from(FeedbackItem)
                               .where(*not_closed)).scalar_one()
    overdue_now = session.execute(sa_select(func.count()).select_from(FeedbackItem).where(
        *not_closed, col(FeedbackItem.due_date) < today)).scalar_one()
    return FeedbackStats.model_validate(figures(facts, open_now=int(open_now),
                                                overdue_now=int(overdue_now), today=today))


def ranking(session: Session, hall: Hall, first: date, last: date, today: date) -> list[WindowRank]:
    """Rank the windows over first..last: satisfaction (residents' own grades), bad grades, served."""
    in_range = (col(Ticket.hall) == hall.code, col(Ticket.day) >= first, col(Ticket.day) <= last)
    served = dict(session.execute(sa_select(col(Ticket.window), func.count()).where(
        *in_range, col(Ticket.status) == TicketStatus.DONE).group_by(col(Ticket.window))).all())
    graded: dict[int, tuple[int, int]] = {}
    for window, grade, n in session.execute(sa_select(
            col(Evaluation.window), col(Evaluation.grade), func.count())
            .join(Ticket, col(Ticket.id) == col(Evaluation.ticket_id))
            .where(*in_range, col(Evaluation.source) != GradeSource.STAFF)
            .group_by(col(Evaluation.window), col(Evaluation.grade))).all():
        n_all, n_ok = graded.get(window, (0, 0))
        graded[window] = (n_all + int(n), n_ok + (int(n) if int(grade) >= 4 else 0))
    bad: dict[int, tuple[int, int]] = {}
    for window, status, due in session.execute(sa_select(
            col(FeedbackItem.window), col(FeedbackItem.status), col(FeedbackItem.due_date)).where(
            col(FeedbackItem.hall) == hall.code, col(FeedbackItem.kind) == FeedbackKind.BAD_GRADE,
            col(FeedbackItem.opened_on) >= first, col(FeedbackItem.opened_on) <= last)).all():
        n_bad, n_late = bad.get(window, (0, 0))
        is_late = is_overdue(closed=status == FeedbackStatus.CLOSED, due_date=due, today=today)
        bad[window] = (n_bad + 1, n_late + int(is_late))
    lines = []
    for w in hall.config.windows:
        grades, ok = graded.get(w.number, (0, 0))
        n_bad, late = bad.get(w.number, (0, 0))
        pct = round(100.0 * ok / grades, 1) if grades else None
        lines.append((w.number, w.name, int(served.get(w.number, 0)), grades, pct, n_bad, late))
    lines.sort(key=lambda x: (x[4] is None, -(x[4] or 0.0), x[5], -x[2], x[0]))
    return [WindowRank(rank=i + 1 if p is not None else None, window=n, name=name, served=s, grades=g,
                       satisfied_pct=p, bad=b, overdue=late)
            for i, (n, name, s, g, p, b, late) in enumerate(lines)]
