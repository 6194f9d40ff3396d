"""Grading a finished ticket (好差评): from the resident's phone, the pad, or staff on their behalf."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlmodel import select

from queue_server.core.errors import ApiError
from queue_server.db.uow import UnitOfWork
from queue_server.domain.model import GradeSource, TicketStatus
from queue_server.halls.hall import Hall
from queue_server.tickets.events import TicketEvaluated, brief
from queue_server.tickets.models import Evaluation, EvaluationCreate, Ticket, TicketEvaluationCreate
from queue_server.tickets.queries import check_token, get_ticket


def evaluate(
    uow: UnitOfWork,
    *,
    ticket: Ticket,
    body: EvaluationCreate,
    source: GradeSource,
    actor: str,
    now: datetime,
) -> Evaluation:
    """Store a resident's grade for a finished ticket."""
    session, hall = uow.session, uow.hall
    if ticket.status != TicketStatus.DONE:
        raise ApiError("业务办结后才能评价", status=409, code="ticket_not_done")
    earlier = session.exec(select(Evaluation).where(Evaluation.ticket_id == ticket.id)).first()
    if earlier is not None:
        if not _resident_replaces(hall, earlier, ticket, source, now):
            raise ApiError("这个号码已经评价过了，谢谢", status=409, code="already_evaluated")
        # A grade staff entered stands in for the resident only until the resident grades.
        session.delete(earlier)
        session.flush()
    assert ticket.id is not None
    row = Evaluation(
        hall=hall.code, ticket_id=ticket.id, window=ticket.window, clerk=ticket.clerk,
        grade=body.grade, reasons=json.dumps(body.reasons, ensure_ascii=False),
        comment=body.comment, source=source, at=now,
    )
    session.add(row)
    # A grade of 1 or 2 opens a feedback item in this same transaction (feedback.handlers).
    uow.emit(TicketEvaluated(ticket=brief(ticket), window=ticket.window, grade=body.grade),
             at=now, actor=actor)
    return row


def _resident_replaces(hall: Hall, earlier: Evaluation, ticket: Ticket, source: GradeSource,
                       now: datetime) -> bool:
    """Tell whether a resident's own grade replaces a grade staff entered (within the time limit)."""
    limit = timedelta(seconds=hall.config.settings.evaluation_window_seconds)
    return (earlier.source == GradeSource.STAFF and source != GradeSource.STAFF
            and ticket.finished_at is not None and now - ticket.finished_at <= limit)


def evaluate_by_token(uow: UnitOfWork, *, ticket_id: int, body: TicketEvaluationCreate,
                      now: datetime) -> tuple[Ticket, Evaluation]:
    """Store the grade a resident gives a finished ticket from their phone."""
    ticket = get_ticket(uow.session, uow.hall, ticket_id)
    check_token(ticket, body.token)
    row = evaluate(uow, ticket=ticket, body=body, source=GradeSource.MOBILE,
                   actor=f"resident:{ticket.id}", now=now)
    return ticket, row
