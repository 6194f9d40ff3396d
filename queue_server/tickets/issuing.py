"""Issue a ticket and give it its estimate in the same worker thread, right after the commit."""

from __future__ import annotations

from collections.abc import Callable

from queue_server.domain.estimate import Estimate
from queue_server.events.schema import Envelope
from queue_server.tickets.estimator import PROBE_MAX_AGE, Estimator
from queue_server.tickets.service import Issued
from queue_server.uow import Database, UnitOfWork


class Issuer:
    """Run the issue use case in a unit of work, then estimate the new ticket."""

    def __init__(self, db: Database, estimator: Estimator) -> None:
        self._db = db
        self._estimator = estimator

    async def issue(self, use_case: Callable[[UnitOfWork], Issued]) -> tuple[Issued, Estimate | None]:
        """Issue a ticket; return it with its estimate (None when nothing can serve it)."""
        if self._estimator.incremental:
            return await self._issue_resuming(use_case)

        def estimate(issued: Issued, events: list[Envelope]) -> tuple[Estimate | None, bool]:
            ticket_id = issued.ticket.id or 0
            if not events:  # an idempotent replay
                return self._estimator.compute().tickets.get(ticket_id), False
            return self._estimator.for_new_ticket(issued.ticket, events[-1].seq)

        issued, (est, refresh) = await self._db.write_then(use_case, estimate)
        if refresh:
            self._estimator.refresh_soon()
        return issued, est

    async def _issue_resuming(self, use_case: Callable[[UnitOfWork], Issued]
                              ) -> tuple[Issued, Estimate | None]:
        # Resuming the simulation is cheap, so it runs right after the commit, in seq order
        # (the group-commit writer answers a batch in that order). When the simulation does
        # not hold the queue just before this ticket, the ticket waits for a full one, shared
        # with every issuer that arrives meanwhile.
        def resume(issued: Issued, events: list[Envelope]) -> tuple[bool, Estimate | None, int]:
            if not events:  # an idempotent replay
                return False, None, 0
            hit, est = self._estimator.extend(issued.ticket, events[-1].seq)
            return hit, est, events[-1].seq

        issued, (hit, est, seq) = await self._db.write_then(use_case, resume)
        if not hit:
            current = await self._estimator.current(max_age=PROBE_MAX_AGE, min_seq=seq)
            est = current.tickets.get(issued.ticket.id or 0)
        self._estimator.refresh_if_aging()
        return issued, est
