"""Waiting-time estimate: simulate the windows pulling tickets with the routing policy.

Each window becomes free at some instant (now, or when its current resident is expected to
finish). The earliest free window takes the ticket the policy would give it, and is busy for
that service's running mean handling time. A ticket's ``ahead`` is how many tickets the
simulation calls before it, and its ETA is the simulated call time.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from queue_server.domain.model import QueuedTicket, WindowProfile
from queue_server.domain.policy import rank

DEFAULT_HANDLING_SECONDS = 420.0


@dataclass(frozen=True, slots=True)
class SimWindow:
    """A window in the simulation: who it is and when it is next free."""

    profile: WindowProfile
    free_at: datetime


class Estimate(NamedTuple):
    """The simulated fate of one waiting ticket (a named tuple: the simulation makes one a step)."""

    ahead: int
    eta_seconds: float
    window: int

    @property
    def eta_minutes(self) -> int:
        """Return the estimate in whole minutes, rounded up so it never promises too early."""
        return math.ceil(self.eta_seconds / 60 - 1e-9) if self.eta_seconds > 0 else 0


def ewma(previous: float, sample: float, alpha: float) -> float:
    """Return the exponentially weighted mean after one more sample."""
    return alpha * sample + (1 - alpha) * previous


def free_at(now: datetime, busy_since: datetime | None, mean_seconds: float) -> datetime:
    """Return when a window that began its current ticket at busy_since is expected free."""
    if busy_since is None:
        return now
    return max(now, busy_since + timedelta(seconds=mean_seconds))


class _Lanes:
    """Waiting tickets split into per-service and per-designation lanes, each in policy order."""

    def __init__(self, tickets: Iterable[QueuedTicket], bonus: timedelta) -> None:
        # One global sort gives every ticket an integer place, so lanes compare plain ints.
        ordered = sorted(tickets, key=lambda t: rank(t, bonus))
        lanes: dict[tuple[str, object], deque[tuple[int, QueuedTicket]]] = {}
        for place, t in enumerate(ordered):
            key = ("w", t.designated_window) if t.designated_window is not None else ("s", t.service)
            lanes.setdefault(key, deque()).append((place, t))
        self._lanes = lanes
        self._plans: dict[int, list[list[deque[tuple[int, QueuedTicket]]]]] = {}

    def _plan(self, window: WindowProfile) -> list[list[deque[tuple[int, QueuedTicket]]]]:
        plan = self._plans.get(window.number)
        if plan is None:
            plan = []
            for index, tier in enumerate(window.tiers):
                keys: list[tuple[str, object]] = [("s", code) for code in sorted(tier)]
                if index == 0:
                    keys.append(("w", window.number))
                plan.append([self._lanes[k] for k in keys if k in self._lanes])
            self._plans[window.number] = plan
        return plan

    def take(self, window: WindowProfile) -> tuple[QueuedTicket, int] | None:
        """Remove and return the ticket the policy gives this window with its tier, or None."""
        for index, lanes in enumerate(self._plan(window)):
            best: deque[tuple[int, QueuedTicket]] | None = None
            for lane in lanes:
                if lane and (best is None or lane[0][0] < best[0][0]):
                    best = lane
            if best is not None:
                return best.popleft()[1], index
        return None


@dataclass(frozen=True, slots=True)
class Decision:
    """One moment a window became free: the tier it took a ticket from (None: nothing left)."""

    at: datetime
    tier: int | None
    calls_before: int


@dataclass
class Simulation:
    """The simulated calls, plus every window's decisions, for probing hypothetical tickets."""

    now: datetime
    estimates: dict[int, Estimate]
    profiles: dict[int, WindowProfile]
    decisions: dict[int, list[Decision]]
    _first_worse_cache: dict[int, list[Decision]] | None = None

    def probe(self, service: str) -> Estimate | None:
        """Estimate a ticket of ``service`` taken now, without simulating again.

        A new, non-priority ticket ranks after every waiting ticket, so it changes nothing until
        some window would otherwise take a ticket from a worse tier than the one holding the
        service, or would find nothing left. The first such moment is when it is called.
        """
        best: tuple[datetime, int, int] | None = None
        for number, first in self._first_worse().items():
            tier = next((i for i, t in enumerate(self.profiles[number].tiers) if service in t), None)
            if tier is None:
                continue
            d = first[tier]
            if best is None or (d.at, number) < best[:2]:
                best = (d.at, number, d.calls_before)
        if best is None:
            return None
        return Estimate(best[2], (best[0] - self.now).total_seconds(), best[1])

    def _first_worse(self) -> dict[int, list[Decision]]:
        """Per window and tier, the first decision that took from a worse tier or found nothing."""
        if self._first_worse_cache is None:
            table: dict[int, list[Decision]] = {}
            for number, decisions in self.decisions.items():
                tiers = len(self.profiles[number].tiers)
                first: list[Decision | None] = [None] * tiers
                open_tiers = tiers
                for d in decisions:
                    worse_from = tiers if d.tier is None else d.tier
                    for k in range(min(worse_from, tiers)):
                        if first[k] is None:
                            first[k] = d
                            open_tiers -= 1
                    if not open_tiers:
                        break
                # Every window ends with a decision that found nothing, so no entry stays empty.
                table[number] = [f for f in first if f is not None]
            self._first_worse_cache = table
        return self._first_worse_cache


def run_simulation(
    windows: Iterable[SimWindow],
    waiting: Iterable[QueuedTicket],
    now: datetime,
    bonus: timedelta,
    mean_seconds: Mapping[str, float],
) -> Simulation:
    """Simulate the windows calling every waiting ticket they can serve."""
    lanes = _Lanes(waiting, bonus)
    windows = list(windows)
    heap = [(max(w.free_at, now), w.profile.number, w.profile) for w in windows]
    heapq.heapify(heap)
    result: dict[int, Estimate] = {}
    decisions: dict[int, list[Decision]] = {w.profile.number: [] for w in windows}
    while heap:
        at, number, profile = heapq.heappop(heap)
        taken = lanes.take(profile)
        decisions[number].append(Decision(at, taken[1] if taken else None, len(result)))
        if taken is None:
            continue  # nothing left for this window; no arrivals happen inside the simulation
        ticket = taken[0]
        result[ticket.id] = Estimate(len(result), (at - now).total_seconds(), number)
        handling = mean_seconds.get(ticket.service, DEFAULT_HANDLING_SECONDS)
        heapq.heappush(heap, (at + timedelta(seconds=handling), number, profile))
    return Simulation(now, result, {w.profile.number: w.profile for w in windows}, decisions)


def simulate(
    windows: Iterable[SimWindow],
    waiting: Iterable[QueuedTicket],
    now: datetime,
    bonus: timedelta,
    mean_seconds: Mapping[str, float],
) -> dict[int, Estimate]:
    """Estimate every waiting ticket that one of the windows can serve."""
    return run_simulation(windows, waiting, now, bonus, mean_seconds).estimates
