"""Read the queue from the database and run the pure estimate over it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

from queue_server.domain.estimate import Estimate, SimWindow, free_at, run_simulation
from queue_server.domain.model import Priority, QueuedTicket, WindowStatus
from queue_server.hall import Hall
from queue_server.tickets.models import ServiceStat, Ticket
from queue_server.windows.models import WindowState


@dataclass(frozen=True)
class QueueView:
    """Everything the estimate needs, read in one go."""

    waiting: list[QueuedTicket]
    windows: list[WindowState]
    busy_since: dict[int, tuple[datetime, str]]
    means: dict[str, float]
    unestimated: frozenset[int]  # waiting tickets whose estimate at issue is not recorded yet


_WAITING = text(
    "SELECT id, number, service, issued_at, priority, designated_window, eta_at_issue "
    "FROM ticket WHERE hall = :hall AND status = 'waiting'"
)


def _instant(value: datetime | str) -> datetime:
    """Return a stored instant as an aware UTC datetime (SQLite hands back text)."""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def read_queue(session: Session, hall: Hall) -> QueueView:
    """Read waiting tickets, window states, current tickets and handling means."""
    # Plain SQL with the driver's own rows: this runs for every issued ticket, and the ORM's
    # per-row datetime parsing used to cost more than the simulation itself.
    rows = session.connection().execute(_WAITING, {"hall": hall.code}).all()
    waiting = [
        QueuedTicket(int(i), n, s, _instant(at), Priority(p) if p else None, d)
        for i, n, s, at, p, d, _ in rows
    ]
    unestimated = frozenset(int(row[0]) for row in rows if row[6] is None)
    windows = list(session.exec(select(WindowState).where(WindowState.hall == hall.code)).all())
    current_ids = [w.current_ticket_id for w in windows if w.current_ticket_id]
    busy: dict[int, tuple[datetime, str]] = {}
    if current_ids:
        for win, started, called, service in session.exec(
            select(Ticket.window, Ticket.started_at, Ticket.called_at, Ticket.service).where(
                col(Ticket.id).in_(current_ids)
            )
        ).all():
            since = started or called
            if win is not None and since is not None:
                busy[win] = (since, service)
    means = {code: hall.mean_seconds(code) for code in hall.services}
    for service, mean in session.exec(
        select(ServiceStat.service, ServiceStat.mean_seconds).where(ServiceStat.hall == hall.code)
    ).all():
        means[service] = mean
    return QueueView(waiting, windows, busy, means, unestimated)


def _sim_windows(view: QueueView, hall: Hall, now: datetime, everyone: bool) -> list[SimWindow]:
    out = []
    states = {w.number: w for w in view.windows}
    for number, profile in hall.profiles.items():
        state = states.get(number)
        active = state is not None and state.status in (WindowStatus.OPEN, WindowStatus.PAUSED)
        if not (active or everyone):
            continue
        busy = view.busy_since.get(number) if active else None
        at = free_at(now, busy[0], view.means.get(busy[1], 420.0)) if busy else now
        out.append(SimWindow(profile, at))
    return out


@dataclass(frozen=True)
class QueueEstimates:
    """Estimates for every waiting ticket, and for a ticket of each service taken now."""

    tickets: dict[int, Estimate]
    services: dict[str, Estimate]


def estimate_queue(view: QueueView, hall: Hall, now: datetime) -> QueueEstimates:
    """Estimate the whole queue with one simulation (two when some service has no open window).

    The open and paused windows are simulated. Tickets none of them can serve are estimated as
    if every window that serves them were open (before opening time, say).
    """
    active_windows = _sim_windows(view, hall, now, False)
    active = run_simulation(active_windows, view.waiting if active_windows else [], now,
                            hall.bonus, view.means)
    tickets = dict(active.estimates)
    services = {code: est for code in hall.services if (est := active.probe(code)) is not None}
    if len(tickets) < len(view.waiting) or len(services) < len(hall.services):
        everyone = run_simulation(_sim_windows(view, hall, now, True), view.waiting, now,
                                  hall.bonus, view.means)
        for ticket_id, est in everyone.estimates.items():
            tickets.setdefault(ticket_id, est)
        for code in hall.services:
            if code not in services and (est := everyone.probe(code)) is not None:
                services[code] = est
    return QueueEstimates(tickets, services)
