"""Feedback figures (好差评整改): items opened in a range, open and overdue now, and the window ranking."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from queue_server.domain.feedback import ItemFacts, figures, is_overdue
from queue_server.domain.model import FeedbackKind, FeedbackStatus, GradeSource, TicketStatus
from queue_server.feedback.models import FeedbackItem
from queue_server.feedback.queries import NOT_CLOSED
from queue_server.halls.hall import Hall
from queue_server.stats.models import FeedbackStats, WindowRank
from queue_server.tickets.models import Evaluation, Ticket


def feedback_stats(session: Session, hall: Hall, first: date, last: date, today: date) -> FeedbackStats:
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
