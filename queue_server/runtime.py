"""The server's running state: settings, database, hall, hub and the clock."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import threading
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, text
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from queue_server.db.engine import make_engine, read_session, write_session
from queue_server.db.migrate import startup_lock, upgrade
from queue_server.domain.estimate import Estimate
from queue_server.events import service as events
from queue_server.events.hub import Hub, Message
from queue_server.events.models import HallState
from queue_server.hall import Hall
from queue_server.hallconfig.loader import bundled_yaml, load_file, parse
from queue_server.hallconfig.schema import HallConfig
from queue_server.settings import ServerSettings
from queue_server.tickets.estimates import QueueTracker, estimate_queue
from queue_server.tickets.models import Ticket

log = logging.getLogger(__name__)
T = TypeVar("T")
PROBE_MAX_AGE = 2.0  # seconds: how old a simulation may be to estimate a new ticket by probing


def utcnow() -> datetime:
    """Return the current instant."""
    return datetime.now(UTC)


def load_secret(settings: ServerSettings) -> bytes:
    """Return HALL_SECRET_KEY, or a key generated once and kept under var/."""
    if settings.secret_key:
        return settings.secret_key.encode()
    path = settings.var_dir / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip().encode()


def choose_config(settings: ServerSettings, engine: Engine) -> HallConfig:
    """Pick HALL_CONFIG if set, else an imported configuration, else the bundled hall."""
    if settings.config is not None:
        return load_file(Path(settings.config))
    with read_session(engine) as session:
        state = session.exec(select(HallState).where(col(HallState.config_yaml).is_not(None))).first()
        if state is not None and state.config_yaml:
            return parse(state.config_yaml)
    return parse(bundled_yaml())


@dataclass
class EstimateCache:
    """Estimates computed for one event seq, reused until the queue changes or time passes."""

    seq: int = -1
    computed: float = 0.0
    tickets: dict[int, Estimate] = field(default_factory=dict)
    services: dict[str, Estimate] = field(default_factory=dict)


class Runtime:
    """Everything a request handler needs."""

    def __init__(self, settings: ServerSettings, clock: Callable[[], datetime] = utcnow) -> None:
        self.settings = settings
        self.clock = clock
        self.engine = make_engine(settings.resolved_database_url())
        self.hall: Hall
        self.hub: Hub
        self.generated_admin_password: str | None = None
        self.device_touches: dict[int, float] = {}
        self._estimates = EstimateCache()
        self._estimate_lock = threading.Lock()
        self._eta_pending: dict[int, Estimate] = {}
        self._queue = QueueTracker()
        self.probe_hits = 0  # tickets estimated by probing rather than simulating again
        self._refresher: asyncio.Future[EstimateCache] | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None

    def prepare(self) -> None:
        """Migrate the database and make sure the hall's rows and an admin exist."""
        from queue_server.auth.service import ensure_admin
        from queue_server.windows.service import ensure_windows

        with startup_lock(self.engine):
            upgrade(self.engine)
            config = choose_config(self.settings, self.engine)
            self.hall = Hall(config, load_secret(self.settings))
            with write_session(self.engine) as session:
                events.ensure_hall_row(session, self.hall.code)
                ensure_windows(session, self.hall)
                self.generated_admin_password = ensure_admin(
                    session, self.settings.admin_password, self.clock()
                )

    async def start(self) -> None:
        """Create the hub; call from inside the event loop."""
        with read_session(self.engine) as session:
            seq = events.last_seq(session, self.hall.code)
        self.hub = Hub(queue_size=self.settings.hub_queue_size, fetch_after=self.fetch_after,
                       last_seq=seq)
        if self.engine.dialect.name == "postgresql":
            self._listener = asyncio.create_task(self._listen())
        self._flusher = asyncio.create_task(self._flush_loop(1.0))

    async def stop(self) -> None:
        """Stop background work and record what is pending; call from inside the event loop."""
        for task in (self._listener, self._flusher):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._listener = self._flusher = None
        await run_in_threadpool(self.flush_estimates)

    async def _listen(self) -> None:
        """Learn of events other server processes commit, through PostgreSQL LISTEN/NOTIFY."""
        import psycopg

        url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {events.NOTIFY_CHANNEL}")
                    # Anything committed while we were not listening is read from the log.
                    await self.hub.notify(events.last_seq_in(self.engine, self.hall.code))
                    async for note in conn.notifies():
                        hall, _, seq = note.payload.partition(":")
                        if hall == self.hall.code and seq.isdigit():
                            await self.hub.notify(int(seq))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("event listener lost its connection; reconnecting")
                await asyncio.sleep(1)

    async def fetch_after(self, since: int) -> list[Message]:
        """Read events after a seq from the log."""
        def read() -> list[Message]:
            with read_session(self.engine) as session:
                return events.events_after(session, self.hall.code, since,
                                           self.settings.replay_limit + 1)
        return await run_in_threadpool(read)

    async def read(self, fn: Callable[[Session], T]) -> T:
        """Run a read-only function in a worker thread."""
        def run() -> T:
            with read_session(self.engine) as session:
                return fn(session)
        return await run_in_threadpool(run)

    async def write(self, fn: Callable[[Session], tuple[T, list[Message]]]) -> T:
        """Run a use case in one transaction, then publish its events after the commit."""
        def run() -> tuple[T, list[Message]]:
            with write_session(self.engine) as session:
                return fn(session)
        value, messages = await run_in_threadpool(run)
        if messages:
            await self.hub.publish(messages)
        return value

    def _covers(self, cache: EstimateCache, max_age: float, min_seq: int) -> bool:
        # An issuer only needs a computation that includes its own ticket; other readers want
        # the newest state the hub has seen.
        fresh = _time.monotonic() - cache.computed < max_age
        return fresh and cache.seq >= (min_seq or self.hub.last_seq)

    async def estimates(self, max_age: float = 5.0, min_seq: int = 0) -> EstimateCache:
        """Return estimates for the current queue, recomputed when it changed or aged."""
        if self._covers(self._estimates, max_age, min_seq):
            return self._estimates
        return await run_in_threadpool(self.estimates_now, max_age, min_seq)

    def estimates_now(self, max_age: float = 5.0, min_seq: int = 0) -> EstimateCache:
        """Return current estimates from a worker thread.

        Callers that arrive while a computation runs wait for it and share it when it covers
        their seq, so a burst of tickets costs one simulation rather than one each.
        """
        with self._estimate_lock:
            if self._covers(self._estimates, max_age, min_seq):
                return self._estimates
            with read_session(self.engine) as session:
                seq, view = self._queue.view(session, self.hall)
            result = estimate_queue(view, self.hall, self.clock())
            for ticket_id in view.unestimated:
                if ticket_id in result.tickets and ticket_id not in self._eta_pending:
                    self._eta_pending[ticket_id] = result.tickets[ticket_id]
            self._estimates = EstimateCache(seq, _time.monotonic(), result.tickets,
                                            result.services)
            return self._estimates

    def flush_estimates(self) -> None:
        """Record each ticket's first estimate (eta_at_issue) for the accuracy statistic."""
        with self._estimate_lock:
            pending, self._eta_pending = self._eta_pending, {}
        if pending:
            with self._estimate_lock:
                self._queue.estimated(pending)
            with write_session(self.engine) as session:
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
                await run_in_threadpool(self.flush_estimates)
            except Exception:
                log.exception("recording first estimates failed; will retry")

    async def issue(self, fn: Callable[[Session], tuple[Ticket, list[Message]]]
                    ) -> tuple[Ticket, Estimate | None, bool]:
        """Run an issuing use case and estimate its ticket; tell whether the ticket is new.

        When the cached simulation is exactly the queue before this ticket, the ticket's estimate
        is that simulation's probe for its service (exact: see Simulation.probe), and the full
        simulation is redone off the request path.
        """
        def run() -> tuple[Ticket, list[Message], Estimate | None, bool]:
            with write_session(self.engine) as session:
                ticket, messages = fn(session)
            if not messages:  # an idempotent replay
                return ticket, messages, self.estimates_now().tickets.get(ticket.id or 0), False
            seq = messages[-1]["seq"]
            with self._estimate_lock:
                cache = self._estimates
                probe = (cache.seq == seq - 1 and ticket.priority is None
                         and ticket.designated_window is None
                         and _time.monotonic() - cache.computed < PROBE_MAX_AGE)
                est = cache.services.get(ticket.service) if probe else None
                if est is not None and ticket.id is not None:
                    self._eta_pending[ticket.id] = est
                    self.probe_hits += 1
            if est is not None:
                return ticket, messages, est, True
            return ticket, messages, self.estimates_now(min_seq=seq).tickets.get(ticket.id or 0), False

        ticket, messages, est, refresh = await run_in_threadpool(run)
        if messages:
            await self.hub.publish(messages)
        if refresh:
            self._refresh_soon()
        return ticket, est, bool(messages)

    def _refresh_soon(self) -> None:
        if self._refresher is None or self._refresher.done():
            self._refresher = asyncio.create_task(run_in_threadpool(self.estimates_now))

    def base_url(self, request_base: str) -> str:
        """Return the public base URL for links residents receive."""
        return (self.settings.public_url or request_base).rstrip("/")
