"""The routing policy: which waiting ticket a window calls next.

Eligible tickets are those whose service is in the window's profile and which carry no
designation, plus those designated to this window (they count as the first tier). The first
tier with an eligible ticket wins. Within a tier the longest effective wait wins, where the
effective wait is the time waited plus a constant bonus for priority tickets, plus the constant
appointment bonus for a checked-in appointment; ties go by number.

Because the bonus is constant, "longest effective wait at time t" orders tickets the same way
for every t: by ``issued_at - bonus``. The order is therefore a static sort key, which lets the
database find the next ticket through an index however long the queue is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from queue_server.domain.model import QueuedTicket, WindowProfile


def tier_of(window: WindowProfile, ticket: QueuedTicket) -> int | None:
    """Return the tier in which the window may take the ticket, or None."""
    if ticket.designated_window is not None:
        return 0 if ticket.designated_window == window.number else None
    for index, tier in enumerate(window.tiers):
        if ticket.service in tier:
            return index
    return None


def effective_since(ticket: QueuedTicket, bonus: timedelta) -> datetime:
    """Return the instant the ticket's effective wait counts from."""
    since = ticket.issued_at - bonus if ticket.priority is not None else ticket.issued_at
    # A checked-in appointment adds its own bounded bonus (appointments.bonus_seconds).
    return since - timedelta(seconds=ticket.bonus_seconds) if ticket.bonus_seconds else since


def rank(ticket: QueuedTicket, bonus: timedelta) -> tuple[datetime, str, int]:
    """Return the within-tier sort key: earliest effective start first, then number."""
    return (effective_since(ticket, bonus), ticket.number, ticket.id)


def ordered_queue(
    window: WindowProfile, waiting: Iterable[QueuedTicket], bonus: timedelta
) -> list[QueuedTicket]:
    """Return the tickets the window can serve, in the order call-next would take them."""
    keyed = []
    for ticket in waiting:
        tier = tier_of(window, ticket)
        if tier is not None:
            keyed.append(((tier, *rank(ticket, bonus)), ticket))
    keyed.sort(key=lambda pair: pair[0])
    return [ticket for _, ticket in keyed]


def choose_next(
    window: WindowProfile, waiting: Iterable[QueuedTicket], now: datetime, bonus: timedelta
) -> QueuedTicket | None:
    """Return the ticket the window should call at ``now``, or None if nothing is eligible."""
    best: tuple[tuple[int, datetime, str, int], QueuedTicket] | None = None
    for ticket in waiting:
        tier = tier_of(window, ticket)
        if tier is None:
            continue
        # Effective wait = (now - issued_at) + bonus; maximising it is minimising rank().
        key = (tier, *rank(ticket, bonus))
        if best is None or key < best[0]:
            best = (key, ticket)
    del now  # the order is time-invariant (see module docstring); kept for the contract
    return best[1] if best else None
