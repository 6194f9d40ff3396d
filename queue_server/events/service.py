"""Append events to the log inside the caller's transaction, and read them back."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from queue_server.events.models import Event, HallState
from queue_server.hall import Hall
from queue_server.tickets.models import Ticket

NOTIFY_CHANNEL = "hall_events"


def last_seq_in(engine: Engine, hall: str) -> int:
    """Return the newest seq, reading through a short session of its own."""
    with Session(engine) as session:
        return last_seq(session, hall)


def ensure_hall_row(session: Session, hall: str) -> None:
    """Create the hall's state row if it does not exist yet."""
    if session.get(HallState, hall) is None:
        session.add(HallState(hall=hall, last_seq=0))
        session.flush()


def lock_hall(session: Session, hall: str) -> None:
    """Serialise writers of one hall, so event seq order is commit order.

    SQLite already serialises writers (BEGIN IMMEDIATE); PostgreSQL takes the hall row lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT last_seq FROM hall_state WHERE hall = :h FOR UPDATE"), {"h": hall}
        )


def ticket_brief(ticket: Ticket) -> dict[str, Any]:
    """Return the public, number-only view of a ticket carried in events."""
    return {
        "id": ticket.id,
        "number": ticket.number,
        "service": ticket.service,
        "category": ticket.category,
        "status": ticket.status,
        "window": ticket.window,
    }


def append(
    session: Session,
    hall: Hall,
    *,
    type: str,
    at: datetime,
    actor: str,
    ticket: Ticket | None = None,
    window: int | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Append one event and return the message subscribers will receive."""
    row = session.execute(
        text("UPDATE hall_state SET last_seq = last_seq + 1 WHERE hall = :h RETURNING last_seq"),
        {"h": hall.code},
    ).one()
    seq = int(row[0])
    message: dict[str, Any] = {
        "type": type,
        "seq": seq,
        "at": hall.local_iso(at),
        "ticket": ticket_brief(ticket) if ticket is not None else None,
        "window": window,
    }
    if extra:
        message.update(extra)
    if session.get_bind().dialect.name == "postgresql":
        # Delivered at commit, so other server processes hear of the event only once it exists.
        session.execute(text("SELECT pg_notify(:channel, :payload)"),
                        {"channel": NOTIFY_CHANNEL, "payload": f"{hall.code}:{seq}"})
    session.add(
        Event(
            hall=hall.code, seq=seq, type=type, at=at, actor=actor,
            ticket_id=ticket.id if ticket is not None else None, window=window,
            data=json.dumps(message, ensure_ascii=False),
        )
    )
    return message


def last_seq(session: Session, hall: str) -> int:
    """Return the seq of the newest event."""
    state = session.get(HallState, hall)
    return state.last_seq if state else 0


def events_after(session: Session, hall: str, since: int, limit: int) -> list[dict[str, Any]]:
    """Return up to ``limit`` event messages with seq greater than ``since``, oldest first."""
    rows = session.exec(
        select(Event.data)
        .where(Event.hall == hall, Event.seq > since)
        .order_by(col(Event.seq))
        .limit(limit)
    ).all()
    return [json.loads(r) for r in rows]


def recent_calls(session: Session, hall: Hall, limit: int = 10) -> list[dict[str, Any]]:
    """Return the last calls and recalls, newest first."""
    rows = session.exec(
        select(Event.data)
        .where(Event.hall == hall.code, col(Event.type).in_(["ticket.called", "ticket.recalled"]))
        .order_by(col(Event.seq).desc())
        .limit(limit)
    ).all()
    out = []
    for r in rows:
        msg = json.loads(r)
        out.append({"number": msg["ticket"]["number"], "window": msg["window"], "at": msg["at"]})
    return out
