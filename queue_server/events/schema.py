"""Typed events: one model per type, read and written alike by the log, the hub and the pages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from queue_server.domain.model import (
    AppointmentStatus,
    CaseStatus,
    Channel,
    FeedbackKind,
    FeedbackStatus,
    Outcome,
    PauseReason,
    Priority,
    TicketStatus,
    WindowStatus,
)

PAUSE_REASONS = frozenset(r.value for r in PauseReason)


class TicketBrief(BaseModel):
    """The public, number-only view of a ticket that events carry."""

    id: int
    number: str
    service: str
    category: str
    status: TicketStatus
    window: int | None = None


class EventBase(BaseModel):
    """What every event carries; the log assigns seq and at when it is appended."""

    model_config = ConfigDict(frozen=True)
    # What /ws/hall and its replay may show: numbers only. The log keeps every field; an event
    # type names its own public fields, so a new private field stays private by default.
    PUBLIC: ClassVar[frozenset[str]] = frozenset({"type", "seq", "at", "ticket", "window"})

    seq: int = 0
    at: str = ""
    ticket: TicketBrief | None = None
    window: int | None = None

    def public(self) -> dict[str, Any]:
        """Return the fields the public may see, as JSON-ready data."""
        return self.model_dump(mode="json", include=set(self.PUBLIC))


class TicketIssued(EventBase):
    PUBLIC = EventBase.PUBLIC | {"channel"}
    type: Literal["ticket.issued"] = "ticket.issued"
    channel: Channel
    priority: Priority | None = None


class TicketCalled(EventBase):
    type: Literal["ticket.called"] = "ticket.called"


class TicketRecalled(EventBase):
    type: Literal["ticket.recalled"] = "ticket.recalled"


class TicketStarted(EventBase):
    type: Literal["ticket.started"] = "ticket.started"


class TicketFinished(EventBase):
    PUBLIC = EventBase.PUBLIC | {"outcome"}
    type: Literal["ticket.finished"] = "ticket.finished"
    outcome: Outcome


class TicketNoShow(EventBase):
    type: Literal["ticket.no_show"] = "ticket.no_show"


class TicketTransferred(EventBase):
    PUBLIC = EventBase.PUBLIC | {"to_service", "to_window"}
    type: Literal["ticket.transferred"] = "ticket.transferred"
    to_service: str | None = None
    to_window: int | None = None


class TicketCancelled(EventBase):
    type: Literal["ticket.cancelled"] = "ticket.cancelled"


class TicketExpired(EventBase):
    type: Literal["ticket.expired"] = "ticket.expired"


class TicketEvaluated(EventBase):
    type: Literal["ticket.evaluated"] = "ticket.evaluated"
    grade: int


class WindowOpened(EventBase):
    PUBLIC = EventBase.PUBLIC | {"status"}
    type: Literal["window.opened"] = "window.opened"
    status: WindowStatus


class WindowPaused(EventBase):
    PUBLIC = EventBase.PUBLIC | {"reason"}
    type: Literal["window.paused"] = "window.paused"
    reason: str | None = None  # public only when it is one of the fixed PauseReason list
    note: str | None = None  # typed by the clerk: the log and staff only

    def public(self) -> dict[str, Any]:
        """Return the public fields; a reason not from the fixed list (older logs) is dropped."""
        data = super().public()
        if data.get("reason") not in PAUSE_REASONS:
            data["reason"] = None
        return data


class WindowResumed(EventBase):
    type: Literal["window.resumed"] = "window.resumed"


class WindowClosed(EventBase):
    type: Literal["window.closed"] = "window.closed"


class CaseBrief(BaseModel):
    """The number-only view of a case that events carry: never a name, a phone or a note."""

    id: int
    number: str
    status: CaseStatus
    station: str | None = None


class CaseEvent(EventBase):
    """What every case event carries."""

    PUBLIC = EventBase.PUBLIC | {"case"}

    case: CaseBrief


class CaseAccepted(CaseEvent):
    type: Literal["case.accepted"] = "case.accepted"


class CaseProcessing(CaseEvent):
    type: Literal["case.processing"] = "case.processing"


class CaseSuspended(CaseEvent):
    type: Literal["case.suspended"] = "case.suspended"


class CaseResumed(CaseEvent):
    type: Literal["case.resumed"] = "case.resumed"


class CaseCompleted(CaseEvent):
    PUBLIC = CaseEvent.PUBLIC | {"pickup_window"}
    type: Literal["case.completed"] = "case.completed"
    # Where the resident collects it, when it will be picked up at the hall; else null.
    pickup_window: int | None = None


class CaseDelivered(CaseEvent):
    type: Literal["case.delivered"] = "case.delivered"


class CaseWithdrawn(CaseEvent):
    type: Literal["case.withdrawn"] = "case.withdrawn"


class FeedbackBrief(BaseModel):
    """The id-and-status view of a feedback item that events carry: no phone, text or grade."""

    id: int
    status: FeedbackStatus


class FeedbackEvent(EventBase):
    """What every feedback (好差评整改) event carries; the public stream sees only ids and status."""

    PUBLIC = frozenset({"type", "seq", "at", "feedback"})

    feedback: FeedbackBrief
    kind: FeedbackKind | None = None  # the log and staff only
    case_id: int | None = None  # the log and staff only


class FeedbackOpened(FeedbackEvent):
    type: Literal["feedback.opened"] = "feedback.opened"


class FeedbackVisited(FeedbackEvent):
    type: Literal["feedback.visited"] = "feedback.visited"


class FeedbackRectified(FeedbackEvent):
    type: Literal["feedback.rectified"] = "feedback.rectified"


class FeedbackClosed(FeedbackEvent):
    type: Literal["feedback.closed"] = "feedback.closed"


class FeedbackPhoneRevealed(FeedbackEvent):
    """A manager saw a resident's full phone number: the audit trail names who and when."""

    type: Literal["feedback.phone_revealed"] = "feedback.phone_revealed"


