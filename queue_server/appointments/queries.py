"""The slots a hall offers for a service on a day, with how many places each has left."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from queue_server.appointments.models import AppointmentSlot, SlotPublic
from queue_server.domain.appointments import Slot, serving_windows, sessions_on, slot_capacity, slots_on
from queue_server.halls.hall import Hall
from queue_server.halls.models import ServiceStat


def mean_seconds(session: Session, hall: Hall, service: str) -> float:
    """Return a service's running mean handling time, else its configured one."""
    stat = session.get(ServiceStat, (hall.code, service))
    return float(stat.mean_seconds) if stat is not None else hall.mean_seconds(service)


def offered(session: Session, hall: Hall, service: str, day: date, now: datetime) -> list[Slot]:
    """Return the slots offered for a service on a day (none if booking is off or out of range)."""
    settings = hall.config.settings.appointments
    if not settings.enabled or service not in hall.services:
        return []
    extra = [(s.date, s.start, s.end) for s in settings.extra_sessions]
    sessions = sessions_on(day, hall.config.settings.opening_hours, extra, hall.calendar)
    if not sessions:
        return []
    capacity = slot_capacity(slot_minutes=settings.slot_minutes,
                             windows=serving_windows(hall.profiles.values(), service),
                             mean_seconds=mean_seconds(session, hall, service), share=settings.share)
    return slots_on(day, today=hall.local_date(now), days_ahead=settings.days_ahead,
                    slot_minutes=settings.slot_minutes, sessions=sessions, capacity=capacity,
                    tz=hall.tz)


def booked_counts(session: Session, hall: Hall, service: str, slots: list[Slot]) -> dict[float, int]:
    """Return how many places are taken in each of these slots."""
    if not slots:
        return {}
    rows = session.exec(select(AppointmentSlot).where(
        AppointmentSlot.hall == hall.code, AppointmentSlot.service == service,
        col(AppointmentSlot.start) >= slots[0].start, col(AppointmentSlot.start) <= slots[-1].start)).all()
    return {r.start.timestamp(): r.booked for r in rows}


def slot_views(session: Session, hall: Hall, service: str, day: date, now: datetime) -> list[SlotPublic]:
    """Return the API's slots for a service on a day."""
    slots = offered(session, hall, service, day, now)
    taken = booked_counts(session, hall, service, slots)
    out = []
    for s in slots:
        booked = taken.get(s.start.timestamp(), 0)
        out.append(SlotPublic(start=s.start.isoformat(), end=s.end.isoformat(), capacity=s.capacity,
                              booked=booked, available=max(0, s.capacity - booked), extra=s.extra))
    return out
