"""The queue's simulations kept between requests, so a new ticket resumes them instead of re-running."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from queue_server.domain.estimate import Estimate
from queue_server.domain.model import QueuedTicket
from queue_server.domain.resume import ResumableSimulation
from queue_server.estimates.queries import QueueView, _sim_windows
from queue_server.halls.hall import Hall
from queue_server.tickets.models import Ticket


def queued(ticket: Ticket) -> QueuedTicket:
    """Return a ticket row as the routing policy sees it."""
    at = ticket.issued_at if ticket.issued_at.tzinfo else ticket.issued_at.replace(tzinfo=UTC)
    return QueuedTicket(ticket.id or 0, ticket.number, ticket.service, at, ticket.priority,
                        ticket.designated_window, ticket.appointment_bonus)


class LiveEstimates:
    """The open windows' simulation, and every window's when some ticket or service needs it.

    Kept step by step: ``push`` then ``settle`` give a new ticket exactly the estimates that
    simulating the whole queue again would.
    """

    def __init__(self, view: QueueView, hall: Hall, now: datetime) -> None:
        self._hall = hall
        windows = _sim_windows(view, hall, now, False)
        self.active = ResumableSimulation(windows, view.waiting if windows else [], now, hall.bonus,
                                          view.means)
        self.everyone: ResumableSimulation | None = None
        self._pushed: list[int] = []
        if len(self.active.estimates) < len(view.waiting) or any(
                self.active.probe(code) is None for code in hall.services):
            self.everyone = ResumableSimulation(_sim_windows(view, hall, now, True), view.waiting, now,
                                                hall.bonus, view.means)

    def push(self, ticket: QueuedTicket) -> None:
        """Queue a new waiting ticket for the next ``settle``."""
        self.active.push(ticket)
        if self.everyone is not None:
            self.everyone.push(ticket)
        self._pushed.append(ticket.id)

    def settle(self) -> dict[int, tuple[bool, Estimate | None]]:
        """Simulate the pushed tickets; return, for each, whether that worked and its estimate.

        It did not work for a ticket no open window serves when every window's simulation was
        not needed until now: that one needs a full simulation.
        """
        pushed, self._pushed = self._pushed, []
        self.active.settle()
        if self.everyone is not None:
            self.everyone.settle()
        out: dict[int, tuple[bool, Estimate | None]] = {}
        for ticket_id in pushed:
            est = self.active.estimates.get(ticket_id)
            if self.everyone is not None:
                out[ticket_id] = (True, est if est is not None else self.everyone.estimates.get(ticket_id))
            else:
                out[ticket_id] = (est is not None, est)
        return out

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


@dataclass
class EstimateCache:
    """Estimates computed for one event seq, reused until the queue changes or time passes."""

    seq: int = -1
    computed: float = 0.0
    tickets: dict[int, Estimate] = field(default_factory=dict)
    services: dict[str, Estimate] = field(default_factory=dict)
    live: LiveEstimates | None = None  # the simulations themselves, when new tickets resume them


@dataclass
class Deferred:
    """A new ticket's estimate, filled in when the simulation settles its batch.

    ``hit`` stays False when the simulation could not take it (it aged, something else
    changed, or settling failed): the issuer then waits for a full simulation.
    """

    ticket_id: int
    seq: int
    hit: bool = False
    estimate: Estimate | None = None
