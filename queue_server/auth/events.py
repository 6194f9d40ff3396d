"""Device events: a kiosk or board reported its printer's status."""

from __future__ import annotations

from typing import Literal

from queue_server.core.events import EventBase


class DeviceStatusChanged(EventBase):
    type: Literal["device.status"] = "device.status"
    device: int
    status: str
