"""Statistics queries: aggregate in SQL over the (hall, day) index, fold in stats.service."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String, func, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from queue_server.auth.models import User
from queue_server.domain.model import GradeSource
from queue_server.domain.privacy import mask_phone
from queue_server.domain.statistics import Facts, Group, fold_tickets
from queue_server.halls.hall import Hall
from queue_server.tickets.models import Evaluation, Ticket


def _in_range(hall: Hall, first: date, last: date) -> Any:
    return (col(Ticket.hall) == hall.code) & (col(Ticket.day) >= first) & (col(Ticket.day) <= last)


def _utc_hour(session: Session) -> Any:
    """Return an SQL expression naming the UTC hour of issue, 'YYYY-MM-DD HH'."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", col(Ticket.issued_at)), "YYYY-MM-DD HH24")
    # SQLite keeps UTC instants as 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
    return func.substr(col(Ticket.issued_at), 1, 13)


def _local_hour(bucket: str, hall: Hall, cache: dict[str, int]) -> int:
    hour = cache.get(bucket)
    if hour is None:
        at = datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=UTC)
        hour = cache[bucket] = at.astimezone(hall.tz).hour
    return hour


def _word(column: Any) -> Any:
    """Read an enum column as its plain stored string."""
    return type_coerce(col(column), String)


def _rows(session: Session, statement: Any) -> list[Any]:
    return list(session.execute(statement).all())


def read_facts(session: Session, hall: Hall, first: date, last: date) -> Facts:
    """Read every aggregate the summary needs for service days first..last in one scan."""
    where = _in_range(hall, first, last)
    # The words as stored: turning 100,000 rows' words into enums only to count them costs more
    # than the whole fold.
    stmt = sa_select(_word(Ticket.status), _word(Ticket.outcome), _word(Ticket.channel),
                     col(Ticket.window), col(Ticket.service), col(Ticket.clerk),
                     _utc_hour(session), col(Ticket.wait_seconds),
                     col(Ticket.service_seconds), col(Ticket.eta_at_issue)).where(where)
    cache: dict[str, int] = {}
    # One pass over the range, folded in Python: cheaper than a GROUP BY per breakdown.
    facts = fold_tickets(session.execute(stmt), lambda b: _local_hour(b, hall, cache))
    if not facts.statuses:
        return facts
    grade = col(Evaluation.grade)
    source = col(Evaluation.source)
    graded = (sa_select(col(Evaluation.clerk), grade, source, func.count())
              .join(Ticket, col(Ticket.id) == col(Evaluation.ticket_id))
              .where(where).group_by(col(Evaluation.clerk), grade, source))
    for clerk, g, src, n in _rows(session, graded):
        facts.grades[int(g)] = facts.grades.get(int(g), 0) + int(n)
        # A grade staff entered for a resident never counts for that clerk's satisfaction.
        if clerk and src != GradeSource.STAFF:
            grp = facts.by_clerk.setdefault(clerk, Group())
            grp.grade_n += int(n)
            grp.grade_sum += float(g) * int(n)
            grp.satisfied += int(n) if int(g) >= 4 else 0
    return facts


def clerk_names(session: Session) -> dict[str, str]:
    """Map usernames to display names."""
    return {u: d or u for u, d in _rows(session, sa_select(col(User.username),
                                                            col(User.display_name)))}


EXPORT_COLUMNS = (
    "id", "day", "number", "service", "service_name", "category", "channel", "priority",
    "status", "outcome", "window", "clerk", "phone", "call_count", "issued_at",
    "first_called_at", "called_at", "started_at", "finished_at", "closed_at",
    "wait_seconds", "service_seconds", "eta_minutes", "grade")


def export_rows(session: Session, hall: Hall, first: date, last: date,
                batch: int = 5000) -> Iterator[list[Any]]:
    """Yield one row per ticket of the range, in EXPORT_COLUMNS order, phones masked."""
    iso = hall.local_iso
    query = (select(Ticket, Evaluation.grade)
             .join(Evaluation, col(Evaluation.ticket_id) == col(Ticket.id), isouter=True)
             .where(_in_range(hall, first, last)).order_by(col(Ticket.id)))
    for ticket, grade in session.exec(query.execution_options(yield_per=batch)):
        svc = hall.services.get(ticket.service)
        yield [ticket.id, ticket.day.isoformat(), ticket.number, ticket.service,
               svc.name if svc else ticket.service, ticket.category, ticket.channel,
               ticket.priority, ticket.status, ticket.outcome, ticket.window, ticket.clerk,
               mask_phone(ticket.phone), ticket.call_count, iso(ticket.issued_at),
               iso(ticket.first_called_at), iso(ticket.called_at), iso(ticket.started_at),
               iso(ticket.finished_at), iso(ticket.closed_at), ticket.wait_seconds,
               ticket.service_seconds, ticket.eta_at_issue, grade]
