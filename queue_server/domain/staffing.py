"""Staffing advice: how many windows each half-hour needs, by Erlang C, from the same weekday's history.

Pure: the shell reads tickets and window sessions, the calendar is passed in, nothing here does I/O.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from queue_server.domain.holidays import CountsAs, pick_days
from queue_server.domain.model import WindowProfile

HALF_HOUR = 1800
WEEKDAYS = "一二三四五六日"
# Past this many windows a target is not a staffing question; it also bounds the search on bad input.
MAX_WINDOWS = 100_000


def erlang_b(n: int, load: float) -> float:
    """Return the Erlang B blocking probability of n servers under a load in erlangs."""
    b = 1.0
    for k in range(1, n + 1):  # B(k) = A·B(k−1) / (k + A·B(k−1)): no factorials, no overflow
        b = load * b / (k + load * b)
    return b


def erlang_c(n: int, load: float, b: float | None = None) -> float:
    """Return the probability that an arrival waits, with n servers under a load (b: Erlang B, if known)."""
    if load <= 0:
        return 0.0
    if n <= load:
        return 1.0  # the queue grows without bound: everyone waits
    b = erlang_b(n, load) if b is None else b
    return n * b / (n - load * (1.0 - b))


def _within(n: int, load: float, c: float, aht: float, target_wait: float) -> float:
    if load <= 0 or aht <= 0:
        return 1.0
    if n <= load:
        return 0.0
    return 1.0 - c * math.exp(-(n - load) * target_wait / aht)


def service_level(n: int, arrivals: float, aht: float, target_wait: float,
                  interval_seconds: float = HALF_HOUR) -> float:
    """Return the probability that a ticket waits no longer than target_wait: 1 − C·e^{−(n−A)·t/aht}."""
    load = arrivals * aht / interval_seconds
    return _within(n, load, erlang_c(n, load), aht, target_wait)


def windows_needed(arrivals: float, aht: float, interval_seconds: float, target_wait: float,
                   target_pct: float) -> tuple[int, float]:
    """Return the least n above the offered load whose service level meets target_pct, with that level in %.

    100 % is taken literally: the answer is the least n whose chance of waiting longer than target_wait is
    below what a double can tell from zero (about 1e-16), which exists because that chance falls faster
    than exponentially in n. No arrivals need no window (0, 100.0).
    """
    if not 0 <= target_pct <= 100 or target_wait < 0 or arrivals < 0 or aht < 0 or interval_seconds <= 0:
        raise ValueError("目标比例须在 0–100 之间，等候时间、到达数和办理时长不能为负数")
    if arrivals == 0:
        return 0, 100.0
    load = arrivals * aht / interval_seconds
    b, n = 1.0, 0
    while n < MAX_WINDOWS:
        n += 1
        b = load * b / (n + load * b)  # Erlang B grown one server at a time: the whole search is O(n)
        if n <= load:
            continue
        pct = 100.0 * _within(n, load, erlang_c(n, load, b), aht, target_wait)
        if pct >= target_pct:
            return n, pct
    raise ValueError(f"需要超过 {MAX_WINDOWS} 个窗口，请检查数据")


@dataclass(frozen=True)
class Interval:
    """One half-hour of the opening hours (shorter where a session ends off the half-hour)."""

    start: time
    end: time

    @property
    def seconds(self) -> float:
        """Return the interval's length in seconds."""
        return (datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)).total_seconds()


def half_hours(opening_hours: Iterable[Sequence[str]]) -> list[Interval]:
    """Cut opening hours like [["09:00", "12:00"], ["13:30", "17:30"]] into half-hours from each start."""
    out: list[Interval] = []
    for start_s, end_s in opening_hours:
        at, end = datetime.combine(date.min, time.fromisoformat(start_s)), time.fromisoformat(end_s)
        while at.time() < end:
            nxt = min(at + timedelta(seconds=HALF_HOUR), datetime.combine(date.min, end))
            out.append(Interval(at.time(), nxt.time()))
            at = nxt
    return out


@dataclass(frozen=True)
class Slot:
    """What happened in one interval of one day."""

    issued: Mapping[str, int] = field(default_factory=dict)  # tickets issued, by service
    served: Mapping[str, Sequence[float]] = field(default_factory=dict)  # service seconds of tickets finished
    open_seconds: Mapping[int, float] = field(default_factory=dict)  # seconds each window was open

    @cached_property
    def totals(self) -> dict[str, tuple[float, int]]:
        """Return each service's summed service seconds and number of finished tickets, summed once per slot."""
        return {s: (sum(d), len(d)) for s, d in self.served.items()}


