"""Websocket plumbing shared by every stream: ignore what the client says, stop on either end."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState


async def drain_client(ws: WebSocket) -> None:
    """Read and ignore what the client sends, until it disconnects."""
    while True:
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            return


async def run_until_either(ws: WebSocket, pump: Coroutine[Any, Any, None]) -> None:
    """Run the sender until it ends or the client goes away, then stop both."""
    reader = asyncio.create_task(drain_client(ws))
    writer = asyncio.create_task(pump)
    try:
        await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (reader, writer):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await task


async def close_quietly(ws: WebSocket) -> None:
    """Close a socket that may already be gone."""
    if ws.application_state != WebSocketState.DISCONNECTED:
        with contextlib.suppress(Exception):
            await ws.close()
