"""The queue's simulations kept between requests, so a new ticket resumes them instead of re-running."""

from __future__ import annotations

from datetime import UTC, datetime

from queue_server.domain.estimate import Estimate
from queue_server.domain.model import QueuedTicket
from queue_server.domain.resume import ResumableSimulation
from queue_server.hall import Hall
from queue_server.tickets.estimates import QueueView, _sim_windows
from queue_server.tickets.models import Ticket


def queued(ticket: Ticket) -> QueuedTicket:
    """Return a ticket row as the routing policy sees it."""
    at = ticket.issued_at if ticket.issued_at.tzinfo else ticket.issued_at.replace(tzinfo=UTC)
    return QueuedTicket(ticket.id or 0, ticket.number, ticket.service, at, ticket.priority,
                        ticket.designated_window, ticket.appointment_bonus)


class LiveEstimates:
    """The open windows' simulation, and every window's when some ticket or service needs it.

    The same two simulations as ``estimate_queue``, kept step by step: ``add`` gives a new
    ticket exactly the estimates simulating the whole queue again would.
    """

    def __init__(self, view: QueueView, hall: Hall, now: datetime) -> None:
        self._hall = hall
        windows = _sim_windows(view, hall, now, False)
        self.active = ResumableSimulation(windows, view.waiting if windows else [], now, hall.bonus,
                                          view.means)
        self.everyone: ResumableSimulation | None = None
        if len(self.active.estimates) < len(view.waiting) or any(
                self.active.probe(code) is None for code in hall.services):
            self.everyone = ResumableSimulation(_sim_windows(view, hall, now, True), view.waiting, now,
                                                hall.bonus, view.means)

    def add(self, ticket: QueuedTicket) -> tuple[bool, Estimate | None]:
        """Add a new waiting ticket; return whether that worked, and its estimate."""
        est = self.active.add(ticket)
        if self.everyone is not None:
            other = self.everyone.add(ticket)
            return True, est if est is not None else other
        # No open window serves it and every window's simulation was not needed until now.
        return est is not None, est

    def get(self, ticket_id: int) -> Estimate | None:
        """Return one waiting ticket's estimate."""
        est = self.active.estimates.get(ticket_id)
        if est is None and self.everyone is not None:
            est = self.everyone.estimates.get(ticket_id)
        return est

    def tickets(self) -> dict[int, Estimate]:
        """Return every waiting ticket's estimate (a copy)."""
        if self.everyone is None:
            return dict(self.active.estimates)
        return {**self.everyone.estimates, **self.active.estimates}

    def services(self) -> dict[str, Estimate]:
        """Return the estimate for a ticket of each service taken now."""
        out = {}
        for code in self._hall.services:
            est = self.active.probe(code)
            if est is None and self.everyone is not None:
                est = self.everyone.probe(code)
            if est is not None:
                out[code] = est
        return out
