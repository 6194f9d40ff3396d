"""Issue a ticket and give it its estimate in the same worker thread, right after the commit."""

from __future__ import annotations

from collections.abc import Callable

from queue_server.domain.estimate import Estimate
from queue_server.events.schema import Envelope
from queue_server.tickets.estimator import Estimator
from queue_server.tickets.service import Issued
from queue_server.uow import Database, UnitOfWork


class Issuer:
    """Run the issue use case in a unit of work, then estimate the new ticket."""

    def __init__(self, db: Database, estimator: Estimator) -> None:
        self._db = db
        self._estimator = estimator

    async def issue(self, use_case: Callable[[UnitOfWork], Issued]) -> tuple[Issued, Estimate | None]:
        """Issue a ticket; return it with its estimate (None when nothing can serve it)."""
        def estimate(issued: Issued, events: list[Envelope]) -> tuple[Estimate | None, bool]:
            ticket_id = issued.ticket.id or 0
            if not events:  # an idempotent replay
                return self._estimator.compute().tickets.get(ticket_id), False
            return self._estimator.for_new_ticket(issued.ticket, events[-1].seq)

        issued, (est, refresh) = await self._db.write_then(use_case, estimate)
        if refresh:
            self._estimator.refresh_soon()
        return issued, est
