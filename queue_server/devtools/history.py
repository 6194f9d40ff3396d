"""Simulate a past day of the hall: residents arriving, windows opening, pausing and calling by their tiers.

Nothing here touches the database: `simulate_day` returns what happened, in time order, and
`history_store` writes it in the rows and events the server itself writes for the same day.
"""

from __future__ import annotations

import heapq
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from queue_server.domain.model import Channel, Outcome, PauseReason, Priority, TicketStatus
from queue_server.domain.numbering import format_number
from queue_server.domain.staffing import half_hours
from queue_server.halls.hall import Hall

# Relative arrivals by the hour a half-hour starts in: a morning peak and a smaller afternoon one.
HOURLY = {8: 0.6, 9: 1.6, 10: 1.5, 11: 1.0, 12: 0.3, 13: 0.5, 14: 1.2, 15: 1.0, 16: 0.7, 17: 0.3}
OUTCOMES = {Outcome.DONE: 70, Outcome.DEFERRED: 15, Outcome.PROXY: 10, Outcome.INCOMPLETE: 5}
CHANNELS = {Channel.KIOSK: 80, Channel.MOBILE: 15, Channel.COUNTER: 5}
PRIORITIES = [Priority.ELDERLY, Priority.ELDERLY, Priority.DISABLED, Priority.VETERAN, Priority.PREGNANT]


@dataclass(frozen=True)
class Busy:
    """How busy the simulated hall is, and how it is staffed (the same rota every working day)."""

    per_day: float = 200.0  # mean tickets on an ordinary working day
    monday: float = 1.45  # Monday brings this many times as many
    monday_morning: float = 1.8  # and its first two hours weigh this much more
    early: int = 6  # residents at the door before opening (twice as many on a Monday)
    windows: tuple[int, ...] = (1, 2, 3, 5, 7, 11, 14, 16)  # open all day
    mornings: tuple[int, ...] = (4,)  # open in the first session only
    service_factor: float = 1.0  # times each service's configured handling time
    no_show: float = 0.05
    cancel: float = 0.02
    priority: float = 0.1
    errand: float = 0.25  # the chance that a window pauses once for an errand


@dataclass
class PastTicket:
    """A ticket as the simulation leaves it: every field the server would have set."""

    service: str
    category: str
    number: str
    channel: Channel
    priority: Priority | None
    issued_at: datetime
    rank_at: datetime
    status: TicketStatus = TicketStatus.WAITING
    window: int | None = None
    clerk: str | None = None
    outcome: Outcome | None = None
    call_count: int = 0
    first_called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    closed_at: datetime | None = None
    wait_seconds: float | None = None
    service_seconds: float | None = None


@dataclass(frozen=True)
class Happened:
    """One event of the day: `ticket` is the index of the day's ticket, or None for a window event."""

    at: datetime
    type: str
    ticket: int | None
    window: int | None
    status: TicketStatus | None = None  # the ticket's status right after the event
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class PastDay:
    """What happened on one day: its tickets, its events in order, and the last number of each category."""

    day: date
    tickets: list[PastTicket]
    log: list[Happened]
    counters: dict[str, int]


def clerk_of(window: int) -> str:
    """Return the username of the simulated clerk who works at a window."""
    return f"clerk-w{window:02d}"


def _weights(hall: Hall, day: date, busy: Busy) -> list[tuple[datetime, datetime, float]]:
    """Return each half-hour of the day with its expected arrivals."""
    tz = hall.tz
    monday = (hall.calendar.counts_as(day) or 0) == 0
    spans = [(datetime.combine(day, i.start, tzinfo=tz), datetime.combine(day, i.end, tzinfo=tz),
              HOURLY.get(i.start.hour, 0.5) * i.seconds / 1800) for i in half_hours(hall.config.settings.opening_hours)]
    if monday:
        first = spans[0][0]
        spans = [(a, b, w * (busy.monday_morning if a < first + timedelta(hours=2) else 1.0)) for a, b, w in spans]
    total = sum(w for _, _, w in spans) or 1.0
    per_day = busy.per_day * (busy.monday if monday else 1.0)
    return [(a, b, per_day * w / total) for a, b, w in spans]


def _arrivals(hall: Hall, day: date, busy: Busy, rng: random.Random) -> list[datetime]:
    """Draw the day's arrivals as a Poisson process, half-hour by half-hour, plus a few at the door."""
    out: list[datetime] = []
    spans = _weights(hall, day, busy)
    for start, end, expected in spans:
        rate = expected / (end - start).total_seconds()
        at = start
        while rate > 0:
            at += timedelta(seconds=rng.expovariate(rate))
            if at >= end:
                break
            out.append(at)
    if spans:
        door = busy.early * (2 if (hall.calendar.counts_as(day) or 0) == 0 else 1)
        out += [spans[0][0] - timedelta(seconds=rng.uniform(60, 900)) for _ in range(door)]
    return sorted(a.replace(microsecond=0) for a in out)


