"""Ticket tables and the shapes the API reads and writes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints
from pydantic import Field as PField
from sqlalchemy import Boolean, Column, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from queue_server.db.types import StrEnumType, UTCDateTime
from queue_server.domain.model import Channel, GradeSource, Outcome, Priority, TicketStatus


class Counter(SQLModel, table=True):
    """The last number issued per (hall, service day, category)."""

    hall: str = Field(primary_key=True)
    day: date = Field(primary_key=True)
    category: str = Field(primary_key=True)
    last: int = 0


class Ticket(SQLModel, table=True):
    """A resident's ticket; every step is timestamped."""

    __table_args__ = (
        UniqueConstraint("hall", "day", "number", name="uq_ticket_number"),
        # Call-next reads the head of each lane through these, however long the queue is.
        Index("ix_ticket_lane", "hall", "status", "service", "designated_window", "rank_at"),
        Index("ix_ticket_designated", "hall", "status", "designated_window", "rank_at"),
        # Range statistics (a county's year) read status and wait from the index alone on PostgreSQL.
        Index("ix_ticket_day", "hall", "day", postgresql_include=["status", "wait_seconds"]),
    )

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    day: date
    number: str
    number_category: str  # the letter the number was drawn from
    category: str  # where it queues now; a transfer may move it
    service: str
    channel: Channel = Field(sa_column=Column(StrEnumType(Channel), nullable=False))
    priority: Priority | None = Field(default=None, sa_column=Column(StrEnumType(Priority)))
    status: TicketStatus = Field(default=TicketStatus.WAITING,
                                 sa_column=Column(StrEnumType(TicketStatus), nullable=False))
    designated_window: int | None = None
    window: int | None = None
    clerk: str | None = None
    outcome: Outcome | None = Field(default=None, sa_column=Column(StrEnumType(Outcome)))
    call_count: int = 0
    token: str = Field(index=True)
    phone: str | None = None
    # Texts go to the phone (短信提醒): set for a kiosk or counter ticket with a phone, for a phone
    # ticket that asked with "sms": true, and by POST /api/tickets/{id}/sms.
    sms: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    device_cookie: str | None = None
    issued_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # Routing order: issue time minus the priority bonus (policy.effective_since).
    rank_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    first_called_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    called_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    started_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    wait_seconds: float | None = None
    service_seconds: float | None = None
    eta_at_issue: float | None = None  # minutes
    ahead_at_issue: int | None = None
    appointment_id: int | None = None  # the 预约 this ticket checked in
    appointment_bonus: int = 0  # seconds of extra effective wait it carries in routing
    appointment_start: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # The card holder a kiosk issued it for (name and ID number), AES-GCM sealed (tickets/identity.py);
    # erased with the ticket's phone number (jobs/retention.py).
    applicant_sealed: str | None = Field(default=None, sa_column=Column(Text))


class IdempotencyKey(SQLModel, table=True):
    """A caller's Idempotency-Key, remembered for the service day."""

    hall: str = Field(primary_key=True)
    day: date = Field(primary_key=True)
    caller: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    body_hash: str
    ticket_id: int


class MobileIpDay(SQLModel, table=True):
    """Phone tickets taken from one address on one service day, shared by every server process."""

    __tablename__ = "mobile_ip_day"

    hall: str = Field(primary_key=True)
    day: date = Field(primary_key=True)
    ip: str = Field(primary_key=True)
    tickets: int = 0


class Evaluation(SQLModel, table=True):
    """A resident's grade for one finished ticket (好差评)."""

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    ticket_id: int = Field(unique=True)
    window: int | None = None
    clerk: str | None = None
    grade: int
    reasons: str = "[]"  # JSON list
    comment: str | None = None
    source: GradeSource = Field(sa_column=Column(StrEnumType(GradeSource), nullable=False))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class TicketCreate(BaseModel):
    """The body of POST /api/tickets."""

    service: str = PField(min_length=1, max_length=64)
    channel: Channel
    priority: Priority | None = None
    phone: str | None = PField(default=None, pattern=r"^1\d{10}$")
    # A phone ticket's phone is for its limits; texts go to it only when it asks (短信提醒).
    sms: bool | None = None
    # "pass" is a Python keyword, hence the alias.
    hall_pass: str | None = PField(default=None, alias="pass", max_length=200)
    appointment: str | None = PField(default=None, max_length=6)  # a 6-digit 预约 code
    # The card holder's opaque identity from POST /api/kiosk/identify (kiosk tickets only).
    identity: str | None = PField(default=None, min_length=1, max_length=1000)

    model_config = {"extra": "forbid", "populate_by_name": True}


class EvaluationCreate(BaseModel):
    """A grade for a finished ticket."""

    grade: int = PField(ge=1, le=5)
    reasons: list[Annotated[str, StringConstraints(max_length=50)]] = PField(
        default_factory=list, max_length=10)
    comment: str | None = PField(default=None, max_length=500)

    model_config = {"extra": "forbid"}


class TicketEvaluationCreate(EvaluationCreate):
    """A grade sent from the resident's phone, with the ticket's token."""

    token: str = PField(min_length=1, max_length=200)


class TicketApplicant(BaseModel):
    """The card holder a ticket was issued for, as staff see them: the ID number masked."""

    name: str
    id_number: str


class TicketPublic(BaseModel):
    """The API's Ticket. Call fields appear once it is called; token and link only to its holder."""

    id: int
    number: str
    service: str
    service_name: str
    category: str
    category_name: str
    status: TicketStatus
    channel: Channel
    priority: Priority | None
    issued_at: str
    ahead: int
    eta_minutes: float
    windows: list[int]
    preferred_windows: list[int]
    designated_window: int | None
    phone: str | None
    outcome: Outcome | None
    window: int | None = None
    first_called_at: str | None = None
    called_at: str | None = None
    call_count: int | None = None
    started_at: str | None = None
    finished_at: str | None = None
    appointment: dict[str, object] | None = None  # {"id", "start"} of a checked-in 预约
    applicant: TicketApplicant | None = None  # to staff, on a window's ticket read with a card
    token: str | None = None
    track_url: str | None = None


class TicketAction(BaseModel):
    """What a clerk's action on a ticket answers."""

    ticket: TicketPublic


class EvaluationPublic(BaseModel):
    """A stored grade and the ticket it belongs to."""

    ticket: TicketPublic
    grade: int
    reasons: list[str]
    comment: str | None


class HallPass(BaseModel):
    """The current hall pass, for the board's QR code."""

    model_config = {"populate_by_name": True}

    hall_pass: str = PField(alias="pass")
    url: str
    expires_at: str
    mode: str
    rotation_seconds: int
