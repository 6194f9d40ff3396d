"""Device liveness: when each device was last heard from, written at most once a minute."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, update
from sqlmodel import col

from queue_server.auth.models import Device
from queue_server.db.engine import write_session


class DeviceLiveness:
    """Record that devices are alive, so managers can spot a dead one."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime], every: float = 60.0) -> None:
        self._engine = engine
        self._clock = clock
        self._every = every
        self._seen: dict[int, float] = {}
        self._lock = threading.Lock()

    def due(self, device_id: int) -> bool:
        """Tell whether a request from this device would be written through (without blocking)."""
        return time.monotonic() - self._seen.get(device_id, -1e9) >= self._every

    def touch(self, device_id: int) -> None:
        """Note a request from a device; write it through when the last write is old enough."""
        now = time.monotonic()
        with self._lock:
            if now - self._seen.get(device_id, -1e9) < self._every:
                return
            self._seen[device_id] = now
        with write_session(self._engine) as session:
            session.execute(update(Device).where(col(Device.id) == device_id)
                            .values(last_seen=self._clock()))
