"""A simulation resumed for each new ticket gives exactly the estimates of simulating again."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_server.domain.estimate import run_simulation, simulate
from queue_server.domain.model import Priority, QueuedTicket
from queue_server.domain.resume import ResumableSimulation
from tests.unit.test_estimate import BONUS, NOW, SERVICES, random_case


def _newcomer(rng: random.Random, ticket_id: int, windows: int) -> QueuedTicket:
    """Return a ticket taken now, or a priority one, or a transfer that keeps an old place."""
    kind = rng.choice(["now", "now", "priority", "transfer", "designated", "tie"])
    service = rng.choice([*SERVICES, "e"])  # "e": a service no lane holds yet
    if kind == "transfer":
        return QueuedTicket(ticket_id, f"T{ticket_id:03d}", service,
                            NOW - timedelta(seconds=rng.randint(0, 3600)))
    if kind == "designated":
        return QueuedTicket(ticket_id, f"D{ticket_id:03d}", service,
                            NOW - timedelta(seconds=rng.randint(0, 3600)),
                            designated_window=rng.randint(1, windows + 1))
    if kind == "tie":  # issued at the same instant as others, ordered by number
        return QueuedTicket(ticket_id, f"A{rng.randint(0, 999):03d}", service, NOW)
    priority = Priority.ELDERLY if kind == "priority" else None
    return QueuedTicket(ticket_id, f"N{ticket_id:03d}", service, NOW, priority)


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=8))
def test_adding_tickets_one_by_one_equals_simulating_the_whole_queue_again(seed: int, adds: int) -> None:
    rng = random.Random(seed)
    windows, waiting, means = random_case(rng)
    means["e"] = float(rng.randint(60, 900))
    sim = ResumableSimulation(windows, waiting, NOW, BONUS, means)
    assert sim.estimates == simulate(windows, waiting, NOW, BONUS, means)
    queue = list(waiting)
    for i in range(adds):
        ticket = _newcomer(rng, 1000 + i, len(windows))
        queue.append(ticket)
        got = sim.add(ticket)
        full = simulate(windows, queue, NOW, BONUS, means)
        assert got == full.get(ticket.id)
        assert sim.estimates == full


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.lists(st.integers(min_value=1, max_value=6),
                                                         min_size=1, max_size=4))
def test_settling_a_batch_of_pushed_tickets_equals_simulating_the_whole_queue_again(
        seed: int, batches: list[int]) -> None:
    rng = random.Random(seed)
    windows, waiting, means = random_case(rng)
    means["e"] = float(rng.randint(60, 900))
    sim = ResumableSimulation(windows, waiting, NOW, BONUS, means)
    queue = list(waiting)
    for b, size in enumerate(batches):
        batch = [_newcomer(rng, 1000 + 10 * b + i, len(windows)) for i in range(size)]
        for ticket in batch:
            sim.push(ticket)
        queue += batch
        sim.settle()
        assert sim.estimates == simulate(windows, queue, NOW, BONUS, means)
    assert sim.probe("a") == run_simulation(windows, queue, NOW, BONUS, means).probe("a")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.sampled_from([*SERVICES, "e"]))
def test_probing_a_resumed_simulation_equals_probing_a_full_one(seed: int, service: str) -> None:
    rng = random.Random(seed)
    windows, waiting, means = random_case(rng)
    means["e"] = float(rng.randint(60, 900))
    sim = ResumableSimulation(windows, waiting, NOW, BONUS, means)
    newcomer = _newcomer(rng, 1000, len(windows))
    sim.add(newcomer)
    full = run_simulation(windows, [*waiting, newcomer], NOW, BONUS, means)
    assert sim.probe(service) == full.probe(service)


def test_a_ticket_no_window_serves_changes_nothing_and_gets_no_estimate() -> None:
    windows, waiting, means = random_case(random.Random(7))
    sim = ResumableSimulation(windows, waiting, NOW, BONUS, means)
    before = dict(sim.estimates)
    assert sim.add(QueuedTicket(5000, "Z001", "nobody-serves-this", NOW)) is None
    assert sim.estimates == before
