"""The event log: append typed events inside the caller's transaction, and read them back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, col, select

from queue_server.db.driver import Driver, DriverStatement, insert_returning_id
from queue_server.events.models import Event, HallState
from queue_server.events.schema import CALL_TYPES, Envelope, HallEvent, TicketBrief
from queue_server.halls.hall import Hall
from queue_server.tickets.models import Ticket

NOTIFY_CHANNEL = "hall_events"
# Built once: every event runs these, and building a statement is a share of issuing a ticket.
_LOCK = DriverStatement("SELECT last_seq FROM hall_state WHERE hall = :h FOR UPDATE")
_NEXT_SEQ = DriverStatement("UPDATE hall_state SET last_seq = last_seq + 1 WHERE hall = :h RETURNING last_seq")
_NOTIFY = DriverStatement("SELECT pg_notify(:channel, :payload)")
_EVENTS = SQLModel.metadata.tables["event"]
_INSERT = insert_returning_id(_EVENTS, [c.name for c in _EVENTS.columns if c.name != "id"])


def last_seq_in(engine: Engine, hall: str) -> int:
    """Return the newest seq, reading through a short session of its own."""
    with Session(engine) as session:
        return last_seq(session, hall)


def ensure_hall_row(session: Session, hall: str) -> None:
    """Create the hall's state row if it does not exist yet."""
    if session.get(HallState, hall) is None:
        session.add(HallState(hall=hall, last_seq=0))
        session.flush()


def lock_hall(driver: Driver, hall: str) -> None:
    """Serialise writers of one hall, so event seq order is commit order.

    SQLite already serialises writers (BEGIN IMMEDIATE); PostgreSQL takes the hall row lock.
    """
    if driver.dialect.name == "postgresql":
        driver.run(_LOCK, {"h": hall})


def brief(ticket: Ticket) -> TicketBrief:
    """Return the public, number-only view of a ticket carried in events."""
    assert ticket.id is not None
    return TicketBrief(id=ticket.id, number=ticket.number, service=ticket.service,
                       category=ticket.category, status=ticket.status, window=ticket.window)


def append(session: Session, hall: Hall, event: HallEvent, *, at: datetime, actor: str,
           driver: Driver | None = None) -> Envelope:
    """Give an event the hall's next seq, store it, and return it as subscribers will see it."""
    driver = driver or Driver(session)
    seq = int(driver.run(_NEXT_SEQ, {"h": hall.code})[0][0])
    stored = event.model_copy(update={"seq": seq, "at": hall.local_iso(at)})
    envelope = Envelope.of(stored)
    if driver.dialect.name == "postgresql":
        # Delivered at commit, so other server processes hear of the event only once it exists.
        driver.run(_NOTIFY, {"channel": NOTIFY_CHANNEL, "payload": f"{hall.code}:{seq}"})
    # Straight to the driver, not an ORM object: nothing reads the row back in this transaction.
    driver.run(_INSERT, {
        "hall": hall.code, "seq": seq, "type": stored.type, "at": at, "actor": actor,
        "ticket_id": stored.ticket.id if stored.ticket else None, "window": stored.window,
        "data": envelope.text})
    return envelope


def last_seq(session: Session, hall: str) -> int:
    """Return the seq of the newest event."""
    state = session.get(HallState, hall)
    return state.last_seq if state else 0


def events_after(session: Session, hall: str, since: int, limit: int) -> list[Envelope]:
    """Return up to ``limit`` events with seq greater than ``since``, oldest first."""
    rows = session.exec(
        select(Event.data)
        .where(Event.hall == hall, Event.seq > since)
        .order_by(col(Event.seq))
        .limit(limit)
    ).all()
    return [Envelope.parse(r) for r in rows]


def recent_calls(session: Session, hall: Hall, limit: int = 10) -> list[HallEvent]:
    """Return the last calls and recalls, newest first."""
    rows = session.exec(
        select(Event.data)
        .where(Event.hall == hall.code, col(Event.type).in_(CALL_TYPES))
        .order_by(col(Event.seq).desc())
        .limit(limit)
    ).all()
    return [Envelope.parse(r).event for r in rows]


def events_after_in(engine: Engine, hall: str, since: int, limit: int) -> list[Envelope]:
    """Return events after ``since``, reading through a short session of its own."""
    with Session(engine) as session:
        return events_after(session, hall, since, limit)