class _Hall:
    """The running state of one simulated day."""

    def __init__(self, hall: Hall, day: date, busy: Busy, rng: random.Random) -> None:
        self.hall, self.day, self.busy, self.rng = hall, day, busy, rng
        self.tickets: list[PastTicket] = []
        self.log: list[Happened] = []
        self.counters: dict[str, int] = {}
        self.waiting: list[int] = []
        self.state: dict[int, str] = {}  # window → open / paused / closed
        self.holding: dict[int, int | None] = {}
        self.closing: set[int] = set()
        self.queue: list[tuple[datetime, int, str, int]] = []
        self.order = itertools.count()
        services = sorted(hall.services)
        self.services = services
        self.service_weights = [rng.uniform(0.3, 3.0) for _ in services]

    def later(self, at: datetime, what: str, who: int) -> None:
        heapq.heappush(self.queue, (at.replace(microsecond=0), next(self.order), what, who))

    def note(self, at: datetime, kind: str, ticket: int | None, window: int | None, **extra: Any) -> None:
        status = self.tickets[ticket].status if ticket is not None else None
        self.log.append(Happened(at, kind, ticket, window, status, extra))

    # -- residents ------------------------------------------------------------------------------
    def arrive(self, at: datetime) -> None:
        rng, hall = self.rng, self.hall
        service = rng.choices(self.services, self.service_weights)[0]
        category = hall.service_category[service]
        self.counters[category] = n = self.counters.get(category, 0) + 1
        priority = rng.choice(PRIORITIES) if rng.random() < self.busy.priority else None
        channel = rng.choices(list(CHANNELS), list(CHANNELS.values()))[0]
        t = PastTicket(service, category, format_number(category, n), channel, priority, at,
                       at - hall.bonus if priority else at)
        self.tickets.append(t)
        k = len(self.tickets) - 1
        self.waiting.append(k)
        self.note(at, "ticket.issued", k, None, channel=channel, priority=priority)
        if rng.random() < self.busy.cancel:
            self.later(at + timedelta(seconds=rng.uniform(600, 2400)), "cancel", k)
        idle = [n for n, s in self.state.items() if s == "open" and self.holding.get(n) is None]
        rng.shuffle(idle)  # whichever clerk presses "call next" first
        for n in idle:
            self.call(n, at)

    def cancel(self, k: int, at: datetime) -> None:
        t = self.tickets[k]
        if t.status == TicketStatus.WAITING:
            self.waiting.remove(k)
            t.status, t.closed_at = TicketStatus.CANCELLED, at
            self.note(at, "ticket.cancelled", k, None)

    # -- clerks -------------------------------------------------------------------------------
    def pick(self, n: int) -> int | None:
        """Return the waiting ticket the routing policy gives this window: its earliest tier first, then rank."""
        for tier in self.hall.profiles[n].tiers:
            lane = [k for k in self.waiting if self.tickets[k].service in tier]
            if lane:
                return min(lane, key=lambda k: (self.tickets[k].rank_at, k))
        return None

    def call(self, n: int, at: datetime) -> None:
        if self.state.get(n) != "open" or self.holding.get(n) is not None:
            return
        k = self.pick(n)
        if k is None:
            if n in self.closing:
                self.close(n, at)
            return
        self.waiting.remove(k)
        t = self.tickets[k]
        t.status, t.window, t.clerk, t.call_count = TicketStatus.CALLED, n, clerk_of(n), 1
        t.first_called_at = at
        t.wait_seconds = (at - t.issued_at).total_seconds()
        self.holding[n] = k
        self.note(at, "ticket.called", k, n)
        rng = self.rng
        if rng.random() < self.busy.no_show:
            self.later(at + timedelta(seconds=rng.uniform(60, 120)), "no_show", n)
        else:
            self.later(at + timedelta(seconds=rng.uniform(10, 45)), "start", n)

    def start(self, n: int, at: datetime) -> None:
        k = self.holding[n]
        assert k is not None
        t = self.tickets[k]
        t.status, t.started_at = TicketStatus.SERVING, at
        self.note(at, "ticket.started", k, n)
        mean = self.hall.mean_seconds(t.service) * self.busy.service_factor
        self.later(at + timedelta(seconds=max(60.0, self.rng.gammavariate(2.0, mean / 2))), "finish", n)

    def finish(self, n: int, at: datetime) -> None:
        k = self.holding.pop(n)
        assert k is not None
        t = self.tickets[k]
        t.status, t.outcome = TicketStatus.DONE, self.rng.choices(list(OUTCOMES), list(OUTCOMES.values()))[0]
        t.finished_at = t.closed_at = at
        t.service_seconds = (at - (t.started_at or at)).total_seconds()
        self.note(at, "ticket.finished", k, n, outcome=t.outcome)
        self.later(at + timedelta(seconds=self.rng.uniform(5, 20)), "call", n)

    def no_show(self, n: int, at: datetime) -> None:
        k = self.holding.pop(n)
        assert k is not None
        t = self.tickets[k]
        t.status, t.closed_at = TicketStatus.NO_SHOW, at
        self.note(at, "ticket.no_show", k, n)
        self.later(at + timedelta(seconds=self.rng.uniform(5, 15)), "call", n)

    # -- windows ------------------------------------------------------------------------------
    def open(self, n: int, at: datetime) -> None:
        resumed = self.state.get(n) == "paused"
        self.state[n] = "open"
        if resumed:
            self.note(at, "window.resumed", None, n)
        else:
            self.note(at, "window.opened", None, n, status="open")
        self.call(n, at)

    def pause(self, n: int, at: datetime, reason: str) -> None:
        if self.state.get(n) == "open":
            self.state[n] = "paused"
            self.note(at, "window.paused", None, n, reason=reason)

    def closing_time(self, n: int, at: datetime) -> None:
        self.closing.add(n)
        if self.state.get(n) == "paused":
            self.open(n, at)
        elif self.holding.get(n) is None:
            self.call(n, at)

    def close(self, n: int, at: datetime) -> None:
        self.state[n] = "closed"
        self.closing.discard(n)
        self.note(at, "window.closed", None, n)

    def rota(self) -> None:
        """Plan each window's day: open a little late or early, pause for lunch and perhaps an errand, close."""
        rng, tz, day = self.rng, self.hall.tz, self.day
        sessions = [(datetime.combine(day, time.fromisoformat(a), tzinfo=tz),
                     datetime.combine(day, time.fromisoformat(b), tzinfo=tz))
                    for a, b in self.hall.config.settings.opening_hours]
        if not sessions:
            return
        count = len(self.hall.config.windows)
        for n in [w for w in self.busy.windows + self.busy.mornings if 1 <= w <= count]:
            mornings = n in self.busy.mornings
            self.later(sessions[0][0] + timedelta(seconds=rng.uniform(-300, 480)), "open", n)
            for (_, end), (start, _) in itertools.pairwise(sessions[:1] if mornings else sessions):
                self.later(end, "lunch", n)
                self.later(start + timedelta(seconds=rng.uniform(0, 300)), "open", n)
            last = sessions[0][1] if mornings else sessions[-1][1]
            if rng.random() < self.busy.errand and not mornings:
                a, b = rng.choice(sessions)
                if (b - a).total_seconds() > 3600:
                    away = a + timedelta(seconds=rng.uniform(900, (b - a).total_seconds() - 2700))
                    self.later(away, "errand", n)
                    self.later(away + timedelta(seconds=rng.uniform(600, 1500)), "open", n)
            self.later(last, "closing", n)

    def run(self, arrivals: list[datetime]) -> None:
        for at in arrivals:
            self.later(at, "arrive", -1)
        self.rota()
        while self.queue:
            at, _, what, who = heapq.heappop(self.queue)
            if what == "arrive":
                self.arrive(at)
            elif what == "cancel":
                self.cancel(who, at)
            elif what == "call":
                self.call(who, at)
            elif what == "start":
                self.start(who, at)
            elif what == "finish":
                self.finish(who, at)
            elif what == "no_show":
                self.no_show(who, at)
            elif what == "open":
                self.open(who, at)
            elif what in ("lunch", "errand"):
                self.pause(who, at, PauseReason.LUNCH if what == "lunch" else PauseReason.ERRAND)
            elif what == "closing":
                self.closing_time(who, at)
        # Whoever still waits (no open window serves them) expires at the next day's rollover.
        rollover = datetime.combine(self.day + timedelta(days=1), self.hall.rollover, tzinfo=self.hall.tz)
        for k in list(self.waiting):
            t = self.tickets[k]
            t.status, t.closed_at = TicketStatus.EXPIRED, rollover
            self.note(rollover, "ticket.expired", k, None)
        for n, s in self.state.items():
            if s != "closed":
                self.note(rollover, "window.closed", None, n)


def simulate_day(hall: Hall, day: date, busy: Busy, rng: random.Random) -> PastDay:
    """Simulate one working day of the hall; every instant is aware, to the second."""
    sim = _Hall(hall, day, busy, rng)
    sim.run(_arrivals(hall, day, busy, rng))
    return PastDay(day, sim.tickets, sim.log, sim.counters)
