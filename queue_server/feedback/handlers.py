"""What the feedback loop does when other domains' events happen: a bad grade opens an item."""

from __future__ import annotations

from sqlmodel import col, select

from queue_server.db.bus import Emitted
from queue_server.db.uow import UnitOfWork
from queue_server.feedback import service
from queue_server.tickets.events import TicketEvaluated
from queue_server.tickets.models import Evaluation, Ticket


def open_for_bad_grade(uow: UnitOfWork, event: TicketEvaluated, emitted: Emitted) -> None:
    """Open an item for a grade of 1 or 2, or update the one a staff grade opened (好差评整改)."""
    assert event.ticket is not None
    ticket = uow.session.get(Ticket, event.ticket.id)
    grade = uow.session.exec(select(Evaluation).where(Evaluation.ticket_id == event.ticket.id)
                             .order_by(col(Evaluation.id).desc())).first()
    if ticket is None or grade is None:
        return
    service.open_for_grade(uow, ticket=ticket, grade=grade.grade, reasons=grade.reasons,
                           comment=grade.comment, source=grade.source, actor=emitted.actor, now=emitted.at)
