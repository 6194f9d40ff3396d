"""Appointment (预约) events: booked, cancelled, used and missed; no name, phone or code."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from queue_server.core.events import EventBase
from queue_server.domain.model import AppointmentStatus


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
