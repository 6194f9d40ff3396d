"""Appointment figures over a range of days, counted from the appointment rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from queue_server.appointments.models import Appointment
from queue_server.domain.model import AppointmentStatus
from queue_server.halls.hall import Hall
from queue_server.stats.models import AppointmentStats


def appointment_stats(session: Session, hall: Hall, first: date, last: date) -> AppointmentStats:
    """Count the bookings for slots on days first..last by status; no-show = missed / (used + missed)."""
    rows = session.exec(select(Appointment.status, func.count()).where(
        Appointment.hall == hall.code, col(Appointment.day) >= first, col(Appointment.day) <= last)
        .group_by(Appointment.status)).all()
    by = {AppointmentStatus(s): int(n) for s, n in rows}
    used, missed = by.get(AppointmentStatus.USED, 0), by.get(AppointmentStatus.MISSED, 0)
    pct = round(100 * missed / (used + missed), 1) if used + missed else None
    return AppointmentStats(booked=sum(by.values()), used=used, missed=missed,
                            cancelled=by.get(AppointmentStatus.CANCELLED, 0),
                            waiting=by.get(AppointmentStatus.BOOKED, 0), no_show_pct=pct)
