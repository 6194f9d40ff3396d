"""Routing with checked-in appointments mixed in: bounded like the priority bonus (property tests).

The hall below is n identical windows serving one service, each resident taking ``H`` seconds,
pulled by the real policy (``choose_next``). Walk-ins arrive at any time; appointments are booked
within each slot's capacity (``slot_capacity``) and check in anywhere from 30 minutes before their
slot to its end. The stated bounds:

* a walk-in is overtaken only by appointments that checked in less than ``B`` after it, so an
  appointment never jumps a walk-in who came more than ``B`` before it (the whole queue);
* the bonus delays a walk-in by at most ceil(k / n) · H, where k is the number of appointments that
  checked in within ``B`` after it (compared with the same residents queueing without the bonus);
  booking limits keep k ≤ 3 · capacity (a 15-minute span meets the check-in spans of 3 slots);
* when the walk-ins alone keep the hall below (1 − share) of its capacity, every checked-in
  appointment is called by its slot's end plus one slot (``SLOT``) while the windows are open.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from queue_server.domain.appointments import CHECK_IN_EARLY, slot_capacity
from queue_server.domain.estimate import SimWindow
from queue_server.domain.estimate import simulate as estimate
from queue_server.domain.model import QueuedTicket, WindowProfile
from queue_server.domain.policy import choose_next, ordered_queue

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
H = 300.0  # seconds a resident takes
B = 900  # appointments.bonus_seconds
SLOT = 1800.0
SHARE = 0.5
PRIORITY_BONUS = timedelta(minutes=10)
SLOTS = 4  # two hours of slots, after half an hour of opening


@dataclass(frozen=True)
class Arrival:
    id: int
    at: float  # whole seconds after opening (ties go by number, as in the hall)
    slot_end: float | None = None  # an appointment's slot end; None for a walk-in


def simulate(n: int, arrivals: list[Arrival], bonus: int) -> dict[int, float]:
    """Return each resident's call time, with n windows pulling by the routing policy."""
    profiles = [WindowProfile.of(i + 1, [["svc"]]) for i in range(n)]
    tickets = {a.id: QueuedTicket(a.id, f"A{a.id:03d}", "svc", T0 + timedelta(seconds=a.at),
                                  bonus_seconds=bonus if a.slot_end is not None else 0) for a in arrivals}
    pending = sorted(arrivals, key=lambda a: (a.at, a.id))
    free = [0.0] * n
    waiting: dict[int, QueuedTicket] = {}
    called: dict[int, float] = {}
    while pending or waiting:
        i = min(range(n), key=lambda k: (free[k], k))
        now = free[i]
        while pending and pending[0].at <= now:
            waiting[pending[0].id] = tickets[pending[0].id]
            pending.pop(0)
        if not waiting:
            free[i] = pending[0].at  # idle until the next resident walks in
            continue
        chosen = choose_next(profiles[i], waiting.values(), T0 + timedelta(seconds=now), PRIORITY_BONUS)
        assert chosen is not None
        del waiting[chosen.id]
        called[chosen.id] = now
        free[i] = now + H
    return called


@st.composite
def halls(draw: st.DrawFn, light: bool = False) -> tuple[int, list[Arrival]]:
    n = draw(st.integers(1, 3))
    cap = slot_capacity(slot_minutes=30, windows=n, mean_seconds=H, share=SHARE)
    arrivals: list[Arrival] = []
    horizon = SLOT * (SLOTS + 1)
    if light:  # walk-ins alone use at most (1 - share) of the windows' time, with jitter
        gap = H / (n * (1 - SHARE))
        count = int(horizon / gap)
        jitter = draw(st.lists(st.floats(0, gap * 0.9), min_size=count, max_size=count))
        walk_ins = [float(int(k * gap + j)) for k, j in enumerate(jitter)]
    else:
        walk_ins = [float(t) for t in draw(st.lists(st.integers(0, int(horizon)), max_size=40))]
    for at in walk_ins:
        arrivals.append(Arrival(len(arrivals) + 1, at))
    for s in range(SLOTS):
        start = SLOT * (s + 1)  # the first slot starts half an hour after opening
        booked = draw(st.integers(0, cap))
        for _ in range(booked):
            at = float(draw(st.integers(int(start - CHECK_IN_EARLY.total_seconds()), int(start + SLOT))))
            arrivals.append(Arrival(len(arrivals) + 1, at, start + SLOT))
    return n, arrivals


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(halls())
def test_an_appointment_never_jumps_a_walk_in_who_came_more_than_the_bonus_earlier(
        hall: tuple[int, list[Arrival]]) -> None:
    n, arrivals = hall
    called = simulate(n, arrivals, B)
    for a in (x for x in arrivals if x.slot_end is not None):
        for w in (x for x in arrivals if x.slot_end is None):
            if w.at < a.at - B:
                assert called[w.id] <= called[a.id], (w, a)


@SETTINGS
@given(halls())
def test_the_bonus_delays_a_walk_in_by_at_most_the_appointments_that_came_within_the_bonus(
        hall: tuple[int, list[Arrival]]) -> None:
    n, arrivals = hall
    cap = slot_capacity(slot_minutes=30, windows=n, mean_seconds=H, share=SHARE)
    with_bonus, without = simulate(n, arrivals, B), simulate(n, arrivals, 0)
    for w in (x for x in arrivals if x.slot_end is None):
        # Appointments that would queue behind this walk-in without the bonus (same second: by number).
        k = sum(1 for a in arrivals if a.slot_end is not None and (w.at, w.id) < (a.at, a.id)
                and a.at <= w.at + B)
        assert k <= 3 * cap
        assert with_bonus[w.id] - without[w.id] <= math.ceil(k / n) * H + 1e-6, (w, k)


@SETTINGS
@given(halls(light=True))
def test_every_checked_in_appointment_is_called_by_its_slot_end_plus_one_slot(
        hall: tuple[int, list[Arrival]]) -> None:
    n, arrivals = hall
    assume(any(a.slot_end is not None for a in arrivals))
    called = simulate(n, arrivals, B)
    for a in (x for x in arrivals if x.slot_end is not None):
        assert called[a.id] <= a.slot_end + SLOT, (a, called[a.id])


def test_the_estimate_orders_a_checked_in_appointment_as_call_next_does() -> None:
    window = WindowProfile.of(1, [["svc"]])
    walk_ins = [QueuedTicket(i, f"A{i:03d}", "svc", T0 + timedelta(minutes=i)) for i in range(1, 6)]
    booked = QueuedTicket(9, "A009", "svc", T0 + timedelta(minutes=17.5), bonus_seconds=B)
    queue = [*walk_ins, booked]
    order = [t.id for t in ordered_queue(window, queue, PRIORITY_BONUS)]
    assert order == [1, 2, 9, 3, 4, 5]  # checked in at 17.5 min, it ranks as if it came at 2.5
    now = T0 + timedelta(minutes=18)
    est = estimate([SimWindow(window, now)], queue, now,
                   PRIORITY_BONUS, {"svc": H})
    assert sorted(est, key=lambda i: est[i].ahead) == order
    assert est[9].ahead == 2
