"""The server's long-lived pieces, each with one owner, created at start-up and handed down.

A process serves every hall of the county. What is the county's (the engine, the group-commit
writer, logins, the county calendar, the listener) lives once in ``Runtime``; what is a hall's (its
configuration, database view, hub and seq, estimator, issuer and residents' feeds) lives in its
``HallRuntime``. A request names its hall (``/h/{code}/…``, or the default), and the routers receive
that hall's runtime, so every use case runs in that hall's unit of work.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from display.tts import Synthesiser
from queue_server.app.bootstrap import load_secret, prepare
from queue_server.app.handlers import message_bus
from queue_server.app.messages import CODEC
from queue_server.auth.cache import AuthCache
from queue_server.auth.liveness import DeviceLiveness
from queue_server.auth.passwords import LoginGate
from queue_server.calendar.workcalendar import CountyCalendar
from queue_server.cases.queries import case_views, touches_cases
from queue_server.core.clock import Clock
from queue_server.core.events import Envelope, EventCodec
from queue_server.core.limits import Counters, Limiters, LocalCounters, LocalPlaces, Places, SocketCaps
from queue_server.core.settings import ServerSettings
from queue_server.county.queries import CalendarYears, calendar_version, calendar_years
from queue_server.db.bus import MessageBus
from queue_server.db.engine import make_engine, read_session
from queue_server.db.eventlog import events_after_in, last_seq_in
from queue_server.db.group_commit import GroupCommit
from queue_server.db.limits import SharedCounters, SharedPlaces
from queue_server.db.uow import Database, group_writer
from queue_server.estimates.estimator import Estimator
from queue_server.estimates.issuer import Issuer
from queue_server.halls.hall import Hall
from queue_server.printing.relay import PrintAgents
from queue_server.realtime.feeds import Feed, Key, View
from queue_server.realtime.hub import Hub
from queue_server.realtime.listener import EventListener
from queue_server.sms.sender import SmsSender
from queue_server.tickets.queries import ticket_views

log = logging.getLogger(__name__)


class HallRuntime:
    """One hall's long-lived pieces, and the county's shared ones a request of this hall uses."""

    def __init__(self, county: Runtime, hall: Hall, last_seq: int) -> None:
        settings, engine = county.settings, county.engine
        self.county = county
        self.hall = hall
        self.hub = Hub(queue_size=settings.hub_queue_size, fetch_after=self._fetch_after, last_seq=last_seq)
        self.db = Database(engine, hall, bus=county.bus, group=county.group)
        self.db.publish_to(self.hub.publish)
        self.estimator = Estimator(engine, hall, county.clock_source, lambda: self.hub.last_seq)
        self.hub.on_batch(self.estimator.saw)
        self.tickets = Issuer(self.db, self.estimator)
        # Texts: the hall's provider is built now, so a hall that cannot send refuses to start.
        county.sms.provider(hall)
        self.hub.on_batch(lambda batch: county.sms.saw(hall.code, batch))
        mobile = hall.config.settings.mobile_limits
        self.limiters = Limiters(county.counters, hall.code, mobile_ip_per_minute=mobile.ip_requests_per_minute,
                                 tts_ip_per_minute=settings.tts_ip_per_minute,
                                 feedback_ip_per_hour=settings.feedback_reports_per_hour)
        # Residents' own sockets, tickets and cases alike: the same caps per item, address and in total.
        self.ticket_feed = Feed(self.hub, self._ticket_views, per_item=settings.ws_per_item,
                                caps=county.feed_sockets, places=county.places, item_scope=f"ticket:{hall.code}")
        self.case_feed = Feed(self.hub, self._case_views, per_item=settings.ws_per_item,
                              caps=county.feed_sockets, places=county.places, item_scope=f"case:{hall.code}",
                              touches=touches_cases)

    # -- what the county shares, as a request of this hall sees it ---------------------------
    @property
    def settings(self) -> ServerSettings:
        """Return the server's settings."""
        return self.county.settings

    @property
    def clock(self) -> Callable[[], datetime]:
        """Return what tells the time now."""
        return self.county.clock

    @clock.setter
    def clock(self, source: Callable[[], datetime]) -> None:
        # Tests and the simulator move time for the whole county: there is one clock.
        self.county.clock = source

    @property
    def engine(self) -> Engine:
        """Return the county's database engine."""
        return self.county.engine

    @property
    def codec(self) -> EventCodec:
        """Return how the log's events are read back."""
        return self.county.codec

    @property
    def auth(self) -> AuthCache:
        """Return who bearer tokens stand for."""
        return self.county.auth

    @property
    def logins(self) -> LoginGate:
        """Return the login limits and the password pool."""
        return self.county.logins

    @property
    def liveness(self) -> DeviceLiveness:
        """Return the devices' last-seen record."""
        return self.county.liveness

    @property
    def tts(self) -> Synthesiser:
        """Return the offline speech."""
        return self.county.tts

    @property
    def print_agents(self) -> PrintAgents:
        """Return the relay to the print agents of the county's halls."""
        return self.county.print_agents

    @property
    def sms(self) -> SmsSender:
        """Return the process's SMS sender."""
        return self.county.sms

    @property
    def hall_sockets(self) -> SocketCaps:
        """Return the caps on /ws/hall sockets, counted across the county's halls."""
        return self.county.hall_sockets

    def base_url(self, request_base: str, prefix: str = "") -> str:
        """Return the public base URL for links residents receive (with the hall's prefix)."""
        return self.county.base_url(request_base, prefix)

    # -- the hall's own ------------------------------------------------------------------------
    async def _fetch_after(self, since: int) -> list[Envelope]:
        settings, code = self.county.settings, self.hall.code
        return await run_in_threadpool(
            lambda: events_after_in(self.county.engine, code, since, settings.replay_limit + 1, CODEC))

    async def _ticket_views(self, keys: list[Key]) -> dict[Key, View]:
        est = await self.estimator.current(max_age=10.0)
        return await self.db.read(lambda s: ticket_views(s, self.hall, keys, est.tickets))

    async def _case_views(self, keys: list[Key]) -> dict[Key, View]:
        today = self.hall.local_date(self.clock())
        return await self.db.read(lambda s: case_views(s, self.hall, keys, today))

    async def start(self) -> None:
        """Start the hall's background pieces."""
        self.estimator.start()

    async def stop(self) -> None:
        """Stop them, recording what is pending."""
        await self.estimator.stop()
        await self.ticket_feed.stop()
        await self.case_feed.stop()


