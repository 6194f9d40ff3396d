"""Appointment tables and the shapes the API reads and writes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel
from pydantic import Field as PField
from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from queue_server.db.types import StrEnumType, UTCDateTime
from queue_server.domain.model import AppointmentStatus


class Appointment(SQLModel, table=True):
    """A resident's booked slot for a service (预约)."""

    __table_args__ = (
        # Set only while booked: the database itself keeps codes and phone-per-service unique
        # among active appointments, while used, cancelled and missed ones keep their history.
        UniqueConstraint("hall", "active_code", name="uq_appointment_active_code"),
        UniqueConstraint("hall", "active_phone", name="uq_appointment_active_phone"),
        Index("ix_appointment_day", "hall", "day"),
        Index("ix_appointment_phone", "hall", "phone", "status"),
        Index("ix_appointment_id_digest", "hall", "id_digest"),
    )

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    service: str
    day: date
    start: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    end: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    code: str
    active_code: str | None = None
    active_phone: str | None = None  # phone + "/" + service while booked
    status: AppointmentStatus = Field(default=AppointmentStatus.BOOKED, sa_column=Column(
        StrEnumType(AppointmentStatus), nullable=False))
    name: str
    phone: str
    token: str
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    ticket_id: int | None = None
    # The booker's ID number as a keyed hash (appointments/service.id_number_digest): enough for
    # an ID card at the kiosk to find it, never readable back; erased with the name and phone.
    id_digest: str | None = None


class AppointmentSlot(SQLModel, table=True):
    """How many places of one slot are taken; booking is a guarded UPDATE on this row."""

    __tablename__ = "appointment_slot"

    hall: str = Field(primary_key=True)
    service: str = Field(primary_key=True)
    start: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))
    booked: int = 0


class AppointmentIpDay(SQLModel, table=True):
    """Bookings made from one address on one day, shared by every server process."""

    __tablename__ = "appointment_ip_day"

    hall: str = Field(primary_key=True)
    day: date = Field(primary_key=True)
    ip: str = Field(primary_key=True)
    bookings: int = 0


class AppointmentCreate(BaseModel):
    """The body of POST /api/appointments."""

    service: str = PField(min_length=1, max_length=64)
    start: datetime
    name: str = PField(min_length=1, max_length=40)
    phone: str = PField(pattern=r"^1\d{10}$")
    id_number: str | None = PField(default=None, max_length=32)  # 居民身份证号码, to check in by card

    model_config = {"extra": "forbid"}


class SlotPublic(BaseModel):
    """One bookable slot and how full it is."""

    start: str
    end: str
    capacity: int
    booked: int
    available: int
    extra: bool = False


class AppointmentPublic(BaseModel):
    """The API's appointment; token and manage_url only in the booking response, phone masked."""

    id: int
    code: str | None = None  # the check-in code: to its holder, never in staff listings
    service: str
    service_name: str
    start: str
    end: str
    status: AppointmentStatus
    name: str | None = None
    phone: str | None = None
    ticket: int | None = None
    token: str | None = None
    manage_url: str | None = None


class AppointmentRef(BaseModel):
    """What a checked-in ticket says of its appointment."""

    id: int
    start: str
