"""Windows with their current tickets and clerks, and the waiting counts: read once, shown everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from queue_server.auth.models import User
from queue_server.domain.model import TicketStatus, WindowStatus
from queue_server.halls.hall import Hall
from queue_server.tickets.models import Ticket
from queue_server.tickets.queries import applicant_for, ticket_public
from queue_server.windows.models import ClerkRef, WindowPublic, WindowState


@dataclass(frozen=True)
class WindowRow:
    """A configured window, its state row (if any), its current ticket and its clerk's name."""

    number: int
    state: WindowState | None
    current: Ticket | None
    clerk_name: str | None

    @property
    def status(self) -> WindowStatus:
        """Return the window's status; a window never opened is closed."""
        return WindowStatus(self.state.status) if self.state else WindowStatus.CLOSED


def window_rows(session: Session, hall: Hall, *, with_names: bool = False) -> list[WindowRow]:
    """Read every window with its current ticket (and clerk names) in a constant number of queries."""
    states = {w.number: w for w in session.exec(
        select(WindowState).where(WindowState.hall == hall.code)).all()}
    current_ids = [w.current_ticket_id for w in states.values() if w.current_ticket_id]
    current = {t.id: t for t in session.exec(
        select(Ticket).where(col(Ticket.id).in_(current_ids))).all()} if current_ids else {}
    clerks = [w.clerk for w in states.values() if w.clerk]
    names: dict[str, str] = {}
    if with_names and clerks:
        names = {u: d or u for u, d in session.exec(
            select(User.username, User.display_name).where(col(User.username).in_(clerks))).all()}
    rows = []
    for w in hall.config.windows:
        state = states.get(w.number)
        ticket = current.get(state.current_ticket_id) if state and state.current_ticket_id else None
        clerk = state.clerk if state else None
        rows.append(WindowRow(w.number, state, ticket, names.get(clerk, clerk) if clerk else None))
    return rows


def window_public(row: WindowRow, hall: Hall, base: str, *, staff: bool = False) -> WindowPublic:
    """Return the API's Window object; to staff, the current ticket names its card holder."""
    state = row.state
    tiers = hall.config.window_tiers(row.number)
    clerk = state.clerk if state else None
    return WindowPublic(
        number=row.number, name=hall.window_name(row.number), status=row.status,
        pause_reason=state.pause_reason if state else None,
        clerk=ClerkRef(username=clerk, display_name=row.clerk_name or clerk) if clerk else None,
        current=ticket_public(row.current, hall, estimate=None, base_url=base, with_token=False,
                              applicant=applicant_for(hall, row.current) if staff else None)
        if row.current else None,
        services=[code for tier in tiers for code in tier], profile=tiers)


def windows_public(session: Session, hall: Hall, base: str, *, staff: bool = False) -> list[WindowPublic]:
    """List every window for staff and devices (the card holder's name for staff only)."""
    return [window_public(r, hall, base, staff=staff) for r in window_rows(session, hall, with_names=True)]


def window_by_number(session: Session, hall: Hall, number: int, base: str) -> WindowPublic:
    """Return one window for staff."""
    row = next(r for r in window_rows(session, hall, with_names=True) if r.number == number)
    return window_public(row, hall, base, staff=True)


def waiting_by_service(session: Session, hall: Hall) -> dict[str, int]:
    """Count waiting tickets per service."""
    rows = session.exec(
        select(Ticket.service, func.count()).where(Ticket.hall == hall.code,
                                                   Ticket.status == TicketStatus.WAITING)
        .group_by(Ticket.service)
    ).all()
    return {s: int(n) for s, n in rows}


def waiting_in_category(hall: Hall, waiting: dict[str, int], category: str) -> int:
    """Sum the waiting counts of a category's services."""
    return sum(waiting.get(s.code, 0) for s in hall.categories[category].services)
