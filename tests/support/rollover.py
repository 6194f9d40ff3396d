"""Run the service-day rollover inside a live server, as its periodic task does."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

from queue_server.jobs.rollover import rollover
from tests.support.live import LiveServer


def run_rollover(live: LiveServer, now: datetime) -> list[dict[str, Any]]:
    """Run the rollover inside the server's loop, as its periodic task does, and publish."""
    rt = live.runtime

    async def run() -> list[dict[str, Any]]:
        # The periodic task's own path: one unit of work, its events published after the commit.
        _, events = await asyncio.to_thread(rt.db.run_write, lambda uow: rollover(uow, now))
        await rt.db.publish(events)
        return [json.loads(e.text) for e in events]

    assert live._server is not None
    loop = live._server.servers[0].get_loop()
    return asyncio.run_coroutine_threadsafe(run(), loop).result(timeout=60)