class Runtime:
    """The county's container: settings, clock, engine, logins, the county calendar, and its halls."""

    def __init__(self, settings: ServerSettings, engine: Engine, clock: Clock,
                 county_calendar: CountyCalendar, generated_admin_password: str | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self._clock = clock
        self.county_calendar = county_calendar
        self.generated_admin_password = generated_admin_password
        self.codec = CODEC
        self.bus: MessageBus = message_bus()
        self.group: GroupCommit | None = group_writer(engine, self.bus)
        self.liveness = DeviceLiveness(engine, clock)
        self.auth = AuthCache(engine, clock, seconds=settings.auth_cache_seconds)
        self.tts = Synthesiser(settings.tts_command, max_waiting=settings.tts_max_waiting)
        # Rate limits and socket caps hold across every process of the county (PostgreSQL), or this one.
        shared = engine.dialect.name == "postgresql"
        self.counters: Counters = SharedCounters(engine) if shared else LocalCounters()
        self.shared_places = SharedPlaces(engine) if shared else None
        self.places: Places = self.shared_places or LocalPlaces()
        self.hall_sockets = SocketCaps(self.places, "ws-hall", total=settings.ws_hall_max,
                                       per_ip=settings.ws_hall_per_ip)
        self.feed_sockets = SocketCaps(self.places, "ws-feed", total=settings.ws_feed_max,
                                       per_ip=settings.ws_per_ip)
        self.halls: dict[str, HallRuntime] = {}
        self.print_agents = PrintAgents(engine, lambda: self.halls, timeout=settings.print_agent_timeout_seconds,
                                        keep=timedelta(hours=settings.print_agent_keep_hours))
        self.default_code = ""
        self.calendar_version = -1
        self._loading = asyncio.Lock()
        self._missing: dict[str, float] = {}  # codes found in no hall, until when that holds
        self.listener = EventListener(engine, self) if engine.dialect.name == "postgresql" else None
        self.sms = SmsSender(engine, lambda: self.halls, self.clock_source, poll=settings.sms_poll_seconds,
                             claim=settings.sms_claim_seconds)
        # Logins write through a unit of work of the default hall; users are the county's.
        self.logins: LoginGate

    @property
    def clock(self) -> Callable[[], datetime]:
        """Return what tells the time now (every piece shares it through one Clock)."""
        return self._clock.source

    @clock.setter
    def clock(self, source: Callable[[], datetime]) -> None:
        # Tests and the simulator move time by giving the shared clock a new source.
        self._clock.source = source

    def clock_source(self) -> datetime:
        """Tell the time now (for pieces that take a plain callable)."""
        return self._clock.source()

    @property
    def default(self) -> HallRuntime:
        """Return the default hall's runtime (the hall the server first started with)."""
        return self.halls[self.default_code]

    @classmethod
    async def create(cls, settings: ServerSettings, clock: Clock | None = None) -> Runtime:
        """Prepare the database and build every piece and every hall; call inside the event loop."""
        clock = clock or Clock()
        engine = make_engine(settings.resolved_database_url())
        county = CountyCalendar()
        ready = await asyncio.to_thread(prepare, settings, engine, clock(), county)
        rt = cls(settings, engine, clock, county, ready.generated_admin_password)
        for hall in ready.halls:
            await rt.serve_hall(hall)
        rt.default_code = ready.default.code
        rt.logins = LoginGate(rt.default.db, rt.counters, per_ip=settings.login_ip_attempts_per_minute,
                              per_user=settings.login_attempts_per_minute,
                              workers=settings.password_workers)
        return rt

    async def serve_hall(self, hall: Hall) -> HallRuntime:
        """Build a hall's runtime and start serving it (at start-up, or a hall added meanwhile)."""
        seq = await asyncio.to_thread(last_seq_in, self.engine, hall.code)
        runtime = HallRuntime(self, hall, seq)
        self.halls[hall.code] = runtime
        await runtime.start()
        return runtime

    async def load_hall(self, code: str) -> HallRuntime | None:
        """Serve a hall another process added, reading it from the database; None if there is none."""
        if code in self.halls:
            return self.halls[code]
        if self._missing.get(code, 0.0) > time.monotonic():
            return None  # asked a moment ago: no such hall (a flood of made-up codes costs nothing)
        async with self._loading:
            if code in self.halls:
                return self.halls[code]
            from queue_server.app.bootstrap import load_hall

            hall = await asyncio.to_thread(load_hall, self.engine, code, load_secret(self.settings),
                                           self.county_calendar)
            if hall is None:
                if len(self._missing) > 10_000:
                    self._missing.clear()
                self._missing[code] = time.monotonic() + 2.0
                return None
            log.info("serving hall %s (%s)", hall.code, hall.config.hall.name)
            return await self.serve_hall(hall)

    async def reload_calendar(self) -> None:
        """Read the county calendar again and give it to every hall (another process changed it)."""
        version, years = await asyncio.to_thread(self._read_calendar)
        if version != self.calendar_version:
            self.county_calendar.replace(years)
            self.calendar_version = version

    def _read_calendar(self) -> tuple[int, CalendarYears]:
        with read_session(self.engine) as session:
            return calendar_years(session)

    async def fresh_calendar(self) -> None:
        """Make sure the county calendar is the newest, before a request counts working days.

        One small read: a county admin's change holds in every process from the moment it answers.
        """
        def version() -> int:
            with read_session(self.engine) as session:
                return calendar_version(session)

        if await run_in_threadpool(version) != self.calendar_version:
            await self.reload_calendar()

    async def start(self) -> None:
        """Start the background pieces."""
        await self.reload_calendar()
        if self.listener is not None:
            self.listener.start()
        if self.shared_places is not None:
            self.shared_places.start()
        await self.print_agents.start()
        self.sms.start()

    async def stop(self) -> None:
        """Stop the background pieces and release the database."""
        await self.sms.stop()
        await self.print_agents.stop()
        if self.listener is not None:
            await self.listener.stop()
        if self.shared_places is not None:
            await self.shared_places.stop()
        for hall in list(self.halls.values()):
            await hall.stop()
        self.logins.close()
        if self.group is not None:
            await asyncio.to_thread(self.group.close)
        self.auth.close()
        self.engine.dispose()

    def base_url(self, request_base: str, prefix: str = "") -> str:
        """Return the public base URL for links residents receive, with a hall's prefix."""
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/") + prefix
        return request_base.rstrip("/")
