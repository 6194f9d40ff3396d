"""Every cross-domain reaction in one place: which handler runs when which event is emitted."""

from __future__ import annotations

from queue_server.appointments.events import AppointmentBooked, AppointmentCancelled
from queue_server.cases.events import CaseCompleted
from queue_server.db.bus import MessageBus
from queue_server.feedback.handlers import open_for_bad_grade
from queue_server.sms.handlers import drop_reminder, remind_appointment, text_called, text_case_ready
from queue_server.tickets.events import TicketCalled, TicketEvaluated
from queue_server.windows.events import WindowClosed, WindowOpened, WindowPaused, WindowResumed
from queue_server.windows.handlers import track_open_time


def message_bus() -> MessageBus:
    """Return the bus with every subscription of the server."""
    bus = MessageBus()
    bus.subscribe(TicketEvaluated, open_for_bad_grade)
    # The stretches each window was open, which staffing advice reads.
    bus.subscribe(WindowOpened, track_open_time)
    bus.subscribe(WindowPaused, track_open_time)
    bus.subscribe(WindowResumed, track_open_time)
    bus.subscribe(WindowClosed, track_open_time)
    # Texts (短信提醒), queued with their cause; `ahead` follows the estimator (sms/sender.py).
    bus.subscribe(TicketCalled, text_called)
    bus.subscribe(CaseCompleted, text_case_ready)
    bus.subscribe(AppointmentBooked, remind_appointment)
    bus.subscribe(AppointmentCancelled, drop_reminder)
    return bus
