"""The server's long-lived pieces, each with one owner, created at start-up and handed down."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from display.tts import Synthesiser
from queue_server.app.bootstrap import prepare
from queue_server.app.handlers import message_bus
from queue_server.app.messages import CODEC
from queue_server.auth.cache import AuthCache
from queue_server.auth.liveness import DeviceLiveness
from queue_server.auth.passwords import LoginGate
from queue_server.cases.queries import case_views, touches_cases
from queue_server.core.clock import Clock
from queue_server.core.events import Envelope
from queue_server.core.limits import Limiters
from queue_server.core.settings import ServerSettings
from queue_server.db.engine import make_engine
from queue_server.db.eventlog import events_after_in, last_seq_in
from queue_server.db.uow import Database
from queue_server.estimates.estimator import Estimator
from queue_server.estimates.issuer import Issuer
from queue_server.halls.hall import Hall
from queue_server.realtime.feeds import Feed, Key, SocketCaps, View
from queue_server.realtime.hub import Hub
from queue_server.realtime.listener import EventListener
from queue_server.tickets.queries import ticket_views


class Runtime:
    """A small container: settings, clock, hall, database, hub, estimator, logins, liveness, limiters."""

    def __init__(self, settings: ServerSettings, engine: Engine, hall: Hall, clock: Clock,
                 hub: Hub, generated_admin_password: str | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.hall = hall
        self._clock = clock
        self.hub = hub
        self.generated_admin_password = generated_admin_password
        self.codec = CODEC
        self.db = Database(engine, hall, bus=message_bus())
        self.db.publish_to(hub.publish)
        self.estimator = Estimator(engine, hall, clock, lambda: hub.last_seq)
        hub.on_batch(self.estimator.saw)
        self.tickets = Issuer(self.db, self.estimator)
        self.liveness = DeviceLiveness(engine, clock)
        self.auth = AuthCache(engine, clock, seconds=settings.auth_cache_seconds)
        mobile = hall.config.settings.mobile_limits
        self.limiters = Limiters(mobile_ip_per_minute=mobile.ip_requests_per_minute,
                                 tts_ip_per_minute=settings.tts_ip_per_minute,
                                 feedback_ip_per_hour=settings.feedback_reports_per_hour)
        self.logins = LoginGate(self.db, per_ip=settings.login_ip_attempts_per_minute,
                                per_user=settings.login_attempts_per_minute,
                                workers=settings.password_workers)
        self.tts = Synthesiser(settings.tts_command, max_waiting=settings.tts_max_waiting)
        self.hall_sockets = SocketCaps(total=settings.ws_hall_max, per_ip=settings.ws_hall_per_ip)
        # Residents' own sockets, tickets and cases alike: the same caps per item, address and in total.
        self.ticket_feed = Feed(hub, self._ticket_views, per_item=settings.ws_per_item,
                                per_ip=settings.ws_per_ip, total=settings.ws_feed_max)
        self.case_feed = Feed(hub, self._case_views, per_item=settings.ws_per_item,
                              per_ip=settings.ws_per_ip, total=settings.ws_feed_max, touches=touches_cases)
        self.listener = (EventListener(engine, hall.code, hub)
                         if engine.dialect.name == "postgresql" else None)

    @property
    def clock(self) -> Callable[[], datetime]:
        """Return what tells the time now (every piece shares it through one Clock)."""
        return self._clock.source

    @clock.setter
    def clock(self, source: Callable[[], datetime]) -> None:
        # Tests and the simulator move time by giving the shared clock a new source.
        self._clock.source = source

    async def _ticket_views(self, keys: list[Key]) -> dict[Key, View]:
        est = await self.estimator.current(max_age=10.0)
        return await self.db.read(lambda s: ticket_views(s, self.hall, keys, est.tickets))

    async def _case_views(self, keys: list[Key]) -> dict[Key, View]:
        today = self.hall.local_date(self.clock())
        return await self.db.read(lambda s: case_views(s, self.hall, keys, today))

    @classmethod
    async def create(cls, settings: ServerSettings, clock: Clock | None = None) -> Runtime:
        """Prepare the database and build every piece; call inside the event loop."""
        clock = clock or Clock()
        engine = make_engine(settings.resolved_database_url())
        ready = await asyncio.to_thread(prepare, settings, engine, clock())
        seq = await asyncio.to_thread(last_seq_in, engine, ready.hall.code)

        async def fetch_after(since: int) -> list[Envelope]:
            return await run_in_threadpool(
                lambda: events_after_in(engine, ready.hall.code, since, settings.replay_limit + 1, CODEC))

        hub = Hub(queue_size=settings.hub_queue_size, fetch_after=fetch_after, last_seq=seq)
        return cls(settings, engine, ready.hall, clock, hub, ready.generated_admin_password)

    async def start(self) -> None:
        """Start the background pieces."""
        if self.listener is not None:
            self.listener.start()
        self.estimator.start()

    async def stop(self) -> None:
        """Stop the background pieces and release the database."""
        if self.listener is not None:
            await self.listener.stop()
        await self.estimator.stop()
        await self.ticket_feed.stop()
        await self.case_feed.stop()
        self.logins.close()
        await asyncio.to_thread(self.db.close)
        self.auth.close()
        self.engine.dispose()

    def base_url(self, request_base: str) -> str:
        """Return the public base URL for links residents receive."""
        return (self.settings.public_url or request_base).rstrip("/")
