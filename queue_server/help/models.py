"""Help requests (呼叫导办员) and the ID-card lookup: the table and the shapes the API reads and writes."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PField
from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from queue_server.db.types import StrEnumType, UTCDateTime


class HelpStatus(StrEnum):
    REQUESTED = "requested"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


OPEN_HELP = (HelpStatus.REQUESTED, HelpStatus.ACKNOWLEDGED)


class HelpReason(StrEnum):
    CANNOT_FIND = "cannot_find"  # 找不到要办的事
    CANNOT_READ = "cannot_read"  # 看不清、不识字
    OTHER = "other"


class HelpRequest(SQLModel, table=True):
    """A kiosk's call for a guide, from the tap to the guide's arrival and the end of the help."""

    __tablename__ = "help_request"
    __table_args__ = (
        # Set only while open: the database itself keeps one open request per kiosk.
        UniqueConstraint("hall", "open_kiosk", name="uq_help_open_kiosk"),
        Index("ix_help_status", "hall", "status"),
        Index("ix_help_day", "hall", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    day: date  # the service day it was made on, for the statistics
    kiosk: int  # the kiosk device's id
    kiosk_name: str  # as the device was named when it called
    reason: HelpReason | None = Field(default=None, sa_column=Column(StrEnumType(HelpReason)))
    status: HelpStatus = Field(sa_column=Column(StrEnumType(HelpStatus), nullable=False))
    open_kiosk: int | None = None
    requested_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    acknowledged_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    acknowledged_by: str | None = None
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    resolved_by: str | None = None


class HelpBody(BaseModel):
    """The body of POST /api/kiosk/help."""

    model_config = ConfigDict(extra="forbid")

    reason: HelpReason | None = None


class HelpPublic(BaseModel):
    """A help request as the kiosk that made it and the hall's staff see it."""

    id: int
    kiosk: int
    kiosk_name: str
    reason: HelpReason | None
    status: HelpStatus
    requested_at: str
    acknowledged_at: str | None
    resolved_at: str | None
    by: str | None  # the staff member who acknowledged it (else who resolved it)


class IdentifyBody(BaseModel):
    """The body of POST /api/kiosk/identify: what an ID card on the kiosk's reader says."""

    model_config = ConfigDict(extra="forbid")

    name: str = PField(min_length=1, max_length=50)
    id_number: str = PField(min_length=1, max_length=32)


class CardAppointment(BaseModel):
    """A booked appointment of the card holder that can be checked in now."""

    code: str
    service: str
    service_name: str
    start: str
    end: str


class CardCase(BaseModel):
    """A case of the card holder completed and waiting to be collected."""

    number: str
    matter_name: str
    pickup_window: int


class Identified(BaseModel):
    """What a kiosk learns from an ID card: the opaque identity and what the holder can do now."""

    identity: str
    name_masked: str
    appointments: list[CardAppointment]
    cases_ready: list[CardCase]
