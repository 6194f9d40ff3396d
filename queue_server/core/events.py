"""What every event is: the base model, the envelope subscribers receive, and the log's codec."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from queue_server.domain.model import TicketStatus


class TicketBrief(BaseModel):
    """The public, number-only view of a ticket that any event may carry."""

    id: int
    number: str
    service: str
    category: str
    status: TicketStatus
    window: int | None = None


class EventBase(BaseModel):
    """What every event carries; the log assigns seq and at when it is appended.

    Each domain declares its own event types (``<domain>/events.py``); ``app/messages.py``
    assembles them into one discriminated union.
    """

    model_config = ConfigDict(frozen=True)
    # What /ws/hall and its replay may show: numbers only. The log keeps every field; an event
    # type names its own public fields, so a new private field stays private by default.
    PUBLIC: ClassVar[frozenset[str]] = frozenset({"type", "seq", "at", "ticket", "window"})

    type: str
    seq: int = 0
    at: str = ""
    # Every event may name a ticket and a window; the log indexes both.
    ticket: TicketBrief | None = None
    window: int | None = None

    def public(self) -> dict[str, Any]:
        """Return the fields the public may see, as JSON-ready data."""
        return self.model_dump(mode="json", include=set(self.PUBLIC))


@dataclass(frozen=True, slots=True)
class Envelope:
    """A committed event and its JSON, serialised once however many subscribers read it."""

    seq: int
    event: EventBase
    text: str  # everything, as the log keeps it
    public_text: str = field(default="")  # what /ws/hall sends: the public fields only

    def __post_init__(self) -> None:
        if not self.public_text:
            object.__setattr__(self, "public_text", public_json(self.event))

    @classmethod
    def of(cls, event: EventBase) -> Envelope:
        """Wrap an event that has its seq."""
        return cls(event.seq, event, event.model_dump_json())


class EventCodec:
    """Read events back from the JSON the log keeps, as their own typed models."""

    def __init__(self, adapter: TypeAdapter[Any]) -> None:
        self._adapter = adapter

    def parse(self, text: str) -> Envelope:
        """Read one event back from its JSON in the log."""
        event: EventBase = self._adapter.validate_json(text)
        return Envelope(event.seq, event, text)


def public_json(event: EventBase) -> str:
    """Return the JSON of an event's public fields, for the public hall stream."""
    return json.dumps(event.public(), ensure_ascii=False, separators=(",", ":"))
