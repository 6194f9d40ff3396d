"""The SMS outbox table and the shapes the API reads and writes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel
from pydantic import Field as PField
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from queue_server.db.types import StrEnumType, UTCDateTime
from queue_server.domain.sms import SmsKind, SmsStatus


class SmsMessage(SQLModel, table=True):
    """One text to send: queued with the change that causes it, then sent once, retried under one id.

    (hall, kind, subject) is unique: at most one message of each kind per ticket, case or appointment,
    whatever path tries to queue a second one (a call after a transfer, two workers deciding `ahead`).
    """

    __tablename__ = "sms_message"
    __table_args__ = (
        UniqueConstraint("hall", "kind", "subject", name="uq_sms_subject"),
        # The sender's query: queued rows whose next try is due, oldest first.
        Index("ix_sms_due", "status", "next_at"),
        Index("ix_sms_created", "hall", "created_at"),
    )

    id: str = Field(primary_key=True, max_length=32)  # uuid4 hex: the same on every try
    hall: str
    kind: SmsKind = Field(sa_column=Column(StrEnumType(SmsKind), nullable=False))
    subject: str  # the ticket, case or appointment id, as text ("test-…" for an admin's test)
    phone: str | None = None  # erased by retention
    template: str
    params: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON object of strings
    status: SmsStatus = Field(default=SmsStatus.QUEUED, sa_column=Column(StrEnumType(SmsStatus), nullable=False))
    attempts: int = 0  # every POST to the provider, the successful one included
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))  # quiet hours, 16:00 reminders
    next_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))  # the next try or a claim's end
    first_try_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))  # retries stop 10 min on
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    reason: str | None = None  # the last failure, scrubbed of credentials, the phone masked


class SmsPhoneBody(BaseModel):
    """A phone number to text: POST /api/tickets/{id}/sms and POST /api/sms/test."""

    phone: str = PField(min_length=1, max_length=32)

    model_config = {"extra": "forbid"}


class SmsOptInPublic(BaseModel):
    """A ticket that will be texted: its id and the phone, masked."""

    ticket: int
    phone: str
    sms: bool = True


class SmsPublic(BaseModel):
    """One outbox message as a manager sees it (API.md's shape exactly): the phone masked."""

    id: str
    kind: SmsKind
    phone: str | None
    template: str
    params: dict[str, str]
    status: SmsStatus
    attempts: int
    created_at: str  # ISO 8601 in the hall's timezone, as every time in the API
    sent_at: str | None


class SmsList(BaseModel):
    """GET /api/sms: how many match, and a page of them, newest first."""

    total: int
    messages: list[SmsPublic]


class SmsTestResult(BaseModel):
    """What became of an admin's test message: its id, status, attempts and reason."""

    id: str
    status: SmsStatus
    attempts: int
    reason: str | None = None
    provider: str


class SmsCounts(BaseModel):
    """Messages by status, and the share of tried messages that went out."""

    sent: int = 0
    failed: int = 0
    logged: int = 0
    dropped: int = 0
    queued: int = 0
    delivery_rate: float | None = None  # percent: sent / (sent + failed); null when none was tried


class SmsDay(SmsCounts):
    """One day's messages by status (the day the message was queued, in the hall's time)."""

    day: date


class SmsFailure(BaseModel):
    """A message that failed, with the provider's reason."""

    id: str
    kind: SmsKind
    phone: str | None
    reason: str | None
    attempts: int
    created_at: str


class SmsStats(BaseModel):
    """GET /api/sms/stats: per day, the totals, and the most recent failures."""

    from_: date = PField(alias="from")
    to: date
    days: list[SmsDay]
    total: SmsCounts
    failures: list[SmsFailure]

    model_config = {"populate_by_name": True}
