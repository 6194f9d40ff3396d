"""The waiting-time estimate agrees with a brute-force simulation of the policy."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_server.domain.estimate import Estimate, SimWindow, ewma, run_simulation, simulate
from queue_server.domain.model import Priority, QueuedTicket, WindowProfile
from queue_server.domain.policy import choose_next

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
BONUS = timedelta(minutes=10)
SERVICES = ["a", "b", "c", "d"]


def brute_force(windows, waiting, now, bonus, means):  # type: ignore[no-untyped-def]
    """Simulate one call at a time by scanning every window and every ticket."""
    free = {w.profile.number: max(w.free_at, now) for w in windows}
    profiles = {w.profile.number: w.profile for w in windows}
    retired: set[int] = set()
    remaining = list(waiting)
    result = {}
    while True:
        candidates = [(at, n) for n, at in free.items() if n not in retired]
        if not candidates:
            return result
        at, number = min(candidates)
        ticket = choose_next(profiles[number], remaining, at, bonus)
        if ticket is None:
            retired.add(number)
            continue
        remaining.remove(ticket)
        result[ticket.id] = Estimate(len(result), (at - now).total_seconds(), number)
        free[number] = at + timedelta(seconds=means[ticket.service])


def random_case(rng: random.Random):  # type: ignore[no-untyped-def]
    windows = []
    for number in range(1, rng.randint(1, 6) + 1):
        tiers = [rng.sample(SERVICES, rng.randint(1, 3)) for _ in range(rng.randint(1, 3))]
        busy = timedelta(seconds=rng.choice([0, 0, 30, 200, 900]))
        windows.append(SimWindow(WindowProfile.of(number, tiers), NOW + busy))
    waiting = []
    for i in range(rng.randint(0, 40)):
        designated = rng.choice([None] * 8 + [rng.randint(1, len(windows))])
        waiting.append(QueuedTicket(
            i + 1, f"A{i + 1:03d}", rng.choice(SERVICES),
            NOW - timedelta(seconds=rng.randint(0, 3600)),
            rng.choice([None, None, None, Priority.ELDERLY]), designated))
    means = {s: float(rng.randint(60, 900)) for s in SERVICES}
    return windows, waiting, means


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_simulation_equals_brute_force_on_random_queues(seed: int) -> None:
    windows, waiting, means = random_case(random.Random(seed))
    assert simulate(windows, waiting, NOW, BONUS, means) == brute_force(
        windows, waiting, NOW, BONUS, means)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(SERVICES))
def test_probing_a_new_ticket_equals_simulating_with_it(seed: int, service: str) -> None:
    windows, waiting, means = random_case(random.Random(seed))
    probe = run_simulation(windows, waiting, NOW, BONUS, means).probe(service)
    newcomer = QueuedTicket(10_000, "~NEW", service, NOW)
    assert probe == simulate(windows, [*waiting, newcomer], NOW, BONUS, means).get(10_000)


def test_ahead_counts_tickets_called_before_and_eta_uses_handling_means() -> None:
    window = SimWindow(WindowProfile.of(1, [["a"]]), NOW)
    waiting = [QueuedTicket(i, f"A00{i}", "a", NOW - timedelta(minutes=10 - i)) for i in range(1, 4)]
    result = simulate([window], waiting, NOW, BONUS, {"a": 300.0})
    assert [result[i].ahead for i in (1, 2, 3)] == [0, 1, 2]
    assert [result[i].eta_minutes for i in (1, 2, 3)] == [0, 5, 10]


def test_tickets_no_window_can_serve_get_no_estimate() -> None:
    window = SimWindow(WindowProfile.of(1, [["a"]]), NOW)
    result = simulate([window], [QueuedTicket(1, "B001", "b", NOW)], NOW, BONUS, {"b": 60.0})
    assert result == {}


def test_running_mean_moves_towards_new_samples() -> None:
    assert ewma(600.0, 300.0, 0.2) == 540.0
