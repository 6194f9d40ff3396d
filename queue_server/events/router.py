"""Live state: the public queue snapshot, the hall websocket and the resident's own ticket."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from sqlmodel import Session, col, select
from starlette.websockets import WebSocketState

from queue_server.catalog.router import waiting_by_service
from queue_server.deps import MAX_ID, RuntimeDep, get_runtime
from queue_server.events import service as events
from queue_server.events.hub import Subscriber
from queue_server.runtime import Runtime
from queue_server.tickets.models import Ticket
from queue_server.tickets.service import token_matches
from queue_server.tickets.views import ticket_public
from queue_server.windows.models import WindowState

log = logging.getLogger(__name__)
router = APIRouter(tags=["live"])


def queue_snapshot(session: Session, rt: Runtime, etas: dict[str, Any]) -> dict[str, Any]:
    """Build the public state of the hall: numbers only, never a name or a phone number."""
    hall = rt.hall
    seq = events.last_seq(session, hall.code)
    states = {w.number: w for w in session.exec(
        select(WindowState).where(WindowState.hall == hall.code)).all()}
    current_ids = [w.current_ticket_id for w in states.values() if w.current_ticket_id]
    current = {t.id: t for t in session.exec(
        select(Ticket).where(col(Ticket.id).in_(current_ids))).all()} if current_ids else {}
    windows = []
    for w in hall.config.windows:
        state = states.get(w.number)
        ticket = current.get(state.current_ticket_id) if state and state.current_ticket_id else None
        windows.append({
            "number": w.number, "name": w.name, "name_en": w.name_en,
            "status": state.status if state else "closed",
            "current": {"number": ticket.number, "status": ticket.status} if ticket else None,
        })
    waiting = waiting_by_service(session, hall.code)
    categories = []
    for c in hall.config.categories:
        codes = [s.code for s in c.services]
        est = [etas[code].eta_minutes for code in codes if code in etas]
        categories.append({
            "code": c.code, "name": c.name, "name_en": c.name_en,
            "waiting": sum(waiting.get(code, 0) for code in codes),
            "eta_minutes": max(est, default=0),
        })
    return {"seq": seq, "windows": windows, "categories": categories,
            "recent_calls": events.recent_calls(session, hall)}


async def snapshot(rt: Runtime) -> dict[str, Any]:
    """Return the live snapshot with fresh estimates."""
    est = await rt.estimates()
    return await rt.read(lambda s: queue_snapshot(s, rt, est.services))


@router.get("/api/queue")
async def get_queue(rt: RuntimeDep) -> dict[str, Any]:
    """Return the public state of the hall."""
    return await snapshot(rt)


async def _drain_client(ws: WebSocket) -> None:
    # Clients have nothing to say; read and ignore so that pings and garbage are consumed.
    while True:
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            return


async def _pump(ws: WebSocket, sub: Subscriber, after: int) -> None:
    while True:
        message = await sub.queue.get()
        if message is None:  # dropped for falling behind; the client resyncs on reconnect
            await ws.close(code=1013, reason="too far behind; reconnect")
            return
        if message["seq"] > after:
            await ws.send_json(message)
            after = message["seq"]


async def _run_until_either(ws: WebSocket, pump: Any) -> None:
    reader = asyncio.create_task(_drain_client(ws))
    writer = asyncio.create_task(pump)
    try:
        await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (reader, writer):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await task


@router.websocket("/ws/hall")
async def hall_socket(ws: WebSocket, since: str | None = Query(default=None)) -> None:
    """Stream the hall: a snapshot first (or the missed events), then every event in seq order."""
    rt = get_runtime(ws)
    await ws.accept()
    sub = rt.hub.subscribe()
    try:
        after = -1
        start = int(since) if since is not None and since.isdigit() else None
        if start is not None and start <= rt.hub.last_seq:
            missed = await rt.fetch_after(start)
            if len(missed) <= rt.settings.replay_limit and (
                not missed or missed[0]["seq"] == start + 1
            ):
                for m in missed:
                    await ws.send_json(m)
                after = missed[-1]["seq"] if missed else start
        if after < 0:
            snap = await snapshot(rt)
            await ws.send_json({"type": "snapshot", **snap})
            after = snap["seq"]
        await _run_until_either(ws, _pump(ws, sub, after))
    except WebSocketDisconnect:
        pass
    finally:
        rt.hub.unsubscribe(sub)
        if ws.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(Exception):
                await ws.close()


@router.websocket("/ws/tickets/{ticket_id}")
async def ticket_socket(ws: WebSocket, ticket_id: int, token: str = Query(default="")) -> None:
    """Stream one resident's ticket: now, and on every change to it or its estimate."""
    rt = get_runtime(ws)
    ticket = await rt.read(lambda s: s.get(Ticket, ticket_id)) if 1 <= ticket_id <= MAX_ID else None
    if ticket is None or ticket.hall != rt.hall.code or not token_matches(ticket, token):
        await ws.close(code=1008)  # before accept: the handshake is refused with 403
        return
    await ws.accept()
    base = rt.base_url(str(ws.base_url).replace("ws://", "http://").replace("wss://", "https://"))
    sub = rt.hub.subscribe()

    async def view() -> dict[str, Any]:
        t = await rt.read(lambda s: s.get(Ticket, ticket_id))
        assert t is not None
        est = (await rt.estimates(max_age=10.0)).tickets.get(ticket_id)
        return ticket_public(t, rt.hall, estimate=est, base_url=base, with_token=True)

    async def pump() -> None:
        last = await view()
        await ws.send_json({"type": "ticket", "ticket": last})
        while True:
            message = await sub.queue.get()
            if message is None:
                await ws.close(code=1013)
                return
            while not sub.queue.empty():  # merge a burst into one recomputation
                if sub.queue.get_nowait() is None:
                    await ws.close(code=1013)
                    return
            current = await view()
            if current != last:
                await ws.send_json({"type": "ticket", "ticket": current})
                last = current

    try:
        await _run_until_either(ws, pump())
    except WebSocketDisconnect:
        pass
    finally:
        rt.hub.unsubscribe(sub)
        if ws.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(Exception):
                await ws.close()
