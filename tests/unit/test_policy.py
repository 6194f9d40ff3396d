"""The routing policy: tiers, bounded priority, designation and transfer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from queue_server.domain.model import Priority, QueuedTicket, WindowProfile
from queue_server.domain.policy import choose_next, ordered_queue

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
BONUS = timedelta(minutes=10)
TAX_FIRST = WindowProfile.of(14, [["invoice", "tax-filing"], ["invoice", "pension", "forestry"]])
COMPREHENSIVE = WindowProfile.of(1, [["invoice", "tax-filing", "pension", "forestry"]])


def t(id: int, service: str, minutes: float, **kw: object) -> QueuedTicket:
    return QueuedTicket(id, f"X{id:03d}", service, T0 + timedelta(minutes=minutes), **kw)  # type: ignore[arg-type]


def test_window_serves_its_first_tier_before_longer_waiters_of_later_tiers() -> None:
    waiting = [t(1, "pension", 0), t(2, "invoice", 30)]
    assert choose_next(TAX_FIRST, waiting, T0 + timedelta(hours=1), BONUS) == waiting[1]


def test_later_tier_is_served_when_first_tier_is_empty() -> None:
    waiting = [t(1, "pension", 5), t(2, "forestry", 0)]
    assert choose_next(TAX_FIRST, waiting, T0 + timedelta(hours=1), BONUS) == waiting[1]


def test_window_never_calls_a_service_outside_its_profile() -> None:
    window = WindowProfile.of(9, [["veterans"]])
    assert choose_next(window, [t(1, "invoice", 0)], T0, BONUS) is None


def test_priority_ticket_jumps_ahead_by_at_most_the_bonus() -> None:
    normal = t(1, "pension", 0)
    elderly = t(2, "pension", 9, priority=Priority.ELDERLY)
    assert choose_next(COMPREHENSIVE, [normal, elderly], T0 + timedelta(hours=1), BONUS) == elderly
    late_elderly = t(3, "pension", 11, priority=Priority.ELDERLY)
    assert choose_next(COMPREHENSIVE, [normal, late_elderly], T0 + timedelta(hours=1), BONUS) == normal


def test_priority_tickets_cannot_starve_a_long_waiter() -> None:
    # A stream of priority arrivals every minute: the normal ticket is called once it has waited
    # longer than the bonus more than the newest priority ticket, i.e. it is never starved.
    normal = t(0, "pension", 0)
    waiting = [normal] + [t(i, "pension", i, priority=Priority.DISABLED) for i in range(1, 60)]
    order = ordered_queue(COMPREHENSIVE, waiting, BONUS)
    assert order.index(normal) <= 10


def test_ties_are_broken_by_number() -> None:
    a = QueuedTicket(7, "B002", "pension", T0)
    b = QueuedTicket(3, "B001", "pension", T0)
    assert choose_next(COMPREHENSIVE, [a, b], T0, BONUS) == b


def test_designated_ticket_goes_only_to_its_window_in_the_first_tier() -> None:
    designated = t(1, "forestry", 50, designated_window=14)
    earlier = t(2, "invoice", 0)
    assert choose_next(TAX_FIRST, [earlier, designated], T0 + timedelta(hours=2), BONUS) == earlier
    assert choose_next(COMPREHENSIVE, [designated], T0 + timedelta(hours=2), BONUS) is None
    later_tax = t(3, "invoice", 60)
    assert choose_next(TAX_FIRST, [later_tax, designated], T0 + timedelta(hours=2), BONUS) == designated


def test_transferred_ticket_keeps_its_place_by_original_issue_time() -> None:
    # Transfer changes the service but keeps issued_at: it goes before later arrivals.
    transferred = t(1, "invoice", 0)
    newcomer = t(2, "invoice", 20)
    assert ordered_queue(TAX_FIRST, [newcomer, transferred], BONUS) == [transferred, newcomer]


def test_ordered_queue_matches_repeated_choose_next() -> None:
    waiting = [t(i, ["invoice", "pension", "forestry"][i % 3], (i * 7) % 13,
                 priority=Priority.ELDERLY if i % 4 == 0 else None) for i in range(1, 30)]
    order = ordered_queue(TAX_FIRST, waiting, BONUS)
    remaining = list(waiting)
    picked = []
    while (nxt := choose_next(TAX_FIRST, remaining, T0, BONUS)) is not None:
        picked.append(nxt)
        remaining.remove(nxt)
    assert picked == order
