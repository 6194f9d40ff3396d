"""Issue a ticket and give it its estimate in the same worker thread, right after the commit."""

from __future__ import annotations

from collections.abc import Callable

from queue_server.core.events import Envelope
from queue_server.db.uow import Database, UnitOfWork
from queue_server.domain.estimate import Estimate
from queue_server.estimates.estimator import PROBE_MAX_AGE, Estimator
from queue_server.estimates.simulations import Deferred
from queue_server.tickets.service.issuing import Issued


class Issuer:
    """Run the issue use case in a unit of work, then estimate the new ticket."""

    def __init__(self, db: Database, estimator: Estimator) -> None:
        self._db = db
        self._estimator = estimator

    async def issue(self, use_case: Callable[[UnitOfWork], Issued]) -> tuple[Issued, Estimate | None]:
        """Issue a ticket; return it with its estimate (None when nothing can serve it).

        The new ticket resumes the cached simulation with the commit, in seq order, once for a
        whole batch: each ticket is deferred, then the batch is settled. The group-commit writer
        has the event loop do it during the batch's fsync, and answers after both; a commit that
        fails discards it. When the simulation does not hold the queue just before this ticket,
        the ticket waits for a full one, shared with every issuer that arrives meanwhile.
        """
        def defer(issued: Issued, events: list[Envelope]) -> Deferred | None:
            if not events:  # an idempotent replay
                return None
            return self._estimator.defer(issued.ticket, events[-1].seq)

        issued, deferred = await self._db.write_then(use_case, defer, settler=self._estimator)
        est = deferred.estimate if deferred is not None else None
        if deferred is None or not deferred.hit:
            current = await self._estimator.current(max_age=PROBE_MAX_AGE,
                                                    min_seq=deferred.seq if deferred else 0)
            est = current.tickets.get(issued.ticket.id or 0)
        self._estimator.refresh_if_aging()
        return issued, est
