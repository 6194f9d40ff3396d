"""observe_day's binary search sorts instants exactly as checking every interval does, overlaps included."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from queue_server.domain.staffing import Interval, Session, Slot, TicketFact, half_hours, observe_day

DAY = date(2026, 3, 2)


Sorted = list[tuple[dict[str, int], dict[str, list[float]]]]


def _by_scan(intervals: list[Interval], tickets: list[TicketFact]) -> Sorted:
    """Sort tickets into intervals by checking each one: the rule observe_day states."""
    out: Sorted = [({}, {}) for _ in intervals]
    for t in tickets:
        for k, i in enumerate(intervals):
            lo, hi = datetime.combine(DAY, i.start), datetime.combine(DAY, i.end)
            if lo <= t.issued_at < hi:
                out[k][0][t.service] = out[k][0].get(t.service, 0) + 1
            if t.finished_at is not None and t.service_seconds is not None and lo <= t.finished_at < hi:
                out[k][1].setdefault(t.service, []).append(t.service_seconds)
    return out


def _tickets(rng: random.Random, n: int) -> list[TicketFact]:
    start = datetime.combine(DAY, time(8, 0))
    out = []
    for _ in range(n):
        issued = start + timedelta(seconds=rng.choice([rng.uniform(0, 11 * 3600), 1800 * rng.randrange(22)]))
        later = timedelta(seconds=rng.choice([0, 1800, rng.uniform(1, 3000)]))
        finished = None if rng.random() < 0.2 else issued + later
        out.append(TicketFact(rng.choice("abc"), issued, finished, None if finished is None else rng.uniform(60, 900)))
    return out


def test_the_search_matches_the_scan_in_order_with_gaps_and_overlapping() -> None:
    rng = random.Random(3)
    tickets = _tickets(rng, 2000)
    for hours in ([["09:00", "12:00"], ["13:30", "17:30"]], [["08:45", "10:10"]],
                  [["09:00", "11:00"], ["10:30", "12:00"]], [["14:00", "15:00"], ["09:00", "10:00"]]):
        intervals = half_hours(hours)
        slots = observe_day(DAY, intervals, tickets, [])
        expected = _by_scan(intervals, tickets)
        assert [dict(s.issued) for s in slots] == [e[0] for e in expected], hours
        assert [{k: list(v) for k, v in s.served.items()} for s in slots] == [e[1] for e in expected], hours


def test_a_slot_sums_its_service_times_once() -> None:
    slot = observe_day(DAY, half_hours([["09:00", "09:30"]]), [
        TicketFact("a", datetime.combine(DAY, time(9)), datetime.combine(DAY, time(9, 10)), 300.0),
        TicketFact("a", datetime.combine(DAY, time(9)), datetime.combine(DAY, time(9, 20)), 0.5),
        TicketFact("b", datetime.combine(DAY, time(9)), datetime.combine(DAY, time(9, 29, 59)), 60.0),
    ], [Session(1, datetime.combine(DAY, time(8)), datetime.combine(DAY, time(9, 15)))])[0]
    assert slot.totals == {"a": (300.5, 2), "b": (60.0, 1)} and slot.open_seconds == {1: 900.0}
    assert Slot().totals == {}