class CaseEvaluated(CaseEvent):
    type: Literal["case.evaluated"] = "case.evaluated"
    grade: int  # the log only: never on /ws/hall


class AppointmentBrief(BaseModel):
    id: int
    service: str
    status: AppointmentStatus


class AppointmentEvent(EventBase):
    # What a 预约 event carries and shows: no name, phone or check-in code.
    PUBLIC = frozenset({"type", "seq", "at", "appointment"})
    appointment: AppointmentBrief


class AppointmentBooked(AppointmentEvent):
    type: Literal["appointment.booked"] = "appointment.booked"


class AppointmentCancelled(AppointmentEvent):
    type: Literal["appointment.cancelled"] = "appointment.cancelled"


class AppointmentUsed(AppointmentEvent):
    type: Literal["appointment.used"] = "appointment.used"


class AppointmentMissed(AppointmentEvent):
    type: Literal["appointment.missed"] = "appointment.missed"


class DeviceStatusChanged(EventBase):
    type: Literal["device.status"] = "device.status"
    device: int
    status: str


HallEvent = Annotated[
    TicketIssued | TicketCalled | TicketRecalled | TicketStarted | TicketFinished | TicketNoShow
    | TicketTransferred | TicketCancelled | TicketExpired | TicketEvaluated | WindowOpened
    | WindowPaused | WindowResumed | WindowClosed | DeviceStatusChanged | CaseAccepted
    | CaseProcessing | CaseSuspended | CaseResumed | CaseCompleted | CaseDelivered | CaseWithdrawn
    | CaseEvaluated | FeedbackOpened | FeedbackVisited | FeedbackRectified | FeedbackClosed
    | FeedbackPhoneRevealed | AppointmentBooked | AppointmentCancelled | AppointmentUsed | AppointmentMissed,
    Field(discriminator="type"),
]
EVENTS: TypeAdapter[HallEvent] = TypeAdapter(HallEvent)

CALL_TYPES = ("ticket.called", "ticket.recalled")


@dataclass(frozen=True, slots=True)
class Envelope:
    """A committed event and its JSON, serialised once however many subscribers read it."""

    seq: int
    event: HallEvent
    text: str  # everything, as the log keeps it
    public_text: str = field(default="")  # what /ws/hall sends: the public fields only

    def __post_init__(self) -> None:
        if not self.public_text:
            object.__setattr__(self, "public_text", public_json(self.event))

    @classmethod
    def of(cls, event: HallEvent) -> Envelope:
        """Wrap an event that has its seq."""
        return cls(event.seq, event, event.model_dump_json())

    @classmethod
    def parse(cls, text: str) -> Envelope:
        """Read an event back from its JSON in the log."""
        event = EVENTS.validate_json(text)
        return cls(event.seq, event, text)


def public_json(event: HallEvent) -> str:
    """Return the JSON of an event's public fields, for the public hall stream."""
    return json.dumps(event.public(), ensure_ascii=False, separators=(",", ":"))
