"""The realtime hub: one per process, bounded per subscriber, delivering events in seq order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from queue_server.core.events import Envelope

log = logging.getLogger(__name__)

GAP_GRACE_SECONDS = 0.3


class Subscriber:
    """One websocket's mailbox. It is dropped, not blocked, when it falls too far behind."""

    def __init__(self, size: int) -> None:
        self.queue: asyncio.Queue[Envelope | None] = asyncio.Queue(maxsize=size)
        self.dropped = False

    def offer(self, message: Envelope) -> None:
        """Queue a message, or drop the subscriber if its mailbox is full."""
        if self.dropped:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.dropped = True
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()  # make room for the sentinel that ends the stream
            self.queue.put_nowait(None)


class Hub:
    """Fan events out to subscribers strictly in seq order, filling gaps from the event log."""

    def __init__(
        self,
        *,
        queue_size: int,
        fetch_after: Callable[[int], Awaitable[list[Envelope]]],
        last_seq: int,
    ) -> None:
        self._size = queue_size
        self._fetch_after = fetch_after
        self._subscribers: set[Subscriber] = set()
        self._pending: dict[int, Envelope] = {}
        self._gap_task: asyncio.Task[None] | None = None
        self._listeners: list[Callable[[list[Envelope]], None]] = []
        self.last_seq = last_seq

    def subscribe(self) -> Subscriber:
        """Register a new subscriber."""
        sub = Subscriber(self._size)
        self._subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        """Forget a subscriber."""
        self._subscribers.discard(sub)

    def on_batch(self, listener: Callable[[list[Envelope]], None]) -> None:
        """Call listener with every batch of delivered events."""
        self._listeners.append(listener)

    @property
    def subscriber_count(self) -> int:
        """Return how many subscribers are connected."""
        return len(self._subscribers)

    async def publish(self, messages: list[Envelope]) -> None:
        """Accept committed events (any order) and deliver those that are next in line."""
        for m in messages:
            if m.seq > self.last_seq:
                self._pending[m.seq] = m
        self._drain()
        if self._pending and self._gap_task is None:
            self._gap_task = asyncio.create_task(self._fill_gap_later())

    async def notify(self, seq: int) -> None:
        """Learn that events up to seq exist (from another process) and fetch them."""
        if seq > self.last_seq:
            await self._fill_gap()

    def _drain(self) -> None:
        batch = []
        while self.last_seq + 1 in self._pending:
            self.last_seq += 1
            batch.append(self._pending.pop(self.last_seq))
        if batch:
            self._deliver(batch)

    def _deliver(self, batch: list[Envelope]) -> None:
        for sub in list(self._subscribers):
            for m in batch:
                sub.offer(m)
        for listener in self._listeners:
            try:
                listener(batch)
            except Exception:  # a listener must never break delivery
                log.exception("hub listener failed")

    async def _fill_gap_later(self) -> None:
        try:
            await asyncio.sleep(GAP_GRACE_SECONDS)
            if self._pending:
                await self._fill_gap()
        finally:
            self._gap_task = None

    async def _fill_gap(self) -> None:
        # An event committed by another request (or process) never reached us: read the log,
        # page by page, until it has nothing newer.
        while True:
            before = self.last_seq
            missing = await self._fetch_after(self.last_seq)
            for m in missing:
                if m.seq > self.last_seq:
                    self._pending[m.seq] = m
            self._drain()
            if not missing or self.last_seq == before:
                break
        if self._pending and min(self._pending) > self.last_seq + 1:
            # The log itself has no such seq (cannot happen with the hall lock); skip ahead.
            log.warning("event log gap after seq %s", self.last_seq)
            self.last_seq = min(self._pending) - 1
            self._drain()
