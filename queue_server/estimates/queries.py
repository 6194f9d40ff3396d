"""Read the queue from the database and run the pure estimate over it."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, select

from queue_server.domain.estimate import SimWindow, free_at
from queue_server.domain.model import Priority, QueuedTicket, WindowStatus
from queue_server.halls.hall import Hall
from queue_server.halls.models import ServiceStat
from queue_server.windows.queries import window_rows


@dataclass(frozen=True)
class QueueView:
    """Everything the estimate needs, read in one go."""

    waiting: list[QueuedTicket]
    statuses: dict[int, WindowStatus]
    busy_since: dict[int, tuple[datetime, str]]
    means: dict[str, float]
    unestimated: frozenset[int]  # waiting tickets whose estimate at issue is not recorded yet


_WAITING = text(
    "SELECT id, number, service, issued_at, priority, designated_window, eta_at_issue, "
    "appointment_bonus FROM ticket WHERE hall = :hall AND status = 'waiting'"
)


def _instant(value: datetime | str) -> datetime:
    """Return a stored instant as an aware UTC datetime (SQLite hands back text)."""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _queued(row: Any) -> QueuedTicket:
    i, n, s, at, p, d = row[:6]
    return QueuedTicket(int(i), n, s, _instant(at), Priority(p) if p else None, d,
                        int(row.appointment_bonus or 0))


def read_queue(session: Session, hall: Hall) -> QueueView:
    """Read waiting tickets, window states, current tickets and handling means."""
    # Plain SQL with the driver's own rows: the ORM's per-row datetime parsing used to cost more
    # than the simulation itself.
    rows = session.connection().execute(_WAITING, {"hall": hall.code}).all()
    unestimated = frozenset(int(row[0]) for row in rows if row[6] is None)
    return _with_windows(session, hall, [_queued(r) for r in rows], unestimated)


_TOUCHED = text(
    "SELECT id, number, service, issued_at, priority, designated_window, eta_at_issue, status, "
    "appointment_bonus FROM ticket WHERE id IN (SELECT DISTINCT ticket_id FROM event "
    "WHERE hall = :hall AND seq > :since AND seq <= :upto AND ticket_id IS NOT NULL)"
)


class QueueTracker:
    """The waiting queue kept in memory and brought up to date from the event log.

    Reading the whole queue for every issued ticket grew with the backlog; reading only the
    tickets that events touched since the last look does not. A ticket's row is always read
    in its current state, so a change that commits between two looks is simply seen early.
    """

    FULL_READ_AFTER = 2000  # events; past this a full read is cheaper
    FULL_READ_EVERY = 30.0  # seconds; insurance against rows changed outside the use cases

    def __init__(self) -> None:
        self.seq = -1
        self.full_at = 0.0
        self.waiting: dict[int, QueuedTicket] = {}
        self.unestimated: set[int] = set()

    def view(self, session: Session, hall: Hall) -> tuple[int, QueueView]:
        """Return the newest seq and the queue as of that seq (exactly, in a snapshot session)."""
        from queue_server.db.eventlog import last_seq

        upto = last_seq(session, hall.code)
        conn = session.connection()
        stale = time.monotonic() - self.full_at > self.FULL_READ_EVERY
        if self.seq < 0 or stale or upto - self.seq > self.FULL_READ_AFTER or upto < self.seq:
            self.full_at = time.monotonic()
            rows = conn.execute(_WAITING, {"hall": hall.code}).all()
            self.waiting = {int(r[0]): _queued(r) for r in rows}
            self.unestimated = {int(r[0]) for r in rows if r[6] is None}
        elif upto > self.seq:
            for row in conn.execute(_TOUCHED, {"hall": hall.code, "since": self.seq, "upto": upto}):
                ticket_id = int(row[0])
                if row[7] == "waiting":
                    self.waiting[ticket_id] = _queued(row)
                    if row[6] is None:
                        self.unestimated.add(ticket_id)
                else:
                    self.waiting.pop(ticket_id, None)
                    self.unestimated.discard(ticket_id)
        self.seq = upto
        view = _with_windows(session, hall, list(self.waiting.values()), frozenset(self.unestimated))
        return upto, view

    def estimated(self, ticket_ids: Iterable[int]) -> None:
        """Forget that these tickets still need their first estimate recorded."""
        self.unestimated.difference_update(ticket_ids)


def _with_windows(session: Session, hall: Hall, waiting: list[QueuedTicket],
                  unestimated: frozenset[int]) -> QueueView:
    rows = window_rows(session, hall)
    busy: dict[int, tuple[datetime, str]] = {}
    for row in rows:
        since = (row.current.started_at or row.current.called_at) if row.current else None
        if row.current is not None and since is not None:
            busy[row.number] = (since, row.current.service)
    means = {code: hall.mean_seconds(code) for code in hall.services}
    for service, mean in session.exec(
        select(ServiceStat.service, ServiceStat.mean_seconds).where(ServiceStat.hall == hall.code)
    ).all():
        means[service] = mean
    return QueueView(waiting, {r.number: r.status for r in rows}, busy, means, unestimated)


def _sim_windows(view: QueueView, hall: Hall, now: datetime, everyone: bool) -> list[SimWindow]:
    out = []
    for number, profile in hall.profiles.items():
        active = view.statuses.get(number) in (WindowStatus.OPEN, WindowStatus.PAUSED)
        if not (active or everyone):
            continue
        busy = view.busy_since.get(number) if active else None
        at = free_at(now, busy[0], view.means.get(busy[1], 420.0)) if busy else now
        out.append(SimWindow(profile, at))
    return out
