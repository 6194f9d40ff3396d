"""Residents' sockets on their own ticket or case: capped per item, per address and in total,
one shared view per item, recomputed once per burst of events."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from queue_server.core.events import Envelope
from queue_server.core.limits import Places, SocketCaps
from queue_server.realtime.hub import Hub
from queue_server.realtime.sockets import close_quietly, run_until_either

log = logging.getLogger(__name__)
View = dict[str, Any]
Key = tuple[int, str]  # (ticket or case id, the public base URL its links carry)
# Build the current views of these keys; a missing ticket or case is left out.
Compute = Callable[[list[Key]], Awaitable[dict[Key, View]]]
# Tell whether a batch of events may change any of the followed items; None: every batch may.
Touches = Callable[[list[Envelope], set[int]], bool]


class Watch:
    """One socket following one ticket or case: the latest view it has not sent yet."""

    def __init__(self, key: tuple[int, str], ip: str) -> None:
        self.key, self.ip = key, ip
        self.latest: View | None = None
        self.changed = asyncio.Event()

    def offer(self, view: View) -> None:
        """Replace the unsent view: a slow socket skips straight to the newest."""
        self.latest = view
        self.changed.set()

    async def next(self) -> View:
        """Wait for a view to send."""
        await self.changed.wait()
        self.changed.clear()
        assert self.latest is not None
        return self.latest


class Feed:
    """Recompute each followed item's view once per burst of events and share it among its sockets.

    One feed follows tickets (every event may move a ticket's place or estimate) and one follows
    cases (only events about a followed case can change it). Both keep the same caps.
    """

    def __init__(self, hub: Hub, compute: Compute, *, per_item: int, caps: SocketCaps, places: Places,
                 item_scope: str, touches: Touches | None = None) -> None:
        self._compute = compute
        self._touches = touches
        self.per_item = per_item
        self.caps = caps  # per address and in total: shared by every hall's feeds and every process
        self._places, self._item_scope = places, item_scope  # per ticket or case, in every process
        self._watches: dict[tuple[int, str], set[Watch]] = {}
        self._views: dict[tuple[int, str], View] = {}
        self._dirty = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.computed = 0  # views built; each is shared by every socket of its ticket
        hub.on_batch(self._on_batch)

    async def open(self, item_id: int, base: str, ip: str) -> Watch | None:
        """Follow an item from an address; None when the item, the address or the total is at its cap."""
        key, item = (item_id, base), f"{self._item_scope}:{item_id}"
        if not await self._places.take(item, "*", total=self.per_item, per_ip=self.per_item):
            return None
        if not await self.caps.take(ip):
            await self._places.give_back(item, "*")
            return None
        watch = Watch(key, ip)
        self._watches.setdefault(key, set()).add(watch)
        return watch

    async def close(self, watch: Watch) -> None:
        """Stop following, and free the socket's places."""
        watchers = self._watches.get(watch.key)
        if watchers is not None and watch in watchers:
            watchers.discard(watch)
            await self.caps.give_back(watch.ip)
            await self._places.give_back(f"{self._item_scope}:{watch.key[0]}", "*")
            if not watchers:
                del self._watches[watch.key]
                self._views.pop(watch.key, None)

    async def first(self, watch: Watch) -> View | None:
        """Return the view to send on connect: the shared one, or a fresh one."""
        view = self._views.get(watch.key)
        if view is None:
            views = await self._compute([watch.key])
            self.computed += 1
            view = views.get(watch.key)
            if view is not None and watch.key in self._watches:
                self._views[watch.key] = view
        return view

    def _on_batch(self, batch: list[Envelope]) -> None:
        if not self._watches:
            return
        if self._touches is not None and not self._touches(batch, {item for item, _ in self._watches}):
            return
        self._dirty.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._refresh())

    async def _refresh(self) -> None:
        while self._dirty.is_set():
            self._dirty.clear()
            keys = list(self._watches)
            if not keys:
                return
            try:
                views = await self._compute(keys)  # one read for every followed item
            except Exception:
                log.exception("views could not be refreshed")
                return
            self.computed += len(views)
            for key, view in views.items():
                if self._views.get(key) == view or key not in self._watches:
                    continue
                self._views[key] = view
                for watch in self._watches[key]:
                    watch.offer(view)

    async def stop(self) -> None:
        """Stop refreshing."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def serve(ws: WebSocket, feed: Feed, *, item_id: int, base: str, kind: str) -> None:
    """Stream one item to a resident's socket: on connect, then each time its view changes.

    Over a cap the handshake is refused (403), before any data; the open sockets stay open.
    """
    watch = await feed.open(item_id, base, ws.client.host if ws.client else "unknown")
    if watch is None:
        await ws.close(code=1008)
        return
    await ws.accept()

    async def pump() -> None:
        last = await feed.first(watch)
        if last is None:
            return
        await ws.send_json({"type": kind, kind: last})
        while True:
            current = await watch.next()
            if current != last:
                await ws.send_json({"type": kind, kind: current})
                last = current

    try:
        await run_until_either(ws, pump())
    except WebSocketDisconnect:
        pass
    finally:
        await feed.close(watch)
        await close_quietly(ws)