@dataclass(frozen=True)
class TicketFact:
    """A ticket as the forecast sees it, in the hall's local time."""

    service: str
    issued_at: datetime
    finished_at: datetime | None = None
    service_seconds: float | None = None


@dataclass(frozen=True)
class Session:
    """A stretch of time a window was open, in the hall's local time."""

    window: int
    start: datetime
    end: datetime


def _finder(bounds: Sequence[tuple[datetime, datetime]]) -> Callable[[datetime], Iterable[int]]:
    """Return what tells which intervals hold an instant: a binary search when they are in order and apart."""
    starts = [lo for lo, _ in bounds]
    if all(hi <= nxt for (_, hi), nxt in zip(bounds, starts[1:], strict=False)):
        def search(at: datetime) -> Iterable[int]:
            k = bisect_right(starts, at) - 1  # a day's 1,500 tickets × 14 intervals made this the route's cost
            return (k,) if k >= 0 and at < bounds[k][1] else ()
        return search
    return lambda at: [k for k, (lo, hi) in enumerate(bounds) if lo <= at < hi]  # overlapping opening hours


def observe_day(day: date, intervals: Sequence[Interval], tickets: Iterable[TicketFact],
                sessions: Iterable[Session]) -> list[Slot]:
    """Sort one day's tickets and window sessions into its intervals (each half-open, [start, end))."""
    bounds = [(datetime.combine(day, i.start), datetime.combine(day, i.end)) for i in intervals]
    issued: list[dict[str, int]] = [{} for _ in bounds]
    served: list[dict[str, list[float]]] = [{} for _ in bounds]
    opened: list[dict[int, float]] = [{} for _ in bounds]
    where = _finder(bounds)
    for t in tickets:
        for k in where(t.issued_at):
            issued[k][t.service] = issued[k].get(t.service, 0) + 1
        if t.finished_at is not None and t.service_seconds is not None:
            for k in where(t.finished_at):
                served[k].setdefault(t.service, []).append(t.service_seconds)
    for s in sessions:
        for k, (lo, hi) in enumerate(bounds):
            overlap = (min(s.end, hi) - max(s.start, lo)).total_seconds()
            if overlap > 0:
                opened[k][s.window] = opened[k].get(s.window, 0.0) + overlap
    return [Slot(issued[k], {s: tuple(v) for s, v in served[k].items()}, opened[k]) for k in range(len(bounds))]


@dataclass(frozen=True)
class Forecast:
    """One interval of the answer: API.md's `intervals` item."""

    start: str
    end: str
    arrivals: float
    service_avg: float
    windows_needed: int
    windows_open: float
    within_pct: float


def _weighted(slot: Slot, weights: Mapping[str, float] | None) -> tuple[float, float, float]:
    """Return (arrivals, Σ service seconds, tickets finished) of a slot, each service by its weight."""
    # Each service's sums are taken once per slot (Slot.totals): every pool's forecast reads every slot again.
    if weights is None:
        return (sum(1.0 * n for n in slot.issued.values()), sum(1.0 * t for t, _ in slot.totals.values()),
                sum(1.0 * n for _, n in slot.totals.values()))
    get = weights.get
    return (sum(get(s, 0.0) * n for s, n in slot.issued.items()),
            sum(get(s, 0.0) * t for s, (t, _) in slot.totals.items()),
            sum(get(s, 0.0) * n for s, (_, n) in slot.totals.items()))


def forecast(days: Sequence[Sequence[Slot]], intervals: Sequence[Interval], *, target_wait: float,
             target_pct: float, default_service: float, weights: Mapping[str, float] | None = None,
             windows: Collection[int] | None = None) -> list[Forecast]:
    """Forecast each interval from past days' slots: mean arrivals, service time and windows open.

    `weights` counts each service's tickets by a share (a pool's part of them; None counts all), and
    `windows` names the windows whose open time counts (None: all). With no day, every figure is 0.
    """
    n = len(days)
    sums = [[_weighted(d[k], weights) for d in days] for k in range(len(intervals))]
    served = sum(t for col in sums for _, t, _ in col)
    finished = sum(c for col in sums for _, _, c in col)
    day_mean = served / finished if finished else default_service  # the hall's (or pool's) mean on those days
    out = []
    for k, interval in enumerate(intervals):
        arrivals = sum(a for a, _, _ in sums[k]) / n if n else 0.0
        count = sum(c for _, _, c in sums[k])
        aht = sum(t for _, t, _ in sums[k]) / count if count else day_mean
        opened = sum(sec for d in days for w, sec in d[k].open_seconds.items() if windows is None or w in windows)
        needed, pct = windows_needed(arrivals, aht, interval.seconds, target_wait, target_pct)
        out.append(Forecast(interval.start.strftime("%H:%M"), interval.end.strftime("%H:%M"), arrivals, aht,
                            needed, opened / interval.seconds / n if n else 0.0, pct))
    return out


