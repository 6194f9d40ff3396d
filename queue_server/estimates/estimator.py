"""The estimator: one owner for the cached simulation and the first estimates still to record."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time as _time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, text
from starlette.concurrency import run_in_threadpool

from queue_server.core.events import Envelope
from queue_server.db.engine import snapshot_session, write_session
from queue_server.domain.estimate import Estimate
from queue_server.domain.model import QueuedTicket
from queue_server.estimates.queries import QueueTracker
from queue_server.estimates.simulations import Deferred, EstimateCache, LiveEstimates, queued
from queue_server.halls.hall import Hall
from queue_server.tickets.models import Ticket

log = logging.getLogger(__name__)
PROBE_MAX_AGE = 2.0  # seconds: how old a simulation may be to estimate a new ticket by probing
RECENT_MAX = 10_000  # new tickets kept for replay into a simulation computed meanwhile
REFRESH_SPACING = 4.0  # a background refresh waits 4 times the last simulation's cost
# A process keeps a hall's simulation warm only while it uses it: one that has not issued into the
# hall or answered for its estimates this long computes on demand instead of after every event it
# hears from the other processes (a county worker hears every hall's events).
WARM_FOR = 30.0
# Events that leave the waiting queue, the windows and the handling means as they were.
NEUTRAL = frozenset({"ticket.evaluated", "device.status"})


class Estimator:
    """Estimate the queue from a cached simulation, and write each ticket's first estimate back."""

    def __init__(self, engine: Engine, hall: Hall, clock: Callable[[], datetime],
                 latest_seq: Callable[[], int]) -> None:
        self._engine = engine
        self._hall = hall
        self._clock = clock
        self._latest_seq = latest_seq
        self._cache = EstimateCache()
        self._lock = threading.Lock()
        self._pending: dict[int, Estimate] = {}
        self._queue = QueueTracker()
        self._refresher: asyncio.Task[None] | None = None
        self._next_refresh = 0.0  # monotonic time before which a background refresh waits
        self._dirty = False  # tickets were added to the simulations since tickets/services were copied
        self._deferred: list[tuple[LiveEstimates, Deferred]] = []  # pushed, not yet settled
        self._recent: list[tuple[QueuedTicket, int]] = []  # pushed since the last computation
        self._recent_complete = True  # False once _recent outgrew RECENT_MAX and was dropped
        self._computing = threading.Lock()  # one full computation at a time; waiters share it
        self._flusher: asyncio.Task[None] | None = None
        self._used = -WARM_FOR  # monotonic time this process last issued or read an estimate

    def start(self, flush_interval: float = 1.0) -> None:
        """Start recording first estimates in the background; call inside the event loop."""
        self._flusher = asyncio.create_task(self._flush_loop(flush_interval))

    async def stop(self) -> None:
        """Stop the background work and record what is pending."""
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
            self._flusher = None
        await run_in_threadpool(self.flush)

    def _covers(self, cache: EstimateCache, max_age: float, min_seq: int) -> bool:
        # An issuer only needs a computation that includes its own ticket; other readers want
        # the newest state the hub has seen.
        fresh = _time.monotonic() - cache.computed < max_age
        return fresh and cache.seq >= (min_seq or self._latest_seq())

    async def current(self, max_age: float = 5.0, min_seq: int = 0) -> EstimateCache:
        """Return estimates for the current queue, recomputed when it changed or aged."""
        self._used = _time.monotonic()
        if not self._dirty and self._covers(self._cache, max_age, min_seq):
            return self._cache
        return await run_in_threadpool(self.compute, max_age, min_seq)

    def compute(self, max_age: float = 5.0, min_seq: int = 0) -> EstimateCache:
        """Return current estimates from a worker thread.

        Callers that arrive while a computation runs wait for it and share it when it covers
        their seq, so a burst of tickets costs one simulation rather than one each. The
        simulation itself runs outside the estimator's lock: new tickets keep resuming the
        current one meanwhile, and are replayed into the new one when it is put in place.
        """
        with self._computing:
            with self._lock:
                self._settle_locked()
                if self._covers(self._cache, max_age, min_seq):
                    return self._copied()
            # One snapshot: new tickets resume this simulation only if it holds exactly the
            # queue as of `seq` (on PostgreSQL a later ticket could otherwise be in it twice).
            started = _time.monotonic()
            with snapshot_session(self._engine) as session:
                seq, view = self._queue.view(session, self._hall)
            live: LiveEstimates | None = LiveEstimates(view, self._hall, self._clock())
            assert live is not None
            with self._lock:
                self._settle_locked()
                result = (live.tickets(), live.services())
                caught = self._catch_up(live, seq)
                if caught is None:
                    live = None  # the next ticket computes afresh
                elif caught > seq:
                    seq, result = caught, (live.tickets(), live.services())
                for ticket_id in view.unestimated:
                    if ticket_id in result[0] and ticket_id not in self._pending:
                        self._pending[ticket_id] = result[0][ticket_id]
                self._cache = EstimateCache(seq, _time.monotonic(), result[0], result[1], live)
                self._dirty = False
                self._next_refresh = _time.monotonic() + REFRESH_SPACING * (_time.monotonic() - started)
                return self._cache

    def _catch_up(self, live: LiveEstimates, seq: int) -> int | None:
        """Add to a simulation read at ``seq`` the tickets issued since; return the seq it holds.

        The current simulation moved past ``seq`` only through new tickets and events that
        change no estimate (see ``defer`` and ``saw``), so replaying those tickets brings the
        new one to the same seq. Anything else left it behind, and the new one stays at ``seq``.
        None: a replayed ticket needs every window's simulation, which this one left out.
        """
        recent, complete = self._recent, self._recent_complete
        self._recent, self._recent_complete = [], True
        if self._cache.live is None or self._cache.seq <= seq or not complete:
            return seq
        newer = [ticket for ticket, at in recent if at > seq]
        for ticket in newer:
            live.push(ticket)
        if newer and not all(ok for ok, _ in live.settle().values()):
            return None
        return self._cache.seq

    def _copied(self) -> EstimateCache:
        """Return the cache with tickets and services copied from the simulations (under the lock)."""
        cache = self._cache
        if self._dirty and cache.live is not None:
            cache = self._cache = EstimateCache(cache.seq, cache.computed, cache.live.tickets(),
                                                cache.live.services(), cache.live)
        self._dirty = False
        return cache

    def defer(self, ticket: Ticket, seq: int) -> Deferred:
        """Push a ticket given ``seq`` into the simulations; ``settle`` estimates it.

        The group-commit writer defers every ticket of a batch, then settles once, while the batch
        commits (``discard`` if it fails): one resumption for the batch, not one for each ticket.
        """
        deferred = Deferred(ticket.id or 0, seq)
        self._used = _time.monotonic()
        with self._lock:
            cache = self._cache
            fresh = _time.monotonic() - cache.computed < PROBE_MAX_AGE
            if cache.live is None or not fresh or cache.seq < seq - 1:
                return deferred
            if cache.seq >= seq:  # a refresh already read it
                self._settle_locked()
                deferred.hit, deferred.estimate = True, cache.live.get(deferred.ticket_id)
                return deferred
            new = queued(ticket)
            cache.live.push(new)
            self._deferred.append((cache.live, deferred))
            if len(self._recent) >= RECENT_MAX:
                self._recent.clear()
                self._recent_complete = False
            self._recent.append((new, seq))
            self._cache = EstimateCache(seq, cache.computed, cache.tickets, cache.services, cache.live)
            self._dirty = True
            return deferred

    def settle(self) -> None:
        """Estimate every deferred ticket, resuming the simulations once."""
        with self._lock:
            self._settle_locked()

    def discard(self) -> None:
        """Forget the simulations: tickets were deferred whose batch then failed to commit.

        The next issuer waits for a full simulation, read from what did commit. First estimates
        not yet recorded are dropped too (some may be of those tickets); the next full simulation
        records the waiting tickets' own.
        """
        with self._lock:
            self._deferred.clear()
            self._cache = EstimateCache()
            self._recent.clear()
            self._recent_complete = False  # a simulation being read now replays none of them
            self._pending.clear()

    def _settle_locked(self) -> None:
        deferred, self._deferred = self._deferred, []
        results: dict[int, dict[int, tuple[bool, Estimate | None]]] = {}
        for live, _ in deferred:
            if id(live) not in results:
                results[id(live)] = live.settle()
        for live, slot in deferred:
            ok, est = results[id(live)][slot.ticket_id]
            if not ok:
                if self._cache.live is live:
                    self._cache = EstimateCache()
                continue
            slot.hit, slot.estimate = True, est
            if est is not None:
                self._pending[slot.ticket_id] = est

    def saw(self, batch: list[Envelope]) -> None:
        """Follow committed events: skip those that change no estimate, refresh after the others.

        The refresh happens only while this process uses the hall's estimates (``WARM_FOR``);
        otherwise the next reader computes them, as ``current`` sees the cache is behind the hub.
        """
        changed = False
        if self._lock.acquire(blocking=False):
            try:
                for env in batch:
                    if env.seq == self._cache.seq + 1 and env.event.type in NEUTRAL:
                        self._cache.seq = env.seq
                    elif env.seq > self._cache.seq:
                        changed = True
            finally:
                self._lock.release()
        else:
            changed = True
        if changed and _time.monotonic() - self._used < WARM_FOR:
            self.refresh_soon()

    def refresh_soon(self) -> None:
        """Recompute the simulation off the request path; call inside the event loop."""
        if self._refresher is None or self._refresher.done():
            self._refresher = asyncio.create_task(self._refresh())

    async def _refresh(self) -> None:
        # Off the request path but not free: in one process the simulation takes the CPU from
        # requests. Spaced by REFRESH_SPACING times its own cost, a stream of calls costs at most
        # a fifth of a core instead of all of it.
        wait = self._next_refresh - _time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        # Younger than a probe may be, so that new tickets keep resuming a fresh simulation.
        await run_in_threadpool(self.compute, PROBE_MAX_AGE / 2)

    def refresh_if_aging(self) -> None:
        """Start a full simulation off the request path once the current one is half as old as allowed."""
        if _time.monotonic() - self._cache.computed > PROBE_MAX_AGE / 2:
            self.refresh_soon()

    def flush(self) -> None:
        """Record each ticket's first estimate (eta_at_issue) for the accuracy statistic."""
        with self._computing, self._lock:  # the queue tracker belongs to the computation
            pending, self._pending = self._pending, {}
            if pending:
                self._queue.estimated(pending)
        if pending:
            with write_session(self._engine) as session:
                session.execute(
                    text("UPDATE ticket SET eta_at_issue = :eta, ahead_at_issue = :ahead "
                         "WHERE id = :id AND eta_at_issue IS NULL"),
                    [{"id": i, "eta": est.eta_minutes, "ahead": est.ahead}
                     for i, est in pending.items()])

    async def _flush_loop(self, interval: float) -> None:
        # Off the request path: one small batched write a second instead of one per ticket.
        while True:
            await asyncio.sleep(interval)
            try:
                await run_in_threadpool(self.flush)
            except Exception:
                log.exception("recording first estimates failed; will retry")
