"""Live state: the public queue snapshot, the hall websocket and the resident's own ticket."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect

from queue_server.app.deps import MAX_ID, RuntimeDep, get_runtime, public_base
from queue_server.app.runtime import HallRuntime
from queue_server.db.eventlog import events_after
from queue_server.domain.privacy import token_matches
from queue_server.readmodel.models import QueueSnapshot
from queue_server.readmodel.queries import queue_snapshot
from queue_server.realtime.feeds import serve
from queue_server.realtime.hub import Subscriber
from queue_server.realtime.sockets import close_quietly, run_until_either
from queue_server.tickets.models import Ticket

log = logging.getLogger(__name__)
router = APIRouter(tags=["live"])


async def snapshot(rt: HallRuntime) -> QueueSnapshot:
    """Return the live snapshot with fresh estimates."""
    est = await rt.estimator.current()
    return await rt.db.read(lambda s: queue_snapshot(s, rt.hall, est.services))


@router.get("/api/queue", response_model=QueueSnapshot)
async def get_queue(rt: RuntimeDep) -> QueueSnapshot:
    """Return the public state of the hall."""
    return await snapshot(rt)


async def _pump(ws: WebSocket, sub: Subscriber, after: int) -> None:
    while True:
        message = await sub.queue.get()
        if message is None:  # dropped for falling behind; the client resyncs on reconnect
            await ws.close(code=1013, reason="too far behind; reconnect")
            return
        if message.seq > after:
            await ws.send_text(message.public_text)
            after = message.seq


def parse_since(since: str | None) -> int | None:
    """Return a valid-looking ?since= as an int, or None: ASCII digits only, and not absurdly long."""
    # str.isdigit() accepts "²", and int() refuses more than 4300 digits: both would raise.
    if since is None or not (since.isascii() and since.isdigit()) or len(since) > 18:
        return None
    return int(since)


@router.websocket("/ws/hall")
async def hall_socket(ws: WebSocket, since: str | None = Query(default=None)) -> None:
    """Stream the hall: a snapshot first (or the missed events), then every event in seq order."""
    rt = get_runtime(ws)
    ip = ws.client.host if ws.client else "unknown"
    if not await rt.hall_sockets.take(ip):
        await ws.close(code=1013)  # before accept: the handshake is refused
        return
    try:
        await ws.accept()
        sub = rt.hub.subscribe()
        try:
            await _stream_hall(ws, rt, sub, parse_since(since))
        finally:
            rt.hub.unsubscribe(sub)
    except WebSocketDisconnect:
        pass
    finally:
        await rt.hall_sockets.give_back(ip)
        await close_quietly(ws)


async def _stream_hall(ws: WebSocket, rt: HallRuntime, sub: Subscriber, start: int | None) -> None:
    after = -1
    if start is not None and start <= rt.hub.last_seq:
        missed = await rt.db.read(lambda s: events_after(
            s, rt.hall.code, start, rt.settings.replay_limit + 1, rt.codec))
        if len(missed) <= rt.settings.replay_limit and (not missed or missed[0].seq == start + 1):
            for m in missed:
                await ws.send_text(m.public_text)
            after = missed[-1].seq if missed else start
    if after < 0:
        snap = await snapshot(rt)
        await ws.send_json({"type": "snapshot", **snap.model_dump(mode="json")})
        after = snap.seq
    await run_until_either(ws, _pump(ws, sub, after))


@router.websocket("/ws/tickets/{ticket_id}")
async def ticket_socket(ws: WebSocket, ticket_id: int, token: str = Query(default="")) -> None:
    """Stream one resident's ticket: now, and on every change to it or its estimate."""
    rt = get_runtime(ws)
    ticket = await rt.db.read(lambda s: s.get(Ticket, ticket_id)) if 1 <= ticket_id <= MAX_ID else None
    if ticket is None or ticket.hall != rt.hall.code or not token_matches(ticket.token, token):
        await ws.close(code=1008)  # before accept: the handshake is refused with 403
        return
    await serve(ws, rt.ticket_feed, item_id=ticket_id, base=public_base(ws, rt), kind="ticket")
