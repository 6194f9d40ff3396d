"""Every event type of every domain in one discriminated union, and the codec the log reads with."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, TypeAdapter

from queue_server.appointments.events import (
    AppointmentBooked,
    AppointmentCancelled,
    AppointmentMissed,
    AppointmentUsed,
)
from queue_server.auth.events import DeviceStatusChanged
from queue_server.cases.events import (
    CaseAccepted,
    CaseCompleted,
    CaseDelivered,
    CaseEvaluated,
    CaseProcessing,
    CaseResumed,
    CaseSuspended,
    CaseWithdrawn,
)
from queue_server.core.events import EventCodec
from queue_server.feedback.events import (
    FeedbackClosed,
    FeedbackOpened,
    FeedbackPhoneRevealed,
    FeedbackRectified,
    FeedbackVisited,
)
from queue_server.help.events import HelpAcknowledged, HelpRequested, HelpResolved
from queue_server.tickets.events import (
    TicketCalled,
    TicketCancelled,
    TicketEvaluated,
    TicketExpired,
    TicketFinished,
    TicketIssued,
    TicketNoShow,
    TicketRecalled,
    TicketStarted,
    TicketTransferred,
)
from queue_server.windows.events import WindowClosed, WindowOpened, WindowPaused, WindowResumed

HallEvent = Annotated[
    TicketIssued | TicketCalled | TicketRecalled | TicketStarted | TicketFinished | TicketNoShow
    | TicketTransferred | TicketCancelled | TicketExpired | TicketEvaluated
    | WindowOpened | WindowPaused | WindowResumed | WindowClosed
    | DeviceStatusChanged
    | CaseAccepted | CaseProcessing | CaseSuspended | CaseResumed | CaseCompleted | CaseDelivered
    | CaseWithdrawn | CaseEvaluated
    | FeedbackOpened | FeedbackVisited | FeedbackRectified | FeedbackClosed | FeedbackPhoneRevealed
    | AppointmentBooked | AppointmentCancelled | AppointmentUsed | AppointmentMissed
    | HelpRequested | HelpAcknowledged | HelpResolved,
    Field(discriminator="type"),
]
CODEC = EventCodec(TypeAdapter(HallEvent))
