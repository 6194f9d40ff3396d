"""A waiting-time simulation that takes one more ticket by resuming from the moment it is called.

The simulation is the one in ``estimate.py``: the earliest free window takes the ticket the
routing policy gives it. Every step is kept, with the lane it took from. A ticket added later
changes nothing before the first step at which some window would take it instead of what it
took (or instead of finding nothing): the simulation is cut there, the windows' free times and
the lane heads are restored from the steps after the cut, and only the rest is simulated again.
For a ticket taken now that is near the end of the queue, so adding it costs a few steps rather
than the whole queue.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import NamedTuple

from queue_server.domain.estimate import DEFAULT_HANDLING_SECONDS, Estimate, SimWindow
from queue_server.domain.model import QueuedTicket, WindowProfile
from queue_server.domain.policy import rank

Lane = tuple[str, object]
Rank = tuple[datetime, str, int]
_MICROSECOND = timedelta(microseconds=1)


def lane_of(ticket: QueuedTicket) -> Lane:
    """Return the lane a ticket waits in: its designated window, else its service."""
    if ticket.designated_window is not None:
        return ("w", ticket.designated_window)
    return ("s", ticket.service)


class Step(NamedTuple):
    """One moment a window became free, and what it took (nothing: tier and lane are None)."""

    at: int  # microseconds after the simulation's now: exact, like datetime arithmetic, and cheap
    window: int
    tier: int | None
    lane: Lane | None
    rank: Rank | None
    ticket_id: int | None
    calls_before: int


class ResumableSimulation:
    """The simulated calls of a queue, kept step by step so that a new ticket resumes it."""

    def __init__(self, windows: Iterable[SimWindow], waiting: Iterable[QueuedTicket], now: datetime,
                 bonus: timedelta, mean_seconds: Mapping[str, float]) -> None:
        windows = list(windows)
        self.now = now
        self._bonus = bonus
        # Handling times as whole microseconds, rounded exactly as timedelta(seconds=...) rounds.
        self._handling = {code: timedelta(seconds=s) // _MICROSECOND for code, s in mean_seconds.items()}
        self._default_handling = timedelta(seconds=DEFAULT_HANDLING_SECONDS) // _MICROSECOND
        self._profiles: dict[int, WindowProfile] = {w.profile.number: w.profile for w in windows}
        self._lanes: dict[Lane, list[tuple[Rank, QueuedTicket]]] = {}
        for ticket in sorted(waiting, key=lambda t: rank(t, bonus)):
            self._lanes.setdefault(lane_of(ticket), []).append((rank(ticket, bonus), ticket))
        self._last: Rank | None = max((lane[-1][0] for lane in self._lanes.values()), default=None)
        self._pops: dict[Lane, list[int]] = {key: [] for key in self._lanes}  # step of each taken
        self._plans: dict[int, list[list[tuple[Lane, list[tuple[Rank, QueuedTicket]], list[int]]]]] = {}
        self._tiers: dict[Lane, dict[int, int]] = {}
        # Per window and tier: the steps at which the window took from a worse tier or nothing.
        self._worse: dict[int, list[list[int]]] = {n: [[] for _ in p.tiers] for n, p in self._profiles.items()}
        self.steps: list[Step] = []
        self.estimates: dict[int, Estimate] = {}
        self._calls = 0
        self._pushed: list[tuple[Lane, Rank, QueuedTicket]] = []  # pushed, not yet settled
        self._resume_at: int | None = None  # the earliest step the pushed tickets change
        self._run([(max((w.free_at - now) // _MICROSECOND, 0), w.profile.number) for w in windows])

    def _plan(self, number: int) -> list[list[tuple[Lane, list[tuple[Rank, QueuedTicket]], list[int]]]]:
        plan = self._plans.get(number)
        if plan is None:
            plan = []
            for index, tier in enumerate(self._profiles[number].tiers):
                keys: list[Lane] = [("s", code) for code in sorted(tier)]
                if index == 0:
                    keys.append(("w", number))
                plan.append([(k, self._lanes[k], self._pops[k]) for k in keys if k in self._lanes])
            self._plans[number] = plan
        return plan

    def _take(self, number: int) -> tuple[int, Lane, Rank, QueuedTicket] | None:
        for index, entries in enumerate(self._plan(number)):
            best: tuple[Rank, QueuedTicket] | None = None
            for key, lane, pops in entries:
                head = len(pops)
                if head < len(lane):
                    entry = lane[head]
                    if best is None or entry[0] < best[0]:
                        best, best_key = entry, key
            if best is not None:
                return index, best_key, best[0], best[1]
        return None

    def _run(self, heap: list[tuple[int, int]]) -> None:
        heapq.heapify(heap)
        steps, estimates, handling = self.steps, self.estimates, self._handling
        while heap:
            at, number = heapq.heappop(heap)
            taken = self._take(number)
            index = len(steps)
            worse = self._worse[number]
            if taken is None:
                for below in worse:
                    below.append(index)
                steps.append(Step(at, number, None, None, None, None, self._calls))
                continue  # nothing left for this window; no arrivals happen inside the simulation
            tier, key, key_rank, ticket = taken
            for below in worse[:tier]:  # the tiers this step passed over
                below.append(index)
            self._pops[key].append(index)
            steps.append(Step(at, number, tier, key, key_rank, ticket.id, self._calls))
            estimates[ticket.id] = Estimate(self._calls, at / 1_000_000, number)
            self._calls += 1
            heapq.heappush(heap, (at + handling.get(ticket.service, self._default_handling), number))

    def _tiers_for(self, key: Lane) -> dict[int, int]:
        """Return, per window, the tier in which it may take from this lane."""
        tiers = self._tiers.get(key)
        if tiers is None:
            tiers = self._tiers[key] = self._find_tiers(key)
        return tiers

    def _find_tiers(self, key: Lane) -> dict[int, int]:
        if key[0] == "w":
            number = key[1]
            return {number: 0} if isinstance(number, int) and number in self._profiles else {}
        out = {}
        for number, profile in self._profiles.items():
            tier = next((i for i, t in enumerate(profile.tiers) if key[1] in t), None)
            if tier is not None:
                out[number] = tier
        return out

    def _cut(self, key: Lane, key_rank: Rank) -> int | None:
        """Return the first step that would take a ticket of this lane and rank, or None."""
        lane, pops = self._lanes.get(key, []), self._pops.get(key, [])
        before = bisect_left(lane, key_rank, key=lambda e: e[0])
        if before > len(pops):
            return None  # a ticket ahead of it in its lane is never called, so neither is it
        start = pops[before - 1] + 1 if before else 0
        tiers = self._tiers_for(key)
        if self._last is None or key_rank > self._last:
            # Last of all: it is taken at a window's first step that finds nothing better.
            found = [w[bisect_left(w, start)] for n, t in tiers.items()
                     if bisect_left(w := self._worse[n][t], start) < len(w)]
            return min(found, default=None)
        for index in range(start, len(self.steps)):
            step = self.steps[index]
            tier = tiers.get(step.window)
            if tier is None:
                continue
            if step.tier is None or step.tier > tier or (
                    step.tier == tier and step.rank is not None and step.rank > key_rank):
                return index
        return None

    def probe(self, service: str) -> Estimate | None:
        """Estimate a ticket of ``service`` taken now (after every waiting ticket), unchanged."""
        key: Lane = ("s", service)
        lane = self._lanes.get(key, [])
        pops = self._pops.get(key, [])
        if len(pops) < len(lane):
            return None
        start = pops[-1] + 1 if pops else 0
        found = [w[bisect_left(w, start)] for n, t in self._tiers_for(key).items()
                 if bisect_left(w := self._worse[n][t], start) < len(w)]
        if not found:
            return None
        step = self.steps[min(found)]
        return Estimate(step.calls_before, step.at / 1_000_000, step.window)

    def add(self, ticket: QueuedTicket) -> Estimate | None:
        """Add a waiting ticket and resume the simulation where it is called; return its estimate."""
        self.push(ticket)
        self.settle()
        return self.estimates.get(ticket.id)

    def push(self, ticket: QueuedTicket) -> None:
        """Queue a new waiting ticket; it is simulated, with every other pushed one, by ``settle``.

        Its cut is found against the last settled simulation, which is where it would change
        something if it came alone. Before the earliest cut of a batch no step changes: at each
        of them the window took something better than every one of the new tickets.
        """
        key, key_rank = lane_of(ticket), rank(ticket, self._bonus)
        cut = self._cut(key, key_rank)
        if cut is not None:
            self._resume_at = cut if self._resume_at is None else min(self._resume_at, cut)
        self._pushed.append((key, key_rank, ticket))

    def settle(self) -> None:
        """Put the pushed tickets in their lanes and simulate once, from the earliest cut."""
        pushed, cut = self._pushed, self._resume_at
        self._pushed, self._resume_at = [], None
        for key, key_rank, ticket in pushed:
            if key not in self._lanes:
                self._lanes[key], self._pops[key] = [], []
                self._plans.clear()  # plans list only the lanes that exist
            lane = self._lanes[key]
            lane.insert(bisect_right(lane, key_rank, key=lambda e: e[0]), (key_rank, ticket))
            self._last = key_rank if self._last is None else max(self._last, key_rank)
        if cut is None:
            return
        tail = self.steps[cut:]
        del self.steps[cut:]
        heap: dict[int, int] = {}
        for step in tail:
            heap.setdefault(step.window, step.at)
            if step.lane is not None and step.ticket_id is not None:
                self._pops[step.lane].pop()
                del self.estimates[step.ticket_id]
        for number in heap:
            for worse in self._worse[number]:
                while worse and worse[-1] >= cut:
                    worse.pop()
        self._calls = tail[0].calls_before
        self._run([(at, number) for number, at in heap.items()])
