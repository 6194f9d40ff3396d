"""Help request events: requested, acknowledged, resolved; the kiosk's id and the status, nothing personal."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from queue_server.core.events import EventBase
from queue_server.help.models import HelpStatus


class HelpBrief(BaseModel):
    id: int
    kiosk: int
    status: HelpStatus


class HelpEvent(EventBase):
    # A call for a guide names a kiosk, never a resident; the kiosk follows its own call by id.
    PUBLIC = frozenset({"type", "seq", "at", "help"})
    help: HelpBrief


class HelpRequested(HelpEvent):
    type: Literal["help.requested"] = "help.requested"


class HelpAcknowledged(HelpEvent):
    type: Literal["help.acknowledged"] = "help.acknowledged"


class HelpResolved(HelpEvent):
    type: Literal["help.resolved"] = "help.resolved"