@dataclass(frozen=True)
class Pool:
    """Windows with the same ordered tiers, and the share of each service's tickets they take."""

    windows: tuple[int, ...]
    tiers: tuple[frozenset[str], ...]
    shares: Mapping[str, float]


def pools_of(profiles: Iterable[WindowProfile], services: Iterable[str]) -> list[Pool]:
    """Group windows by profile and split each service's tickets among the pools that serve it first.

    A service goes to the pools holding it in the earliest tier any pool holds it in (the first tier for
    every service a window is dedicated to), split in proportion to those pools' window counts: each such
    window takes an equal share. A service no window serves is in no pool.
    """
    groups: dict[tuple[frozenset[str], ...], list[int]] = {}
    for p in sorted(profiles, key=lambda p: p.number):
        groups.setdefault(p.tiers, []).append(p.number)
    shares: dict[tuple[frozenset[str], ...], dict[str, float]] = {t: {} for t in groups}
    for service in services:
        rank = {t: next((i for i, tier in enumerate(t) if service in tier), None) for t in groups}
        held = [r for r in rank.values() if r is not None]
        if not held:
            continue
        takers = [t for t, r in rank.items() if r == min(held)]
        total = sum(len(groups[t]) for t in takers)
        for t in takers:
            shares[t][service] = len(groups[t]) / total
    return [Pool(tuple(ws), t, shares[t]) for t, ws in groups.items()]


def _hm(hhmm: str) -> str:
    return hhmm[1:] if hhmm.startswith("0") else hhmm  # 09:00 reads 9:00, as a notice on the wall does


def advice(weekday: int, weeks: int, rows: Sequence[Forecast], who: str = "") -> list[str]:
    """Say in Chinese, per run of consecutive half-hours, where windows needed differ from those open."""
    lines: list[str] = []
    run: list[Forecast] = []

    def flush() -> None:
        if run:
            needed, opened = run[0].windows_needed, math.floor(run[0].windows_open + 0.5)
            say = f"建议开 {needed} 个{who}窗口" if needed else f"无需开{who}窗口"
            lines.append(f"周{WEEKDAYS[weekday - 1]} {_hm(run[0].start)}–{_hm(run[-1].end)} {say}"
                         f"（过去 {weeks} 周平均开 {opened} 个）")
            run.clear()

    for row in rows:
        opened = math.floor(row.windows_open + 0.5)  # a mean of 3.5 open windows reads as 4
        same = run and run[-1].end == row.start and run[-1].windows_needed == row.windows_needed \
            and math.floor(run[-1].windows_open + 0.5) == opened
        if not same:
            flush()
        if row.windows_needed != opened:
            run.append(row)
    flush()
    return lines


def backtest(chosen: Sequence[date], observed: Mapping[date, Sequence[Slot]], weekday: int, weeks: int,
             cal: CountsAs) -> tuple[int, float | None]:
    """Forecast each chosen day from the observed days of its weekday before it; return (days, MAPE %).

    A day counts as forecast when at least one earlier day of its weekday was observed. An interval with no
    actual arrival has no percentage error and is left out of the mean; with none left, the MAPE is None.
    """
    errors: list[float] = []
    days = 0
    for day in chosen:
        if day not in observed:
            continue
        before = [observed[d] for d in pick_days(day - timedelta(days=1), weekday, weeks, cal) if d in observed]
        if not before:
            continue
        days += 1
        for k, slot in enumerate(observed[day]):
            actual = sum(slot.issued.values())
            if actual:
                predicted = sum(sum(d[k].issued.values()) for d in before) / len(before)
                errors.append(abs(predicted - actual) / actual)
    return days, (100.0 * sum(errors) / len(errors) if errors else None)


def report(*, today: date, weekday: int, weeks: int, target_wait: float, target_pct: float,
           intervals: Sequence[Interval], observed: Mapping[date, Sequence[Slot]], cal: CountsAs,
           default_service: float) -> dict[str, Any]:
    """Build API.md's staffing answer from the days observed (every day of days_to_read the hall has data for)."""
    chosen = pick_days(today, weekday, weeks, cal)
    rows = forecast([observed[d] for d in chosen if d in observed], intervals, target_wait=target_wait,
                    target_pct=target_pct, default_service=default_service)
    days, mape = backtest(chosen, observed, weekday, weeks, cal)
    return {"weekday": weekday, "weeks": weeks, "target_wait": target_wait, "target_pct": target_pct,
            "intervals": [r.__dict__ for r in rows], "advice": advice(weekday, weeks, rows),
            "backtest": {"days": days, "arrivals_mape_pct": mape}}
