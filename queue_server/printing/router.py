"""The print agents' websocket: a hall's print agent connects here and prints its window documents."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from printer import agentwire as wire
from queue_server.app.deps import get_principal, get_runtime
from queue_server.auth.service import Principal
from queue_server.domain.model import DeviceKind
from queue_server.printing.relay import Link, PrintAgents
from queue_server.realtime.sockets import close_quietly

log = logging.getLogger(__name__)
router = APIRouter(tags=["printing"])

HELLO_SECONDS = 10.0
# How often a connected agent's token is checked again, so a revoked agent is cut off.
RECHECK_SECONDS = 60.0


def refusal(who: Principal | None) -> tuple[int, str] | None:
    """Return the close code and reason for a caller that is not a print agent of this hall."""
    if who is None:
        return wire.CLOSE_BAD_TOKEN, "device token not valid or revoked"
    if who.kind == "foreign":
        return wire.CLOSE_NOT_ALLOWED, "the device belongs to another hall"
    if who.kind != "device" or who.role != DeviceKind.PRINT_AGENT:
        return wire.CLOSE_NOT_ALLOWED, "not a print_agent device"
    return None


@router.websocket("/ws/print-agent")
async def print_agent_socket(ws: WebSocket) -> None:
    """Hold a print agent's socket: take its hello, send it jobs, record its answers."""
    rt = get_runtime(ws)
    agents: PrintAgents | None = rt.print_agents
    who = await get_principal(ws)
    await ws.accept()  # accepted first, so the agent reads why it is refused from the close frame
    refused = refusal(who) if agents is not None else (1013, "print relay not running")
    if refused is not None or agents is None or who is None or who.device_id is None:
        await ws.close(*(refused or (1011, "")))
        return
    link: Link | None = None
    try:
        try:
            hello = wire.decode_for_server(await asyncio.wait_for(ws.receive_text(), HELLO_SECONDS))
            if not isinstance(hello, wire.Hello):
                raise wire.WireError("the first message must be hello")
        except (wire.WireError, TimeoutError) as exc:
            await ws.close(wire.CLOSE_BAD_HELLO, str(exc)[:120] or "no hello in time")
            return
        link = Link(rt.hall.code, who.device_id, hello.instance, set(hello.printers), ws.send_text)
        await agents.attach(link)  # first: an agent told welcome can be printed through at once
        await link.send(wire.Welcome(rt.hall.code, hello.printers))
        log.info("print agent device %s connected to hall %s with printers %s", who.device_id,
                 rt.hall.code, ", ".join(hello.printers))
        await _serve(ws, agents, link)
    except WebSocketDisconnect:
        pass
    finally:
        if link is not None:
            await agents.detach(link)
            log.info("print agent device %s of hall %s disconnected", who.device_id, rt.hall.code)
        await close_quietly(ws)


async def _serve(ws: WebSocket, agents: PrintAgents, link: Link) -> None:
    while True:
        try:
            text = await asyncio.wait_for(ws.receive_text(), RECHECK_SECONDS)
        except TimeoutError:
            refused = refusal(await get_principal(ws))
            if refused is not None:
                await ws.close(*refused)
                return
            continue
        try:
            message = wire.decode_for_server(text)
        except wire.WireError as exc:
            log.warning("print agent device %s sent an unreadable message: %s", link.device_id, exc)
            continue
        if isinstance(message, wire.Answer):
            await agents.answered(link, message)
